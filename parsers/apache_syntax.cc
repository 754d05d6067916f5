#include "parsers/apache_syntax.h"

#include "analyzer/policy.h"

namespace corslint::apache {

bool Directive::Is(std::string_view other) const {
  return EqualsIgnoreCase(name, other);
}

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

// A logical line: physical lines joined at a trailing backslash, with the
// source offset of every character kept for positions.
struct LogicalLine {
  std::string text;
  std::vector<uint32_t> offsets;
  uint32_t start = 0;  // offset of the first physical line
};

class LineReader {
 public:
  explicit LineReader(const SourceFile& file) : text_(file.text()) {}

  // Reads the next logical line. Returns false at the end of the file, or
  // with `*too_long` set when the line exceeds kMaxLineBytes.
  bool Next(LogicalLine* line, bool* too_long) {
    line->text.clear();
    line->offsets.clear();
    *too_long = false;
    if (pos_ >= text_.size()) return false;
    line->start = static_cast<uint32_t>(pos_);

    while (pos_ < text_.size()) {
      size_t newline = text_.find('\n', pos_);
      size_t end = newline == std::string::npos ? text_.size() : newline;
      size_t content_end = end;
      if (content_end > pos_ && text_[content_end - 1] == '\r') --content_end;

      // A backslash right before the line break joins the next line; the
      // backslash and the break disappear and nothing is inserted.
      bool continued = content_end > pos_ && text_[content_end - 1] == '\\' &&
                       newline != std::string::npos;
      if (continued) --content_end;
      if (line->text.size() + (content_end - pos_) > kMaxLineBytes) {
        *too_long = true;
        pos_ = text_.size();
        return true;
      }
      for (size_t i = pos_; i < content_end; ++i) {
        line->text.push_back(text_[i]);
        line->offsets.push_back(static_cast<uint32_t>(i));
      }
      pos_ = newline == std::string::npos ? text_.size() : newline + 1;
      if (!continued) break;
    }
    return true;
  }

 private:
  const std::string& text_;
  size_t pos_ = 0;
};

// Splits words the way ap_getword_conf does, starting at `*cursor` in
// `line` and stopping at `limit`.
class WordSplitter {
 public:
  WordSplitter(const SourceFile& file, const LogicalLine& line, size_t begin,
               size_t limit)
      : file_(file), line_(line), cursor_(begin), limit_(limit) {}

  // Returns false when only whitespace is left.
  bool Next(Word* word) {
    const std::string& s = line_.text;
    while (cursor_ < limit_ && IsSpace(s[cursor_])) ++cursor_;
    if (cursor_ >= limit_) return false;

    size_t begin = cursor_;
    char quote = s[cursor_];
    word->value.clear();
    word->quoted = quote == '"' || quote == '\'';
    if (word->quoted) {
      size_t i = cursor_ + 1;
      while (i < limit_ && s[i] != quote) {
        if (s[i] == '\\' && i + 1 < limit_ &&
            (s[i + 1] == quote || s[i + 1] == '\\')) {
          word->value.push_back(s[i + 1]);
          i += 2;
          continue;
        }
        word->value.push_back(s[i]);
        ++i;
      }
      if (i < limit_) ++i;  // the closing quote
      cursor_ = i;
    } else {
      size_t i = cursor_;
      while (i < limit_ && !IsSpace(s[i])) {
        if (s[i] == '\\' && i + 1 < limit_ && s[i + 1] == '\\') {
          word->value.push_back('\\');
          i += 2;
          continue;
        }
        word->value.push_back(s[i]);
        ++i;
      }
      cursor_ = i;
    }
    word->span = SpanOf(begin, cursor_);
    return true;
  }

  size_t cursor() const { return cursor_; }

  Span SpanOf(size_t begin, size_t end) const {
    Span span;
    span.file = &file_;
    span.begin = line_.offsets[begin];
    span.end = line_.offsets[end - 1] + 1;
    return span;
  }

 private:
  const SourceFile& file_;
  const LogicalLine& line_;
  size_t cursor_;
  size_t limit_;
};

InputError ErrorAt(const Span& span, std::string message) {
  InputError error;
  error.where = Locate(span);
  error.message = std::move(message);
  return error;
}

struct OpenSection {
  std::vector<Directive>* body;  // where the section's directives go
  std::string name;
  Span name_span;
};

}  // namespace

bool Parse(const SourceFile& file, std::vector<Directive>* out,
           InputError* error) {
  LineReader reader(file);
  LogicalLine line;
  std::vector<OpenSection> open;
  std::vector<Directive>* current = out;
  bool too_long = false;

  while (reader.Next(&line, &too_long)) {
    if (too_long) {
      Span span{&file, line.start, line.start};
      *error = ErrorAt(span, "line is longer than " +
                                 std::to_string(kMaxLineBytes) + " bytes");
      return false;
    }

    // Trim, then drop blank lines and comments.
    size_t begin = 0, end = line.text.size();
    while (begin < end && IsSpace(line.text[begin])) ++begin;
    while (end > begin && IsSpace(line.text[end - 1])) --end;
    if (begin == end || line.text[begin] == '#') continue;

    WordSplitter words(file, line, begin, end);
    Word first;
    words.Next(&first);
    const std::string& head = first.value;

    // A closing tag must be one word `</Name>`.
    if (head.starts_with("</")) {
      if (!head.ends_with(">")) {
        *error = ErrorAt(first.span,
                         "\"" + head + ">\" directive missing closing \">\"");
        return false;
      }
      std::string name = head.substr(2, head.size() - 3);
      if (open.empty()) {
        *error = ErrorAt(first.span, "\"" + head + "\" without matching \"<" +
                                         name + ">\" section");
        return false;
      }
      if (!EqualsIgnoreCase(name, open.back().name)) {
        *error = ErrorAt(first.span, "expected \"</" + open.back().name +
                                         ">\" but saw \"" + head + "\"");
        return false;
      }
      open.pop_back();
      current = open.empty() ? out : open.back().body;
      continue;
    }

    Directive directive;
    directive.span = words.SpanOf(begin, end);
    directive.name_span = first.span;

    // An opening tag: the arguments run to the last `>` of the line, and
    // whatever follows that `>` is ignored, as httpd does.
    if (head.starts_with("<") && head.size() > 1) {
      directive.is_section = true;
      directive.name = head.substr(1);
      size_t limit = end;
      if (directive.name.ends_with(">")) {
        directive.name.pop_back();
        limit = words.cursor();
      } else {
        size_t close = line.text.rfind('>', end - 1);
        if (close == std::string::npos || close < words.cursor()) {
          *error = ErrorAt(first.span, "\"<" + directive.name +
                                           ">\" directive missing closing "
                                           "\">\"");
          return false;
        }
        limit = close;
      }
      WordSplitter args(file, line, words.cursor(), limit);
      Word arg;
      while (args.Next(&arg)) directive.args.push_back(arg);

      if (static_cast<int>(open.size()) >= kMaxNesting) {
        *error =
            ErrorAt(first.span, "sections nested deeper than " +
                                    std::to_string(kMaxNesting) + " levels");
        return false;
      }
      current->push_back(std::move(directive));
      open.push_back({&current->back().body, current->back().name,
                      current->back().name_span});
      current = open.back().body;
      continue;
    }

    directive.name = head;
    Word arg;
    while (words.Next(&arg)) directive.args.push_back(arg);
    current->push_back(std::move(directive));
  }

  if (!open.empty()) {
    *error = ErrorAt(open.back().name_span,
                     "\"<" + open.back().name + ">\" was not closed");
    return false;
  }
  return true;
}

namespace {

void DumpInto(const std::vector<Directive>& directives, int depth,
              std::string* out) {
  for (const Directive& directive : directives) {
    out->append(static_cast<size_t>(depth) * 2, ' ');
    if (directive.is_section) out->push_back('<');
    out->append(directive.name);
    for (const Word& arg : directive.args) {
      out->append(" [");
      out->append(arg.value);
      out->push_back(']');
    }
    if (directive.is_section) out->push_back('>');
    out->push_back('\n');
    DumpInto(directive.body, depth + 1, out);
  }
}

}  // namespace

std::string DumpDirectives(const std::vector<Directive>& directives) {
  std::string out;
  DumpInto(directives, 0, &out);
  return out;
}

}  // namespace corslint::apache
