// The configuration file: reading, validation errors with positions,
// discovery, overrides, the command line over the file, and --show.
#include "analyzer/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/command.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ScratchDir;

// The errors of reading `text` as `.corslint.yaml`, as `line:col: message`.
std::vector<std::string> Errors(const std::string& text) {
  std::vector<InputError> errors;
  std::optional<Config> config = ParseConfig(".corslint.yaml", text, &errors);
  std::vector<std::string> lines;
  for (const InputError& error : errors) {
    lines.push_back(std::to_string(error.where.line) + ":" +
                    std::to_string(error.where.column) + ": " + error.message);
  }
  EXPECT_EQ(config.has_value(), errors.empty()) << text;
  return lines;
}

TEST(ParseConfigTest, ReadsEveryKey) {
  std::vector<InputError> errors;
  std::optional<Config> config = ParseConfig("dir/.corslint.yaml", R"yaml(
trusted-origins:
  - https://app.example.com
  - https://*.example.org
rules:
  wildcard-origin: off
  missing-vary-origin: error
  unused-suppression: info
  max-age-exceeds-browser-limit:
    level: warning
    max-age-limit: 600
include: ["conf/**"]
exclude: ["conf/vendor/"]
overrides:
  - files: ["conf/legacy/**"]
    rules:
      reflected-origin: off
    trusted-origins: [https://legacy.example.com]
flask-cors: 6
)yaml",
                                             &errors);
  ASSERT_TRUE(config) << errors.front().message;
  EXPECT_THAT(*config->trusted_origins,
              ElementsAre("https://app.example.com", "https://*.example.org"));
  EXPECT_EQ(config->rules.at("wildcard-origin").level, RuleLevel::kOff);
  EXPECT_EQ(config->rules.at("missing-vary-origin").level, RuleLevel::kError);
  EXPECT_EQ(config->rules.at("unused-suppression").level, RuleLevel::kInfo);
  EXPECT_EQ(config->rules.at("max-age-exceeds-browser-limit").level,
            RuleLevel::kWarning);
  EXPECT_EQ(config->rules.at("max-age-exceeds-browser-limit").max_age_limit,
            600);
  EXPECT_THAT(config->include, ElementsAre("conf/**"));
  EXPECT_THAT(config->exclude, ElementsAre("conf/vendor/"));
  ASSERT_EQ(config->overrides.size(), 1u);
  EXPECT_THAT(config->overrides[0].files, ElementsAre("conf/legacy/**"));
  EXPECT_EQ(config->overrides[0].rules.at("reflected-origin").level,
            RuleLevel::kOff);
  EXPECT_THAT(*config->overrides[0].trusted_origins,
              ElementsAre("https://legacy.example.com"));
  EXPECT_EQ(config->flask_cors, 6);
  EXPECT_EQ(fs::path(config->base_dir).filename(), "dir");
}

TEST(ParseConfigTest, EmptyFileIsTheDefaults) {
  EXPECT_THAT(Errors(""), ElementsAre());
  EXPECT_THAT(Errors("# nothing yet\n"), ElementsAre());
}

struct BadConfig {
  const char* name;
  const char* text;
  const char* error;  // line:col: message
};

class BadConfigTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, IsRejectedWithPosition) {
  EXPECT_THAT(Errors(GetParam().text), ElementsAre(GetParam().error));
}

const BadConfig kBadConfigs[] = {
    {"MisspelledKey", "trusted-origin:\n  - https://a.example\n",
     "1:1: unknown key \"trusted-origin\", did you mean \"trusted-origins\"?"},
    {"UnknownKey", "color: blue\n", "1:1: unknown key \"color\""},
    {"MisspelledRule", "rules:\n  reflected-orgin: off\n",
     "2:3: unknown rule \"reflected-orgin\", did you mean "
     "\"reflected-origin\"?"},
    {"MisspelledLevel", "rules:\n  wildcard-origin: warn\n",
     "2:20: rule \"wildcard-origin\" takes on, off, info, warning or error, "
     "not \"warn\", did you mean \"warning\"?"},
    {"LevelOfWrongType", "rules:\n  wildcard-origin: [off]\n",
     "2:20: rule \"wildcard-origin\" takes on, off, info, warning or error, "
     "not a list"},
    {"MissingLevel", "rules:\n  wildcard-origin:\n",
     "2:3: \"wildcard-origin\" has no value"},
    {"RulesNotAMap", "rules: [wildcard-origin]\n",
     "1:8: \"rules\" must be a map from rule names to settings, not a list"},
    {"OriginsNotAList", "trusted-origins: https://a.example\n",
     "1:18: \"trusted-origins\" must be a list of origins, not "
     "\"https://a.example\""},
    {"OriginWithSlash", "trusted-origins:\n  - https://a.example/\n",
     "2:5: \"https://a.example/\" is not a trusted origin: it ends with a "
     "slash, but an Origin never has a path"},
    {"OriginWithoutScheme", "trusted-origins: [a.example]\n",
     "1:19: \"a.example\" is not a trusted origin: it has no scheme, but "
     "browsers always send one (`https://a.example`)"},
    {"OriginItemOfWrongType", "trusted-origins:\n  - {a: b}\n",
     "2:5: each item of \"trusted-origins\" must be origins, not a map"},
    {"OptionNotANumber",
     "rules:\n  max-age-exceeds-browser-limit:\n    max-age-limit: ten\n",
     "3:20: \"max-age-limit\" must be a whole number of seconds, not "
     "\"ten\""},
    {"NegativeOption",
     "rules:\n  max-age-exceeds-browser-limit:\n    max-age-limit: -5\n",
     "3:20: \"max-age-limit\" must be a whole number of seconds, not "
     "\"-5\""},
    {"MisspelledOption",
     "rules:\n  max-age-exceeds-browser-limit:\n    max-age: 10\n",
     "3:5: rule \"max-age-exceeds-browser-limit\" has no setting "
     "\"max-age\" (it takes level or max-age-limit), did you mean "
     "\"max-age-limit\"?"},
    {"OptionOfAnotherRule",
     "rules:\n  reflected-origin:\n    max-age-limit: 5\n",
     "3:5: rule \"reflected-origin\" has no setting \"max-age-limit\" (it "
     "takes level)"},
    {"FlaskCorsVersion", "flask-cors: 5\n",
     "1:13: \"flask-cors\" must be 3 or 6, the flask-cors major version, "
     "not \"5\""},
    {"FlaskCorsNotANumber", "flask-cors: latest\n",
     "1:13: \"flask-cors\" must be 3 or 6, the flask-cors major version, "
     "not \"latest\""},
    {"NotAMap", "- include\n- exclude\n",
     "1:1: the configuration must be a map of settings, not a list"},
    {"DuplicateKey", "include: []\ninclude: [\"*.conf\"]\n",
     "2:1: duplicate key \"include\" (first on line 1)"},
    {"OverrideWithoutFiles",
     "overrides:\n  - rules:\n      wildcard-origin: off\n",
     "2:5: an override needs \"files\": the globs it applies to"},
    {"OverrideUnknownKey", "overrides:\n  - files: [\"a/**\"]\n    rule: {}\n",
     "3:5: unknown key \"rule\" in an override (it takes files, rules or "
     "trusted-origins), did you mean \"rules\"?"},
    {"OverridesNotAList", "overrides: {files: a}\n",
     "1:12: \"overrides\" must be a list of maps with \"files\", not a map"},
    {"BadGlob", "exclude: [\"vendor/[ab\"]\n",
     "1:11: bad pattern \"vendor/[ab\": unclosed `[` in the pattern"},
    {"TwoDocuments", "include: []\n---\nexclude: []\n",
     "3:1: the configuration must be one YAML document, but a second one "
     "starts here"},
    {"InvalidYaml", "rules:\n  wildcard-origin: [off\n",
     "3:1: invalid YAML: end of sequence flow not found"},
    {"TabIndentation", "rules:\n\twildcard-origin: off\n",
     "2:17: invalid YAML: illegal map value"},
};

INSTANTIATE_TEST_SUITE_P(Cases, BadConfigTest, ::testing::ValuesIn(kBadConfigs),
                         [](const ::testing::TestParamInfo<BadConfig>& info) {
                           return std::string(info.param.name);
                         });

TEST(ParseConfigTest, ReportsEveryErrorOfAFile) {
  EXPECT_THAT(Errors("rules:\n  wildcard-orign: off\ncolour: 1\n"),
              ElementsAre("2:3: unknown rule \"wildcard-orign\", did you "
                          "mean \"wildcard-origin\"?",
                          "3:1: unknown key \"colour\""));
}

// A tree with a repository root and two configurations.
class ConfigSetTest : public ::testing::Test {
 protected:
  ScratchDir dir_;
};

TEST_F(ConfigSetTest, UsesTheNearestConfigurationUpToTheRepositoryRoot) {
  fs::create_directories(dir_.path() / "repo" / ".git");
  dir_.Write("repo/.corslint.yaml",
             "trusted-origins: [https://root.example]\n");
  dir_.Write("repo/api/.corslint.yaml",
             "trusted-origins: [https://api.example]\n");
  fs::path api = dir_.Write("repo/api/v1/site.conf", "");
  fs::path web = dir_.Write("repo/web/site.conf", "");

  ConfigSet configs(std::nullopt, {});
  configs.AddRoot((dir_.path() / "repo").string());
  EXPECT_THAT(configs.ForFile(api.string()).rule_options.trusted_origins,
              ElementsAre("https://api.example"));
  EXPECT_THAT(configs.ForFile(web.string()).rule_options.trusted_origins,
              ElementsAre("https://root.example"));
  EXPECT_THAT(configs.errors(), ElementsAre());
}

TEST_F(ConfigSetTest, NeverReadsAboveTheRepositoryRoot) {
  dir_.Write(".corslint.yaml", "trusted-origins: [https://outside.example]\n");
  fs::create_directories(dir_.path() / "repo" / ".git");
  fs::path site = dir_.Write("repo/site.conf", "");

  ConfigSet configs(std::nullopt, {});
  configs.AddRoot((dir_.path() / "repo").string());
  const FileSettings& settings = configs.ForFile(site.string());
  EXPECT_EQ(settings.config->path, "");
  EXPECT_THAT(settings.rule_options.trusted_origins, ElementsAre());
}

TEST_F(ConfigSetTest, OutsideARepositoryStopsAtTheCheckedDirectory) {
  dir_.Write("a/.corslint.yaml", "trusted-origins: [https://a.example]\n");
  fs::path site = dir_.Write("a/b/site.conf", "");

  ConfigSet narrow(std::nullopt, {});
  narrow.AddRoot((dir_.path() / "a" / "b").string());
  EXPECT_EQ(narrow.ForFile(site.string()).config->path, "");

  ConfigSet wide(std::nullopt, {});
  wide.AddRoot((dir_.path() / "a").string());
  EXPECT_THAT(wide.ForFile(site.string()).rule_options.trusted_origins,
              ElementsAre("https://a.example"));
}

TEST_F(ConfigSetTest, ExplicitConfigurationAppliesEverywhere) {
  fs::path config = dir_.Write("ci/corslint.yaml", R"yaml(
rules:
  wildcard-origin: error
overrides:
  - files: ["legacy/**"]
    rules:
      wildcard-origin: off
)yaml");
  dir_.Write(".corslint.yaml", "rules: {wildcard-origin: info}\n");
  fs::path legacy = dir_.Write("ci/legacy/a.conf", "");
  fs::path other = dir_.Write("other/b.conf", "");

  ConfigSet configs(config.string(), {});
  configs.AddRoot(dir_.path().string());
  // Override globs are relative to the configuration's own directory.
  EXPECT_EQ(configs.ForFile(legacy.string()).LevelOf("wildcard-origin"),
            RuleLevel::kOff);
  EXPECT_EQ(configs.ForFile(other.string()).LevelOf("wildcard-origin"),
            RuleLevel::kError);
  EXPECT_EQ(configs.ForFile(other.string()).LevelOf("reflected-origin"),
            RuleLevel::kOn);
}

TEST_F(ConfigSetTest, OverridesApplyInOrderAndFieldByField) {
  dir_.Write(".corslint.yaml", R"yaml(
trusted-origins: [https://app.example]
rules:
  max-age-exceeds-browser-limit: {level: error, max-age-limit: 600}
overrides:
  - files: ["legacy/**"]
    rules:
      max-age-exceeds-browser-limit: {max-age-limit: 86400}
    trusted-origins: [https://old.example]
  - files: ["legacy/keep/*.conf"]
    rules:
      max-age-exceeds-browser-limit: warning
)yaml");
  fs::create_directories(dir_.path() / ".git");
  fs::path keep = dir_.Write("legacy/keep/a.conf", "");
  fs::path plain = dir_.Write("b.conf", "");

  ConfigSet configs(std::nullopt, {});
  configs.AddRoot(dir_.path().string());
  const FileSettings& legacy = configs.ForFile(keep.string());
  EXPECT_EQ(legacy.rule_options.max_age_limit, 86400);
  EXPECT_EQ(legacy.LevelOf("max-age-exceeds-browser-limit"),
            RuleLevel::kWarning);
  EXPECT_THAT(legacy.rule_options.trusted_origins,
              ElementsAre("https://old.example"));
  const FileSettings& other = configs.ForFile(plain.string());
  EXPECT_EQ(other.rule_options.max_age_limit, 600);
  EXPECT_EQ(other.LevelOf("max-age-exceeds-browser-limit"), RuleLevel::kError);
  EXPECT_THAT(other.rule_options.trusted_origins,
              ElementsAre("https://app.example"));
}

TEST_F(ConfigSetTest, CommandLineWinsOverTheFile) {
  dir_.Write(".corslint.yaml", R"yaml(
trusted-origins: [https://app.example]
rules:
  max-age-exceeds-browser-limit: {max-age-limit: 600}
)yaml");
  fs::path site = dir_.Write("site.conf", "");
  ConfigSet configs(std::nullopt, {{"https://cli.example"}, 100});
  configs.AddRoot(dir_.path().string());
  const FileSettings& settings = configs.ForFile(site.string());
  EXPECT_THAT(settings.rule_options.trusted_origins,
              ElementsAre("https://cli.example"));
  EXPECT_EQ(settings.rule_options.max_age_limit, 100);
}

TEST_F(ConfigSetTest, IncludeAndExcludeSelectFiles) {
  dir_.Write(".corslint.yaml",
             "include: [\"conf/**\"]\nexclude: [\"conf/vendor/\"]\n");
  fs::path mine = dir_.Write("conf/site.conf", "");
  fs::path vendor = dir_.Write("conf/vendor/x.conf", "");
  fs::path elsewhere = dir_.Write("tools/site.conf", "");

  ConfigSet configs(std::nullopt, {});
  configs.AddRoot(dir_.path().string());
  EXPECT_EQ(configs.Exclusion(mine.string(), false), "");
  EXPECT_THAT(configs.Exclusion(vendor.string(), false),
              HasSubstr("excluded by \"conf/vendor/\" in "));
  EXPECT_THAT(configs.Exclusion(vendor.string(), true),
              HasSubstr("excluded by \"conf/vendor/\""));
  EXPECT_THAT(configs.Exclusion(elsewhere.string(), false),
              HasSubstr("not matched by \"include\""));
  // A file named on the command line is subject to `exclude` only.
  EXPECT_EQ(configs.Exclusion(elsewhere.string(), true), "");
}

TEST_F(ConfigSetTest, BadFileIsAnErrorWithItsPath) {
  fs::path config = dir_.Write(".corslint.yaml", "rules:\n  nope: off\n");
  fs::path site = dir_.Write("site.conf", "");
  ConfigSet configs(std::nullopt, {});
  configs.AddRoot(dir_.path().string());
  EXPECT_EQ(configs.ForFile(site.string()).config->path, "");
  ASSERT_EQ(configs.errors().size(), 1u);
  EXPECT_EQ(configs.errors()[0].where.file, config.string());
  EXPECT_EQ(configs.errors()[0].where.line, 2);
  EXPECT_EQ(configs.errors()[0].where.column, 3);
}

TEST_F(ConfigSetTest, MissingExplicitFileIsAnError) {
  ConfigSet configs((dir_.path() / "none.yaml").string(), {});
  ASSERT_EQ(configs.errors().size(), 1u);
  EXPECT_THAT(configs.errors()[0].message,
              HasSubstr("cannot read configuration file"));
}

TEST_F(ConfigSetTest, ShownConfigurationReadsBackToTheSameSettings) {
  dir_.Write(".corslint.yaml", R"yaml(
trusted-origins: [https://app.example, "https://*.example.org"]
rules:
  wildcard-origin: off
  reflected-origin: warning
overrides:
  - files: ["legacy/**"]
    rules:
      max-age-exceeds-browser-limit: {level: error, max-age-limit: 60}
exclude: ["vendor/"]
flask-cors: 3
)yaml");
  fs::path site = dir_.Write("legacy/site.conf", "");
  ConfigSet configs(std::nullopt, {});
  configs.AddRoot(dir_.path().string());
  const FileSettings& settings = configs.ForFile(site.string());
  std::string shown = ShowConfig(settings, site.string());
  EXPECT_THAT(shown,
              HasSubstr("# from " + (dir_.path() / ".corslint.yaml").string()));
  EXPECT_THAT(shown, HasSubstr("reflected-origin: warning\n"));
  EXPECT_THAT(shown, HasSubstr("wildcard-origin: off\n"));

  // Written out and read again, the shown file means the same.
  fs::path copy = dir_.Write("shown/.corslint.yaml", shown);
  fs::path probe = dir_.Write("shown/site.conf", "");
  ConfigSet again(copy.string(), {});
  const FileSettings& reread = again.ForFile(probe.string());
  ASSERT_THAT(again.errors(), ElementsAre()) << shown;
  EXPECT_EQ(reread.rule_options.trusted_origins,
            settings.rule_options.trusted_origins);
  EXPECT_EQ(reread.rule_options.max_age_limit, 60);
  EXPECT_EQ(reread.flask_cors, 3);
  EXPECT_EQ(reread.config->exclude, settings.config->exclude);
  for (const char* rule :
       {"wildcard-origin", "reflected-origin", "max-age-exceeds-browser-limit",
        "null-origin-allowed"}) {
    EXPECT_EQ(reread.LevelOf(rule), settings.LevelOf(rule)) << rule;
  }
}

TEST(TrustedOriginErrorTest, AcceptsOriginsAndSubdomainPatterns) {
  EXPECT_EQ(TrustedOriginError("https://app.example.com"), "");
  EXPECT_EQ(TrustedOriginError("http://localhost:3000"), "");
  EXPECT_EQ(TrustedOriginError("https://*.example.com"), "");
  EXPECT_NE(TrustedOriginError("https://app.*.com"), "");
  EXPECT_NE(TrustedOriginError("*"), "");
  EXPECT_NE(TrustedOriginError("null"), "");
  EXPECT_NE(TrustedOriginError("https://a.example:443"), "");
}

}  // namespace
}  // namespace corslint
