// Display-only fixes: where an edit in place is not clearly right, the
// finding shows the CORS configuration that `corslint generate` writes for
// the repaired policy, laid out like the file it would go into. One
// emitter per target serves both commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/rule.h"
#include "fixers/policy_spec.h"

namespace corslint {

// The policy that `response` carries (its methods, request and exposed
// headers, preflight cache and credentials), with `origins` as the allowed
// origins.
PolicySpec PolicyOf(const Response& response,
                    const std::vector<std::string>& origins);

// A display-only fix whose snippet is what `generate` writes for `spec` in
// `format`, with the indentation unit and line endings of `file` (may be
// null). Nullopt when CheckSpec refuses the spec or the format has no
// emitter.
std::optional<Fix> GeneratedSnippet(std::string description, PolicySpec spec,
                                    Format format, const SourceFile* file);

// `origin` as a browser sends it when the only defect is a trailing slash,
// a default port or upper case; nullopt otherwise.
std::optional<std::string> NormalizeOrigin(std::string_view origin);

// Attaches display-only fixes to findings that no edit mends:
// `multiple-origins-in-header` (one allowlist of the listed origins),
// `malformed-origin` for a fixed header value (the origin as browsers send
// it) and `wildcard-origin-with-credentials` when `trusted-origins` lists
// exact origins.
void AddSnippets(const Analysis& analysis, const RuleOptions& options,
                 std::vector<Finding>* findings);

}  // namespace corslint
