#include "fixers/allowlist.h"

#include <algorithm>

#include "analyzer/origin.h"
#include "analyzer/regex.h"

namespace corslint {

namespace {

std::string EscapeRegex(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

// The entry for an origin the generator made up for an open label: it
// fills such a label with `www`.
std::optional<std::string> WildcardEntry(const std::string& origin) {
  std::optional<OriginParts> parts = ParseOrigin(origin);
  if (!parts || !parts->host.starts_with("www.")) return std::nullopt;
  std::string entry = parts->scheme + "://*." + parts->host.substr(4);
  if (!parts->port.empty()) entry += ":" + parts->port;
  return entry;
}

// A concrete origin standing for `entry`, for tests.
std::string Example(const std::string& entry) {
  size_t star = entry.find("://*.");
  if (star == std::string::npos) return entry;
  return entry.substr(0, star) + "://api." + entry.substr(star + 5);
}

}  // namespace

std::vector<std::string> MendedOrigins(
    const OriginCheck& check, Mend mend,
    const std::vector<std::string>& trusted) {
  bool subdomains = false;
  std::vector<std::string> intended = IntendedOrigins(check, &subdomains);
  std::vector<std::string> entries;
  for (const std::string& origin : intended) {
    std::string entry = origin;
    if (subdomains) {
      std::optional<std::string> wildcard = WildcardEntry(origin);
      // An open label elsewhere than first cannot be written as `*.`.
      if (!wildcard) return {};
      entry = *wildcard;
    }
    if (origin == "null") continue;
    if (IsInsecureOrigin(Example(entry)) && mend != Mend::kDropNull) continue;
    if (!trusted.empty()) {
      bool covered = std::any_of(
          trusted.begin(), trusted.end(), [&](const std::string& pattern) {
            return EqualsIgnoreCase(pattern, entry) ||
                   (entry.find("://*.") == std::string::npos &&
                    TrustedPatternMatches(pattern, entry));
          });
      if (!covered) continue;
    }
    if (std::find(entries.begin(), entries.end(), entry) == entries.end()) {
      entries.push_back(entry);
    }
  }
  return entries;
}

std::string AllowlistRegex(const std::vector<std::string>& entries) {
  std::vector<std::string> parts;
  for (const std::string& entry : entries) {
    size_t star = entry.find("://*.");
    if (star == std::string::npos) {
      parts.push_back(EscapeRegex(entry));
      continue;
    }
    parts.push_back(EscapeRegex(entry.substr(0, star + 3)) +
                    "([a-z0-9-]+\\.)+" + EscapeRegex(entry.substr(star + 5)));
  }
  if (parts.size() == 1) return "^" + parts.front() + "$";
  std::string joined;
  for (const std::string& part : parts) {
    joined += (joined.empty() ? "" : "|") + part;
  }
  return "^(" + joined + ")$";
}

bool AllowlistRegexHolds(const std::string& regex, bool case_insensitive,
                         const std::vector<std::string>& entries) {
  RegexOptions options;
  options.case_insensitive = case_insensitive;
  std::string error;
  std::unique_ptr<Regex> compiled = Regex::Compile(regex, options, &error);
  if (compiled == nullptr || entries.empty() || compiled->Match("null")) {
    return false;
  }
  for (const std::string& entry : entries) {
    bool subdomains = entry.find("://*.") != std::string::npos;
    std::string origin = Example(entry);
    if (!compiled->Match(origin)) return false;
    for (const AttackerOrigin& attacker : DeriveAttackers(origin, subdomains)) {
      if (compiled->Match(attacker.origin)) return false;
    }
  }
  return true;
}

bool UsesCaptures(std::string_view text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '$') continue;
    char next = text[i + 1];
    if (next == '{' && i + 2 < text.size()) next = text[i + 2];
    if (next >= '1' && next <= '9') return true;
  }
  return false;
}

}  // namespace corslint
