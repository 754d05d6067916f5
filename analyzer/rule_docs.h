// The documentation generated from the rules' doc blocks.
#pragma once

#include <string>

#include "analyzer/rule.h"

namespace corslint {

// The page of one rule, as `corslint explain` prints it and as
// docs/rules/NAME.md holds it.
std::string RulePage(const RuleInfo& rule);

// A Markdown table of every rule with its default severity and summary,
// linking to the pages; the README embeds it.
std::string RuleTable();

}  // namespace corslint
