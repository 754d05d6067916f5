// Flask applications into the policy model: flask-cors (`CORS(app, ...)`,
// `resources`, `init_app`, `@cross_origin`, `app.config['CORS_*']`) with
// every option and its defaults, manual headers in `after_request` hooks and
// in views, and Flask's own answers (automatic OPTIONS, 404, 405, errors).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/policy.h"

namespace corslint::flask {

struct LoadOptions {
  // Sibling modules (`from .settings import ORIGINS`) are read only below
  // these directories.
  std::vector<std::string> allowed_roots;
  size_t max_file_bytes = 16u << 20;
  // The flask-cors release line: 3 models Debian's 3.0.10-2+deb12u1 (which
  // carries the 6.0.1 path-matching fixes), 6 the current line. They differ
  // in `allow_private_network` (unknown to 3.0, which never sends
  // Access-Control-Allow-Private-Network).
  int flask_cors_line = 6;
};

// Builds the document of the Python file `path` (whose text is `text`).
// Syntax errors from tree-sitter are Document::errors with line and column;
// CORS code the model cannot follow is a Document::notes entry, and the
// headers it may set have value_known=false.
std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options);

// Whether `text` reads as Python code that configures CORS: it mentions
// flask_cors or an Access-Control header.
bool LooksLikeFlask(const std::string& text);

}  // namespace corslint::flask
