#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds JavaScript regular expressions with the `g` or `y` flag that test
request origins.

## Why is this bad?
`RegExp.prototype.test` on a global or sticky expression starts at
`lastIndex` and updates it after a match. One expression object serves
every request, so the same origin is accepted, then refused on the next
request, then accepted again: CORS failures that nobody can reproduce.

## Example
```js
const cors = require('cors');
app.use(cors({ origin: /^https:\/\/app\.example\.com$/g }));
```

## Use instead
```js
const cors = require('cors');
app.use(cors({ origin: /^https:\/\/app\.example\.com$/ }));
```

## Fix safety
Removing the `g` and `y` flags from the RegExp literal is safe: `test`
needs neither, and the origins the pattern admits stay the same; only the
alternation goes. It is not offered when the file uses `matchAll`,
`replaceAll`, `lastIndex`, `exec`, `match` or `split`, which may rely on
the flags.

## Known problems
None known.

## References
- MDN, RegExp.prototype.test and lastIndex: https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/RegExp/test#using_test_on_a_regex_with_the_global_flag
)md";

void Check(RuleContext& context) {
  for (const OriginCheck& check : context.document().origin_checks) {
    if (!check.stateful) continue;
    Finding finding = FindingAt(
        check.span, Severity::kError,
        "the origin regex " + Quote(check.pattern) +
            " has the `g` or `y` flag, so `test` keeps `lastIndex` between "
            "requests and the same origin is alternately accepted and refused");
    finding.help = "remove the `g` and `y` flags";
    context.Report(std::move(finding));
  }
}

}  // namespace

extern const RuleInfo kStatefulOriginRegex = {
    "stateful-origin-regex", Severity::kError,
    "a JavaScript RegExp with `g` or `y` tests origins", kDoc, Check};

}  // namespace corslint
