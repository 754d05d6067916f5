// SARIF output: its content, and its validity by Microsoft's SARIF
// Multitool and by a JSON-schema validator against the SARIF 2.1.0 schema.
#include "analyzer/sarif.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analyzer/about.h"
#include "analyzer/rule_docs.h"
#include "analyzer/suppressions.h"
#include "tests/support/command.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::RunCommand;
using testing::ScratchDir;

const fs::path kSource = CORSLINT_SOURCE_DIR;
const fs::path kTools = kSource / "tests" / "node_modules";
const fs::path kMultitool =
    kTools / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool";

std::vector<const RuleInfo*> EveryRule() {
  std::vector<const RuleInfo*> rules(AllRules().begin(), AllRules().end());
  for (const RuleInfo* rule : MetaRules()) rules.push_back(rule);
  return rules;
}

TEST(SarifFactsTest, EveryRuleIsClassified) {
  for (const RuleInfo* rule : EveryRule()) {
    const SarifRuleFacts* facts = FactsOf(rule->name);
    ASSERT_NE(facts, nullptr) << rule->name << " has no SARIF facts";
    if (facts->cwes.empty()) {
      EXPECT_TRUE(facts->security_severity.empty()) << rule->name;
      continue;
    }
    double score = std::stod(std::string(facts->security_severity));
    EXPECT_GT(score, 0.0) << rule->name;
    EXPECT_LE(score, 10.0) << rule->name;
  }
  EXPECT_THAT(FactsOf("reflected-origin")->cwes, Contains(942));
  EXPECT_THAT(FactsOf("permissive-origin-pattern")->cwes, Contains(346));
  EXPECT_THAT(FactsOf("missing-vary-origin")->cwes, Contains(525));
}

// The SARIF of checking the whole fixture suite and the examples, as the
// corslint command prints it: with a trusted origin every nginx rule fires
// somewhere, and the invalid fixtures add tool notifications.
std::string FixtureSuiteSarif(int* exit_code) {
  CommandResult run = RunCommand(
      {testing::CorslintBinary(), "check", "fixtures", "examples", "--format",
       "sarif", "--trusted-origin", "https://app.example.com"},
      {.cwd = kSource});
  *exit_code = run.exit_code;
  return run.out;
}

// A log with what the fixtures do not produce: a fix, notes, a column after
// multi-byte characters and an absolute path with a space.
std::string SyntheticSarif(const fs::path& dir) {
  CheckResult result;
  auto document = std::make_unique<Document>();
  std::string path = (dir / "with space" / "site.conf").string();
  const SourceFile* file = document->AddFile(
      path,
      "# café\nadd_header X \"é\"; add_header Access-Control-Allow-Origin "
      "$http_origin;\n");
  size_t at = file->text().find("add_header Access");
  Finding finding;
  finding.rule = "reflected-origin";
  finding.severity = Severity::kError;
  finding.message = "`Access-Control-Allow-Origin` echoes the request's Origin";
  finding.help = "compare the Origin with an allowlist";
  finding.span =
      Span{file, static_cast<uint32_t>(at), static_cast<uint32_t>(at + 52)};
  finding.notes.push_back({Span{file, 2, 6}, "a note"});
  Fix fix;
  fix.description = "add `always`";
  fix.safety = FixSafety::kSafe;
  size_t semicolon = file->text().find(';', at);
  fix.edits.push_back({Span{file, static_cast<uint32_t>(semicolon),
                            static_cast<uint32_t>(semicolon)},
                       " always"});
  finding.fixes.push_back(fix);
  Fix shown;
  shown.description = "list the trusted origins";
  shown.safety = FixSafety::kDisplayOnly;
  shown.snippet = "map $http_origin $cors_origin { ... }";
  finding.fixes.push_back(shown);
  result.findings.push_back(finding);

  Finding info = finding;
  info.rule = "wildcard-origin";
  info.severity = Severity::kInfo;
  info.fixes.clear();
  info.notes.clear();
  result.findings.push_back(info);

  result.errors.push_back(
      {Location{"broken.conf", 3, 5, 0, 0}, "unexpected \"}\""});
  result.errors.push_back({Location{"unreadable.conf"}, "binary file"});
  result.errors.push_back({Location{"site.conf", 1, 1, 0, 0},
                           "include outside the checked tree",
                           /*warning=*/true});
  result.documents.push_back(std::move(document));

  std::ostringstream out;
  PrintSarif(result, out);
  return out.str();
}

class SarifValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int exit_code = 0;
    fs::path suite =
        dir_.Write("fixtures.sarif", FixtureSuiteSarif(&exit_code));
    // The invalid fixtures make it exit 2; the rest are findings.
    ASSERT_EQ(exit_code, 2);
    files_.push_back(suite.string());
    files_.push_back(
        dir_.Write("synthetic.sarif", SyntheticSarif(dir_.path())).string());
  }

  ScratchDir dir_;
  std::vector<std::string> files_;
};

TEST_F(SarifValidationTest, MultitoolFindsNoErrorOrWarning) {
  ASSERT_TRUE(fs::exists(kMultitool))
      << kMultitool << " is missing: scripts/setup_test_tools.sh installs it";
  fs::path report = dir_.path() / "validation.sarif";
  std::vector<std::string> argv = {kMultitool.string(), "validate"};
  argv.insert(argv.end(), files_.begin(), files_.end());
  argv.insert(argv.end(), {"--output", report.string()});
  CommandResult run =
      RunCommand(argv, {.env = {{"HOME", dir_.path().string()}}});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;

  // The Multitool reports schema violations and its SARIF rules as results
  // of its own log, and exits 0 either way.
  json log = json::parse(testing::ReadFile(report));
  int checked = 0;
  for (const json& result : log["runs"][0]["results"]) {
    std::string level = result.value("level", "warning");
    if (level == "note" || level == "none") continue;
    ADD_FAILURE() << result["ruleId"] << " (" << level
                  << "): " << result["message"].dump();
  }
  for (const json& run_log : log["runs"]) {
    for (const json& invocation : run_log["invocations"]) {
      EXPECT_TRUE(invocation["executionSuccessful"]) << invocation.dump();
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
  EXPECT_THAT(run.out,
              HasSubstr(std::to_string(files_.size()) + " files scanned"));
}

TEST_F(SarifValidationTest, MatchesTheSarifSchema) {
  fs::path script = kSource / "tests" / "sarif" / "validate_schema.js";
  ASSERT_TRUE(fs::exists(kTools / "ajv"))
      << "ajv is missing: scripts/setup_test_tools.sh installs it";
  std::vector<std::string> argv = {"node", script.string()};
  argv.insert(argv.end(), files_.begin(), files_.end());
  CommandResult run = RunCommand(argv);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST(SarifSchemaValidatorTest, RejectsAnInvalidLog) {
  // The validator itself must be able to fail.
  ScratchDir dir;
  fs::path bad = dir.Write(
      "bad.sarif",
      R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},)"
      R"( "results": [{"message": {"text": "a"}, "level": "severe"}]}]})");
  CommandResult run = RunCommand(
      {"node", (kSource / "tests" / "sarif" / "validate_schema.js").string(),
       bad.string()});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("/runs/0/results/0/level"));
}

TEST(SarifContentTest, DescribesRulesAndResults) {
  int exit_code = 0;
  json log = json::parse(FixtureSuiteSarif(&exit_code));
  ASSERT_EQ(log["version"], "2.1.0");
  const json& run = log["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), EveryRule().size());
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");

  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleInfo* info = FindAnyRule(rules[i]["id"].get<std::string>());
    ASSERT_NE(info, nullptr) << rules[i]["id"];
    EXPECT_EQ(rules[i]["help"]["markdown"], RulePage(*info));
    EXPECT_EQ(rules[i]["shortDescription"]["text"], info->summary);
    EXPECT_FALSE(
        rules[i]["fullDescription"]["text"].get<std::string>().empty());
    EXPECT_EQ(rules[i]["helpUri"],
              DocsBaseUri() + "docs/rules/" + std::string(info->name) + ".md");
  }
  const json* reflected = nullptr;
  for (const json& rule : rules) {
    if (rule["id"] == "reflected-origin") reflected = &rule;
  }
  ASSERT_NE(reflected, nullptr);
  EXPECT_THAT((*reflected)["properties"]["tags"],
              Contains("external/cwe/cwe-942"));
  EXPECT_EQ((*reflected)["properties"]["security-severity"], "8.8");

  // Each result names its rule by id and index, has a region and a
  // fingerprint; every catalog rule with nginx fixtures appears.
  std::set<std::string> seen;
  int with_fixes = 0;
  for (const json& result : run["results"]) {
    std::string id = result["ruleId"];
    seen.insert(id);
    if (result.contains("fixes")) ++with_fixes;
    EXPECT_EQ(rules[result["ruleIndex"].get<size_t>()]["id"], id);
    EXPECT_GE(result["locations"][0]["physicalLocation"]["region"]["startLine"]
                  .get<int>(),
              1);
    EXPECT_TRUE(
        result["partialFingerprints"].contains("corslintFingerprint/v1"));
  }
  for (const RuleInfo* rule : AllRules()) {
    if (rule->name == "stateful-origin-regex") continue;  // not nginx
    EXPECT_TRUE(seen.count(std::string(rule->name))) << rule->name;
  }
  // The rules' fixes reach the log, so the validators check them too.
  EXPECT_GT(with_fixes, 0);
  EXPECT_FALSE(run["invocations"][0]["executionSuccessful"]);
  EXPECT_THAT(run["invocations"][0]["toolExecutionNotifications"].dump(),
              HasSubstr("unbalanced.conf"));
}

TEST(SarifContentTest, WritesFixesNotesAndCodePointColumns) {
  ScratchDir dir;
  json log = json::parse(SyntheticSarif(dir.path()));
  const json& result = log["runs"][0]["results"][0];
  const json& location = result["locations"][0]["physicalLocation"];
  // `add_header Access` starts at byte column 20 of line 2, after one
  // two-byte character: code point column 19.
  EXPECT_EQ(location["region"]["startLine"], 2);
  EXPECT_EQ(location["region"]["startColumn"], 19);
  EXPECT_THAT(location["artifactLocation"]["uri"].get<std::string>(),
              HasSubstr("/with%20space/site.conf"));
  EXPECT_EQ(result["relatedLocations"][0]["message"]["text"], "a note");
  // The display-only snippet has no SARIF form; the edit does.
  ASSERT_EQ(result["fixes"].size(), 1u);
  const json& fix = result["fixes"][0];
  EXPECT_EQ(fix["description"]["text"], "add `always`");
  EXPECT_EQ(fix["properties"]["safety"], "safe");
  EXPECT_EQ(
      fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
      " always");
  EXPECT_EQ(log["runs"][0]["results"][1]["level"], "note");
  EXPECT_FALSE(log["runs"][0]["results"][1].contains("fixes"));
}

TEST(SarifContentTest, FingerprintsSurviveEditsElsewhere) {
  ScratchDir dir;
  std::string site =
      "server {\n    listen 80;\n    location / {\n"
      "        add_header Access-Control-Allow-Origin $http_origin always;\n"
      "        add_header Access-Control-Allow-Credentials true always;\n"
      "    }\n}\n";
  auto fingerprints = [&](const std::string& text) {
    fs::path file = dir.Write("site.conf", text);
    CommandResult run = RunCommand({testing::CorslintBinary(), "check",
                                    file.string(), "--format", "sarif"});
    json log = json::parse(run.out);
    std::vector<std::string> prints;
    for (const json& result : log["runs"][0]["results"]) {
      prints.push_back(result["ruleId"].get<std::string>() + " " +
                       result["partialFingerprints"]["corslintFingerprint/v1"]
                           .get<std::string>());
    }
    return prints;
  };
  std::vector<std::string> before = fingerprints(site);
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(fingerprints("# a comment\n\n" + site), before);
}

}  // namespace
}  // namespace corslint
