// Installation: `cmake --install` puts the program, its man page and its
// documentation in place, and the Debian package that CPack builds
// installs into a scratch root and runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/command.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::RunCommand;
using testing::ScratchDir;
using ::testing::StartsWith;

const fs::path kBuild = CORSLINT_BUILD_DIR;
const std::string kVersion = "corslint " CORSLINT_PROJECT_VERSION "\n";

constexpr char kReflected[] =
    "server {\n    listen 80;\n    location / {\n"
    "        add_header Access-Control-Allow-Origin $http_origin always;\n"
    "    }\n}\n";

TEST(InstallTest, CmakeInstallsProgramManPageAndDocs) {
  ScratchDir dir;
  fs::path prefix = dir.path() / "prefix";
  CommandResult install =
      RunCommand({CORSLINT_CMAKE, "--install", kBuild.string(), "--prefix",
                  prefix.string()});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;

  fs::path program = prefix / "bin" / "corslint";
  CommandResult version = RunCommand({program.string(), "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, kVersion);

  fs::path man = prefix / "share" / "man" / "man1" / "corslint.1.gz";
  ASSERT_TRUE(fs::exists(man));
  CommandResult page = RunCommand({"gzip", "-dc", man.string()});
  EXPECT_THAT(page.out, StartsWith(".TH CORSLINT 1"));
  EXPECT_THAT(page.out, HasSubstr("\\-\\-write\\-baseline"));

  fs::path docs = prefix / "share" / "doc" / "corslint";
  EXPECT_TRUE(fs::exists(docs / "README.md"));
  EXPECT_TRUE(fs::exists(docs / "docs" / "rules" / "reflected-origin.md"));

  // The installed program links its SARIF rules to the installed pages.
  fs::path site = dir.Write("site.conf", kReflected);
  CommandResult sarif = RunCommand(
      {program.string(), "check", site.string(), "--format", "sarif"});
  nlohmann::json log = nlohmann::json::parse(sarif.out);
  for (const auto& rule : log["runs"][0]["tool"]["driver"]["rules"]) {
    std::string uri = rule["helpUri"];
    ASSERT_THAT(uri, StartsWith("file://" + docs.string() + "/docs/rules/"));
    EXPECT_TRUE(fs::exists(uri.substr(7))) << uri;
  }
}

TEST(InstallTest, DebianPackageInstallsIntoAScratchRoot) {
  ScratchDir dir;
  fs::path packages = dir.path() / "packages";
  CommandResult build = RunCommand({CORSLINT_CPACK, "-G", "DEB", "--config",
                                    (kBuild / "CPackConfig.cmake").string(),
                                    "-B", packages.string()});
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
  fs::path deb;
  for (const fs::directory_entry& entry : fs::directory_iterator(packages)) {
    if (entry.path().extension() == ".deb") deb = entry.path();
  }
  ASSERT_FALSE(deb.empty()) << build.out;

  CommandResult fields = RunCommand(
      {"dpkg-deb", "--field", deb.string(), "Package", "Version", "Depends"});
  ASSERT_EQ(fields.exit_code, 0) << fields.err;
  EXPECT_THAT(fields.out, HasSubstr("Package: corslint\n"));
  EXPECT_THAT(fields.out, HasSubstr("Version: " CORSLINT_PROJECT_VERSION "\n"));
  EXPECT_THAT(fields.out, HasSubstr("libyaml-cpp"));

  // Every dependency is a package this machine has, so the package would
  // install on it; the scratch root itself has no packages, hence
  // --force-depends there.
  std::string depends = fields.out.substr(fields.out.find("Depends: ") + 9);
  std::istringstream items(depends);
  std::string item;
  while (std::getline(items, item, ',')) {
    std::string name = item.substr(item.find_first_not_of(' '));
    name = name.substr(0, name.find_first_of(" \n("));
    CommandResult status =
        RunCommand({"dpkg-query", "-W", "-f", "${Status}", name});
    EXPECT_EQ(status.out, "install ok installed") << name;
  }

  fs::path root = dir.path() / "root";
  fs::create_directories(root / "var" / "lib" / "dpkg" / "updates");
  fs::create_directories(root / "var" / "lib" / "dpkg" / "info");
  dir.Write("root/var/lib/dpkg/status", "");
  CommandResult install =
      RunCommand({"dpkg", "--root=" + root.string(), "--force-depends",
                  "--force-not-root", "--force-script-chrootless",
                  "--log=/dev/null", "--install", deb.string()});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;

  CommandResult version =
      RunCommand({(root / "usr" / "bin" / "corslint").string(), "--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, kVersion);
  EXPECT_TRUE(
      fs::exists(root / "usr" / "share" / "man" / "man1" / "corslint.1.gz"));
  CommandResult status =
      RunCommand({"dpkg", "--root=" + root.string(), "--status", "corslint"});
  EXPECT_THAT(status.out, HasSubstr("Status: install ok installed"));
}

}  // namespace
}  // namespace corslint
