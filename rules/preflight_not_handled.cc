#include <set>

#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds scopes whose CORS headers allow methods or request headers that need
a preflight (`Access-Control-Allow-Methods: PUT`, an
`Access-Control-Allow-Headers` list), or whose `PUT`, `PATCH` or `DELETE`
handlers answer cross-origin requests (an Express route-level `cors()`),
and sends the preflight a browser would send. It reports when the `OPTIONS` request does not get a 2xx answer
that allows the origin, the method and the headers: nginx static files
answer 405, a preflight answered with a status outside `add_header`'s list
loses its headers, a route-level handler has no `OPTIONS` route.

## Why is this bad?
The browser never sends the actual request: every `PUT`, `DELETE` or
request with a JSON body or an `Authorization` header fails, although the
headers of the actual response look right.

When the preflight goes on to an upstream server or to application code
that corslint cannot see, the upstream may answer it correctly: the finding
is then a warning that says so. It is an error when the configuration
itself gives the failing answer.

## Example
```nginx
server {
    listen 80;
    root /var/www;
    location / {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
        add_header Access-Control-Allow-Methods "GET, PUT, DELETE" always;
    }
}
```

A route-level `cors()` answers only the routes it is given; Express answers
the preflight itself, without CORS headers:

```js
const express = require('express');
const cors = require('cors');
const app = express();
app.put('/api/items', cors({ origin: 'https://app.example.com' }), (req, res) => {
  res.json({});
});
```

## Use instead
```nginx
server {
    listen 80;
    root /var/www;
    location / {
        if ($request_method = OPTIONS) {
            add_header Access-Control-Allow-Origin "https://app.example.com" always;
            add_header Access-Control-Allow-Methods "GET, PUT, DELETE" always;
            add_header Access-Control-Max-Age 600 always;
            return 204;
        }
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
        add_header Access-Control-Allow-Methods "GET, PUT, DELETE" always;
    }
}
```

```js
const express = require('express');
const cors = require('cors');
const app = express();
const options = { origin: 'https://app.example.com' };
app.options('/api/items', cors(options));
app.put('/api/items', cors(options), (req, res) => {
  res.json({});
});
```

## Fix safety
Adding an `OPTIONS` answer changes what the server answers: an unsafe fix.
For nginx, when nginx itself answers the preflight wrongly, the location
whose headers promise the method or header gets, first, an
`if ($request_method = OPTIONS)` block with its CORS headers and
`return 204;`. There is no automatic fix when the preflight goes on to an
upstream or the application, which may answer it, when the location
already tests the method, or for Apache.

For Express and Flask, the finding gets a display-only fix: the policy of
the hand-written headers from the `cors` middleware or flask-cors, which
answer every preflight, as `corslint generate` writes it.

## Known problems
Only the first method and the first header the configuration allows are
tried.

## References
- Fetch Standard, CORS-preflight fetch: https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
- nginx, static module and 405: https://nginx.org/en/docs/http/ngx_http_core_module.html
)md";

struct Promise {
  const ResponseHeader* header = nullptr;  // what allows the preflighted use
  std::string method = "GET";
  std::string request_header;  // empty: none needed
  // The actual `method` request is allowed (a route-level policy), rather
  // than announced by Allow-Methods or Allow-Headers.
  bool actual = false;
};

// What the scope's responses allow that needs a preflight.
std::optional<Promise> FindPromise(const Analysis& analysis,
                                   const Scope* scope) {
  for (const Observation& observation : analysis.observations()) {
    if (observation.scope != scope) continue;
    for (const ResponseHeader* header :
         observation.response.Find(kAllowMethods)) {
      if (!header->value_known) continue;
      for (const std::string& method : SplitList(header->value)) {
        if (IsSafelistedMethod(method)) continue;
        return Promise{header, method == "*" ? "PUT" : method, "", false};
      }
    }
    for (const ResponseHeader* header :
         observation.response.Find(kAllowHeaders)) {
      if (!header->value_known) continue;
      for (const std::string& name : SplitList(header->value)) {
        return Promise{header, "GET", name == "*" ? "x-requested-with" : name,
                       false};
      }
    }
  }

  // An actual request that needs a preflight and is allowed: the
  // application serves it cross-origin, so its preflight must pass too.
  for (const Observation& observation : analysis.observations()) {
    if (observation.scope != scope || observation.kind != ProbeKind::kActual ||
        IsSafelistedMethod(observation.request.method) ||
        observation.origin_kind == ProbeOrigin::kNull ||
        !AllowsOrigin(observation.response, observation.origin())) {
      continue;
    }
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr) continue;
    return Promise{origin, observation.request.method, "", true};
  }
  return std::nullopt;
}

// The reason the preflight fails, or empty when it passes.
std::string Refusal(const Request& preflight, const Response& response,
                    const Promise& promise) {
  if (response.status < 200 || response.status > 299) {
    return "gets status " + std::to_string(response.status);
  }
  if (!AllowsOrigin(response, *preflight.origin)) {
    return "gets no matching `Access-Control-Allow-Origin`";
  }
  if (!IsSafelistedMethod(promise.method)) {
    bool listed = false;
    for (const ResponseHeader* header : response.Find(kAllowMethods)) {
      if (!header->value_known) return "";
      for (const std::string& method : SplitList(header->value)) {
        listed = listed || method == promise.method ||
                 (method == "*" && !AllowsCredentials(response));
      }
    }
    if (!listed) {
      return "gets no `Access-Control-Allow-Methods` listing " +
             Quote(promise.method);
    }
  }
  if (!promise.request_header.empty()) {
    bool listed = false;
    for (const ResponseHeader* header : response.Find(kAllowHeaders)) {
      if (!header->value_known) return "";
      for (const std::string& name : SplitList(header->value)) {
        listed = listed || EqualsIgnoreCase(name, promise.request_header) ||
                 (name == "*" && !AllowsCredentials(response));
      }
    }
    if (!listed) {
      return "gets no `Access-Control-Allow-Headers` listing " +
             Quote(promise.request_header);
    }
  }
  return "";
}

void Check(RuleContext& context) {
  const Analysis& analysis = context.analysis();
  std::set<const Scope*> done;
  for (const Observation& observation : analysis.observations()) {
    // An actual request from an origin the scope allows.
    if (observation.kind != ProbeKind::kActual ||
        observation.origin_kind == ProbeOrigin::kNull ||
        done.count(observation.scope) ||
        !AllowsOrigin(observation.response, observation.origin())) {
      continue;
    }
    done.insert(observation.scope);
    std::optional<Promise> promise = FindPromise(analysis, observation.scope);
    if (!promise) continue;

    Observation preflight;
    preflight.scope = observation.scope;
    preflight.kind = ProbeKind::kPreflight;
    std::vector<std::string> names;
    if (!promise->request_header.empty()) {
      names.push_back(promise->request_header);
    }
    preflight.request =
        Request::Preflight(observation.origin(), promise->method, names);
    preflight.request.path = observation.scope->sample_path;
    preflight.response = analysis.Ask(*observation.scope, preflight.request);

    const Response& response = preflight.response;
    bool forwarded = response.responder == Responder::kUpstream ||
                     response.responder == Responder::kApp;
    std::string refusal = Refusal(preflight.request, response, *promise);
    if (refusal.empty() && !forwarded) continue;

    std::string what =
        promise->actual
            ? Quote(promise->method) + " responses allow the origin"
            : Quote(promise->header->name) + " allows " +
                  Quote(promise->request_header.empty()
                            ? promise->method
                            : promise->request_header);
    Finding finding;
    if (forwarded) {
      finding = FindingAt(
          promise->header->span, Severity::kWarning,
          what +
              ", but nothing here answers its `OPTIONS` preflight; it "
              "goes on to the " +
              std::string(response.responder == Responder::kUpstream
                              ? "upstream"
                              : "application") +
              ", which must answer it with a 2xx status" +
              (refusal.empty() ? "" : " (assuming 200, it " + refusal + ")"),
          &preflight);
      finding.help =
          "answer `OPTIONS` here with a 2xx status and the CORS headers, or "
          "make sure the upstream does";
    } else {
      finding = FindingAt(promise->header->span, Severity::kError,
                          what + ", but its `OPTIONS` preflight " + refusal,
                          &preflight);
      finding.help =
          "answer `OPTIONS` with 204 and the CORS headers the preflight needs";
    }
    if (response.responder_span.valid()) {
      finding.notes.push_back(
          {response.responder_span, "the preflight is answered here"});
    }
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kPreflightNotHandled = {
    "preflight-not-handled",
    Severity::kError,
    "methods or headers that need a preflight, but `OPTIONS` is not answered",
    kDoc,
    Check,
    "error when certain, otherwise warning"};

}  // namespace corslint
