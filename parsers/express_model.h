// Express applications (JavaScript and TypeScript) into the policy model:
// the `cors` package with every option and its defaults, manual headers set
// by middleware and route handlers, mount paths, routers and Express's own
// answers (automatic OPTIONS, 404, errors).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/policy.h"

namespace corslint::express {

struct LoadOptions {
  // Sibling modules (`require('./cors-options')`) are read only below these
  // directories; one outside is reported as a note and its values are
  // unknown.
  std::vector<std::string> allowed_roots;
  size_t max_file_bytes = 16u << 20;
};

// Builds the document of the JavaScript or TypeScript file `path` (whose
// text is `text`; the grammar follows the extension). Syntax errors from
// tree-sitter are Document::errors with line and column; CORS code the
// model cannot follow is a Document::notes entry, and the headers it may set
// have value_known=false.
std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options);

// Whether `text` reads as code that configures CORS for Express: it
// mentions the `cors` package or an Access-Control header.
bool LooksLikeExpress(const std::string& text);

}  // namespace corslint::express
