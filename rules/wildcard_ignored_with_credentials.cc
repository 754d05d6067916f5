#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds `*` in `Access-Control-Allow-Methods`, `Access-Control-Allow-Headers`
or `Access-Control-Expose-Headers` on responses that allow credentials.

## Why is this bad?
For credentialed requests browsers read `*` in these headers as a literal
name, not a wildcard. The configuration looks permissive but allows no
method or header beyond the safelisted ones, and requests fail.

## Example
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
        add_header Access-Control-Allow-Credentials "true" always;
        add_header Access-Control-Allow-Headers "*" always;
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
        add_header Access-Control-Allow-Headers "Content-Type, Authorization" always;
    }
}
```

## Fix safety
Dropping the `*` is safe when the value lists other names too: the `*`
allowed nothing, and the names listed are what the configuration already
allows. When `*` is the only name there is no automatic fix: the methods or
headers the clients need are not in the configuration.

For Express and Flask, `*` is removed from a list beside other names, and
an exposed-headers `*` alone becomes an empty list, which exposes exactly
what the ignored `*` did: safe. An allowed-headers `*` alone gets no fix,
because without the option both libraries echo the requested headers.

## Known problems
None known.

## References
- Fetch Standard, CORS-preflight fetch: https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
)md";

void Check(RuleContext& context) {
  for (const Observation& observation : context.analysis().observations()) {
    if (!AllowsCredentials(observation.response)) continue;
    for (std::string_view name :
         {kAllowMethods, kAllowHeaders, kExposeHeaders}) {
      for (const ResponseHeader* header : observation.response.Find(name)) {
        if (!header->value_known) continue;
        if (!AnyListItem(header->value,
                         [](std::string_view item) { return item == "*"; })) {
          continue;
        }

        Finding finding = FindingAt(
            header->span, Severity::kWarning,
            Quote(std::string(name) + ": *") +
                " allows nothing here: with credentials, browsers read `*` "
                "as a literal name",
            &observation);
        finding.help = "list the names explicitly";
        context.Report(std::move(finding));
      }
    }
  }
}

}  // namespace

extern const RuleInfo kWildcardIgnoredWithCredentials = {
    "wildcard-ignored-with-credentials", Severity::kWarning,
    "`*` in Allow-Methods, Allow-Headers or Expose-Headers with credentials",
    kDoc, Check};

}  // namespace corslint
