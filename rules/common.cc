#include "rules/common.h"

#include <algorithm>

#include "analyzer/origin.h"

namespace corslint {

std::string Quote(std::string_view text) {
  return "`" + std::string(text) + "`";
}

Severity CredentialSeverity(const Response& response) {
  return AllowsCredentials(response) ? Severity::kError : Severity::kWarning;
}

Finding FindingAt(const Span& span, Severity severity, std::string message,
                  const Observation* observation) {
  Finding finding;
  finding.span = span;
  finding.severity = severity;
  finding.message = std::move(message);
  if (observation != nullptr) {
    finding.demonstration = std::make_shared<const Demonstration>(
        Demonstration{observation->request, observation->response});
  }
  return finding;
}

const ResponseHeader* KnownAllowOrigin(const Response& response) {
  const ResponseHeader* header = response.FindOne(kAllowOrigin);
  return header != nullptr && header->value_known ? header : nullptr;
}

const OriginCheck* CheckAdmitting(const Document& document,
                                  std::string_view origin) {
  for (const OriginCheck& check : document.origin_checks) {
    if (check.kind == OriginCheckKind::kAny ||
        check.kind == OriginCheckKind::kUnknown ||
        check.kind == OriginCheckKind::kFixed) {
      continue;
    }
    if (check.Matches(origin)) return &check;
  }
  return nullptr;
}

std::string AdmittedAttacker(const Analysis& analysis, const OriginCheck& check,
                             std::string* how) {
  switch (check.kind) {
    case OriginCheckKind::kRegex:
    case OriginCheckKind::kPrefix:
    case OriginCheckKind::kSuffix:
    case OriginCheckKind::kSubstring:
    case OriginCheckKind::kHostnameMask:
      break;
    default:
      return "";
  }
  if (check.negated) return "";

  bool subdomains = false;
  for (const std::string& origin : analysis.IntendedOf(check, &subdomains)) {
    for (const AttackerOrigin& attacker : DeriveAttackers(origin, subdomains)) {
      if (!check.Matches(attacker.origin)) continue;
      if (how != nullptr) *how = attacker.how;
      return attacker.origin;
    }
  }
  return "";
}

bool IsSafelistedMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "POST";
}

std::string QuoteList(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " and " : ", ";
    text += Quote(names[i]);
  }
  return text;
}

}  // namespace corslint
