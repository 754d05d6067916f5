#include <algorithm>

#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds CORS headers that one response carries twice because two mechanisms
add them: two configuration directives (nginx `more_set_headers` and
`add_header`, Apache `Header set` in both tables), or the configuration
plus a proxied upstream that may send its own (nginx `add_header` in a
`proxy_pass` location without `proxy_hide_header`). A repeated
`Access-Control-Allow-Origin` that the configuration alone causes is
reported by `multiple-origins-in-header`.

## Why is this bad?
Browsers join repeated headers with a comma. `Access-Control-Allow-Origin:
https://a.com, https://a.com` and `Access-Control-Allow-Credentials: true,
true` are refused, so the request fails although each copy is right.

Whether an upstream sends the header cannot be seen in the configuration,
so that case is reported as a possibility.

## Example
```nginx
server {
    listen 80;
    location /api/ {
        proxy_pass http://127.0.0.1:8080;
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}
```

## Use instead
```nginx
server {
    listen 80;
    location /api/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_hide_header Access-Control-Allow-Origin;
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}
```

## Fix safety
Hiding the upstream's copy is safe: the configuration's own value is the
one it means to send. nginx gets `proxy_hide_header` (or the module's
`*_hide_header`) beside the `proxy_pass`; a level with no list of its own
inherits its parent's and loses it by declaring one, so the fix repeats the
inherited entries. Apache gets `Header onsuccess unset` beside the
`Header always set`. Two directives of the configuration itself get no
automatic fix: which one to keep is not recorded.

For Express and Flask, a hand-written statement that adds again the exact
value `cors()` or flask-cors already sends is removed: a safe fix, since the
response then carries that value once.

## Known problems
When the upstream never sends CORS headers the finding is a false alarm;
hiding the header anyway documents that the proxy owns the policy.

## References
- nginx, proxy_hide_header: https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header
)md";

bool IsCorsHeader(std::string_view name) {
  return name.size() > 15 &&
         EqualsIgnoreCase(name.substr(0, 15), "Access-Control-");
}

void Check(RuleContext& context) {
  for (const Observation& observation : context.analysis().observations()) {
    const Response& response = observation.response;
    const std::vector<ResponseHeader>& headers = response.headers;
    for (auto it = headers.begin(); it != headers.end(); ++it) {
      const ResponseHeader& header = *it;
      if (!IsCorsHeader(header.name)) continue;
      // Each name once, at its first copy, with the copy after it.
      auto same_name = [&](const ResponseHeader& other) {
        return EqualsIgnoreCase(other.name, header.name);
      };
      if (std::any_of(headers.begin(), it, same_name)) continue;
      auto next = std::find_if(it + 1, headers.end(), same_name);
      const ResponseHeader* copies[] = {
          &header, next == headers.end() ? nullptr : &*next};

      // Two copies from the configuration itself.
      if (copies[1] != nullptr &&
          !EqualsIgnoreCase(header.name, kAllowOrigin)) {
        Finding finding = FindingAt(copies[1]->span, Severity::kWarning,
                                    Quote(header.name) +
                                        " is added twice to one response (by " +
                                        Quote(copies[0]->mechanism) + " and " +
                                        Quote(copies[1]->mechanism) +
                                        "); browsers read the joined "
                                        "value and refuse it",
                                    &observation);
        finding.notes.push_back({copies[0]->span, "first added here"});
        finding.help = "send the header from one place only";
        context.Report(std::move(finding));
        continue;
      }

      // One copy from the configuration, maybe another from upstream.
      if (EqualsIgnoreCase(header.name, kAllowOrigin) &&
          response.UpstreamMaySend(header.name)) {
        Finding finding = FindingAt(
            header.span, Severity::kWarning,
            Quote(header.name) +
                " is added here and the upstream's own copy "
                "is not hidden, so responses carry two values if the upstream "
                "sends one",
            &observation);
        if (response.responder_span.valid()) {
          finding.notes.push_back({response.responder_span, "the upstream"});
        }
        finding.help =
            "hide the upstream's header (nginx: `proxy_hide_header " +
            header.name + ";`) or let only one layer send CORS headers";
        context.Report(std::move(finding));
      }
    }
  }
}

}  // namespace

extern const RuleInfo kDuplicateCorsHeader = {
    "duplicate-cors-header", Severity::kWarning,
    "the same CORS header is added by two mechanisms", kDoc, Check};

}  // namespace corslint
