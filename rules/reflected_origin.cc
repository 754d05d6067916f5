#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds configurations that copy the request's `Origin` into
`Access-Control-Allow-Origin` without checking it: corslint sends a request
from an origin no configuration trusts (`https://attacker.test`) and reports
when the answer allows it.

## Why is this bad?
Echoing every origin lets any web site read the responses. With
`Access-Control-Allow-Credentials: true` it reads them with the visitor's
cookies: any page the user opens can act as the user on this API. That is
an error; without credentials it is a warning, since only public data leaks.

## Example
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin $http_origin always;
        add_header Access-Control-Allow-Credentials "true" always;
        add_header Vary Origin always;
    }
}
```

With Express and `cors`, `origin: true` reflects every origin:

```js
const cors = require('cors');
app.use(cors({ origin: true, credentials: true }));
```

flask-cors reflects every origin by default, with credentials once
`supports_credentials` is set:

```python
from flask_cors import CORS
CORS(app, supports_credentials=True)
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
        add_header Access-Control-Allow-Credentials "true" always;
        add_header Vary Origin always;
    }
}
```

```js
const cors = require('cors');
app.use(cors({
  origin: ['https://app.example.com', 'https://admin.example.com'],
  credentials: true,
}));
```

```python
from flask_cors import CORS
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
```

## Fix safety
The fix, replacing the reflection with an exact allowlist of the project's
`trusted-origins`, changes which origins are allowed, so it is unsafe, and
it is offered only when that list is configured. nginx gets a
`map $http_origin $cors_allowed_origin` at the http level of the checked
file (a snippet, which has no http level, gets no fix) and the header sends
its result; Apache gets a `SetEnvIf Origin` allowlist whose match the
header sends. `Vary: Origin` is added where it is missing.

For Express, `origin: true` gets the trusted origins as a list; for Flask, a `CORS(...)` or
`@cross_origin(...)` with the default origins gets `origins=` with them.
Both are unsafe and need `trusted-origins`. Hand-written reflection and an
origin callback that always passes `true` get a display-only snippet with
the exact trusted origins.

## Known problems
An origin check that corslint cannot evaluate (a variable set by a module it
does not model) is treated as unknown, and the reflection behind it is not
reported.

## References
- PortSwigger, CORS origin reflection: https://portswigger.net/web-security/cors
- CWE-942: https://cwe.mitre.org/data/definitions/942.html
)md";

void Check(RuleContext& context) {
  for (const Observation& observation : context.analysis().observations()) {
    if (observation.origin_kind != ProbeOrigin::kUnrelated) continue;
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr || Trim(origin->value) != observation.origin()) {
      continue;
    }

    Severity severity = CredentialSeverity(observation.response);
    std::string message =
        "`Access-Control-Allow-Origin` echoes the request's Origin without "
        "checking it: " +
        Quote(observation.origin()) + " is allowed";
    if (severity == Severity::kError) message += ", with credentials";
    Finding finding =
        FindingAt(origin->span, severity, std::move(message), &observation);
    finding.help =
        "compare the Origin with an exact allowlist of trusted origins before "
        "sending it back";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kReflectedOrigin = {
    "reflected-origin",
    Severity::kError,
    "the request's Origin is echoed without validation",
    kDoc,
    Check,
    "error with credentials, otherwise warning"};

}  // namespace corslint
