#include "analyzer/glob.h"

#include <fnmatch.h>

#include <vector>

namespace corslint {

namespace {

std::vector<std::string> Segments(std::string_view text) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= text.size()) {
    size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) slash = text.size();
    if (slash > start) segments.emplace_back(text.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool SegmentsMatch(const std::vector<std::string>& pattern, size_t p,
                   const std::vector<std::string>& path, size_t s) {
  if (p == pattern.size()) return s == path.size();
  if (pattern[p] == "**") {
    // `**` takes zero or more segments: try each split.
    for (size_t next = s; next <= path.size(); ++next) {
      if (SegmentsMatch(pattern, p + 1, path, next)) return true;
    }
    return false;
  }
  if (s == path.size()) return false;
  if (fnmatch(pattern[p].c_str(), path[s].c_str(), 0) != 0) {
    return false;
  }
  return SegmentsMatch(pattern, p + 1, path, s + 1);
}

}  // namespace

bool GlobMatches(std::string_view pattern, std::string_view path) {
  while (pattern.starts_with("./")) pattern.remove_prefix(2);
  while (path.starts_with("./")) path.remove_prefix(2);

  // A directory pattern covers the whole tree below it.
  std::string full(pattern);
  if (full.ends_with("/")) full += "**";
  // A bare name matches at any depth.
  if (full.find('/') == std::string::npos) full = "**/" + full;
  if (full.starts_with("/")) full.erase(0, 1);
  return SegmentsMatch(Segments(full), 0, Segments(path), 0);
}

std::string GlobError(std::string_view pattern) {
  if (pattern.empty()) return "an empty pattern matches nothing";
  for (const std::string& segment : Segments(pattern)) {
    if (segment != "**" && segment.find("**") != std::string::npos) {
      return "`**` must be a whole path segment, as in `a/**/b`";
    }
    size_t open = segment.find('[');
    while (open != std::string::npos) {
      size_t close = segment.find(']', open + 2);
      if (close == std::string::npos) return "unclosed `[` in the pattern";
      open = segment.find('[', close + 1);
    }
  }
  return "";
}

}  // namespace corslint
