// The input formats: how a file is recognised and which parser loads it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy.h"

namespace corslint {

struct LoaderOptions {
  // Directories that `include` directives may read below.
  std::vector<std::string> allowed_roots;
  size_t max_file_bytes = 256u << 20;
  // The flask-cors release line whose behaviour Flask code is read with:
  // 3 (3.0.x, as Debian ships it) or 6 (the current line).
  int flask_cors_line = 6;
  // Edited texts that replace files on disk; may be null.
  const SourceOverlay* overlay = nullptr;
};

// The format of `path` judged by its name and content, or nullopt when it
// is none that corslint reads.
std::optional<Format> DetectFormat(const std::string& path,
                                   const std::string& text);

// Parses a format name as given to --lang ("nginx", "apache", ...).
std::optional<Format> ParseFormat(std::string_view name);

// The names --lang accepts, comma-separated, for messages.
std::string_view FormatNames();

std::unique_ptr<Document> LoadDocument(Format format, const std::string& path,
                                       std::string text,
                                       const LoaderOptions& options);

}  // namespace corslint
