#include "analyzer/origin.h"
#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Tests every origin check (a regex, a prefix, suffix or substring test, a
hostname mask) with origins an attacker can register, derived from the
origins the check is meant to admit: the trusted host with a domain
appended (`https://app.example.com.attacker.test`), a label glued in front
(`https://evilexample.com`), an unescaped dot used as a wildcard
(`https://appxexample.com`), special characters after the host, and an
unexpected subdomain. Each attacker origin runs through the platform's own
matching (nginx and httpd: PCRE search; `cors`: `RegExp.test`; flask-cors:
`re.match`), then through the scope that uses the check. The finding names
the first attacker origin that is allowed.

## Why is this bad?
An attacker registers the domain that slips through and reads the responses
from it; with credentials, as the logged-in user.

## Example
```nginx
server {
    listen 80;
    location / {
        if ($http_origin ~* "https://app\.example\.com") {
            add_header Access-Control-Allow-Origin $http_origin always;
            add_header Vary Origin always;
        }
    }
}
```

`cors` tests a RegExp with `RegExp.test`, which searches; flask-cors
matches origin regexes with `re.match`, anchored at the start only:

```js
const cors = require('cors');
app.use(cors({ origin: /https:\/\/app\.example\.com/, credentials: true }));
```

```python
from flask_cors import CORS
CORS(app, origins=[r"https://.*\.example\.com"], supports_credentials=True)
```

## Use instead
```nginx
server {
    listen 80;
    location / {
        if ($http_origin ~* "^https://app\.example\.com$") {
            add_header Access-Control-Allow-Origin $http_origin always;
            add_header Vary Origin always;
        }
    }
}
```

```js
const cors = require('cors');
app.use(cors({ origin: /^https:\/\/app\.example\.com$/, credentials: true }));
```

```python
from flask_cors import CORS
CORS(app, origins=[r"https://[a-z0-9-]+\.example\.com$"], supports_credentials=True)
```

## Fix safety
Anchoring and escaping a pattern changes which origins are allowed, so the
fix is unsafe and applied only when asked for. The new pattern admits the
origins the old one seems meant to admit, each matched whole
(`^https://app\.example\.com$`), `https://` only; a label the pattern left
open becomes one or more subdomain labels. With `trusted-origins`
configured, only the trusted ones stay. Every new pattern is tested before
it is offered: it must admit those origins and none of the attacker
origins derived from them. There is no fix when the configuration uses the
pattern's captures (`$1`), when the intended origins cannot be read, or
for patterns inside Apache `<If>` expressions.

For Express and Flask, a RegExp literal or a flask-cors pattern string is
anchored and escaped the same way (unsafe). A `startsWith`, `endsWith` or
`includes` test gets a display-only snippet when `trusted-origins` is
set: the `cors` or flask-cors allowlist of the trusted origins the test
admits. Without that list such a test says too little about the sites it
is meant for, and nothing is suggested.

## Known problems
The origins a check is meant to admit are read from the pattern; a pattern
too intricate to read (back-references, lookarounds) yields none, and the
check is then not tested. When a file only defines a check and does not show
where its result is used, the finding says so and is a warning.

## References
- PortSwigger, errors parsing Origin headers: https://portswigger.net/web-security/cors#errors-parsing-origin-headers
- CWE-942: https://cwe.mitre.org/data/definitions/942.html
)md";

bool Testable(const OriginCheck& check) {
  switch (check.kind) {
    case OriginCheckKind::kRegex:
    case OriginCheckKind::kPrefix:
    case OriginCheckKind::kSuffix:
    case OriginCheckKind::kSubstring:
    case OriginCheckKind::kHostnameMask:
      return !check.negated;
    default:
      return false;
  }
}

// The observation of a scope that allows `origin` exactly, preferring one
// with credentials; null when no scope does.
std::optional<Observation> Confirm(const Analysis& analysis,
                                   const std::string& origin) {
  std::optional<Observation> best;
  for (const auto& scope : analysis.document().scopes) {
    if (analysis.AllowsAnyOrigin(scope.get())) continue;
    Observation observation;
    observation.scope = scope.get();
    observation.request = Request::Simple(origin);
    observation.response = analysis.Ask(*scope, observation.request);
    observation.request.path = scope->sample_path;
    const ResponseHeader* header = KnownAllowOrigin(observation.response);
    if (header == nullptr || Trim(header->value) != origin) continue;
    if (!best || AllowsCredentials(observation.response)) {
      best = std::move(observation);
    }
    if (AllowsCredentials(best->response)) break;
  }
  return best;
}

void Check(RuleContext& context) {
  for (const OriginCheck& check : context.document().origin_checks) {
    if (!Testable(check)) continue;
    bool subdomains = false;
    const std::vector<std::string>& intended =
        context.analysis().IntendedOf(check, &subdomains);

    bool reported = false;
    for (const std::string& origin : intended) {
      for (const AttackerOrigin& attacker :
           DeriveAttackers(origin, subdomains)) {
        if (!check.Matches(attacker.origin)) continue;

        std::string message =
            "the " + check.construct + " " + Quote(check.pattern) +
            " admits " + Quote(attacker.origin) + " (" + attacker.how + ")";
        Finding finding;
        if (!check.used) {
          finding = FindingAt(check.span, Severity::kWarning,
                              message +
                                  "; the file does not show where the "
                                  "result is used");
        } else {
          std::optional<Observation> allowed =
              Confirm(context.analysis(), attacker.origin);
          if (!allowed) continue;
          Severity severity = CredentialSeverity(allowed->response);
          if (severity == Severity::kError) message += ", with credentials";
          finding = FindingAt(check.span, severity, message, &*allowed);
        }
        finding.help =
            "match whole origins: anchor the pattern with `^` and `$`, escape "
            "every `.`, or use an exact allowlist";
        context.Report(std::move(finding));
        reported = true;
        break;
      }
      if (reported) break;
    }
  }
}

}  // namespace

extern const RuleInfo kPermissiveOriginPattern = {
    "permissive-origin-pattern",
    Severity::kError,
    "an origin check admits origins outside the intended sites",
    kDoc,
    Check,
    "error with credentials, otherwise warning"};

}  // namespace corslint
