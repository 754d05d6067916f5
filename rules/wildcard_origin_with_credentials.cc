#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds responses that send `Access-Control-Allow-Origin: *` together with
`Access-Control-Allow-Credentials: true`.

## Why is this bad?
Browsers refuse every credentialed response whose allowed origin is `*`, so
requests made with cookies or HTTP authentication fail. The usual attempt to
make them work, echoing the request's `Origin` back, opens the API to every
site on the web. Decide which origins may send credentials and name them.

## Example
```nginx
server {
    listen 80;
    location /api/ {
        add_header Access-Control-Allow-Origin "*" always;
        add_header Access-Control-Allow-Credentials "true" always;
    }
}
```

```js
const cors = require('cors');
app.use(cors({ origin: '*', credentials: true }));
```

## Use instead
```nginx
map $http_origin $cors_origin {
    default "";
    "https://app.example.com" $http_origin;
}
server {
    listen 80;
    location /api/ {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Access-Control-Allow-Credentials "true" always;
        add_header Vary Origin always;
    }
}
```

```js
const cors = require('cors');
app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
```

## Fix safety
No automatic fix: which origins should be trusted with credentials is a
decision the configuration does not record. When the project's
`trusted-origins` lists exact origins, a display-only fix shows the CORS
configuration that `corslint generate` writes for them, with credentials.

For Express and Flask the snippet is the `cors` or flask-cors allowlist of
the exact trusted origins (display-only).

## Known problems
None known.

## References
- Fetch Standard, CORS check: https://fetch.spec.whatwg.org/#cors-check
- MDN, credentialed requests and wildcards: https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#credentialed_requests_and_wildcards
)md";

void Check(RuleContext& context) {
  for (const Observation& observation : context.analysis().observations()) {
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr || Trim(origin->value) != "*") continue;
    if (!AllowsCredentials(observation.response)) continue;

    Finding finding = FindingAt(
        origin->span, Severity::kError,
        "`Access-Control-Allow-Origin: *` is sent with "
        "`Access-Control-Allow-Credentials: true`, so browsers refuse every "
        "credentialed response",
        &observation);
    finding.help =
        "send the exact origin from an allowlist of trusted origins, with "
        "`Vary: Origin`";
    for (const ResponseHeader* credentials :
         observation.response.Find(kAllowCredentials)) {
      finding.notes.push_back({credentials->span, "credentials allowed here"});
    }
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kWildcardOriginWithCredentials = {
    "wildcard-origin-with-credentials", Severity::kError,
    "`Access-Control-Allow-Origin: *` together with credentials", kDoc, Check};

}  // namespace corslint
