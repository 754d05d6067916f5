// corslint under the real pre-commit program, in a scratch git repository:
// a commit that adds a reflected-origin configuration is refused with the
// finding shown, and goes through once the configuration is fixed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "tests/support/command.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ScratchDir;

const fs::path kSource = CORSLINT_SOURCE_DIR;

constexpr char kReflected[] =
    "server {\n    listen 80;\n    location / {\n"
    "        add_header Access-Control-Allow-Origin $http_origin always;\n"
    "        add_header Access-Control-Allow-Credentials true always;\n"
    "        add_header Vary Origin always;\n"
    "    }\n}\n";
constexpr char kFixed[] =
    "map $http_origin $cors_origin {\n    default \"\";\n"
    "    \"https://app.example.com\" $http_origin;\n}\n"
    "server {\n    listen 80;\n    location / {\n"
    "        add_header Access-Control-Allow-Origin $cors_origin always;\n"
    "        add_header Access-Control-Allow-Credentials true always;\n"
    "        add_header Vary Origin always;\n"
    "    }\n}\n";

class PreCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "home");
    // Git and pre-commit see only this scratch tree, and find the built
    // corslint first on PATH, as `language: system` hooks do.
    std::string path = fs::path(testing::CorslintBinary()).parent_path();
    const char* system_path = std::getenv("PATH");
    env_ = {
        {"HOME", (dir_.path() / "home").string()},
        {"PRE_COMMIT_HOME", (dir_.path() / "cache").string()},
        {"GIT_CONFIG_NOSYSTEM", "1"},
        {"GIT_AUTHOR_NAME", "Test"},
        {"GIT_AUTHOR_EMAIL", "test@localhost"},
        {"GIT_COMMITTER_NAME", "Test"},
        {"GIT_COMMITTER_EMAIL", "test@localhost"},
        {"PATH", path + ":" + (system_path ? system_path : "/usr/bin:/bin")}};
  }

  CommandResult Run(const fs::path& cwd, std::vector<std::string> argv) {
    CommandResult result = testing::RunCommand(argv, {.cwd = cwd, .env = env_});
    return result;
  }

  // A git repository at `name` with one commit of `files`.
  fs::path Repository(const std::string& name,
                      const std::map<std::string, std::string>& files) {
    fs::path repo = dir_.path() / name;
    fs::create_directories(repo);
    EXPECT_EQ(Run(repo, {"git", "init", "-q", "-b", "main"}).exit_code, 0);
    for (const auto& [file, text] : files) dir_.Write(name + "/" + file, text);
    EXPECT_EQ(Run(repo, {"git", "add", "-A"}).exit_code, 0);
    CommandResult commit = Run(repo, {"git", "commit", "-q", "-m", "start"});
    EXPECT_EQ(commit.exit_code, 0) << commit.out << commit.err;
    return repo;
  }

  // Installs the hooks of `config` in a new project, then commits a
  // reflected-origin configuration (refused) and its fix (accepted).
  void CommitRefusedThenAccepted(const std::string& config) {
    fs::path project = Repository(
        "project",
        {{".pre-commit-config.yaml", config}, {"README.md", "a project\n"}});
    CommandResult install = Run(project, {"pre-commit", "install"});
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;

    dir_.Write("project/nginx/conf.d/api.conf", kReflected);
    ASSERT_EQ(Run(project, {"git", "add", "nginx"}).exit_code, 0);
    CommandResult refused =
        Run(project, {"git", "commit", "-m", "Add the API's CORS headers"});
    EXPECT_NE(refused.exit_code, 0);
    std::string shown = refused.out + refused.err;
    EXPECT_THAT(shown, HasSubstr("corslint"));
    EXPECT_THAT(shown, HasSubstr("Failed"));
    EXPECT_THAT(shown, HasSubstr("nginx/conf.d/api.conf:4:9: error: "
                                 "`Access-Control-Allow-Origin` echoes the "
                                 "request's Origin"));
    EXPECT_THAT(shown, HasSubstr("[reflected-origin]"));
    EXPECT_EQ(Run(project, {"git", "rev-list", "--count", "HEAD"}).out, "1\n");

    dir_.Write("project/nginx/conf.d/api.conf", kFixed);
    ASSERT_EQ(Run(project, {"git", "add", "nginx"}).exit_code, 0);
    CommandResult accepted =
        Run(project, {"git", "commit", "-m", "Add the API's CORS headers"});
    EXPECT_EQ(accepted.exit_code, 0) << accepted.out << accepted.err;
    EXPECT_THAT(accepted.out + accepted.err, HasSubstr("Passed"));
    EXPECT_EQ(Run(project, {"git", "rev-list", "--count", "HEAD"}).out, "2\n");
  }

  ScratchDir dir_;
  std::map<std::string, std::string> env_;
};

// Through this repository's .pre-commit-hooks.yaml, from a local clone of
// a hook repository (pre-commit clones it without a network).
TEST_F(PreCommitTest, HookRepositoryRefusesReflectedOrigin) {
  fs::path hooks = Repository(
      "hooks", {{".pre-commit-hooks.yaml",
                 testing::ReadFile(kSource / ".pre-commit-hooks.yaml")}});
  std::string rev = Run(hooks, {"git", "rev-parse", "HEAD"}).out;
  rev.erase(rev.find_last_not_of("\n") + 1);
  CommitRefusedThenAccepted("repos:\n  - repo: " + hooks.string() +
                            "\n    rev: " + rev +
                            "\n    hooks:\n      - id: corslint\n");
}

// Through the `repo: local` snippet that the README shows.
TEST_F(PreCommitTest, ReadmeLocalHookRefusesReflectedOrigin) {
  std::string readme = testing::ReadFile(kSource / "README.md");
  std::smatch block;
  ASSERT_TRUE(std::regex_search(
      readme, block,
      std::regex("<!-- pre-commit:local -->\\n```yaml\\n([\\s\\S]*?)```")))
      << "the README lacks its `repo: local` snippet";
  CommitRefusedThenAccepted(block[1].str());
}

// The hook's `files` pattern selects nginx configurations and skips the
// rest of a commit.
TEST_F(PreCommitTest, HookSkipsFilesOfOtherFormats) {
  fs::path hooks = Repository(
      "hooks", {{".pre-commit-hooks.yaml",
                 testing::ReadFile(kSource / ".pre-commit-hooks.yaml")}});
  std::string rev = Run(hooks, {"git", "rev-parse", "HEAD"}).out;
  rev.erase(rev.find_last_not_of("\n") + 1);
  fs::path project = Repository(
      "project", {{".pre-commit-config.yaml",
                   "repos:\n  - repo: " + hooks.string() + "\n    rev: " + rev +
                       "\n    hooks:\n      - id: corslint\n"},
                  {"supervisord.conf", "[program:api]\ncommand=/usr/bin/api\n"},
                  {"tool.py", "print('no flask here')\n"},
                  {"nginx/site.conf", kFixed}});
  CommandResult run =
      Run(project, {"pre-commit", "run", "--all-files", "--verbose"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("Passed"));
  EXPECT_THAT(run.out, Not(HasSubstr("cannot tell the format")));
}

}  // namespace
}  // namespace corslint
