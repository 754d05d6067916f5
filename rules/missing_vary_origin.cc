#include <map>
#include <set>
#include <string_view>

#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds responses whose `Access-Control-Allow-Origin` depends on the
request's `Origin` (it echoes the origin, or an allowlist yields two or
more different values) but that do not send `Vary: Origin`.

## Why is this bad?
A shared cache (a CDN, a corporate proxy, the browser's own HTTP cache)
stores the response under its URL alone and hands the answer meant for one
origin to another: the second site then fails, or, worse, a response
allowed for one origin is served where it should not be.

## Example
```nginx
map $http_origin $cors_origin {
    default "";
    "https://app.example.com" $http_origin;
    "https://admin.example.com" $http_origin;
}
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin $cors_origin always;
    }
}
```

## Use instead
```nginx
map $http_origin $cors_origin {
    default "";
    "https://app.example.com" $http_origin;
    "https://admin.example.com" $http_origin;
}
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Vary Origin always;
    }
}
```

## Fix safety
Adding `Vary: Origin` is safe: it only stops caches from mixing answers.
nginx gets `add_header Vary Origin always;` beside the
`Access-Control-Allow-Origin` line, at the same level so that inheritance
does not change; Apache gets `Header always merge Vary Origin`, which
leaves a `Vary` that already lists `Origin` alone.

For Express, `res.vary('Origin')` is added after the hand-written
`Access-Control-Allow-Origin` statement; for Flask,
`response.headers.add("Vary", "Origin")`, or flask-cors's
`vary_header=False` is turned back on. All are safe. The `cors` package
itself already sends `Vary: Origin` whenever the origin varies, so it needs
no fix.

## Known problems
Preflight responses are not checked, as shared caches do not store
`OPTIONS` answers. Responses that omit the header for refused origins
should carry `Vary: Origin` too, so that a cached refusal does not reach an
allowed origin; that case is not reported.

## References
- Fetch Standard, CORS protocol and HTTP caches: https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
- CWE-525: https://cwe.mitre.org/data/definitions/525.html
)md";

bool VariesOnOrigin(const Response& response) {
  for (const ResponseHeader* vary : response.Find("Vary")) {
    if (!vary->value_known) return true;
    if (AnyListItem(vary->value, [](std::string_view item) {
          return item == "*" || EqualsIgnoreCase(item, "origin");
        })) {
      return true;
    }
  }
  return false;
}

void Check(RuleContext& context) {
  const Analysis& analysis = context.analysis();
  const auto& observations = analysis.observations();

  // Which scopes answer different origins differently.
  std::set<const Scope*> dependent;
  std::map<const Scope*, std::set<std::string_view>> values;
  for (const Observation& observation : observations) {
    if (observation.kind != ProbeKind::kActual) continue;
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr) continue;
    std::string_view value = Trim(origin->value);
    if (value == "*") continue;
    std::set<std::string_view>& seen = values[observation.scope];
    seen.emplace(value);
    if (seen.size() >= 2 ||
        (observation.origin_kind == ProbeOrigin::kUnrelated &&
         value == observation.origin())) {
      dependent.insert(observation.scope);
    }
  }

  for (const Observation& observation : observations) {
    if (observation.kind != ProbeKind::kActual ||
        !dependent.count(observation.scope)) {
      continue;
    }
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr || Trim(origin->value) == "*") continue;
    if (VariesOnOrigin(observation.response)) continue;

    Finding finding = FindingAt(
        origin->span, Severity::kWarning,
        "`Access-Control-Allow-Origin` depends on the request's Origin, but "
        "the response has no `Vary: Origin`, so shared caches can serve it to "
        "other origins",
        &observation);
    finding.help = "send `Vary: Origin` on every response of this scope";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kMissingVaryOrigin = {
    "missing-vary-origin", Severity::kWarning,
    "an origin-dependent allowed origin without `Vary: Origin`", kDoc, Check};

}  // namespace corslint
