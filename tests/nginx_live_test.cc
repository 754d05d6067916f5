// The nginx model against the real nginx: each configuration under
// fixtures/nginx/live runs on loopback, and for every request the status
// and the CORS and test headers nginx sends must equal what the scope that
// the model routes the request to predicts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "parsers/nginx_model.h"
#include "tests/support/real_nginx.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

const fs::path kLive = fs::path(CORSLINT_SOURCE_DIR) / "fixtures/nginx/live";

// The fixtures listen on fixed ports so that `nginx -t` accepts them; the
// harness gives free ones instead. The server on 8081 is the upstream that
// the one on 8080 proxies to, named upstream.test for the model's routing.
constexpr std::string_view kFrontPort = "127.0.0.1:8080";
constexpr std::string_view kUpstreamPort = "127.0.0.1:8081";
constexpr std::string_view kUpstreamHost = "upstream.test";

constexpr std::string_view kApp = "https://app.example.com";
constexpr std::string_view kEvil = "https://evil-example.com";

struct Probe {
  std::string method;
  std::string path;
  std::optional<std::string> origin;
  std::vector<std::pair<std::string, std::string>> headers;
  // What the content handler answers: 404 for a file that is missing, the
  // upstream's own status is computed by the model.
  int handler_status = 200;
};

Probe Get(std::string path, std::optional<std::string_view> origin = kApp,
          int handler_status = 200) {
  Probe probe{"GET", std::move(path), {}, {}, handler_status};
  if (origin) probe.origin = std::string(*origin);
  return probe;
}

Probe Preflight(std::string path, int handler_status = 200) {
  return Probe{"OPTIONS",
               std::move(path),
               std::string(kApp),
               {{"Access-Control-Request-Method", "PUT"}},
               handler_status};
}

Probe With(Probe probe, std::string name, std::string value) {
  probe.headers.emplace_back(std::move(name), std::move(value));
  return probe;
}

Probe Method(std::string method, Probe probe) {
  probe.method = std::move(method);
  return probe;
}

struct LiveCase {
  std::string config;
  std::vector<Probe> probes;
};

void PrintTo(const LiveCase& live_case, std::ostream* out) {
  *out << live_case.config;
}

std::vector<LiveCase> Cases() {
  const std::nullopt_t none = std::nullopt;
  return {
      {"inheritance.conf",
       {Get("/"), Get("/missing", kApp, 404), Preflight("/"), Get("/own/"),
        Get("/nested/"), Get("/nested/inner/"), Get("/nested/own/")}},
      {"always.conf",
       {Get("/"), Get("/missing", kApp, 404), Preflight("/"), Get("/error/"),
        Get("/text/"), Get("/moved/"), Method("POST", Get("/created/")),
        Method("POST", Get("/"))}},
      // An `if` block has no try_files of its own: when one matches, the
      // static handler looks for /two/ itself, which is missing.
      {"if_blocks.conf",
       {Get("/"), Preflight("/"), With(Get("/"), "X-Server-Return", "1"),
        Get("/two/", kApp, 404), With(Get("/two/", kApp, 404), "X-Second", "1"),
        Get("/two/", none), Get("/after/"), Get("/after/", kEvil),
        Get("/deny/", kEvil), Get("/deny/")}},
      {"maps.conf",
       {Get("/"), Get("/", kEvil), Get("/", none),
        Get("/", "https://x.example.org"), Get("/", "http://partner.io"),
        Get("/", "HTTPS://FIRST.example.com"), Get("/guard/"),
        Get("/guard/", kEvil)}},
      {"set_order.conf",
       {Get("/"), Get("/", none), Get("/regex/"), Get("/regex/", none)}},
      {"headers_more.conf",
       {Get("/"), Get("/missing", kApp, 404), Preflight("/"), Get("/replace/"),
        Get("/clear/"), Get("/clear-add/"), Get("/error/")}},
      {"proxy.conf",
       {Get("/"), Get("/missing"), Get("/broken"), Get("/hidden/"),
        Get("/hidden/missing"), Get("/replaced/"), Get("/cleared/"),
        Get("/intercepted/"), Get("/intercepted/missing")}},
      {"error_page.conf",
       {Get("/"), Get("/missing", kApp, 404), Get("/fail/"), Get("/forbidden/"),
        Preflight("/"), Get("/redirect/missing", kApp, 404)}},
      {"rewrite.conf",
       {Get("/index.html"), Get("/missing", kApp, 404), Get("/old/thing"),
        Get("/gone/"), Get("/api/v2/users")}},
  };
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Replace(std::string text, std::string_view from,
                    std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Headers the comparison covers: CORS, Vary and the fixtures' own X-*.
bool Compared(const std::string& name) {
  std::string lower = ToLower(name);
  return lower.starts_with("access-control-") || lower.starts_with("x-") ||
         lower == "vary";
}

using HeaderValues = std::map<std::string, std::vector<std::string>>;

HeaderValues FromNginx(const HttpResponse& response) {
  HeaderValues values;
  for (const auto& [name, value] : response.headers) {
    if (Compared(name)) values[ToLower(name)].push_back(value);
  }
  return values;
}

Request ToRequest(const Probe& probe, int handler_status) {
  Request request;
  request.method = probe.method;
  request.path = probe.path;
  request.origin = probe.origin;
  request.headers = probe.headers;
  request.handler_status = handler_status;
  return request;
}

// What the model says nginx sends. When the front server proxies, the
// upstream server's own answer is modelled too, and the upstream headers
// that the front lets through come first among headers of their name.
struct Prediction {
  int status = 0;
  HeaderValues headers;
  std::string trace;
};

Prediction Predict(const Document& document, const Probe& probe) {
  Prediction prediction;
  const Scope* scope = document.route("", probe.path);
  if (scope == nullptr) {
    prediction.trace = "no scope";
    return prediction;
  }
  Response response = scope->Respond(ToRequest(probe, probe.handler_status));
  prediction.trace = scope->name;

  if (response.responder == Responder::kUpstream) {
    const Scope* upstream = document.route(kUpstreamHost, probe.path);
    if (upstream == nullptr) {
      prediction.trace += " -> no upstream scope";
      return prediction;
    }
    Response answer = upstream->Respond(ToRequest(probe, probe.handler_status));
    prediction.trace += " -> " + upstream->name;
    response = scope->Respond(ToRequest(probe, answer.status));
    for (const ResponseHeader& header : answer.headers) {
      if (Compared(header.name) && response.UpstreamMaySend(header.name)) {
        prediction.headers[ToLower(header.name)].push_back(header.value);
      }
    }
  }

  prediction.status = response.status;
  for (const ResponseHeader& header : response.headers) {
    EXPECT_TRUE(header.value_known) << header.name << " in " << scope->name;
    if (Compared(header.name)) {
      prediction.headers[ToLower(header.name)].push_back(header.value);
    }
  }
  return prediction;
}

std::string Describe(const Probe& probe) {
  std::string text = probe.method + " " + probe.path;
  if (probe.origin) text += " Origin: " + *probe.origin;
  for (const auto& [name, value] : probe.headers) {
    text += " " + name + ": " + value;
  }
  if (probe.handler_status != 200) {
    text += " (handler " + std::to_string(probe.handler_status) + ")";
  }
  return text;
}

std::string Show(const HeaderValues& headers) {
  std::string text;
  for (const auto& [name, values] : headers) {
    for (const std::string& value : values) {
      text += "\n    " + name + ": " + value;
    }
  }
  return text.empty() ? " (none)" : text;
}

class NginxLiveTest : public ::testing::TestWithParam<LiveCase> {};

TEST_P(NginxLiveTest, ModelAnswersLikeNginx) {
  const LiveCase& live_case = GetParam();
  fs::path path = kLive / live_case.config;
  std::string text = ReadAll(path);
  ASSERT_FALSE(text.empty()) << path;

  nginx::LoadOptions options;
  options.allowed_roots = {kLive.string()};
  std::unique_ptr<Document> document =
      nginx::Load(path.string(), text, options);
  for (const InputError& error : document->errors) {
    ADD_FAILURE() << error.where.line << ":" << error.where.column << ": "
                  << error.message;
  }
  ASSERT_TRUE(document->route) << "the model sets no routing";

  // nginx must run: a missing nginx is a failure, not a skip.
  std::string served = Replace(text, kFrontPort, "127.0.0.1:@PORT@");
  served = Replace(served, kUpstreamPort, "127.0.0.1:@PORT2@");
  NginxServer server;
  std::string error;
  ASSERT_TRUE(server.Start(served, &error)) << error;

  for (const Probe& probe : live_case.probes) {
    std::vector<std::pair<std::string, std::string>> headers = probe.headers;
    if (probe.origin) headers.emplace_back("Origin", *probe.origin);
    HttpResponse actual = server.Fetch(probe.method, probe.path, headers);
    ASSERT_EQ(actual.error, "") << Describe(probe);

    Prediction predicted = Predict(*document, probe);
    HeaderValues sent = FromNginx(actual);
    EXPECT_EQ(predicted.status, actual.status)
        << Describe(probe) << " [" << predicted.trace << "]";
    EXPECT_EQ(predicted.headers, sent)
        << Describe(probe) << " [" << predicted.trace
        << "]\n  model:" << Show(predicted.headers)
        << "\n  nginx:" << Show(sent);
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, NginxLiveTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<LiveCase>& info) {
                           std::string name =
                               fs::path(info.param.config).stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(NginxLiveCoverageTest, EnoughRequestsAndConfigurations) {
  std::vector<LiveCase> cases = Cases();
  size_t probes = 0;
  std::set<std::string> configs;
  for (const LiveCase& live_case : cases) {
    probes += live_case.probes.size();
    configs.insert(live_case.config);
    EXPECT_TRUE(fs::exists(kLive / live_case.config)) << live_case.config;
  }
  EXPECT_GE(probes, 40u);
  EXPECT_GE(configs.size(), 8u);

  // Every live fixture is exercised.
  for (const fs::directory_entry& entry : fs::directory_iterator(kLive)) {
    if (entry.path().extension() != ".conf") continue;
    EXPECT_TRUE(configs.contains(entry.path().filename().string()))
        << entry.path().filename() << " has no requests";
  }
}

}  // namespace
}  // namespace corslint
