#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds configurations that allow the origin `null`.

## Why is this bad?
Browsers send `Origin: null` from sandboxed iframes, `data:` and `file:`
documents and after cross-origin redirects. Any site can produce such a
request (an `<iframe sandbox>` is enough), so trusting `null` trusts
everyone.

## Example
```nginx
map $http_origin $cors_origin {
    default "";
    "https://app.example.com" $http_origin;
    "null" $http_origin;
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
Removing `null` changes which origins are allowed: an unsafe fix. An nginx
`map` entry for `null` goes; a `map` regex key, an `if` regex or an Apache
`SetEnvIf Origin` pattern is rewritten to admit, each matched whole, the
other origins it was meant to admit. A pattern whose captures the
configuration uses (`$1`) gets no fix.

For Express and Flask, `null` is removed from an origin list or the RegExp
or pattern is rewritten without it: unsafe. A hand-written comparison gets
a display-only snippet instead: the `cors` or flask-cors allowlist of the
other origins the code compares with (or of the trusted origins it admits,
when `trusted-origins` is set).

## Known problems
A scope that allows every origin is reported by `reflected-origin` instead.

## References
- PortSwigger, whitelisted null origin value: https://portswigger.net/web-security/cors#whitelisted-null-origin-value
)md";

void Check(RuleContext& context) {
  const Analysis& analysis = context.analysis();
  for (const Observation& observation : analysis.observations()) {
    if (observation.origin_kind != ProbeOrigin::kNull) continue;
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr || Trim(origin->value) != "null") continue;
    if (analysis.AllowsAnyOrigin(observation.scope)) continue;

    const OriginCheck* check = CheckAdmitting(context.document(), "null");
    Severity severity = CredentialSeverity(observation.response);
    Finding finding = FindingAt(
        check != nullptr ? check->span : origin->span, severity,
        std::string("the origin `null` is allowed") +
            (severity == Severity::kError ? ", with credentials" : "") +
            ": any page can send it from a sandboxed iframe",
        &observation);
    finding.help = "remove `null` from the allowed origins";
    context.Report(std::move(finding));
  }

  // A check in a file that does not show its use.
  for (const OriginCheck& check : context.document().origin_checks) {
    if (check.used || check.kind == OriginCheckKind::kAny ||
        check.kind == OriginCheckKind::kUnknown || !check.Matches("null")) {
      continue;
    }
    Finding finding = FindingAt(
        check.span, Severity::kWarning,
        "the origin check " + Quote(check.pattern) +
            " admits `null`; the file does not show where the result is used");
    finding.help = "remove `null` from the allowed origins";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kNullOriginAllowed = {
    "null-origin-allowed",
    Severity::kError,
    "the origin `null` is accepted",
    kDoc,
    Check,
    "error with credentials, otherwise warning"};

}  // namespace corslint
