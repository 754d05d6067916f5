// Every Apache fixture is a configuration the real httpd accepts: `.conf`
// files pass `httpd -t` (wrapped in a self-contained global configuration
// when they are fragments), and `.htaccess` files are served by a live
// httpd under `AllowOverride All` without an error.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analyzer/rule.h"
#include "tests/support/apache_server.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

const fs::path kApacheFixtures =
    fs::path(CORSLINT_SOURCE_DIR) / "fixtures" / "apache";

std::vector<fs::path> FixtureFiles(std::string_view name_or_extension) {
  std::vector<fs::path> files;
  if (!fs::exists(kApacheFixtures)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(kApacheFixtures)) {
    if (!entry.is_regular_file()) continue;
    const fs::path& path = entry.path();
    if (path.filename() == name_or_extension ||
        path.extension() == name_or_extension) {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Relative(const fs::path& path) {
  return fs::relative(path, kApacheFixtures).string();
}

TEST(ApacheFixturesValidTest, EveryConfFixturePassesHttpdSyntaxCheck) {
  ASSERT_FALSE(testing::ApacheBinary().empty()) << "httpd is not installed";
  std::vector<fs::path> fixtures = FixtureFiles(".conf");
  ASSERT_FALSE(fixtures.empty());

  for (const fs::path& fixture : fixtures) {
    testing::TempDir dir;
    std::string text = ReadAll(fixture);
    std::string conf;
    if (text.find("LoadModule") != std::string::npos) {
      conf = fixture.string();
    } else {
      // A fragment: the global part, then the fixture in place.
      conf = dir.Write(
          "httpd.conf",
          testing::ApacheGlobalConfig(dir.path(), {testing::FreeLoopbackPort()},
                                      testing::DefaultApacheModules()) +
              "Include \"" + fixture.string() + "\"\n");
    }
    std::string output;
    EXPECT_TRUE(testing::ApacheConfigTest(conf, &output))
        << Relative(fixture) << ": " << output;
  }
}

TEST(ApacheFixturesValidTest, EveryHtaccessFixtureIsServedByHttpd) {
  ASSERT_FALSE(testing::ApacheBinary().empty()) << "httpd is not installed";
  std::vector<fs::path> fixtures = FixtureFiles(".htaccess");
  ASSERT_FALSE(fixtures.empty());

  // Each fixture in its own directory of one document root, and one more
  // directory whose .htaccess is broken, to show that httpd reads them.
  testing::TempDir dir;
  for (size_t i = 0; i < fixtures.size(); ++i) {
    std::string folder = "site/" + std::to_string(i) + "/";
    dir.Write(folder + ".htaccess", ReadAll(fixtures[i]));
    dir.Write(folder + "index.html", "<p>fixture</p>\n");
  }
  dir.Write("site/broken/.htaccess", "NotAnHttpdDirective on\n");
  dir.Write("site/broken/index.html", "<p>broken</p>\n");

  int port = testing::FreeLoopbackPort();
  std::string conf = dir.Write(
      "httpd.conf", testing::ApacheGlobalConfig(
                        dir.path(), {port}, testing::DefaultApacheModules()) +
                        "DocumentRoot \"" + dir.path() +
                        "/site\"\n<Directory \"" + dir.path() +
                        "/site\">\n  AllowOverride All\n  Require all granted\n"
                        "</Directory>\n");
  testing::ApacheServer server;
  std::string error;
  ASSERT_TRUE(server.Start(conf, port, dir.path() + "/error.log", &error))
      << error;

  Request broken = Request::Simple("https://app.example.com");
  broken.path = "/broken/index.html";
  testing::HttpResponse response;
  ASSERT_TRUE(testing::SendRequest(port, broken, &response, &error)) << error;
  EXPECT_EQ(response.status, 500) << "httpd did not read the .htaccess files";

  for (size_t i = 0; i < fixtures.size(); ++i) {
    Request request = Request::Simple("https://app.example.com");
    request.path = "/" + std::to_string(i) + "/index.html";
    ASSERT_TRUE(testing::SendRequest(port, request, &response, &error))
        << error;
    EXPECT_EQ(response.status, 200) << Relative(fixtures[i]);
  }
}

// Apache cannot express JavaScript regex state, and httpd merges Header
// directives of nested containers instead of replacing them (see the
// NestedContainersMerge live test), so nothing is ever dropped.
TEST(ApacheFixturesValidTest, EveryApacheRuleHasConfAndHtaccessFixtures) {
  const std::set<std::string> not_apache = {"stateful-origin-regex",
                                            "inherited-headers-dropped"};
  for (const RuleInfo* rule : AllRules()) {
    std::string name(rule->name);
    if (not_apache.count(name)) continue;
    for (const char* kind : {"fire", "silent"}) {
      fs::path folder = kApacheFixtures / name / kind;
      bool conf = false, htaccess = false;
      if (fs::exists(folder)) {
        for (const auto& entry : fs::recursive_directory_iterator(folder)) {
          conf = conf || entry.path().extension() == ".conf";
          htaccess = htaccess || entry.path().filename() == ".htaccess";
        }
      }
      EXPECT_TRUE(conf) << "no .conf fixture in " << folder.string();
      EXPECT_TRUE(htaccess) << "no .htaccess fixture in " << folder.string();
    }
  }
}

}  // namespace
}  // namespace corslint
