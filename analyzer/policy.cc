#include "analyzer/policy.h"

#include <algorithm>
#include <sstream>

namespace corslint {

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kNginx:
      return "nginx";
    case Format::kApache:
      return "apache";
    case Format::kExpress:
      return "express";
    case Format::kFlask:
      return "flask";
  }
  return "unknown";
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

Request Request::Simple(std::string origin, std::string method) {
  Request request;
  request.method = std::move(method);
  request.origin = std::move(origin);
  return request;
}

Request Request::Preflight(std::string origin, std::string method,
                           std::vector<std::string> header_names) {
  Request request;
  request.method = "OPTIONS";
  request.origin = std::move(origin);
  request.headers.reserve(2);
  request.headers.emplace_back("Access-Control-Request-Method",
                               std::move(method));
  if (!header_names.empty()) {
    std::string joined;
    for (const std::string& name : header_names) {
      if (!joined.empty()) joined += ',';
      joined += ToLower(name);
    }
    request.headers.emplace_back("Access-Control-Request-Headers", joined);
  }
  return request;
}

bool Request::is_preflight() const {
  return method == "OPTIONS" && origin.has_value() &&
         Header("Access-Control-Request-Method") != nullptr;
}

const std::string* Request::Header(std::string_view name) const {
  if (EqualsIgnoreCase(name, "Origin")) {
    return origin ? &*origin : nullptr;
  }
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

bool Response::UpstreamMaySend(std::string_view name) const {
  if (responder != Responder::kUpstream) return false;
  return std::none_of(upstream_hidden.begin(), upstream_hidden.end(),
                      [&](const std::string& hidden) {
                        return EqualsIgnoreCase(hidden, name);
                      });
}

namespace {

// nginx `map hostnames` matching on the dot-separated labels of the whole
// value: `*.a.com` needs at least one more label in front, `.a.com` also
// matches `a.com` itself, `a.*` matches any last label.
bool HostnameMaskMatches(std::string_view mask, std::string_view value) {
  std::string subject = ToLower(value);
  if (!subject.empty() && subject.back() == '.') subject.pop_back();
  std::string pattern = ToLower(mask);

  if (pattern.starts_with("*.")) {
    std::string_view suffix = std::string_view(pattern).substr(1);
    return subject.size() > suffix.size() && subject.ends_with(suffix);
  }
  if (pattern.starts_with(".")) {
    std::string_view bare = std::string_view(pattern).substr(1);
    return subject == bare || subject.ends_with(pattern);
  }
  if (pattern.ends_with(".*")) {
    std::string_view prefix =
        std::string_view(pattern).substr(0, pattern.size() - 1);
    return subject.size() > prefix.size() && subject.starts_with(prefix) &&
           subject.find('.', prefix.size()) == std::string::npos;
  }
  return subject == pattern;
}

}  // namespace

std::optional<bool> OriginCheck::MatchesIn(RegexState state,
                                           std::string_view origin) const {
  if (!stateful || state == RegexState::kFresh) return Matches(origin);
  if (state == RegexState::kUnknown || regex == nullptr) return std::nullopt;

  // The test before matched this origin and left lastIndex at the end of
  // that match; this one searches from there. (An origin the pattern does
  // not match leaves nothing to resume from: no test before matched it.)
  std::optional<size_t> end = regex->MatchEnd(origin);
  if (!end) return Matches(origin);
  bool again = regex->MatchEnd(origin, *end).has_value();
  return again != negated;
}

bool OriginCheck::Matches(std::string_view origin) const {
  bool matched = false;
  switch (kind) {
    case OriginCheckKind::kRegex:
      matched = regex != nullptr && regex->Match(origin);
      break;
    case OriginCheckKind::kHostnameMask:
      matched = HostnameMaskMatches(pattern, origin);
      break;
    case OriginCheckKind::kAny:
      matched = true;
      break;
    case OriginCheckKind::kUnknown:
      return false;
    case OriginCheckKind::kFixed:
    case OriginCheckKind::kExact:
    case OriginCheckKind::kPrefix:
    case OriginCheckKind::kSuffix:
    case OriginCheckKind::kSubstring:
      matched = MatchesLiterally(origin);
      break;
  }
  return matched != negated;
}

// The comparisons of text with text, folded to lower case when the
// platform ignores case.
bool OriginCheck::MatchesLiterally(std::string_view origin) const {
  auto equal = [this](std::string_view a, std::string_view b) {
    return case_insensitive ? EqualsIgnoreCase(a, b) : a == b;
  };
  std::string_view needle = pattern;
  switch (kind) {
    case OriginCheckKind::kPrefix:
      return origin.size() >= needle.size() &&
             equal(origin.substr(0, needle.size()), needle);
    case OriginCheckKind::kSuffix:
      return origin.size() >= needle.size() &&
             equal(origin.substr(origin.size() - needle.size()), needle);
    case OriginCheckKind::kSubstring: {
      if (!case_insensitive) {
        return origin.find(needle) != std::string_view::npos;
      }
      auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      };
      return std::search(origin.begin(), origin.end(), needle.begin(),
                         needle.end(), [&](char a, char b) {
                           return lower(a) == lower(b);
                         }) != origin.end();
    }
    default:
      return equal(origin, needle);
  }
}

std::string_view ResponderName(Responder responder) {
  switch (responder) {
    case Responder::kConfig:
      return "config";
    case Responder::kStatic:
      return "static";
    case Responder::kUpstream:
      return "upstream";
    case Responder::kApp:
      return "app";
  }
  return "";
}

const SourceFile* Document::AddFile(std::string path, std::string text) {
  files.push_back(
      std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return files.back().get();
}

std::string_view OriginCheckKindName(OriginCheckKind kind) {
  switch (kind) {
    case OriginCheckKind::kFixed:
      return "fixed";
    case OriginCheckKind::kExact:
      return "exact";
    case OriginCheckKind::kRegex:
      return "regex";
    case OriginCheckKind::kHostnameMask:
      return "hostname";
    case OriginCheckKind::kPrefix:
      return "prefix";
    case OriginCheckKind::kSuffix:
      return "suffix";
    case OriginCheckKind::kSubstring:
      return "substring";
    case OriginCheckKind::kAny:
      return "any";
    case OriginCheckKind::kUnknown:
      return "unknown";
  }
  return "?";
}

namespace {

std::string DescribeRequest(const Request& request) {
  std::string text = request.method + " " + request.path;
  if (request.origin) text += " origin=" + *request.origin;
  for (const auto& [name, value] : request.headers) {
    text += " " + ToLower(name) + "=" + value;
  }
  if (request.handler_status != 200) {
    text += " handler=" + std::to_string(request.handler_status);
  }
  return text;
}

}  // namespace

std::string DumpDocument(const Document& document,
                         const std::vector<Request>& probes) {
  std::ostringstream out;
  for (const auto& scope : document.scopes) {
    out << "scope " << scope->name << "\n";
    for (const Request& probe : probes) {
      Response response = scope->Respond(probe);
      out << "  " << DescribeRequest(probe) << " -> " << response.status << " "
          << ResponderName(response.responder);
      for (const ResponseHeader& header : response.headers) {
        out << "\n    " << header.name << ": "
            << (header.value_known ? header.value : "<unknown>");
      }
      out << "\n";
    }
  }
  for (const OriginCheck& check : document.origin_checks) {
    out << "check " << OriginCheckKindName(check.kind) << " "
        << (check.negated ? "!" : "") << check.pattern
        << (check.case_insensitive ? " (i)" : "")
        << (check.used ? "" : " (unused)") << "\n";
  }
  for (const DroppedHeaders& dropped : document.dropped) {
    out << "dropped in " << dropped.scope->name << ":";
    for (const ResponseHeader& header : dropped.lost) out << " " << header.name;
    out << (dropped.preflight_only ? " (preflight only)" : "") << "\n";
  }
  return out.str();
}

}  // namespace corslint
