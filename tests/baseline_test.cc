// Baselines: fingerprints that ignore lines, writing, reading, matching.
#include "analyzer/baseline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/command.h"

namespace corslint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ScratchDir;

// A document of one file at `path` with findings of `rule` at each
// occurrence of `needle`.
struct Sample {
  Document document;
  std::vector<Finding> findings;
};

std::unique_ptr<Sample> MakeSample(const std::string& path,
                                   const std::string& text,
                                   const std::string& rule,
                                   const std::string& needle) {
  auto sample = std::make_unique<Sample>();
  const SourceFile* file = sample->document.AddFile(path, text);
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    Finding finding;
    finding.rule = rule;
    finding.message = "message";
    finding.span = Span{file, static_cast<uint32_t>(at),
                        static_cast<uint32_t>(at + needle.size())};
    sample->findings.push_back(finding);
  }
  return sample;
}

TEST(FingerprintTest, IgnoresLinesAndIndentation) {
  auto before = MakeSample(
      "a.conf", "location / {\n    add_header X $http_origin always;\n}\n",
      "reflected-origin", "add_header X $http_origin always;");
  auto after =
      MakeSample("a.conf",
                 "# a new comment\n\nlocation / {\n\tadd_header  X "
                 "$http_origin always;\n}\n",
                 "reflected-origin", "add_header  X $http_origin always;");
  EXPECT_EQ(Fingerprints(before->findings), Fingerprints(after->findings));
}

TEST(FingerprintTest, DependsOnRuleAndCode) {
  auto one = MakeSample("a.conf", "add_header X $http_origin;\n",
                        "reflected-origin", "add_header X $http_origin;");
  auto other_rule =
      MakeSample("a.conf", "add_header X $http_origin;\n",
                 "missing-vary-origin", "add_header X $http_origin;");
  auto other_code =
      MakeSample("a.conf", "add_header Y $http_origin;\n", "reflected-origin",
                 "add_header Y $http_origin;");
  EXPECT_NE(Fingerprints(one->findings), Fingerprints(other_rule->findings));
  EXPECT_NE(Fingerprints(one->findings), Fingerprints(other_code->findings));
}

TEST(FingerprintTest, CountsRepeatsOfTheSameCodeInAFile) {
  auto sample = MakeSample("a.conf", "add_header X *;\nadd_header X *;\n",
                           "wildcard-origin", "add_header X *;");
  std::vector<std::string> prints = Fingerprints(sample->findings);
  ASSERT_EQ(prints.size(), 2u);
  EXPECT_TRUE(prints[0].ends_with(":0")) << prints[0];
  EXPECT_TRUE(prints[1].ends_with(":1")) << prints[1];
  EXPECT_EQ(prints[0].substr(0, 16), prints[1].substr(0, 16));
}

class BaselineFileTest : public ::testing::Test {
 protected:
  CheckResult ResultOf(Sample& sample) {
    CheckResult result;
    result.findings = sample.findings;
    return result;
  }

  ScratchDir dir_;
};

TEST_F(BaselineFileTest, EditsElsewhereDoNotBringFindingsBack) {
  std::string conf = (dir_.path() / "conf" / "site.conf").string();
  auto old = MakeSample(conf, "add_header A $http_origin;\n",
                        "reflected-origin", "add_header A $http_origin;");
  std::string path = (dir_.path() / "corslint-baseline.json").string();
  std::string error;
  ASSERT_TRUE(WriteBaseline(path, ResultOf(*old), &error)) << error;
  std::string written = testing::ReadFile(path);
  EXPECT_THAT(written, HasSubstr("\"file\": \"conf/site.conf\""));
  EXPECT_THAT(written, HasSubstr("\"rule\": \"reflected-origin\""));

  // Lines added above, and a second offending line below.
  auto now = MakeSample(conf,
                        "# moved down\n\nadd_header A $http_origin;\n"
                        "add_header A $http_origin;\n",
                        "reflected-origin", "add_header A $http_origin;");
  InputError read_error;
  std::optional<Baseline> baseline = ReadBaseline(path, &read_error);
  ASSERT_TRUE(baseline) << read_error.message;
  CheckResult result = ResultOf(*now);
  EXPECT_EQ(ApplyBaseline(*baseline, &result), 1u);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(Locate(result.findings[0].span).line, 4);
}

TEST_F(BaselineFileTest, MatchesFilesRelativeToTheBaseline) {
  std::string conf = (dir_.path() / "site.conf").string();
  auto sample = MakeSample(conf, "add_header A *;\n", "wildcard-origin",
                           "add_header A *;");
  std::string path = (dir_.path() / "b.json").string();
  std::string error;
  ASSERT_TRUE(WriteBaseline(path, ResultOf(*sample), &error));

  // The same code in another file is new.
  auto elsewhere =
      MakeSample((dir_.path() / "other.conf").string(), "add_header A *;\n",
                 "wildcard-origin", "add_header A *;");
  InputError read_error;
  std::optional<Baseline> baseline = ReadBaseline(path, &read_error);
  ASSERT_TRUE(baseline);
  CheckResult result = ResultOf(*elsewhere);
  EXPECT_EQ(ApplyBaseline(*baseline, &result), 0u);
  EXPECT_EQ(result.findings.size(), 1u);
}

TEST_F(BaselineFileTest, InvalidJsonIsAnErrorWithPosition) {
  std::string path =
      dir_.Write("b.json", "{\n  \"version\": 1,\n  \"findings\": [,]\n}\n")
          .string();
  InputError error;
  EXPECT_FALSE(ReadBaseline(path, &error));
  EXPECT_EQ(error.where.file, path);
  EXPECT_EQ(error.where.line, 3);
  EXPECT_EQ(error.where.column, 16);
  EXPECT_THAT(error.message, HasSubstr("invalid JSON in baseline"));
}

TEST_F(BaselineFileTest, WrongShapeIsAnError) {
  InputError error;
  std::string not_baseline = dir_.Write("a.json", "[1, 2]\n").string();
  EXPECT_FALSE(ReadBaseline(not_baseline, &error));
  EXPECT_THAT(error.message, HasSubstr("not a corslint baseline"));

  std::string bad_entry =
      dir_.Write("b.json",
                 "{\"version\": 1, \"findings\": [{\"rule\": \"x\", "
                 "\"file\": 3, \"fingerprint\": \"y\"}]}")
          .string();
  EXPECT_FALSE(ReadBaseline(bad_entry, &error));
  EXPECT_EQ(error.message, "\"/findings/0/file\" must be a string");

  EXPECT_FALSE(ReadBaseline((dir_.path() / "none.json").string(), &error));
  EXPECT_THAT(error.message, HasSubstr("cannot read baseline"));
}

}  // namespace
}  // namespace corslint
