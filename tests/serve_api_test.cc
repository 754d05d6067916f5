// The JSON API of `corslint serve`: answers, bad input and the Host check,
// over real HTTP on loopback.
#include <stdio.h>
#include <sys/wait.h>

#include <array>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "analyzer/serve.h"

namespace corslint {
namespace {

using nlohmann::json;

// `corslint generate` with `arguments`; its stdout.
std::string GenerateOutput(const std::string& arguments) {
  std::string command =
      std::string(CORSLINT_BINARY) + " generate " + arguments + " 2>/dev/null";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    out.append(buffer.data(), n);
  }
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

class ServeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = MakeServer("127.0.0.1", &port_);
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }

  httplib::Result Post(const std::string& path, const std::string& body) {
    return client_->Post(path, body, "application/json");
  }

  // The status and parsed body of a POST to /api/`endpoint`.
  std::pair<int, json> Call(const std::string& endpoint, const json& body) {
    httplib::Result result = Post("/api/" + endpoint, body.dump());
    if (!result) return {0, json()};
    return {result->status, json::parse(result->body, nullptr, false)};
  }

  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServeApiTest, ServesThePageAndItsAssets) {
  httplib::Result page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Simulate preflight"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  for (const char* asset : {"/app.js", "/style.css"}) {
    httplib::Result file = client_->Get(asset);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->status, 200) << asset;
    EXPECT_FALSE(file->body.empty()) << asset;
  }
}

TEST_F(ServeApiTest, GenerateGivesWhatTheCommandGives) {
  auto [status, body] =
      Call("generate", {{"origins", {"https://app.example.com"}},
                        {"methods", {"GET", "PUT"}},
                        {"allow_headers", {"Content-Type", "X-Trace"}},
                        {"expose_headers", {"X-Request-Id"}},
                        {"max_age", 600},
                        {"credentials", true}});
  ASSERT_EQ(status, 200) << body.dump();
  for (const char* target : {"express", "nginx", "apache", "flask"}) {
    EXPECT_EQ(body["code"][target].get<std::string>(),
              GenerateOutput(std::string("--target ") + target +
                             " --origin https://app.example.com"
                             " --methods GET,PUT"
                             " --allow-headers Content-Type,X-Trace"
                             " --expose-headers X-Request-Id"
                             " --max-age 600 --credentials"))
        << target;
  }
}

TEST_F(ServeApiTest, GenerateRefusesAWildcardWithCredentials) {
  auto [status, body] =
      Call("generate", {{"any_origin", true}, {"credentials", true}});
  EXPECT_EQ(status, 422);
  ASSERT_FALSE(body["problems"].empty()) << body.dump();
  EXPECT_FALSE(body["problems"][0]["help"].get<std::string>().empty());
}

TEST_F(ServeApiTest, SimulateAllowsAndRefuses) {
  json policy = {{"origins", {"https://app.example.com"}},
                 {"methods", {"GET", "PUT"}},
                 {"allow_headers", {"Content-Type"}}};
  json request = {{"policy", policy},
                  {"origin", "https://app.example.com"},
                  {"path", "/api/items"},
                  {"method", "PUT"},
                  {"headers", {"Content-Type: application/json"}}};
  auto [allowed_status, allowed] = Call("simulate", request);
  ASSERT_EQ(allowed_status, 200) << allowed.dump();
  EXPECT_TRUE(allowed["allowed"].get<bool>());
  EXPECT_NE(allowed["text"].get<std::string>().find("OPTIONS"),
            std::string::npos);

  request["method"] = "DELETE";
  auto [refused_status, refused] = Call("simulate", request);
  ASSERT_EQ(refused_status, 200) << refused.dump();
  EXPECT_FALSE(refused["allowed"].get<bool>());
}

TEST_F(ServeApiTest, CheckFindsMistakesAtTheirLines) {
  auto [status, body] = Call(
      "check", {{"lang", "nginx"},
                {"text",
                 "location /api/ {\n"
                 "    add_header Access-Control-Allow-Origin $http_origin;\n"
                 "    add_header Access-Control-Allow-Credentials true;\n"
                 "}\n"}});
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_FALSE(body["findings"].empty());
  bool reflected = false;
  for (const json& finding : body["findings"]) {
    EXPECT_EQ(finding["file"], "snippet");
    if (finding["rule"] == "reflected-origin") {
      reflected = true;
      EXPECT_EQ(finding["line"], 2);
    }
  }
  EXPECT_TRUE(reflected) << body.dump();
}

TEST_F(ServeApiTest, BadInputGetsAMessage) {
  struct Case {
    std::string endpoint;
    std::string body;
    int status;
    std::string message_part;
  };
  for (const Case& bad : std::vector<Case>{
           {"generate", "{\"origins\": [", 400, "not valid JSON"},
           {"generate", "[1, 2]", 400, "JSON object"},
           {"generate", "{\"colour\": \"red\"}", 400, "unknown field \"colour\""},
           {"generate", "{\"origins\": \"x\"}", 400, "wrong type"},
           {"generate", "{\"origins\": [1]}", 400, "must list strings"},
           {"generate", "{\"max_age\": -5}", 422, "max"},
           {"simulate", "{}", 400, "policy"},
           {"check", "{\"lang\": \"cobol\", \"text\": \"\"}", 400, "cobol"},
           {"nothing", "{}", 404, "nothing"},
       }) {
    httplib::Result result = Post("/api/" + bad.endpoint, bad.body);
    ASSERT_TRUE(result) << bad.body;
    EXPECT_EQ(result->status, bad.status) << bad.body;
    json body = json::parse(result->body, nullptr, false);
    ASSERT_TRUE(body.contains("error")) << result->body;
    EXPECT_NE(body["error"].get<std::string>().find(bad.message_part),
              std::string::npos)
        << body.dump();
  }
}

TEST_F(ServeApiTest, RefusesHugeBodies) {
  std::string huge = "{\"origins\": [\"" + std::string(kMaxApiBody, 'a') +
                     "\"]}";
  httplib::Result result = Post("/api/generate", huge);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  EXPECT_NE(result->body.find("larger than"), std::string::npos);

  // The server is still up.
  auto [status, body] = Call("generate", {{"origins", {"https://a.test"}}});
  EXPECT_EQ(status, 200) << body.dump();
}

TEST_F(ServeApiTest, RefusesForeignHostHeaders) {
  for (const std::string& host :
       {std::string("evil.example:") + std::to_string(port_),
        std::string("127.0.0.1:1"), std::string("127.0.0.1.evil.example")}) {
    httplib::Result result =
        client_->Get("/", httplib::Headers{{"Host", host}});
    ASSERT_TRUE(result) << host;
    EXPECT_EQ(result->status, 403) << host;
    EXPECT_NE(result->body.find("Host header"), std::string::npos);
  }
  httplib::Result local = client_->Get(
      "/", httplib::Headers{{"Host", "localhost:" + std::to_string(port_)}});
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 200);
}

TEST(ServeFlagsTest, BindsToLoopbackByDefault) {
  EXPECT_EQ(ServeFlags().host, "127.0.0.1");
}

TEST(HostAllowedTest, NamesOnlyTheServedAddress) {
  EXPECT_TRUE(HostAllowed("127.0.0.1:8377", "127.0.0.1", 8377));
  EXPECT_TRUE(HostAllowed("localhost:8377", "127.0.0.1", 8377));
  EXPECT_TRUE(HostAllowed("[::1]:8377", "::1", 8377));
  EXPECT_FALSE(HostAllowed("127.0.0.1", "127.0.0.1", 8377));
  EXPECT_FALSE(HostAllowed("attacker.test:8377", "127.0.0.1", 8377));
  EXPECT_FALSE(HostAllowed("", "127.0.0.1", 8377));
  EXPECT_TRUE(HostAllowed("192.0.2.7:80", "192.0.2.7", 80));
  EXPECT_FALSE(HostAllowed("localhost:80", "192.0.2.7", 80));
}

}  // namespace
}  // namespace corslint
