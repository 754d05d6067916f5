#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Lists responses that send `Access-Control-Allow-Origin: *` without
credentials.

## Why is this bad?
It is not: any site may read these responses, which is right for public
data (open APIs, fonts, public assets). The finding is informational, so
that an audit can list every place that is open to all.

## Example
```nginx
server {
    listen 80;
    location /private/ {
        add_header Access-Control-Allow-Origin "*" always;
    }
}
```

## Use instead
```nginx
map $http_origin $cors_origin {
    default "";
    "https://app.example.com" $http_origin;
}
server {
    listen 80;
    location /private/ {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Vary Origin always;
    }
}
```

## Fix safety
No fix: a wildcard is a valid choice for public data.

## Known problems
None known.

## References
- MDN, Access-Control-Allow-Origin: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin
)md";

void Check(RuleContext& context) {
  for (const Observation& observation : context.analysis().observations()) {
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr || Trim(origin->value) != "*") continue;
    if (AllowsCredentials(observation.response)) continue;

    Finding finding = FindingAt(
        origin->span, Severity::kInfo,
        "`Access-Control-Allow-Origin: *` lets any site read these responses",
        &observation);
    finding.help =
        "fine for public data; list the trusted origins if the responses are "
        "private";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kWildcardOrigin = {
    "wildcard-origin", Severity::kInfo,
    "`Access-Control-Allow-Origin: *` without credentials", kDoc, Check};

}  // namespace corslint
