#include "analyzer/rule_docs.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "analyzer/suppressions.h"

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

bool WriteRulePages(const std::string& dir, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code code;
  fs::create_directories(dir, code);
  if (code) {
    *error = "cannot create \"" + dir + "\": " + code.message();
    return false;
  }

  std::vector<const RuleInfo*> rules(AllRules().begin(), AllRules().end());
  for (const RuleInfo* rule : MetaRules()) rules.push_back(rule);
  std::set<std::string> pages;
  for (const RuleInfo* rule : rules) {
    std::string name = std::string(rule->name) + ".md";
    pages.insert(name);
    std::ofstream out(fs::path(dir) / name, std::ios::binary | std::ios::trunc);
    out << RulePage(*rule);
    out.close();
    if (!out) {
      *error = "cannot write \"" + (fs::path(dir) / name).string() + "\"";
      return false;
    }
  }

  // Pages of rules that were renamed or removed.
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, code)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".md" || pages.count(name)) continue;
    if (!fs::remove(entry.path(), code)) {
      *error = "cannot remove \"" + entry.path().string() + "\"";
      return false;
    }
  }
  return true;
}

}  // namespace corslint
