#include "analyzer/origin.h"
#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds configured origins that can never equal what a browser sends in
`Origin`: a path or a trailing slash, a wildcard inside the host
(`https://*.example.com` where nothing expands it), a default port (`:443`
on `https`), a missing scheme, or upper case where the comparison respects
case.

## Why is this bad?
The browser compares the value byte for byte with its own origin, which is
always `scheme://host[:port]` in lower case with no default port. A
malformed entry silently allows nothing, and the usual reaction to the
failing requests is to loosen the policy.

## Example
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "https://app.example.com/" always;
    }
}
```

## Use instead
```nginx
server {
    listen 80;
    location / {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}
```

## Fix safety
No automatic fix: the intended origin is usually clear, but a changed
origin deserves a reviewer's eye. When the origin is a fixed header value
whose only defect is a trailing slash, a default port or upper case, a
display-only fix shows the CORS configuration that `corslint generate`
writes for the origin as browsers send it.

For Express and Flask, the snippet is the `cors` or flask-cors
configuration for the origin as browsers send it (display-only), also
when the origin is an entry of an allowlist.

## Known problems
Origins inside regular expressions are not checked; patterns are tested by
`permissive-origin-pattern`.

## References
- RFC 6454, serializing an origin: https://www.rfc-editor.org/rfc/rfc6454#section-6.2
)md";

void Check(RuleContext& context) {
  for (const OriginCheck& check : context.document().origin_checks) {
    if (check.kind != OriginCheckKind::kFixed &&
        check.kind != OriginCheckKind::kExact) {
      continue;
    }
    if (FindAnyOf(check.pattern, ", \t") != std::string_view::npos) continue;
    std::string defect = OriginDefect(check.pattern, !check.case_insensitive);
    if (defect.empty()) continue;

    Finding finding =
        FindingAt(check.span, Severity::kError,
                  "the origin " + Quote(check.pattern) + " " + defect);
    finding.help = "write the origin as `scheme://host[:port]`, in lower case";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kMalformedOrigin = {
    "malformed-origin", Severity::kError,
    "a configured origin can never match what a browser sends", kDoc, Check};

}  // namespace corslint
