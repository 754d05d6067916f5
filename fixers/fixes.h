// The fixes corslint offers: which rule can be mended in which format and
// how far the fix may be trusted, and the pass that attaches fixes to the
// findings of a document.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "analyzer/analysis.h"
#include "analyzer/rule.h"

namespace corslint {

// One kind of fix a rule offers for one format, with its usual safety;
// the rule's "Fix safety" section says when a fix is of another kind.
struct FixKind {
  std::string_view rule;
  Format format;
  FixSafety safety;
  std::string_view what;  // "add `always` to `add_header`"
};

// Every kind of fix, sorted by rule and format.
std::span<const FixKind> FixCatalog();

// Attaches to each of `findings` (the findings of `analysis`'s document)
// the fixes its rule offers there. A fix is offered only when it is
// clearly right for that finding; a finding without one keeps an empty
// `fixes`. Edits are made to fit the text around them: its indentation,
// quoting and line endings.
void AddFixes(const Analysis& analysis, const RuleOptions& options,
              std::vector<Finding>* findings);

}  // namespace corslint
