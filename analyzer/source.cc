#include "analyzer/source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <tuple>

namespace corslint {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  // Room for lines of 16 bytes on average, which configuration lines
  // rarely go below; the table is then trimmed to its size, as the text
  // and its table live until the output is written.
  line_starts_.reserve(text_.size() / 16 + 1);
  line_starts_.push_back(0);
  for (const char* at = begin;
       (at = static_cast<const char*>(std::memchr(at, '\n', end - at)));) {
    ++at;
    line_starts_.push_back(static_cast<uint32_t>(at - begin));
  }
  line_starts_.shrink_to_fit();
}

void SourceFile::Position(size_t offset, int* line, int* column) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(),
                             static_cast<uint32_t>(offset));
  size_t index = static_cast<size_t>(it - line_starts_.begin()) - 1;
  *line = static_cast<int>(index) + 1;
  *column = static_cast<int>(offset - line_starts_[index]) + 1;
}

std::string_view SourceFile::Line(int line) const {
  if (line < 1 || static_cast<size_t>(line) > line_starts_.size()) return {};
  size_t begin = line_starts_[line - 1];
  size_t end = static_cast<size_t>(line) < line_starts_.size()
                   ? line_starts_[line] - 1
                   : text_.size();
  std::string_view view(text_);
  view = view.substr(begin, end - begin);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

bool Location::operator<(const Location& other) const {
  return std::tie(file, line, column, end_line, end_column) <
         std::tie(other.file, other.line, other.column, other.end_line,
                  other.end_column);
}

Location Locate(const Span& span) {
  Location location;
  if (!span.valid()) return location;
  location.file = span.file->path();
  span.file->Position(span.begin, &location.line, &location.column);
  span.file->Position(span.end, &location.end_line, &location.end_column);
  return location;
}

std::string CanonicalPath(const std::string& path) {
  std::error_code error;
  std::filesystem::path canonical =
      std::filesystem::weakly_canonical(path, error);
  return error ? path : canonical.string();
}

bool ReadSourceFile(const std::string& path, size_t max_bytes,
                    std::string* text, std::string* error,
                    const SourceOverlay* overlay) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    *error = std::strerror(errno);
    return false;
  }
  if (S_ISDIR(info.st_mode)) {
    *error = "is a directory";
    return false;
  }
  if (overlay != nullptr && !overlay->empty()) {
    auto it = overlay->find(CanonicalPath(path));
    if (it != overlay->end()) {
      *text = it->second;
      return true;
    }
  }
  if (static_cast<size_t>(info.st_size) > max_bytes) {
    *error = "file is larger than the limit of " +
             std::to_string(max_bytes / (1024 * 1024)) + " MiB";
    return false;
  }

  // One read into a buffer of the file's size; a file that grows while
  // it is read is read to its end.
  FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) {
    *error = std::strerror(errno);
    return false;
  }
  text->resize(static_cast<size_t>(info.st_size));
  size_t size = std::fread(text->data(), 1, text->size(), in);
  text->resize(size);
  char buffer[65536];
  while (size_t more = std::fread(buffer, 1, sizeof(buffer), in)) {
    text->append(buffer, more);
    if (text->size() > max_bytes) break;
  }
  bool failed = std::ferror(in) != 0;
  std::fclose(in);
  if (failed) {
    *error = "read error";
    return false;
  }
  if (text->size() > max_bytes) {
    *error = "file is larger than the limit of " +
             std::to_string(max_bytes / (1024 * 1024)) + " MiB";
    return false;
  }
  if (text->find('\0') != std::string::npos) {
    *error = "binary file (contains NUL bytes)";
    return false;
  }
  return true;
}

}  // namespace corslint
