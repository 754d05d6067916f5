// Trusted origins from the configuration join the probe origins as
// intended ones.
#include <gtest/gtest.h>

#include "analyzer/analysis.h"
#include "tests/support/fake_scope.h"

namespace corslint {
namespace {

using testing::FakeScope;
using testing::Header;
using testing::MakeDocument;
using testing::SpanOf;

// A scope that admits exactly `partner` (or its subdomains) by a check the
// analyzer cannot read, so the document itself suggests no origin.
std::unique_ptr<Document> PartnerDocument(std::string suffix) {
  auto document =
      MakeDocument("add_header Access-Control-Allow-Origin $allowed;\n");
  Span acao = SpanOf(*document, "add_header");
  document->scopes.push_back(
      std::make_unique<FakeScope>([=](const Request& request) {
        Response response;
        if (request.origin && request.origin->ends_with(suffix)) {
          response.headers.push_back(
              Header("Access-Control-Allow-Origin", *request.origin, acao));
        }
        return response;
      }));
  return document;
}

std::vector<std::string> ProbedOrigins(const Analysis& analysis,
                                       ProbeOrigin kind) {
  std::vector<std::string> origins;
  for (const Observation& observation : analysis.observations()) {
    if (observation.origin_kind != kind ||
        observation.kind != ProbeKind::kActual) {
      continue;
    }
    origins.push_back(observation.origin());
  }
  return origins;
}

TEST(TrustedProbeTest, WithoutTrustedOriginsTheScopeLooksClosed) {
  auto document = PartnerDocument("https://partner.example");
  Analysis analysis(*document);
  EXPECT_TRUE(analysis.observations().empty());
}

TEST(TrustedProbeTest, TrustedOriginsAreProbedAsIntended) {
  auto document = PartnerDocument("partner.example");
  Analysis analysis(*document, {"https://partner.example"});
  EXPECT_EQ(ProbedOrigins(analysis, ProbeOrigin::kIntended),
            std::vector<std::string>{"https://partner.example"});
  // The http:// form is probed only when some check of the document
  // admits it, and there is none.
  EXPECT_TRUE(ProbedOrigins(analysis, ProbeOrigin::kInsecure).empty());
  ASSERT_EQ(analysis.intended().size(), 1u);
  EXPECT_EQ(analysis.intended()[0].check, nullptr);
}

TEST(TrustedProbeTest, SubdomainPatternsProbeOneSubdomain) {
  auto document = PartnerDocument(".partner.example");
  Analysis analysis(*document, {"https://*.partner.example"});
  EXPECT_EQ(ProbedOrigins(analysis, ProbeOrigin::kIntended),
            std::vector<std::string>{"https://www.partner.example"});
  ASSERT_EQ(analysis.intended().size(), 1u);
  EXPECT_TRUE(analysis.intended()[0].subdomains);
}

}  // namespace
}  // namespace corslint
