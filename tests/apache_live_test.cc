// Starts the real httpd on loopback with configurations that exercise the
// Header tables, SetEnvIf allowlists, <If>, the rewrite preflight idiom and
// a proxied backend, and compares what it sends with what the model's
// Scope::Respond predicts for the same requests: the status and every CORS
// header (Access-Control-* and Vary) with its value, count and order.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/apache_model.h"
#include "tests/support/apache_server.h"

namespace corslint {
namespace {

using testing::ApacheServer;
using testing::HttpResponse;
using testing::TempDir;

// A request, the scope that answers it (the end of its name) and the
// status the handler or backend answers with, as the model needs it.
struct Probe {
  std::string scope;
  std::string method;
  std::string path;
  std::string origin;  // empty: no Origin header
  std::vector<std::pair<std::string, std::string>> headers;
  int handler_status = 200;
};

struct LiveCase {
  std::string name;
  std::string fragment;  // @ROOT@, @PORT@ and @BACKEND@ are replaced
  std::vector<Probe> probes;
};

std::vector<std::pair<std::string, std::string>> Preflight(
    const std::string& method, const std::string& headers = "") {
  std::vector<std::pair<std::string, std::string>> list = {
      {"Access-Control-Request-Method", method}};
  if (!headers.empty()) {
    list.emplace_back("Access-Control-Request-Headers", headers);
  }
  return list;
}

const std::vector<LiveCase>& Cases() {
  static const std::vector<LiveCase> cases = {
      {"OnsuccessAndAlwaysTables",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  Header set Access-Control-Allow-Origin "https://app.example.com"
  Header always set Access-Control-Allow-Credentials "true"
  Header always set Access-Control-Expose-Headers "X-Total"
</VirtualHost>
)",
       {
           {"", "GET", "/index.html", "https://app.example.com", {}, 200},
           {"", "POST", "/index.html", "https://app.example.com", {}, 200},
           {"", "GET", "/missing.html", "https://app.example.com", {}, 404},
           {"", "OPTIONS", "/index.html", "https://app.example.com",
            Preflight("PUT", "x-token"), 200},
           {"", "OPTIONS", "/missing.html", "https://app.example.com",
            Preflight("GET"), 200},
           {"", "PUT", "/index.html", "https://app.example.com", {}, 200},
           {"", "DELETE", "/index.html", "", {}, 200},
           {"", "GET", "/sub", "https://app.example.com", {}, 301},
       }},
      {"ProxiedBackendKeepsOnsuccessHeaders",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  Header set Access-Control-Allow-Origin "https://app.example.com"
  Header always set Access-Control-Allow-Methods "GET, POST"
  ProxyPass /api/ http://127.0.0.1:@BACKEND@/
</VirtualHost>
)",
       {
           {", ProxyPass /api/",
            "GET",
            "/api/ok.txt",
            "https://app.example.com",
            {},
            200},
           {", ProxyPass /api/",
            "GET",
            "/api/s500",
            "https://app.example.com",
            {},
            500},
           {", ProxyPass /api/",
            "GET",
            "/api/missing.txt",
            "https://app.example.com",
            {},
            404},
           {", ProxyPass /api/", "OPTIONS", "/api/ok.txt",
            "https://app.example.com", Preflight("POST"), 200},
           {", ProxyPass /api/",
            "GET",
            "/api/cors/ok.txt",
            "https://app.example.com",
            {},
            200},
           {"", "GET", "/missing.html", "https://app.example.com", {}, 404},
       }},
      {"BothTablesAndBackendDuplicate",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  Header set Access-Control-Allow-Origin "https://a.example.com"
  Header always set Access-Control-Allow-Origin "https://a.example.com"
  <Location /api/>
    ProxyPass http://127.0.0.1:@BACKEND@/cors/
  </Location>
  <Location /raw/>
    ProxyPass http://127.0.0.1:@BACKEND@/cors/
    Header always set Access-Control-Allow-Credentials "true"
  </Location>
</VirtualHost>
)",
       {
           {"", "GET", "/index.html", "https://a.example.com", {}, 200},
           {"", "GET", "/missing.html", "https://a.example.com", {}, 404},
           {", <Location /api/>",
            "GET",
            "/api/ok.txt",
            "https://a.example.com",
            {},
            200},
           {", <Location /raw/>",
            "GET",
            "/raw/ok.txt",
            "https://a.example.com",
            {},
            200},
       }},
      {"SetEnvIfAllowlist",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  SetEnvIf Origin "^https://(app|admin)\.example\.com$" CORS_ORIGIN=$0
  Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
  Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN
  Header always merge Vary "Origin"
</VirtualHost>
)",
       {
           {"", "GET", "/index.html", "https://app.example.com", {}, 200},
           {"", "GET", "/index.html", "https://admin.example.com", {}, 200},
           {"", "GET", "/index.html", "https://evil.test", {}, 200},
           {"",
            "GET",
            "/index.html",
            "https://app.example.com.evil.test",
            {},
            200},
           {"", "GET", "/index.html", "https://APP.example.com", {}, 200},
           {"", "GET", "/index.html", "", {}, 200},
           {"", "GET", "/missing.html", "https://app.example.com", {}, 404},
       }},
      {"SetEnvIfLiteralAndNull",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  SetEnvIfNoCase Origin "Example\.com" LITERAL_OK=$0
  SetEnvIf Origin "^(https://.+)$" REFLECTED=$1
  Header always set Access-Control-Allow-Origin "%{LITERAL_OK}e"
  Header always set Access-Control-Expose-Headers "%{REFLECTED}e" env=REFLECTED
</VirtualHost>
)",
       {
           {"",
            "GET",
            "/index.html",
            "https://evil-example.com.attacker.net",
            {},
            200},
           {"", "GET", "/index.html", "https://EXAMPLE.COM", {}, 200},
           {"", "GET", "/index.html", "https://other.test", {}, 200},
           {"", "GET", "/index.html", "", {}, 200},
           {"", "GET", "/index.html", "http://example.com", {}, 200},
       }},
      {"IfElseIfElse",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  <If "%{HTTP:Origin} =~ m#^https://(www\.)?example\.com$#i">
    Header always set Access-Control-Allow-Origin "expr=%{req:Origin}"
    Header always set Access-Control-Allow-Credentials "true"
  </If>
  <ElseIf "%{HTTP:Origin} == 'https://partner.test'">
    Header always set Access-Control-Allow-Origin "https://partner.test"
  </ElseIf>
  <Else>
    Header always set Access-Control-Allow-Origin "*"
  </Else>
  Header set Access-Control-Expose-Headers "X-Id"
</VirtualHost>
)",
       {
           {"", "GET", "/index.html", "https://example.com", {}, 200},
           {"", "GET", "/index.html", "https://WWW.EXAMPLE.COM", {}, 200},
           {"", "GET", "/index.html", "https://partner.test", {}, 200},
           {"", "GET", "/index.html", "https://evil.test", {}, 200},
           {"", "GET", "/index.html", "", {}, 200},
           {"", "GET", "/missing.html", "https://example.com", {}, 404},
           {"", "OPTIONS", "/index.html", "https://example.com",
            Preflight("DELETE"), 200},
       }},
      {"RewritePreflightAtServerLevel",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  RewriteEngine On
  RewriteCond %{REQUEST_METHOD} OPTIONS
  RewriteRule ^(.*)$ $1 [R=204,L]
  Header always set Access-Control-Allow-Origin "https://app.example.com"
  Header always set Access-Control-Allow-Methods "GET, PUT, DELETE"
  Header set Access-Control-Max-Age "600"
</VirtualHost>
)",
       {
           {"", "OPTIONS", "/index.html", "https://app.example.com",
            Preflight("PUT", "content-type"), 200},
           {"", "OPTIONS", "/index.html", "", {}, 200},
           {"", "GET", "/index.html", "https://app.example.com", {}, 200},
           {"", "PUT", "/index.html", "https://app.example.com", {}, 200},
       }},
      {"RewritePreflightInDirectory",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  <If "%{HTTP:Origin} =~ /example/">
    Header always set Access-Control-Allow-Credentials "true"
  </If>
  <Directory "@ROOT@/htdocs/api">
    RewriteEngine On
    RewriteCond %{REQUEST_METHOD} OPTIONS
    RewriteRule ^ - [R=200]
    Header always set Access-Control-Allow-Origin "https://app.example.com"
    Header set Access-Control-Allow-Methods "GET"
  </Directory>
</VirtualHost>
)",
       {
           {", <Directory @ROOT@/htdocs/api>", "OPTIONS", "/api/data.json",
            "https://app.example.com", Preflight("GET", "x-a"), 200},
           {", <Directory @ROOT@/htdocs/api>",
            "GET",
            "/api/data.json",
            "https://app.example.com",
            {},
            200},
           {", <Directory @ROOT@/htdocs/api>",
            "GET",
            "/api/data.json",
            "https://other.test",
            {},
            200},
           {"", "GET", "/index.html", "https://app.example.com", {}, 200},
       }},
      {"NestedContainersMerge",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  Header always set Access-Control-Allow-Origin "https://app.example.com"
  <Location /v2>
    Header always set Access-Control-Allow-Methods "GET"
  </Location>
  <Directory "@ROOT@/htdocs/v2">
    Header always set Access-Control-Allow-Origin "https://v2.example.com"
    Header set Access-Control-Max-Age "60"
  </Directory>
</VirtualHost>
)",
       {
           {", <Location /v2>",
            "GET",
            "/v2/data.json",
            "https://app.example.com",
            {},
            200},
           {", <Directory @ROOT@/htdocs/v2>",
            "GET",
            "/v2/data.json",
            "https://app.example.com",
            {},
            200},
           {", <Directory @ROOT@/htdocs/v2>",
            "GET",
            "/v2/missing.json",
            "https://app.example.com",
            {},
            404},
           {"", "GET", "/index.html", "https://app.example.com", {}, 200},
       }},
      {"StrmatchAndNegatedRegex",
       R"conf(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  <If "%{HTTP:Origin} -strmatch 'https://*.example.com'">
    Header always set Access-Control-Allow-Origin "expr=%{HTTP:Origin}"
  </If>
  <If "!(%{HTTP:Origin} !~ m#^https://app\.example\.com$#)">
    Header always set Access-Control-Allow-Credentials "true"
  </If>
</VirtualHost>
)conf",
       {
           {"", "GET", "/index.html", "https://app.example.com", {}, 200},
           {"", "GET", "/index.html", "https://docs.example.com", {}, 200},
           {"", "GET", "/index.html", "https://example.com", {}, 200},
           {"", "GET", "/missing.html", "https://app.example.com", {}, 404},
       }},
      {"ActionsAndExpressionConditions",
       R"(<VirtualHost 127.0.0.1:@PORT@>
  DocumentRoot "@ROOT@/htdocs"
  Header always set Access-Control-Allow-Origin "https://app.example.com" "expr=%{req:Origin} == 'https://app.example.com'"
  Header always append Access-Control-Allow-Headers "X-A"
  Header always append Access-Control-Allow-Headers "X-B"
  Header always merge Vary "Origin"
  Header always merge Vary "Origin"
  Header always add Access-Control-Expose-Headers "X-1"
  Header always add Access-Control-Expose-Headers "X-2"
  Header always set Access-Control-Max-Age "100"
  Header always unset Access-Control-Max-Age
  Header always setifempty Access-Control-Allow-Credentials "true"
  Header always setifempty Access-Control-Allow-Credentials "false"
  Header set Access-Control-Expose-Headers "expr=%{req:Origin}"
</VirtualHost>
)",
       {
           {"", "GET", "/index.html", "https://app.example.com", {}, 200},
           {"", "GET", "/index.html", "https://other.test", {}, 200},
           {"", "GET", "/index.html", "", {}, 200},
           {"", "GET", "/missing.html", "https://app.example.com", {}, 404},
       }},
  };
  return cases;
}

// The backend that the proxying cases forward to: static files, a 500 that
// it generates itself, and a directory where it adds its own ACAO.
constexpr char kBackendValue[] = "https://backend.test";

std::string Backend(const std::string& root, int port) {
  return "<VirtualHost 127.0.0.1:" + std::to_string(port) +
         ">\n"
         "  DocumentRoot \"" +
         root +
         "/backend\"\n"
         "  RewriteEngine On\n"
         "  RewriteRule ^/s500$ - [R=500]\n"
         "  <Location /cors/>\n"
         "    Header always set Access-Control-Allow-Origin \"" +
         kBackendValue +
         "\"\n"
         "  </Location>\n"
         "</VirtualHost>\n";
}

std::string Replace(std::string text, const std::string& from,
                    const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

bool IsCorsName(const std::string& name) {
  std::string lower = ToLower(name);
  return lower.starts_with("access-control-") || lower == "vary";
}

std::string Render(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string text;
  for (const auto& [name, value] : headers) {
    text += ToLower(name) + ": " + value + "\n";
  }
  return text;
}

void PrintTo(const LiveCase& live, std::ostream* out) { *out << live.name; }

class ApacheLiveTest : public ::testing::TestWithParam<LiveCase> {};

TEST_P(ApacheLiveTest, ModelAnswersLikeHttpd) {
  ASSERT_FALSE(testing::ApacheBinary().empty()) << "httpd is not installed";
  ASSERT_FALSE(testing::ApacheModuleDir().empty());
  const LiveCase& live = GetParam();

  TempDir dir;
  dir.Write("htdocs/index.html", "<p>index</p>\n");
  dir.Write("htdocs/data.json", "{}\n");
  dir.Write("htdocs/sub/keep.txt", "x\n");
  dir.Write("htdocs/api/data.json", "{}\n");
  dir.Write("htdocs/v2/data.json", "{}\n");
  dir.Write("backend/ok.txt", "ok\n");
  dir.Write("backend/cors/ok.txt", "ok\n");

  int port = testing::FreeLoopbackPort();
  int backend = testing::FreeLoopbackPort();
  ASSERT_NE(port, 0);
  ASSERT_NE(backend, 0);
  std::string fragment = Replace(live.fragment, "@ROOT@", dir.path());
  fragment = Replace(fragment, "@PORT@", std::to_string(port));
  fragment = Replace(fragment, "@BACKEND@", std::to_string(backend));
  std::string front = dir.Write("front.conf", fragment);
  std::string conf = dir.Write(
      "httpd.conf",
      testing::ApacheGlobalConfig(dir.path(), {port, backend},
                                  testing::DefaultApacheModules()) +
          "<Directory \"" + dir.path() +
          "\">\n  Require all granted\n</Directory>\n" + "Include \"" + front +
          "\"\n" + Backend(dir.path(), backend));

  // The model reads the fragment only, as corslint would.
  std::unique_ptr<Document> document =
      apache::Load(front, fragment, apache::LoadOptions{});
  ASSERT_TRUE(document->errors.empty()) << document->errors[0].message;

  ApacheServer server;
  std::string error;
  ASSERT_TRUE(server.Start(conf, port, dir.path() + "/error.log", &error))
      << error;
  // The backend listens in the same process; wait for it too.
  HttpResponse warmup;
  Request ping;
  ping.path = "/ok.txt";
  ASSERT_TRUE(testing::SendRequest(backend, ping, &warmup, &error)) << error;

  for (const Probe& probe : live.probes) {
    Request request;
    request.method = probe.method;
    request.path = probe.path;
    if (!probe.origin.empty()) request.origin = probe.origin;
    request.headers = probe.headers;
    request.handler_status = probe.handler_status;
    std::string described =
        probe.method + " " + probe.path + " origin=" + probe.origin;

    // The scope named `<server>` + the probe's suffix.
    std::string suffix = Replace(probe.scope, "@ROOT@", dir.path());
    const Scope* scope = nullptr;
    for (const auto& candidate : document->scopes) {
      if (candidate->name.ends_with(suffix) &&
          (suffix.empty() ? candidate->name.find(", ") == std::string::npos
                          : true)) {
        scope = candidate.get();
      }
    }
    ASSERT_NE(scope, nullptr) << "no scope ending in \"" << suffix << "\"";
    Response predicted = scope->Respond(request);

    HttpResponse actual;
    ASSERT_TRUE(testing::SendRequest(port, request, &actual, &error))
        << described << ": " << error;
    EXPECT_EQ(actual.status, predicted.status) << described;

    // Headers the backend sends on its own must be ones the model says an
    // upstream may add; the rest must match the model exactly.
    std::vector<std::pair<std::string, std::string>> sent, expected;
    for (const auto& [name, value] : actual.headers) {
      if (!IsCorsName(name)) continue;
      if (value == kBackendValue) {
        EXPECT_TRUE(predicted.UpstreamMaySend(name))
            << described << ": upstream " << name << " not expected";
        continue;
      }
      sent.emplace_back(name, value);
    }
    for (const ResponseHeader& header : predicted.headers) {
      if (!IsCorsName(header.name)) continue;
      EXPECT_TRUE(header.value_known) << described << ": " << header.name;
      expected.emplace_back(header.name, header.value);
    }
    EXPECT_EQ(Render(sent), Render(expected)) << described;
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, ApacheLiveTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<LiveCase>& info) {
                           return info.param.name;
                         });

TEST(ApacheLiveCoverageTest, ComparesEnoughRequests) {
  size_t probes = 0;
  for (const LiveCase& live : Cases()) probes += live.probes.size();
  EXPECT_GE(Cases().size(), 8u);
  EXPECT_GE(probes, 40u);
}

}  // namespace
}  // namespace corslint
