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

// Writes the page of every catalog rule and meta-rule to `dir`/NAME.md
// and deletes the other `.md` files there, so that the directory holds
// exactly the current pages. Returns false and sets `error` when a file
// cannot be written or removed.
bool WriteRulePages(const std::string& dir, std::string* error);

}  // namespace corslint
