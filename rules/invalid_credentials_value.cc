#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds `Access-Control-Allow-Credentials` values other than exactly `true`.

## Why is this bad?
Browsers compare the value with `true`, case-sensitively. `True`, `1` or
`yes` do not allow credentials, so credentialed requests fail. `false` does
nothing either: leaving the header out is how credentials are refused.

## Example
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
        add_header Access-Control-Allow-Credentials "True" always;
    }
}
```

## Use instead
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
        add_header Access-Control-Allow-Credentials "true" always;
    }
}
```

## Fix safety
Changing `True` (in any case) to `true` is safe: it is what the value
plainly means. When the same configuration also lets in origins it does not
mean to (`reflected-origin`, `permissive-origin-pattern`,
`null-origin-allowed`, `insecure-origin-allowed`,
`untrusted-origin-allowed`), making credentials work hands them to those
origins, so the fix is then unsafe. Other values (`1`, `yes`, `false`) get
no fix: what they were meant to say is not clear.

For Express and Flask, a header statement whose value is `'True'` (or
Python's `True`, which Werkzeug writes as `True`) gets the string `true`:
safe, with the same exception as above.

## Known problems
None known.

## References
- Fetch Standard, CORS check step 7: https://fetch.spec.whatwg.org/#cors-check
)md";

void Check(RuleContext& context) {
  for (const Observation& observation : context.analysis().observations()) {
    for (const ResponseHeader* header :
         observation.response.Find(kAllowCredentials)) {
      if (!header->value_known) continue;
      std::string value(Trim(header->value));
      if (value == "true") continue;

      std::string message =
          "`Access-Control-Allow-Credentials` is " + Quote(value);
      std::string help;
      if (EqualsIgnoreCase(value, "false")) {
        message +=
            ", which does not refuse anything: browsers only look for "
            "`true`";
        help = "leave the header out to refuse credentials";
      } else {
        message += ", but browsers accept only the exact value `true`";
        help = "write `true` in lower case";
      }
      Finding finding =
          FindingAt(header->span, Severity::kError, message, &observation);
      finding.help = help;
      context.Report(std::move(finding));
    }
  }
}

}  // namespace

extern const RuleInfo kInvalidCredentialsValue = {
    "invalid-credentials-value", Severity::kError,
    "`Access-Control-Allow-Credentials` is not exactly `true`", kDoc, Check};

}  // namespace corslint
