// Reading an nginx root file with the files its `include` directives name.
#pragma once

#include <vector>

#include "analyzer/policy.h"
#include "parsers/nginx_model.h"
#include "parsers/nginx_syntax.h"

namespace corslint::nginx {

// Parses `root` (one of `document`'s files) and returns its directives with
// each include replaced by the directives of the files it names, read once
// each and added to `document`. An include that cannot be followed (missing,
// unreadable, binary, too large, outside the allowed roots, part of a cycle)
// gets an error at the directive; the directive itself then stays in place,
// except for cycles, to mark its block's content as partly unknown.
// `changed`, when given, tells whether the result differs from the root
// file's own directives.
std::vector<Directive> ReadWithIncludes(const SourceFile* root,
                                        const LoadOptions& options,
                                        Document* document,
                                        bool* changed = nullptr);

}  // namespace corslint::nginx
