#include "analyzer/suppressions.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace corslint {

namespace {

constexpr std::string_view kUnusedSuppressionDoc = R"md(
## What it does
A meta-rule: reports a `corslint:` suppression comment that has no effect.
That is a suppression whose rule reports nothing on the line or in the
file it covers, a suppression naming a rule that does not exist (with the
closest rule name), and a comment that starts with `corslint:` but does
not read as a suppression. It is not part of the rule catalog: the engine
reports it after every rule has run.

## Why is this bad?
A suppression that covers nothing is a trap: the mistake it once excused
is gone, or it never matched because of a typo, and it will silently
swallow the next finding that appears on that line. Reporting it keeps the
suppressions in a codebase few, current and meaningful.

## Example
```nginx
server {
    listen 80;
    location / {
        # corslint: disable-next-line=wildcard-origin -- public data
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}
```

## Use instead
```nginx
server {
    listen 80;
    location / {
        # corslint: disable-next-line=wildcard-origin -- public data
        add_header Access-Control-Allow-Origin "*" always;
    }
}
```

## Fix safety
Deleting an unused suppression changes no behaviour: a safe fix.

## Known problems
A suppression of a rule that the configuration turns off is not reported,
since the rule may be on for other paths.

## References
- corslint suppressions: see the README
)md";

const RuleInfo kUnusedSuppressionRule = {
    kUnusedSuppression, Severity::kWarning,
    "a `corslint:` suppression comment covers no finding (meta-rule)",
    kUnusedSuppressionDoc, nullptr};

const RuleInfo* const kMetaRules[] = {&kUnusedSuppressionRule};

// A comment: the byte range of its text after the marker, and whether
// code precedes it on its line.
struct Comment {
  size_t begin = 0;
  size_t end = 0;
  bool trailing = false;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool CodeBefore(const std::string& text, size_t offset) {
  while (offset > 0 && text[offset - 1] != '\n') {
    if (!IsSpace(text[offset - 1])) return true;
    --offset;
  }
  return false;
}

size_t LineEnd(const std::string& text, size_t offset) {
  size_t end = text.find('\n', offset);
  return end == std::string::npos ? text.size() : end;
}

// nginx, following ngx_conf_read_token: `#` starts a comment at the start
// of a word; quotes open only at the start of a word and honour `\`.
std::vector<Comment> NginxComments(const std::string& text) {
  std::vector<Comment> comments;
  bool word_start = true;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
        word_start = false;
      }
      continue;
    }
    if (IsSpace(c) || c == '\n' || c == ';' || c == '{' || c == '}') {
      word_start = true;
      continue;
    }
    if (word_start && c == '#') {
      size_t end = LineEnd(text, i);
      comments.push_back({i + 1, end, CodeBefore(text, i)});
      i = end;
      continue;
    }
    if (word_start && (c == '"' || c == '\'')) quote = c;
    if (c == '\\') ++i;
    word_start = false;
  }
  return comments;
}

// Apache httpd: only a line whose first non-blank character is `#`.
std::vector<Comment> ApacheComments(const std::string& text) {
  std::vector<Comment> comments;
  size_t line = 0;
  while (line < text.size()) {
    size_t end = LineEnd(text, line);
    size_t first = line;
    while (first < end && IsSpace(text[first])) ++first;
    if (first < end && text[first] == '#') {
      comments.push_back({first + 1, end, false});
    }
    line = end + 1;
  }
  return comments;
}

// Python: `#` outside string literals, single- or triple-quoted.
std::vector<Comment> PythonComments(const std::string& text) {
  std::vector<Comment> comments;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '#') {
      size_t end = LineEnd(text, i);
      comments.push_back({i + 1, end, CodeBefore(text, i)});
      i = end;
      continue;
    }
    if (c != '"' && c != '\'') continue;

    bool triple = text.compare(i, 3, std::string(3, c)) == 0;
    size_t j = i + (triple ? 3 : 1);
    for (; j < text.size(); ++j) {
      if (text[j] == '\\') {
        ++j;
        continue;
      }
      if (!triple && text[j] == '\n') break;
      if (text[j] != c) continue;
      if (!triple) break;
      if (text.compare(j, 3, std::string(3, c)) == 0) {
        j += 2;
        break;
      }
    }
    i = j;
  }
  return comments;
}

// Whether a `/` after `previous` (the last non-blank character, or 0 at
// the start) opens a regular expression literal rather than a division.
bool RegexCanStart(char previous) {
  if (previous == 0) return true;
  if (std::isalnum(static_cast<unsigned char>(previous)) || previous == '_' ||
      previous == '$' || previous == ')' || previous == ']' ||
      previous == '}' || previous == '"' || previous == '\'' ||
      previous == '`') {
    return false;
  }
  return true;
}

// JavaScript: `//` outside strings, template literals, regular expression
// literals and block comments.
std::vector<Comment> JavaScriptComments(const std::string& text) {
  std::vector<Comment> comments;
  // Brace depths at which a template literal's `${` was opened.
  std::vector<int> templates;
  int depth = 0;
  char previous = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      size_t end = LineEnd(text, i);
      comments.push_back({i + 2, end, CodeBefore(text, i)});
      i = end;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 1;
      continue;
    }
    if (c == '/' && RegexCanStart(previous)) {
      bool in_class = false;
      size_t j = i + 1;
      for (; j < text.size() && text[j] != '\n'; ++j) {
        if (text[j] == '\\') {
          ++j;
        } else if (text[j] == '[') {
          in_class = true;
        } else if (text[j] == ']') {
          in_class = false;
        } else if (text[j] == '/' && !in_class) {
          break;
        }
      }
      i = j;
      previous = '/';
      continue;
    }
    bool closes_template =
        c == '}' && !templates.empty() && templates.back() == depth;
    if (c == '"' || c == '\'' || c == '`' || closes_template) {
      char quote = closes_template ? '`' : c;
      if (closes_template) templates.pop_back();
      size_t j = i + 1;
      for (; j < text.size(); ++j) {
        if (text[j] == '\\') {
          ++j;
        } else if (text[j] == quote) {
          break;
        } else if (quote != '`' && text[j] == '\n') {
          break;
        } else if (quote == '`' && text[j] == '$' && j + 1 < text.size() &&
                   text[j + 1] == '{') {
          templates.push_back(depth);
          ++j;
          break;
        }
      }
      i = j;
      previous = '"';
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (!IsSpace(c) && c != '\n') previous = c;
  }
  return comments;
}

std::vector<Comment> CommentsOf(Format format, const std::string& text) {
  switch (format) {
    case Format::kNginx:
      return NginxComments(text);
    case Format::kApache:
      return ApacheComments(text);
    case Format::kFlask:
      return PythonComments(text);
    case Format::kExpress:
      return JavaScriptComments(text);
  }
  return {};
}

int LineOf(const SourceFile& file, size_t offset) {
  int line = 0, column = 0;
  file.Position(offset, &line, &column);
  return line;
}

Span MakeSpan(const SourceFile& file, size_t begin, size_t end) {
  return Span{&file, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
}

Finding UnusedFinding(Span span, std::string message, std::string help) {
  Finding finding;
  finding.rule = std::string(kUnusedSuppression);
  finding.severity = Severity::kWarning;
  finding.message = std::move(message);
  finding.help = std::move(help);
  finding.span = span;
  return finding;
}

std::string Quote(std::string_view text) {
  return "`" + std::string(text) + "`";
}

// Parses the comment text in [begin, end) of `file`. Returns false when
// the comment is no suppression at all; otherwise fills `out`, or adds a
// finding to `malformed` when it is a broken one.
bool ParseSuppression(const SourceFile& file, const Comment& comment,
                      Suppression* out, std::vector<Finding>* malformed) {
  const std::string& text = file.text();
  size_t at = comment.begin;
  while (at < comment.end && IsSpace(text[at])) ++at;
  constexpr std::string_view kMarker = "corslint:";
  if (text.compare(at, kMarker.size(), kMarker) != 0) return false;
  size_t end = comment.end;
  while (end > at && IsSpace(text[end - 1])) --end;
  Span whole = MakeSpan(file, at, end);
  at += kMarker.size();
  while (at < end && IsSpace(text[at])) ++at;

  // The kind of suppression.
  size_t kind_end = at;
  while (kind_end < end &&
         (std::isalpha(static_cast<unsigned char>(text[kind_end])) ||
          text[kind_end] == '-')) {
    ++kind_end;
  }
  std::string_view kind(text.data() + at, kind_end - at);
  if (kind == "disable") {
    out->kind = Suppression::Kind::kLine;
  } else if (kind == "disable-next-line") {
    out->kind = Suppression::Kind::kNextLine;
  } else if (kind == "disable-file") {
    out->kind = Suppression::Kind::kFile;
  } else {
    const std::string_view kinds[] = {"disable", "disable-next-line",
                                      "disable-file"};
    std::string suggestion = SuggestName(kind, kinds);
    malformed->push_back(UnusedFinding(
        kind.empty() ? whole : MakeSpan(file, at, kind_end),
        kind.empty() ? "`corslint:` comment names no suppression"
                     : "unknown suppression " + Quote(kind) +
                           (suggestion.empty()
                                ? std::string()
                                : ", did you mean " + Quote(suggestion) + "?"),
        "write `corslint: disable=RULE`, `disable-next-line=RULE` or "
        "`disable-file=RULE`"));
    return true;
  }

  // `=` and the rule names, up to ` --`.
  at = kind_end;
  while (at < end && IsSpace(text[at])) ++at;
  size_t reason = text.find("--", at);
  if (reason == std::string::npos || reason >= end) reason = end;
  if (at < end && text[at] == '=') {
    size_t name_start = at + 1;
    for (size_t i = name_start; i <= reason; ++i) {
      if (i < reason && text[i] != ',') continue;
      size_t b = name_start, e = i;
      while (b < e && IsSpace(text[b])) ++b;
      while (e > b && IsSpace(text[e - 1])) --e;
      if (e > b) {
        out->names.push_back(
            {text.substr(b, e - b), MakeSpan(file, b, e), false});
      }
      name_start = i + 1;
    }
  }
  if (out->names.empty()) {
    malformed->push_back(
        UnusedFinding(whole, "suppression " + Quote(kind) + " names no rule",
                      "name the rules after `=`, as in `" + std::string(kind) +
                          "=reflected-origin`"));
    return true;
  }
  if (reason < end) {
    size_t r = reason + 2;
    while (r < end && IsSpace(text[r])) ++r;
    out->reason = text.substr(r, end - r);
  }
  out->file = &file;
  out->span = whole;
  int line = LineOf(file, comment.begin);
  switch (out->kind) {
    case Suppression::Kind::kLine:
      out->target_line = comment.trailing ? line : line + 1;
      break;
    case Suppression::Kind::kNextLine:
      out->target_line = line + 1;
      break;
    case Suppression::Kind::kFile:
      out->target_line = 0;
      break;
  }
  return true;
}

// Whether `suppression` covers `finding`; marks the name that does.
bool Covers(Suppression& suppression, const Finding& finding) {
  if (finding.span.file != suppression.file) return false;
  if (suppression.kind != Suppression::Kind::kFile &&
      LineOf(*finding.span.file, finding.span.begin) !=
          suppression.target_line) {
    return false;
  }
  bool covered = false;
  for (Suppression::Name& name : suppression.names) {
    if (name.rule != finding.rule) continue;
    name.used = true;
    covered = true;
  }
  return covered;
}

// Removes the findings that some suppression covers.
void RemoveCovered(std::vector<Suppression>& suppressions,
                   std::vector<Finding>* findings) {
  auto covered = [&](const Finding& finding) {
    bool any = false;
    for (Suppression& suppression : suppressions) {
      any = Covers(suppression, finding) || any;
    }
    return any;
  };
  findings->erase(std::remove_if(findings->begin(), findings->end(), covered),
                  findings->end());
}

std::string Where(const Suppression& suppression) {
  switch (suppression.kind) {
    case Suppression::Kind::kLine:
    case Suppression::Kind::kNextLine:
      return "on line " + std::to_string(suppression.target_line);
    case Suppression::Kind::kFile:
      return "in this file";
  }
  return "";
}

}  // namespace

std::span<const RuleInfo* const> MetaRules() { return kMetaRules; }

const RuleInfo* FindAnyRule(std::string_view name) {
  if (const RuleInfo* rule = FindRule(name)) return rule;
  for (const RuleInfo* rule : MetaRules()) {
    if (rule->name == name) return rule;
  }
  return nullptr;
}

std::string SuggestAnyRule(std::string_view name) {
  std::vector<std::string_view> names;
  for (const RuleInfo* rule : AllRules()) names.push_back(rule->name);
  for (const RuleInfo* rule : MetaRules()) names.push_back(rule->name);
  return SuggestName(name, names);
}

std::vector<Suppression> ReadSuppressions(const Document& document,
                                          std::vector<Finding>* malformed) {
  std::vector<Suppression> suppressions;
  for (const auto& file : document.files) {
    // Every suppression starts with the marker; most files have none.
    const std::string& text = file->text();
    if (memmem(text.data(), text.size(), "corslint:", 9) == nullptr) continue;
    for (const Comment& comment : CommentsOf(document.format, file->text())) {
      Suppression suppression;
      if (!ParseSuppression(*file, comment, &suppression, malformed)) continue;
      if (suppression.file == nullptr) continue;  // malformed, reported
      suppressions.push_back(std::move(suppression));
    }
  }
  return suppressions;
}

void ApplySuppressions(const Document& document,
                       const std::function<bool(std::string_view)>& enabled,
                       std::vector<Finding>* findings) {
  std::vector<Finding> unused;
  std::vector<Suppression> suppressions = ReadSuppressions(document, &unused);
  if (suppressions.empty() && unused.empty()) return;
  RemoveCovered(suppressions, findings);

  // What each suppression left unused. Suppressions of
  // `unused-suppression` itself are matched below and never reported.
  for (const Suppression& suppression : suppressions) {
    for (const Suppression::Name& name : suppression.names) {
      if (name.used || name.rule == kUnusedSuppression) continue;
      if (FindAnyRule(name.rule) == nullptr) {
        std::string suggestion = SuggestAnyRule(name.rule);
        unused.push_back(UnusedFinding(
            name.span,
            "suppression names the unknown rule " + Quote(name.rule) +
                (suggestion.empty()
                     ? std::string()
                     : ", did you mean " + Quote(suggestion) + "?"),
            "name a rule that `corslint rules` lists"));
        continue;
      }
      if (!enabled(name.rule)) continue;
      unused.push_back(UnusedFinding(
          name.span,
          "suppression of " + Quote(name.rule) + " is unused: it reports " +
              "nothing " + Where(suppression),
          "remove " + Quote(name.rule) + " from the suppression"));
    }
  }
  RemoveCovered(suppressions, &unused);
  for (Finding& finding : unused) findings->push_back(std::move(finding));
}

}  // namespace corslint
