// The generated documentation: docs/rules/*.md and the README's rule table
// must match what the rules' doc blocks generate now.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "analyzer/check.h"
#include "analyzer/rule_docs.h"
#include "analyzer/suppressions.h"
#include "tests/support/command.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::ScratchDir;

const fs::path kSource = CORSLINT_SOURCE_DIR;
constexpr char kRegenerate[] =
    "regenerate with `build/corslint rules --write-docs docs/rules` and "
    "`build/corslint rules --markdown` (README section)";

std::vector<const RuleInfo*> EveryRule() {
  std::vector<const RuleInfo*> rules(AllRules().begin(), AllRules().end());
  for (const RuleInfo* rule : MetaRules()) rules.push_back(rule);
  return rules;
}

TEST(RuleDocsTest, EveryRuleDocHasWhatWhyAndExample) {
  for (const RuleInfo* rule : EveryRule()) {
    size_t last = 0;
    for (const char* section :
         {"## What it does\n", "## Why is this bad?\n", "## Example\n"}) {
      size_t at = rule->doc.find(section);
      ASSERT_NE(at, std::string_view::npos)
          << rule->name << " lacks the section " << section;
      EXPECT_GT(at, last) << rule->name << ": sections out of order";
      last = at;
      // A heading followed directly by the next one is no section.
      size_t body = at + std::string_view(section).size();
      EXPECT_NE(rule->doc.substr(body, 3), "## ")
          << rule->name << ": empty section " << section;
    }
  }
}

TEST(RuleDocsTest, CommittedPagesAreCurrent) {
  const fs::path pages = kSource / "docs" / "rules";
  std::set<std::string> expected;
  for (const RuleInfo* rule : EveryRule()) {
    std::string name = std::string(rule->name) + ".md";
    expected.insert(name);
    fs::path page = pages / name;
    ASSERT_TRUE(fs::exists(page)) << page << " is missing; " << kRegenerate;
    EXPECT_EQ(ReadFile(page), RulePage(*rule))
        << page << " is stale; " << kRegenerate;
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(pages)) {
    EXPECT_TRUE(expected.count(entry.path().filename().string()))
        << entry.path() << " belongs to no rule; " << kRegenerate;
  }
}

TEST(RuleDocsTest, ReadmeRuleTableIsCurrent) {
  std::string readme = ReadFile(kSource / "README.md");
  const std::string begin = "<!-- rules:begin -->\n";
  const std::string end = "<!-- rules:end -->";
  size_t from = readme.find(begin);
  size_t to = readme.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  from += begin.size();
  ASSERT_LE(from, to);
  EXPECT_EQ(readme.substr(from, to - from), RuleTable()) << kRegenerate;
}

TEST(RuleDocsTest, WriteDocsGeneratesThePagesAndPrunesOthers) {
  ScratchDir dir;
  dir.Write("renamed-rule.md", "# renamed-rule\n");
  dir.Write("notes.txt", "kept\n");
  testing::CommandResult run =
      testing::RunCommand({testing::CorslintBinary(), "rules", "--write-docs",
                           dir.path().string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const RuleInfo* rule : EveryRule()) {
    EXPECT_EQ(ReadFile(dir.path() / (std::string(rule->name) + ".md")),
              RulePage(*rule));
  }
  EXPECT_FALSE(fs::exists(dir.path() / "renamed-rule.md"));
  EXPECT_TRUE(fs::exists(dir.path() / "notes.txt"));
}

// The meta-rules' examples run like the catalog rules' do.
TEST(RuleDocsTest, MetaRuleExamplesFireAndUseInsteadDoesNot) {
  for (const RuleInfo* rule : MetaRules()) {
    for (bool fire : {true, false}) {
      std::string doc(rule->doc);
      std::string heading = fire ? "## Example\n" : "## Use instead\n";
      size_t at = doc.find(heading);
      ASSERT_NE(at, std::string::npos);
      std::smatch block;
      std::string section = doc.substr(at);
      ASSERT_TRUE(std::regex_search(section, block,
                                    std::regex("```nginx\\n([\\s\\S]*?)```")));
      ScratchDir dir;
      fs::path file = dir.Write("example.conf", block[1].str());
      CheckResult result = RunCheck({file.string()}, {});
      EXPECT_TRUE(result.errors.empty());
      bool fired =
          std::any_of(result.findings.begin(), result.findings.end(),
                      [&](const Finding& f) { return f.rule == rule->name; });
      EXPECT_EQ(fired, fire) << rule->name << " " << heading << block[1];
    }
  }
}

}  // namespace
}  // namespace corslint
