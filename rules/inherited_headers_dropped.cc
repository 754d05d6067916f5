#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds nginx levels (`server`, `location`, nested `location`, `if`) that
declare an `add_header` of their own while an enclosing level sends CORS
headers that this level does not repeat. nginx inherits `add_header` only
into levels that have none, so the CORS headers silently disappear there.

## Why is this bad?
A header added for another reason, such as `Strict-Transport-Security` or
`Cache-Control` in one location, removes `Access-Control-Allow-Origin` from
every response of that location. The configuration reads as if CORS
applied everywhere, and the requests fail only there.

An `if` block that answers preflights (`if ($request_method = OPTIONS)`
with `return`) does not need `Access-Control-Expose-Headers`, so losing
only that is not reported.

## Example
```nginx
server {
    listen 80;
    add_header Access-Control-Allow-Origin "https://app.example.com" always;
    location /downloads/ {
        add_header Cache-Control "no-store";
    }
}
```

## Use instead
```nginx
server {
    listen 80;
    add_header Access-Control-Allow-Origin "https://app.example.com" always;
    location /downloads/ {
        add_header Cache-Control "no-store";
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}
```

## Fix safety
Repeating the inherited headers in the level that dropped them is safe: it
sends what the configuration evidently meant to send. The directives are
copied as written, after the level's own `add_header` lines. A level at the
top of an included file gets no fix, as it may be included in several
places that inherit different headers.

## Known problems
With `add_header_inherit merge` (nginx 1.29.3 and later) nothing is
dropped, and nothing is reported.

## References
- nginx, add_header inheritance: https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header
)md";

void Check(RuleContext& context) {
  for (const DroppedHeaders& dropped : context.document().dropped) {
    std::vector<std::string> names;
    std::vector<FindingNote> notes;
    for (const ResponseHeader& header : dropped.lost) {
      if (dropped.preflight_only &&
          EqualsIgnoreCase(header.name, kExposeHeaders)) {
        continue;
      }
      if (std::find(names.begin(), names.end(), header.name) == names.end()) {
        names.push_back(header.name);
      }
      notes.push_back({header.span, "inherited from here"});
    }
    if (names.empty()) continue;

    Finding finding = FindingAt(
        dropped.cause, Severity::kError,
        "this level declares its own headers, so the inherited " +
            QuoteList(names) + (names.size() == 1 ? " is" : " are") +
            " not sent from " +
            (dropped.scope != nullptr ? dropped.scope->name : "here"));
    finding.notes = std::move(notes);
    finding.help =
        "repeat the CORS headers at this level, for instance "
        "through an `include` of a shared snippet";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kInheritedHeadersDropped = {
    "inherited-headers-dropped", Severity::kError,
    "a nested nginx level drops the CORS headers it inherits", kDoc, Check};

}  // namespace corslint
