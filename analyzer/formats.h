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

// How a text without a file name (a pasted snippet) is read: its format
// and the file name to check it under, whose extension picks the grammar
// of code (`snippet.js`, `snippet.ts`, `snippet.py`; `snippet.conf` for
// configurations).
struct PasteFormat {
  Format format;
  std::string file_name;
};

// The format of a paste judged by its content alone. Code comes first:
// text that parses as Python without a syntax error and names Flask is
// Flask; text that parses as JavaScript, else as TypeScript, is Express.
// Either must also pass DetectFormat under its file name (mention CORS).
// Anything else is an nginx or Apache configuration if DetectFormat tells
// it by content. Nullopt when nothing fits, a paste of code with a syntax
// error among them: its language must then be named.
std::optional<PasteFormat> DetectPasteFormat(const std::string& text);

// The paste format for a --lang name (ParseFormat's names). `express`
// reads the paste as JavaScript unless only TypeScript parses it; `ts` and
// `typescript` always read TypeScript. Nullopt for an unknown name.
std::optional<PasteFormat> NamedPasteFormat(std::string_view name,
                                            const std::string& text);

std::unique_ptr<Document> LoadDocument(Format format, const std::string& path,
                                       std::string text,
                                       const LoaderOptions& options);

}  // namespace corslint
