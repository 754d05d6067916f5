// Suppression comments in each format's comment syntax, and the
// unused-suppression meta-rule.
#include "analyzer/suppressions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/fake_scope.h"

namespace corslint {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::SpanOf;

// A document of one nginx file.
std::unique_ptr<Document> MakeDocument(std::string text) {
  auto document = testing::MakeDocument(std::move(text));
  document->format = Format::kNginx;
  return document;
}

Finding At(const Document& document, std::string rule,
           std::string_view needle) {
  Finding finding;
  finding.rule = std::move(rule);
  finding.message = "a finding";
  finding.span = SpanOf(document, needle);
  EXPECT_TRUE(finding.span.valid()) << needle;
  return finding;
}

// What is left after suppression, as `rule line:col message`.
std::vector<std::string> Remaining(
    const Document& document, std::vector<Finding> findings,
    const std::function<bool(std::string_view)>& enabled =
        [](std::string_view) { return true; }) {
  ApplySuppressions(document, enabled, &findings);
  std::vector<std::string> lines;
  for (const Finding& finding : findings) {
    Location where = Locate(finding.span);
    lines.push_back(finding.rule + " " + std::to_string(where.line) + ":" +
                    std::to_string(where.column) + " " + finding.message);
  }
  return lines;
}

TEST(SuppressionTest, TrailingDisableCoversItsOwnLine) {
  auto document = MakeDocument(
      "add_header Access-Control-Allow-Origin \"*\" always;  "
      "# corslint: disable=wildcard-origin -- public data\n"
      "add_header Access-Control-Max-Age 99999 always;\n");
  EXPECT_THAT(
      Remaining(*document, {At(*document, "wildcard-origin",
                               "add_header Access-Control-Allow"),
                            At(*document, "max-age-exceeds-browser-limit",
                               "add_header Access-Control-Max")}),
      ElementsAre("max-age-exceeds-browser-limit 2:1 a finding"));
}

TEST(SuppressionTest, StandaloneDisableCoversTheNextLine) {
  auto document = MakeDocument(
      "    # corslint: disable=wildcard-origin\n"
      "    add_header Access-Control-Allow-Origin \"*\" always;\n"
      "    add_header Access-Control-Allow-Origin \"*\";\n");
  std::vector<Finding> findings = {
      At(*document, "wildcard-origin",
         "add_header Access-Control-Allow-Origin \"*\" always"),
      At(*document, "wildcard-origin",
         "add_header Access-Control-Allow-Origin \"*\";")};
  EXPECT_THAT(Remaining(*document, findings),
              ElementsAre("wildcard-origin 3:5 a finding"));
}

TEST(SuppressionTest, DisableNextLineSkipsItsOwnLine) {
  auto document = MakeDocument(
      "add_header A b;  # corslint: disable-next-line=reflected-origin\n"
      "add_header Access-Control-Allow-Origin $http_origin always;\n");
  std::vector<Finding> findings = {
      At(*document, "reflected-origin", "add_header A b"),
      At(*document, "reflected-origin", "add_header Access-Control")};
  EXPECT_THAT(Remaining(*document, findings),
              ElementsAre("reflected-origin 1:1 a finding"));
}

TEST(SuppressionTest, DisableFileCoversEveryLineOfItsFile) {
  auto document = MakeDocument(
      "# corslint: disable-file=wildcard-origin, missing-vary-origin\n"
      "add_header Access-Control-Allow-Origin \"*\";\n"
      "add_header Access-Control-Allow-Origin $http_origin;\n");
  std::vector<Finding> findings = {
      At(*document, "wildcard-origin",
         "add_header Access-Control-Allow-Origin \"*\""),
      At(*document, "missing-vary-origin",
         "add_header Access-Control-Allow-Origin $http"),
      At(*document, "reflected-origin",
         "add_header Access-Control-Allow-Origin $http")};
  EXPECT_THAT(Remaining(*document, findings),
              ElementsAre("reflected-origin 3:1 a finding"));
}

TEST(SuppressionTest, CoversOnlyTheFileHoldingTheComment) {
  // The comment sits in the root file; the finding in the included one.
  auto root = MakeDocument(
      "# corslint: disable-file=wildcard-origin\ninclude cors.conf;\n");
  const SourceFile* included = root->AddFile(
      "cors.conf", "add_header Access-Control-Allow-Origin \"*\";\n");
  Finding finding;
  finding.rule = "wildcard-origin";
  finding.message = "a finding";
  finding.span = Span{included, 0, 10};
  EXPECT_THAT(Remaining(*root, {finding}),
              ElementsAre("wildcard-origin 1:1 a finding",
                          "unused-suppression 1:26 suppression of "
                          "`wildcard-origin` is unused: it reports nothing "
                          "in this file"));
}

TEST(SuppressionTest, ReportsWhatCoversNothing) {
  auto document = MakeDocument(
      "# corslint: disable-next-line=wildcard-origin,reflected-origin -- old\n"
      "add_header Access-Control-Allow-Origin \"*\";\n");
  EXPECT_THAT(
      Remaining(*document, {At(*document, "wildcard-origin", "add_header")}),
      ElementsAre("unused-suppression 1:47 suppression of `reflected-origin` "
                  "is unused: it reports nothing on line 2"));
}

TEST(SuppressionTest, ReportsUnknownRulesWithASuggestion) {
  auto document =
      MakeDocument("add_header A b;  # corslint: disable=refelcted-origin\n");
  EXPECT_THAT(Remaining(*document, {}),
              ElementsAre("unused-suppression 1:38 suppression names the "
                          "unknown rule `refelcted-origin`, did you mean "
                          "`reflected-origin`?"));
}

TEST(SuppressionTest, ReportsMalformedComments) {
  auto document = MakeDocument(
      "# corslint: disabel=wildcard-origin\n"
      "# corslint: disable\n"
      "# corslint:\n"
      "# corslint-test: trusted-origins=https://a.example\n"
      "# a comment that mentions corslint: in passing\n");
  EXPECT_THAT(
      Remaining(*document, {}),
      ElementsAre("unused-suppression 1:13 unknown suppression `disabel`, did "
                  "you mean `disable`?",
                  "unused-suppression 2:3 suppression `disable` names no rule",
                  "unused-suppression 3:3 `corslint:` comment names no "
                  "suppression"));
}

TEST(SuppressionTest, RulesTurnedOffAreNotReportedAsUnused) {
  auto document =
      MakeDocument("add_header A b;  # corslint: disable=wildcard-origin\n");
  EXPECT_THAT(Remaining(*document, {},
                        [](std::string_view rule) {
                          return rule != "wildcard-origin";
                        }),
              IsEmpty());
}

TEST(SuppressionTest, UnusedSuppressionCanItselfBeSuppressed) {
  auto document = MakeDocument(
      "# corslint: disable-file=unused-suppression -- generated file\n"
      "add_header A b;  # corslint: disable=wildcard-origin\n");
  EXPECT_THAT(Remaining(*document, {}), IsEmpty());
}

TEST(SuppressionTest, KeepsTheReason) {
  auto document = MakeDocument(
      "# corslint: disable-next-line=wildcard-origin -- public, read-only "
      "data\n"
      "add_header A b;\n");
  std::vector<Finding> malformed;
  std::vector<Suppression> suppressions =
      ReadSuppressions(*document, &malformed);
  ASSERT_EQ(suppressions.size(), 1u);
  EXPECT_EQ(suppressions[0].reason, "public, read-only data");
  EXPECT_EQ(suppressions[0].target_line, 2);
  ASSERT_EQ(suppressions[0].names.size(), 1u);
  EXPECT_EQ(suppressions[0].names[0].rule, "wildcard-origin");
  EXPECT_THAT(malformed, IsEmpty());
}

// The comment syntax of each format: what counts as a comment, and what
// looks like one but sits in a string.
struct SyntaxCase {
  const char* name;
  Format format;
  const char* text;
  int lines_suppressed;  // how many `corslint:` comments are read
};

class CommentSyntaxTest : public ::testing::TestWithParam<SyntaxCase> {};

TEST_P(CommentSyntaxTest, FindsExactlyTheComments) {
  auto document = MakeDocument(GetParam().text);
  document->format = GetParam().format;
  std::vector<Finding> malformed;
  EXPECT_EQ(ReadSuppressions(*document, &malformed).size(),
            static_cast<size_t>(GetParam().lines_suppressed))
      << GetParam().text;
  EXPECT_THAT(malformed, IsEmpty());
}

const SyntaxCase kSyntaxCases[] = {
    {"NginxComment", Format::kNginx,
     "add_header A b; # corslint: disable=wildcard-origin\n", 1},
    {"NginxHashInsideQuotes", Format::kNginx,
     "add_header A \"# corslint: disable=wildcard-origin\";\n", 0},
    {"NginxHashInsideAWord", Format::kNginx,
     "add_header A b#corslint:disable=wildcard-origin;\n", 0},
    {"NginxQuoteSpanningLines", Format::kNginx,
     "add_header A 'x\n# corslint: disable=wildcard-origin\n';\n", 0},
    {"ApacheWholeLine", Format::kApache,
     "  # corslint: disable-next-line=wildcard-origin\n"
     "Header set Access-Control-Allow-Origin \"*\"\n",
     1},
    {"ApacheTrailingHashIsNoComment", Format::kApache,
     "Header set X y # corslint: disable=wildcard-origin\n", 0},
    {"PythonComment", Format::kFlask,
     "CORS(app)  # corslint: disable=wildcard-origin -- public\n", 1},
    {"PythonHashInStrings", Format::kFlask,
     "a = '# corslint: disable=wildcard-origin'\n"
     "b = \"\\\"# corslint: disable=wildcard-origin\"\n"
     "c = '''\n# corslint: disable=wildcard-origin\n'''\n",
     0},
    {"JavaScriptLineComment", Format::kExpress,
     "app.use(cors()); // corslint: disable=wildcard-origin\n", 1},
    {"JavaScriptSlashesInStringsAndRegexes", Format::kExpress,
     "const a = 'http:// corslint: disable=wildcard-origin';\n"
     "const b = `http:// corslint: disable=wildcard-origin ${x}`;\n"
     "const c = /^https?:\\/\\/[a-z/]+\\//.test(o); // corslint: "
     "disable=reflected-origin\n"
     "/* // corslint: disable=wildcard-origin */\n",
     1},
    {"JavaScriptCommentInsideTemplateExpression", Format::kExpress,
     "const b = `${x // corslint: disable=wildcard-origin\n}`;\n", 1},
    {"JavaScriptHashIsNoComment", Format::kExpress,
     "# corslint: disable=wildcard-origin\n", 0},
};

INSTANTIATE_TEST_SUITE_P(Formats, CommentSyntaxTest,
                         ::testing::ValuesIn(kSyntaxCases),
                         [](const ::testing::TestParamInfo<SyntaxCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(MetaRuleTest, UnusedSuppressionIsKnownButNotACatalogRule) {
  EXPECT_EQ(FindRule("unused-suppression"), nullptr);
  ASSERT_NE(FindAnyRule("unused-suppression"), nullptr);
  EXPECT_EQ(FindAnyRule("unused-suppression")->default_severity,
            Severity::kWarning);
  EXPECT_EQ(SuggestAnyRule("unused-supression"), "unused-suppression");
}

}  // namespace
}  // namespace corslint
