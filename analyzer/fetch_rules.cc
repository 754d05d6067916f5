#include "analyzer/fetch_rules.h"

#include <algorithm>
#include <array>
#include <set>

#include "analyzer/policy.h"

namespace corslint {

namespace {

bool IsHttpWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string TrimHttp(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && IsHttpWhitespace(text[begin])) ++begin;
  while (end > begin && IsHttpWhitespace(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

// 1*DIGIT [ "." 1*DIGIT ]
bool IsDecimal(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) return IsDigits(text);
  return IsDigits(text.substr(0, dot)) && IsDigits(text.substr(dot + 1));
}

// A byte that keeps a header from being safelisted: a control character
// other than tab, DEL, or one of "():<>?@[\]{}.
bool IsCorsUnsafeByte(unsigned char c) {
  if (c < 0x20 && c != '\t') return true;
  if (c == 0x7f) return true;
  static constexpr std::string_view kUnsafe = "\"():<>?@[\\]{}";
  return kUnsafe.find(static_cast<char>(c)) != std::string_view::npos;
}

bool HasCorsUnsafeByte(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    return IsCorsUnsafeByte(static_cast<unsigned char>(c));
  });
}

// The WHATWG MIME type parser, as far as the safelist needs it: the
// essence must be `type/subtype` of tokens; parameters never fail.
std::optional<std::string> MimeEssence(std::string_view value) {
  std::string trimmed = TrimHttp(value);
  std::string_view rest = trimmed;
  size_t semicolon = rest.find(';');
  std::string_view essence = rest.substr(0, semicolon);
  size_t slash = essence.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view type = essence.substr(0, slash);
  std::string subtype = TrimHttp(essence.substr(slash + 1));
  // Trailing whitespace before `;` is allowed; inner whitespace is not.
  if (!IsToken(type) || !IsToken(subtype)) return std::nullopt;
  return ToLower(type) + "/" + ToLower(subtype);
}

// `bytes=START-` or `bytes=START-END` with START <= END. The unit is
// compared case-sensitively: Chromium preflights `BYTES=0-`, as the Fetch
// standard says (the browser suite checks it).
bool IsSimpleRange(std::string_view value) {
  std::string_view rest = value;
  if (!rest.starts_with("bytes=")) return false;
  rest.remove_prefix(6);
  size_t dash = rest.find('-');
  if (dash == std::string_view::npos) return false;
  std::string_view start = rest.substr(0, dash);
  std::string_view end = rest.substr(dash + 1);
  if (!IsDigits(start)) return false;
  if (end.empty()) return true;
  if (!IsDigits(end)) return false;
  if (start.size() > 18 || end.size() > 18) return false;
  return std::stoll(std::string(start)) <= std::stoll(std::string(end));
}

// A comma-separated list of tokens, empty items ignored; nullopt when an
// item is not a token.
std::optional<std::vector<std::string>> ParseTokenList(std::string_view value) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    std::string item = TrimHttp(value.substr(start, comma - start));
    if (!item.empty()) {
      if (!IsToken(item)) return std::nullopt;
      items.push_back(item);
    }
    start = comma + 1;
  }
  return items;
}

bool Contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Whether Chromium's GURL reads `value` as an absolute URL: a scheme, a
// colon and something after it.
bool LooksLikeAbsoluteUrl(std::string_view value) {
  size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  char first = value[0];
  bool alpha = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
  if (!alpha) return false;
  for (char c : value.substr(0, colon)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!ok) return false;
  }
  std::string_view rest = value.substr(colon + 1);
  if (rest.empty()) return false;
  // A special scheme needs a host.
  std::string scheme = ToLower(value.substr(0, colon));
  if (scheme == "http" || scheme == "https" || scheme == "ftp" ||
      scheme == "ws" || scheme == "wss") {
    std::string_view host = rest;
    while (!host.empty() && (host.front() == '/' || host.front() == '\\')) {
      host.remove_prefix(1);
    }
    return !host.empty() && host.front() != '?' && host.front() != '#';
  }
  return true;
}

}  // namespace

std::string_view CredentialsModeName(CredentialsMode mode) {
  switch (mode) {
    case CredentialsMode::kOmit:
      return "omit";
    case CredentialsMode::kSameOrigin:
      return "same-origin";
    case CredentialsMode::kInclude:
      return "include";
  }
  return "same-origin";
}

std::optional<CredentialsMode> ParseCredentialsMode(std::string_view name) {
  if (name == "omit") return CredentialsMode::kOmit;
  if (name == "same-origin") return CredentialsMode::kSameOrigin;
  if (name == "include") return CredentialsMode::kInclude;
  return std::nullopt;
}

std::string NormalizeMethod(std::string_view method) {
  static constexpr std::array<std::string_view, 6> kNormalized = {
      "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"};
  for (std::string_view known : kNormalized) {
    if (EqualsIgnoreCase(method, known)) return std::string(known);
  }
  return std::string(method);
}

bool IsForbiddenMethod(std::string_view method) {
  return EqualsIgnoreCase(method, "CONNECT") ||
         EqualsIgnoreCase(method, "TRACE") || EqualsIgnoreCase(method, "TRACK");
}

bool IsCorsSafelistedMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "POST";
}

bool IsForbiddenRequestHeader(std::string_view name) {
  static const std::set<std::string, std::less<>> kForbidden = {
      "accept-charset",
      "accept-encoding",
      "access-control-request-headers",
      "access-control-request-method",
      "access-control-request-private-network",
      "connection",
      "content-length",
      "cookie",
      "cookie2",
      "date",
      "dnt",
      "expect",
      "host",
      "keep-alive",
      "origin",
      "referer",
      "set-cookie",
      "te",
      "trailer",
      "transfer-encoding",
      "upgrade",
      "user-agent",
      "via"};
  std::string lower = ToLower(name);
  if (kForbidden.count(lower)) return true;
  return lower.starts_with("proxy-") || lower.starts_with("sec-");
}

bool IsSafelistedRequestHeader(std::string_view name, std::string_view value) {
  if (value.size() > 128) return false;
  std::string lower = ToLower(name);

  if (lower == "accept") return !HasCorsUnsafeByte(value);
  if (lower == "accept-language" || lower == "content-language") {
    return std::all_of(value.begin(), value.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
             (c >= 'a' && c <= 'z') || c == ' ' || c == '*' || c == ',' ||
             c == '-' || c == '.' || c == ';' || c == '=';
    });
  }
  if (lower == "content-type") {
    if (HasCorsUnsafeByte(value)) return false;
    std::optional<std::string> essence = MimeEssence(value);
    return essence &&
           (*essence == "application/x-www-form-urlencoded" ||
            *essence == "multipart/form-data" || *essence == "text/plain");
  }
  if (lower == "range") return IsSimpleRange(value);

  // Client hints that Chromium safelists (other engines do not).
  if (lower == "intervention") return true;
  if (lower == "device-memory" || lower == "dpr" || lower == "downlink") {
    return IsDecimal(value);
  }
  if (lower == "width" || lower == "viewport-width" || lower == "rtt") {
    return IsDigits(value);
  }
  if (lower == "ect") {
    return value == "slow-2g" || value == "2g" || value == "3g" ||
           value == "4g";
  }
  if (lower == "save-data") return EqualsIgnoreCase(value, "on");
  return false;
}

bool IsSafelistedResponseHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kNames = {
      "cache-control", "content-language", "content-length", "content-type",
      "expires",       "last-modified",    "pragma"};
  std::string lower = ToLower(name);
  return std::find(kNames.begin(), kNames.end(), lower) != kNames.end();
}

bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  static constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={}";
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f &&
           kSeparators.find(c) == std::string_view::npos;
  });
}

HeaderList EffectiveHeaders(const HeaderList& headers,
                            std::vector<std::string>* dropped) {
  HeaderList effective;
  for (const auto& [name, value] : headers) {
    if (IsForbiddenRequestHeader(name)) {
      if (dropped != nullptr) dropped->push_back(name);
      continue;
    }
    std::string trimmed = TrimHttp(value);
    auto same = std::find_if(effective.begin(), effective.end(),
                             [&](const auto& header) {
                               return EqualsIgnoreCase(header.first, name);
                             });
    if (same != effective.end()) {
      same->second += ", " + trimmed;
      continue;
    }
    effective.emplace_back(name, trimmed);
  }
  return effective;
}

PreflightNeed DecidePreflight(std::string_view method,
                              const HeaderList& effective_headers) {
  PreflightNeed need;
  need.method = !IsCorsSafelistedMethod(method);

  // Safelisted headers count against a budget of 1024 bytes of values;
  // past it they all need the preflight too.
  std::vector<std::string> safelisted;
  size_t budget = 0;
  for (const auto& [name, value] : effective_headers) {
    std::string lower = ToLower(name);
    if (IsSafelistedRequestHeader(name, value)) {
      safelisted.push_back(lower);
      budget += value.size();
      continue;
    }
    need.unsafe_headers.push_back(lower);
    if (value.size() > 128) {
      need.header_reasons.push_back("its value is longer than 128 bytes");
    } else if (lower == "accept" || lower == "accept-language" ||
               lower == "content-language" || lower == "content-type" ||
               lower == "range") {
      need.header_reasons.push_back("its value `" + value +
                                    "` is not one the Fetch standard "
                                    "safelists");
    } else {
      need.header_reasons.push_back(
          "it is not a CORS-safelisted request header");
    }
  }
  if (budget > 1024) {
    for (const std::string& name : safelisted) {
      need.unsafe_headers.push_back(name);
      need.header_reasons.push_back(
          "the safelisted headers' values add up to more than 1024 bytes");
    }
  }
  return need;
}

std::string RequestHeadersValue(const std::vector<std::string>& unsafe) {
  std::vector<std::string> names;
  for (const std::string& name : unsafe) names.push_back(ToLower(name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ',';
    joined += name;
  }
  return joined;
}

std::optional<std::string> CombinedHeader(const HeaderList& headers,
                                          std::string_view name) {
  std::optional<std::string> combined;
  for (const auto& [key, value] : headers) {
    if (!EqualsIgnoreCase(key, name)) continue;
    if (combined) {
      *combined += ", " + TrimHttp(value);
    } else {
      combined = TrimHttp(value);
    }
  }
  return combined;
}

std::optional<CorsError> CheckCorsResponse(const HeaderList& headers,
                                           std::string_view page_origin,
                                           CredentialsMode credentials,
                                           bool preflight) {
  std::string prefix = preflight ? "Preflight" : "";
  bool include = credentials == CredentialsMode::kInclude;
  std::optional<std::string> allow_origin =
      CombinedHeader(headers, "Access-Control-Allow-Origin");
  const std::string kAllowOrigin = "Access-Control-Allow-Origin";

  if (!allow_origin) {
    return CorsError{prefix + "MissingAllowOriginHeader", "", kAllowOrigin};
  }
  if (*allow_origin == "*") {
    if (!include) return std::nullopt;
    return CorsError{prefix + "WildcardOriginNotAllowed", "", kAllowOrigin};
  }
  if (*allow_origin != page_origin) {
    std::string code;
    if (allow_origin->find_first_of(" ,") != std::string::npos) {
      code = "MultipleAllowOriginValues";
    } else if (*allow_origin == "null") {
      code = "AllowOriginMismatch";
    } else if (!LooksLikeAbsoluteUrl(*allow_origin)) {
      code = "InvalidAllowOriginValue";
    } else {
      code = "AllowOriginMismatch";
    }
    return CorsError{prefix + code, *allow_origin, kAllowOrigin};
  }
  if (!include) return std::nullopt;

  std::optional<std::string> allow_credentials =
      CombinedHeader(headers, "Access-Control-Allow-Credentials");
  if (allow_credentials && *allow_credentials == "true") return std::nullopt;
  return CorsError{prefix + "InvalidAllowCredentials",
                   allow_credentials.value_or(""),
                   "Access-Control-Allow-Credentials"};
}

bool IsRedirectStatus(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

std::optional<CorsError> CheckPreflightResponse(
    int status, const HeaderList& headers, const BrowserRequest& request,
    const std::vector<std::string>& unsafe_headers, bool location_assumed) {
  bool redirect = IsRedirectStatus(status) &&
                  (location_assumed ||
                   CombinedHeader(headers, "Location").has_value());
  if (redirect) return CorsError{"PreflightDisallowedRedirect", "", ""};

  if (std::optional<CorsError> error = CheckCorsResponse(
          headers, request.page_origin, request.credentials, true)) {
    return error;
  }
  if (status < 200 || status > 299) {
    return CorsError{"PreflightInvalidStatus", "", ""};
  }

  std::optional<std::vector<std::string>> methods = ParseTokenList(
      CombinedHeader(headers, "Access-Control-Allow-Methods").value_or(""));
  if (!methods) {
    return CorsError{"InvalidAllowMethodsPreflightResponse", "",
                     "Access-Control-Allow-Methods"};
  }
  std::optional<std::vector<std::string>> names = ParseTokenList(
      CombinedHeader(headers, "Access-Control-Allow-Headers").value_or(""));
  if (!names) {
    return CorsError{"InvalidAllowHeadersPreflightResponse", "",
                     "Access-Control-Allow-Headers"};
  }

  bool include = request.credentials == CredentialsMode::kInclude;
  std::string method = NormalizeMethod(request.method);
  bool method_allowed = Contains(*methods, method) ||
                        IsCorsSafelistedMethod(method) ||
                        (!include && Contains(*methods, "*"));
  if (!method_allowed) {
    return CorsError{"MethodDisallowedByPreflightResponse", method,
                     "Access-Control-Allow-Methods"};
  }

  // Chromium lets `*` cover Authorization too (the standard does not).
  if (!include && Contains(*names, "*")) return std::nullopt;
  std::vector<std::string> lower;
  for (const std::string& name : *names) lower.push_back(ToLower(name));
  for (const std::string& name : unsafe_headers) {
    if (!Contains(lower, ToLower(name))) {
      return CorsError{"HeaderDisallowedByPreflightResponse", ToLower(name),
                       "Access-Control-Allow-Headers"};
    }
  }
  return std::nullopt;
}

long long PreflightCacheSeconds(const HeaderList& headers) {
  std::optional<std::string> value =
      CombinedHeader(headers, "Access-Control-Max-Age");
  if (!value) return 5;
  std::string_view digits = *value;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (!IsDigits(digits) || digits.size() > 18) return 5;
  if (negative) return 0;
  return std::min<long long>(std::stoll(std::string(digits)), 7200);
}

std::vector<std::string> ReadableHeaders(const HeaderList& headers,
                                         CredentialsMode credentials) {
  bool include = credentials == CredentialsMode::kInclude;
  std::vector<std::string> exposed;
  std::optional<std::string> expose =
      CombinedHeader(headers, "Access-Control-Expose-Headers");
  if (expose) {
    std::optional<std::vector<std::string>> names = ParseTokenList(*expose);
    if (names) {
      for (const std::string& name : *names) exposed.push_back(ToLower(name));
    }
  }
  bool all = !include && Contains(exposed, "*");

  std::vector<std::string> readable;
  for (const auto& [name, value] : headers) {
    std::string lower = ToLower(name);
    if (lower == "set-cookie" || lower == "set-cookie2") continue;
    if (Contains(readable, lower)) continue;
    if (all || IsSafelistedResponseHeader(lower) || Contains(exposed, lower)) {
      readable.push_back(lower);
    }
  }
  return readable;
}

std::string ConsoleMessage(const CorsError& error, std::string_view url,
                           std::string_view page_origin) {
  static constexpr std::string_view kOpaqueHint =
      " Have the server send the header with a valid value, or, if an opaque "
      "response serves your needs, set the request's mode to 'no-cors' to "
      "fetch the resource with CORS disabled.";
  std::string code = error.code;
  bool preflight_prefix = code.starts_with("Preflight");
  if (preflight_prefix) code = code.substr(9);
  const std::string& hint = error.failed_parameter;

  std::string detail;
  if (code == "WildcardOriginNotAllowed") {
    detail =
        "The value of the 'Access-Control-Allow-Origin' header in the response "
        "must not be the wildcard '*' when the request's credentials mode is "
        "'include'.";
  } else if (code == "MissingAllowOriginHeader") {
    detail =
        "No 'Access-Control-Allow-Origin' header is present on the requested "
        "resource. If an opaque response serves your needs, set the request's "
        "mode to 'no-cors' to fetch the resource with CORS disabled.";
  } else if (code == "MultipleAllowOriginValues") {
    detail =
        "The 'Access-Control-Allow-Origin' header contains multiple values '" +
        hint + "', but only one is allowed." + std::string(kOpaqueHint);
  } else if (code == "InvalidAllowOriginValue") {
    detail =
        "The 'Access-Control-Allow-Origin' header contains the invalid value '" +
        hint + "'." + std::string(kOpaqueHint);
  } else if (code == "AllowOriginMismatch") {
    detail = "The 'Access-Control-Allow-Origin' header has a value '" + hint +
             "' that is not equal to the supplied origin." +
             std::string(kOpaqueHint);
  } else if (code == "InvalidAllowCredentials") {
    detail =
        "The value of the 'Access-Control-Allow-Credentials' header in the "
        "response is '" +
        hint +
        "' which must be 'true' when the request's credentials mode is "
        "'include'.";
  } else if (code == "InvalidStatus") {
    detail = "It does not have HTTP ok status.";
  } else if (code == "DisallowedRedirect") {
    detail = "Redirect is not allowed for a preflight request.";
  } else if (code == "InvalidAllowMethodsPreflightResponse") {
    detail =
        "Cannot parse Access-Control-Allow-Methods response header field in "
        "preflight response.";
  } else if (code == "InvalidAllowHeadersPreflightResponse") {
    detail =
        "Cannot parse Access-Control-Allow-Headers response header field in "
        "preflight response.";
  } else if (code == "MethodDisallowedByPreflightResponse") {
    detail = "Method " + hint +
             " is not allowed by Access-Control-Allow-Methods in preflight "
             "response.";
  } else if (code == "HeaderDisallowedByPreflightResponse") {
    detail = "Request header field " + hint +
             " is not allowed by Access-Control-Allow-Headers in preflight "
             "response.";
  } else {
    detail = error.code;
  }

  std::string message = "Access to fetch at '" + std::string(url) +
                        "' from origin '" + std::string(page_origin) +
                        "' has been blocked by CORS policy: ";
  if (preflight_prefix) {
    message +=
        "Response to preflight request doesn't pass access control check: ";
  }
  return message + detail;
}

bool IsSerializedOrigin(std::string_view origin) {
  if (origin == "null") return true;
  size_t sep = origin.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  std::string_view scheme = origin.substr(0, sep);
  if (scheme != "http" && scheme != "https") return false;
  std::string_view authority = origin.substr(sep + 3);
  if (authority.empty()) return false;
  if (authority.find_first_of("/?#@ ,*\\") != std::string_view::npos) {
    return false;
  }
  if (ToLower(authority) != authority) return false;
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos &&
      (bracket == std::string_view::npos || colon > bracket)) {
    std::string_view port = authority.substr(colon + 1);
    std::string_view host = authority.substr(0, colon);
    if (host.empty() || !IsDigits(port)) return false;
    if (port.front() == '0' || port.size() > 5) return false;
    if (std::stoi(std::string(port)) > 65535) return false;
    if ((scheme == "http" && port == "80") ||
        (scheme == "https" && port == "443")) {
      return false;
    }
  }
  return true;
}

}  // namespace corslint
