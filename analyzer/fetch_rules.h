// The browser side of CORS as Chromium implements it: when a request needs
// a preflight, what the preflight carries, how its response and the actual
// response are judged, and which response headers page script can read.
// Pure functions of the request and the responses; nothing here talks to a
// server. The rules follow the Fetch standard where Chromium does, and
// Chromium where they differ (a `*` in Access-Control-Allow-Headers covers
// Authorization, the Max-Age cap is two hours, client hints are
// safelisted, a script-set User-Agent is dropped).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corslint {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The request's credentials mode, as `fetch(url, {credentials})` sets it.
enum class CredentialsMode { kOmit, kSameOrigin, kInclude };

std::string_view CredentialsModeName(CredentialsMode mode);  // "include", ...
std::optional<CredentialsMode> ParseCredentialsMode(std::string_view name);

// A cross-origin request as page script makes it with fetch().
struct BrowserRequest {
  std::string page_origin;  // serialized, e.g. `https://app.example.com`
  std::string url;          // for messages: `https://api.example.com/v1/x`
  std::string method = "GET";
  HeaderList headers;  // set by the page, in the order it set them
  CredentialsMode credentials = CredentialsMode::kSameOrigin;
};

// The method as fetch() sends it: DELETE, GET, HEAD, OPTIONS, POST and PUT
// are upper-cased whatever their case; any other method is sent as written.
std::string NormalizeMethod(std::string_view method);

// CONNECT, TRACE and TRACK: fetch() refuses them before any network access.
bool IsForbiddenMethod(std::string_view method);

// GET, HEAD and POST.
bool IsCorsSafelistedMethod(std::string_view method);

// Headers page script cannot set: the browser drops them silently
// (Chromium's list, which adds User-Agent to the standard's).
bool IsForbiddenRequestHeader(std::string_view name);

// Whether the header may be sent without a preflight, by name and value.
bool IsSafelistedRequestHeader(std::string_view name, std::string_view value);

// Cache-Control, Content-Language, Content-Length, Content-Type, Expires,
// Last-Modified and Pragma: readable by script on every CORS response.
bool IsSafelistedResponseHeader(std::string_view name);

// An HTTP token (RFC 9110): header names and methods.
bool IsToken(std::string_view text);

// Why a request needs a preflight; empty when it needs none.
struct PreflightNeed {
  bool method = false;  // the method is not GET, HEAD or POST
  // Lower-case names of the headers that are not safelisted, in the order
  // the request has them, each once.
  std::vector<std::string> unsafe_headers;
  // Per unsafe header, why it is not safelisted.
  std::vector<std::string> header_reasons;

  bool needed() const { return method || !unsafe_headers.empty(); }
};

// The headers a page's request really carries: forbidden ones removed,
// repeated names merged with ", " (as Blink does), values trimmed.
// `dropped` receives the names of the forbidden headers.
HeaderList EffectiveHeaders(const HeaderList& headers,
                            std::vector<std::string>* dropped);

PreflightNeed DecidePreflight(std::string_view method,
                              const HeaderList& effective_headers);

// Access-Control-Request-Headers: the unsafe names lower-cased, sorted
// byte-wise, joined with "," without spaces; empty when there are none.
std::string RequestHeadersValue(const std::vector<std::string>& unsafe);

// A refusal as Chromium reports it in DevTools (CDP corsErrorStatus).
struct CorsError {
  std::string code;              // "PreflightMissingAllowOriginHeader", ...
  std::string failed_parameter;  // the value or name at fault; may be empty
  // The response header whose value (or absence) caused the refusal, e.g.
  // `Access-Control-Allow-Origin`; empty for a status problem.
  std::string header;
};

// Combined value of a response header, Fetch style: every line with that
// name, trimmed, joined with ", "; nullopt when absent.
std::optional<std::string> CombinedHeader(const HeaderList& headers,
                                          std::string_view name);

// The CORS check of a response (§5 of the browser notes), with the
// Preflight* codes when `preflight` is set. nullopt: it passes.
std::optional<CorsError> CheckCorsResponse(const HeaderList& headers,
                                           std::string_view page_origin,
                                           CredentialsMode credentials,
                                           bool preflight);

// 301, 302, 303, 307 and 308: redirects when a Location header comes
// with them.
bool IsRedirectStatus(int status);

// Chromium's checks of a preflight response in its order: redirect, CORS
// check, status, list syntax, method, headers. nullopt: the actual request
// may be sent. `location_assumed` counts a redirect status as a redirect
// even without a Location header in `headers` (the model of a server
// redirect that does not list it).
std::optional<CorsError> CheckPreflightResponse(
    int status, const HeaderList& headers, const BrowserRequest& request,
    const std::vector<std::string>& unsafe_headers,
    bool location_assumed = false);

// Seconds Chromium keeps a successful preflight in its cache: 5 when the
// header is absent or not an integer, 0 when negative, at most 7200.
long long PreflightCacheSeconds(const HeaderList& headers);

// Names of the response headers page script can read on a successful
// CORS response, in the response's order, each once.
std::vector<std::string> ReadableHeaders(const HeaderList& headers,
                                         CredentialsMode credentials);

// The line Chromium prints in the console for the refusal of a fetch().
std::string ConsoleMessage(const CorsError& error, std::string_view url,
                           std::string_view page_origin);

// Whether `origin` is a serialized tuple origin a browser can send
// (lower-case scheme and host, no default port, no path), or `null`.
bool IsSerializedOrigin(std::string_view origin);

}  // namespace corslint
