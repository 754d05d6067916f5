// Fixes for nginx configurations. The model keeps the span of each
// directive that matters; the fixers read the files again to see the
// words, blocks and neighbours around those spans.
#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>

#include "analyzer/origin.h"
#include "fixers/allowlist.h"
#include "fixers/fix_text.h"
#include "fixers/format_fixes.h"
#include "parsers/nginx_syntax.h"

namespace corslint {
namespace {

using nginx::Directive;
using nginx::Word;

constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";
constexpr std::string_view kAllowCredentials =
    "Access-Control-Allow-Credentials";
constexpr std::string_view kMaxAge = "Access-Control-Max-Age";

// A directive in its file, with the block directive around it.
struct Node {
  const Directive* directive = nullptr;
  const Node* parent = nullptr;  // null at the top level of the file
  const SourceFile* file = nullptr;

  // The directives beside this one: its block's, or the file's top level.
  const std::vector<Directive>& Siblings(
      const std::vector<Directive>& top) const {
    return parent != nullptr ? parent->directive->block : top;
  }
};

// The files of one document read again as syntax, each on first use, and
// their directives found by span: a search down the nesting, since each
// block's directives are in source order and a block holds the spans of
// its directives.
class Syntax {
 public:
  explicit Syntax(const Document& document) : document_(document) {}

  // The directive whose span (first word to `;` or `}`) is `span`; null
  // when there is none or the file does not parse.
  const Node* Find(const Span& span) {
    const Node* found = nullptr;
    Descend(span, [&](const Node* node) {
      const Span& at = node->directive->span;
      if (at.begin != span.begin || at.end != span.end) return false;
      found = node;
      return true;
    });
    return found;
  }
  // The directive one of whose words starts where `span` does and holds
  // it (a condition's parentheses are not part of its words' spans in the
  // model), and which word.
  const Node* WordOwner(const Span& span, size_t* word) {
    const Node* found = nullptr;
    Descend(span, [&](const Node* node) {
      const auto& words = node->directive->words;
      for (size_t i = 0; i < words.size(); ++i) {
        if (words[i].span.begin == span.begin &&
            words[i].span.end >= span.end) {
          *word = i;
          found = node;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  // The top-level directives of `file`.
  const std::vector<nginx::Directive>& Top(const SourceFile* file) {
    return Load(file);
  }
  const Document& document() const { return document_; }
  // Whether `file` is the document's root file, not one it includes.
  bool IsRoot(const SourceFile* file) const {
    return !document_.files.empty() && document_.files.front().get() == file;
  }

 private:
  const std::vector<nginx::Directive>& Load(const SourceFile* file) {
    if (IsRoot(file) && document_.root_syntax != nullptr) {
      return *static_cast<const std::vector<nginx::Directive>*>(
          document_.root_syntax.get());
    }
    auto [it, inserted] = files_.try_emplace(file);
    if (inserted) {
      InputError error;
      // A file that does not parse gets no fixes: its spans may not match.
      if (!nginx::Parse(*file, &it->second, &error)) it->second.clear();
    }
    return it->second;
  }

  // Calls `stop` on each directive that contains the start of `span`,
  // outermost first, until it returns true.
  template <typename Stop>
  void Descend(const Span& span, Stop stop) {
    if (!span.valid()) return;
    const std::vector<nginx::Directive>* level = &Load(span.file);
    const Node* parent = nullptr;
    while (level != nullptr) {
      auto after = std::upper_bound(
          level->begin(), level->end(), span.begin,
          [](uint32_t at, const Directive& d) { return at < d.span.begin; });
      if (after == level->begin()) return;
      const Directive& directive = *std::prev(after);
      if (span.begin >= directive.span.end) return;
      const Node* node = NodeOf(directive, parent, span.file);
      if (stop(node)) return;
      level = directive.has_block ? &directive.block : nullptr;
      parent = node;
    }
  }

  const Node* NodeOf(const Directive& directive, const Node* parent,
                     const SourceFile* file) {
    std::unique_ptr<Node>& node = nodes_[&directive];
    if (node == nullptr) {
      node = std::make_unique<Node>(Node{&directive, parent, file});
    }
    return node.get();
  }

  const Document& document_;
  std::map<const SourceFile*, std::vector<nginx::Directive>> files_;
  std::unordered_map<const Directive*, std::unique_ptr<Node>> nodes_;
};

// `add_header NAME VALUE [always];` whose name is `name`, or null.
const Node* AddHeader(Syntax& syntax, const Span& span, std::string_view name) {
  const Node* node = syntax.Find(span);
  if (node == nullptr) return nullptr;
  const nginx::Directive& directive = *node->directive;
  if (directive.name() != "add_header" || directive.arg_count() < 2 ||
      directive.arg_count() > 3 || directive.has_block ||
      !EqualsIgnoreCase(directive.arg(0), name)) {
    return nullptr;
  }
  return node;
}

// The quote a word was written with, for new words that should look alike.
std::string QuoteOf(const Word& word) {
  if (!word.quoted) return "";
  return std::string(1, word.span.text().front());
}

// Replaces the value word of an add_header directive, keeping its quotes.
std::optional<Edit> ReplaceValue(const nginx::Directive& directive,
                                 std::string_view replacement) {
  const Word& value = directive.words[2];
  if (value.value.find('$') != std::string::npos) return std::nullopt;
  return ReplaceWordContent(value.span, value.quoted, value.value, replacement);
}

// cors-headers-missing-on-errors: without `always`, add_header applies
// only to 2xx and 3xx responses.
void FixMissingOnErrors(Syntax& syntax, Finding* finding) {
  const Node* node = syntax.Find(finding->span);
  if (node == nullptr) return;
  const nginx::Directive& directive = *node->directive;
  if (directive.name() != "add_header" || directive.arg_count() != 2) return;
  Span last = directive.words.back().span;
  finding->fixes.push_back(
      MakeFix(FixSafety::kSafe, "add `always`",
              {Edit{SpanOf(last.file, last.end, last.end), " always"}}));
}

// `add_header Vary Origin always;` after the add_header `node`, quoted
// like its value.
Edit AddVaryAfter(const Node* node, std::string* line) {
  std::string quote = QuoteOf(node->directive->words[2]);
  *line = "add_header Vary " + quote + "Origin" + quote + " always;";
  return InsertLineAfter(node->directive->span, *line, '#');
}

// missing-vary-origin: `add_header Vary Origin always;` beside the
// origin-dependent header, at the same level so that inheritance does not
// change.
void FixMissingVary(Syntax& syntax, Finding* finding) {
  const Node* node = AddHeader(syntax, finding->span, kAllowOrigin);
  if (node == nullptr) return;
  std::string line;
  Edit edit = AddVaryAfter(node, &line);
  finding->fixes.push_back(
      MakeFix(FixSafety::kSafe, "add `" + line + "`", {edit}));
}

// invalid-credentials-value: `True` written in another case.
void FixCredentialsValue(Syntax& syntax, bool risky, Finding* finding) {
  const Node* node = AddHeader(syntax, finding->span, kAllowCredentials);
  if (node == nullptr) return;
  const std::string& value = node->directive->arg(1);
  if (!EqualsIgnoreCase(Trim(value), "true") || value == "true") return;
  std::optional<Edit> edit = ReplaceValue(*node->directive, "true");
  if (!edit) return;
  Fix fix = MakeFix(FixSafety::kSafe, "write `true` in lower case", {*edit});
  if (risky) fix.safety = FixSafety::kUnsafe;
  finding->fixes.push_back(std::move(fix));
}

// max-age-exceeds-browser-limit: a number above the limit.
void FixMaxAge(Syntax& syntax, int limit, Finding* finding) {
  const Node* node = AddHeader(syntax, finding->span, kMaxAge);
  if (node == nullptr) return;
  std::string value(Trim(node->directive->arg(1)));
  bool number = !value.empty() && value.size() <= 18 &&
                value.find_first_not_of("0123456789") == std::string::npos;
  if (!number || std::stoll(value) <= limit) return;
  std::optional<Edit> edit =
      ReplaceValue(*node->directive, std::to_string(limit));
  if (!edit) return;
  finding->fixes.push_back(MakeFix(
      FixSafety::kSafe, "lower it to " + std::to_string(limit), {*edit}));
}

// wildcard-ignored-with-credentials: `*` beside other names.
void FixIgnoredWildcard(Syntax& syntax, Finding* finding) {
  const Node* node = syntax.Find(finding->span);
  if (node == nullptr) return;
  const nginx::Directive& directive = *node->directive;
  if (directive.name() != "add_header" || directive.arg_count() < 2 ||
      directive.arg_count() > 3) {
    return;
  }
  std::optional<std::string> rest = RemoveStarItem(directive.arg(1));
  if (!rest) return;
  std::optional<Edit> edit = ReplaceValue(directive, *rest);
  if (!edit) return;
  finding->fixes.push_back(
      MakeFix(FixSafety::kSafe, "remove the `*`", {*edit}));
}

// The upstream modules' pass directives and the prefix of their own
// `*_hide_header` and `*_pass_header`.
std::string UpstreamPrefix(std::string_view pass) {
  for (std::string_view module :
       {"proxy", "fastcgi", "uwsgi", "scgi", "grpc"}) {
    if (pass == std::string(module) + "_pass") return std::string(module);
  }
  return "";
}

// duplicate-cors-header, upstream case: hide the upstream's copy where the
// request is passed. A level that hides nothing itself inherits its
// parent's list, and declaring one there replaces that list, so the
// inherited entries are repeated.
void FixUpstreamDuplicate(Syntax& syntax, Finding* finding) {
  if (!finding->demonstration) return;
  const Response& response = finding->demonstration->response;
  if (response.responder != Responder::kUpstream) return;
  const Node* header = AddHeader(syntax, finding->span, kAllowOrigin);
  if (header == nullptr || response.Find(kAllowOrigin).size() != 1 ||
      !response.UpstreamMaySend(kAllowOrigin)) {
    return;
  }
  const Node* pass = syntax.Find(response.responder_span);
  if (pass == nullptr) return;
  std::string prefix = UpstreamPrefix(pass->directive->name());
  if (prefix.empty()) return;
  // A pass at the top of an included file may be included in several
  // places, each inheriting differently.
  if (pass->parent == nullptr && !syntax.IsRoot(pass->file)) return;

  std::string hide = prefix + "_hide_header";
  std::string pass_header = prefix + "_pass_header";
  auto declares = [&](const std::vector<nginx::Directive>& block) {
    std::vector<const nginx::Directive*> own;
    for (const nginx::Directive& directive : block) {
      if (directive.name() == hide || directive.name() == pass_header) {
        own.push_back(&directive);
      }
    }
    return own;
  };
  auto includes = [](const std::vector<nginx::Directive>& block) {
    return std::any_of(block.begin(), block.end(),
                       [](const nginx::Directive& directive) {
                         return directive.name() == "include";
                       });
  };

  // Which inherited entries must be repeated. The model has followed the
  // includes: when it sees no hidden header, there is none to repeat
  // unless a visible `*_pass_header` is inherited.
  const std::vector<nginx::Directive>& block =
      pass->Siblings(syntax.Top(pass->file));
  std::vector<const nginx::Directive*> own = declares(block);
  std::vector<const nginx::Directive*> inherited;
  if (own.empty()) {
    bool unseen = includes(block);
    for (const Node* level = pass->parent; level != nullptr;
         level = level->parent) {
      const std::vector<nginx::Directive>& outer =
          level->Siblings(syntax.Top(pass->file));
      unseen = unseen || includes(outer);
      inherited = declares(outer);
      if (!inherited.empty()) break;
    }
    if (!inherited.empty() && unseen) return;
    if (inherited.empty() && !response.upstream_hidden.empty()) return;
  }

  std::string name = header->directive->arg(0);
  std::vector<std::string> lines;
  for (const nginx::Directive* directive : inherited) {
    lines.emplace_back(directive->span.text());
  }
  lines.push_back(hide + " " + name + ";");
  std::vector<Edit> edits;
  const nginx::Directive* anchor = own.empty() ? pass->directive : own.back();
  for (const std::string& line : lines) {
    edits.push_back(InsertLineAfter(anchor->span, line, '#'));
  }
  // One insertion point: join the lines into one edit.
  Edit joined = edits.front();
  for (size_t i = 1; i < edits.size(); ++i) {
    joined.replacement += edits[i].replacement;
  }
  finding->fixes.push_back(
      MakeFix(FixSafety::kSafe,
              "hide the upstream's header with `" + hide + " " + name + ";`",
              {joined}));
}

// inherited-headers-dropped: repeat the lost directives after the level's
// own add_header lines.
void FixDroppedHeaders(Syntax& syntax, Finding* finding) {
  const Node* cause = syntax.Find(finding->span);
  if (cause == nullptr || cause->directive->name() != "add_header") return;
  // A level at the top of an included file may be included in several
  // places, each losing different headers.
  if (cause->parent == nullptr) return;

  const nginx::Directive* last = nullptr;
  for (const nginx::Directive& directive : cause->parent->directive->block) {
    if (directive.name() == "add_header") last = &directive;
  }
  std::vector<std::string> lines;
  for (const FindingNote& note : finding->notes) {
    const Node* lost = syntax.Find(note.span);
    if (lost == nullptr || lost->directive->name() != "add_header") return;
    std::string text(lost->directive->span.text());
    if (std::find(lines.begin(), lines.end(), text) == lines.end()) {
      lines.push_back(std::move(text));
    }
  }
  if (lines.empty()) return;

  Edit edit = InsertLineAfter(last->span, lines.front(), '#');
  for (size_t i = 1; i < lines.size(); ++i) {
    edit.replacement += InsertLineAfter(last->span, lines[i], '#').replacement;
  }
  finding->fixes.push_back(MakeFix(FixSafety::kSafe,
                                   lines.size() == 1
                                       ? "repeat the inherited header here"
                                       : "repeat the inherited headers here",
                                   {edit}));
}

// Whether a word of `directives` or of the blocks inside them uses a
// capture of the last regex match.
bool BlockUsesCaptures(const std::vector<nginx::Directive>& directives) {
  for (const nginx::Directive& directive : directives) {
    for (const Word& word : directive.words) {
      if (UsesCaptures(word.value)) return true;
    }
    if (BlockUsesCaptures(directive.block)) return true;
  }
  return false;
}

// A map regex key or an `if` regex rewritten to admit exactly `entries`.
// Refused when the configuration uses the pattern's captures, which the
// new pattern would renumber.
std::optional<Edit> RewriteRegex(Syntax& syntax, const OriginCheck& check,
                                 const std::vector<std::string>& entries) {
  if (check.kind != OriginCheckKind::kRegex || entries.empty()) {
    return std::nullopt;
  }
  for (std::string_view named : {"(?<", "(?P<", "(?'"}) {
    if (check.pattern.find(named) != std::string::npos) return std::nullopt;
  }
  std::string regex = AllowlistRegex(entries);
  if (!AllowlistRegexHolds(regex, check.case_insensitive, entries)) {
    return std::nullopt;
  }
  size_t index = 0;
  const Node* node = syntax.WordOwner(check.span, &index);
  if (node == nullptr) return std::nullopt;
  const nginx::Directive& directive = *node->directive;
  std::string_view written = check.span.text();
  std::string quote = written.starts_with('"') || written.starts_with('\'')
                          ? std::string(1, written.front())
                          : "";

  if (check.construct == "map regex key" && index == 0 &&
      directive.words.size() == 2) {
    if (UsesCaptures(directive.words[1].value)) return std::nullopt;
    std::string key = (check.case_insensitive ? "~*" : "~") + regex;
    return Edit{check.span, quote + key + quote};
  }
  if (check.construct == "if condition" && directive.name() == "if") {
    if (BlockUsesCaptures(directive.block)) return std::nullopt;
    return Edit{check.span, quote + regex + quote};
  }
  return std::nullopt;
}

// A map exact key for one origin: its whole entry goes.
std::optional<Edit> RemoveMapEntry(Syntax& syntax, const OriginCheck& check) {
  if (check.kind != OriginCheckKind::kExact ||
      check.construct != "map exact key") {
    return std::nullopt;
  }
  size_t index = 0;
  const Node* node = syntax.WordOwner(check.span, &index);
  if (node == nullptr || index != 0) return std::nullopt;
  return RemoveConstruct(node->directive->span, '#');
}

// The blanks one block level adds in `file`, read from the first indented
// line; four spaces when nothing is indented.
std::string IndentUnit(std::string_view text) {
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    size_t blanks = line.find_first_not_of(" \t");
    if (blanks != std::string_view::npos && blanks > 0 && line[blanks] != '#') {
      return std::string(line.substr(0, blanks));
    }
    at = end + 1;
  }
  return "    ";
}

// Where a `map` can go: before the first `server` (or the first directive)
// of the http level in the root file. Null for a snippet, which has no
// http level of its own.
const nginx::Directive* HttpAnchor(Syntax& syntax) {
  const Document& document = syntax.document();
  if (document.files.empty()) return nullptr;
  const std::vector<nginx::Directive>& top =
      syntax.Top(document.files.front().get());
  const std::vector<nginx::Directive>* body = nullptr;
  for (const nginx::Directive& directive : top) {
    if (directive.name() == "http" && directive.has_block) {
      body = &directive.block;
    }
  }
  if (body == nullptr) {
    for (const nginx::Directive& directive : top) {
      std::string_view name = directive.name();
      if (name == "server" || name == "map" || name == "upstream" ||
          name == "geo" || name == "split_clients") {
        body = &top;
        break;
      }
    }
  }
  if (body == nullptr || body->empty()) return nullptr;
  for (const nginx::Directive& directive : *body) {
    if (directive.name() == "server") return &directive;
  }
  return &body->front();
}

// An allowed origin that echoes the request (`$http_origin`) or admits
// every origin (`*`), replaced by a map of the trusted origins, with
// `Vary: Origin` when `response` (the finding's) has none: the answer now
// depends on the Origin.
std::optional<Fix> AllowlistMap(Syntax& syntax, const Span& header_span,
                                const std::vector<std::string>& trusted,
                                const Response* response) {
  if (trusted.empty()) return std::nullopt;
  const Node* header = AddHeader(syntax, header_span, kAllowOrigin);
  if (header == nullptr) return std::nullopt;
  const Word& value = header->directive->words[2];
  if (value.value != "$http_origin" && value.value != "${http_origin}" &&
      Trim(value.value) != "*") {
    return std::nullopt;
  }
  const nginx::Directive* anchor = HttpAnchor(syntax);
  if (anchor == nullptr) return std::nullopt;

  std::string variable = UnusedName(syntax.document(), "cors_allowed_origin");
  std::string_view text = anchor->span.file->text();
  std::optional<std::string> indent = IndentBefore(text, anchor->span.begin);
  std::string base = indent.value_or("");
  std::string inner = base + IndentUnit(text);
  std::string eol = LineEndingAt(text, anchor->span.begin);
  std::string map = "map $http_origin $" + variable + " {" + eol + inner +
                    "default \"\";" + eol;
  for (const std::string& origin : trusted) {
    std::string key = origin.find("://*.") == std::string::npos
                          ? origin
                          : "~" + AllowlistRegex({origin});
    map += inner + "\"" + key + "\" $http_origin;" + eol;
  }
  map += base + "}" + eol;
  Edit insert = InsertLineBefore(anchor->span, map);
  if (!indent) insert.replacement = map + eol;

  std::optional<Edit> replace =
      ReplaceWordContent(value.span, value.quoted, value.value, "$" + variable);
  if (!replace) return std::nullopt;
  std::vector<Edit> edits = {insert, *replace};
  if (response == nullptr || !VariesOnOrigin(*response)) {
    std::string line;
    edits.push_back(AddVaryAfter(header, &line));
  }
  return MakeFix(FixSafety::kUnsafe,
                 "send only the trusted origins, through `map $http_origin $" +
                     variable + "`",
                 std::move(edits));
}

// permissive-origin-pattern: the pattern anchored and escaped, admitting
// only the origins it seems meant to admit.
void FixPermissivePattern(Syntax& syntax, const RuleOptions& options,
                          Finding* finding) {
  const OriginCheck* check = CheckAt(syntax.document(), finding->span);
  if (check == nullptr) return;
  std::vector<std::string> entries =
      MendedOrigins(*check, Mend::kAnchor, options.trusted_origins);
  std::optional<Edit> edit = RewriteRegex(syntax, *check, entries);
  if (!edit) return;
  finding->fixes.push_back(MakeFix(
      FixSafety::kUnsafe,
      "match whole origins: `" + AllowlistRegex(entries) + "`", {*edit}));
}

// null-origin-allowed and insecure-origin-allowed: the origin leaves the
// map, or the pattern is rewritten without it.
void FixDropOrigin(Syntax& syntax, Mend mend, Finding* finding) {
  const OriginCheck* check = CheckAt(syntax.document(), finding->span);
  if (check == nullptr) return;
  std::string what =
      mend == Mend::kDropNull ? "`null`" : "the `http://` origin";
  if (std::optional<Edit> edit = RemoveMapEntry(syntax, *check)) {
    finding->fixes.push_back(
        MakeFix(FixSafety::kUnsafe, "remove " + what, {*edit}));
    return;
  }
  std::vector<std::string> entries = MendedOrigins(*check, mend, {});
  std::optional<Edit> edit = RewriteRegex(syntax, *check, entries);
  if (!edit) return;
  finding->fixes.push_back(MakeFix(
      FixSafety::kUnsafe,
      "remove " + what + ": `" + AllowlistRegex(entries) + "`", {*edit}));
}

// reflected-origin: an allowlist of the trusted origins instead of the
// echo; offered only when `trusted-origins` is configured.
void FixReflection(Syntax& syntax, const RuleOptions& options,
                   Finding* finding) {
  std::optional<Fix> fix = AllowlistMap(
      syntax, finding->span, options.trusted_origins,
      finding->demonstration ? &finding->demonstration->response : nullptr);
  if (fix) finding->fixes.push_back(std::move(*fix));
}

// untrusted-origin-allowed: the untrusted origin leaves the map, a
// pattern admits only the trusted origins it was meant for, and `*` or an
// echo becomes an allowlist of the trusted origins.
void FixUntrusted(Syntax& syntax, const RuleOptions& options,
                  Finding* finding) {
  const OriginCheck* check = CheckAt(syntax.document(), finding->span);
  if (check == nullptr) {
    FixReflection(syntax, options, finding);
    return;
  }
  if (std::optional<Edit> edit = RemoveMapEntry(syntax, *check)) {
    finding->fixes.push_back(
        MakeFix(FixSafety::kUnsafe, "remove the untrusted origin", {*edit}));
    return;
  }
  std::vector<std::string> entries =
      MendedOrigins(*check, Mend::kAnchor, options.trusted_origins);
  std::optional<Edit> edit = RewriteRegex(syntax, *check, entries);
  if (!edit) return;
  finding->fixes.push_back(MakeFix(
      FixSafety::kUnsafe,
      "admit only the trusted origins: `" + AllowlistRegex(entries) + "`",
      {*edit}));
}

// preflight-not-handled: an `if` that answers OPTIONS with 204 and the CORS
// headers of the location, first in the location whose headers promise
// what the preflight asks. Offered only when nginx itself answers the
// preflight wrongly, not when it passes it on to an upstream, and only in
// a location that does not test the method already.
void FixPreflight(Syntax& syntax, Finding* finding) {
  if (!finding->demonstration) return;
  Responder responder = finding->demonstration->response.responder;
  if (responder == Responder::kUpstream || responder == Responder::kApp) {
    return;
  }
  const Node* promise = syntax.Find(finding->span);
  if (promise == nullptr || promise->directive->name() != "add_header" ||
      promise->parent == nullptr ||
      promise->parent->directive->name() != "location") {
    return;
  }
  const std::vector<nginx::Directive>& block =
      promise->parent->directive->block;
  std::vector<std::string> headers;
  for (const nginx::Directive& directive : block) {
    if (directive.name() == "if") {
      for (const Word& word : directive.words) {
        if (word.value.find("request_method") != std::string::npos) return;
      }
    }
    if (directive.name() != "add_header" || directive.arg_count() < 2) continue;
    std::string name = ToLower(directive.arg(0));
    if (name.starts_with("access-control-") || name == "vary") {
      headers.emplace_back(directive.span.text());
    }
  }
  const nginx::Directive& first = block.front();
  std::string_view text = first.span.file->text();
  std::optional<std::string> indent = IndentBefore(text, first.span.begin);
  if (!indent) return;
  std::string unit = IndentUnit(text);
  std::string eol = LineEndingAt(text, first.span.begin);

  std::string answer = "if ($request_method = OPTIONS) {" + eol;
  for (const std::string& header : headers) {
    answer += *indent + unit + header + eol;
  }
  answer += *indent + unit + "return 204;" + eol + *indent + "}";
  finding->fixes.push_back(
      MakeFix(FixSafety::kUnsafe,
              "answer `OPTIONS` here with 204 and the location's CORS headers",
              {InsertLineBefore(first.span, answer)}));
}

}  // namespace

void AddNginxFixes(const FixContext& context, std::vector<Finding>* findings) {
  Syntax syntax(context.analysis.document());
  bool risky = AdmitsUnintendedOrigins(*findings);
  for (Finding& finding : *findings) {
    const std::string& rule = finding.rule;
    if (rule == "cors-headers-missing-on-errors") {
      FixMissingOnErrors(syntax, &finding);
    } else if (rule == "duplicate-cors-header") {
      FixUpstreamDuplicate(syntax, &finding);
    } else if (rule == "inherited-headers-dropped") {
      FixDroppedHeaders(syntax, &finding);
    } else if (rule == "invalid-credentials-value") {
      FixCredentialsValue(syntax, risky, &finding);
    } else if (rule == "max-age-exceeds-browser-limit") {
      FixMaxAge(syntax, context.options.max_age_limit, &finding);
    } else if (rule == "missing-vary-origin") {
      FixMissingVary(syntax, &finding);
    } else if (rule == "wildcard-ignored-with-credentials") {
      FixIgnoredWildcard(syntax, &finding);
    } else if (rule == "permissive-origin-pattern") {
      FixPermissivePattern(syntax, context.options, &finding);
    } else if (rule == "null-origin-allowed") {
      FixDropOrigin(syntax, Mend::kDropNull, &finding);
    } else if (rule == "insecure-origin-allowed") {
      FixDropOrigin(syntax, Mend::kDropInsecure, &finding);
    } else if (rule == "reflected-origin") {
      FixReflection(syntax, context.options, &finding);
    } else if (rule == "untrusted-origin-allowed") {
      FixUntrusted(syntax, context.options, &finding);
    } else if (rule == "preflight-not-handled") {
      FixPreflight(syntax, &finding);
    }
  }
}

}  // namespace corslint
