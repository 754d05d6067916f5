// Apache httpd configurations and .htaccess files into the policy model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/policy.h"

namespace corslint::apache {

struct LoadOptions {
  // `Include` and `IncludeOptional` may read files below these directories
  // and below the directory of the root file only; an include that
  // resolves elsewhere is reported with an error naming `--include-root`
  // and its content is treated as unknown.
  std::vector<std::string> allowed_roots;
  size_t max_file_bytes = 128u << 20;
  // Edited texts that replace files on disk; may be null.
  const SourceOverlay* overlay = nullptr;
};

// Builds the document of the root file `path` (whose text is `text`),
// following its includes. A file named `.htaccess` is read as the body of
// a `<Directory>` for the directory that holds it. Syntax errors,
// unreadable includes, include cycles and includes outside the allowed
// roots are recorded in Document::errors with file, line and column; the
// model then holds what could be read. Never returns null.
//
// Scopes: one per VirtualHost (the main server when there is none), one per
// server-level `ProxyPass` path, one per container that changes headers,
// environment variables, rewriting, redirection, access or proxying, and
// one for an .htaccess directory. httpd merges the Header directives of
// nested containers, so Document::dropped stays empty.
// Respond merges what applies to the scope in httpd's order and evaluates
// it for the request; what depends on things the analyzer cannot see
// (upstream responses, variables it does not model, expressions it cannot
// evaluate) is marked unknown or left out, with a ModelNote.
std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options);

// Whether `text` reads as Apache httpd configuration (used by format
// detection for `*.conf` files): section tags such as `<VirtualHost>` or
// httpd directive names at line starts, without nginx's `;` and braces.
bool LooksLikeApache(const std::string& text);

}  // namespace corslint::apache
