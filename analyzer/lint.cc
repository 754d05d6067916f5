#include "analyzer/lint.h"

#include <algorithm>

#include "analyzer/suppressions.h"

namespace corslint {

std::vector<Finding> LintDocument(const Document& document,
                                  const FileSettings& settings) {
  std::vector<Finding> findings = RunRules(document, settings.rule_options);

  auto enabled = [&](std::string_view rule) {
    return settings.LevelOf(rule) != RuleLevel::kOff;
  };
  ApplySuppressions(document, enabled, &findings);

  std::erase_if(findings,
                [&](const Finding& finding) { return !enabled(finding.rule); });
  for (Finding& finding : findings) {
    switch (settings.LevelOf(finding.rule)) {
      case RuleLevel::kInfo:
        finding.severity = Severity::kInfo;
        break;
      case RuleLevel::kWarning:
        finding.severity = Severity::kWarning;
        break;
      case RuleLevel::kError:
        finding.severity = Severity::kError;
        break;
      case RuleLevel::kOn:
      case RuleLevel::kOff:
        break;
    }
  }

  // Suppression findings join the rules' in position order.
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) {
                     Location left = Locate(a.span), right = Locate(b.span);
                     if (!(left == right)) return left < right;
                     return a.rule < b.rule;
                   });
  return findings;
}

}  // namespace corslint
