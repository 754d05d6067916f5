#include "analyzer/origin.h"
#include "rules/common.h"

namespace corslint {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Finds `http://` origins that are allowed, other than loopback ones
(`localhost`, `127.0.0.0/8`, `[::1]`). Besides configured origins, it tries
the `http://` form of every trusted `https://` origin, which a pattern
without a scheme, `https?://` or an nginx `map hostnames` mask lets through.

## Why is this bad?
A page served over plain HTTP can be altered by anyone on its network path
(public Wi-Fi, a compromised router). Trusting it hands that attacker the
trust given to the origin: with credentials, the user's session.

## Example
```nginx
map $http_origin $cors_origin {
    default "";
    "~^https?://app\.example\.com$" $http_origin;
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
    "~^https://app\.example\.com$" $http_origin;
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
Removing an `http://` origin changes which origins are allowed: an unsafe
fix. An nginx `map` entry for the origin goes; a `map` regex key, an `if`
regex or an Apache `SetEnvIf Origin` pattern is rewritten to admit, each
matched whole, the origins it was meant to admit without the `http://`
ones. A pattern whose captures the configuration uses (`$1`) gets no fix,
as the new pattern would renumber them.

For Express and Flask, the `http://` origin is removed from an origin list,
or the RegExp or pattern is rewritten without it: unsafe, as for nginx.

## Known problems
A pattern that also admits attacker-controlled hosts is reported once, by
`permissive-origin-pattern`, whose fix removes the `http://` form too.
Development setups on a LAN address (`http://192.168.1.20:3000`) are
reported; suppress the finding where that is intended.

## References
- OWASP, CORS origin trust: https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/07-Testing_Cross_Origin_Resource_Sharing
)md";

void Check(RuleContext& context) {
  const Analysis& analysis = context.analysis();
  for (const Observation& observation : analysis.observations()) {
    if (observation.origin_kind != ProbeOrigin::kIntended &&
        observation.origin_kind != ProbeOrigin::kInsecure) {
      continue;
    }
    if (!IsInsecureOrigin(observation.origin())) continue;
    const ResponseHeader* origin = KnownAllowOrigin(observation.response);
    if (origin == nullptr || Trim(origin->value) != observation.origin()) {
      continue;
    }
    if (analysis.AllowsAnyOrigin(observation.scope)) continue;

    // A pattern that also admits attacker origins is reported, with its
    // fix, by permissive-origin-pattern.
    const OriginCheck* check =
        CheckAdmitting(context.document(), observation.origin());
    if (check != nullptr &&
        !AdmittedAttacker(context.analysis(), *check, nullptr).empty()) {
      continue;
    }
    Severity severity = CredentialSeverity(observation.response);
    std::string message =
        "the insecure origin " + Quote(observation.origin()) + " is allowed";
    if (severity == Severity::kError) message += ", with credentials";
    message += ": anyone on that site's network path can use the trust";
    Finding finding = FindingAt(check != nullptr ? check->span : origin->span,
                                severity, std::move(message), &observation);
    finding.help = "allow only the `https://` origin";
    context.Report(std::move(finding));
  }

  for (const OriginCheck& check : context.document().origin_checks) {
    if (check.used ||
        !AdmittedAttacker(context.analysis(), check, nullptr).empty())
      continue;
    bool subdomains = false;
    for (const std::string& origin :
         context.analysis().IntendedOf(check, &subdomains)) {
      std::string candidates[] = {origin, origin.starts_with("https://")
                                              ? "http://" + origin.substr(8)
                                              : std::string()};
      for (const std::string& candidate : candidates) {
        if (candidate.empty() || !IsInsecureOrigin(candidate) ||
            !check.Matches(candidate)) {
          continue;
        }
        Finding finding =
            FindingAt(check.span, Severity::kWarning,
                      "the origin check " + Quote(check.pattern) +
                          " admits the insecure origin " + Quote(candidate) +
                          "; the file does not show where the result is used");
        finding.help = "allow only the `https://` origin";
        context.Report(std::move(finding));
      }
    }
  }
}

}  // namespace

extern const RuleInfo kInsecureOriginAllowed = {
    "insecure-origin-allowed",
    Severity::kError,
    "an `http://` origin other than loopback is trusted",
    kDoc,
    Check,
    "error with credentials, otherwise warning"};

}  // namespace corslint
