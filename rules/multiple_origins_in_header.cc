#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds responses whose `Access-Control-Allow-Origin` holds more than one
origin: a list in one value (`"https://a.com, https://b.com"` or separated
by spaces), or two headers added by the configuration.

## Why is this bad?
The header takes exactly one origin, `*` or `null`. Browsers refuse a list
and refuse a repeated header (Chromium: "contains multiple values ... but
only one is allowed"), so no origin gets through.

## Example
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "https://a.example.com, https://b.example.com" always;
    }
}
```

## Use instead
```nginx
map $http_origin $cors_origin {
    default "";
    "https://a.example.com" $http_origin;
    "https://b.example.com" $http_origin;
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
No automatic fix: which of the listed origins a response should name
depends on the request. A display-only fix shows the CORS configuration
that `corslint generate` writes for an allowlist of the listed origins
(each sent back alone, with `Vary: Origin`), keeping the methods, headers
and credentials the configuration sends.

For Express and Flask, the snippet is the `cors` or flask-cors configuration
with the listed origins as an allowlist (display-only).

## Known problems
A second copy that an upstream server might add is reported by
`duplicate-cors-header`, as it cannot be seen in the configuration.

## References
- Fetch Standard, `Access-Control-Allow-Origin` syntax: https://fetch.spec.whatwg.org/#http-new-header-syntax
)md";

void Check(RuleContext& context) {
  for (const Observation& observation : context.analysis().observations()) {
    HeaderRefs origins = observation.response.Find(kAllowOrigin);

    if (origins.size() >= 2) {
      Finding finding =
          FindingAt(origins[1]->span, Severity::kError,
                    "`Access-Control-Allow-Origin` is sent " +
                        std::to_string(origins.size()) +
                        " times on one response; browsers accept exactly one",
                    &observation);
      finding.notes.push_back({origins[0]->span, "first added here"});
      finding.help = "send the header from one place only";
      context.Report(std::move(finding));
      continue;
    }

    // KnownAllowOrigin, from the headers already found.
    if (origins.size() != 1 || !origins[0]->value_known) continue;
    const ResponseHeader* origin = origins[0];
    std::string_view value = Trim(origin->value);
    if (value.find(',') == std::string_view::npos &&
        FindAnyOf(value, " \t") == std::string_view::npos) {
      continue;
    }
    Finding finding =
        FindingAt(origin->span, Severity::kError,
                  "`Access-Control-Allow-Origin` holds a list (" +
                      Quote(value) + "); browsers accept exactly one origin",
                  &observation);
    finding.help =
        "check the Origin against an allowlist and send back the one that "
        "matched";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kMultipleOriginsInHeader = {
    "multiple-origins-in-header", Severity::kError,
    "`Access-Control-Allow-Origin` carries several values", kDoc, Check};

}  // namespace corslint
