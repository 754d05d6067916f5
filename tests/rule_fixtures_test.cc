// Every rule against its fixtures and the examples of its own doc block.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "analyzer/check.h"
#include "analyzer/formats.h"
#include "analyzer/rule.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(CORSLINT_SOURCE_DIR) / "fixtures";

// Options and expectations written in a fixture's `corslint-test:` lines.
struct FixtureSettings {
  CheckOptions options;
  std::vector<std::pair<int, int>> expected_positions;  // line, column
};

FixtureSettings ReadSettings(const std::string& text) {
  FixtureSettings settings;
  std::istringstream lines(text);
  std::string line;
  const std::string marker = "corslint-test:";
  while (std::getline(lines, line)) {
    size_t at = line.find(marker);
    if (at == std::string::npos) continue;
    std::string setting = line.substr(at + marker.size());
    setting.erase(0, setting.find_first_not_of(" \t"));
    size_t equals = setting.find('=');
    std::string key = setting.substr(0, equals);
    std::string value = setting.substr(equals + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) {
      value.pop_back();
    }
    if (key == "trusted-origins") {
      std::istringstream items(value);
      std::string item;
      while (std::getline(items, item, ',')) {
        settings.options.rule_options.trusted_origins.push_back(item);
      }
    } else if (key == "max-age-limit") {
      settings.options.rule_options.max_age_limit = std::stoi(value);
    } else if (key == "expect") {
      size_t colon = value.find(':');
      settings.expected_positions.emplace_back(
          std::stoi(value.substr(0, colon)), std::stoi(value.substr(colon + 1)));
    } else {
      ADD_FAILURE() << "unknown fixture setting \"" << key << "\"";
    }
  }
  return settings;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Fixture {
  std::string rule;
  bool fire = false;
  fs::path path;  // a file, or a directory checked as a whole
};

std::vector<Fixture> AllFixtures() {
  std::vector<Fixture> fixtures;
  if (!fs::exists(kFixtures)) return fixtures;
  for (const fs::directory_entry& format : fs::directory_iterator(kFixtures)) {
    if (!format.is_directory()) continue;
    for (const fs::directory_entry& rule : fs::directory_iterator(format)) {
      if (!rule.is_directory() || FindRule(rule.path().filename().string()) == nullptr) {
        continue;
      }
      for (const char* kind : {"fire", "silent"}) {
        fs::path folder = rule.path() / kind;
        if (!fs::exists(folder)) continue;
        for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
          if (entry.path().extension() == ".md") continue;
          fixtures.push_back({rule.path().filename().string(),
                              std::string(kind) == "fire", entry.path()});
        }
      }
    }
  }
  std::sort(fixtures.begin(), fixtures.end(),
            [](const Fixture& a, const Fixture& b) { return a.path < b.path; });
  return fixtures;
}

// The files a fixture path stands for, and the text holding its settings.
std::string SettingsText(const fs::path& path) {
  if (!fs::is_directory(path)) return ReadAll(path);
  std::string text;
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) text += ReadAll(entry.path());
  }
  return text;
}

class RuleFixtureTest : public ::testing::TestWithParam<Fixture> {};

TEST_P(RuleFixtureTest, FiresOrStaysSilent) {
  const Fixture& fixture = GetParam();
  FixtureSettings settings = ReadSettings(SettingsText(fixture.path));
  CheckResult result = RunCheck({fixture.path.string()}, settings.options);

  for (const InputError& error : result.errors) {
    ADD_FAILURE() << error.where.file << ":" << error.where.line << ":"
                  << error.where.column << ": " << error.message;
  }
  ASSERT_GT(result.files_read, 0u) << "no file of the fixture was read";

  std::vector<const Finding*> matching;
  for (const Finding& finding : result.findings) {
    if (finding.rule == fixture.rule) matching.push_back(&finding);
  }
  if (!fixture.fire) {
    for (const Finding* finding : matching) {
      Location where = Locate(finding->span);
      ADD_FAILURE() << "unexpected finding at " << where.line << ":"
                    << where.column << ": " << finding->message;
    }
    return;
  }
  EXPECT_FALSE(matching.empty()) << fixture.rule << " did not fire";
  for (auto [line, column] : settings.expected_positions) {
    bool found = std::any_of(matching.begin(), matching.end(), [&](auto* f) {
      Location where = Locate(f->span);
      return where.line == line && where.column == column;
    });
    EXPECT_TRUE(found) << "no finding at " << line << ":" << column;
  }
}

std::string FixtureName(const ::testing::TestParamInfo<Fixture>& info) {
  std::string name = fs::relative(info.param.path, kFixtures).string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RuleFixtureTest,
                         ::testing::ValuesIn(AllFixtures()), FixtureName);

// Every rule a format can express has fixtures that must fire and fixtures
// that must stay silent, in each of the format's languages.
void ExpectCoverage(std::string_view format,
                    const std::set<std::string>& not_expressible,
                    const std::vector<std::string>& extensions) {
  std::set<std::string> seen_extensions;
  for (const RuleInfo* rule : AllRules()) {
    if (not_expressible.count(std::string(rule->name))) continue;
    for (const char* kind : {"fire", "silent"}) {
      fs::path folder = kFixtures / std::string(format) / rule->name / kind;
      EXPECT_TRUE(fs::exists(folder) && !fs::is_empty(folder))
          << "missing " << folder.string();
      if (!fs::exists(folder)) continue;
      for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        seen_extensions.insert(entry.path().extension().string());
      }
    }
  }
  for (const std::string& extension : extensions) {
    EXPECT_TRUE(seen_extensions.count(extension))
        << format << " has no " << extension << " fixture";
  }
}

TEST(RuleFixtureCoverageTest, EveryNginxRuleHasFireAndSilentFixtures) {
  // JavaScript regex state does not exist in nginx.
  ExpectCoverage("nginx", {"stateful-origin-regex"}, {".conf"});
}

TEST(RuleFixtureCoverageTest, EveryExpressRuleHasFireAndSilentFixtures) {
  // Express and cors have no nested header levels that replace each other
  // (nginx `add_header` inheritance).
  ExpectCoverage("express", {"inherited-headers-dropped"}, {".js", ".ts"});
}

TEST(RuleFixtureCoverageTest, EveryFlaskRuleHasFireAndSilentFixtures) {
  // Flask has no nested header levels (nginx `add_header` inheritance), and
  // Python regexes keep no state between matches (JavaScript `g` and `y`).
  ExpectCoverage("flask", {"inherited-headers-dropped", "stateful-origin-regex"},
                 {".py"});
}

// The code blocks that follow a heading of a rule's doc, with their
// language.
std::vector<std::pair<std::string, std::string>> CodeBlocksAfter(
    std::string_view doc, std::string_view heading) {
  std::vector<std::pair<std::string, std::string>> blocks;
  size_t at = doc.find(heading);
  if (at == std::string_view::npos) return blocks;
  size_t end = doc.find("\n## ", at + heading.size());
  std::string section(doc.substr(at, end == std::string_view::npos
                                         ? std::string_view::npos
                                         : end - at));
  std::regex fence("```([a-z]*)\\n([\\s\\S]*?)```");
  for (std::sregex_iterator it(section.begin(), section.end(), fence), last;
       it != last; ++it) {
    blocks.emplace_back((*it)[1].str(), (*it)[2].str());
  }
  return blocks;
}

class RuleDocExampleTest : public ::testing::TestWithParam<const RuleInfo*> {};

TEST_P(RuleDocExampleTest, ExampleFiresAndUseInsteadDoesNot) {
  const RuleInfo* rule = GetParam();
  int checked = 0;
  for (bool fire : {true, false}) {
    for (const auto& [language, code] :
         CodeBlocksAfter(rule->doc, fire ? "## Example" : "## Use instead")) {
      std::optional<Format> format = ParseFormat(language);
      if (!format) continue;
      fs::path dir = fs::temp_directory_path() /
                     ("corslint-doc-" + std::to_string(::getpid()));
      fs::create_directories(dir);
      const char* name = *format == Format::kFlask ? "example.py"
                         : *format == Format::kNginx
                             ? "example.conf"
                             : (language == "ts" || language == "typescript")
                                   ? "example.ts"
                                   : "example.js";
      fs::path file = dir / name;
      std::ofstream(file) << code;

      FixtureSettings settings = ReadSettings(code);
      settings.options.forced_format = format;
      CheckResult result = RunCheck({file.string()}, settings.options);
      fs::remove_all(dir);
      ++checked;

      EXPECT_TRUE(result.errors.empty())
          << rule->name << ": " << result.errors.front().message;
      bool fired = std::any_of(
          result.findings.begin(), result.findings.end(),
          [&](const Finding& f) { return f.rule == rule->name; });
      EXPECT_EQ(fired, fire) << rule->name << (fire ? " Example" : " Use instead")
                             << ":\n" << code;
    }
  }
  // Each rule documents an example and its fix in a format corslint reads.
  EXPECT_GE(checked, 2);
}

INSTANTIATE_TEST_SUITE_P(
    Docs, RuleDocExampleTest,
    ::testing::ValuesIn(AllRules().begin(), AllRules().end()),
    [](const ::testing::TestParamInfo<const RuleInfo*>& info) {
      std::string name(info.param->name);
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace corslint
