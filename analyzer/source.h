// Source files, positions and the spans that every model value keeps.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace corslint {

// One input file held in memory. Lines and columns are 1-based; a column
// counts bytes from the start of the line, so a tab or a UTF-8 sequence of
// n bytes advances it by n.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }

  // Line and column of a byte offset; an offset past the end maps to the
  // position just after the last byte.
  void Position(size_t offset, int* line, int* column) const;

  // The text of a 1-based line without its line terminator; empty when the
  // line does not exist.
  std::string_view Line(int line) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// A range of one source file. `file` points at a SourceFile that outlives
// every model value referring to it (documents own their files). A default
// span has no file and means "no source position".
struct Span {
  const SourceFile* file = nullptr;
  uint32_t begin = 0;  // byte offset of the first character
  uint32_t end = 0;    // byte offset just past the last character

  bool valid() const { return file != nullptr; }
  std::string_view text() const {
    return valid() ? std::string_view(file->text()).substr(begin, end - begin)
                   : std::string_view();
  }
};

// A span resolved to the 1-based positions that output formats print.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  int end_line = 0;
  int end_column = 0;  // column just past the last character

  bool operator<(const Location& other) const;
  bool operator==(const Location& other) const = default;
};

Location Locate(const Span& span);

// An input problem: the file could not be read, or its syntax is wrong.
struct InputError {
  Location where;       // line and column 0 when the whole file is at fault
  std::string message;  // lowercase, no final period, culprit quoted
  // A warning leaves the exit code alone: the input was read, but part of
  // it was deliberately not (an include outside the checked tree).
  bool warning = false;
};

// Texts that stand in for files on disk, keyed by canonical path (see
// CanonicalPath): the fix loop checks edited text before writing it.
using SourceOverlay = std::map<std::string, std::string>;

// `path` with symbolic links and `.`/`..` resolved, or `path` unchanged
// when it cannot be resolved.
std::string CanonicalPath(const std::string& path);

// Reads a whole file. Returns false and fills `error` when the file cannot
// be read, is larger than `max_bytes`, or holds NUL bytes (binary data).
// When `overlay` holds the file, its text is returned instead of the
// file's content; the file must still exist.
bool ReadSourceFile(const std::string& path, size_t max_bytes,
                    std::string* text, std::string* error,
                    const SourceOverlay* overlay = nullptr);

}  // namespace corslint
