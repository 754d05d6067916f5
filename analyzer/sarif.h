// SARIF 2.1.0 output, for code scanning (GitHub, Azure DevOps, IDEs).
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

#include "analyzer/check.h"

namespace corslint {

// How SARIF consumers should classify a rule's findings.
struct SarifRuleFacts {
  // CWE identifiers (942, 346, 525) where the rule is about a weakness;
  // empty for correctness rules.
  std::vector<int> cwes;
  // GitHub's `security-severity` score, "0.1" to "10.0"; empty with cwes.
  std::string_view security_severity;
};

// The facts of `rule`, or null when the rule has none on record (every
// catalog and meta-rule must have an entry; a test checks it).
const SarifRuleFacts* FactsOf(std::string_view rule);

// The whole result as one SARIF log with one run: the driver's rules with
// descriptions, help and help URIs, each finding as a result with its
// level, region (columns in Unicode code points), related locations,
// stable partialFingerprints and the finding's fixes that edit the source
// (display-only snippets have no SARIF form), and input errors and
// warnings as tool execution notifications.
void PrintSarif(const CheckResult& result, std::ostream& out);

}  // namespace corslint
