// Origins: parsing, the origins a configuration seems to intend, and the
// attacker origins derived from them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy.h"

namespace corslint {

// A serialized origin split into its parts: `scheme://host[:port]`.
struct OriginParts {
  std::string scheme;
  std::string host;
  std::string port;  // empty when absent
};

// Parses an origin as a browser serializes it. Returns nullopt for `null`,
// `*` and anything with a path, query, user info or missing scheme.
std::optional<OriginParts> ParseOrigin(std::string_view text);

// Why a configured origin can never equal what a browser sends, or empty
// when it can. `case_sensitive` says whether the comparison that uses the
// value respects case.
std::string OriginDefect(std::string_view text, bool case_sensitive);

// Whether `origin` is `http://` on a host other than a loopback one.
bool IsInsecureOrigin(std::string_view origin);

// The origins a check seems meant to admit, e.g. `https://app.example.com`
// for the regex `^https://app\.example\.com$`. Each returned origin passes
// the check. `subdomains` is set when the check is meant to admit any
// subdomain of what it returns (a wildcard label in the pattern).
std::vector<std::string> IntendedOrigins(const OriginCheck& check,
                                         bool* subdomains);

// An origin an attacker can obtain, and how it was made.
struct AttackerOrigin {
  std::string origin;
  std::string how;  // "appended domain", "prefixed label", ...
};

// Attacker origins derived from an intended origin, in the order a finding
// should prefer them: appended domain, prefixed label, unescaped dot,
// special characters, and any subdomain unless subdomains are intended.
// The `http://` downgrade and `null` are left to their own rules.
std::vector<AttackerOrigin> DeriveAttackers(std::string_view intended,
                                            bool subdomains_intended);

// An origin no configuration means to trust; a scope that allows it
// allows any origin.
inline constexpr std::string_view kUnrelatedOrigin = "https://attacker.test";

// Whether `pattern` (an exact origin or `https://*.example.com`) covers
// `origin`, as the project's `trusted-origins` list means it.
bool TrustedPatternMatches(std::string_view pattern, std::string_view origin);

}  // namespace corslint
