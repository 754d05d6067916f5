#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds `Access-Control-Allow-Headers: *` that does not also name
`Authorization`.

## Why is this bad?
The Fetch Standard excludes `Authorization` from the wildcard: a request
that sends it needs the name listed. Chromium still accepts it under `*`
but warns in the console that this will change; Firefox and Safari follow
the standard. Requests with bearer tokens then fail.

## Example
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "*" always;
        add_header Access-Control-Allow-Headers "*" always;
    }
}
```

## Use instead
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "*" always;
        add_header Access-Control-Allow-Headers "*, Authorization" always;
    }
}
```

## Fix safety
No automatic fix: whether clients send `Authorization` is not in the
configuration.

## Known problems
Reported even when no client sends `Authorization`; it is informational.

## References
- Fetch Standard, CORS non-wildcard request-header name: https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
)md";

void Check(RuleContext& context) {
  for (const Observation& observation : context.analysis().observations()) {
    if (AllowsCredentials(observation.response)) continue;
    for (const ResponseHeader* header :
         observation.response.Find(kAllowHeaders)) {
      if (!header->value_known) continue;
      bool wildcard = false, authorization = false;
      AnyListItem(header->value, [&](std::string_view item) {
        wildcard = wildcard || item == "*";
        authorization =
            authorization || EqualsIgnoreCase(item, "authorization");
        return false;
      });
      if (!wildcard || authorization) continue;

      Finding finding = FindingAt(
          header->span, Severity::kInfo,
          "`Access-Control-Allow-Headers: *` does not cover `Authorization`; "
          "the standard requires it to be listed by name",
          &observation);
      finding.help = "add `Authorization` to the list if clients send it";
      context.Report(std::move(finding));
    }
  }
}

}  // namespace

extern const RuleInfo kAuthorizationNotCoveredByWildcard = {
    "authorization-not-covered-by-wildcard", Severity::kInfo,
    "`Access-Control-Allow-Headers: *` without `Authorization`", kDoc, Check};

}  // namespace corslint
