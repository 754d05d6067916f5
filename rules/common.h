// Helpers that several rules share.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/analysis.h"
#include "analyzer/rule.h"

namespace corslint {

inline constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";
inline constexpr std::string_view kAllowCredentials =
    "Access-Control-Allow-Credentials";
inline constexpr std::string_view kAllowMethods =
    "Access-Control-Allow-Methods";
inline constexpr std::string_view kAllowHeaders =
    "Access-Control-Allow-Headers";
inline constexpr std::string_view kExposeHeaders =
    "Access-Control-Expose-Headers";
inline constexpr std::string_view kMaxAge = "Access-Control-Max-Age";

// `text` between backticks, the way messages quote a culprit.
std::string Quote(std::string_view text);

// Error when the response allows credentials, warning otherwise: what turns
// a permissive policy into a data leak.
Severity CredentialSeverity(const Response& response);

// A finding at `span` that carries `observation` as its demonstration.
Finding FindingAt(const Span& span, Severity severity, std::string message,
                  const Observation* observation = nullptr);

// The single Access-Control-Allow-Origin of a response when its value is
// known, or null.
const ResponseHeader* KnownAllowOrigin(const Response& response);

// The first check of the document that admits `origin` (not kAny or
// kUnknown), or null.
const OriginCheck* CheckAdmitting(const Document& document,
                                  std::string_view origin);

// The first attacker origin derived from what `check` is meant to admit
// that the check also admits, or empty. Only pattern checks (regex,
// prefix, suffix, substring, hostname mask) can admit one.
std::string AdmittedAttacker(const Analysis& analysis, const OriginCheck& check,
                             std::string* how);

// Whether `method` is GET, HEAD or POST, which never need a preflight.
bool IsSafelistedMethod(std::string_view method);

// Joins names as "`a`, `b` and `c`".
std::string QuoteList(const std::vector<std::string>& names);

}  // namespace corslint
