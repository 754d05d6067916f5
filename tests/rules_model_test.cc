// Rules against hand-written models, independent of every parser.
#include <gtest/gtest.h>

#include "analyzer/rule.h"
#include "tests/support/fake_scope.h"

namespace corslint {
namespace {

using testing::FakeScope;
using testing::Header;
using testing::MakeDocument;
using testing::SpanOf;

std::vector<std::string> RulesFired(const Document& document,
                                    const RuleOptions& options = {}) {
  std::vector<std::string> rules;
  for (const Finding& finding : RunRules(document, options)) {
    rules.push_back(finding.rule);
  }
  return rules;
}

bool Fired(const std::vector<std::string>& rules, std::string_view rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

TEST(RegistryTest, IsSortedAndNamesAreUnique) {
  auto rules = AllRules();
  ASSERT_EQ(rules.size(), 19u);
  for (size_t i = 1; i < rules.size(); ++i) {
    EXPECT_LT(rules[i - 1]->name, rules[i]->name);
  }
}

TEST(RegistryTest, EveryDocHasTheRequiredSections) {
  for (const RuleInfo* rule : AllRules()) {
    for (const char* section : {"## What it does", "## Why is this bad?",
                                "## Example", "## Use instead", "## Fix safety",
                                "## Known problems", "## References"}) {
      EXPECT_NE(rule->doc.find(section), std::string_view::npos)
          << rule->name << " lacks " << section;
    }
  }
}

TEST(RegistryTest, SuggestsTheClosestName) {
  EXPECT_EQ(SuggestRule("reflected-orign"), "reflected-origin");
  EXPECT_EQ(SuggestRule("wildcard-origin-with-credential"),
            "wildcard-origin-with-credentials");
  EXPECT_EQ(SuggestRule("completely-different"), "");
}

TEST(RulesModelTest, ReflectionWithCredentialsIsAnError) {
  auto document = MakeDocument("ACAO $http_origin\nACAC true\n");
  Span acao = SpanOf(*document, "ACAO"), acac = SpanOf(*document, "ACAC");
  document->scopes.push_back(
      std::make_unique<FakeScope>([=](const Request& request) {
        Response response;
        if (request.origin) {
          response.headers.push_back(
              Header("Access-Control-Allow-Origin", *request.origin, acao));
          response.headers.push_back(
              Header("Access-Control-Allow-Credentials", "true", acac));
          response.headers.push_back(Header("Vary", "Origin", acac));
        }
        return response;
      }));
  std::vector<Finding> findings = RunRules(*document, {});
  ASSERT_FALSE(findings.empty());
  const Finding& reflected = *std::find_if(
      findings.begin(), findings.end(),
      [](const Finding& f) { return f.rule == "reflected-origin"; });
  EXPECT_EQ(reflected.severity, Severity::kError);
  ASSERT_NE(reflected.demonstration, nullptr);
  EXPECT_EQ(*reflected.demonstration->request.origin, "https://attacker.test");
  EXPECT_FALSE(Fired(RulesFired(*document), "null-origin-allowed"));
  EXPECT_FALSE(Fired(RulesFired(*document), "missing-vary-origin"));
}

TEST(RulesModelTest, StatefulRegexIsReported) {
  auto document = MakeDocument("origin: /^https:\\/\\/a\\.com$/g\n");
  OriginCheck check;
  check.kind = OriginCheckKind::kRegex;
  check.pattern = "^https:\\/\\/a\\.com$";
  check.stateful = true;
  check.span = SpanOf(*document, "/^https");
  std::string error;
  check.regex =
      Regex::Compile(check.pattern, {RegexDialect::kJavaScript}, &error);
  document->origin_checks.push_back(std::move(check));
  EXPECT_TRUE(Fired(RulesFired(*document), "stateful-origin-regex"));
}

TEST(RulesModelTest, UntrustedOriginNeedsAConfiguredList) {
  auto document = MakeDocument("ACAO https://other.example.net\n");
  Span acao = SpanOf(*document, "ACAO");
  OriginCheck fixed;
  fixed.kind = OriginCheckKind::kFixed;
  fixed.pattern = "https://other.example.net";
  fixed.span = acao;
  document->origin_checks.push_back(fixed);
  document->scopes.push_back(std::make_unique<FakeScope>([=](const Request&) {
    Response response;
    response.headers.push_back(Header("Access-Control-Allow-Origin",
                                      "https://other.example.net", acao));
    return response;
  }));
  EXPECT_FALSE(Fired(RulesFired(*document), "untrusted-origin-allowed"));
  RuleOptions options;
  options.trusted_origins = {"https://*.example.com"};
  EXPECT_TRUE(
      Fired(RulesFired(*document, options), "untrusted-origin-allowed"));
  options.trusted_origins = {"https://other.example.net"};
  EXPECT_FALSE(
      Fired(RulesFired(*document, options), "untrusted-origin-allowed"));
}

TEST(RulesModelTest, UpstreamPreflightIsAWarningThatSaysSo) {
  auto document = MakeDocument("ACAO x\nACAM GET, PUT\nproxy_pass\n");
  Span acao = SpanOf(*document, "ACAO"), acam = SpanOf(*document, "ACAM");
  document->scopes.push_back(std::make_unique<FakeScope>([=](const Request& r) {
    Response response;
    response.responder = Responder::kUpstream;
    response.status = r.handler_status;
    response.upstream_hidden = {"access-control-allow-origin"};
    response.headers.push_back(
        Header("Access-Control-Allow-Origin", "*", acao));
    response.headers.push_back(
        Header("Access-Control-Allow-Methods", "GET, PUT", acam));
    return response;
  }));
  std::vector<Finding> findings = RunRules(*document, {});
  auto it = std::find_if(
      findings.begin(), findings.end(),
      [](const Finding& f) { return f.rule == "preflight-not-handled"; });
  ASSERT_NE(it, findings.end());
  EXPECT_EQ(it->severity, Severity::kWarning);
  EXPECT_NE(it->message.find("upstream"), std::string::npos);
}

}  // namespace
}  // namespace corslint
