// The `corslint` command as users run it: exit codes, output streams,
// bad input and the files it skips.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace corslint {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built command with `arguments` (shell-quoted by the caller).
Outcome Corslint(const std::string& arguments) {
  fs::path err_file = fs::temp_directory_path() /
                      ("corslint-cli-" + std::to_string(getpid()) + ".err");
  std::string command = std::string(CORSLINT_BINARY) + " " + arguments +
                        " 2>" + err_file.string();
  Outcome run;
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    run.out.append(buffer.data(), n);
  }
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file);
  run.err.assign(std::istreambuf_iterator<char>(err), {});
  fs::remove(err_file);
  return run;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("corslint-cli-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  fs::path dir_;
};

const char kReflecting[] =
    "server {\n"
    "    listen 80;\n"
    "    location / {\n"
    "        add_header Access-Control-Allow-Origin $http_origin always;\n"
    "        add_header Access-Control-Allow-Credentials true always;\n"
    "        add_header Vary Origin always;\n"
    "        return 200;\n"
    "    }\n"
    "}\n";

const char kPublic[] =
    "server {\n"
    "    listen 80;\n"
    "    location / {\n"
    "        add_header Access-Control-Allow-Origin \"*\" always;\n"
    "        return 200;\n"
    "    }\n"
    "}\n";

TEST_F(CliTest, CleanInputExitsZero) {
  std::string file = Write("public.conf", kPublic);
  Outcome run = Corslint("check --fail-on warning " + file);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("[wildcard-origin]"), std::string::npos);
  EXPECT_NE(run.out.find("1 finding (1 info) in 1 file"), std::string::npos);
}

TEST_F(CliTest, FailOnSetsTheThreshold) {
  std::string file = Write("public.conf", kPublic);
  EXPECT_EQ(Corslint("check --fail-on info " + file).exit_code, 1);
  std::string reflecting = Write("reflect.conf", kReflecting);
  EXPECT_EQ(Corslint("check " + reflecting).exit_code, 1);
  EXPECT_EQ(Corslint("check --fail-on error " + reflecting).exit_code, 1);
}

TEST_F(CliTest, FindingsGoToStdoutInTheDiagnosticForm) {
  std::string file = Write("reflect.conf", kReflecting);
  Outcome run = Corslint("check " + file);
  EXPECT_NE(run.out.find(file + ":4:9: error: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[reflected-origin]"), std::string::npos);
  EXPECT_NE(run.out.find("^~~~"), std::string::npos);
  EXPECT_NE(run.out.find("help: "), std::string::npos);
  EXPECT_EQ(run.err, "");
}

TEST_F(CliTest, JsonHasTheDocumentedFields) {
  std::string file = Write("reflect.conf", kReflecting);
  Outcome run = Corslint("check --format json " + file);
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json document = nlohmann::json::parse(run.out);
  EXPECT_EQ(document["version"], 1);
  const auto& finding = document["findings"][0];
  for (const char* key : {"rule", "severity", "message", "file", "line",
                          "column", "end_line", "end_column", "request",
                          "response"}) {
    EXPECT_TRUE(finding.contains(key)) << key;
  }
  EXPECT_EQ(finding["request"]["headers"][0][1], "https://attacker.test");
}

TEST_F(CliTest, SyntaxErrorsExitTwoAndOtherFilesAreStillChecked) {
  Write("broken.conf", "server {\n    listen 80;\n    location / {\n");
  Write("reflect.conf", kReflecting);
  Outcome run = Corslint("check " + dir_.string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("broken.conf:4:1: error: unexpected end of file"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.out.find("[reflected-origin]"), std::string::npos);
}

TEST_F(CliTest, UnreadableFilesAreReportedNotSkipped) {
  if (geteuid() == 0) {
    // Root reads any file; make the path unreadable another way.
    std::string file = Write("nginx.conf", kPublic);
    fs::remove(file);
    fs::create_directory(file);
    fs::path inner = fs::path(file) / "x";
    std::ofstream(inner) << "";
    Outcome run = Corslint("check " + file + "/missing.conf");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("no such file or directory"), std::string::npos);
    return;
  }
  std::string file = Write("site.conf", kPublic);
  chmod(file.c_str(), 0);
  Outcome run = Corslint("check " + file);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("Permission denied"), std::string::npos) << run.err;
}

TEST_F(CliTest, BinaryAndUnknownFilesInDirectoriesAreSkippedVerbosely) {
  Write("image.png", std::string("\x89PNG\r\n\x1a\n\0\0", 10));
  Write("notes.txt", "hello\n");
  Write("public.conf", kPublic);
  Outcome run = Corslint("check --verbose " + dir_.string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("image.png: skipped, binary"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("notes.txt: skipped"), std::string::npos);
  EXPECT_NE(run.out.find("in 1 file"), std::string::npos);
}

TEST_F(CliTest, IncludesOutsideTheTreeWarnAndNeedIncludeRoot) {
  fs::path outside = dir_ / "outside";
  Write("outside/cors.conf",
        "add_header Access-Control-Allow-Origin $http_origin always;\n");
  std::string site = Write(
      "tree/site.conf", "server {\n    listen 80;\n    location / {\n"
                        "        include " + (outside / "cors.conf").string() +
                        ";\n        return 200;\n    }\n}\n");
  Outcome run = Corslint("check " + (dir_ / "tree").string());
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.err.find("warning: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--include-root"), std::string::npos);

  run = Corslint("check --include-root " + outside.string() + " " +
                 (dir_ / "tree").string());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("[reflected-origin]"), std::string::npos);
}

TEST_F(CliTest, IncludeCyclesAreErrorsNotHangs) {
  Write("a.conf", "server {\n    listen 80;\n    include b.conf;\n}\n");
  Write("b.conf", "include a.conf;\n");
  Outcome run = Corslint("check " + (dir_ / "a.conf").string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("include cycle"), std::string::npos) << run.err;
}

TEST_F(CliTest, DeeplyNestedInputIsRefusedCleanly) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "location / {\n";
  std::string file = Write("deep.conf", "server {\n" + text);
  Outcome run = Corslint("check --lang nginx " + file);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("nested deeper than 100 levels"), std::string::npos)
      << run.err.substr(0, 300);
}

TEST_F(CliTest, UsageErrorsExitThree) {
  Outcome run = Corslint("check --fail-on sometimes .");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("corslint: error: --fail-on"), std::string::npos);
  EXPECT_EQ(Corslint("check --lang cobol .").exit_code, 3);
  EXPECT_EQ(Corslint("frobnicate").exit_code, 3);
}

TEST_F(CliTest, ExplainPrintsTheDocAndSuggestsNames) {
  Outcome run = Corslint("explain missing-vary-origin");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("## Why is this bad?"), std::string::npos);
  run = Corslint("explain missing-vary");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("did you mean \"missing-vary-origin\"?"),
            std::string::npos)
      << run.err;
}

TEST_F(CliTest, OutputDoesNotDependOnTheNumberOfJobs) {
  for (int i = 0; i < 40; ++i) {
    Write("site" + std::to_string(i) + ".conf", i % 2 ? kReflecting : kPublic);
  }
  Outcome one = Corslint("check -j 1 --format json " + dir_.string());
  Outcome many = Corslint("check -j 8 --format json " + dir_.string());
  EXPECT_EQ(one.out, many.out);
  EXPECT_EQ(one.exit_code, 1);
}

}  // namespace
}  // namespace corslint
