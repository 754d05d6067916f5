#include "analyzer/sarif.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "analyzer/about.h"
#include "analyzer/baseline.h"
#include "analyzer/rule_docs.h"
#include "analyzer/suppressions.h"

namespace corslint {

namespace {

using json = nlohmann::ordered_json;

struct FactsEntry {
  std::string_view rule;
  SarifRuleFacts facts;
};

// CWE-942: permissive cross-domain policy with untrusted domains.
// CWE-346: origin validation error. CWE-525: sensitive data in a cache.
// Scores follow exploitability: reading a victim's data through an echoed
// or loosely matched origin is high; an origin any network attacker can
// take over is medium; a public `*` is low.
const FactsEntry kFacts[] = {
    {"authorization-not-covered-by-wildcard", {}},
    {"cors-headers-missing-on-errors", {}},
    {"duplicate-cors-header", {}},
    {"inherited-headers-dropped", {}},
    {"insecure-origin-allowed", {{942}, "5.9"}},
    {"invalid-credentials-value", {}},
    {"malformed-origin", {}},
    {"max-age-exceeds-browser-limit", {}},
    {"missing-vary-origin", {{525}, "5.3"}},
    {"multiple-origins-in-header", {}},
    {"null-origin-allowed", {{942, 346}, "7.5"}},
    {"permissive-origin-pattern", {{942, 346}, "8.1"}},
    {"preflight-not-handled", {}},
    {"reflected-origin", {{942, 346}, "8.8"}},
    {"stateful-origin-regex", {{346}, "5.3"}},
    {"untrusted-origin-allowed", {{942}, "7.5"}},
    {"unused-suppression", {}},
    {"wildcard-ignored-with-credentials", {}},
    {"wildcard-origin", {{942}, "3.1"}},
    {"wildcard-origin-with-credentials", {{942}, "5.3"}},
};

std::string_view Level(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

// `reflected-origin` as `ReflectedOrigin`.
std::string PascalCase(std::string_view name) {
  std::string text;
  bool upper = true;
  for (char c : name) {
    if (c == '-') {
      upper = true;
      continue;
    }
    text += upper
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                : c;
    upper = false;
  }
  return text;
}

// The text of the doc block's "What it does" section on one line.
std::string WhatItDoes(std::string_view doc) {
  constexpr std::string_view kHeading = "## What it does\n";
  size_t begin = doc.find(kHeading);
  if (begin == std::string_view::npos) return "";
  begin += kHeading.size();
  size_t end = doc.find("\n## ", begin);
  std::string_view body = doc.substr(begin, end - begin);
  std::string text;
  for (char c : body) {
    if (c == '\n') c = ' ';
    if (c == ' ' && (text.empty() || text.back() == ' ')) continue;
    text += c;
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

json ArtifactLocation(const std::string& path) {
  if (path.starts_with("/")) return {{"uri", FileUri(path)}};
  std::string_view relative = path;
  while (relative.starts_with("./")) relative.remove_prefix(2);
  return {{"uri", EncodeUriPath(relative)}, {"uriBaseId", "%SRCROOT%"}};
}

// A 1-based byte column of `line` in `file` as a column in code points.
int CodePointColumn(const SourceFile* file, int line, int byte_column) {
  if (file == nullptr || line <= 0 || byte_column <= 1) return byte_column;
  std::string_view text = file->Line(line);
  size_t bytes = static_cast<size_t>(byte_column - 1);
  int column = 1;
  for (size_t i = 0; i < bytes; ++i) {
    if (i >= text.size()) {
      ++column;
      continue;
    }
    // Continuation bytes of a UTF-8 sequence do not start a code point.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

json Region(const Location& where, const SourceFile* file) {
  json region = {{"startLine", where.line}};
  if (where.column > 0) {
    region["startColumn"] = CodePointColumn(file, where.line, where.column);
  }
  if (where.end_line > 0 && where.end_column > 0) {
    region["endLine"] = where.end_line;
    region["endColumn"] =
        CodePointColumn(file, where.end_line, where.end_column);
  }
  return region;
}

// A physical location, or null when there is no position.
json PhysicalLocation(const Location& where, const SourceFile* file,
                      std::string_view snippet = {}) {
  json location = {{"artifactLocation", ArtifactLocation(where.file)}};
  if (where.line > 0) {
    location["region"] = Region(where, file);
    if (!snippet.empty()) {
      location["region"]["snippet"] = {{"text", std::string(snippet)}};
    }
  }
  return location;
}

json Descriptor(const RuleInfo& rule) {
  const SarifRuleFacts* facts = FactsOf(rule.name);
  json tags = json::array();
  json properties = json::object();
  if (facts != nullptr && !facts->cwes.empty()) {
    tags.push_back("security");
    for (int cwe : facts->cwes) {
      tags.push_back("external/cwe/cwe-" + std::to_string(cwe));
    }
    properties["security-severity"] = std::string(facts->security_severity);
  } else {
    tags.push_back(rule.check == nullptr ? "maintainability" : "correctness");
  }
  properties["tags"] = std::move(tags);
  if (!rule.severity_note.empty()) {
    properties["severity-note"] = std::string(rule.severity_note);
  }

  std::string page = RulePage(rule);
  return {{"id", std::string(rule.name)},
          {"name", PascalCase(rule.name)},
          {"shortDescription", {{"text", std::string(rule.summary)}}},
          {"fullDescription", {{"text", WhatItDoes(rule.doc)}}},
          {"help", {{"text", page}, {"markdown", page}}},
          {"helpUri",
           DocsBaseUri() + "docs/rules/" + std::string(rule.name) + ".md"},
          {"defaultConfiguration",
           {{"level", std::string(Level(rule.default_severity))}}},
          {"properties", std::move(properties)}};
}

json DemonstrationJson(const Demonstration& demo) {
  json request_headers = json::array();
  if (demo.request.origin) {
    request_headers.push_back({"Origin", *demo.request.origin});
  }
  for (const auto& [name, value] : demo.request.headers) {
    request_headers.push_back({name, value});
  }
  json response_headers = json::array();
  for (const ResponseHeader& header : demo.response.headers) {
    response_headers.push_back(
        {header.name, header.value_known ? json(header.value) : json(nullptr)});
  }
  return {{"request",
           {{"method", demo.request.method},
            {"path", demo.request.path},
            {"headers", std::move(request_headers)}}},
          {"response",
           {{"status", demo.response.status},
            {"headers", std::move(response_headers)}}}};
}

std::string_view SafetyName(FixSafety safety) {
  switch (safety) {
    case FixSafety::kSafe:
      return "safe";
    case FixSafety::kUnsafe:
      return "unsafe";
    case FixSafety::kDisplayOnly:
      return "display-only";
  }
  return "display-only";
}

// Whether `fix` changes the source; a display-only snippet does not, and
// SARIF has no place for one.
bool HasEdits(const Fix& fix) {
  return std::any_of(fix.edits.begin(), fix.edits.end(),
                     [](const Edit& edit) { return edit.span.valid(); });
}

json FixJson(const Fix& fix) {
  // One artifact change per file, its replacements in edit order.
  std::map<std::string, json> changes;
  std::vector<std::string> order;
  for (const Edit& edit : fix.edits) {
    if (!edit.span.valid()) continue;
    Location where = Locate(edit.span);
    if (!changes.count(where.file)) {
      order.push_back(where.file);
      changes[where.file] = {{"artifactLocation", ArtifactLocation(where.file)},
                             {"replacements", json::array()}};
    }
    changes[where.file]["replacements"].push_back(
        {{"deletedRegion", Region(where, edit.span.file)},
         {"insertedContent", {{"text", edit.replacement}}}});
  }
  json artifact_changes = json::array();
  for (const std::string& file : order) {
    artifact_changes.push_back(std::move(changes[file]));
  }
  return {{"description", {{"text", fix.description}}},
          {"artifactChanges", std::move(artifact_changes)},
          {"properties", {{"safety", std::string(SafetyName(fix.safety))}}}};
}

}  // namespace

const SarifRuleFacts* FactsOf(std::string_view rule) {
  for (const FactsEntry& entry : kFacts) {
    if (entry.rule == rule) return &entry.facts;
  }
  return nullptr;
}

void PrintSarif(const CheckResult& result, std::ostream& out) {
  // The rules of the driver: the catalog, then the meta-rules.
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  std::vector<const RuleInfo*> all(AllRules().begin(), AllRules().end());
  for (const RuleInfo* rule : MetaRules()) all.push_back(rule);
  for (const RuleInfo* rule : all) {
    rule_index[std::string(rule->name)] = rules.size();
    rules.push_back(Descriptor(*rule));
  }

  std::vector<std::string> fingerprints = Fingerprints(result.findings);
  json results = json::array();
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& finding = result.findings[i];
    json item = {
        {"ruleId", finding.rule},
        {"level", std::string(Level(finding.severity))},
        {"message", {{"text", finding.message}}},
        {"partialFingerprints", {{"corslintFingerprint/v1", fingerprints[i]}}}};
    auto index = rule_index.find(finding.rule);
    if (index != rule_index.end()) item["ruleIndex"] = index->second;
    if (finding.span.valid()) {
      item["locations"] = json::array(
          {{{"physicalLocation",
             PhysicalLocation(Locate(finding.span), finding.span.file,
                              finding.span.text())}}});
    }

    json related = json::array();
    for (const FindingNote& note : finding.notes) {
      if (!note.span.valid()) continue;
      related.push_back(
          {{"id", related.size() + 1},
           {"message", {{"text", note.message}}},
           {"physicalLocation",
            PhysicalLocation(Locate(note.span), note.span.file)}});
    }
    if (!related.empty()) item["relatedLocations"] = std::move(related);
    json fixes = json::array();
    for (const Fix& fix : finding.fixes) {
      if (HasEdits(fix)) fixes.push_back(FixJson(fix));
    }
    if (!fixes.empty()) item["fixes"] = std::move(fixes);

    json properties = json::object();
    if (!finding.help.empty()) properties["help"] = finding.help;
    if (finding.demonstration) {
      properties["demonstration"] = DemonstrationJson(*finding.demonstration);
    }
    if (!properties.empty()) item["properties"] = std::move(properties);
    results.push_back(std::move(item));
  }

  // Inputs that could not be read or parsed.
  json notifications = json::array();
  for (const InputError& error : result.errors) {
    json notification = {{"level", error.warning ? "warning" : "error"},
                         {"message", {{"text", error.message}}}};
    notification["locations"] = json::array(
        {{{"physicalLocation", PhysicalLocation(error.where, nullptr)}}});
    notifications.push_back(std::move(notification));
  }
  bool successful =
      std::none_of(result.errors.begin(), result.errors.end(),
                   [](const InputError& error) { return !error.warning; });
  json invocation = {{"executionSuccessful", successful}};
  if (!notifications.empty()) {
    invocation["toolExecutionNotifications"] = std::move(notifications);
  }

  json driver = {{"name", "corslint"},
                 {"version", std::string(Version())},
                 {"semanticVersion", std::string(Version())},
                 {"informationUri", DocsBaseUri() + "README.md"},
                 {"rules", std::move(rules)}};
  json log = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array({{{"tool", {{"driver", std::move(driver)}}},
                     {"invocations", json::array({std::move(invocation)})},
                     {"columnKind", "unicodeCodePoints"},
                     {"results", std::move(results)}}})}};
  out << log.dump(2) << "\n";
}

}  // namespace corslint
