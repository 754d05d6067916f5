#include "analyzer/origin.h"

#include <algorithm>
#include <set>

namespace corslint {

namespace {

bool HasUpper(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool IsLoopbackHost(std::string_view host) {
  std::string lower = ToLower(host);
  return lower == "localhost" || lower.ends_with(".localhost") ||
         lower.starts_with("127.") || lower == "[::1]";
}

// The registrable part of a host, approximated as its last two labels, or
// three when the second-level label is a common public suffix (`co.uk`).
std::string_view RegistrableDomain(std::string_view host) {
  size_t last = host.rfind('.');
  if (last == std::string_view::npos || last == 0) return {};
  size_t second = host.rfind('.', last - 1);
  if (second == std::string_view::npos) return host;
  std::string_view label = host.substr(second + 1, last - second - 1);
  static const std::set<std::string_view> kSecondLevel = {
      "co", "com", "net", "org", "gov", "edu", "ac"};
  if (kSecondLevel.count(label) && host.size() - last - 1 == 2) {
    size_t third =
        second == 0 ? std::string_view::npos : host.rfind('.', second - 1);
    return third == std::string_view::npos ? host : host.substr(third + 1);
  }
  return host.substr(second + 1);
}

bool IsIpLiteral(std::string_view host) {
  if (host.starts_with('[')) return true;
  return std::all_of(host.begin(), host.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// Example strings that a regular expression matches, made by reading the
// pattern: literals are kept, alternatives expanded, optional parts tried
// with and without, and wildcard runs filled with a short label. Stops at
// `limit` examples; wildcards set `*wildcard`.
class ExampleGenerator {
 public:
  ExampleGenerator(std::string_view pattern, size_t limit)
      : pattern_(pattern), limit_(limit) {}

  std::vector<std::string> Run(bool* wildcard) {
    pos_ = 0;
    std::vector<std::string> examples = Alternation();
    *wildcard = wildcard_;
    return examples;
  }

 private:
  std::vector<std::string> Alternation() {
    std::vector<std::string> all = Sequence();
    while (pos_ < pattern_.size() && pattern_[pos_] == '|') {
      ++pos_;
      for (std::string& example : Sequence()) {
        if (all.size() < limit_) all.push_back(std::move(example));
      }
    }
    return all;
  }

  std::vector<std::string> Sequence() {
    std::vector<std::string> prefixes = {""};
    while (pos_ < pattern_.size() && pattern_[pos_] != '|' &&
           pattern_[pos_] != ')') {
      std::vector<std::string> atom = Atom();
      // Most atoms are one literal character: extend in place.
      if (atom.size() == 1) {
        for (std::string& prefix : prefixes) prefix += atom.front();
        continue;
      }
      std::vector<std::string> next;
      for (const std::string& prefix : prefixes) {
        for (const std::string& part : atom) {
          if (next.size() < limit_) next.push_back(prefix + part);
        }
      }
      prefixes = std::move(next);
    }
    return prefixes;
  }

  // One atom with its quantifier.
  std::vector<std::string> Atom() {
    char c = pattern_[pos_];
    std::vector<std::string> options;
    bool repeatable_wildcard = false;

    if (c == '^' || c == '$') {
      ++pos_;
      return {""};
    }
    if (c == '(') {
      ++pos_;
      if (pos_ < pattern_.size() && pattern_[pos_] == '?') {
        // Non-capturing, named or flag groups: skip to the group's body.
        ++pos_;
        if (pos_ < pattern_.size() && pattern_[pos_] == 'P') ++pos_;
        if (pos_ < pattern_.size() && pattern_[pos_] == '<') {
          while (pos_ < pattern_.size() && pattern_[pos_] != '>') ++pos_;
          ++pos_;
        } else {
          while (pos_ < pattern_.size() && pattern_[pos_] != ':' &&
                 pattern_[pos_] != ')') {
            ++pos_;
          }
          if (pos_ < pattern_.size() && pattern_[pos_] == ':') ++pos_;
        }
      }
      options = Alternation();
      if (pos_ < pattern_.size() && pattern_[pos_] == ')') ++pos_;
    } else if (c == '[') {
      size_t end = pos_ + 1;
      if (end < pattern_.size() && pattern_[end] == '^') ++end;
      if (end < pattern_.size() && pattern_[end] == ']') ++end;
      while (end < pattern_.size() && pattern_[end] != ']') {
        if (pattern_[end] == '\\') ++end;
        ++end;
      }
      options = {ClassFiller(pattern_.substr(pos_, end + 1 - pos_))};
      pos_ = std::min(end + 1, pattern_.size());
      repeatable_wildcard = IsLetter(options.front());
    } else if (c == '\\' && pos_ + 1 < pattern_.size()) {
      char e = pattern_[pos_ + 1];
      pos_ += 2;
      if (e == 'd') {
        options = {"0"};
      } else if (e == 'w') {
        options = {"w"};
        repeatable_wildcard = true;
      } else if (e == 'b' || e == 'B' || e == 'A' || e == 'z' || e == 'Z') {
        options = {""};
      } else {
        options = {std::string(1, e)};
      }
    } else if (c == '.') {
      ++pos_;
      options = {"."};
      repeatable_wildcard = true;
    } else {
      ++pos_;
      options = {std::string(1, c)};
    }

    return Quantify(options, repeatable_wildcard);
  }

  static bool IsLetter(const std::string& text) {
    return text.size() == 1 && text[0] >= 'a' && text[0] <= 'z';
  }

  std::vector<std::string> Quantify(std::vector<std::string> options,
                                    bool wildcard_atom) {
    if (pos_ >= pattern_.size()) return options;
    char q = pattern_[pos_];
    if (q != '?' && q != '*' && q != '+' && q != '{') return options;

    int min = 0;
    if (q == '{') {
      size_t close = pattern_.find('}', pos_);
      if (close == std::string_view::npos) return options;
      min = std::atoi(std::string(pattern_.substr(pos_ + 1)).c_str());
      pos_ = close + 1;
    } else {
      min = q == '+' ? 1 : 0;
      ++pos_;
    }
    // Lazy and possessive markers change nothing for examples.
    if (pos_ < pattern_.size() &&
        (pattern_[pos_] == '?' || pattern_[pos_] == '+'))
      ++pos_;

    // A repeated wildcard (`.*`, `[a-z0-9-]+`) stands for a whole label.
    if (wildcard_atom && q != '?') {
      wildcard_ = true;
      return {"www"};
    }
    if (q == '{') {
      std::vector<std::string> repeated;
      for (const std::string& option : options) {
        std::string text;
        for (int i = 0; i < min; ++i) text += option;
        repeated.push_back(text);
      }
      return repeated;
    }
    if (min == 0) {
      // Optional: without first, so that `(www\.)?example\.com` yields the
      // bare domain before the prefixed one.
      options.insert(options.begin(), "");
      if (q == '*') wildcard_ = true;
    }
    return options;
  }

  // A character a bracket class admits, preferring ones that keep a host
  // name readable.
  static std::string ClassFiller(std::string_view klass) {
    std::string error;
    RegexOptions options;
    auto regex =
        Regex::Compile("^" + std::string(klass) + "$", options, &error);
    if (regex == nullptr) return "w";
    for (const char* candidate : {"w", "a", "0", "-", "x"}) {
      if (regex->Match(candidate)) return candidate;
    }
    return "w";
  }

  std::string_view pattern_;
  size_t limit_;
  size_t pos_ = 0;
  bool wildcard_ = false;
};

// Cuts `text` down to `scheme://host[:port]`, adding `https://` when the
// pattern gave no scheme. Empty when nothing origin-like remains.
std::string ToOrigin(std::string text) {
  if (text.find("://") == std::string::npos) text = "https://" + text;
  size_t host_start = text.find("://") + 3;
  size_t end = FindAnyOf(text, "/?#", host_start);
  if (end != std::string::npos) text.resize(end);
  return ParseOrigin(text) ? text : std::string();
}

}  // namespace

std::optional<OriginParts> ParseOrigin(std::string_view text) {
  size_t sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  OriginParts parts;
  parts.scheme = std::string(text.substr(0, sep));
  std::string_view rest = text.substr(sep + 3);
  if (rest.empty()) return std::nullopt;
  if (FindAnyOf(rest, "/?#@ ,*") != std::string_view::npos) {
    return std::nullopt;
  }
  size_t bracket = rest.starts_with('[') ? rest.find(']') : 0;
  if (bracket == std::string_view::npos) return std::nullopt;
  size_t colon = rest.find(':', bracket);
  if (colon != std::string_view::npos) {
    parts.port = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (parts.port.empty() ||
        !std::all_of(parts.port.begin(), parts.port.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
  }
  if (rest.empty()) return std::nullopt;
  parts.host = std::string(rest);
  return parts;
}

std::string OriginDefect(std::string_view text, bool case_sensitive) {
  if (text == "null" || text == "*" || text.empty()) return "";
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    return "has no scheme, but browsers always send one (`https://" +
           std::string(text) + "`)";
  }
  std::string_view after = text.substr(sep + 3);
  size_t slash = after.find('/');
  if (slash != std::string_view::npos) {
    std::string_view path = after.substr(slash);
    if (path == "/") {
      return "ends with a slash, but an Origin never has a path";
    }
    return "has the path `" + std::string(path) +
           "`, but an Origin never has a path";
  }
  std::string_view authority = after;
  if (authority.find('*') != std::string_view::npos) {
    return "has a wildcard in the host, but browsers send a concrete host "
           "and nothing expands it here";
  }
  std::string_view scheme = text.substr(0, sep);
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && !authority.starts_with('[')) {
    std::string_view port = authority.substr(colon + 1);
    if ((scheme == "https" && port == "443") ||
        (scheme == "http" && port == "80")) {
      return "names the default port `:" + std::string(port) +
             "`, which browsers leave out of the Origin";
    }
  }
  if (case_sensitive && HasUpper(text)) {
    return "has upper-case letters, but browsers send the scheme and host in "
           "lower case and this comparison is case-sensitive";
  }
  return "";
}

bool IsInsecureOrigin(std::string_view origin) {
  if (origin.size() < 7 || !EqualsIgnoreCase(origin.substr(0, 7), "http://")) {
    return false;
  }
  std::optional<OriginParts> parts = ParseOrigin(origin);
  if (!parts || ToLower(parts->scheme) != "http") return false;
  return !IsLoopbackHost(parts->host);
}

std::vector<std::string> IntendedOrigins(const OriginCheck& check,
                                         bool* subdomains) {
  *subdomains = false;
  std::vector<std::string> candidates;
  // What a negated pattern matches is what it refuses.
  if (check.negated) return {};
  switch (check.kind) {
    case OriginCheckKind::kFixed:
    case OriginCheckKind::kExact:
    case OriginCheckKind::kPrefix:
      candidates.push_back(check.pattern);
      break;
    case OriginCheckKind::kSuffix:
    case OriginCheckKind::kSubstring:
      if (check.pattern.starts_with('.')) {
        *subdomains = true;
        candidates.push_back("www" + check.pattern);
      } else {
        candidates.push_back(check.pattern);
      }
      break;
    case OriginCheckKind::kHostnameMask:
      *subdomains =
          check.pattern.starts_with('.') || check.pattern.starts_with("*.");
      if (check.pattern.starts_with("*.")) {
        candidates.push_back("www" + check.pattern.substr(1));
      } else if (check.pattern.starts_with('.')) {
        candidates.push_back(check.pattern.substr(1));
      } else if (!check.pattern.ends_with(".*")) {
        candidates.push_back(check.pattern);
      }
      break;
    case OriginCheckKind::kRegex: {
      ExampleGenerator generator(check.pattern, 32);
      candidates = generator.Run(subdomains);
      break;
    }
    case OriginCheckKind::kAny:
    case OriginCheckKind::kUnknown:
      break;
  }

  // Keep what reads as an origin and really passes the check.
  std::vector<std::string> origins;
  for (std::string& candidate : candidates) {
    std::string origin = ToOrigin(candidate);
    if (origin.empty()) continue;
    if (check.kind != OriginCheckKind::kFixed && !check.Matches(origin)) {
      continue;
    }
    if (std::find(origins.begin(), origins.end(), origin) == origins.end()) {
      origins.push_back(origin);
    }
  }
  return origins;
}

std::vector<AttackerOrigin> DeriveAttackers(std::string_view intended,
                                            bool subdomains_intended) {
  std::vector<AttackerOrigin> attackers;
  std::optional<OriginParts> parts = ParseOrigin(intended);
  if (!parts) return attackers;
  const std::string scheme = parts->scheme + "://";
  const std::string& host = parts->host;
  std::string port = parts->port.empty() ? "" : ":" + parts->port;

  attackers.push_back({scheme + host + ".attacker.test", "appended domain"});

  std::string_view registrable = RegistrableDomain(host);
  if (!registrable.empty() && !IsIpLiteral(host)) {
    attackers.push_back(
        {scheme + "evil" + std::string(registrable) + port, "prefixed label"});
    if (registrable.size() < host.size()) {
      // The dot just before the registrable domain, matched by an
      // unescaped `.`, lets `appxexample.com` through.
      std::string dotless = host;
      dotless[host.size() - registrable.size() - 1] = 'x';
      attackers.push_back({scheme + dotless + port, "unescaped dot"});
    }
  }

  attackers.push_back({scheme + host + "_.attacker.test",
                       "special character `_` after the host"});
  attackers.push_back({scheme + host + "`.attacker.test",
                       "special character ` after the host"});
  if (!subdomains_intended && !IsIpLiteral(host)) {
    attackers.push_back({scheme + "attacker." + host + port, "any subdomain"});
  }
  return attackers;
}

bool TrustedPatternMatches(std::string_view pattern, std::string_view origin) {
  if (EqualsIgnoreCase(pattern, origin)) return true;
  size_t star = pattern.find("://*.");
  if (star == std::string_view::npos) return false;
  std::string_view scheme = pattern.substr(0, star);
  std::string_view domain = pattern.substr(star + 4);  // ".example.com"
  std::optional<OriginParts> parts = ParseOrigin(origin);
  if (!parts || !EqualsIgnoreCase(parts->scheme, scheme)) return false;
  std::string host = ToLower(parts->host);
  if (!parts->port.empty()) host += ":" + parts->port;
  std::string suffix = ToLower(domain);
  return host.size() > suffix.size() && host.ends_with(suffix);
}

}  // namespace corslint
