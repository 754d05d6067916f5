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
  // Empty: the directory of the root file.
  std::vector<std::string> allowed_roots;
  size_t max_file_bytes = 128u << 20;
  // Edited texts that replace files on disk; may be null.
  const SourceOverlay* overlay = nullptr;
};

// Builds the document of the root file `path` (whose text is `text`),
// following its includes. Syntax errors, unreadable includes and include
// cycles are recorded in Document::errors with file, line and column; the
// model then holds what could be read. The root file is a whole
// configuration when it has `http` or `events` at the top, the body of
// `http` when it has `server`, `map`, `upstream`, `geo` or `split_clients`
// there, and otherwise the body of a `location /` of one server. Relative
// includes resolve against the directory of a root named nginx.conf, else
// the nearest directory above the root file, within the allowed roots,
// that holds an nginx.conf, else the root file's own directory.
std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options);

// Whether `text` reads as nginx configuration (used by format detection
// for `*.conf` files).
bool LooksLikeNginx(const std::string& text);

}  // namespace corslint::nginx
