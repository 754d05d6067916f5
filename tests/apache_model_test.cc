// The Apache model: tables of configurations with the canonical dump of
// their answers to fixed probes, includes, .htaccess files, bad input, and
// telling Apache configurations from nginx ones.

#include "parsers/apache_model.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "analyzer/check.h"
#include "parsers/nginx_model.h"
#include "tests/support/apache_server.h"

namespace corslint::apache {
namespace {

namespace fs = std::filesystem;
using corslint::testing::TempDir;

std::vector<Request> Probes() {
  Request error = Request::Simple("https://app.example.com");
  error.handler_status = 500;
  return {
      Request::Simple("https://app.example.com"),
      Request::Simple("https://evil.test"),
      Request::Preflight("https://app.example.com", "PUT", {"content-type"}),
      error, Request()};
}

std::string Dump(const Document& document) {
  return DumpDocument(document, Probes());
}

std::string Errors(const Document& document) {
  std::string text;
  for (const InputError& error : document.errors) {
    text += fs::path(error.where.file).filename().string() + ":" +
            std::to_string(error.where.line) + ":" +
            std::to_string(error.where.column) + ": " + error.message + "\n";
  }
  return text;
}

struct ModelCase {
  const char* name;
  const char* config;
  const char* dump;
};

// Each answer follows httpd 2.4 as apache_live_test compares it: the
// onsuccess table is lost on responses httpd generates (the 500 of a
// static file, [R=200]), kept on an upstream's; `always` is on all.
const ModelCase kCases[] = {
    {"ServerLevelTables",
     R"(Header set Access-Control-Allow-Origin "https://app.example.com"
Header always set Access-Control-Allow-Credentials "true"
)",
     R"(scope main server
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://evil.test -> 200 static
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Origin: https://app.example.com
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 static
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Allow-Credentials: true
  GET / -> 200 static
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Origin: https://app.example.com
check fixed https://app.example.com
)"},
    {"SetEnvIfChecksAndNull",
     R"(<VirtualHost *:443>
    SetEnvIfNoCase Origin "^https://(app|admin)\.example\.com$" CORS=$0
    SetEnvIf Origin "example\.com" LITERAL=$0
    SetEnvIf Origin "^https://unused\.test$" NOBODY_READS
    Header always set Access-Control-Allow-Origin "%{CORS}e" env=CORS
    Header always set Access-Control-Expose-Headers "%{LITERAL}e"
    Header always set Access-Control-Max-Age "%{NEVER_SET}e"
</VirtualHost>
)",
     R"(scope virtualhost *:443
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Expose-Headers: $0
    Access-Control-Max-Age: (null)
  GET / origin=https://evil.test -> 200 static
    Access-Control-Expose-Headers: (null)
    Access-Control-Max-Age: (null)
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Expose-Headers: $0
    Access-Control-Max-Age: (null)
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Expose-Headers: $0
    Access-Control-Max-Age: (null)
  GET / -> 200 static
    Access-Control-Expose-Headers: (null)
    Access-Control-Max-Age: (null)
check regex ^https://(app|admin)\.example\.com$ (i)
check substring example.com
check regex ^https://unused\.test$ (unused)
)"},
    {"IfElseIfElseChain",
     R"(<If "%{HTTP:Origin} -in {'https://app.example.com', 'https://b.test'} || %{HTTP:Origin} == 'https://c.test'">
    Header always set Access-Control-Allow-Origin "expr=%{req:Origin}"
</If>
<ElseIf "%{HTTP:Origin} =~ m#^https://[a-z]+\.evil\.test$#i">
    Header always set Access-Control-Allow-Origin "null"
</ElseIf>
<Else>
    Header always set Access-Control-Allow-Origin "*"
</Else>
)",
     R"(scope main server
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET / origin=https://evil.test -> 200 static
    Access-Control-Allow-Origin: *
    Vary: Origin
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Allow-Origin: https://app.example.com
  GET / -> 200 static
    Access-Control-Allow-Origin: *
    Vary: Origin
check exact https://app.example.com
check exact https://b.test
check exact https://c.test
check regex ^https://[a-z]+\.evil\.test$ (i)
check fixed null
)"},
    {"RewritePreflightKeepsAlwaysOnly",
     R"(Header always set Access-Control-Allow-Origin "https://app.example.com"
Header set Access-Control-Allow-Methods "GET, PUT"
RewriteEngine On
RewriteCond %{REQUEST_METHOD} OPTIONS
RewriteRule ^(.*)$ $1 [R=200,L]
)",
     R"(scope main server
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Methods: GET, PUT
  GET / origin=https://evil.test -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Methods: GET, PUT
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 config
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Allow-Origin: https://app.example.com
  GET / -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Methods: GET, PUT
check fixed https://app.example.com
)"},
    {"ProxiedLocations",
     R"(<VirtualHost *:80>
    ServerName api.example.com
    Header set Access-Control-Allow-Origin "https://app.example.com"
    Header always add Access-Control-Expose-Headers "X-Id"
    ProxyPass /api/ http://127.0.0.1:8080/
    <Location /raw/>
        ProxyPass http://127.0.0.1:8081/
        Header onsuccess unset Access-Control-Allow-Origin
        Header always setifempty Access-Control-Allow-Credentials "true"
        Header append Access-Control-Allow-Headers "X-A"
    </Location>
</VirtualHost>
)",
     R"(scope virtualhost *:80 (api.example.com)
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://evil.test -> 200 static
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 static
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Expose-Headers: X-Id
  GET / -> 200 static
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
scope virtualhost *:80 (api.example.com), ProxyPass /api/
  GET / origin=https://app.example.com -> 200 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://evil.test -> 200 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://app.example.com handler=500 -> 500 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
  GET / -> 200 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Origin: https://app.example.com
scope virtualhost *:80 (api.example.com), <Location /raw/>
  GET / origin=https://app.example.com -> 200 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Headers: <unknown>
  GET / origin=https://evil.test -> 200 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Headers: <unknown>
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Headers: <unknown>
  GET / origin=https://app.example.com handler=500 -> 500 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Headers: <unknown>
  GET / -> 200 upstream
    Access-Control-Expose-Headers: X-Id
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Headers: <unknown>
check fixed https://app.example.com
)"},
    {"ContainersMergeInHttpdOrder",
     R"(<VirtualHost *:80>
    DocumentRoot /srv/www
    Header always set Access-Control-Allow-Origin "https://app.example.com"
    <Location /v2>
        Header always set Access-Control-Allow-Methods "GET"
    </Location>
    <Directory /srv/www/v2>
        Header always set Access-Control-Allow-Origin "https://v2.example.com"
    </Directory>
    <Files "*.json">
        Header always set Access-Control-Max-Age "600"
    </Files>
    <Directory /srv/other>
        Require all denied
    </Directory>
</VirtualHost>
)",
     R"(scope virtualhost *:80
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://evil.test -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Allow-Origin: https://app.example.com
  GET / -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
scope virtualhost *:80, <Location /v2>
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
  GET / origin=https://evil.test -> 200 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
  GET / -> 200 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
scope virtualhost *:80, <Directory /srv/www/v2>
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
  GET / origin=https://evil.test -> 200 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
  GET / -> 200 static
    Access-Control-Allow-Origin: https://v2.example.com
    Access-Control-Allow-Methods: GET
scope virtualhost *:80, <Files *.json>
  GET / origin=https://app.example.com -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Max-Age: 600
  GET / origin=https://evil.test -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Max-Age: 600
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Max-Age: 600
  GET / origin=https://app.example.com handler=500 -> 500 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Max-Age: 600
  GET / -> 200 static
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Max-Age: 600
scope virtualhost *:80, <Directory /srv/other>
  GET / origin=https://app.example.com -> 403 config
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://evil.test -> 403 config
    Access-Control-Allow-Origin: https://app.example.com
  OPTIONS / origin=https://app.example.com access-control-request-method=PUT access-control-request-headers=content-type -> 403 config
    Access-Control-Allow-Origin: https://app.example.com
  GET / origin=https://app.example.com handler=500 -> 403 config
    Access-Control-Allow-Origin: https://app.example.com
  GET / -> 403 config
    Access-Control-Allow-Origin: https://app.example.com
check fixed https://app.example.com
check fixed https://v2.example.com
)"},
};

class ModelTableTest : public ::testing::TestWithParam<ModelCase> {};

TEST_P(ModelTableTest, DumpsTheAnswers) {
  const ModelCase& test = GetParam();
  std::unique_ptr<Document> document =
      Load("site.conf", test.config, LoadOptions{});
  EXPECT_EQ(Errors(*document), "");
  EXPECT_EQ(Dump(*document), test.dump);
  EXPECT_EQ(document->format, Format::kApache);
  // httpd merges Header directives of nested containers; nothing is lost.
  EXPECT_TRUE(document->dropped.empty());
}

INSTANTIATE_TEST_SUITE_P(Apache, ModelTableTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ModelCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ApacheModelTest, UpstreamHeadersReplacedOrRemovedAreHidden) {
  std::unique_ptr<Document> document = Load("site.conf", R"(
<Location /api/>
    ProxyPass http://127.0.0.1:8080/
    Header set Access-Control-Allow-Origin "https://app.example.com"
    Header always set Access-Control-Allow-Credentials "true"
    Header unset Access-Control-Max-Age
</Location>
)",
                                            LoadOptions{});
  ASSERT_EQ(document->scopes.size(), 2u);
  Response response =
      document->scopes[1]->Respond(Request::Simple("https://app.example.com"));
  EXPECT_EQ(response.responder, Responder::kUpstream);
  EXPECT_FALSE(response.UpstreamMaySend("Access-Control-Allow-Origin"));
  EXPECT_FALSE(response.UpstreamMaySend("access-control-max-age"));
  EXPECT_TRUE(response.UpstreamMaySend("Access-Control-Allow-Credentials"));
  EXPECT_EQ(Locate(response.responder_span).line, 3);
}

TEST(ApacheModelTest, NotesWhatItCannotEvaluate) {
  std::unique_ptr<Document> document = Load("site.conf", R"(
SetEnvIf Remote_Addr "^10\." INTERNAL
BrowserMatch "MSIE" OLD
Header always set Access-Control-Allow-Origin "https://a.test" env=INTERNAL
Header always set Access-Control-Max-Age "%t"
<If "%{HTTP:X-Forwarded-For} -ipmatch '10.0.0.0/8'">
    Header always set Access-Control-Allow-Credentials "true"
</If>
RewriteEngine On
RewriteCond %{REQUEST_FILENAME} -f
RewriteRule ^ - [R=204]
)",
                                            LoadOptions{});
  std::string notes;
  for (const ModelNote& note : document->notes) {
    Location where = Locate(note.span);
    notes += std::to_string(where.line) + ":" + std::to_string(where.column) +
             " " + note.message + "\n";
  }
  EXPECT_EQ(notes,
            "2:10 \"Remote_Addr\" is not known to the analyzer; the variables "
            "this sets are unknown\n"
            "3:1 \"BrowserMatch\" matches the User-Agent; the variables it "
            "sets are unknown\n"
            "5:42 format specifier \"%t\" is not evaluated; the value is "
            "unknown\n"
            "6:5 \"-ipmatch\" in the <If> condition is not evaluated; the "
            "section applies only when the rest of the condition decides\n"
            "10:33 RewriteCond test \"-f\" is not evaluated; the rule is "
            "taken as not applying\n");

  // Unknown conditions leave headers out rather than guessing them.
  Response response =
      document->scopes[0]->Respond(Request::Simple("https://a.test"));
  ASSERT_EQ(response.Find("Access-Control-Allow-Origin").size(), 0u);
  ASSERT_EQ(response.Find("Access-Control-Allow-Credentials").size(), 0u);
  const ResponseHeader* max_age = response.FindOne("Access-Control-Max-Age");
  ASSERT_NE(max_age, nullptr);
  EXPECT_FALSE(max_age->value_known);
  EXPECT_EQ(response.status, 200);
}

// httpd's expression scanner ends a regex at the first delimiter, so an
// escaped `\/` leaves PCRE a trailing backslash and `apache2 -t` fails.
TEST(ApacheModelTest, EscapedRegexDelimiterIsNotEvaluated) {
  std::unique_ptr<Document> document = Load("site.conf", R"(
<If "%{HTTP:Origin} =~ /^https:\/\/a\.test$/">
    Header always set Access-Control-Allow-Origin "expr=%{req:Origin}"
</If>
)",
                                            LoadOptions{});
  ASSERT_EQ(document->notes.size(), 1u);
  EXPECT_TRUE(document->notes[0].message.starts_with(
      "<If> condition not evaluated: bad regular expression: "))
      << document->notes[0].message;
  Response response =
      document->scopes[0]->Respond(Request::Simple("https://a.test"));
  EXPECT_TRUE(response.headers.empty());
}

TEST(ApacheModelTest, HtaccessIsTheBodyOfItsDirectory) {
  TempDir dir;
  std::string text =
      "SetEnvIf Origin \"^https://app\\.example\\.com$\" CORS\n"
      "Header always set Access-Control-Allow-Origin \"expr=%{req:Origin}\" "
      "env=CORS\n"
      "<Files \"*.json\">\n"
      "    Header always set Access-Control-Max-Age \"600\"\n"
      "</Files>\n";
  std::string path = dir.Write("public/.htaccess", text);
  std::unique_ptr<Document> document = Load(path, text, LoadOptions{});
  EXPECT_EQ(Errors(*document), "");
  ASSERT_EQ(document->scopes.size(), 2u);
  std::string directory = fs::weakly_canonical(dir.path()).string() + "/public";
  EXPECT_EQ(document->scopes[0]->name, ".htaccess in " + directory);
  EXPECT_EQ(document->scopes[1]->name, "<Files *.json>");

  Response allowed =
      document->scopes[1]->Respond(Request::Simple("https://app.example.com"));
  ASSERT_NE(allowed.FindOne("Access-Control-Allow-Origin"), nullptr);
  EXPECT_EQ(allowed.FindOne("Access-Control-Allow-Origin")->value,
            "https://app.example.com");
  EXPECT_NE(allowed.FindOne("Access-Control-Max-Age"), nullptr);
  Response refused =
      document->scopes[0]->Respond(Request::Simple("https://evil.test"));
  EXPECT_TRUE(refused.headers.empty());
  ASSERT_EQ(document->origin_checks.size(), 1u);
  EXPECT_TRUE(document->origin_checks[0].used);
}

// --- Includes ---------------------------------------------------------------

TEST(ApacheIncludeTest, GlobsExpandInAlphabeticalOrderInPlace) {
  TempDir dir;
  dir.Write("conf.d/b.conf",
            "Header always append Access-Control-Allow-Headers \"B\"\n");
  dir.Write("conf.d/a.conf",
            "Header always append Access-Control-Allow-Headers \"A\"\n");
  dir.Write("conf.d/skip.txt", "this is not included\n");
  dir.Write("extra/sub/c.conf",
            "Header always append Access-Control-Allow-Headers \"C\"\n");
  std::string text =
      "<VirtualHost *:80>\n"
      "    Include conf.d/*.conf\n"
      "    IncludeOptional nothing/*.conf\n"
      "    Include extra\n"
      "</VirtualHost>\n";
  std::string root = dir.Write("site.conf", text);
  std::unique_ptr<Document> document = Load(root, text, LoadOptions{});
  EXPECT_EQ(Errors(*document), "");
  ASSERT_EQ(document->scopes.size(), 1u);
  Response response =
      document->scopes[0]->Respond(Request::Simple("https://a.test"));
  ASSERT_NE(response.FindOne("Access-Control-Allow-Headers"), nullptr);
  EXPECT_EQ(response.FindOne("Access-Control-Allow-Headers")->value, "A, B, C");
  EXPECT_EQ(document->files.size(), 4u);
}

TEST(ApacheIncludeTest, RelativeToServerRootWhenKnown) {
  TempDir dir;
  dir.Write("etc/httpd/mods/cors.conf",
            "Header always set Access-Control-Allow-Origin \"*\"\n");
  dir.Write("etc/site/mods/cors.conf",
            "Header always set Access-Control-Allow-Origin \"wrong\"\n");
  std::string text =
      "ServerRoot \"" + dir.path() + "/etc/httpd\"\nInclude mods/cors.conf\n";
  std::string root = dir.Write("etc/site/site.conf", text);
  LoadOptions options;
  options.allowed_roots.push_back(dir.path());
  std::unique_ptr<Document> document = Load(root, text, options);
  EXPECT_EQ(Errors(*document), "");
  Response response =
      document->scopes[0]->Respond(Request::Simple("https://a.test"));
  ASSERT_NE(response.FindOne("Access-Control-Allow-Origin"), nullptr);
  EXPECT_EQ(response.FindOne("Access-Control-Allow-Origin")->value, "*");
}

TEST(ApacheIncludeTest, ReportsErrorsWithTheIncludingPosition) {
  TempDir dir;
  dir.Write("a.conf", "Include b.conf\n");
  dir.Write("b.conf", "\n  Include a.conf\n");
  dir.Write("binary.conf", std::string("Header\0set", 10));
  dir.Write("broken.conf", "<Location /x>\n");
  std::string outside = dir.Write("outside/secret.conf", "Header set X y\n");
  std::string text =
      "Include a.conf\n"
      "Include missing/*.conf\n"
      "Include nowhere.conf\n"
      "  Include binary.conf\n"
      "Include \"" +
      outside +
      "\"\n"
      "Include broken.conf\n";
  std::string root = dir.Write("tree/site.conf", text);
  // The tree's own directory is allowed; `outside` is not.
  for (const char* name : {"a.conf", "b.conf", "binary.conf", "broken.conf"}) {
    fs::rename(fs::path(dir.path()) / name,
               fs::path(dir.path()) / "tree" / name);
  }
  std::unique_ptr<Document> document = Load(root, text, LoadOptions{});
  std::string tree = fs::weakly_canonical(dir.path()).string() + "/tree/";
  EXPECT_EQ(
      Errors(*document),
      "b.conf:2:11: include cycle: " + tree + "a.conf -> " + tree +
          "b.conf -> " + tree +
          "a.conf\n"
          "site.conf:2:9: no matches for the wildcard \"missing/*.conf\"\n"
          "site.conf:3:9: cannot read \"" +
          dir.path() +
          "/tree/nowhere.conf\": No such file or directory\n"
          "site.conf:4:11: cannot read \"" +
          dir.path() +
          "/tree/binary.conf\": binary file (contains NUL bytes)\n"
          "site.conf:5:9: include \"" +
          outside +
          "\" is outside the checked tree; allow its directory with "
          "--include-root\n"
          "broken.conf:1:1: \"<Location>\" was not closed\n");

  // With the root allowed, the outside file is read.
  LoadOptions options;
  options.allowed_roots.push_back(dir.path() + "/outside");
  document = Load(root, text, options);
  EXPECT_EQ(Errors(*document).find("outside the checked tree"),
            std::string::npos);
}

TEST(ApacheIncludeTest, UnreadableAndOversizedIncludes) {
  TempDir dir;
  dir.Write("big.conf", std::string(2048, '#') + "\n");
  std::string locked = dir.Write("locked.conf", "Header set X y\n");
  fs::create_symlink(dir.path() + "/absent.conf",
                     dir.path() + "/dangling.conf");
  std::string text =
      "Include big.conf\nInclude dangling.conf\nInclude locked.conf\n";
  std::string root = dir.Write("site.conf", text);
  chmod(locked.c_str(), 0);
  bool can_lock = access(locked.c_str(), R_OK) != 0;

  LoadOptions options;
  options.max_file_bytes = 1024;
  std::unique_ptr<Document> document = Load(root, text, options);
  std::string expected = "site.conf:1:9: cannot read \"" + dir.path() +
                         "/big.conf\": file is larger than the limit of 0 MiB\n"
                         "site.conf:2:9: cannot read \"" +
                         dir.path() +
                         "/dangling.conf\": No such file or directory\n";
  if (can_lock) {
    expected += "site.conf:3:9: cannot read \"" + dir.path() +
                "/locked.conf\": Permission denied\n";
  }
  EXPECT_EQ(Errors(*document), expected);
}

// --- Bad input --------------------------------------------------------------

constexpr char kRealistic[] = R"(# api.example.com
ServerRoot "/etc/apache2"
<IfModule mod_headers.c>
<VirtualHost *:443>
    ServerName api.example.com
    DocumentRoot "/var/www/api"
    SetEnvIfNoCase Origin "^https://(app|admin)\.example\.com$" CORS_ORIGIN=$0
    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN
    Header always merge Vary "Origin"
    <If "%{HTTP:Origin} =~ m#^https://partner\.test$#i && \
         %{REQUEST_METHOD} != 'TRACE'">
        Header always set Access-Control-Allow-Origin "expr=%{req:Origin}"
    </If>
    RewriteEngine On
    RewriteCond %{REQUEST_METHOD} OPTIONS
    RewriteRule ^(.*)$ $1 [R=204,L]
    <Location /upstream/>
        ProxyPass "http://127.0.0.1:8080/"
        Header set Access-Control-Expose-Headers 'X-Total, X-Page'
    </Location>
    <Directory "/var/www/api/static">
        Header set Access-Control-Max-Age 600
    </Directory>
</VirtualHost>
</IfModule>
)";

TEST(ApacheBadInputTest, EveryPrefixOfARealisticConfigLoads) {
  std::string full = kRealistic;
  for (size_t length = 0; length <= full.size(); ++length) {
    std::unique_ptr<Document> document =
        Load("site.conf", full.substr(0, length), LoadOptions{});
    for (const InputError& error : document->errors) {
      EXPECT_EQ(error.where.file, "site.conf");
      EXPECT_GE(error.where.line, 1) << length;
      EXPECT_GE(error.where.column, 1) << length;
      EXPECT_FALSE(error.message.empty());
    }
    Dump(*document);
  }
  std::unique_ptr<Document> whole = Load("site.conf", full, LoadOptions{});
  EXPECT_EQ(Errors(*whole), "");
  EXPECT_EQ(whole->scopes.size(), 3u);
}

TEST(ApacheBadInputTest, RandomBytesLoadWithoutCrashing) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  const std::string pieces[] = {
      "<If \"",  "%{HTTP:Origin}", " =~ /",    "\">\n",
      "</If>\n", "Header ",        "always ",  "set ",
      "\"expr=", "\\\n",           "Include ", "SetEnvIf Origin "};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      int value = byte(random);
      if (value < 64) {
        text += pieces[static_cast<size_t>(value) % std::size(pieces)];
      } else {
        text.push_back(static_cast<char>(value));
      }
    }
    std::unique_ptr<Document> document =
        Load("random.conf", text, LoadOptions{});
    Dump(*document);
    for (const InputError& error : document->errors) {
      EXPECT_FALSE(error.message.empty());
    }
  }
}

TEST(ApacheBadInputTest, BinaryTextIsRefused) {
  std::unique_ptr<Document> document =
      Load("image.conf", std::string("GIF89a\0\0", 8), LoadOptions{});
  ASSERT_EQ(document->errors.size(), 1u);
  EXPECT_EQ(document->errors[0].message, "binary file (contains NUL bytes)");
  EXPECT_EQ(document->errors[0].where.file, "image.conf");
  EXPECT_TRUE(document->scopes.empty());
}

TEST(ApacheBadInputTest, TenThousandNestedSectionsStopAtTheLimit) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "<Location /a>\n";
  text += "Header set X y\n";
  for (int i = 0; i < 10000; ++i) text += "</Location>\n";
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Document> document = Load("deep.conf", text, LoadOptions{});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(Errors(*document),
            "deep.conf:101:1: sections nested deeper than 100 levels\n");
  Dump(*document);
}

TEST(ApacheBadInputTest, DeeplyNestedExpressionIsNotEvaluated) {
  std::string condition(5000, '(');
  condition += "true";
  condition += std::string(5000, ')');
  std::unique_ptr<Document> document =
      Load("expr.conf", "<If \"" + condition + "\">\nHeader set X y\n</If>\n",
           LoadOptions{});
  ASSERT_EQ(document->notes.size(), 1u);
  EXPECT_EQ(document->notes[0].message,
            "<If> condition not evaluated: expression nested too deeply");
}

TEST(ApacheBadInputTest, HundredMegabyteFileLoads) {
  std::string text =
      "<VirtualHost *:80>\n"
      "    Header always set Access-Control-Allow-Origin \"*\"\n";
  std::string padding = "    # " + std::string(1000, 'x') + "\n";
  while (text.size() < (100u << 20)) text += padding;
  text += "    Header always set Access-Control-Max-Age \"600\"\n";
  text += "</VirtualHost>\n";

  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Document> document = Load("big.conf", text, LoadOptions{});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  EXPECT_EQ(Errors(*document), "");
  ASSERT_EQ(document->scopes.size(), 1u);
  Response response =
      document->scopes[0]->Respond(Request::Simple("https://a"));
  EXPECT_EQ(response.headers.size(), 2u);
}

TEST(ApacheBadInputTest, UnreadableFileIsReportedByTheCheck) {
  TempDir dir;
  fs::create_symlink(dir.path() + "/gone.conf", dir.path() + "/site.conf");
  CheckResult result = RunCheck({dir.path() + "/site.conf"}, CheckOptions{});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].where.file, dir.path() + "/site.conf");
  EXPECT_FALSE(result.errors[0].message.empty());
}

// --- Telling Apache from nginx ----------------------------------------------

TEST(FormatDetectionTest, FixturesOfBothFormatsAreToldApart) {
  fs::path fixtures = fs::path(CORSLINT_SOURCE_DIR) / "fixtures";
  int apache = 0, nginx = 0;
  for (const char* format : {"apache", "nginx"}) {
    if (!fs::exists(fixtures / format)) continue;
    for (const auto& entry :
         fs::recursive_directory_iterator(fixtures / format)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".conf") {
        continue;
      }
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      bool is_apache = std::string(format) == "apache";
      EXPECT_EQ(LooksLikeApache(text.str()), is_apache) << entry.path();
      EXPECT_EQ(nginx::LooksLikeNginx(text.str()), !is_apache) << entry.path();
      ++(is_apache ? apache : nginx);
    }
  }
  EXPECT_GT(apache, 20);
  EXPECT_GT(nginx, 0);
}

TEST(FormatDetectionTest, SnippetsAreToldApart) {
  const char* apache_snippets[] = {
      "Header always set Access-Control-Allow-Origin \"*\"\n",
      "<VirtualHost *:80>\n  ServerName a\n</VirtualHost>\n",
      "# comment;\nSetEnvIf Origin \"^https://a\\.test$\" OK\n",
      "<Location /api>\n  ProxyPass http://127.0.0.1:8080/\n</Location>\n",
      "RewriteEngine On\nRewriteRule ^ - [R=204]\n",
      "<IfModule mod_headers.c>\nHeader set X y\n</IfModule>\n",
  };
  const char* nginx_snippets[] = {
      "add_header Access-Control-Allow-Origin *;\n",
      "server {\n  listen 80;\n  location / {\n  }\n}\n",
      "map $http_origin $cors {\n  default \"\";\n}\n",
      "location /api {\n  proxy_pass http://127.0.0.1:8080;\n}\n",
      "if ($request_method = OPTIONS) {\n  return 204;\n}\n",
      "# Header set X y\nadd_header Vary Origin always;\n",
  };
  for (const char* snippet : apache_snippets) {
    EXPECT_TRUE(LooksLikeApache(snippet)) << snippet;
    EXPECT_FALSE(nginx::LooksLikeNginx(snippet)) << snippet;
  }
  for (const char* snippet : nginx_snippets) {
    EXPECT_FALSE(LooksLikeApache(snippet)) << snippet;
    EXPECT_TRUE(nginx::LooksLikeNginx(snippet)) << snippet;
  }
  EXPECT_FALSE(LooksLikeApache(""));
  EXPECT_FALSE(LooksLikeApache("key = value\n[section]\n"));
}

}  // namespace
}  // namespace corslint::apache
