// Fixes for Apache httpd configurations and .htaccess files. The model
// keeps the span of each Header directive; the fixers read the files
// again to see its words and its place.
#include <map>
#include <tuple>

#include "fixers/allowlist.h"
#include "fixers/fix_text.h"
#include "fixers/format_fixes.h"
#include "parsers/apache_syntax.h"

namespace corslint {
namespace {

using apache::Directive;
using apache::Word;

constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";
constexpr std::string_view kAllowCredentials =
    "Access-Control-Allow-Credentials";
constexpr std::string_view kMaxAge = "Access-Control-Max-Age";

// The files of one document read again as syntax, each on first use, and
// their directives found by span.
class Syntax {
 public:
  // The directive whose logical line is `span`; null when there is none
  // or the file does not parse.
  const Directive* Find(const Span& span) {
    if (!span.valid()) return nullptr;
    Load(span.file);
    auto it = by_span_.find({span.file, span.begin, span.end});
    return it == by_span_.end() ? nullptr : it->second;
  }
  // The directive with an argument whose span is `span`, and which one.
  const Directive* ArgumentOwner(const Span& span, size_t* index) {
    if (!span.valid()) return nullptr;
    Load(span.file);
    auto it = by_word_.find({span.file, span.begin, span.end});
    if (it == by_word_.end()) return nullptr;
    *index = it->second.second;
    return it->second.first;
  }

 private:
  using Key = std::tuple<const SourceFile*, uint32_t, uint32_t>;

  void Load(const SourceFile* file) {
    auto [it, inserted] = files_.try_emplace(file);
    if (!inserted) return;
    InputError error;
    // A file that does not parse gets no fixes: its spans may not match.
    if (!apache::Parse(*file, &it->second, &error)) {
      it->second.clear();
      return;
    }
    Index(it->second, file);
  }

  void Index(const std::vector<Directive>& directives, const SourceFile* file) {
    for (const Directive& directive : directives) {
      by_span_[{file, directive.span.begin, directive.span.end}] = &directive;
      for (size_t i = 0; i < directive.args.size(); ++i) {
        const Span& word = directive.args[i].span;
        by_word_[{file, word.begin, word.end}] = {&directive, i};
      }
      if (directive.is_section) Index(directive.body, file);
    }
  }

  std::map<const SourceFile*, std::vector<Directive>> files_;
  std::map<Key, const Directive*> by_span_;
  std::map<Key, std::pair<const Directive*, size_t>> by_word_;
};

// `Header [always|onsuccess] ACTION NAME [VALUE] [CONDITION]`, by word.
struct HeaderLine {
  const Directive* directive = nullptr;
  const Word* table = nullptr;  // null: the default, onsuccess
  const Word* action = nullptr;
  const Word* name = nullptr;
  const Word* value = nullptr;  // null for unset
};

std::optional<HeaderLine> ReadHeader(Syntax& syntax, const Span& span) {
  const Directive* directive = syntax.Find(span);
  if (directive == nullptr || directive->is_section ||
      !directive->Is("Header")) {
    return std::nullopt;
  }
  const std::vector<Word>& args = directive->args;
  HeaderLine line;
  line.directive = directive;
  size_t at = 0;
  if (!args.empty() && (EqualsIgnoreCase(args[0].value, "always") ||
                        EqualsIgnoreCase(args[0].value, "onsuccess"))) {
    line.table = &args[0];
    at = 1;
  }
  if (args.size() < at + 2) return std::nullopt;
  line.action = &args[at];
  line.name = &args[at + 1];
  if (args.size() > at + 2) line.value = &args[at + 2];
  return line;
}

// A `Header ... set NAME VALUE` line for `name` with a literal value.
std::optional<HeaderLine> SetHeader(Syntax& syntax, const Span& span,
                                    std::string_view name) {
  std::optional<HeaderLine> line = ReadHeader(syntax, span);
  if (!line || !EqualsIgnoreCase(line->action->value, "set") ||
      !EqualsIgnoreCase(line->name->value, name) || line->value == nullptr) {
    return std::nullopt;
  }
  // `%{...}` formats are expanded by mod_headers.
  if (line->value->value.find('%') != std::string::npos) return std::nullopt;
  return line;
}

bool InAlwaysTable(const HeaderLine& line) {
  return line.table != nullptr && EqualsIgnoreCase(line.table->value, "always");
}

std::string QuoteOf(const Word& word) {
  if (!word.quoted) return "";
  return std::string(1, word.span.text().front());
}

// cors-headers-missing-on-errors: the onsuccess table is left out of error
// responses; the always table is not. A proxied response is left alone:
// there the always table adds to the backend's own header instead of
// replacing it.
void FixMissingOnErrors(Syntax& syntax, Finding* finding) {
  if (finding->demonstration &&
      finding->demonstration->response.responder == Responder::kUpstream) {
    return;
  }
  std::optional<HeaderLine> line = ReadHeader(syntax, finding->span);
  if (!line || InAlwaysTable(*line)) return;
  Edit edit;
  if (line->table != nullptr) {
    edit = Edit{line->table->span, "always"};
  } else {
    Span at = line->action->span;
    edit = Edit{SpanOf(at.file, at.begin, at.begin), "always "};
  }
  finding->fixes.push_back(MakeFix(
      FixSafety::kSafe, "move the header to the `always` table", {edit}));
}

// missing-vary-origin: `Header always merge Vary Origin` beside the
// origin-dependent header; `merge` leaves a Vary that already lists
// Origin alone.
void FixMissingVary(Syntax& syntax, Finding* finding) {
  std::optional<HeaderLine> line = ReadHeader(syntax, finding->span);
  if (!line || line->value == nullptr ||
      !EqualsIgnoreCase(line->name->value, kAllowOrigin)) {
    return;
  }
  std::string quote = QuoteOf(*line->value);
  std::string text = "Header always merge Vary " + quote + "Origin" + quote;
  finding->fixes.push_back(
      MakeFix(FixSafety::kSafe, "add `" + text + "`",
              {InsertLineAfter(line->directive->span, text, 0)}));
}

// invalid-credentials-value: `True` written in another case.
void FixCredentialsValue(Syntax& syntax, bool risky, Finding* finding) {
  std::optional<HeaderLine> line =
      SetHeader(syntax, finding->span, kAllowCredentials);
  if (!line) return;
  const std::string& value = line->value->value;
  if (!EqualsIgnoreCase(Trim(value), "true") || value == "true") return;
  std::optional<Edit> edit =
      ReplaceWordContent(line->value->span, line->value->quoted, value, "true");
  if (!edit) return;
  Fix fix = MakeFix(FixSafety::kSafe, "write `true` in lower case", {*edit});
  if (risky) fix.safety = FixSafety::kUnsafe;
  finding->fixes.push_back(std::move(fix));
}

// max-age-exceeds-browser-limit: a number above the limit.
void FixMaxAge(Syntax& syntax, int limit, Finding* finding) {
  std::optional<HeaderLine> line = SetHeader(syntax, finding->span, kMaxAge);
  if (!line) return;
  const std::string& value = line->value->value;
  std::string number(Trim(value));
  bool digits = !number.empty() && number.size() <= 18 &&
                number.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoll(number) <= limit) return;
  std::optional<Edit> edit = ReplaceWordContent(
      line->value->span, line->value->quoted, value, std::to_string(limit));
  if (!edit) return;
  finding->fixes.push_back(MakeFix(
      FixSafety::kSafe, "lower it to " + std::to_string(limit), {*edit}));
}

// wildcard-ignored-with-credentials: `*` beside other names.
void FixIgnoredWildcard(Syntax& syntax, Finding* finding) {
  std::optional<HeaderLine> line = ReadHeader(syntax, finding->span);
  if (!line || line->value == nullptr ||
      !EqualsIgnoreCase(line->action->value, "set") ||
      line->value->value.find('%') != std::string::npos) {
    return;
  }
  std::optional<std::string> rest = RemoveStarItem(line->value->value);
  if (!rest) return;
  std::optional<Edit> edit = ReplaceWordContent(
      line->value->span, line->value->quoted, line->value->value, *rest);
  if (!edit) return;
  finding->fixes.push_back(
      MakeFix(FixSafety::kSafe, "remove the `*`", {*edit}));
}

// duplicate-cors-header, upstream case: the always table adds to the
// backend's header; unsetting it in the onsuccess table removes the
// backend's copy and keeps the configuration's.
void FixUpstreamDuplicate(Syntax& syntax, Finding* finding) {
  if (!finding->demonstration) return;
  const Response& response = finding->demonstration->response;
  if (response.responder != Responder::kUpstream ||
      response.Find(kAllowOrigin).size() != 1 ||
      !response.UpstreamMaySend(kAllowOrigin)) {
    return;
  }
  std::optional<HeaderLine> line = ReadHeader(syntax, finding->span);
  if (!line || !InAlwaysTable(*line) ||
      !EqualsIgnoreCase(line->name->value, kAllowOrigin)) {
    return;
  }
  std::string text = "Header onsuccess unset " + line->name->value;
  finding->fixes.push_back(
      MakeFix(FixSafety::kSafe, "hide the backend's header with `" + text + "`",
              {InsertLineBefore(line->directive->span, text)}));
}

// A SetEnvIf (or SetEnvIfNoCase) pattern on Origin, regex or literal,
// rewritten to admit exactly `entries`. Refused when a variable it sets
// takes a capture (`$1`), which the new pattern would renumber.
std::optional<Edit> RewritePattern(Syntax& syntax, const OriginCheck& check,
                                   const std::vector<std::string>& entries) {
  if ((check.kind != OriginCheckKind::kRegex &&
       check.kind != OriginCheckKind::kSubstring) ||
      entries.empty()) {
    return std::nullopt;
  }
  size_t index = 0;
  const Directive* directive = syntax.ArgumentOwner(check.span, &index);
  if (directive == nullptr || index != 1 ||
      !(directive->Is("SetEnvIf") || directive->Is("SetEnvIfNoCase"))) {
    return std::nullopt;
  }
  for (size_t i = 2; i < directive->args.size(); ++i) {
    if (UsesCaptures(directive->args[i].value)) return std::nullopt;
  }
  std::string regex = AllowlistRegex(entries);
  if (!AllowlistRegexHolds(regex, check.case_insensitive, entries)) {
    return std::nullopt;
  }
  const Word& word = directive->args[1];
  std::string quote = QuoteOf(word);
  if (quote.empty()) quote = "\"";
  return Edit{word.span, quote + regex + quote};
}

// An allowed origin that echoes the request (`expr=%{req:Origin}`) or
// admits every origin (`*`), replaced by a SetEnvIf allowlist of the
// trusted origins whose match the header sends, with `Vary: Origin` when
// `response` (the finding's) has none.
std::optional<Fix> AllowlistEnv(Syntax& syntax, const Document& document,
                                const Span& header_span,
                                const std::vector<std::string>& trusted,
                                const Response* response) {
  if (trusted.empty()) return std::nullopt;
  std::optional<HeaderLine> line = ReadHeader(syntax, header_span);
  if (!line || line->value == nullptr ||
      !EqualsIgnoreCase(line->name->value, kAllowOrigin) ||
      !EqualsIgnoreCase(line->action->value, "set")) {
    return std::nullopt;
  }
  const std::string& value = line->value->value;
  bool echo = EqualsIgnoreCase(value, "expr=%{req:Origin}") ||
              EqualsIgnoreCase(value, "expr=%{HTTP:Origin}");
  if (!echo && Trim(value) != "*") return std::nullopt;
  // A condition of its own would have to be combined with the new one.
  const std::vector<Word>& args = line->directive->args;
  if (&args.back() != line->value) return std::nullopt;
  std::string regex = AllowlistRegex(trusted);
  if (!AllowlistRegexHolds(regex, false, trusted)) return std::nullopt;

  std::string variable = UnusedName(document, "CORS_ALLOWED_ORIGIN");
  std::string set_env = "SetEnvIf Origin \"" + regex + "\" " + variable + "=$0";
  std::string quote = QuoteOf(*line->value);
  std::vector<Edit> edits = {
      InsertLineBefore(line->directive->span, set_env),
      Edit{line->value->span,
           quote + "%{" + variable + "}e" + quote + " env=" + variable}};
  if (response == nullptr || !VariesOnOrigin(*response)) {
    std::string vary = "Header always merge Vary " + quote + "Origin" + quote;
    edits.push_back(InsertLineAfter(line->directive->span, vary, 0));
  }
  return MakeFix(FixSafety::kUnsafe,
                 "send only the trusted origins, matched by `" + set_env + "`",
                 std::move(edits));
}

// permissive-origin-pattern: the pattern anchored and escaped, admitting
// only the origins it seems meant to admit.
void FixPermissivePattern(Syntax& syntax, const Document& document,
                          const RuleOptions& options, Finding* finding) {
  const OriginCheck* check = CheckAt(document, finding->span);
  if (check == nullptr) return;
  std::vector<std::string> entries =
      MendedOrigins(*check, Mend::kAnchor, options.trusted_origins);
  std::optional<Edit> edit = RewritePattern(syntax, *check, entries);
  if (!edit) return;
  finding->fixes.push_back(MakeFix(
      FixSafety::kUnsafe,
      "match whole origins: `" + AllowlistRegex(entries) + "`", {*edit}));
}

// null-origin-allowed and insecure-origin-allowed: the pattern rewritten
// without the origin.
void FixDropOrigin(Syntax& syntax, const Document& document, Mend mend,
                   Finding* finding) {
  const OriginCheck* check = CheckAt(document, finding->span);
  if (check == nullptr) return;
  std::vector<std::string> entries = MendedOrigins(*check, mend, {});
  std::optional<Edit> edit = RewritePattern(syntax, *check, entries);
  if (!edit) return;
  std::string what =
      mend == Mend::kDropNull ? "`null`" : "the `http://` origin";
  finding->fixes.push_back(MakeFix(
      FixSafety::kUnsafe,
      "remove " + what + ": `" + AllowlistRegex(entries) + "`", {*edit}));
}

// reflected-origin and untrusted-origin-allowed: an allowlist of the
// trusted origins; offered only when `trusted-origins` is configured.
void FixWithTrusted(Syntax& syntax, const Document& document,
                    const RuleOptions& options, Finding* finding) {
  const OriginCheck* check = CheckAt(document, finding->span);
  if (check != nullptr) {
    std::vector<std::string> entries =
        MendedOrigins(*check, Mend::kAnchor, options.trusted_origins);
    std::optional<Edit> edit = RewritePattern(syntax, *check, entries);
    if (!edit) return;
    finding->fixes.push_back(MakeFix(
        FixSafety::kUnsafe,
        "admit only the trusted origins: `" + AllowlistRegex(entries) + "`",
        {*edit}));
    return;
  }
  std::optional<Fix> fix = AllowlistEnv(
      syntax, document, finding->span, options.trusted_origins,
      finding->demonstration ? &finding->demonstration->response : nullptr);
  if (fix) finding->fixes.push_back(std::move(*fix));
}

}  // namespace

void AddApacheFixes(const FixContext& context, std::vector<Finding>* findings) {
  Syntax syntax;
  const Document& document = context.analysis.document();
  bool risky = AdmitsUnintendedOrigins(*findings);
  for (Finding& finding : *findings) {
    const std::string& rule = finding.rule;
    if (rule == "cors-headers-missing-on-errors") {
      FixMissingOnErrors(syntax, &finding);
    } else if (rule == "duplicate-cors-header") {
      FixUpstreamDuplicate(syntax, &finding);
    } else if (rule == "invalid-credentials-value") {
      FixCredentialsValue(syntax, risky, &finding);
    } else if (rule == "max-age-exceeds-browser-limit") {
      FixMaxAge(syntax, context.options.max_age_limit, &finding);
    } else if (rule == "missing-vary-origin") {
      FixMissingVary(syntax, &finding);
    } else if (rule == "wildcard-ignored-with-credentials") {
      FixIgnoredWildcard(syntax, &finding);
    } else if (rule == "permissive-origin-pattern") {
      FixPermissivePattern(syntax, document, context.options, &finding);
    } else if (rule == "null-origin-allowed") {
      FixDropOrigin(syntax, document, Mend::kDropNull, &finding);
    } else if (rule == "insecure-origin-allowed") {
      FixDropOrigin(syntax, document, Mend::kDropInsecure, &finding);
    } else if (rule == "reflected-origin" ||
               rule == "untrusted-origin-allowed") {
      FixWithTrusted(syntax, document, context.options, &finding);
    }
  }
}

}  // namespace corslint
