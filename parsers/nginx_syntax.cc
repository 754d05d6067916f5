#include "parsers/nginx_syntax.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corslint::nginx {
namespace {

// nginx reads a file through a buffer of this many bytes (NGX_CONF_BUFFER)
// and fails when one token in progress fills it.
constexpr size_t kBufferBytes = 4096;

// Bytes the tokenizer reacts to: separators, and the bytes that change its
// state inside an unquoted word.
enum : uint8_t {
  kSpace = 1,       // space, tab, CR, LF
  kWordEnd = 2,     // a separator, `;` or `{` ends an unquoted word
  kWordSpecial = 4  // `\` and `$` change the state of an unquoted word
};

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> classes{};
  for (unsigned char c : {' ', '\t', '\r', '\n'}) {
    classes[c] = kSpace | kWordEnd;
  }
  classes[';'] = kWordEnd;
  classes['{'] = kWordEnd;
  classes['\\'] = kWordSpecial;
  classes['$'] = kWordSpecial;
  return classes;
}

constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

inline bool Is(char c, uint8_t mask) {
  return (kClasses[static_cast<unsigned char>(c)] & mask) != 0;
}

// Copies the text of a word the way nginx does: `\"`, `\'`, `\\`, `\t`,
// `\r` and `\n` are decoded and any other backslash is kept. A backslash
// never ends the range, since the tokenizer always keeps the escaped byte.
void Decode(std::string_view raw, bool has_backslash, std::string* value) {
  if (!has_backslash) {
    value->assign(raw);
    return;
  }

  value->reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 == raw.size()) {
      value->push_back(c);
      continue;
    }
    switch (raw[i + 1]) {
      case '"':
      case '\'':
      case '\\':
        value->push_back(raw[++i]);
        break;
      case 't':
        value->push_back('\t');
        ++i;
        break;
      case 'r':
        value->push_back('\r');
        ++i;
        break;
      case 'n':
        value->push_back('\n');
        ++i;
        break;
      default:
        value->push_back(c);
    }
  }
}

class Parser {
 public:
  Parser(const SourceFile& file, std::vector<Directive>* out, InputError* error)
      : file_(file), text_(file.text()), out_(out), error_(error) {}

  bool Run();

 private:
  std::vector<Directive>& Level() {
    return open_.empty() ? *out_ : open_.back().block;
  }

  Span MakeSpan(size_t begin, size_t end) const {
    return Span{&file_, static_cast<uint32_t>(begin),
                static_cast<uint32_t>(end)};
  }

  bool EndDirective(size_t semicolon);
  bool OpenBlock(size_t brace);
  bool CloseBlock(size_t brace);
  bool SkipComment(size_t hash);
  bool ReadQuoted(size_t quote);
  bool ReadUnquoted(size_t first);
  bool CheckLength(size_t start, size_t last_checked, size_t closing_quote,
                   char quote);
  bool Fail(size_t offset, std::string message);

  const SourceFile& file_;
  std::string_view text_;
  std::vector<Directive>* out_;
  InputError* error_;

  size_t pos_ = 0;
  std::vector<Word> words_;      // the words of the directive being read
  std::vector<Directive> open_;  // the block directives still open
};

bool Parser::Run() {
  out_->clear();
  if (text_.size() > std::numeric_limits<uint32_t>::max()) {
    error_->where = Location{file_.path()};
    error_->message = "file is larger than 4 GiB";
    return false;
  }
  open_.reserve(kMaxNesting);

  const char* data = text_.data();
  const size_t size = text_.size();
  for (;;) {
    while (pos_ < size && Is(data[pos_], kSpace)) ++pos_;

    // At the end, a directive without its `;` and an open block are the
    // two ways nginx can run out of file.
    if (pos_ == size) {
      if (!words_.empty()) {
        return Fail(size, R"(unexpected end of file, expecting ";" or "}")");
      }
      if (!open_.empty()) {
        return Fail(size, R"(unexpected end of file, expecting "}")");
      }
      return true;
    }

    bool ok = true;
    switch (data[pos_]) {
      case ';':
        ok = EndDirective(pos_);
        break;
      case '{':
        ok = OpenBlock(pos_);
        break;
      case '}':
        ok = CloseBlock(pos_);
        break;
      case '#':
        ok = SkipComment(pos_);
        break;
      case '"':
      case '\'':
        ok = ReadQuoted(pos_);
        break;
      default:
        ok = ReadUnquoted(pos_);
    }
    if (!ok) return false;
  }
}

bool Parser::EndDirective(size_t semicolon) {
  if (words_.empty()) return Fail(semicolon, R"(unexpected ";")");

  Directive& directive = Level().emplace_back();
  directive.span = MakeSpan(words_.front().span.begin, semicolon + 1);
  directive.words.assign(std::make_move_iterator(words_.begin()),
                         std::make_move_iterator(words_.end()));
  words_.clear();
  pos_ = semicolon + 1;
  return true;
}

bool Parser::OpenBlock(size_t brace) {
  if (words_.empty()) return Fail(brace, R"(unexpected "{")");
  if (open_.size() == static_cast<size_t>(kMaxNesting)) {
    return Fail(brace, "blocks nested deeper than " +
                           std::to_string(kMaxNesting) + " levels");
  }

  // The span is completed when the block closes.
  Directive& directive = open_.emplace_back();
  directive.span = MakeSpan(words_.front().span.begin, brace + 1);
  directive.words.assign(std::make_move_iterator(words_.begin()),
                         std::make_move_iterator(words_.end()));
  directive.has_block = true;
  words_.clear();
  pos_ = brace + 1;
  return true;
}

bool Parser::CloseBlock(size_t brace) {
  // `}` ends a block only where no directive is in progress, and only
  // inside one.
  if (!words_.empty() || open_.empty()) {
    return Fail(brace, R"(unexpected "}")");
  }

  Directive directive = std::move(open_.back());
  open_.pop_back();
  directive.span.end = static_cast<uint32_t>(brace + 1);
  Level().push_back(std::move(directive));
  pos_ = brace + 1;
  return true;
}

bool Parser::SkipComment(size_t hash) {
  const void* newline =
      std::memchr(text_.data() + hash, '\n', text_.size() - hash);
  size_t end = newline == nullptr
                   ? text_.size()
                   : static_cast<const char*>(newline) - text_.data();

  // nginx keeps a comment in its buffer like a word, up to the newline.
  if (!CheckLength(hash, end, std::string_view::npos, 0)) return false;
  pos_ = end;
  return true;
}

bool Parser::ReadQuoted(size_t quote) {
  const char mark = text_[quote];
  const size_t size = text_.size();
  bool has_backslash = false;

  // Find the closing quote; a backslash makes the next byte literal.
  size_t i = quote + 1;
  while (i < size && text_[i] != mark) {
    if (text_[i] == '\\') {
      has_backslash = true;
      ++i;
    }
    ++i;
  }
  if (i >= size) {
    if (!CheckLength(quote + 1, size, std::string_view::npos, mark)) {
      return false;
    }
    pos_ = size;
    return Fail(size, R"(unexpected end of file, expecting ";" or "}")");
  }
  const size_t closing = i;

  // After the closing quote nginx needs a separator, `;`, `{` or `)`. It
  // checks the length of the word once more when reading the byte after a
  // separator, which still counts as part of the word.
  const size_t next = closing + 1;
  const bool at_end = next == size;
  const char after = at_end ? '\0' : text_[next];
  size_t last_checked = next;
  if (!at_end && Is(after, kSpace)) last_checked = next + 1;
  if (!CheckLength(quote + 1, last_checked, closing, mark)) return false;
  if (!at_end && !Is(after, kWordEnd) && after != ')') {
    return Fail(next, std::string("unexpected \"") + after + "\"");
  }

  Word& word = words_.emplace_back();
  Decode(text_.substr(quote + 1, closing - quote - 1), has_backslash,
         &word.value);
  word.span = MakeSpan(quote, next);
  word.quoted = true;

  // A `)` right after the quote starts the next word.
  pos_ = next;
  return true;
}

bool Parser::ReadUnquoted(size_t first) {
  const size_t size = text_.size();
  const char* data = text_.data();

  // `$` followed by `{` keeps the `{` in the word (and so does every `{`
  // right after it); a backslash makes the next byte literal.
  bool variable = data[first] == '$';
  bool has_backslash = data[first] == '\\';
  size_t i = first + (has_backslash ? 2 : 1);
  for (; i < size; ++i) {
    char c = data[i];
    if (!Is(c, kWordEnd | kWordSpecial)) {
      variable = false;
      continue;
    }
    if (c == '{' && variable) continue;
    variable = false;
    if (c == '\\') {
      has_backslash = true;
      ++i;
      continue;
    }
    if (c == '$') {
      variable = true;
      continue;
    }
    if (Is(c, kWordEnd)) break;
  }
  const size_t end = std::min(i, size);

  // nginx checks the length once more when reading the byte after a
  // separator, which still counts as part of the word.
  size_t last_checked = end;
  if (end < size && Is(data[end], kSpace)) last_checked = end + 1;
  if (!CheckLength(first, last_checked, std::string_view::npos, 0)) {
    return false;
  }

  Word& word = words_.emplace_back();
  Decode(text_.substr(first, end - first), has_backslash, &word.value);
  word.span = MakeSpan(first, end);
  pos_ = end;
  return true;
}

// nginx refuses a token once it has read kBufferBytes bytes from the
// token's start without having moved on to the next token, unless the file
// ends there. `last_checked` is the offset of the last byte nginx reads
// before moving on. While the closing quote of a quoted word is unread,
// nginx suspects a missing quote instead.
bool Parser::CheckLength(size_t start, size_t last_checked,
                         size_t closing_quote, char quote) {
  const size_t limit = start + kBufferBytes;
  if (limit > last_checked || limit >= text_.size()) return true;

  if (quote != 0 && limit <= closing_quote) {
    std::string message = "too long parameter, probably missing terminating \"";
    message += quote;
    message += "\" character";
    return Fail(start - 1, std::move(message));
  }
  size_t word_start = quote != 0 ? start - 1 : start;
  return Fail(word_start, "too long parameter \"" +
                              std::string(text_.substr(start, 10)) +
                              "...\" started");
}

// Records the error at the byte at `offset` (or at the end of the file),
// and closes the blocks still open there so that `out` keeps what was read.
bool Parser::Fail(size_t offset, std::string message) {
  size_t end = std::min(offset + 1, text_.size());
  error_->where = Locate(MakeSpan(offset, end));
  error_->message = std::move(message);

  while (!open_.empty()) {
    Directive directive = std::move(open_.back());
    open_.pop_back();
    directive.span.end = static_cast<uint32_t>(offset);
    Level().push_back(std::move(directive));
  }
  words_.clear();
  return false;
}

void DumpWord(const Word& word, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";

  if (word.quoted) out->push_back('q');
  out->push_back('"');
  for (char c : word.value) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        continue;
      case '\\':
        out->append("\\\\");
        continue;
      case '\t':
        out->append("\\t");
        continue;
      case '\r':
        out->append("\\r");
        continue;
      case '\n':
        out->append("\\n");
        continue;
    }
    if (byte < 0x20 || byte >= 0x7f) {
      out->append("\\x");
      out->push_back(kHex[byte >> 4]);
      out->push_back(kHex[byte & 0xf]);
      continue;
    }
    out->push_back(c);
  }
  out->push_back('"');
}

// Parse caps the depth at kMaxNesting, so this recursion is shallow.
void DumpLevel(const std::vector<Directive>& directives, int depth,
               std::string* out) {
  for (const Directive& directive : directives) {
    out->append(2 * depth, ' ');
    for (size_t i = 0; i < directive.words.size(); ++i) {
      if (i > 0) out->push_back(' ');
      DumpWord(directive.words[i], out);
    }
    if (!directive.has_block) {
      out->append(";\n");
      continue;
    }
    out->append(" {\n");
    DumpLevel(directive.block, depth + 1, out);
  }
}

}  // namespace

bool Parse(const SourceFile& file, std::vector<Directive>* out,
           InputError* error) {
  Parser parser(file, out, error);
  return parser.Run();
}

std::string DumpSyntax(const std::vector<Directive>& directives) {
  std::string out;
  DumpLevel(directives, 0, &out);
  return out;
}

}  // namespace corslint::nginx
