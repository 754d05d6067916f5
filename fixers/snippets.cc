#include "fixers/snippets.h"

#include <algorithm>

#include "analyzer/origin.h"
#include "fixers/emitters.h"

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

// The emitted `text` (four-space indents, `\n`) laid out like `file`.
std::string LayOut(const std::string& text, const SourceFile* file) {
  if (file == nullptr) return text;
  std::string_view source = file->text();
  std::string unit = IndentUnitOf(source);
  size_t newline = source.find('\n');
  bool crlf = newline != std::string_view::npos && newline > 0 &&
              source[newline - 1] == '\r';
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    bool terminated = end != std::string::npos;
    if (!terminated) end = text.size();
    std::string_view line(text.data() + at, end - at);
    size_t spaces = 0;
    while (spaces + 4 <= line.size() && line.substr(spaces, 4) == "    ") {
      spaces += 4;
    }
    for (size_t i = 0; i < spaces / 4; ++i) out += unit;
    out += line.substr(spaces);
    if (terminated) out += crlf ? "\r\n" : "\n";
    at = end + 1;
  }
  return out;
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
  fix.snippet = LayOut(Emit(*target, spec), file);
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
    }
    if (fix) finding.fixes.push_back(std::move(*fix));
  }
}

}  // namespace corslint
