// The JSON API of `corslint serve`: answers, bad input and the Host check,
// over real HTTP on loopback.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdio.h>
#include <sys/wait.h>

#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/formats.h"
#include "analyzer/serve.h"
#include "tests/support/command.h"

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
    EXPECT_EQ(finding["file"], "snippet.conf");
    if (finding["rule"] == "reflected-origin") {
      reflected = true;
      EXPECT_EQ(finding["line"], 2);
    }
  }
  EXPECT_TRUE(reflected) << body.dump();
}

// Pastes in each format the page offers, each with a mistake at a known
// line.
struct Paste {
  std::string lang;  // as the page sends it
  std::string text;
  std::string format;  // as the reply names it
  std::string file;
  std::string rule;
  int line;
};

const std::vector<Paste>& Pastes() {
  static const std::vector<Paste> pastes = {
      {"nginx",
       "location /api/ {\n"
       "    add_header Access-Control-Allow-Origin $http_origin;\n"
       "    add_header Access-Control-Allow-Credentials true;\n"
       "}\n",
       "nginx", "snippet.conf", "reflected-origin", 2},
      {"apache",
       "<Location /api>\n"
       "    Header always set Access-Control-Allow-Origin \"*\"\n"
       "    Header always set Access-Control-Allow-Credentials \"true\"\n"
       "</Location>\n",
       "apache", "snippet.conf", "wildcard-origin-with-credentials", 2},
      {"javascript",
       "const express = require('express');\n"
       "const cors = require('cors');\n"
       "const app = express();\n"
       "app.use(cors({ origin: true, credentials: true }));\n"
       "app.get('/api/items', (req, res) => res.json([]));\n",
       "express", "snippet.js", "reflected-origin", 4},
      {"typescript",
       "import express, { Request, Response } from 'express';\n"
       "import cors from 'cors';\n"
       "\n"
       "const app = express();\n"
       "app.use(cors({ origin: (origin, callback) => callback(null, true) "
       "}));\n"
       "app.get('/api/items', (req: Request, res: Response) => "
       "res.json([]));\n",
       "express", "snippet.ts", "reflected-origin", 5},
      {"flask",
       "from flask import Flask, jsonify, request\n"
       "\n"
       "app = Flask(__name__)\n"
       "\n"
       "@app.after_request\n"
       "def add_cors(response):\n"
       "    response.headers[\"Access-Control-Allow-Origin\"] = "
       "request.headers.get(\"Origin\", \"\")\n"
       "    return response\n"
       "\n"
       "@app.route(\"/api/items\")\n"
       "def items():\n"
       "    return jsonify([])\n",
       "flask", "snippet.py", "reflected-origin", 7},
  };
  return pastes;
}

TEST_F(ServeApiTest, CheckReadsEveryFormatThePageOffers) {
  for (const Paste& paste : Pastes()) {
    for (const std::string& lang : {paste.lang, std::string("auto")}) {
      SCOPED_TRACE(paste.lang + " sent as " + lang);
      auto [status, body] =
          Call("check", {{"lang", lang}, {"text", paste.text}});
      ASSERT_EQ(status, 200) << body.dump();
      EXPECT_EQ(body["format"], paste.format);
      EXPECT_EQ(body["file"], paste.file);
      EXPECT_TRUE(body["errors"].empty()) << body["errors"].dump();
      bool found = false;
      for (const json& finding : body["findings"]) {
        EXPECT_EQ(finding["file"], paste.file);
        if (finding["rule"] == paste.rule) {
          found = true;
          EXPECT_EQ(finding["line"], paste.line);
        }
      }
      EXPECT_TRUE(found) << body["findings"].dump();
    }
  }
}

TEST_F(ServeApiTest, CheckTellsTypeScriptFromItsSyntaxWhenToldExpress) {
  const Paste& typescript = Pastes()[3];
  auto [status, body] =
      Call("check", {{"lang", "express"}, {"text", typescript.text}});
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["file"], "snippet.ts");
  EXPECT_TRUE(body["errors"].empty()) << body["errors"].dump();
}

TEST_F(ServeApiTest, CheckAsksForTheFormatWhenItCannotTell) {
  for (const std::string& text :
       {std::string(""), std::string("hello there\n"),
        std::string("app.use(cors({ origin: true }\n")}) {
    auto [status, body] = Call("check", {{"text", text}});
    EXPECT_EQ(status, 422) << text;
    EXPECT_NE(body["error"].get<std::string>().find("cannot tell the format"),
              std::string::npos)
        << body.dump();
  }
}

TEST_F(ServeApiTest, CheckNeverShowsItsPrivateDirectory) {
  auto [status, body] =
      Call("check", {{"lang", "nginx"},
                     {"text",
                      "include missing.conf;\n"
                      "add_header Access-Control-Allow-Origin *;\n"}});
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_FALSE(body["errors"].empty()) << body.dump();
  EXPECT_EQ(body.dump().find("corslint-serve-"), std::string::npos)
      << body.dump();
}

TEST_F(ServeApiTest, CheckShowsEachFindingsFixes) {
  auto [status, body] =
      Call("check", {{"lang", "nginx"},
                     {"text",
                      "location / {\n"
                      "    add_header Access-Control-Allow-Origin "
                      "\"https://app.example.com\";\n"
                      "}\n"}});
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_FALSE(body["findings"].empty());
  const json& fix = body["findings"][0]["fixes"][0];
  EXPECT_EQ(fix["applicability"], "safe") << fix.dump();
  EXPECT_FALSE(fix["description"].get<std::string>().empty());
  EXPECT_EQ(body["corrected"]["safe"]["text"],
            "location / {\n"
            "    add_header Access-Control-Allow-Origin "
            "\"https://app.example.com\" always;\n"
            "}\n");
  EXPECT_EQ(body["corrected"]["safe"]["applied"], 1);
  EXPECT_EQ(body["corrected"]["safe"]["remaining"], 0);
}

TEST_F(ServeApiTest, CheckShowsSuggestionsButNeverAppliesThem) {
  std::string text =
      "<Location /api>\n"
      "    Header always set Access-Control-Allow-Origin \"*\"\n"
      "    Header always set Access-Control-Allow-Credentials \"true\"\n"
      "</Location>\n";
  auto [status, body] =
      Call("check", {{"lang", "apache"},
                     {"text", text},
                     {"trusted_origins", {"https://app.example.com"}}});
  ASSERT_EQ(status, 200) << body.dump();
  bool suggested = false;
  for (const json& finding : body["findings"]) {
    for (const json& fix : finding["fixes"]) {
      if (fix["applicability"] != "display-only") continue;
      suggested = true;
      EXPECT_NE(
          fix["snippet"].get<std::string>().find("https://app.example.com"),
          std::string::npos)
          << fix.dump();
    }
  }
  EXPECT_TRUE(suggested) << body["findings"].dump();
  EXPECT_EQ(body["corrected"]["safe"]["text"], text);
}

// What `corslint check --fix` (with `extra` flags) writes for `text`
// read as `lang`.
std::string CommandLineFix(const std::string& lang, const std::string& text,
                           const std::vector<std::string>& extra) {
  testing::ScratchDir dir;
  std::filesystem::path file = dir.Write("snippet.conf", text);
  std::vector<std::string> argv = {testing::CorslintBinary(),
                                   "check",
                                   "--fix",
                                   "--lang",
                                   lang,
                                   file.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  testing::CommandResult run = testing::RunCommand(argv);
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;
  return testing::ReadFile(file);
}

TEST_F(ServeApiTest, CorrectedTextIsWhatCheckFixWrites) {
  struct Fixture {
    std::string lang;
    std::string path;
    std::vector<std::string> trusted;
  };
  const std::vector<std::string> trusted = {"https://app.example.com",
                                            "https://*.example.org"};
  size_t safe_changes = 0, unsafe_changes = 0;
  for (const Fixture& fixture : std::vector<Fixture>{
           {"nginx", "cors-headers-missing-on-errors/proxied-api.conf", {}},
           {"nginx", "invalid-credentials-value/with-reflection.conf", {}},
           {"nginx", "missing-vary-origin/map-allowlist.conf", {}},
           {"nginx", "reflected-origin/site.conf", trusted},
           {"apache", "invalid-credentials-value/capitalised.conf", {}},
           {"apache", "missing-vary-origin/allowlist-without-vary.conf", {}},
           {"apache", "reflected-origin/expr-echo.conf", trusted},
       }) {
    SCOPED_TRACE(fixture.path);
    std::string text = testing::ReadFile(std::string(CORSLINT_SOURCE_DIR) +
                                         "/fixtures/fixes/" + fixture.lang +
                                         "/" + fixture.path);
    ASSERT_FALSE(text.empty());
    auto [status, body] = Call("check", {{"lang", fixture.lang},
                                         {"text", text},
                                         {"trusted_origins", fixture.trusted}});
    ASSERT_EQ(status, 200) << body.dump();
    std::vector<std::string> flags;
    for (const std::string& origin : fixture.trusted) {
      flags.insert(flags.end(), {"--trusted-origin", origin});
    }
    std::string safe = body["corrected"]["safe"]["text"];
    EXPECT_EQ(safe, CommandLineFix(fixture.lang, text, flags));
    flags.push_back("--unsafe-fixes");
    std::string unsafe = body["corrected"]["unsafe"]["text"];
    EXPECT_EQ(unsafe, CommandLineFix(fixture.lang, text, flags));
    safe_changes += safe != text;
    unsafe_changes += unsafe != safe;
  }
  // The fixtures hold both kinds of fix, so the comparison means something.
  EXPECT_GE(safe_changes, 3u);
  EXPECT_GE(unsafe_changes, 3u);
}

TEST(PasteFormatTest, DetectsTheFormatByContent) {
  for (const Paste& paste : Pastes()) {
    std::optional<PasteFormat> format = DetectPasteFormat(paste.text);
    ASSERT_TRUE(format) << paste.lang;
    EXPECT_EQ(FormatName(format->format), paste.format) << paste.lang;
    EXPECT_EQ(format->file_name, paste.file) << paste.lang;
  }

  // A comment-only configuration parses as Python but names no Flask; a
  // short call that is both Python and JavaScript is Flask only when it
  // names Flask.
  std::optional<PasteFormat> comment =
      DetectPasteFormat("# Access-Control-Allow-Origin\nserver {\n}\n");
  EXPECT_TRUE(!comment || comment->format != Format::kFlask);
  std::optional<PasteFormat> call = DetectPasteFormat("app.use(cors())\n");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->format, Format::kExpress);
  std::optional<PasteFormat> flask =
      DetectPasteFormat("from flask_cors import CORS\nCORS(app)\n");
  ASSERT_TRUE(flask);
  EXPECT_EQ(flask->format, Format::kFlask);
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
           {"generate", "{\"colour\": \"red\"}", 400,
            "unknown field \"colour\""},
           {"generate", "{\"origins\": \"x\"}", 400, "wrong type"},
           {"generate", "{\"origins\": [1]}", 400, "must list strings"},
           {"generate", "{\"max_age\": -5}", 422, "max"},
           {"simulate", "{}", 400, "policy"},
           {"check", "{\"lang\": \"cobol\", \"text\": \"\"}", 400, "cobol"},
           {"check", "{\"lang\": 5, \"text\": \"\"}", 400, "wrong type"},
           {"check", "{\"lang\": \"nginx\", \"text\": [\"a\"]}", 400,
            "wrong type"},
           {"check", "{\"lang\": \"nginx\", \"fix\": true}", 400,
            "unknown field \"fix\""},
           {"check", "{\"text\": \"x\"", 400, "not valid JSON"},
           {"check", "{\"lang\": \"nginx\", \"trusted_origins\": \"x\"}", 400,
            "wrong type"},
           {"check",
            "{\"lang\": \"nginx\", \"trusted_origins\": "
            "[\"https://a.test/x\"]}",
            422, "\"https://a.test/x\" is not a trusted origin"},
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
  std::string huge =
      "{\"origins\": [\"" + std::string(kMaxApiBody, 'a') + "\"]}";
  httplib::Result result = Post("/api/generate", huge);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  EXPECT_NE(result->body.find("larger than"), std::string::npos);

  std::string huge_paste =
      json{{"lang", "nginx"}, {"text", std::string(kMaxApiBody, '#')}}.dump();
  httplib::Result paste = Post("/api/check", huge_paste);
  ASSERT_TRUE(paste);
  EXPECT_EQ(paste->status, 413);
  EXPECT_NE(paste->body.find("larger than"), std::string::npos);

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
