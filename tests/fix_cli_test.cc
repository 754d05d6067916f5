// `corslint check --fix`, `--fix-only`, `--diff` and `--unsafe-fixes` as a
// user runs them: what they print, what they write, their exit codes, and
// what they leave alone (permissions, symbolic links, other files).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace corslint {
namespace {

namespace fs = std::filesystem;

// An nginx site with one safe fix (`always`) and one unsafe fix (`True`
// beside a reflected origin).
constexpr std::string_view kSite =
    "server {\n"
    "    listen 80;\n"
    "    location / {\n"
    "        add_header Access-Control-Allow-Origin "
    "\"https://app.example.com\";\n"
    "    }\n"
    "}\n";

constexpr std::string_view kSiteFixed =
    "server {\n"
    "    listen 80;\n"
    "    location / {\n"
    "        add_header Access-Control-Allow-Origin "
    "\"https://app.example.com\" always;\n"
    "    }\n"
    "}\n";

constexpr std::string_view kReflecting =
    "server {\n"
    "    listen 80;\n"
    "    location / {\n"
    "        add_header Access-Control-Allow-Origin $http_origin always;\n"
    "        add_header Access-Control-Allow-Credentials True always;\n"
    "        add_header Vary Origin always;\n"
    "    }\n"
    "}\n";

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

class FixCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("corslint-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "site");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Put(const std::string& name, std::string_view text) {
    fs::path path = dir_ / "site" / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
  }

  // Runs corslint with `args` in the test's directory.
  Outcome Run(const std::string& args) {
    std::string command = "cd '" + dir_.string() +
                          "' && '" CORSLINT_BINARY "' " + args +
                          " >out.txt 2>err.txt";
    Outcome outcome;
    int raw = std::system(command.c_str());
    outcome.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    outcome.out = Read(dir_ / "out.txt");
    outcome.err = Read(dir_ / "err.txt");
    return outcome;
  }

  fs::path dir_;
};

TEST_F(FixCliTest, CheckMarksFixableFindingsAndCountsThem) {
  Put("site.conf", kSite);
  Outcome outcome = Run("check site");
  EXPECT_EQ(outcome.status, 1);
  EXPECT_NE(outcome.out.find("\nfix: add `always`\n"), std::string::npos)
      << outcome.out;
  EXPECT_NE(outcome.out.find(", 1 fixable with --fix\n"), std::string::npos)
      << outcome.out;
}

TEST_F(FixCliTest, UnsafeFixesAreMarkedAndCountedApart) {
  Put("site.conf", kReflecting);
  Outcome outcome = Run("check site");
  EXPECT_NE(outcome.out.find("\nfix (unsafe): write `true` in lower case\n"),
            std::string::npos)
      << outcome.out;
  EXPECT_NE(outcome.out.find(", 1 fixable with --fix --unsafe-fixes\n"),
            std::string::npos)
      << outcome.out;

  Outcome unsafe = Run("check site --unsafe-fixes");
  EXPECT_NE(unsafe.out.find(", 1 fixable with --fix --unsafe-fixes\n"),
            std::string::npos)
      << unsafe.out;
}

TEST_F(FixCliTest, FixWritesTheFileAndReportsWhatRemains) {
  fs::path site = Put("site.conf", kSite);
  Outcome outcome = Run("check site --fix");
  EXPECT_EQ(Read(site), kSiteFixed);
  EXPECT_NE(outcome.out.find("applied 1 fix to 1 file\n"), std::string::npos)
      << outcome.out;
  // What remains is informational: the wildcard-free site is clean.
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
}

TEST_F(FixCliTest, FixLeavesUnsafeFixesUnlessAsked) {
  fs::path site = Put("site.conf", kReflecting);
  Run("check site --fix");
  EXPECT_EQ(Read(site), kReflecting);
  Run("check site --fix --unsafe-fixes");
  EXPECT_NE(Read(site).find("Credentials true always;"), std::string::npos);
}

TEST_F(FixCliTest, DiffPrintsTheChangeAndWritesNothing) {
  fs::path site = Put("site.conf", kSite);
  Outcome outcome = Run("check site/site.conf --diff");
  EXPECT_EQ(outcome.status, 1);
  EXPECT_EQ(outcome.out,
            "--- a/site/site.conf\n+++ b/site/site.conf\n@@ -1,6 +1,6 @@\n"
            " server {\n     listen 80;\n     location / {\n"
            "-        add_header Access-Control-Allow-Origin "
            "\"https://app.example.com\";\n"
            "+        add_header Access-Control-Allow-Origin "
            "\"https://app.example.com\" always;\n"
            "     }\n }\n");
  EXPECT_EQ(Read(site), kSite);

  Put("site.conf", kSiteFixed);
  Outcome clean = Run("check site --diff");
  EXPECT_EQ(clean.status, 0);
  EXPECT_EQ(clean.out, "");
}

TEST_F(FixCliTest, DiffTakesNoFormat) {
  Put("site.conf", kSite);
  EXPECT_EQ(Run("check site --diff --format json").status, 3);
}

TEST_F(FixCliTest, FixOnlyReportsOnlyWhatWasApplied) {
  fs::path site = Put("site.conf", kSite);
  Outcome outcome = Run("check site --fix-only");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "applied 1 fix to 1 file\n");
  EXPECT_EQ(Read(site), kSiteFixed);
}

TEST_F(FixCliTest, JsonCarriesTheEditsOfEachFix) {
  Put("site.conf", kSite);
  Outcome outcome = Run("check site --format json");
  nlohmann::json report = nlohmann::json::parse(outcome.out);
  const nlohmann::json& finding = report["findings"][0];
  ASSERT_EQ(finding["fixes"].size(), 1u);
  const nlohmann::json& fix = finding["fixes"][0];
  EXPECT_EQ(fix["applicability"], "safe");
  EXPECT_EQ(fix["description"], "add `always`");
  ASSERT_EQ(fix["edits"].size(), 1u);
  EXPECT_EQ(fix["edits"][0]["line"], 4);
  EXPECT_EQ(fix["edits"][0]["column"], 73);
  EXPECT_EQ(fix["edits"][0]["end_column"], 73);
  EXPECT_EQ(fix["edits"][0]["replacement"], " always");
  EXPECT_EQ(report["summary"]["fixable"], 1);
  EXPECT_EQ(report["summary"]["unsafe_fixable"], 0);

  Outcome fixed = Run("check site --format json --fix");
  nlohmann::json after = nlohmann::json::parse(fixed.out);
  EXPECT_EQ(after["summary"]["fixes_applied"], 1);
  EXPECT_EQ(after["summary"]["files_fixed"], 1);
}

TEST_F(FixCliTest, DisplayOnlyFixesAreShownAndNeverApplied) {
  std::string list =
      "server {\n    listen 80;\n    location / {\n"
      "        add_header Access-Control-Allow-Origin "
      "\"https://app.example.com, https://admin.example.com\" always;\n"
      "    }\n}\n";
  fs::path site = Put("site.conf", list);
  Outcome text = Run("check site");
  EXPECT_NE(text.out.find("\nsuggestion: check the Origin against an "
                          "allowlist of these origins"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("\n        \"https://admin.example.com\" "
                          "\"https://admin.example.com\";\n"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("fixable"), std::string::npos) << text.out;

  Outcome json = Run("check site --format json");
  nlohmann::json report = nlohmann::json::parse(json.out);
  const nlohmann::json& fix = report["findings"][0]["fixes"][0];
  EXPECT_EQ(fix["applicability"], "display-only");
  EXPECT_TRUE(fix["edits"].empty());
  EXPECT_NE(fix["snippet"].get<std::string>().find("map $http_origin"),
            std::string::npos);

  Run("check site --fix --unsafe-fixes");
  EXPECT_EQ(Read(site), list);
}

TEST_F(FixCliTest, FixKeepsPermissionsAndSymbolicLinks) {
  fs::create_directories(dir_ / "real");
  fs::path target = dir_ / "real" / "shared.conf";
  std::ofstream(target, std::ios::binary) << kSite;
  ASSERT_EQ(::chmod(target.c_str(), 0604), 0);
  fs::path link = dir_ / "site" / "site.conf";
  fs::create_symlink(target, link);

  Outcome outcome = Run("check site/site.conf --fix");
  EXPECT_TRUE(fs::is_symlink(link)) << outcome.err;
  EXPECT_EQ(Read(target), kSiteFixed);
  struct stat info;
  ASSERT_EQ(::stat(target.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0604u);
}

TEST_F(FixCliTest, FilesWithoutFixesAreNotRewritten) {
  fs::path clean = Put("clean.conf", kSiteFixed);
  Put("site.conf", kSite);
  struct stat before;
  ASSERT_EQ(::stat(clean.c_str(), &before), 0);
  Run("check site --fix");
  struct stat after;
  ASSERT_EQ(::stat(clean.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
  EXPECT_EQ(Read(clean), kSiteFixed);
}

// A snippet included by two sites is one file: the fixes both sites find
// in it are made once, and the result does not depend on the run.
TEST_F(FixCliTest, AnIncludeSharedByTwoSitesIsFixedOnce) {
  fs::path snippet = Put(
      "cors.inc",
      "add_header Access-Control-Allow-Origin \"https://app.example.com\";\n");
  Put("a.conf",
      "server {\n    listen 80;\n    location / {\n"
      "        include cors.inc;\n    }\n}\n");
  Put("b.conf",
      "server {\n    listen 81;\n    location /b/ {\n"
      "        include cors.inc;\n    }\n}\n");
  Put("nginx.conf",
      "events {}\nhttp {\n    include a.conf;\n"
      "    include b.conf;\n}\n");
  Outcome outcome = Run("check site/a.conf site/b.conf --fix");
  EXPECT_EQ(
      Read(snippet),
      "add_header Access-Control-Allow-Origin \"https://app.example.com\" "
      "always;\n")
      << outcome.out << outcome.err;
}

// A file that only --include-root lets the check read is not one the run
// was asked to fix.
TEST_F(FixCliTest, FilesReachedThroughIncludeRootAreNotWritten) {
  fs::create_directories(dir_ / "shared");
  std::string snippet_text =
      "add_header Access-Control-Allow-Origin \"https://app.example.com\";\n";
  fs::path snippet = dir_ / "shared" / "cors.inc";
  std::ofstream(snippet, std::ios::binary) << snippet_text;
  Put("site.conf",
      "server {\n    listen 80;\n    location / {\n"
      "        include " +
          snippet.string() + ";\n    }\n}\n");
  Outcome outcome = Run("check site --fix --include-root shared");
  EXPECT_EQ(Read(snippet), snippet_text) << outcome.out << outcome.err;
  EXPECT_NE(outcome.out.find("applied 0 fixes to 0 files"), std::string::npos)
      << outcome.out;
}

TEST_F(FixCliTest, AFileThatDoesNotParseIsNotTouched) {
  std::string broken = std::string(kSite) + "}\n";
  fs::path site = Put("site.conf", broken);
  Outcome outcome = Run("check site --fix");
  EXPECT_EQ(outcome.status, 2);
  EXPECT_EQ(Read(site), broken);
}

}  // namespace
}  // namespace corslint
