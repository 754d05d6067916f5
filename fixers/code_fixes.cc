// Fixes for Express and Flask applications. The models keep the span of
// each option value, header statement and origin test that matters; the
// fixers read the literals at those spans again from the source text and
// rewrite only them, in the file's own quoting. An edit is offered only
// when the text at the span is a plain literal (or a call) of the expected
// shape: anything computed is left to the corrected snippet.
#include <algorithm>
#include <cctype>

#include "fixers/allowlist.h"
#include "fixers/fix_text.h"
#include "fixers/format_fixes.h"

namespace corslint {
namespace {

constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";
constexpr std::string_view kAllowCredentials =
    "Access-Control-Allow-Credentials";

// The syntax of the language a fixer writes in.
struct Language {
  bool python = false;
  char comment = '/';  // the character that opens a line comment
};

// A string literal of the source: offsets into its file's text.
struct Literal {
  size_t begin = 0;  // the prefix (`r`) or the opening quote
  size_t end = 0;    // past the closing quote
  char quote = 0;
  bool raw = false;      // a Python `r` string
  bool escapes = false;  // the content holds a backslash
  std::string_view content;
};

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// The string literals written between `begin` and `end` of `text`. False
// when the range holds a comment, a template or triple-quoted string, or an
// unterminated literal, which the fixers do not rewrite around.
bool ScanStrings(std::string_view text, size_t begin, size_t end,
                 const Language& language, std::vector<Literal>* out) {
  for (size_t i = begin; i < end; ++i) {
    char c = text[i];
    if (language.python && c == '#') return false;
    if (!language.python && c == '/' && i + 1 < end &&
        (text[i + 1] == '/' || text[i + 1] == '*')) {
      return false;
    }
    if (c == '`') return false;
    if (c != '"' && c != '\'') continue;
    if (language.python && i + 2 < end && text[i + 1] == c &&
        text[i + 2] == c) {
      return false;
    }
    Literal literal;
    literal.begin = i;
    literal.quote = c;
    if (language.python && i > 0 &&
        (text[i - 1] == 'r' || text[i - 1] == 'R')) {
      if (i < 2 || !IsIdentifierChar(text[i - 2])) {
        literal.begin = i - 1;
        literal.raw = true;
      } else {
        return false;
      }
    }
    size_t j = i + 1;
    while (j < end && text[j] != c && text[j] != '\n') {
      if (text[j] == '\\') {
        literal.escapes = true;
        ++j;
      }
      ++j;
    }
    if (j >= end || text[j] != c) return false;
    literal.end = j + 1;
    literal.content = text.substr(i + 1, j - i - 1);
    out->push_back(literal);
    i = j;
  }
  return true;
}

// The literal that starts at `span.begin` and ends at `span.end`, or
// nullopt.
std::optional<Literal> LiteralAt(const Span& span, const Language& language) {
  if (!span.valid()) return std::nullopt;
  std::vector<Literal> literals;
  std::string_view text = span.file->text();
  if (!ScanStrings(text, span.begin, span.end, language, &literals) ||
      literals.size() != 1 || literals[0].begin != span.begin ||
      literals[0].end != span.end) {
    return std::nullopt;
  }
  return literals[0];
}

// The quote the file mostly writes strings with.
char FileQuote(std::string_view text, const Language& language) {
  size_t single = std::count(text.begin(), text.end(), '\'');
  size_t double_quotes = std::count(text.begin(), text.end(), '"');
  if (single == double_quotes) return language.python ? '"' : '\'';
  return single > double_quotes ? '\'' : '"';
}

std::string Quoted(std::string_view value, char quote) {
  std::string out(1, quote);
  for (char c : value) {
    if (c == quote || c == '\\') out += '\\';
    out += c;
  }
  return out + quote;
}

// A regular expression written as a literal of the language: a JavaScript
// RegExp literal (every `/` escaped) with `flags`, or a Python raw string.
// Nullopt when the raw string cannot hold it.
std::optional<std::string> RegexLiteral(const std::string& regex,
                                        const Language& language, char quote,
                                        std::string_view flags) {
  if (language.python) {
    if (regex.find(quote) != std::string::npos || regex.ends_with("\\")) {
      return std::nullopt;
    }
    return "r" + std::string(1, quote) + regex + quote;
  }
  std::string out = "/";
  for (size_t i = 0; i < regex.size(); ++i) {
    if (regex[i] == '/' && (i == 0 || regex[i - 1] != '\\')) out += '\\';
    out += regex[i];
  }
  return out + "/" + std::string(flags);
}

// A list of `entries` (exact origins and `https://*.` ones) that the
// library compares whole: exact ones as strings, the others as anchored
// patterns. Nullopt when a pattern cannot be written.
std::optional<std::string> OriginList(const std::vector<std::string>& entries,
                                      const Language& language, char quote) {
  std::string out = "[";
  for (const std::string& entry : entries) {
    if (out.size() > 1) out += ", ";
    if (entry.find('*') == std::string::npos) {
      out += Quoted(entry, quote);
      continue;
    }
    std::string regex = AllowlistRegex({entry});
    if (!AllowlistRegexHolds(regex, language.python, {entry})) {
      return std::nullopt;
    }
    std::optional<std::string> literal =
        RegexLiteral(regex, language, quote, "");
    if (!literal) return std::nullopt;
    out += *literal;
  }
  return out + "]";
}

// An edit that takes the literal out of the list it is an item of, with
// the separator before it (or after it, for the first item). Nullopt when
// the literal is not an item of a bracketed list or is its only item.
std::optional<Edit> RemoveListItem(const SourceFile* file,
                                   const Literal& literal) {
  std::string_view text = file->text();
  auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  size_t before = literal.begin;
  while (before > 0 && blank(text[before - 1])) --before;
  size_t after = literal.end;
  while (after < text.size() && blank(text[after])) ++after;
  if (before == 0 || after >= text.size()) return std::nullopt;
  char open = text[before - 1];
  char close = text[after];
  if (open == ',') return Edit{SpanOf(file, before - 1, literal.end), ""};
  if (open != '[' || close != ',') return std::nullopt;

  // The first item: up to the next item, which must exist. Alone on its
  // line, the line goes.
  size_t next = after + 1;
  std::optional<std::string> indent = IndentBefore(text, literal.begin);
  size_t line_end = text.find('\n', after);
  bool rest_blank = line_end != std::string_view::npos;
  for (size_t i = after + 1; rest_blank && i < line_end; ++i) {
    rest_blank = text[i] == ' ' || text[i] == '\t' || text[i] == '\r';
  }
  if (indent && rest_blank) {
    size_t following = line_end + 1;
    while (following < text.size() && blank(text[following])) ++following;
    if (following >= text.size() || text[following] == ']') {
      return std::nullopt;
    }
    return Edit{SpanOf(file, literal.begin - indent->size(), line_end + 1), ""};
  }
  while (next < text.size() && blank(text[next])) ++next;
  if (next >= text.size() || text[next] == ']') return std::nullopt;
  size_t line_break = text.find('\n', after);
  if (line_break != std::string_view::npos && line_break < next) {
    next = after + 1;  // the next item on its own line keeps its indent
    while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) {
      ++next;
    }
  }
  return Edit{SpanOf(file, literal.begin, next), ""};
}

bool SameSpan(const Span& a, const Span& b) {
  return a.file == b.file && a.begin == b.begin && a.end == b.end;
}

// The statement `span` with a `;` that directly follows it.
Span WithSemicolon(const Span& span) {
  std::string_view text = span.file->text();
  if (span.end < text.size() && text[span.end] == ';') {
    return SpanOf(span.file, span.begin, span.end + 1);
  }
  return span;
}

// The identifier a header statement is called on (`res` of
// `res.header(...)`, `response` of `response.headers[...] = ...`), or
// empty.
std::string Receiver(const Span& span) {
  std::string_view text = span.text();
  size_t dot = text.find('.');
  if (dot == 0 || dot == std::string_view::npos) return "";
  std::string_view name = text.substr(0, dot);
  if (!std::all_of(name.begin(), name.end(), IsIdentifierChar)) return "";
  return std::string(name);
}

// Whether the value at `span` is written right after `name:` (a property
// of an object literal, the options of `cors`) or `name=` (a keyword
// argument), not elsewhere, such as in a constant that other code may use
// too or passed to a callback.
bool WrittenAsOption(const Span& span, std::string_view name) {
  std::string_view before = span.file->text().substr(0, span.begin);
  auto trim = [&] {
    while (!before.empty() && (before.back() == ' ' || before.back() == '\t')) {
      before.remove_suffix(1);
    }
  };
  trim();
  if (!before.ends_with(":") && !before.ends_with("=")) return false;
  before.remove_suffix(1);
  trim();
  if (!before.ends_with(name)) return false;
  before.remove_suffix(name.size());
  return before.empty() || !IsIdentifierChar(before.back());
}

// The literals of a header statement whose first is the header's name
// `name`; empty when the statement is not one.
std::vector<Literal> HeaderStatement(const Span& span, std::string_view name,
                                     const Language& language) {
  std::vector<Literal> literals;
  if (!span.valid() ||
      !ScanStrings(span.file->text(), span.begin, span.end, language,
                   &literals) ||
      literals.empty() || literals[0].escapes ||
      !EqualsIgnoreCase(literals[0].content, name)) {
    return {};
  }
  return literals;
}

class CodeFixer {
 public:
  CodeFixer(const FixContext& context, const Language& language,
            std::vector<Finding>* findings)
      : context_(context),
        language_(language),
        findings_(*findings),
        document_(context.analysis.document()) {}

  void Run() {
    bool risky = AdmitsUnintendedOrigins(findings_);
    for (Finding& finding : findings_) {
      const std::string& rule = finding.rule;
      if (rule == "invalid-credentials-value") {
        FixCredentialsValue(risky, &finding);
      } else if (rule == "max-age-exceeds-browser-limit") {
        FixMaxAge(&finding);
      } else if (rule == "missing-vary-origin") {
        FixMissingVary(&finding);
      } else if (rule == "permissive-origin-pattern") {
        FixPattern(Mend::kAnchor, "anchor and escape the pattern", &finding);
      } else if (rule == "null-origin-allowed") {
        FixOrigin(Mend::kDropNull, "remove `null`", &finding);
      } else if (rule == "insecure-origin-allowed") {
        FixOrigin(Mend::kDropInsecure, "remove the `http://` origin", &finding);
      } else if (rule == "untrusted-origin-allowed") {
        FixUntrusted(&finding);
      } else if (rule == "reflected-origin") {
        FixAnyOrigin(&finding);
      } else if (rule == "stateful-origin-regex") {
        FixStatefulRegex(&finding);
      } else if (rule == "wildcard-ignored-with-credentials") {
        FixIgnoredWildcard(&finding);
      } else if (rule == "duplicate-cors-header") {
        FixDuplicate(&finding);
      }
    }
  }

 private:
  char Quote() const {
    return FileQuote(document_.files.front()->text(), language_);
  }

  void Offer(Finding* finding, FixSafety safety, std::string description,
             std::vector<Edit> edits) {
    finding->fixes.push_back(
        MakeFix(safety, std::move(description), std::move(edits)));
  }

  // invalid-credentials-value: `True`, `'True'` or Python's `True`
  // written where the string `true` belongs.
  void FixCredentialsValue(bool risky, Finding* finding) {
    std::vector<Literal> literals =
        HeaderStatement(finding->span, kAllowCredentials, language_);
    if (literals.empty()) return;
    const SourceFile* file = finding->span.file;
    std::optional<Edit> edit;
    if (literals.size() == 2 && !literals[1].escapes &&
        EqualsIgnoreCase(literals[1].content, "true") &&
        literals[1].content != "true") {
      size_t quote = literals[1].end - literals[1].content.size() - 1;
      edit = Edit{SpanOf(file, quote, literals[1].end - 1), "true"};
    } else if (literals.size() == 1 && language_.python) {
      // `headers["..."] = True` or `{"...": True}`: Werkzeug writes `True`.
      std::string_view text = file->text();
      size_t at = literals[0].end;
      while (at < finding->span.end &&
             std::string_view(" \t]=:").find(text[at]) !=
                 std::string_view::npos) {
        ++at;
      }
      std::string_view rest = text.substr(
          at, std::min<size_t>(finding->span.end, text.size()) - at);
      if (rest != "True") return;
      edit = Edit{SpanOf(file, at, at + 4), Quoted("true", literals[0].quote)};
    }
    if (!edit) return;
    Offer(finding, risky ? FixSafety::kUnsafe : FixSafety::kSafe,
          "write the string `true`", {*edit});
  }

  // max-age-exceeds-browser-limit: a whole number above the limit, as a
  // number, a string of digits or a `timedelta`.
  void FixMaxAge(Finding* finding) {
    const Span& span = finding->span;
    if (!span.valid()) return;
    int limit = context_.options.max_age_limit;
    std::string limit_text = std::to_string(limit);
    auto above = [&](std::string_view digits) {
      return !digits.empty() && digits.size() <= 18 &&
             digits.find_first_not_of("0123456789") == std::string_view::npos &&
             std::stoll(std::string(digits)) > limit;
    };
    std::string_view text = span.text();
    std::optional<Edit> edit;
    bool option =
        WrittenAsOption(span, language_.python ? "max_age" : "maxAge");
    if (above(text) && option) {
      edit = Edit{span, limit_text};
    } else if (text.starts_with("timedelta(") && text.ends_with(")") &&
               option && text.find('\n') == std::string_view::npos) {
      edit = Edit{span, "timedelta(seconds=" + limit_text + ")"};
    } else {
      std::vector<Literal> literals;
      if (!ScanStrings(span.file->text(), span.begin, span.end, language_,
                       &literals) ||
          literals.empty() || !above(literals.back().content)) {
        return;
      }
      // The value literal alone, or the last literal of a header statement.
      bool alone = literals.size() == 1 && literals[0].begin == span.begin &&
                   literals[0].end == span.end && option;
      if (!alone &&
          HeaderStatement(span, "Access-Control-Max-Age", language_).size() !=
              2) {
        return;
      }
      const Literal& value = literals.back();
      edit = Edit{SpanOf(span.file, value.end - 1 - value.content.size(),
                         value.end - 1),
                  limit_text};
    }
    Offer(finding, FixSafety::kSafe, "lower it to " + limit_text, {*edit});
  }

  // missing-vary-origin: a header statement of hand-written code gets a
  // `Vary: Origin` beside it; flask-cors's `vary_header=False` is turned
  // back on.
  void FixMissingVary(Finding* finding) {
    const Span& span = finding->span;
    if (!span.valid()) return;
    std::string_view file_text = span.file->text();
    std::vector<Literal> literals =
        HeaderStatement(span, kAllowOrigin, language_);
    std::string receiver = Receiver(span);
    char quote = Quote();
    if (!literals.empty() && !receiver.empty()) {
      std::string line;
      Span statement = span;
      if (language_.python) {
        if (span.text().find(".headers") == std::string_view::npos) return;
        line = receiver + ".headers.add(" + Quoted("Vary", quote) + ", " +
               Quoted("Origin", quote) + ")";
      } else {
        statement = WithSemicolon(span);
        line = receiver + ".vary(" + Quoted("Origin", quote) + ")" +
               (statement.end != span.end ? ";" : "");
      }
      Offer(finding, FixSafety::kSafe, "add `" + line + "`",
            {InsertLineAfter(statement, line, language_.comment)});
      return;
    }
    if (!language_.python) return;
    constexpr std::string_view kOff = "vary_header=False";
    size_t at = file_text.find(kOff);
    if (at == std::string_view::npos ||
        file_text.find(kOff, at + 1) != std::string_view::npos) {
      return;
    }
    size_t value = at + kOff.size() - 5;
    Offer(finding, FixSafety::kSafe, "set `vary_header=True`",
          {Edit{SpanOf(span.file, value, value + 5), "True"}});
  }

  // A regular expression check rewritten to admit exactly the origins it
  // is meant to (or those of them the project trusts).
  std::optional<Edit> RewritePattern(const OriginCheck& check, Mend mend,
                                     const Span& span) {
    if (check.kind != OriginCheckKind::kRegex || check.negated) {
      return std::nullopt;
    }
    std::vector<std::string> entries =
        MendedOrigins(check, mend, context_.options.trusted_origins);
    if (entries.empty()) return std::nullopt;
    std::string regex = AllowlistRegex(entries);
    if (!AllowlistRegexHolds(regex, check.case_insensitive, entries)) {
      return std::nullopt;
    }
    std::string_view text = span.text();
    if (language_.python) {
      std::optional<Literal> literal = LiteralAt(span, language_);
      if (!literal) return std::nullopt;
      std::optional<std::string> written =
          RegexLiteral(regex, language_, literal->quote, "");
      if (!written) return std::nullopt;
      return Edit{span, *written};
    }
    size_t close = text.rfind('/');
    if (!text.starts_with("/") || close == 0 || close == std::string::npos) {
      return std::nullopt;
    }
    std::string_view flags = text.substr(close + 1);
    if (!std::all_of(flags.begin(), flags.end(), [](char c) {
          return std::isalpha(static_cast<unsigned char>(c));
        })) {
      return std::nullopt;
    }
    return Edit{span, *RegexLiteral(regex, language_, '\'', flags)};
  }

  void FixPattern(Mend mend, std::string description, Finding* finding) {
    const OriginCheck* check = CheckAt(document_, finding->span);
    if (check == nullptr) return;
    std::optional<Edit> edit = RewritePattern(*check, mend, finding->span);
    if (!edit) return;
    Offer(finding, FixSafety::kUnsafe, std::move(description), {*edit});
  }

  // null-origin-allowed, insecure-origin-allowed: the origin out of its
  // list, or the pattern rewritten without it.
  void FixOrigin(Mend mend, std::string description, Finding* finding) {
    const OriginCheck* check = CheckAt(document_, finding->span);
    if (check == nullptr) return;
    if (check->kind == OriginCheckKind::kRegex) {
      FixPattern(mend, std::move(description), finding);
      return;
    }
    RemoveItem(*check, std::move(description), finding);
  }

  void RemoveItem(const OriginCheck& check, std::string description,
                  Finding* finding) {
    if (check.kind != OriginCheckKind::kExact) return;
    std::optional<Literal> literal = LiteralAt(finding->span, language_);
    if (!literal) return;
    std::optional<Edit> edit = RemoveListItem(finding->span.file, *literal);
    if (!edit) return;
    Offer(finding, FixSafety::kUnsafe, std::move(description), {*edit});
  }

  // untrusted-origin-allowed: the untrusted origin out of its list, the
  // pattern narrowed to the trusted origins, or `*` replaced by them.
  void FixUntrusted(Finding* finding) {
    const OriginCheck* check = CheckAt(document_, finding->span);
    if (check != nullptr && check->kind == OriginCheckKind::kRegex) {
      FixPattern(Mend::kAnchor, "only the trusted origins in the pattern",
                 finding);
      return;
    }
    if (check != nullptr && check->kind == OriginCheckKind::kExact) {
      RemoveItem(*check, "remove the untrusted origin", finding);
      return;
    }
    FixAnyOrigin(finding);
  }

  // reflected-origin and untrusted-origin-allowed for `origin: true`,
  // `cors()`, flask-cors's default origins: the exact trusted origins
  // instead.
  void FixAnyOrigin(Finding* finding) {
    const std::vector<std::string>& trusted = context_.options.trusted_origins;
    const Span& span = finding->span;
    if (trusted.empty() || !span.valid()) return;
    char quote = Quote();
    std::optional<std::string> list = OriginList(trusted, language_, quote);
    if (!list) return;
    std::string_view text = span.text();
    std::string description = "allow only the trusted origins";

    if (!language_.python) {
      if (text == "true" && WrittenAsOption(span, "origin")) {
        Offer(finding, FixSafety::kUnsafe, description, {Edit{span, *list}});
      } else if (text == "cors()") {
        Offer(finding, FixSafety::kUnsafe, description,
              {Edit{SpanOf(span.file, span.end - 1, span.end - 1),
                    "{ origin: " + *list + " }"}});
      }
      return;
    }

    // `CORS(app, ...)` or `cross_origin(...)` without origins of its own.
    bool call =
        (text.starts_with("CORS(") || text.starts_with("cross_origin(")) &&
        text.ends_with(")");
    if (!call || text.find("origins") != std::string_view::npos ||
        text.find("resources") != std::string_view::npos ||
        text.find("**") != std::string_view::npos) {
      return;
    }
    std::vector<Literal> literals;
    if (!ScanStrings(span.file->text(), span.begin, span.end, language_,
                     &literals)) {
      return;
    }
    size_t close = span.end - 1;
    size_t last = close;
    std::string_view file_text = span.file->text();
    while (last > span.begin &&
           std::isspace(static_cast<unsigned char>(file_text[last - 1]))) {
      --last;
    }
    std::string argument = "origins=" + *list;
    std::string insert;
    if (file_text[last - 1] == '(') {
      insert = argument;
    } else if (file_text[last - 1] == ',') {
      insert = " " + argument;
    } else {
      insert = ", " + argument;
    }
    Offer(finding, FixSafety::kUnsafe, description,
          {Edit{SpanOf(span.file, last, last), insert}});
  }

  // stateful-origin-regex: the RegExp literal without `g` and `y`, so that
  // `test` starts at the beginning on every request. The origins it admits
  // stay the same; only the alternation goes. Not offered when the file
  // uses what needs the flags (`matchAll`, `replaceAll`, `lastIndex`,
  // `exec` loops).
  void FixStatefulRegex(Finding* finding) {
    const Span& span = finding->span;
    if (!span.valid() || language_.python) return;
    std::string_view file_text = span.file->text();
    for (std::string_view use : {"matchAll", "replaceAll", "lastIndex",
                                 ".exec(", ".match(", "split("}) {
      if (file_text.find(use) != std::string_view::npos) return;
    }
    std::string_view text = span.text();
    size_t close = text.rfind('/');
    if (!text.starts_with("/") || close == 0 || close == std::string::npos) {
      return;
    }
    std::string flags(text.substr(close + 1));
    if (flags.empty() || !std::all_of(flags.begin(), flags.end(), [](char c) {
          return std::isalpha(static_cast<unsigned char>(c));
        })) {
      return;
    }
    std::string kept;
    for (char c : flags) {
      if (c != 'g' && c != 'y') kept += c;
    }
    if (kept == flags) return;
    Offer(finding, FixSafety::kSafe, "remove the `g` and `y` flags",
          {Edit{SpanOf(span.file, span.begin + close + 1, span.end), kept}});
  }

  // wildcard-ignored-with-credentials: the `*` out of a list beside other
  // names; an exposed-headers `*` alone becomes an empty list, which sends
  // no header and exposes exactly what the ignored `*` did.
  void FixIgnoredWildcard(Finding* finding) {
    const Span& span = finding->span;
    if (!span.valid()) return;
    std::string_view file_text = span.file->text();
    bool expose = WrittenAsOption(span, "exposedHeaders") ||
                  WrittenAsOption(span, "expose_headers");
    if (!expose && !WrittenAsOption(span, "allowedHeaders") &&
        !WrittenAsOption(span, "allow_headers") &&
        !WrittenAsOption(span, "methods")) {
      return;
    }
    std::vector<Literal> literals;
    if (!ScanStrings(file_text, span.begin, span.end, language_, &literals) ||
        literals.empty()) {
      return;
    }
    std::string_view text = span.text();
    bool list = text.starts_with("[") && text.ends_with("]");
    bool single =
        literals.size() == 1 && (list || (literals[0].begin == span.begin &&
                                          literals[0].end == span.end));
    if (!single && !list) return;

    // One string: `'*'` alone, or `'GET, *'`.
    if (literals.size() == 1 && !literals[0].escapes) {
      std::string_view content = literals[0].content;
      if (Trim(std::string(content)) == "*") {
        if (!expose) return;
        Offer(finding, FixSafety::kSafe, "expose nothing instead of `*`",
              {Edit{span, "[]"}});
        return;
      }
      if (list) return;
      std::optional<std::string> rest = RemoveStarItem(content);
      if (!rest) return;
      size_t open = literals[0].end - 1 - content.size();
      Offer(finding, FixSafety::kSafe, "remove the `*`",
            {Edit{SpanOf(span.file, open, literals[0].end - 1), *rest}});
      return;
    }

    // A list with `'*'` among other names.
    for (const Literal& literal : literals) {
      if (literal.content != "*") continue;
      std::optional<Edit> edit = RemoveListItem(span.file, literal);
      if (!edit) return;
      Offer(finding, FixSafety::kSafe, "remove the `*`", {*edit});
      return;
    }
  }

  // duplicate-cors-header: a hand-written statement that adds again the
  // value the library already sends goes; the response then carries the
  // header once, with the same value.
  void FixDuplicate(Finding* finding) {
    if (!finding->demonstration || finding->notes.empty()) return;
    const Response& response = finding->demonstration->response;
    const ResponseHeader* repeated = nullptr;
    const ResponseHeader* first = nullptr;
    for (const ResponseHeader& header : response.headers) {
      if (SameSpan(header.span, finding->span)) repeated = &header;
      if (SameSpan(header.span, finding->notes.front().span)) first = &header;
    }
    if (repeated == nullptr || first == nullptr || !repeated->value_known ||
        !first->value_known || repeated->value != first->value ||
        !EqualsIgnoreCase(repeated->name, first->name)) {
      return;
    }
    if (HeaderStatement(finding->span, repeated->name, language_).size() != 2 ||
        Receiver(finding->span).empty()) {
      return;
    }

    // Every probed response the statement adds to must get the same value
    // from elsewhere too, or removing it would take the header away there;
    // responses that allow no origin do not count, as browsers read none
    // of their CORS headers.
    for (const Observation& observation : context_.analysis.observations()) {
      const Response& other = observation.response;
      bool adds = false, kept = false, allowed = false;
      for (const ResponseHeader& header : other.headers) {
        bool own = SameSpan(header.span, finding->span);
        if (!own && EqualsIgnoreCase(header.name, kAllowOrigin)) {
          allowed = true;
        }
        if (!EqualsIgnoreCase(header.name, repeated->name)) continue;
        if (own) {
          adds = true;
        } else if (header.value_known && header.value == repeated->value) {
          kept = true;
        }
      }
      if (adds && !kept && allowed) return;
    }

    Span statement =
        language_.python ? finding->span : WithSemicolon(finding->span);
    std::string_view text = statement.file->text();
    if (!IndentBefore(text, statement.begin) ||
        !RestOfLineBlank(text, statement.end, language_.comment)) {
      return;
    }
    Offer(finding, FixSafety::kSafe,
          "remove the second `" + repeated->name + "`",
          {RemoveConstruct(statement, language_.comment)});
  }

  const FixContext& context_;
  Language language_;
  std::vector<Finding>& findings_;
  const Document& document_;
};

}  // namespace

void AddExpressFixes(const FixContext& context,
                     std::vector<Finding>* findings) {
  CodeFixer(context, Language{false, '/'}, findings).Run();
}

void AddFlaskFixes(const FixContext& context, std::vector<Finding>* findings) {
  CodeFixer(context, Language{true, '#'}, findings).Run();
}

}  // namespace corslint
