// The nginx model: configurations in, a canonical dump of what each scope
// answers to a fixed set of probes out; then includes, origin checks,
// dropped headers, routing and format detection.
#include "parsers/nginx_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/analysis.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kAllowed = "https://app.a.test";
constexpr std::string_view kEvil = "https://evil.test";

// The fixed probes: an allowed origin, another origin, no Origin, a
// preflight for PUT, and a request the content handler fails with 500.
std::vector<Request> Probes() {
  Request error = Request::Simple(std::string(kAllowed));
  error.handler_status = 500;
  return {Request::Simple(std::string(kAllowed)),
          Request::Simple(std::string(kEvil)), Request{},
          Request::Preflight(std::string(kAllowed), "PUT"), error};
}

// DumpDocument with each probe written as a short name.
std::string Dump(const Document& document) {
  std::string dump = DumpDocument(document, Probes());
  const std::pair<std::string_view, std::string_view> names[] = {
      {"GET / origin=https://app.a.test handler=500 ", "error "},
      {"OPTIONS / origin=https://app.a.test "
       "access-control-request-method=PUT ",
       "preflight "},
      {"GET / origin=https://app.a.test ", "allowed "},
      {"GET / origin=https://evil.test ", "evil "},
      {"GET / ", "no-origin "},
  };
  for (const auto& [from, to] : names) {
    for (size_t at = dump.find(from); at != std::string::npos;
         at = dump.find(from, at + to.size())) {
      dump.replace(at, from.size(), to);
    }
  }
  return dump;
}

std::unique_ptr<Document> LoadText(const std::string& text,
                                   const std::string& path = "site.conf") {
  return nginx::Load(path, text, nginx::LoadOptions{});
}

std::string Errors(const Document& document) {
  std::string text;
  for (const InputError& error : document.errors) {
    text += std::to_string(error.where.line) + ":" +
            std::to_string(error.where.column) + ": " + error.message + "\n";
  }
  return text;
}

struct DumpCase {
  const char* name;
  const char* config;
  const char* dump;
};

void PrintTo(const DumpCase& dump_case, std::ostream* out) {
  *out << dump_case.name;
}

const DumpCase kDumpCases[] = {
    {"LevelWithAddHeaderInheritsNone",
     R"~(http {
  add_header Access-Control-Allow-Origin https://app.a.test;
  add_header Access-Control-Allow-Credentials true;
  server {
    listen 80;
    location / {
    }
    location /api/ {
      add_header Access-Control-Allow-Origin https://app.a.test;
      add_header X-Frame-Options DENY;
    }
  }
}
)~",
     R"~(scope server 80, location /
  allowed -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
    Access-Control-Allow-Credentials: true
  evil -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
    Access-Control-Allow-Credentials: true
  no-origin -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
    Access-Control-Allow-Credentials: true
  preflight -> 405 static
  error -> 500 static
scope server 80, location /api/
  allowed -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
    X-Frame-Options: DENY
  evil -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
    X-Frame-Options: DENY
  no-origin -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
    X-Frame-Options: DENY
  preflight -> 405 static
  error -> 500 static
check fixed https://app.a.test
check fixed https://app.a.test
dropped in server 80, location /api/: Access-Control-Allow-Credentials
)~"},

    {"AlwaysReachesErrorStatuses",
     R"~(server {
  listen 80;
  location / {
    add_header Access-Control-Allow-Origin "*";
    add_header Vary Origin always;
  }
  location /gone/ {
    add_header Access-Control-Allow-Origin "*" always;
    return 404;
  }
}
)~",
     R"~(scope server 80, location /
  allowed -> 200 static
    Access-Control-Allow-Origin: *
    Vary: Origin
  evil -> 200 static
    Access-Control-Allow-Origin: *
    Vary: Origin
  no-origin -> 200 static
    Access-Control-Allow-Origin: *
    Vary: Origin
  preflight -> 405 static
    Vary: Origin
  error -> 500 static
    Vary: Origin
scope server 80, location /gone/
  allowed -> 404 config
    Access-Control-Allow-Origin: *
  evil -> 404 config
    Access-Control-Allow-Origin: *
  no-origin -> 404 config
    Access-Control-Allow-Origin: *
  preflight -> 404 config
    Access-Control-Allow-Origin: *
  error -> 404 config
    Access-Control-Allow-Origin: *
)~"},

    {"IfBlockReplacesTheLocationsHeaders",
     R"~(add_header Access-Control-Allow-Origin $http_origin always;
if ($request_method = OPTIONS) {
  add_header Access-Control-Allow-Methods "GET, PUT" always;
  return 204;
}
)~",
     R"~(scope location /
  allowed -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
  evil -> 200 static
    Access-Control-Allow-Origin: https://evil.test
  no-origin -> 200 static
  preflight -> 204 config
    Access-Control-Allow-Methods: GET, PUT
  error -> 500 static
    Access-Control-Allow-Origin: https://app.a.test
dropped in location /: Access-Control-Allow-Origin (preflight only)
)~"},

    {"LastMatchingIfWins",
     R"~(if ($http_origin) {
  add_header X-First 1 always;
}
if ($request_method = OPTIONS) {
  add_header X-Second 2 always;
}
)~",
     R"~(scope location /
  allowed -> 200 static
    X-First: 1
  evil -> 200 static
    X-First: 1
  no-origin -> 200 static
  preflight -> 405 static
    X-Second: 2
  error -> 500 static
    X-First: 1
)~"},

    {"ServerIfReturnAnswersWithServerHeadersOnly",
     R"~(server {
  listen 80;
  add_header X-Server s always;
  if ($request_method = OPTIONS) {
    return 204;
  }
  location / {
    add_header X-Location l always;
  }
}
)~",
     R"~(scope server 80, location /
  allowed -> 200 static
    X-Location: l
  evil -> 200 static
    X-Location: l
  no-origin -> 200 static
    X-Location: l
  preflight -> 204 config
    X-Server: s
  error -> 500 static
    X-Location: l
)~"},

    {"MapExactKeysIgnoreCaseRegexesGoInOrder",
     R"~(map $http_origin $cors {
  https://APP.a.test $http_origin;
  "~^https://(\w+)\.test$" "https://$1.example";
  "~evil" "second";
}
server {
  listen 80;
  location / {
    add_header Access-Control-Allow-Origin $cors always;
  }
}
)~",
     R"~(scope server 80, location /
  allowed -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
  evil -> 200 static
    Access-Control-Allow-Origin: https://evil.example
  no-origin -> 200 static
  preflight -> 405 static
    Access-Control-Allow-Origin: https://app.a.test
  error -> 500 static
    Access-Control-Allow-Origin: https://app.a.test
check exact https://APP.a.test (i)
check regex ^https://(\w+)\.test$
check regex evil
)~"},

    {"MapHostnamesMasksWithoutDefault",
     R"~(map $http_origin $cors {
  hostnames;
  *.a.test $http_origin;
  .b.test "b";
}
server {
  listen 80;
  add_header Access-Control-Allow-Origin $cors;
}
)~",
     R"~(scope server 80
  allowed -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
  evil -> 200 static
  no-origin -> 200 static
  preflight -> 405 static
  error -> 500 static
check hostname *.a.test (i)
check hostname .b.test (i)
)~"},

    {"MapDenyEntryAndDefault",
     R"~(map $http_origin $cors {
  default $http_origin;
  "~*EVIL" "";
}
server {
  listen 80;
  location / {
    add_header Access-Control-Allow-Origin $cors;
  }
}
)~",
     R"~(scope server 80, location /
  allowed -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
  evil -> 200 static
  no-origin -> 200 static
  preflight -> 405 static
  error -> 500 static
check regex !EVIL (i)
)~"},

    {"MapUnusedOrFedMoreThanTheOrigin",
     R"~(map $http_origin $unused {
  "~^https://a\.test$" 1;
}
map "$scheme:$http_origin" $mixed {
  "~^https:https://a" 1;
}
server {
  listen 80;
  location / {
    add_header X-Mixed $mixed;
  }
}
)~",
     R"~(scope server 80, location /
  allowed -> 200 static
    X-Mixed: <unknown>
  evil -> 200 static
    X-Mixed: <unknown>
  no-origin -> 200 static
    X-Mixed: <unknown>
  preflight -> 405 static
  error -> 500 static
check regex ^https://a\.test$ (unused)
check unknown ^https:https://a
)~"},

    {"SetRunsInOrderAndHeadersSeeTheLastValue",
     R"~(set $v "first";
add_header X-V $v always;
if ($http_origin) {
  set $v "$v-origin";
}
set $v "$v-last";
)~",
     R"~(scope location /
  allowed -> 200 static
    X-V: first-origin-last
  evil -> 200 static
    X-V: first-origin-last
  no-origin -> 200 static
    X-V: first-last
  preflight -> 405 static
    X-V: first-origin-last
  error -> 500 static
    X-V: first-origin-last
)~"},

    {"CapturesComeFromTheLastMatchingRegex",
     R"~(if ($http_origin ~ "^https://(\w+)\.") {
  set $sub $1;
}
if ($request_method ~ "^(OPT)") {
}
add_header X-Sub $sub always;
add_header X-Capture $1 always;
)~",
     R"~(scope location /
  allowed -> 200 static
    X-Sub: app
    X-Capture: app
  evil -> 200 static
    X-Sub: evil
    X-Capture: evil
  no-origin -> 200 static
  preflight -> 405 static
    X-Sub: app
    X-Capture: OPT
  error -> 500 static
    X-Sub: app
    X-Capture: app
check regex ^https://(\w+)\.
)~"},

    {"HeadersMoreReplacesClearsAndAddsUp",
     R"~(server {
  listen 80;
  more_set_headers "X-Server: s";
  location / {
    more_set_headers "X-Location: l";
    more_set_headers -s 500 "X-Error: e";
    more_set_headers "X-Server: replaced";
    add_header X-Server added;
  }
  location /clear/ {
    more_set_headers "X-Server:";
    add_header X-Kept k;
    more_clear_headers X-Kept;
  }
}
)~",
     R"~(scope server 80, location /
  allowed -> 200 static
    X-Server: replaced
    X-Location: l
    X-Server: added
  evil -> 200 static
    X-Server: replaced
    X-Location: l
    X-Server: added
  no-origin -> 200 static
    X-Server: replaced
    X-Location: l
    X-Server: added
  preflight -> 405 static
    X-Server: replaced
    X-Location: l
  error -> 500 static
    X-Server: replaced
    X-Location: l
    X-Error: e
scope server 80, location /clear/
  allowed -> 200 static
    X-Kept: k
  evil -> 200 static
    X-Kept: k
  no-origin -> 200 static
    X-Kept: k
  preflight -> 405 static
  error -> 500 static
)~"},

    {"UpstreamAnswersWithTheHandlersStatus",
     R"~(proxy_pass http://backend;
add_header Access-Control-Allow-Origin https://app.a.test;
)~",
     R"~(scope location /
  allowed -> 200 upstream
    Access-Control-Allow-Origin: https://app.a.test
  evil -> 200 upstream
    Access-Control-Allow-Origin: https://app.a.test
  no-origin -> 200 upstream
    Access-Control-Allow-Origin: https://app.a.test
  preflight -> 200 upstream
    Access-Control-Allow-Origin: https://app.a.test
  error -> 500 upstream
check fixed https://app.a.test
)~"},

    {"ErrorPageHandsTheResponseToAnotherLocation",
     R"~(server {
  listen 80;
  error_page 500 /50x.html;
  error_page 405 =204 @preflight;
  location / {
    add_header Access-Control-Allow-Origin https://app.a.test;
  }
  location = /50x.html {
    add_header X-Error-Page 1 always;
  }
  location @preflight {
    add_header Access-Control-Allow-Methods "GET, PUT" always;
    return 204;
  }
}
)~",
     R"~(scope server 80, location /
  allowed -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
  evil -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
  no-origin -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
  preflight -> 204 config
    Access-Control-Allow-Methods: GET, PUT
  error -> 500 static
    X-Error-Page: 1
scope server 80, location = /50x.html
  allowed -> 200 static
    X-Error-Page: 1
  evil -> 200 static
    X-Error-Page: 1
  no-origin -> 200 static
    X-Error-Page: 1
  preflight -> 204 config
    Access-Control-Allow-Methods: GET, PUT
  error -> 500 static
    X-Error-Page: 1
scope server 80, location @preflight
  allowed -> 204 config
    Access-Control-Allow-Methods: GET, PUT
  evil -> 204 config
    Access-Control-Allow-Methods: GET, PUT
  no-origin -> 204 config
    Access-Control-Allow-Methods: GET, PUT
  preflight -> 204 config
    Access-Control-Allow-Methods: GET, PUT
  error -> 204 config
    Access-Control-Allow-Methods: GET, PUT
check fixed https://app.a.test
)~"},

    {"AddHeaderInheritMergeAndOff",
     R"~(server {
  listen 80;
  add_header Access-Control-Allow-Origin "*";
  location /merge/ {
    add_header_inherit merge;
    add_header X-Own 1;
  }
  location /off/ {
    add_header_inherit off;
  }
}
)~",
     R"~(scope server 80
  allowed -> 200 static
    Access-Control-Allow-Origin: *
  evil -> 200 static
    Access-Control-Allow-Origin: *
  no-origin -> 200 static
    Access-Control-Allow-Origin: *
  preflight -> 405 static
  error -> 500 static
scope server 80, location /merge/
  allowed -> 200 static
    X-Own: 1
    Access-Control-Allow-Origin: *
  evil -> 200 static
    X-Own: 1
    Access-Control-Allow-Origin: *
  no-origin -> 200 static
    X-Own: 1
    Access-Control-Allow-Origin: *
  preflight -> 405 static
  error -> 500 static
scope server 80, location /off/
  allowed -> 200 static
  evil -> 200 static
  no-origin -> 200 static
  preflight -> 405 static
  error -> 500 static
)~"},

    {"IfOnOriginChecks",
     R"~(if ($http_origin = "https://App.a.test") {
}
if ($http_origin != "https://b.test") {
}
if ($http_origin ~* "^https://(app|www)\.a\.test$") {
  add_header Access-Control-Allow-Origin $http_origin always;
}
if ($http_origin !~ "^https://") {
  return 403;
}
)~",
     R"~(scope location /
  allowed -> 200 static
    Access-Control-Allow-Origin: https://app.a.test
  evil -> 200 static
  no-origin -> 403 config
  preflight -> 405 static
    Access-Control-Allow-Origin: https://app.a.test
  error -> 500 static
    Access-Control-Allow-Origin: https://app.a.test
check exact https://App.a.test
check exact !https://b.test
check regex ^https://(app|www)\.a\.test$ (i)
check regex ^https://
)~"},
};

class NginxDumpTest : public ::testing::TestWithParam<DumpCase> {};

TEST_P(NginxDumpTest, AnswersAsNginxDoes) {
  std::unique_ptr<Document> document = LoadText(GetParam().config);
  EXPECT_EQ(Errors(*document), "");
  EXPECT_EQ(Dump(*document), GetParam().dump);
}

INSTANTIATE_TEST_SUITE_P(Cases, NginxDumpTest, ::testing::ValuesIn(kDumpCases),
                         [](const ::testing::TestParamInfo<DumpCase>& info) {
                           return std::string(info.param.name);
                         });

const ResponseHeader* Header(const Response& response, std::string_view name) {
  return response.FindOne(name);
}

TEST(NginxModelTest, UpstreamHiddenHeadersFollowInheritance) {
  std::unique_ptr<Document> document = LoadText(R"~(http {
  proxy_hide_header Access-Control-Allow-Origin;
  server {
    listen 80;
    location /inherited/ {
      proxy_pass http://backend;
    }
    location /own/ {
      proxy_hide_header Vary;
      proxy_pass http://backend;
    }
    location /fastcgi/ {
      fastcgi_pass 127.0.0.1:9000;
    }
    location /replaced/ {
      more_set_headers "Access-Control-Allow-Credentials: true";
      more_clear_headers "Access-Control-Allow-M*";
      proxy_pass http://backend;
    }
  }
}
)~");
  ASSERT_EQ(document->scopes.size(), 5u);
  Request request = Request::Simple(std::string(kAllowed));
  request.handler_status = 404;

  Response inherited = document->scopes[1]->Respond(request);
  EXPECT_EQ(inherited.responder, Responder::kUpstream);
  EXPECT_EQ(inherited.status, 404);
  EXPECT_THAT(inherited.upstream_hidden,
              ElementsAre("access-control-allow-origin"));
  EXPECT_FALSE(inherited.UpstreamMaySend("Access-Control-Allow-Origin"));
  EXPECT_TRUE(inherited.UpstreamMaySend("Vary"));

  Response own = document->scopes[2]->Respond(request);
  EXPECT_THAT(own.upstream_hidden, ElementsAre("vary"));
  EXPECT_TRUE(own.UpstreamMaySend("Access-Control-Allow-Origin"));

  Response fastcgi = document->scopes[3]->Respond(request);
  EXPECT_EQ(fastcgi.responder, Responder::kUpstream);
  EXPECT_THAT(fastcgi.upstream_hidden, ElementsAre());

  Response replaced = document->scopes[4]->Respond(request);
  EXPECT_THAT(replaced.upstream_hidden,
              ElementsAre("access-control-allow-credentials",
                          "access-control-allow-methods",
                          "access-control-allow-origin"));
  ASSERT_NE(Header(replaced, "Access-Control-Allow-Credentials"), nullptr);
  EXPECT_EQ(Header(replaced, "Access-Control-Allow-Credentials")->mechanism,
            "more_set_headers");
}

TEST(NginxModelTest, HeadersKeepTheirDirectiveAndMechanism) {
  std::unique_ptr<Document> document = LoadText(
      "more_set_headers 'X-More: m';\n"
      "add_header Access-Control-Allow-Origin $http_origin always;\n");
  Response response =
      document->scopes[0]->Respond(Request::Simple(std::string(kAllowed)));
  ASSERT_EQ(response.headers.size(), 2u);
  EXPECT_EQ(response.headers[0].mechanism, "more_set_headers");
  EXPECT_EQ(response.headers[1].mechanism, "add_header");
  EXPECT_EQ(response.headers[1].span.text(),
            "add_header Access-Control-Allow-Origin $http_origin always;");
  Location where = Locate(response.headers[1].span);
  EXPECT_EQ(where.line, 2);
  EXPECT_EQ(where.column, 1);
}

TEST(NginxModelTest, UnknownVariablesAreNotedOnce) {
  std::unique_ptr<Document> document = LoadText(
      "add_header Access-Control-Allow-Origin $scheme://$host always;\n"
      "add_header X-Host $host;\n"
      "if (-f $request_filename) {\n"
      "  return 404;\n"
      "}\n");
  Response response = document->scopes[0]->Respond(Request{});
  EXPECT_EQ(response.status, 200);  // the unknown condition is not entered
  ASSERT_NE(Header(response, "Access-Control-Allow-Origin"), nullptr);
  EXPECT_FALSE(Header(response, "Access-Control-Allow-Origin")->value_known);

  std::vector<std::string> notes;
  for (const ModelNote& note : document->notes) {
    notes.push_back(std::to_string(Locate(note.span).line) + ": " +
                    note.message);
  }
  EXPECT_THAT(
      notes,
      ElementsAre(
          "1: variable \"$scheme\" is not evaluated; values that use it are "
          "unknown",
          "1: variable \"$host\" is not evaluated; values that use it are "
          "unknown",
          "3: condition \"-f $request_filename\" is not evaluated; its block "
          "is taken as not entered"));
}

TEST(NginxModelTest, InvalidRegexIsAnErrorAndAnUnknownCheck) {
  std::unique_ptr<Document> document = LoadText(
      "map $http_origin $cors {\n"
      "  \"~^https://(a\" 1;\n"
      "}\n"
      "server {\n"
      "  listen 80;\n"
      "  add_header X-Cors $cors;\n"
      "}\n");
  ASSERT_EQ(document->errors.size(), 1u);
  EXPECT_EQ(document->errors[0].where.line, 2);
  EXPECT_EQ(document->errors[0].where.column, 3);
  EXPECT_THAT(document->errors[0].message,
              HasSubstr("invalid regular expression \"^https://(a\""));
  ASSERT_EQ(document->origin_checks.size(), 1u);
  EXPECT_EQ(document->origin_checks[0].kind, OriginCheckKind::kUnknown);
  EXPECT_EQ(document->origin_checks[0].construct, "map regex key");
}

TEST(NginxModelTest, DirectiveErrorsAreWordedLikeNginx) {
  std::unique_ptr<Document> document = LoadText(
      "add_header X;\n"
      "add_header X y ALWAYS;\n"
      "location ~~ /x {\n"
      "}\n");
  EXPECT_EQ(Errors(*document),
            "1:1: invalid number of arguments in \"add_header\" directive\n"
            "2:16: invalid parameter \"ALWAYS\"\n"
            "3:10: invalid location modifier \"~~\"\n");
}

TEST(NginxModelTest, HostnameMasksIgnoreTheScheme) {
  std::unique_ptr<Document> document = LoadText(
      "map $http_origin $cors { hostnames; *.a.test 1; }\n"
      "server { listen 80; add_header X $cors; }\n");
  ASSERT_EQ(document->origin_checks.size(), 1u);
  const OriginCheck& check = document->origin_checks[0];
  EXPECT_TRUE(check.Matches("https://app.a.test"));
  EXPECT_TRUE(check.Matches("http://x.y.a.test"));
  EXPECT_FALSE(check.Matches("https://app.a.test:8443"));
  EXPECT_FALSE(check.Matches("https://a.test"));
}

TEST(NginxModelTest, FixedOriginsKeepTheirCase) {
  std::unique_ptr<Document> document = LoadText(
      "more_set_headers 'Access-Control-Allow-Origin: https://A.test';\n"
      "add_header access-control-allow-origin null;\n"
      "add_header Access-Control-Allow-Origin *;\n");
  ASSERT_EQ(document->origin_checks.size(), 2u);
  EXPECT_EQ(document->origin_checks[0].kind, OriginCheckKind::kFixed);
  EXPECT_EQ(document->origin_checks[0].pattern, "https://A.test");
  EXPECT_FALSE(document->origin_checks[0].case_insensitive);
  EXPECT_EQ(document->origin_checks[1].pattern, "null");
}

TEST(NginxModelTest, RegexLocationsCaptureAndGetASamplePath) {
  std::unique_ptr<Document> document = LoadText(R"~(server {
  server_name api.a.test;
  location ~ ^/api/(v\d+)/[a-z]+\.json$ {
    add_header X-Version $1;
  }
  location ^~ /static/ {
  }
  location = /exact {
  }
}
)~");
  ASSERT_EQ(document->scopes.size(), 4u);
  EXPECT_EQ(document->scopes[0]->name, "server api.a.test");
  EXPECT_EQ(document->scopes[0]->sample_path, "/");
  EXPECT_EQ(document->scopes[1]->name,
            "server api.a.test, location ~ ^/api/(v\\d+)/[a-z]+\\.json$");
  EXPECT_EQ(document->scopes[1]->sample_path, "/api/v1/a.json");
  EXPECT_EQ(document->scopes[2]->sample_path, "/static/");
  EXPECT_EQ(document->scopes[3]->sample_path, "/exact");

  Request request = Request::Simple(std::string(kAllowed));
  request.path = "/api/v2/users.json";
  Response response = document->scopes[1]->Respond(request);
  ASSERT_NE(Header(response, "X-Version"), nullptr);
  EXPECT_EQ(Header(response, "X-Version")->value, "v2");
  Location where = Locate(document->scopes[1]->span);
  EXPECT_EQ(where.line, 3);
  EXPECT_EQ(where.column, 3);
}

TEST(NginxModelTest, RoutesByServerNameAndLocation) {
  std::unique_ptr<Document> document = LoadText(R"~(server {
  listen 80;
  server_name www.a.test;
  location / {
  }
  location /api/ {
  }
  location ~ \.php$ {
  }
  location ^~ /api/static/ {
  }
}
server {
  listen 80 default_server;
  server_name *.a.test;
}
server {
  listen 80;
  server_name ~^(?<name>.+)\.b\.test$;
}
)~");
  auto route = [&](std::string_view host, std::string_view path) {
    const Scope* scope = document->route(host, path);
    return scope == nullptr ? std::string("none") : scope->name;
  };
  EXPECT_EQ(route("www.a.test", "/"), "server www.a.test, location /");
  EXPECT_EQ(route("WWW.A.TEST:8080", "/api/x"),
            "server www.a.test, location /api/");
  EXPECT_EQ(route("www.a.test", "/api/x.php"),
            "server www.a.test, location ~ \\.php$");
  EXPECT_EQ(route("www.a.test", "/api/static/x.php"),
            "server www.a.test, location ^~ /api/static/");
  EXPECT_EQ(route("shop.a.test", "/x"), "server *.a.test");
  EXPECT_EQ(route("x.b.test", "/"), "server 80");
  EXPECT_EQ(route("", "/"), "server *.a.test");
  EXPECT_EQ(route("other.test", "/"), "server *.a.test");
}

TEST(NginxModelTest, DroppedHeadersOfAServerGoToItsCatchAllLocation) {
  std::unique_ptr<Document> document = LoadText(R"~(http {
  add_header Access-Control-Allow-Origin "*";
  server {
    listen 80;
    add_header Strict-Transport-Security max-age=60;
    location / {
    }
  }
}
)~");
  ASSERT_EQ(document->dropped.size(), 1u);
  const DroppedHeaders& dropped = document->dropped[0];
  EXPECT_EQ(dropped.scope->name, "server 80, location /");
  EXPECT_EQ(Locate(dropped.cause).line, 5);
  ASSERT_EQ(dropped.lost.size(), 1u);
  EXPECT_EQ(dropped.lost[0].name, "Access-Control-Allow-Origin");
  EXPECT_EQ(dropped.lost[0].value, "*");
  EXPECT_EQ(Locate(dropped.lost[0].span).line, 2);
  EXPECT_FALSE(dropped.preflight_only);
}

TEST(NginxModelTest, RootContextFollowsTheTopLevelDirectives) {
  EXPECT_EQ(LoadText("add_header X 1;\n")->scopes[0]->name, "location /");
  std::unique_ptr<Document> site =
      LoadText("server {\n  location /x {\n  }\n}\n");
  ASSERT_EQ(site->scopes.size(), 2u);
  EXPECT_EQ(site->scopes[0]->name, "server #1");
  EXPECT_EQ(site->scopes[1]->name, "server #1, location /x");
  std::unique_ptr<Document> full = LoadText(
      "events {}\nhttp {\n  server {\n    listen 8080;\n    location / {\n"
      "    }\n  }\n}\n");
  ASSERT_EQ(full->scopes.size(), 1u);
  EXPECT_EQ(full->scopes[0]->name, "server 8080, location /");
  EXPECT_TRUE(LoadText("events {}\n")->scopes.empty());
  EXPECT_TRUE(LoadText("map $a $b { default 1; }\n")->scopes.empty());
}

TEST(NginxModelTest, SyntaxErrorsKeepWhatWasRead) {
  std::unique_ptr<Document> document =
      LoadText("add_header X-A 1;\nlocation /x {\n  add_header X-B 2;\n");
  ASSERT_EQ(document->errors.size(), 1u);
  EXPECT_THAT(document->errors[0].message, HasSubstr("unexpected end of file"));
  ASSERT_EQ(document->scopes.size(), 2u);
  Response response = document->scopes[1]->Respond(Request{});
  ASSERT_NE(Header(response, "X-B"), nullptr);
}

TEST(NginxModelTest, NamedLocationsSkipTheServerRewritePhase) {
  std::unique_ptr<Document> document = LoadText(R"~(server {
  listen 80;
  if ($request_method = OPTIONS) {
    return 204;
  }
  location @fallback {
    add_header X-Fallback 1 always;
    return 200 "fallback";
  }
}
)~");
  ASSERT_EQ(document->scopes.size(), 2u);
  Request preflight = Request::Preflight(std::string(kAllowed), "PUT");
  EXPECT_EQ(document->scopes[0]->Respond(preflight).status, 204);
  Response named = document->scopes[1]->Respond(preflight);
  EXPECT_EQ(named.status, 200);
  EXPECT_NE(Header(named, "X-Fallback"), nullptr);
}

TEST(NginxModelTest, LongMapChainsEndInUnknownValues) {
  std::string text = "map $http_origin $m0 { default $http_origin; }\n";
  for (int i = 1; i < 100; ++i) {
    text += "map $m" + std::to_string(i - 1) + " $m" + std::to_string(i) +
            " { default $m" + std::to_string(i - 1) + "; }\n";
  }
  text +=
      "server {\n  add_header X-Short $m10;\n  add_header X-Long $m99;\n}\n";
  std::unique_ptr<Document> document = LoadText(text);
  Response response =
      document->scopes[0]->Respond(Request::Simple(std::string(kAllowed)));
  ASSERT_NE(Header(response, "X-Short"), nullptr);
  EXPECT_EQ(Header(response, "X-Short")->value, kAllowed);
  ASSERT_NE(Header(response, "X-Long"), nullptr);
  EXPECT_FALSE(Header(response, "X-Long")->value_known);
}

// Scopes the analysis skips are exactly those whose responses, wherever
// a request there may be redirected, carry no CORS header.
TEST(NginxModelTest, OnlyScopesThatCannotSendCorsHeadersAreMarked) {
  std::unique_ptr<Document> document = LoadText(R"~(server {
  listen 80;
  location = /healthz {
    return 200 "ok";
  }
  location /api/ {
    add_header Access-Control-Allow-Origin https://a.example always;
  }
  location /files/ {
    try_files $uri @api;
  }
  location /pages/ {
    error_page 404 /api/missing;
  }
  location /moved/ {
    rewrite ^ /api/ last;
  }
  location /plain/ {
    if ($request_method = OPTIONS) {
      add_header access-control-max-age 60;
      return 204;
    }
  }
  location @api {
    more_set_headers "Access-Control-Allow-Origin: https://a.example";
  }
}
server {
  listen 81;
  error_page 404 /elsewhere;
  location /other/ {
    add_header Cache-Control no-store;
  }
}
)~");
  std::map<std::string, bool> marked;
  for (const auto& scope : document->scopes) {
    marked[scope->name] = scope->may_send_cors_headers;
  }
  EXPECT_EQ(marked, (std::map<std::string, bool>{
                        {"server 80", false},
                        {"server 80, location = /healthz", false},
                        {"server 80, location /api/", true},
                        {"server 80, location /files/", true},
                        {"server 80, location /pages/", true},
                        {"server 80, location /moved/", true},
                        {"server 80, location /plain/", true},
                        {"server 80, location @api", true},
                        {"server 81", false},
                        {"server 81, location /other/", false},
                    }));
  for (const auto& scope : document->scopes) {
    if (scope->may_send_cors_headers) continue;
    for (Request request : {Request::Simple(std::string(kAllowed)),
                            Request::Preflight(std::string(kAllowed), "PUT")}) {
      request.path = scope->sample_path;
      EXPECT_FALSE(HasCorsHeaders(scope->Respond(request))) << scope->name;
    }
  }
}

// Includes, on files in a temporary directory.
class NginxIncludeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("corslint-nginx-model-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

  std::unique_ptr<Document> Load(const std::string& name,
                                 std::vector<std::string> roots = {},
                                 size_t max_bytes = 1 << 20) {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::string text(std::istreambuf_iterator<char>(in), {});
    nginx::LoadOptions options;
    options.allowed_roots = roots.empty()
                                ? std::vector<std::string>{dir_.string()}
                                : std::move(roots);
    options.max_file_bytes = max_bytes;
    return nginx::Load((dir_ / name).string(), text, options);
  }

  // Errors with paths shown relative to the temporary directory.
  std::string RelativeErrors(const Document& document) {
    std::string text = Errors(document);
    std::string prefix = dir_.string() + "/";
    for (size_t at = text.find(prefix); at != std::string::npos;
         at = text.find(prefix, at)) {
      text.erase(at, prefix.size());
    }
    return text;
  }

  fs::path dir_;
};

TEST_F(NginxIncludeTest, GlobsAreReadInSortedOrderAndMayMatchNothing) {
  Write("nginx.conf",
        "events {}\nhttp {\n  server {\n    listen 80;\n"
        "    location / {\n      include snippets/*.conf;\n"
        "      include none/*.conf;\n    }\n  }\n}\n");
  Write("snippets/b.conf", "add_header X-B 2;\n");
  Write("snippets/a.conf", "add_header X-A 1;\n");
  std::unique_ptr<Document> document = Load("nginx.conf");
  EXPECT_EQ(Errors(*document), "");
  EXPECT_EQ(document->files.size(), 3u);
  Response response = document->scopes[0]->Respond(Request{});
  ASSERT_EQ(response.headers.size(), 2u);
  EXPECT_EQ(response.headers[0].name, "X-A");
  EXPECT_EQ(response.headers[1].name, "X-B");
  EXPECT_THAT(response.headers[0].span.file->path(), HasSubstr("a.conf"));
}

TEST_F(NginxIncludeTest, MissingFileIsAnErrorAtTheInclude) {
  Write("nginx.conf",
        "events {}\nhttp {\n  server {\n    listen 80;\n"
        "    include missing.conf;\n  }\n}\n");
  std::unique_ptr<Document> document = Load("nginx.conf");
  EXPECT_EQ(RelativeErrors(*document),
            "5:5: open() \"missing.conf\" failed (No such file or "
            "directory)\n");
  EXPECT_EQ(document->errors[0].where.file, (dir_ / "nginx.conf").string());
}

TEST_F(NginxIncludeTest, CyclesAreReportedWithTheirChain) {
  Write("nginx.conf", "events {}\nhttp {\n  include a.conf;\n}\n");
  Write("a.conf", "include b.conf;\n");
  Write("b.conf", "server {\n  listen 80;\n}\ninclude a.conf;\n");
  std::unique_ptr<Document> document = Load("nginx.conf");
  EXPECT_EQ(RelativeErrors(*document),
            "4:1: include cycle: a.conf -> b.conf -> a.conf\n");
  EXPECT_EQ(document->errors[0].where.file, (dir_ / "b.conf").string());
  EXPECT_EQ(document->scopes.size(), 1u);
}

TEST_F(NginxIncludeTest, FilesOutsideTheAllowedRootsAreNotRead) {
  Write("conf/nginx.conf",
        "events {}\nhttp {\n  server {\n    listen 80;\n    location / {\n"
        "      include ../secret/cors.conf;\n      include /etc/*.conf;\n"
        "    }\n  }\n}\n");
  Write("secret/cors.conf", "add_header Access-Control-Allow-Origin *;\n");
  fs::create_directories(dir_ / "conf/link");
  fs::create_symlink(dir_ / "secret/cors.conf", dir_ / "conf/link/cors.conf");
  Write("conf/site.conf", "server {\n  include link/cors.conf;\n}\n");

  std::unique_ptr<Document> document =
      Load("conf/nginx.conf", {(dir_ / "conf").string()});
  std::string errors = RelativeErrors(*document);
  EXPECT_THAT(errors, HasSubstr("6:7: \"conf/../secret/cors.conf\" is "
                                "outside the checked tree and was not read; "
                                "--include-root allows it"));
  EXPECT_THAT(errors, HasSubstr("7:7: \"/etc/*.conf\" is outside"));
  EXPECT_EQ(document->files.size(), 1u);
  Response response = document->scopes[0]->Respond(Request{});
  EXPECT_TRUE(response.headers.empty());
  ASSERT_FALSE(document->notes.empty());
  EXPECT_THAT(document->notes[0].message,
              HasSubstr("the content of this include is unknown"));

  // A symlink inside the tree that points out of it is refused too.
  std::unique_ptr<Document> site =
      Load("conf/site.conf", {(dir_ / "conf").string()});
  EXPECT_THAT(RelativeErrors(*site), HasSubstr("2:3: \"conf/link/cors.conf\" "
                                               "is outside the checked tree"));

  // Allowed explicitly, the same include is read.
  std::unique_ptr<Document> allowed =
      Load("conf/nginx.conf",
           {(dir_ / "conf").string(), (dir_ / "secret").string()});
  EXPECT_THAT(RelativeErrors(*allowed), Not(HasSubstr("secret")));
  EXPECT_EQ(allowed->scopes[0]->Respond(Request{}).headers.size(), 1u);
}

TEST_F(NginxIncludeTest, UnreadableFilesAreErrorsAtTheInclude) {
  Write("nginx.conf",
        "events {}\nhttp {\n  include dir.conf;\n  include binary.conf;\n"
        "  include big.conf;\n}\n");
  fs::create_directories(dir_ / "dir.conf");
  Write("binary.conf", std::string("server {\0}\n", 11));
  Write("big.conf", std::string(2 << 20, '#'));
  std::unique_ptr<Document> document = Load("nginx.conf");
  EXPECT_EQ(RelativeErrors(*document),
            "3:3: cannot read \"dir.conf\": is a directory\n"
            "4:3: cannot read \"binary.conf\": binary file (contains NUL "
            "bytes)\n"
            "5:3: cannot read \"big.conf\": file is larger than the limit of "
            "1 MiB\n");
}

TEST_F(NginxIncludeTest, RelativePathsResolveAgainstTheConfigurationPrefix) {
  Write("nginx.conf", "events {}\nhttp {\n  include sites/*;\n}\n");
  Write("snippets/cors.conf", "add_header Access-Control-Allow-Origin *;\n");
  Write("sites/default",
        "server {\n  listen 80;\n  include snippets/cors.conf;\n}\n");
  // A site file checked alone still resolves against the directory that
  // holds nginx.conf.
  std::unique_ptr<Document> site = Load("sites/default");
  EXPECT_EQ(Errors(*site), "");
  ASSERT_EQ(site->scopes.size(), 1u);
  EXPECT_EQ(site->scopes[0]->Respond(Request{}).headers.size(), 1u);

  std::unique_ptr<Document> main = Load("nginx.conf");
  EXPECT_EQ(Errors(*main), "");
  EXPECT_EQ(main->files.size(), 3u);
}

TEST_F(NginxIncludeTest, MapsMayIncludeTheirEntries) {
  Write("nginx.conf",
        "events {}\nhttp {\n  map $http_origin $cors {\n"
        "    include origins.map;\n  }\n"
        "  server {\n    listen 80;\n    add_header X-Cors $cors;\n  }\n}\n");
  Write("origins.map", "https://app.a.test $http_origin;\n");
  std::unique_ptr<Document> document = Load("nginx.conf");
  EXPECT_EQ(Errors(*document), "");
  ASSERT_EQ(document->origin_checks.size(), 1u);
  EXPECT_EQ(document->origin_checks[0].pattern, "https://app.a.test");
  Response response =
      document->scopes[0]->Respond(Request::Simple(std::string(kAllowed)));
  ASSERT_NE(Header(response, "X-Cors"), nullptr);
}

TEST_F(NginxIncludeTest, MapWithUnreadableIncludeHasUnknownDefault) {
  Write("nginx.conf",
        "events {}\nhttp {\n  map $http_origin $cors {\n"
        "    default \"\";\n    include /elsewhere/origins.map;\n"
        "    https://app.a.test $http_origin;\n  }\n"
        "  server {\n    listen 80;\n    add_header X-Cors $cors;\n  }\n}\n");
  std::unique_ptr<Document> document = Load("nginx.conf");
  ASSERT_EQ(document->errors.size(), 1u);
  Response allowed =
      document->scopes[0]->Respond(Request::Simple(std::string(kAllowed)));
  ASSERT_NE(Header(allowed, "X-Cors"), nullptr);
  EXPECT_TRUE(Header(allowed, "X-Cors")->value_known);
  Response other =
      document->scopes[0]->Respond(Request::Simple(std::string(kEvil)));
  ASSERT_NE(Header(other, "X-Cors"), nullptr);
  EXPECT_FALSE(Header(other, "X-Cors")->value_known);
}

TEST_F(NginxIncludeTest, DeepIncludeChainsStop) {
  Write("nginx.conf", "events {}\nhttp {\n  include 0.conf;\n}\n");
  for (int i = 0; i < 80; ++i) {
    Write(std::to_string(i) + ".conf",
          "include " + std::to_string(i + 1) + ".conf;\n");
  }
  std::unique_ptr<Document> document = Load("nginx.conf");
  EXPECT_THAT(RelativeErrors(*document),
              HasSubstr("1:1: includes nested deeper than 64 files; "
                        "\"64.conf\" is not read"));
}

TEST_F(NginxIncludeTest, NestingThroughIncludesIsBounded) {
  auto nested = [](int depth, const std::string& inner) {
    std::string text;
    for (int i = 0; i < depth; ++i) text += "location /a {\n";
    text += inner;
    for (int i = 0; i < depth; ++i) text += "}\n";
    return text;
  };
  Write("deep.conf", nested(60, "add_header X 1;\n"));
  Write("nginx.conf",
        "server {\n" + nested(60, "include deep.conf;\n") + "}\n");
  std::unique_ptr<Document> document = Load("nginx.conf");
  EXPECT_THAT(RelativeErrors(*document),
              HasSubstr("blocks nested deeper than 100 levels through "
                        "includes"));
  EXPECT_FALSE(document->scopes.empty());
}

struct LooksCase {
  const char* text;
  bool nginx;
};

TEST(LooksLikeNginxTest, TellsNginxFromOtherText) {
  const LooksCase cases[] = {
      {"server {\n  listen 80;\n}\n", true},
      {"events {}\nhttp {}\n", true},
      {"add_header Access-Control-Allow-Origin *;\n", true},
      {"location /api/ {\n  proxy_pass http://backend;\n}\n", true},
      {"more_set_headers 'X: y';\n", true},
      {"map $http_origin $cors {\n  default \"\";\n}\n", true},
      {"# only a comment\n", false},
      {"", false},
      {"<VirtualHost *:80>\n  Header set X y\n</VirtualHost>\n", false},
      {"Header always set Access-Control-Allow-Origin \"*\"\n", false},
      {"key = value\n[section]\nname = x\n", false},
      {"{\"server\": {\"listen\": 80}}\n", false},
      {"worker_processes 2;\nuser www-data;\n", true},
  };
  for (const LooksCase& looks : cases) {
    EXPECT_EQ(nginx::LooksLikeNginx(looks.text), looks.nginx) << looks.text;
  }
}

}  // namespace
}  // namespace corslint
