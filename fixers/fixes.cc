#include "fixers/fixes.h"

#include <algorithm>

#include "fixers/format_fixes.h"
#include "fixers/snippets.h"

namespace corslint {

namespace {

constexpr FixKind kCatalog[] = {
    {"cors-headers-missing-on-errors", Format::kNginx, FixSafety::kSafe,
     "add `always` to the `add_header` line"},
    {"cors-headers-missing-on-errors", Format::kApache, FixSafety::kSafe,
     "move the `Header` line to the `always` table"},
    {"cors-headers-missing-on-errors", Format::kExpress,
     FixSafety::kDisplayOnly,
     "the `cors` middleware with the same policy, before every route"},
    {"cors-headers-missing-on-errors", Format::kFlask, FixSafety::kDisplayOnly,
     "flask-cors with the same policy, for every response"},
    {"duplicate-cors-header", Format::kNginx, FixSafety::kSafe,
     "hide the upstream's copy with `proxy_hide_header`"},
    {"duplicate-cors-header", Format::kApache, FixSafety::kSafe,
     "hide the backend's copy with `Header onsuccess unset`"},
    {"duplicate-cors-header", Format::kExpress, FixSafety::kSafe,
     "remove the hand-written copy of what `cors()` sends"},
    {"duplicate-cors-header", Format::kFlask, FixSafety::kSafe,
     "remove the hand-written copy of what flask-cors sends"},
    {"inherited-headers-dropped", Format::kNginx, FixSafety::kSafe,
     "repeat the inherited CORS headers in the level that drops them"},
    {"insecure-origin-allowed", Format::kNginx, FixSafety::kUnsafe,
     "remove the `http://` origin from the map or the pattern"},
    {"insecure-origin-allowed", Format::kApache, FixSafety::kUnsafe,
     "remove the `http://` origin from the SetEnvIf pattern"},
    {"insecure-origin-allowed", Format::kExpress, FixSafety::kUnsafe,
     "remove the `http://` origin from the list or the RegExp"},
    {"insecure-origin-allowed", Format::kFlask, FixSafety::kUnsafe,
     "remove the `http://` origin from the list or the pattern"},
    {"invalid-credentials-value", Format::kNginx, FixSafety::kSafe,
     "write `true` in lower case"},
    {"invalid-credentials-value", Format::kApache, FixSafety::kSafe,
     "write `true` in lower case"},
    {"invalid-credentials-value", Format::kExpress, FixSafety::kSafe,
     "write the string `true`"},
    {"invalid-credentials-value", Format::kFlask, FixSafety::kSafe,
     "write the string `true` instead of `True`"},
    {"malformed-origin", Format::kNginx, FixSafety::kDisplayOnly,
     "the CORS configuration for the origin as browsers send it"},
    {"malformed-origin", Format::kApache, FixSafety::kDisplayOnly,
     "the CORS configuration for the origin as browsers send it"},
    {"malformed-origin", Format::kExpress, FixSafety::kDisplayOnly,
     "the CORS configuration for the origin as browsers send it"},
    {"malformed-origin", Format::kFlask, FixSafety::kDisplayOnly,
     "the CORS configuration for the origin as browsers send it"},
    {"max-age-exceeds-browser-limit", Format::kNginx, FixSafety::kSafe,
     "lower the value to the limit"},
    {"max-age-exceeds-browser-limit", Format::kApache, FixSafety::kSafe,
     "lower the value to the limit"},
    {"max-age-exceeds-browser-limit", Format::kExpress, FixSafety::kSafe,
     "lower `maxAge` or the header value to the limit"},
    {"max-age-exceeds-browser-limit", Format::kFlask, FixSafety::kSafe,
     "lower `max_age` or the header value to the limit"},
    {"missing-vary-origin", Format::kNginx, FixSafety::kSafe,
     "add `add_header Vary Origin always;`"},
    {"missing-vary-origin", Format::kApache, FixSafety::kSafe,
     "add `Header always merge Vary Origin`"},
    {"missing-vary-origin", Format::kExpress, FixSafety::kSafe,
     "add `res.vary('Origin')`"},
    {"missing-vary-origin", Format::kFlask, FixSafety::kSafe,
     "add `Vary: Origin`, or turn `vary_header` back on"},
    {"multiple-origins-in-header", Format::kNginx, FixSafety::kDisplayOnly,
     "an allowlist of the listed origins, each sent back alone"},
    {"multiple-origins-in-header", Format::kApache, FixSafety::kDisplayOnly,
     "an allowlist of the listed origins, each sent back alone"},
    {"multiple-origins-in-header", Format::kExpress, FixSafety::kDisplayOnly,
     "an allowlist of the listed origins, each sent back alone"},
    {"multiple-origins-in-header", Format::kFlask, FixSafety::kDisplayOnly,
     "an allowlist of the listed origins, each sent back alone"},
    {"null-origin-allowed", Format::kNginx, FixSafety::kUnsafe,
     "remove `null` from the map or the pattern"},
    {"null-origin-allowed", Format::kApache, FixSafety::kUnsafe,
     "remove `null` from the SetEnvIf pattern"},
    {"null-origin-allowed", Format::kExpress, FixSafety::kUnsafe,
     "remove `null` from the list or the RegExp"},
    {"null-origin-allowed", Format::kFlask, FixSafety::kUnsafe,
     "remove `null` from the list or the pattern"},
    {"permissive-origin-pattern", Format::kNginx, FixSafety::kUnsafe,
     "anchor and escape the pattern"},
    {"permissive-origin-pattern", Format::kApache, FixSafety::kUnsafe,
     "anchor and escape the SetEnvIf pattern"},
    {"permissive-origin-pattern", Format::kExpress, FixSafety::kUnsafe,
     "anchor and escape the RegExp"},
    {"permissive-origin-pattern", Format::kFlask, FixSafety::kUnsafe,
     "anchor and escape the pattern"},
    {"preflight-not-handled", Format::kNginx, FixSafety::kUnsafe,
     "answer `OPTIONS` with 204 and the location's CORS headers"},
    {"preflight-not-handled", Format::kExpress, FixSafety::kDisplayOnly,
     "the `cors` middleware, which answers every preflight"},
    {"preflight-not-handled", Format::kFlask, FixSafety::kDisplayOnly,
     "flask-cors, which answers every preflight"},
    {"reflected-origin", Format::kNginx, FixSafety::kUnsafe,
     "a map of the trusted origins instead of the echo"},
    {"reflected-origin", Format::kApache, FixSafety::kUnsafe,
     "a SetEnvIf allowlist of the trusted origins instead of the echo"},
    {"reflected-origin", Format::kExpress, FixSafety::kUnsafe,
     "the trusted origins instead of `origin: true`"},
    {"reflected-origin", Format::kFlask, FixSafety::kUnsafe,
     "the trusted origins as `origins=`"},
    {"stateful-origin-regex", Format::kExpress, FixSafety::kSafe,
     "remove the `g` and `y` flags"},
    {"untrusted-origin-allowed", Format::kNginx, FixSafety::kUnsafe,
     "only the trusted origins in the map, the pattern or instead of `*`"},
    {"untrusted-origin-allowed", Format::kApache, FixSafety::kUnsafe,
     "only the trusted origins in the pattern or instead of `*`"},
    {"untrusted-origin-allowed", Format::kExpress, FixSafety::kUnsafe,
     "only the trusted origins in the list, the RegExp or instead of `*`"},
    {"untrusted-origin-allowed", Format::kFlask, FixSafety::kUnsafe,
     "only the trusted origins in the list or the pattern"},
    {"wildcard-ignored-with-credentials", Format::kNginx, FixSafety::kSafe,
     "remove the `*` that browsers ignore"},
    {"wildcard-ignored-with-credentials", Format::kApache, FixSafety::kSafe,
     "remove the `*` that browsers ignore"},
    {"wildcard-ignored-with-credentials", Format::kExpress, FixSafety::kSafe,
     "remove the `*` that browsers ignore"},
    {"wildcard-ignored-with-credentials", Format::kFlask, FixSafety::kSafe,
     "remove the `*` that browsers ignore"},
    {"wildcard-origin-with-credentials", Format::kNginx,
     FixSafety::kDisplayOnly,
     "an allowlist of the exact trusted origins, with credentials"},
    {"wildcard-origin-with-credentials", Format::kApache,
     FixSafety::kDisplayOnly,
     "an allowlist of the exact trusted origins, with credentials"},
    {"wildcard-origin-with-credentials", Format::kExpress,
     FixSafety::kDisplayOnly,
     "an allowlist of the exact trusted origins, with credentials"},
    {"wildcard-origin-with-credentials", Format::kFlask,
     FixSafety::kDisplayOnly,
     "an allowlist of the exact trusted origins, with credentials"},
};

}  // namespace

std::span<const FixKind> FixCatalog() { return kCatalog; }

Fix MakeFix(FixSafety safety, std::string description,
            std::vector<Edit> edits) {
  Fix fix;
  fix.description = std::move(description);
  fix.safety = safety;
  fix.edits = std::move(edits);
  return fix;
}

const OriginCheck* CheckAt(const Document& document, const Span& span) {
  for (const OriginCheck& check : document.origin_checks) {
    if (check.span.file == span.file && check.span.begin == span.begin &&
        check.span.end == span.end) {
      return &check;
    }
  }
  return nullptr;
}

bool VariesOnOrigin(const Response& response) {
  for (const ResponseHeader* vary : response.Find("Vary")) {
    if (!vary->value_known) return true;
    for (const std::string& item : SplitList(vary->value)) {
      if (item == "*" || EqualsIgnoreCase(item, "origin")) return true;
    }
  }
  return false;
}

std::string UnusedName(const Document& document, const std::string& base) {
  for (int n = 1;; ++n) {
    std::string name = n == 1 ? base : base + "_" + std::to_string(n);
    bool taken = std::any_of(
        document.files.begin(), document.files.end(), [&](const auto& file) {
          return file->text().find(name) != std::string::npos;
        });
    if (!taken) return name;
  }
}

bool AdmitsUnintendedOrigins(const std::vector<Finding>& findings) {
  static constexpr std::string_view kRules[] = {
      "insecure-origin-allowed",   "null-origin-allowed",
      "permissive-origin-pattern", "reflected-origin",
      "untrusted-origin-allowed",
  };
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    return std::find(std::begin(kRules), std::end(kRules), f.rule) !=
           std::end(kRules);
  });
}

void AddFixes(const Analysis& analysis, const RuleOptions& options,
              std::vector<Finding>* findings) {
  FixContext context{analysis, options};
  switch (analysis.document().format) {
    case Format::kNginx:
      AddNginxFixes(context, findings);
      break;
    case Format::kApache:
      AddApacheFixes(context, findings);
      break;
    case Format::kExpress:
      AddExpressFixes(context, findings);
      break;
    case Format::kFlask:
      AddFlaskFixes(context, findings);
      break;
  }
  AddSnippets(analysis, options, findings);
}

}  // namespace corslint
