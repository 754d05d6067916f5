#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds `Access-Control-Max-Age` values above what browsers honour, or values
that are not a non-negative whole number of seconds. The limit is 7200
seconds by default (Chromium's cap) and can be set with the rule's
`max-age-limit` option: Firefox caps at 86400 seconds, Safari at 600.

## Why is this bad?
Browsers silently cut the value to their cap, and ignore one they cannot
parse (`1h`, `-1`, `86400s`), so preflights are repeated far more often
than the configuration says. A team tuning preflight traffic is misled.

## Example
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "*" always;
        add_header Access-Control-Max-Age 86400 always;
    }
}
```

## Use instead
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "*" always;
        add_header Access-Control-Max-Age 7200 always;
    }
}
```

## Fix safety
Capping a number at the limit is safe: browsers already behave that way. A
value that is not a number gets no fix.

For Express and Flask, a `maxAge`/`max_age` number, a string of digits in
a header statement, or a flask-cors `timedelta` is lowered to the limit:
safe.

## Known problems
None known.

## References
- Chromium preflight cache: https://source.chromium.org/chromium/chromium/src/+/main:services/network/public/cpp/cors/preflight_result.cc
- MDN, Access-Control-Max-Age: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Max-Age
)md";

void Check(RuleContext& context) {
  const int limit = context.options().max_age_limit;
  for (const Observation& observation : context.analysis().observations()) {
    for (const ResponseHeader* header : observation.response.Find(kMaxAge)) {
      if (!header->value_known) continue;
      std::string value(Trim(header->value));

      bool number = !value.empty() && value.size() <= 18 &&
                    std::all_of(value.begin(), value.end(),
                                [](char c) { return c >= '0' && c <= '9'; });
      std::string message;
      if (!number) {
        message = "`Access-Control-Max-Age` is " + Quote(value) +
                  ", not a whole number of seconds; browsers ignore it";
      } else if (std::stoll(value) > limit) {
        message = "`Access-Control-Max-Age: " + value + "` is above " +
                  std::to_string(limit) + " seconds, " +
                  (limit == 7200 ? "where Chromium caps it"
                                 : "the configured limit") +
                  " (Firefox caps at 86400, Safari at 600)";
      } else {
        continue;
      }
      Finding finding =
          FindingAt(header->span, Severity::kWarning, message, &observation);
      finding.help = "use a value from 0 to " + std::to_string(limit);
      context.Report(std::move(finding));
    }
  }
}

}  // namespace

extern const RuleInfo kMaxAgeExceedsBrowserLimit = {
    "max-age-exceeds-browser-limit", Severity::kWarning,
    "`Access-Control-Max-Age` above the browsers' cap or not a number", kDoc,
    Check};

}  // namespace corslint
