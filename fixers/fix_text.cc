#include "fixers/fix_text.h"

#include <vector>

namespace corslint {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

size_t LineStartOf(std::string_view text, size_t offset) {
  size_t newline =
      offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : newline + 1;
}

// The offset just past the terminator of the line holding `offset`, or
// npos when that line has none.
size_t NextLineStart(std::string_view text, size_t offset) {
  size_t newline = text.find('\n', offset);
  return newline == std::string_view::npos ? newline : newline + 1;
}

std::string Trimmed(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && IsBlank(text[begin])) ++begin;
  while (end > begin && IsBlank(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

}  // namespace

std::string LineEndingAt(std::string_view text, size_t offset) {
  size_t newline = text.find('\n', offset);
  if (newline == std::string_view::npos) {
    size_t start = LineStartOf(text, offset);
    if (start == 0) return "\n";
    newline = start - 1;
  }
  return newline > 0 && text[newline - 1] == '\r' ? "\r\n" : "\n";
}

std::optional<std::string> IndentBefore(std::string_view text, size_t offset) {
  size_t start = LineStartOf(text, offset);
  for (size_t i = start; i < offset; ++i) {
    if (!IsBlank(text[i])) return std::nullopt;
  }
  return std::string(text.substr(start, offset - start));
}

bool RestOfLineBlank(std::string_view text, size_t offset, char comment) {
  for (size_t i = offset; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n'))
      return true;
    if (comment != 0 && c == comment) return true;
    if (!IsBlank(c)) return false;
  }
  return true;
}

Span SpanOf(const SourceFile* file, size_t begin, size_t end) {
  return Span{file, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
}

Edit InsertLineAfter(const Span& span, std::string_view line, char comment) {
  std::string_view text = span.file->text();
  std::optional<std::string> indent = IndentBefore(text, span.begin);
  if (!indent || !RestOfLineBlank(text, span.end, comment)) {
    return Edit{SpanOf(span.file, span.end, span.end), " " + std::string(line)};
  }
  std::string ending = LineEndingAt(text, span.end);
  size_t next = NextLineStart(text, span.end);
  if (next == std::string_view::npos) {
    return Edit{SpanOf(span.file, text.size(), text.size()),
                ending + *indent + std::string(line)};
  }
  return Edit{SpanOf(span.file, next, next),
              *indent + std::string(line) + ending};
}

Edit InsertLineBefore(const Span& span, std::string_view line) {
  std::string_view text = span.file->text();
  std::optional<std::string> indent = IndentBefore(text, span.begin);
  if (!indent) {
    return Edit{SpanOf(span.file, span.begin, span.begin),
                std::string(line) + " "};
  }
  size_t start = span.begin - indent->size();
  return Edit{SpanOf(span.file, start, start),
              *indent + std::string(line) + LineEndingAt(text, span.begin)};
}

Edit RemoveConstruct(const Span& span, char comment) {
  std::string_view text = span.file->text();
  std::optional<std::string> indent = IndentBefore(text, span.begin);
  if (indent && RestOfLineBlank(text, span.end, comment)) {
    size_t next = NextLineStart(text, span.end);
    size_t start = span.begin - indent->size();
    return Edit{SpanOf(span.file, start,
                       next == std::string_view::npos ? text.size() : next),
                ""};
  }
  size_t end = span.end;
  while (end < text.size() && IsBlank(text[end])) ++end;
  return Edit{SpanOf(span.file, span.begin, end), ""};
}

std::optional<Edit> ReplaceWordContent(const Span& word, bool quoted,
                                       std::string_view decoded,
                                       std::string_view replacement) {
  std::string_view raw = word.text();
  size_t quote = 0;
  if (quoted) {
    if (raw.size() < 2 || raw.back() != raw.front()) return std::nullopt;
    quote = 1;
  }
  if (raw.substr(quote, raw.size() - 2 * quote) != decoded) {
    return std::nullopt;
  }
  return Edit{SpanOf(word.file, word.begin + quote, word.end - quote),
              std::string(replacement)};
}

std::optional<std::string> RemoveStarItem(std::string_view value) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    size_t comma = value.find(',', start);
    segments.emplace_back(value.substr(
        start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }

  bool removed = false;
  std::string lead;  // the blanks the removed first item stood behind
  std::vector<std::string> kept;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (Trimmed(segments[i]) == "*") {
      if (kept.empty()) {
        lead = segments[i].substr(0, segments[i].find('*'));
      }
      removed = true;
      continue;
    }
    kept.push_back(segments[i]);
  }
  size_t items = 0;
  for (const std::string& segment : kept) {
    if (!Trimmed(segment).empty()) ++items;
  }
  if (!removed || items == 0) return std::nullopt;

  // The new first item stands where the old first stood.
  if (Trimmed(segments.front()) == "*") {
    size_t first = kept.front().find_first_not_of(" \t");
    kept.front() =
        lead + (first == std::string::npos ? "" : kept.front().substr(first));
  }
  std::string out;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += ",";
    out += kept[i];
  }
  return out;
}

}  // namespace corslint
