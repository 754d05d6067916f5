// What the fixes change in what the servers send: each case runs a golden
// pair of fixtures/fixes on the real nginx or httpd on loopback, the
// broken configuration and then its fixed form, sends the same request to
// both and compares the headers the fix is about. For the unsafe fixes,
// an origin that got through before is refused after, and the origins
// meant to pass still pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/policy.h"
#include "tests/support/apache_server.h"
#include "tests/support/real_nginx.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(CORSLINT_SOURCE_DIR) / "fixtures" / "fixes";
constexpr char kApp[] = "https://app.example.com";
constexpr char kBackend[] = "https://backend.test";
constexpr char kAppHttp[] = "http://app.example.com";
constexpr char kAppended[] = "https://app.example.com.attacker.test";
constexpr char kAttacker[] = "https://attacker.test";

struct Expectation {
  std::string header;               // `:status` stands for the status code
  std::vector<std::string> before;  // values, sorted
  std::vector<std::string> after;
};

struct LiveFix {
  std::string name;
  Format format;
  std::string path;  // the case, below fixtures/fixes
  std::string method;
  std::string uri;
  std::vector<std::pair<std::string, std::string>> headers;  // and Origin
  std::vector<Expectation> expectations;
  std::string origin = kApp;
};

void PrintTo(const LiveFix& live, std::ostream* out) { *out << live.path; }

const std::vector<std::pair<std::string, std::string>> kPreflight = {
    {"Access-Control-Request-Method", "PUT"}};

const std::vector<LiveFix>& Cases() {
  static const std::vector<LiveFix> cases = {
      {"NginxAlwaysReachesTheUpstreamsError",
       Format::kNginx,
       "nginx/cors-headers-missing-on-errors/proxied-api.conf",
       "GET",
       "/api/fail",
       {},
       {{"Access-Control-Allow-Origin", {}, {kApp}}}},
      {"NginxVaryOriginIsSent",
       Format::kNginx,
       "nginx/missing-vary-origin/map-allowlist.conf",
       "GET",
       "/",
       {},
       {{"Vary", {}, {"Origin"}}}},
      {"NginxCredentialsValueIsLowerCase",
       Format::kNginx,
       "nginx/invalid-credentials-value/capitalised.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Credentials", {"True"}, {"true"}}}},
      {"NginxMaxAgeIsCapped",
       Format::kNginx,
       "nginx/max-age-exceeds-browser-limit/one-day.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Max-Age", {"86400"}, {"7200"}}}},
      {"NginxPreflightListsNoStar",
       Format::kNginx,
       "nginx/wildcard-ignored-with-credentials/methods-and-headers.conf",
       "OPTIONS",
       "/",
       kPreflight,
       {{"Access-Control-Allow-Methods",
         {"GET, PUT, DELETE, *"},
         {"GET, PUT, DELETE"}},
        {"Access-Control-Allow-Headers",
         {"*, Content-Type"},
         {"Content-Type"}}}},
      {"NginxUpstreamCopyIsHidden",
       Format::kNginx,
       "nginx/duplicate-cors-header/proxy-without-hide.conf",
       "GET",
       "/api/ok",
       {},
       {{"Access-Control-Allow-Origin", {kApp, kBackend}, {kApp}}}},
      {"NginxInheritedHideListIsKept",
       Format::kNginx,
       "nginx/duplicate-cors-header/inherited-hide-list.conf",
       "GET",
       "/api/ok",
       {},
       {{"Access-Control-Allow-Origin", {kApp, kBackend}, {kApp}},
        {"X-Powered-By", {}, {}},
        {"Server", {"upstream"}, {"upstream"}}}},
      {"NginxDroppedHeadersReachTheLocation",
       Format::kNginx,
       "nginx/inherited-headers-dropped/location-cache-control.conf",
       "GET",
       "/downloads/",
       {},
       {{"Access-Control-Allow-Origin", {}, {kApp}},
        {"Access-Control-Expose-Headers", {}, {"X-Total"}}}},
      {"NginxDroppedHeadersReachThePreflight",
       Format::kNginx,
       "nginx/inherited-headers-dropped/preflight-if.conf",
       "OPTIONS",
       "/",
       kPreflight,
       {{"Access-Control-Allow-Origin", {}, {kApp}},
        {"Access-Control-Allow-Methods", {}, {"GET, PUT"}},
        {"Access-Control-Expose-Headers", {}, {}}}},
      {"ApacheAlwaysTableReachesTheError",
       Format::kApache,
       "apache/cors-headers-missing-on-errors/onsuccess-static.conf",
       "GET",
       "/missing.html",
       {},
       {{"Access-Control-Allow-Origin", {}, {kApp}},
        {"Access-Control-Allow-Credentials", {}, {"true"}}}},
      {"ApacheBackendCopyIsUnset",
       Format::kApache,
       "apache/duplicate-cors-header/proxy-always.conf",
       "GET",
       "/api/ok.txt",
       {},
       {{"Access-Control-Allow-Origin", {kApp, kBackend}, {kApp}}}},
      {"ApacheVaryOriginIsSent",
       Format::kApache,
       "apache/missing-vary-origin/allowlist-without-vary.conf",
       "GET",
       "/index.html",
       {},
       {{"Vary", {}, {"Origin"}}}},
      {"ApacheCredentialsValueIsLowerCase",
       Format::kApache,
       "apache/invalid-credentials-value/capitalised.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Credentials", {"True"}, {"true"}}}},
      {"ApacheMaxAgeIsCapped",
       Format::kApache,
       "apache/max-age-exceeds-browser-limit/one-day.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Max-Age", {"86400"}, {"7200"}}}},
      {"ApacheListsNoStar",
       Format::kApache,
       "apache/wildcard-ignored-with-credentials/methods-star.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Methods",
         {"GET, POST, PUT, *"},
         {"GET, POST, PUT"}},
        {"Access-Control-Expose-Headers", {"*,X-Total"}, {"X-Total"}}}},
      // Unsafe fixes: an origin that got through before is refused after,
      // and the origins meant to pass still do.
      {"NginxAnchoredKeyRefusesAnAppendedDomain",
       Format::kNginx,
       "nginx/permissive-origin-pattern/unanchored-map-key.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Origin", {kAppended}, {}}},
       kAppended},
      {"NginxAnchoredKeyStillAdmitsTheApp",
       Format::kNginx,
       "nginx/permissive-origin-pattern/unanchored-map-key.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Origin", {kApp}, {kApp}}}},
      {"NginxAnchoredIfRefusesHttp",
       Format::kNginx,
       "nginx/permissive-origin-pattern/if-subdomains.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Origin", {"http://api.example.com"}, {}}},
       "http://api.example.com"},
      {"NginxAnchoredIfStillAdmitsSubdomains",
       Format::kNginx,
       "nginx/permissive-origin-pattern/if-subdomains.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Origin",
         {"https://a.b.example.com"},
         {"https://a.b.example.com"}}},
       "https://a.b.example.com"},
      {"NginxNullLeavesTheMap",
       Format::kNginx,
       "nginx/null-origin-allowed/map-entry.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Origin", {"null"}, {}}},
       "null"},
      {"NginxHttpLeavesThePattern",
       Format::kNginx,
       "nginx/insecure-origin-allowed/optional-https.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Origin", {kAppHttp}, {}}},
       kAppHttp},
      {"NginxReflectionBecomesTheTrustedList",
       Format::kNginx,
       "nginx/reflected-origin/site.conf",
       "GET",
       "/api/",
       {},
       {{"Access-Control-Allow-Origin", {kAttacker}, {}}},
       kAttacker},
      {"NginxTrustedListAdmitsATrustedSubdomain",
       Format::kNginx,
       "nginx/reflected-origin/site.conf",
       "GET",
       "/api/",
       {},
       {{"Access-Control-Allow-Origin",
         {"https://docs.example.org"},
         {"https://docs.example.org"}},
        {"Vary", {"Origin"}, {"Origin"}}},
       "https://docs.example.org"},
      {"NginxUntrustedMapEntryIsRefused",
       Format::kNginx,
       "nginx/untrusted-origin-allowed/staging-in-map.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Origin", {"https://staging.example.net"}, {}}},
       "https://staging.example.net"},
      {"NginxStarBecomesTheTrustedList",
       Format::kNginx,
       "nginx/untrusted-origin-allowed/wildcard.conf",
       "GET",
       "/",
       {},
       {{"Access-Control-Allow-Origin", {"*"}, {}}},
       kAttacker},
      {"NginxPreflightIsAnswered",
       Format::kNginx,
       "nginx/preflight-not-handled/static-put.conf",
       "OPTIONS",
       "/",
       {{"Access-Control-Request-Method", "PUT"},
        {"Access-Control-Request-Headers", "x-token"}},
       {{":status", {"405"}, {"204"}},
        {"Access-Control-Allow-Methods",
         {"GET, PUT, DELETE"},
         {"GET, PUT, DELETE"}}}},
      {"ApacheAnchoredPatternRefusesAnAppendedDomain",
       Format::kApache,
       "apache/permissive-origin-pattern/literal-substring.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Origin", {kAppended}, {}}},
       kAppended},
      {"ApacheNullLeavesThePattern",
       Format::kApache,
       "apache/null-origin-allowed/null-in-allowlist.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Origin", {"null"}, {}}},
       "null"},
      {"ApacheHttpLeavesThePattern",
       Format::kApache,
       "apache/insecure-origin-allowed/optional-https.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Origin", {kAppHttp}, {}}},
       kAppHttp},
      {"ApachePatternStillAdmitsTheApp",
       Format::kApache,
       "apache/insecure-origin-allowed/optional-https.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Origin", {kApp}, {kApp}}}},
      {"ApacheReflectionBecomesTheTrustedList",
       Format::kApache,
       "apache/reflected-origin/expr-echo.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Origin", {kAttacker}, {}}},
       kAttacker},
      {"ApacheTrustedListAdmitsTheApp",
       Format::kApache,
       "apache/reflected-origin/expr-echo.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Origin", {kApp}, {kApp}},
        {"Vary", {}, {"Origin"}}}},
      {"ApacheUntrustedPartnerIsRefused",
       Format::kApache,
       "apache/untrusted-origin-allowed/partner-not-trusted.conf",
       "GET",
       "/index.html",
       {},
       {{"Access-Control-Allow-Origin", {"https://partner.test"}, {}}},
       "https://partner.test"},
  };
  return cases;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Replace(std::string text, const std::string& from,
                    const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

fs::path FixedOf(const fs::path& path) {
  return path.parent_path() /
         (path.stem().string() + ".fixed" + path.extension().string());
}

// The upstream of the nginx cases: its own ACAO, X-Powered-By and Server
// on every answer, and a 500 under /api/fail.
constexpr char kNginxUpstream[] = R"(
server {
    listen 127.0.0.1:@PORT2@;
    location / {
        add_header Access-Control-Allow-Origin "https://backend.test" always;
        add_header X-Powered-By "backend" always;
        add_header Server "upstream" always;
        return 200 "backend\n";
    }
    location /api/fail {
        return 500;
    }
}
)";

// The case's site on the test's ports, with the upstream beside it. nginx
// sends its own Server header, so the upstream's `Server: upstream` is
// passed only where `proxy_pass_header Server` lets it through.
std::string NginxSite(const std::string& text) {
  std::string site = Replace(text, "listen 80;", "listen 127.0.0.1:@PORT@;");
  site = Replace(site, "http://127.0.0.1:8080", "http://127.0.0.1:@PORT2@");
  return site + kNginxUpstream;
}

std::vector<std::string> Sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

// The values of each expected header in the answer to the case's request.
std::vector<std::vector<std::string>> AskNginx(const LiveFix& live,
                                               const std::string& text) {
  NginxServer server;
  std::string error;
  if (!server.Start(NginxSite(text), &error)) {
    ADD_FAILURE() << live.path << ": " << error;
    return {};
  }
  std::vector<std::pair<std::string, std::string>> headers = live.headers;
  headers.emplace_back("Origin", live.origin);
  HttpResponse response = server.Fetch(live.method, live.uri, headers);
  EXPECT_TRUE(response.error.empty()) << response.error;
  std::vector<std::vector<std::string>> values;
  for (const Expectation& expectation : live.expectations) {
    if (expectation.header == ":status") {
      values.push_back({std::to_string(response.status)});
      continue;
    }
    std::vector<std::string> sent = response.HeaderValues(expectation.header);
    // nginx names itself; only another value can be the upstream's.
    if (expectation.header == "Server") {
      sent.erase(std::remove_if(sent.begin(), sent.end(),
                                [](const std::string& value) {
                                  return value.starts_with("nginx");
                                }),
                 sent.end());
    }
    values.push_back(Sorted(sent));
  }
  return values;
}

std::vector<std::vector<std::string>> AskApache(const LiveFix& live,
                                                const std::string& text) {
  testing::TempDir dir;
  dir.Write("htdocs/index.html", "<p>index</p>\n");
  dir.Write("backend/ok.txt", "ok\n");
  int port = testing::FreeLoopbackPort();
  int backend = testing::FreeLoopbackPort();

  std::string fragment =
      Replace(text, "<VirtualHost *:80>",
              "<VirtualHost 127.0.0.1:" + std::to_string(port) + ">");
  fragment = Replace(fragment, "/var/www/html", dir.path() + "/htdocs");
  fragment = Replace(fragment, "http://127.0.0.1:8080/",
                     "http://127.0.0.1:" + std::to_string(backend) + "/");
  std::string front = dir.Write("front.conf", fragment);
  std::string conf = dir.Write(
      "httpd.conf",
      testing::ApacheGlobalConfig(dir.path(), {port, backend},
                                  testing::DefaultApacheModules()) +
          "<Directory \"" + dir.path() +
          "\">\n  Require all granted\n</Directory>\n" + "Include \"" + front +
          "\"\n<VirtualHost 127.0.0.1:" + std::to_string(backend) +
          ">\n  DocumentRoot \"" + dir.path() +
          "/backend\"\n  Header always set Access-Control-Allow-Origin \"" +
          kBackend + "\"\n</VirtualHost>\n");

  testing::ApacheServer server;
  std::string error;
  if (!server.Start(conf, port, dir.path() + "/error.log", &error)) {
    ADD_FAILURE() << live.path << ": " << error;
    return {};
  }
  Request request;
  request.method = live.method;
  request.path = live.uri;
  request.origin = live.origin;
  request.headers = live.headers;
  testing::HttpResponse response;
  EXPECT_TRUE(testing::SendRequest(port, request, &response, &error)) << error;
  std::vector<std::vector<std::string>> values;
  for (const Expectation& expectation : live.expectations) {
    if (expectation.header == ":status") {
      values.push_back({std::to_string(response.status)});
      continue;
    }
    std::vector<std::string> sent;
    for (const auto& [name, value] : response.headers) {
      if (EqualsIgnoreCase(name, expectation.header)) sent.push_back(value);
    }
    values.push_back(Sorted(sent));
  }
  return values;
}

class FixLiveTest : public ::testing::TestWithParam<LiveFix> {};

TEST_P(FixLiveTest, TheFixChangesWhatTheServerSends) {
  const LiveFix& live = GetParam();
  fs::path broken = kCases / live.path;
  std::string before_text = ReadAll(broken);
  std::string after_text = ReadAll(FixedOf(broken));
  ASSERT_FALSE(before_text.empty()) << broken;
  ASSERT_FALSE(after_text.empty()) << FixedOf(broken);

  auto ask = live.format == Format::kNginx ? AskNginx : AskApache;
  std::vector<std::vector<std::string>> before = ask(live, before_text);
  std::vector<std::vector<std::string>> after = ask(live, after_text);
  ASSERT_EQ(before.size(), live.expectations.size());
  ASSERT_EQ(after.size(), live.expectations.size());
  for (size_t i = 0; i < live.expectations.size(); ++i) {
    const Expectation& expectation = live.expectations[i];
    EXPECT_EQ(before[i], Sorted(expectation.before))
        << "before the fix, " << expectation.header;
    EXPECT_EQ(after[i], Sorted(expectation.after))
        << "after the fix, " << expectation.header;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixes, FixLiveTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<LiveFix>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace corslint
