// One document through the rules and everything the configuration and the
// source's own comments say about their findings.
#pragma once

#include <vector>

#include "analyzer/config.h"
#include "analyzer/policy.h"
#include "analyzer/rule.h"

namespace corslint {

// Runs every rule on `document` with the options of `settings`, removes
// the findings its suppression comments cover (adding
// `unused-suppression` findings), then applies the configured rule
// levels: a rule that is off reports nothing, a fixed severity replaces
// the rule's own. Sorted by position and rule.
std::vector<Finding> LintDocument(const Document& document,
                                  const FileSettings& settings);

}  // namespace corslint
