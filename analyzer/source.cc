#include "analyzer/source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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
  if (overlay != nullptr && !overlay->empty()) {
    auto it = overlay->find(CanonicalPath(path));
    if (it != overlay->end()) {
      *text = it->second;
      return true;
    }
  }
  auto too_large = [&] {
    *error = "file is larger than the limit of " +
             std::to_string(max_bytes / (1024 * 1024)) + " MiB";
    return false;
  };

  // The path is looked up once: open, then ask the descriptor.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat info;
  if (fstat(fd, &info) != 0) {
    *error = std::strerror(errno);
    return false;
  }
  if (S_ISDIR(info.st_mode)) {
    *error = "is a directory";
    return false;
  }
  if (static_cast<size_t>(info.st_size) > max_bytes) return too_large();

  // Reads into a buffer of the file's size, then on to the end of a file
  // that grew meanwhile.
  auto read_some = [&](char* into, size_t room, size_t* got) {
    ssize_t n;
    do {
      n = read(fd, into, room);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      *error = "read error: " + std::string(std::strerror(errno));
      return false;
    }
    *got = static_cast<size_t>(n);
    return true;
  };
  text->resize(static_cast<size_t>(info.st_size));
  size_t size = 0;
  for (size_t got = 1; size < text->size() && got > 0; size += got) {
    if (!read_some(text->data() + size, text->size() - size, &got)) {
      return false;
    }
  }
  text->resize(size);
  char more[65536];
  for (size_t got = 1; got > 0 && text->size() <= max_bytes;) {
    if (!read_some(more, sizeof(more), &got)) return false;
    text->append(more, got);
  }
  if (text->size() > max_bytes) return too_large();
  if (text->find('\0') != std::string::npos) {
    *error = "binary file (contains NUL bytes)";
    return false;
  }
  return true;
}

}  // namespace corslint
