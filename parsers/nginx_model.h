// nginx configurations into the policy model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/policy.h"

namespace corslint::nginx {

struct LoadOptions {
  // `include` may read files below these directories only; an include that
  // resolves elsewhere is reported and its content treated as unknown.
  std::vector<std::string> allowed_roots;
  size_t max_file_bytes = 128u << 20;
};

// Builds the document of the root file `path` (whose text is `text`),
// following its includes. Syntax errors, unreadable includes and include
// cycles are recorded in Document::errors with file, line and column; the
// model then holds what could be read.
std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options);

// Whether `text` reads as nginx configuration (used by format detection
// for `*.conf` files).
bool LooksLikeNginx(const std::string& text);

}  // namespace corslint::nginx
