#include "analyzer/rule_docs.h"

namespace corslint {

std::string RulePage(const RuleInfo& rule) {
  std::string page = "# " + std::string(rule.name) + "\n\n";
  page += "Severity: ";
  page += rule.severity_note.empty() ? SeverityName(rule.default_severity)
                                     : rule.severity_note;
  page += ".\n" + std::string(rule.doc);
  return page;
}

std::string RuleTable() {
  std::string table = "| rule | severity | reported when |\n|---|---|---|\n";
  for (const RuleInfo* rule : AllRules()) {
    table += "| [`" + std::string(rule->name) + "`](docs/rules/" +
             std::string(rule->name) + ".md) | " +
             std::string(rule->severity_note.empty()
                             ? SeverityName(rule->default_severity)
                             : rule->severity_note) +
             " | " + std::string(rule->summary) + " |\n";
  }
  return table;
}

}  // namespace corslint
