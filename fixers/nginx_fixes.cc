// Fixes for nginx configurations. The model keeps the span of each
// directive that matters; the fixers read the files again to see the
// words, blocks and neighbours around those spans.
#include <map>
#include <memory>
#include <tuple>

#include "analyzer/origin.h"
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
// their directives found by span.
class Syntax {
 public:
  explicit Syntax(const Document& document) : document_(document) {}

  // The directive whose span (first word to `;` or `}`) is `span`; null
  // when there is none or the file does not parse.
  const Node* Directive(const Span& span) { return Lookup(span, &by_span_); }
  // The directive one of whose words has the span `span`, and which word.
  const Node* WordOwner(const Span& span, size_t* word) {
    const Node* node = Lookup(span, &by_word_);
    if (node == nullptr) return nullptr;
    const auto& words = node->directive->words;
    for (size_t i = 0; i < words.size(); ++i) {
      if (words[i].span.begin == span.begin && words[i].span.end == span.end) {
        *word = i;
        return node;
      }
    }
    return nullptr;
  }
  // The top-level directives of `file`.
  const std::vector<nginx::Directive>& Top(const SourceFile* file) {
    Load(file);
    return files_[file].directives;
  }
  // Whether `file` is the document's root file, not one it includes.
  bool IsRoot(const SourceFile* file) const {
    return !document_.files.empty() && document_.files.front().get() == file;
  }

 private:
  using Key = std::tuple<const SourceFile*, uint32_t, uint32_t>;
  struct Parsed {
    std::vector<nginx::Directive> directives;
    std::vector<std::unique_ptr<Node>> nodes;
  };

  const Node* Lookup(const Span& span, std::map<Key, const Node*>* index) {
    if (!span.valid()) return nullptr;
    Load(span.file);
    auto it = index->find({span.file, span.begin, span.end});
    return it == index->end() ? nullptr : it->second;
  }

  void Load(const SourceFile* file) {
    auto [it, inserted] = files_.try_emplace(file);
    if (!inserted) return;
    Parsed& parsed = it->second;
    InputError error;
    // A file that does not parse gets no fixes: its spans may not match.
    if (!nginx::Parse(*file, &parsed.directives, &error)) {
      parsed.directives.clear();
      return;
    }
    Index(parsed.directives, nullptr, file, &parsed);
  }

  void Index(const std::vector<nginx::Directive>& directives,
             const Node* parent, const SourceFile* file, Parsed* parsed) {
    for (const nginx::Directive& directive : directives) {
      auto node = std::make_unique<Node>(Node{&directive, parent, file});
      const Node* raw = node.get();
      parsed->nodes.push_back(std::move(node));
      by_span_[{file, directive.span.begin, directive.span.end}] = raw;
      for (const Word& word : directive.words) {
        by_word_[{file, word.span.begin, word.span.end}] = raw;
      }
      if (directive.has_block) Index(directive.block, raw, file, parsed);
    }
  }

  const Document& document_;
  std::map<const SourceFile*, Parsed> files_;
  std::map<Key, const Node*> by_span_;
  std::map<Key, const Node*> by_word_;
};

// `add_header NAME VALUE [always];` whose name is `name`, or null.
const Node* AddHeader(Syntax& syntax, const Span& span, std::string_view name) {
  const Node* node = syntax.Directive(span);
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

Fix SafeFix(std::string description, std::vector<Edit> edits) {
  Fix fix;
  fix.description = std::move(description);
  fix.safety = FixSafety::kSafe;
  fix.edits = std::move(edits);
  return fix;
}

// cors-headers-missing-on-errors: without `always`, add_header applies
// only to 2xx and 3xx responses.
void FixMissingOnErrors(Syntax& syntax, Finding* finding) {
  const Node* node = syntax.Directive(finding->span);
  if (node == nullptr) return;
  const nginx::Directive& directive = *node->directive;
  if (directive.name() != "add_header" || directive.arg_count() != 2) return;
  Span last = directive.words.back().span;
  finding->fixes.push_back(
      SafeFix("add `always`",
              {Edit{SpanOf(last.file, last.end, last.end), " always"}}));
}

// missing-vary-origin: `add_header Vary Origin always;` beside the
// origin-dependent header, at the same level so that inheritance does not
// change.
void FixMissingVary(Syntax& syntax, Finding* finding) {
  const Node* node = AddHeader(syntax, finding->span, kAllowOrigin);
  if (node == nullptr) return;
  std::string quote = QuoteOf(node->directive->words[2]);
  std::string line = "add_header Vary " + quote + "Origin" + quote + " always;";
  finding->fixes.push_back(
      SafeFix("add `" + line + "`",
              {InsertLineAfter(node->directive->span, line, '#')}));
}

// invalid-credentials-value: `True` written in another case.
void FixCredentialsValue(Syntax& syntax, bool risky, Finding* finding) {
  const Node* node = AddHeader(syntax, finding->span, kAllowCredentials);
  if (node == nullptr) return;
  const std::string& value = node->directive->arg(1);
  if (!EqualsIgnoreCase(Trim(value), "true") || value == "true") return;
  std::optional<Edit> edit = ReplaceValue(*node->directive, "true");
  if (!edit) return;
  Fix fix = SafeFix("write `true` in lower case", {*edit});
  if (risky) fix.safety = FixSafety::kUnsafe;
  finding->fixes.push_back(std::move(fix));
}

// max-age-exceeds-browser-limit: a number above the limit.
void FixMaxAge(Syntax& syntax, int limit, Finding* finding) {
  const Node* node = AddHeader(syntax, finding->span, kMaxAge);
  if (node == nullptr) return;
  std::string value = Trim(node->directive->arg(1));
  bool number = !value.empty() && value.size() <= 18 &&
                value.find_first_not_of("0123456789") == std::string::npos;
  if (!number || std::stoll(value) <= limit) return;
  std::optional<Edit> edit =
      ReplaceValue(*node->directive, std::to_string(limit));
  if (!edit) return;
  finding->fixes.push_back(
      SafeFix("lower it to " + std::to_string(limit), {*edit}));
}

// wildcard-ignored-with-credentials: `*` beside other names.
void FixIgnoredWildcard(Syntax& syntax, Finding* finding) {
  const Node* node = syntax.Directive(finding->span);
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
  finding->fixes.push_back(SafeFix("remove the `*`", {*edit}));
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
  const Node* pass = syntax.Directive(response.responder_span);
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
      SafeFix("hide the upstream's header with `" + hide + " " + name + ";`",
              {joined}));
}

// inherited-headers-dropped: repeat the lost directives after the level's
// own add_header lines.
void FixDroppedHeaders(Syntax& syntax, Finding* finding) {
  const Node* cause = syntax.Directive(finding->span);
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
    const Node* lost = syntax.Directive(note.span);
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
  finding->fixes.push_back(SafeFix(lines.size() == 1
                                       ? "repeat the inherited header here"
                                       : "repeat the inherited headers here",
                                   {edit}));
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
    }
  }
}

}  // namespace corslint
