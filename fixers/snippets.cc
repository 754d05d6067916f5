#include "fixers/snippets.h"

#include <algorithm>

#include "analyzer/origin.h"
#include "fixers/allowlist.h"
#include "fixers/emitters.h"
#include "fixers/format_fixes.h"

namespace corslint {

namespace {

constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";

// Items of every header named `name` in `response`, without `*` and
// repeats.
std::vector<std::string> Items(const Response& response,
                               std::string_view name) {
  std::vector<std::string> items;
  for (const ResponseHeader* header : response.Find(name)) {
    if (!header->value_known) continue;
    for (const std::string& item : SplitList(header->value)) {
      if (item == "*") continue;
      bool seen = std::any_of(items.begin(), items.end(), [&](auto& other) {
        return EqualsIgnoreCase(other, item);
      });
      if (!seen) items.push_back(item);
    }
  }
  return items;
}

// The indentation unit of `text`: the blanks of its first indented line,
// or four spaces.
std::string IndentUnitOf(std::string_view text) {
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    size_t blanks = line.find_first_not_of(" \t");
    if (blanks != std::string_view::npos && blanks > 0) {
      return std::string(line.substr(0, blanks));
    }
    at = end + 1;
  }
  return "    ";
}

std::optional<Target> TargetOf(Format format) {
  switch (format) {
    case Format::kNginx:
      return Target::kNginx;
    case Format::kApache:
      return Target::kApache;
    case Format::kExpress:
      return Target::kExpress;
    case Format::kFlask:
      return Target::kFlask;
  }
  return std::nullopt;
}

// The quote the emitter of `target` writes strings with, or 0 for one whose
// quoting is not the file's choice.
char EmittedQuote(Target target) {
  switch (target) {
    case Target::kExpress:
      return '\'';
    case Target::kFlask:
      return '"';
    default:
      return 0;
  }
}

// The quote `text` mostly writes strings with, or `fallback`.
char QuoteOf(std::string_view text, char fallback) {
  size_t single = std::count(text.begin(), text.end(), '\'');
  size_t double_quotes = std::count(text.begin(), text.end(), '"');
  if (single == double_quotes) return fallback;
  return single > double_quotes ? '\'' : '"';
}

// `line` with its string literals quoted by `to` instead of `from`; a
// literal that holds either quote, or a backslash, keeps its quotes. Text
// after a comment marker is left alone.
std::string Requote(std::string_view line, char from, char to,
                    std::string_view comment) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line.substr(i).starts_with(comment)) {
      out += line.substr(i);
      break;
    }
    if (line[i] != from) {
      out += line[i++];
      continue;
    }
    size_t close = line.find(from, i + 1);
    if (close == std::string_view::npos) {
      out += line.substr(i);
      break;
    }
    std::string_view content = line.substr(i + 1, close - i - 1);
    bool plain =
        content.find_first_of(std::string("\\") + to) == std::string_view::npos;
    out += plain ? to : from;
    out += content;
    out += plain ? to : from;
    i = close + 1;
  }
  return out;
}

// The emitted `text` (`\n` line endings, indented by the emitter's own
// unit: two spaces for JavaScript, four elsewhere) laid out like `file`:
// its indentation unit, line endings and, for code, its quote.
std::string LayOut(const std::string& text, Target target,
                   const SourceFile* file) {
  if (file == nullptr) return text;
  std::string_view source = file->text();
  std::string unit = IndentUnitOf(source);
  std::string emitted_unit(target == Target::kExpress ? 2 : 4, ' ');
  size_t newline = source.find('\n');
  bool crlf = newline != std::string_view::npos && newline > 0 &&
              source[newline - 1] == '\r';
  char emitted_quote = EmittedQuote(target);
  char quote = emitted_quote == 0 ? 0 : QuoteOf(source, emitted_quote);
  std::string_view comment = target == Target::kExpress ? "//" : "#";
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    bool terminated = end != std::string::npos;
    if (!terminated) end = text.size();
    std::string_view line(text.data() + at, end - at);
    size_t spaces = 0;
    while (line.substr(spaces).starts_with(emitted_unit)) {
      spaces += emitted_unit.size();
    }
    for (size_t i = 0; i < spaces / emitted_unit.size(); ++i) out += unit;
    line = line.substr(spaces);
    out += quote != emitted_quote ? Requote(line, emitted_quote, quote, comment)
                                  : std::string(line);
    if (terminated) out += crlf ? "\r\n" : "\n";
    at = end + 1;
  }
  return out;
}

// The response of some probe that carries the header written at `span`.
const Response* ResponseWith(const Analysis& analysis, const Span& span) {
  for (const Observation& observation : analysis.observations()) {
    for (const ResponseHeader& header : observation.response.headers) {
      if (header.span.file == span.file && header.span.begin <= span.begin &&
          span.end <= header.span.end &&
          EqualsIgnoreCase(header.name, kAllowOrigin)) {
        return &observation.response;
      }
    }
  }
  return nullptr;
}

// The response of some probe that carries a header written at `span`,
// one with `Access-Control-Allow-Origin` first.
const Response* ResponseCarrying(const Analysis& analysis, const Span& span) {
  const Response* found = nullptr;
  for (const Observation& observation : analysis.observations()) {
    const Response& response = observation.response;
    for (const ResponseHeader& header : response.headers) {
      if (header.span.file != span.file || header.span.begin > span.begin ||
          span.end > header.span.end) {
        continue;
      }
      if (!response.Find(kAllowOrigin).empty()) return &response;
      if (found == nullptr) found = &response;
    }
  }
  return found;
}

// The response of the first probe that gets a known
// `Access-Control-Allow-Origin`, or null.
const Response* AnyCorsResponse(const Analysis& analysis) {
  for (const Observation& observation : analysis.observations()) {
    const ResponseHeader* origin = observation.response.FindOne(kAllowOrigin);
    if (origin != nullptr && origin->value_known) return &observation.response;
  }
  return nullptr;
}

// The origins that the exact comparisons of `document` other than `except`
// test for, without `null` and `http://` ones other than loopback, each
// once.
std::vector<std::string> ComparedOrigins(const Document& document,
                                         const OriginCheck& except) {
  std::vector<std::string> origins;
  for (const OriginCheck& check : document.origin_checks) {
    if (&check == &except || check.kind != OriginCheckKind::kExact ||
        check.negated || !OriginDefect(check.pattern, true).empty() ||
        IsInsecureOrigin(check.pattern) ||
        std::find(origins.begin(), origins.end(), check.pattern) !=
            origins.end()) {
      continue;
    }
    origins.push_back(check.pattern);
  }
  return origins;
}

// The first answer of a scope of `document` to a request from `origin`
// that allows it, or nullopt.
std::optional<Response> AnswerTo(const Document& document,
                                 const std::string& origin) {
  for (const auto& scope : document.scopes) {
    Request request = Request::Simple(origin);
    request.path = scope->sample_path;
    Response response = scope->Respond(request);
    const ResponseHeader* allowed = response.FindOne(kAllowOrigin);
    if (allowed != nullptr && allowed->value_known &&
        allowed->value == origin) {
      return response;
    }
  }
  return std::nullopt;
}

// The exact origins among `entries`, or empty when one of them is a
// `*.` pattern, which the generated allowlist cannot hold.
std::vector<std::string> ExactOnly(const std::vector<std::string>& entries) {
  for (const std::string& entry : entries) {
    if (entry.find('*') != std::string::npos) return {};
  }
  return entries;
}

// For Express and Flask, the corrected CORS block of the application for
// a finding no edit mends: the allowlist it should hold (the trusted
// origins, or the origins a loose test is meant to admit), or, for headers
// written in one handler or never answered on a preflight, the same
// policy from the library's middleware, which covers errors and
// preflights. Nullopt when the intended origins cannot be read.
std::optional<Fix> CodeSnippet(const Analysis& analysis,
                               const RuleOptions& options,
                               const Finding& finding) {
  Format format = analysis.document().format;
  const SourceFile* file = finding.span.file;
  const std::string& rule = finding.rule;
  const Response* carrier = ResponseCarrying(analysis, finding.span);
  const Response* response = carrier != nullptr ? carrier
                             : finding.demonstration
                                 ? &finding.demonstration->response
                                 : nullptr;
  if (response == nullptr) response = AnyCorsResponse(analysis);
  if (response == nullptr) return std::nullopt;

  std::vector<std::string> origins;
  std::string description;
  if (rule == "reflected-origin" || rule == "untrusted-origin-allowed") {
    origins = ExactOnly(options.trusted_origins);
    description = "allow only the trusted origins, each sent back exactly";
  } else if (rule == "permissive-origin-pattern" ||
             rule == "null-origin-allowed" ||
             rule == "insecure-origin-allowed") {
    const OriginCheck* check = CheckAt(analysis.document(), finding.span);
    if (check == nullptr) return std::nullopt;
    Mend mend = rule == "null-origin-allowed"       ? Mend::kDropNull
                : rule == "insecure-origin-allowed" ? Mend::kDropInsecure
                                                    : Mend::kAnchor;
    description = "compare the Origin whole against an allowlist";
    std::vector<std::string> trusted = ExactOnly(options.trusted_origins);
    if (check->kind == OriginCheckKind::kExact) {
      // `origin === 'null'` beside other comparisons: those others (the
      // trusted ones among them, when the project lists its origins).
      for (const std::string& origin :
           ComparedOrigins(analysis.document(), *check)) {
        if (options.trusted_origins.empty() ||
            std::find(trusted.begin(), trusted.end(), origin) !=
                trusted.end()) {
          origins.push_back(origin);
        }
      }
    } else if (!options.trusted_origins.empty()) {
      // The trusted origins the test lets through.
      for (const std::string& origin : trusted) {
        if (check->Matches(origin)) origins.push_back(origin);
      }
    } else if (check->kind == OriginCheckKind::kRegex) {
      origins = ExactOnly(MendedOrigins(*check, mend, {}));
    }
    // A prefix, suffix or substring test says too little about the sites
    // it is meant for: without `trusted-origins`, nothing is suggested.
  } else if (rule == "cors-headers-missing-on-errors" ||
             rule == "preflight-not-handled") {
    const ResponseHeader* origin = response->FindOne(kAllowOrigin);
    if (origin == nullptr || !origin->value_known) return std::nullopt;
    description =
        "send the headers from the library's middleware, which also "
        "answers errors and preflights";
    if (origin->value == "*") {
      PolicySpec spec = PolicyOf(*response, {});
      spec.any_origin = true;
      return GeneratedSnippet(description, spec, format, file);
    }
    if (!OriginDefect(origin->value, true).empty()) return std::nullopt;
    origins = {origin->value};
  } else {
    return std::nullopt;
  }
  if (origins.empty()) return std::nullopt;
  return GeneratedSnippet(description, PolicyOf(*response, origins), format,
                          file);
}

}  // namespace

PolicySpec PolicyOf(const Response& response,
                    const std::vector<std::string>& origins) {
  PolicySpec spec;
  spec.origins = origins;
  spec.credentials = AllowsCredentials(response);
  std::vector<std::string> methods =
      Items(response, "Access-Control-Allow-Methods");
  if (!methods.empty()) spec.methods = methods;
  spec.allow_headers = Items(response, "Access-Control-Allow-Headers");
  spec.expose_headers = Items(response, "Access-Control-Expose-Headers");
  std::vector<std::string> max_age = Items(response, "Access-Control-Max-Age");
  if (max_age.size() == 1 && !max_age[0].empty() && max_age[0].size() <= 9 &&
      max_age[0].find_first_not_of("0123456789") == std::string::npos) {
    spec.max_age = std::min(std::stoi(max_age[0]), kMaxAgeCap);
  }
  return spec;
}

std::optional<Fix> GeneratedSnippet(std::string description, PolicySpec spec,
                                    Format format, const SourceFile* file) {
  std::optional<Target> target = TargetOf(format);
  if (!target || !CheckSpec(&spec).empty()) return std::nullopt;
  Fix fix;
  fix.description = std::move(description);
  fix.safety = FixSafety::kDisplayOnly;
  fix.snippet = LayOut(Emit(*target, spec), *target, file);
  return fix;
}

std::optional<std::string> NormalizeOrigin(std::string_view origin) {
  std::string text(origin);
  if (text.ends_with("/") &&
      text.find('/', text.find("://") + 3) == text.size() - 1) {
    text.pop_back();
  }
  std::optional<OriginParts> parts = ParseOrigin(text);
  if (!parts) return std::nullopt;
  std::string scheme = ToLower(parts->scheme);
  std::string port = parts->port;
  if ((scheme == "https" && port == "443") ||
      (scheme == "http" && port == "80")) {
    port.clear();
  }
  std::string normal =
      scheme + "://" + ToLower(parts->host) + (port.empty() ? "" : ":" + port);
  if (!OriginDefect(normal, true).empty()) return std::nullopt;
  return normal;
}

void AddSnippets(const Analysis& analysis, const RuleOptions& options,
                 std::vector<Finding>* findings) {
  Format format = analysis.document().format;
  for (Finding& finding : *findings) {
    if (!finding.fixes.empty()) continue;
    const SourceFile* file = finding.span.file;
    const Response* response =
        finding.demonstration ? &finding.demonstration->response : nullptr;

    std::optional<Fix> fix;
    if (finding.rule == "multiple-origins-in-header" && response != nullptr) {
      // The origins of a list in one value, or of repeated headers.
      std::string list;
      for (const ResponseHeader* origin : response->Find(kAllowOrigin)) {
        if (!origin->value_known) continue;
        list += origin->value + ",";
      }
      std::replace(list.begin(), list.end(), ' ', ',');
      std::vector<std::string> origins;
      for (const std::string& origin : SplitList(list)) {
        if (std::find(origins.begin(), origins.end(), origin) ==
            origins.end()) {
          origins.push_back(origin);
        }
      }
      fix = GeneratedSnippet(
          "check the Origin against an allowlist of these origins and send "
          "back the one that matched",
          PolicyOf(*response, origins), format, file);
    } else if (finding.rule == "malformed-origin") {
      const Response* carrier = ResponseWith(analysis, finding.span);
      std::string_view written = finding.span.text();
      if (written.size() >= 2 &&
          (written.front() == '"' || written.front() == '\'') &&
          written.back() == written.front()) {
        written = written.substr(1, written.size() - 2);
      }
      std::optional<std::string> origin = NormalizeOrigin(written);
      // An allowlist entry of code no probe matches: the answer to a
      // request that sends the entry as it is written.
      std::optional<Response> answer;
      if (carrier == nullptr && origin &&
          (format == Format::kExpress || format == Format::kFlask)) {
        answer = AnswerTo(analysis.document(), std::string(written));
        if (answer) carrier = &*answer;
      }
      if (carrier == nullptr || !origin) continue;
      fix = GeneratedSnippet("send " + *origin + " as browsers write it",
                             PolicyOf(*carrier, {*origin}), format, file);
    } else if (finding.rule == "wildcard-origin-with-credentials" &&
               response != nullptr) {
      std::vector<std::string> exact;
      for (const std::string& origin : options.trusted_origins) {
        if (origin.find('*') == std::string::npos) exact.push_back(origin);
      }
      if (exact.empty() || exact.size() != options.trusted_origins.size()) {
        continue;
      }
      fix = GeneratedSnippet(
          "allow credentials for the trusted origins, each sent back exactly",
          PolicyOf(*response, exact), format, file);
    } else if (format == Format::kExpress || format == Format::kFlask) {
      fix = CodeSnippet(analysis, options, finding);
    }
    if (fix) finding.fixes.push_back(std::move(*fix));
  }
}

}  // namespace corslint
