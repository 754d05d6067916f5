// Rules, their findings and the sorted registry that lists them.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/analysis.h"
#include "analyzer/policy.h"

namespace corslint {

enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };

std::string_view SeverityName(Severity severity);  // "info", "warning", ...
std::optional<Severity> ParseSeverity(std::string_view name);

// A secondary place that explains a finding, printed as a `note:` line.
struct FindingNote {
  Span span;
  std::string message;
};

// The request that demonstrates a finding and what the server answers.
struct Demonstration {
  Request request;
  Response response;
};

// How far a fix may be trusted (ruff's applicability).
enum class FixSafety {
  kSafe,         // applied by --fix: keeps what the configuration means
  kUnsafe,       // applied only with --unsafe-fixes: changes which origins
                 // or requests are allowed
  kDisplayOnly,  // shown as a suggestion, never applied
};

// Replace the bytes of `span` with `replacement` (an empty span inserts).
struct Edit {
  Span span;
  std::string replacement;
};

// One way to mend a finding: edits that are applied together.
struct Fix {
  std::string description;  // "add `always`", shown with the finding
  FixSafety safety = FixSafety::kSafe;
  std::vector<Edit> edits;
  // For display-only fixes: a corrected snippet to show instead of edits.
  std::string snippet;
};

struct Finding {
  std::string rule;
  Severity severity = Severity::kWarning;
  std::string message;  // lowercase, no final period, names the culprit
  std::string help;     // the remedy, one sentence; may be empty
  Span span;
  std::vector<FindingNote> notes;
  // Shared and immutable: findings are copied, the demonstration is not.
  std::shared_ptr<const Demonstration> demonstration;
  std::vector<Fix> fixes;  // empty: nothing is offered
};

// Settings that change what rules report.
struct RuleOptions {
  // Exact origins and `https://*.example.com` patterns the project trusts;
  // empty means no list is configured.
  std::vector<std::string> trusted_origins;
  int max_age_limit = 7200;
};

// What a rule sees: one document, its probe observations and the options.
// Rules report through `Report`, which fills in the rule's name and keeps
// one finding per rule and span: of two at the same place, the more severe.
class RuleContext {
 public:
  RuleContext(const Analysis& analysis, const RuleOptions& options,
              std::vector<Finding>* findings)
      : analysis_(analysis), options_(options), findings_(findings) {}

  const Document& document() const { return analysis_.document(); }
  const Analysis& analysis() const { return analysis_; }
  const RuleOptions& options() const { return options_; }
  void Report(Finding finding);
  void set_rule(std::string_view rule) { rule_ = rule; }

 private:
  const Analysis& analysis_;
  const RuleOptions& options_;
  std::vector<Finding>* findings_;
  std::string_view rule_;
};

struct RuleInfo {
  std::string_view name;
  Severity default_severity;
  std::string_view summary;  // one line, for listings
  std::string_view doc;      // Markdown: What it does, Why is this bad, ...
  // Null for meta-rules (`unused-suppression`), which the engine reports
  // itself.
  void (*check)(RuleContext& context);
  // How the severity varies, when it does ("error with credentials,
  // otherwise warning"); empty when it is always `default_severity`.
  std::string_view severity_note = {};
};

// Every rule, sorted by name.
std::span<const RuleInfo* const> AllRules();
// The rule named `name`, or null.
const RuleInfo* FindRule(std::string_view name);
// The rule name closest to `name` by edit distance, for "did you mean";
// empty when nothing is close.
std::string SuggestRule(std::string_view name);
// The one candidate that starts with `name` (of 4 characters or more),
// else the candidate closest to it by edit distance, or empty when none is
// close enough to be a likely misspelling.
std::string SuggestName(std::string_view name,
                        std::span<const std::string_view> candidates);

// Runs every rule on `document`, attaches the fixes that each finding's
// rule offers (fixers/fixes.h), and returns the findings sorted by
// position and rule.
std::vector<Finding> RunRules(const Document& document,
                              const RuleOptions& options);

}  // namespace corslint
