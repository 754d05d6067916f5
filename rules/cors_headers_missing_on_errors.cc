#include <map>
#include <string_view>

#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Compares what a scope sends when its handler (static files, an upstream,
the application) succeeds with what it sends when the handler fails with
500. It reports CORS headers that reach the success but not the error:
nginx `add_header` without `always` (added only to 200, 201, 204, 206, 301,
302, 303, 304, 307 and 308), Apache `Header set` in the default `onsuccess`
table, headers set inside one Flask view or Express route handler.

## Why is this bad?
Without `Access-Control-Allow-Origin` the browser hides the error response
from the page: a 401, 422 or 500 arrives as an opaque network error, so the
application cannot show the real problem and its logs show a CORS failure
instead.

## Example
```nginx
server {
    listen 80;
    location /api/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_hide_header Access-Control-Allow-Origin;
        add_header Access-Control-Allow-Origin "https://app.example.com";
    }
}
```

Headers that a Flask view sets are lost when the view fails:

```python
from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/api/items")
def items():
    response = jsonify([])
    response.headers["Access-Control-Allow-Origin"] = "https://app.example.com"
    return response
```

## Use instead
```nginx
server {
    listen 80;
    location /api/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_hide_header Access-Control-Allow-Origin;
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}
```

```python
from flask import Flask, jsonify
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins="https://app.example.com")


@app.route("/api/items")
def items():
    return jsonify([])
```

## Fix safety
Adding `always` to an nginx `add_header` line, or moving an Apache `Header`
line to the `always` table, is safe: it sends the same headers on more
responses. An Apache header on a proxied response gets no fix: there the
`always` table adds to the backend's own header instead of replacing it.

For Express and Flask, headers written in one route handler or view get a
display-only fix: the same policy from the `cors` middleware or flask-cors,
which also answer errors and preflights, as `corslint generate` writes it.

## Known problems
Error responses that the server makes itself before reaching the scope (a
400 for a malformed request, a 413 for a large body) are not probed.
In Express, middleware registered before `cors()` (static files, body
parsers, authentication) answers its own errors without CORS headers; those
answers are not modelled either. In Flask, headers a view sets are taken to
be lost whenever the view fails, as when it raises before setting them.

## References
- nginx, add_header: https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header
- Apache, mod_headers: https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header
)md";

void Check(RuleContext& context) {
  const auto& observations = context.analysis().observations();
  std::map<std::pair<const Scope*, std::string_view>, const Observation*>
      successes;
  for (const Observation& observation : observations) {
    if (observation.kind != ProbeKind::kActual) continue;
    int status = observation.response.status;
    if (status < 200 || status >= 400) continue;
    if (!AllowsOrigin(observation.response, observation.origin())) continue;
    successes[{observation.scope, observation.origin()}] = &observation;
  }

  for (const Observation& error : observations) {
    if (error.kind != ProbeKind::kError || error.response.status < 400) {
      continue;
    }
    auto it = successes.find({error.scope, error.origin()});
    if (it == successes.end()) continue;
    const Response& success = it->second->response;

    for (std::string_view name : {kAllowOrigin, kAllowCredentials}) {
      const ResponseHeader* sent = success.FindOne(name);
      if (sent == nullptr || !error.response.Find(name).empty()) continue;

      Finding finding = FindingAt(
          sent->span, Severity::kWarning,
          Quote(name) + " is sent on success but not on error responses (" +
              std::to_string(error.response.status) +
              "), so the page sees a CORS failure instead of the error",
          &error);
      finding.help = sent->mechanism == "add_header"
                         ? "add `always` to the `add_header` line"
                         : "send the CORS headers on every response";
      context.Report(std::move(finding));
    }
  }
}

}  // namespace

extern const RuleInfo kCorsHeadersMissingOnErrors = {
    "cors-headers-missing-on-errors", Severity::kWarning,
    "CORS headers reach only successful responses", kDoc, Check};

}  // namespace corslint
