#include "analyzer/origin.h"
#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Compares the origins a configuration allows with the `trusted-origins` list
of the project's configuration (exact origins and `https://*.example.com`
patterns) and reports every allowed origin outside it, including `*` and
reflection of any origin. Silent when no list is configured.

## Why is this bad?
The list records which sites the team means to trust. An origin outside it
is either a leftover (a staging host, a partner that left) or a mistake in
a pattern; either way it can read responses it should not.

## Example
```nginx
# corslint-test: trusted-origins=https://app.example.com
map $http_origin $cors_origin {
    default "";
    "https://app.example.com" $http_origin;
    "https://staging.example.net" $http_origin;
}
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Vary Origin always;
    }
}
```

## Use instead
```nginx
# corslint-test: trusted-origins=https://app.example.com
map $http_origin $cors_origin {
    default "";
    "https://app.example.com" $http_origin;
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
Replacing the allowed origins with the trusted list changes which origins
are allowed: an unsafe fix. An untrusted nginx `map` entry goes; a pattern
is rewritten to admit only the trusted origins it was meant for; `*` or an
echo becomes an allowlist of the trusted origins, as for
`reflected-origin`. A fixed origin outside the list gets no fix.

For Express and Flask, the untrusted origin is removed from its list, a
pattern is narrowed to the trusted origins, and Express's `cors()` without
options gets them as `origin`: all unsafe.

## Known problems
Only origins corslint can derive from the configuration are compared; a
pattern too intricate to read yields no origins to compare.

## References
- corslint configuration, `trusted-origins`: see the README
)md";

bool Trusted(const RuleOptions& options, std::string_view origin) {
  for (const std::string& pattern : options.trusted_origins) {
    if (TrustedPatternMatches(pattern, origin)) return true;
  }
  return false;
}

void Check(RuleContext& context) {
  const RuleOptions& options = context.options();
  if (options.trusted_origins.empty()) return;

  for (const Observation& observation : context.analysis().observations()) {
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr) continue;
    std::string value(Trim(origin->value));

    if (value == "*") {
      Finding finding = FindingAt(
          origin->span, Severity::kError,
          "`Access-Control-Allow-Origin: *` allows every origin, but the "
          "project trusts only " +
              std::to_string(options.trusted_origins.size()) +
              (options.trusted_origins.size() == 1 ? " origin" : " origins"),
          &observation);
      finding.help = "send only origins from `trusted-origins`";
      context.Report(std::move(finding));
      continue;
    }
    if (value != observation.origin() || Trusted(options, value)) continue;

    const OriginCheck* check =
        CheckAdmitting(context.document(), observation.origin());
    Finding finding = FindingAt(
        check != nullptr ? check->span : origin->span, Severity::kError,
        "the origin " + Quote(value) +
            " is allowed but is not in `trusted-origins`",
        &observation);
    finding.help = "remove it, or add it to `trusted-origins` if it is trusted";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kUntrustedOriginAllowed = {
    "untrusted-origin-allowed", Severity::kError,
    "an origin outside the configured `trusted-origins` is allowed", kDoc,
    Check};

}  // namespace corslint
