// `corslint simulate`: step-by-step explanations of allowed and refused
// requests, text and JSON, against golden files.
#include "analyzer/simulate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "analyzer/formats.h"
#include "analyzer/simulate_command.h"
#include "fixers/policy_spec.h"
#include "tests/support/fake_scope.h"
#include "tests/support/golden.h"

namespace corslint {
namespace {

using testing::FakeScope;
using ::testing::HasSubstr;
using testing::Header;
using testing::SpanOf;

constexpr char kApp[] = "https://app.example.com";

PolicySpec CredentialedPolicy() {
  PolicySpec spec;
  spec.origins = {kApp};
  spec.methods = {"GET", "PUT"};
  spec.allow_headers = {"X-Request-Id"};
  spec.expose_headers = {"X-Total-Count"};
  spec.max_age = 600;
  spec.credentials = true;
  return spec;
}

// An nginx-like configuration whose scope answers as written below: the
// Allow-Origin header without `always` (so not on 405), and no preflight
// handling, so static files answer OPTIONS with 405.
constexpr char kStaticConfig[] =
    "location /api/ {\n"
    "    add_header Access-Control-Allow-Origin https://app.example.com;\n"
    "    add_header Access-Control-Allow-Credentials True;\n"
    "}\n";

std::unique_ptr<Document> StaticDocument() {
  std::unique_ptr<Document> document = testing::MakeDocument(kStaticConfig);
  Span origin = SpanOf(*document, "add_header Access-Control-Allow-Origin");
  Span credentials =
      SpanOf(*document, "add_header Access-Control-Allow-Credentials");
  auto scope = std::make_unique<FakeScope>([=](const Request& request) {
    Response response;
    response.responder = Responder::kStatic;
    bool allowed_method = request.method == "GET" || request.method == "HEAD" ||
                          request.method == "POST";
    response.status = allowed_method ? 200 : 405;
    if (response.status == 200) {
      response.headers.push_back(
          Header("Access-Control-Allow-Origin", kApp, origin));
      response.headers.push_back(
          Header("Access-Control-Allow-Credentials", "True", credentials));
    }
    return response;
  });
  scope->name = "location /api/";
  scope->span = SpanOf(*document, "location /api/");
  document->scopes.push_back(std::move(scope));
  return document;
}

// A proxy that adds `*` itself; the upstream may add its own headers.
constexpr char kProxyConfig[] =
    "location / {\n"
    "    add_header Access-Control-Allow-Origin * always;\n"
    "    if ($request_method = OPTIONS) { return 204; }\n"
    "    proxy_pass http://backend;\n"
    "}\n";

std::unique_ptr<Document> ProxyDocument() {
  std::unique_ptr<Document> document = testing::MakeDocument(kProxyConfig);
  Span origin = SpanOf(*document, "add_header Access-Control-Allow-Origin");
  Span ret = SpanOf(*document, "return 204");
  Span proxy = SpanOf(*document, "proxy_pass http://backend");
  auto scope = std::make_unique<FakeScope>([=](const Request& request) {
    Response response;
    response.headers.push_back(
        Header("Access-Control-Allow-Origin", "*", origin));
    if (request.method == "OPTIONS") {
      response.status = 204;
      response.responder = Responder::kConfig;
      response.responder_span = ret;
      return response;
    }
    response.status = request.handler_status;
    response.responder = Responder::kUpstream;
    response.responder_span = proxy;
    return response;
  });
  scope->name = "location /";
  scope->span = SpanOf(*document, "location /");
  document->scopes.push_back(std::move(scope));
  return document;
}

struct Scenario {
  std::string name;
  std::function<std::unique_ptr<Document>()> document;
  SimulateInput input;
};

SimulateInput Input(std::string method, std::string path,
                    CredentialsMode credentials, HeaderList headers = {},
                    std::string origin = kApp) {
  SimulateInput input;
  input.page_origin = std::move(origin);
  input.host = "api.example.com";
  input.path = std::move(path);
  input.method = std::move(method);
  input.credentials = credentials;
  input.headers = std::move(headers);
  return input;
}

std::vector<Scenario> Scenarios() {
  auto policy = [] {
    return PolicyDocument(CredentialedPolicy(), "cors.yaml");
  };
  const auto kInclude = CredentialsMode::kInclude;
  const auto kSame = CredentialsMode::kSameOrigin;
  std::vector<Scenario> scenarios = {
      {"policy-put-allowed", policy,
       Input("PUT", "/v1/items", kInclude, {{"X-Request-Id", "42"}})},
      {"policy-get-simple", policy, Input("GET", "/v1/items", kInclude)},
      {"policy-unlisted-origin", policy,
       Input("GET", "/v1/items", kInclude, {}, "https://evil.example.com")},
      {"policy-header-not-allowed", policy,
       Input("PUT", "/v1/items", kInclude,
             {{"X-Request-Id", "42"}, {"Content-Type", "application/json"}})},
      {"policy-method-not-allowed", policy,
       Input("DELETE", "/v1/items/3", kInclude)},
      {"policy-forbidden-header-dropped", policy,
       Input("GET", "/v1/items", kSame, {{"Cookie", "a=b"}})},
      {"policy-forbidden-method", policy, Input("TRACE", "/", kSame)},
      {"static-preflight-405", StaticDocument,
       Input("PUT", "/api/items", kInclude)},
      {"static-credentials-value", StaticDocument,
       Input("GET", "/api/items", kInclude)},
      {"proxy-wildcard-with-credentials", ProxyDocument,
       Input("GET", "/", kInclude)},
      {"proxy-wildcard-anonymous", ProxyDocument,
       Input("PATCH", "/", kSame, {{"X-Trace", "1"}})},
  };

  Scenario duplicate = {"proxy-upstream-duplicate", ProxyDocument,
                        Input("GET", "/", kSame)};
  duplicate.input.upstream_headers = {{"Access-Control-Allow-Origin", kApp}};
  scenarios.push_back(duplicate);

  Scenario error = {"proxy-upstream-500", ProxyDocument,
                    Input("GET", "/", kSame)};
  error.input.upstream_status = 500;
  scenarios.push_back(error);
  return scenarios;
}

TEST(SimulateTest, ExplanationsMatchGoldenFiles) {
  for (const Scenario& scenario : Scenarios()) {
    SCOPED_TRACE(scenario.name);
    std::unique_ptr<Document> document = scenario.document();
    std::string error;
    std::optional<Simulation> simulation =
        Simulate(*document, scenario.input, &error);
    ASSERT_TRUE(simulation.has_value()) << error;
    std::ostringstream text, json;
    PrintSimulationText(*simulation, text);
    PrintSimulationJson(*simulation, json);
    testing::ExpectGolden("simulate/" + scenario.name + ".txt", text.str());
    testing::ExpectGolden("simulate/" + scenario.name + ".json", json.str());
  }
}

TEST(SimulateTest, EveryRefusalNamesTheRequestTheHeaderAndTheFix) {
  for (const Scenario& scenario : Scenarios()) {
    SCOPED_TRACE(scenario.name);
    std::unique_ptr<Document> document = scenario.document();
    std::string error;
    std::optional<Simulation> simulation =
        Simulate(*document, scenario.input, &error);
    ASSERT_TRUE(simulation.has_value()) << error;
    if (simulation->allowed) continue;
    EXPECT_FALSE(simulation->fix.empty());
    EXPECT_FALSE(simulation->console.empty());
    if (!simulation->error) continue;
    EXPECT_FALSE(simulation->fault.empty());
    std::ostringstream json;
    PrintSimulationJson(*simulation, json);
    EXPECT_THAT(json.str(), HasSubstr("\"reason\""));
    EXPECT_THAT(json.str(), HasSubstr("\"cors_error\": \"" +
                                      simulation->error->code + "\""));
  }
}

// The same on real configurations, read by the nginx and Apache readers.
TEST(SimulateTest, RealConfigurationsMatchGoldenFiles) {
  struct Case {
    std::string name;
    Format format;
    std::string fixture;
    SimulateInput input;
  };
  const auto kInclude = CredentialsMode::kInclude;
  std::vector<Case> cases = {
      {"nginx-static-put", Format::kNginx,
       "fixtures/nginx/preflight-not-handled/fire/static-put.conf",
       Input("PUT", "/", CredentialsMode::kSameOrigin)},
      {"nginx-star-with-credentials", Format::kNginx,
       "fixtures/nginx/wildcard-origin-with-credentials/fire/"
       "star-with-credentials.conf",
       Input("GET", "/", kInclude)},
      {"nginx-two-origins", Format::kNginx,
       "fixtures/nginx/missing-vary-origin/fire/two-origins.conf",
       Input("GET", "/", kInclude, {}, "https://admin.example.com")},
      {"apache-rewrite-preflight", Format::kApache,
       "fixtures/apache/preflight-not-handled/fire/"
       "rewrite-preflight-onsuccess.conf",
       Input("PUT", "/items", kInclude,
             {{"Content-Type", "application/json"}})},
      {"apache-capitalised-credentials", Format::kApache,
       "fixtures/apache/invalid-credentials-value/fire/capitalised.conf",
       Input("GET", "/", kInclude)},
      {"express-stateful-regex", Format::kExpress,
       "fixtures/express/stateful-origin-regex/fire/global-flag.js",
       Input("GET", "/api/items", CredentialsMode::kSameOrigin)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text, read_error;
    ASSERT_TRUE(
        ReadSourceFile(std::string(CORSLINT_SOURCE_DIR) + "/" + c.fixture,
                       1 << 20, &text, &read_error))
        << read_error;
    std::unique_ptr<Document> document =
        LoadDocument(c.format, c.fixture, text, {});
    ASSERT_TRUE(document->errors.empty()) << document->errors[0].message;
    std::string error;
    std::optional<Simulation> simulation = Simulate(*document, c.input, &error);
    ASSERT_TRUE(simulation.has_value()) << error;
    std::ostringstream out;
    PrintSimulationText(*simulation, out);
    out << "\n";
    PrintSimulationJson(*simulation, out);
    testing::ExpectGolden("simulate/" + c.name + ".txt", out.str());
  }
}

// A RegExp with the g or y flag: the answer from an origin it matches
// depends on the requests before, and the simulation says so instead of
// claiming one.
TEST(SimulateTest, StatefulRegexAnswerDependsOnEarlierRequests) {
  for (const char* fixture :
       {"fixtures/express/stateful-origin-regex/fire/global-flag.js",
        "fixtures/express/stateful-origin-regex/fire/sticky-in-callback.ts"}) {
    SCOPED_TRACE(fixture);
    std::string text, read_error;
    ASSERT_TRUE(ReadSourceFile(std::string(CORSLINT_SOURCE_DIR) + "/" + fixture,
                               1 << 20, &text, &read_error))
        << read_error;
    std::unique_ptr<Document> document =
        LoadDocument(Format::kExpress, fixture, text, {});
    ASSERT_TRUE(document->errors.empty()) << document->errors[0].message;

    SimulateInput input = Input("GET", "/api/items", CredentialsMode::kOmit);
    std::string error;
    std::optional<Simulation> app = Simulate(*document, input, &error);
    ASSERT_TRUE(app.has_value()) << error;
    ASSERT_TRUE(app->depends_on_earlier_requests());
    EXPECT_TRUE(app->allowed);
    EXPECT_FALSE(app->after_match->allowed);
    EXPECT_EQ(app->after_match->error->code, "MissingAllowOriginHeader");
    std::ostringstream json;
    PrintSimulationJson(*app, json);
    EXPECT_THAT(json.str(), HasSubstr("\"allowed\": null"));

    // An origin the RegExp never matches is refused whatever came before.
    input.page_origin = "https://attacker.test";
    std::optional<Simulation> attacker = Simulate(*document, input, &error);
    ASSERT_TRUE(attacker.has_value()) << error;
    EXPECT_FALSE(attacker->depends_on_earlier_requests());
    EXPECT_FALSE(attacker->allowed);
    for (const std::string& note : attacker->notes) {
      EXPECT_THAT(note, ::testing::Not(HasSubstr("RegExp")));
    }
  }
}

TEST(SimulateCommandTest, AnswerThatDependsOnEarlierRequestsExitsOne) {
  SimulateFlags flags;
  flags.file = std::string(CORSLINT_SOURCE_DIR) +
               "/fixtures/express/stateful-origin-regex/fire/global-flag.js";
  flags.origin = kApp;
  flags.path = "/api/items";
  std::ostringstream out, err;
  EXPECT_EQ(RunSimulate(flags, out, err), 1) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("result: depends on earlier requests\n"));
}

TEST(SimulateTest, UnroutablePathIsAnError) {
  std::unique_ptr<Document> document = testing::MakeDocument("");
  document->route = [](std::string_view, std::string_view) {
    return static_cast<const Scope*>(nullptr);
  };
  std::string error;
  EXPECT_FALSE(
      Simulate(*document, Input("GET", "/x", CredentialsMode::kOmit), &error));
  EXPECT_THAT(error, HasSubstr("serves \"/x\""));
}

}  // namespace
}  // namespace corslint
