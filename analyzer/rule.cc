#include "analyzer/rule.h"

#include <algorithm>
#include <tuple>

#include "fixers/fixes.h"

namespace corslint {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "?";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  if (name == "info") return Severity::kInfo;
  if (name == "warning") return Severity::kWarning;
  if (name == "error") return Severity::kError;
  return std::nullopt;
}

void RuleContext::Report(Finding finding) {
  finding.rule = std::string(rule_);
  for (Finding& other : *findings_) {
    if (other.rule != finding.rule || other.span.file != finding.span.file ||
        other.span.begin != finding.span.begin) {
      continue;
    }
    if (finding.severity > other.severity) other = std::move(finding);
    return;
  }
  findings_->push_back(std::move(finding));
}

const RuleInfo* FindRule(std::string_view name) {
  for (const RuleInfo* rule : AllRules()) {
    if (rule->name == name) return rule;
  }
  return nullptr;
}

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string SuggestRule(std::string_view name) {
  std::vector<std::string_view> names;
  for (const RuleInfo* rule : AllRules()) names.push_back(rule->name);
  return SuggestName(name, names);
}

std::string SuggestName(std::string_view name,
                        std::span<const std::string_view> candidates) {
  // A unique candidate that starts with what was typed.
  std::string prefixed;
  int prefixes = 0;
  for (std::string_view candidate : candidates) {
    if (name.size() >= 4 && candidate.starts_with(name)) {
      prefixed = candidate;
      ++prefixes;
    }
  }
  if (prefixes == 1) return prefixed;

  std::string best;
  size_t best_distance = std::max<size_t>(3, name.size() / 3) + 1;
  for (std::string_view candidate : candidates) {
    size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::vector<Finding> RunRules(const Document& document,
                              const RuleOptions& options) {
  Analysis analysis(document, options.trusted_origins);
  std::vector<Finding> findings;
  RuleContext context(analysis, options, &findings);
  for (const RuleInfo* rule : AllRules()) {
    context.set_rule(rule->name);
    rule->check(context);
  }
  AddFixes(analysis, options, &findings);

  std::vector<std::pair<Location, size_t>> order;
  for (size_t i = 0; i < findings.size(); ++i) {
    order.emplace_back(Locate(findings[i].span), i);
  }
  std::stable_sort(order.begin(), order.end(), [&](auto& a, auto& b) {
    return std::tie(a.first, findings[a.second].rule) <
           std::tie(b.first, findings[b.second].rule);
  });
  std::vector<Finding> sorted;
  for (auto& [location, index] : order) {
    sorted.push_back(std::move(findings[index]));
  }
  return sorted;
}

}  // namespace corslint
