// The corslint command end to end: exit codes, --fail-on, --exit-zero,
// configuration files, suppressions, baselines, output formats.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/support/command.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ScratchDir;

constexpr char kClean[] =
    "server {\n    listen 80;\n    location / {\n"
    "        add_header Access-Control-Allow-Origin "
    "\"https://app.example.com\" always;\n    }\n}\n";
// wildcard-origin (info) only.
constexpr char kPublic[] =
    "server {\n    listen 80;\n    location / {\n"
    "        add_header Access-Control-Allow-Origin \"*\" always;\n"
    "    }\n}\n";
// wildcard-origin (info) and max-age-exceeds-browser-limit (warning).
constexpr char kLongMaxAge[] =
    "server {\n    listen 80;\n    location / {\n"
    "        add_header Access-Control-Allow-Origin \"*\" always;\n"
    "        add_header Access-Control-Max-Age 86400 always;\n"
    "    }\n}\n";
// reflected-origin (error).
constexpr char kReflected[] =
    "server {\n    listen 80;\n    location / {\n"
    "        add_header Access-Control-Allow-Origin $http_origin always;\n"
    "        add_header Access-Control-Allow-Credentials true always;\n"
    "        add_header Vary Origin always;\n"
    "    }\n}\n";

class CheckCommandTest : public ::testing::Test {
 protected:
  // Runs corslint in the scratch directory.
  CommandResult Corslint(std::vector<std::string> args) {
    args.insert(args.begin(), testing::CorslintBinary());
    return testing::RunCommand(args, {.cwd = dir_.path()});
  }

  ScratchDir dir_;
};

TEST_F(CheckCommandTest, ExitsZeroWithoutFindings) {
  dir_.Write("site.conf", kClean);
  CommandResult run = Corslint({"check", "site.conf"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "no findings in 1 file\n");
}

TEST_F(CheckCommandTest, ExitsOneOnFindingsAtTheThreshold) {
  dir_.Write("site.conf", kReflected);
  EXPECT_EQ(Corslint({"check", "site.conf"}).exit_code, 1);
}

TEST_F(CheckCommandTest, FailOnSetsTheThreshold) {
  dir_.Write("public.conf", kPublic);
  dir_.Write("max-age.conf", kLongMaxAge);
  // An info finding fails only under --fail-on info.
  EXPECT_EQ(Corslint({"check", "public.conf"}).exit_code, 0);
  EXPECT_EQ(Corslint({"check", "public.conf", "--fail-on", "info"}).exit_code,
            1);
  // A warning fails by default, and not under --fail-on error.
  EXPECT_EQ(Corslint({"check", "max-age.conf"}).exit_code, 1);
  EXPECT_EQ(Corslint({"check", "max-age.conf", "--fail-on", "error"}).exit_code,
            0);
  CommandResult bad = Corslint({"check", "public.conf", "--fail-on", "fatal"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr("corslint: error: --fail-on takes error, "
                                 "warning or info, not \"fatal\""));
}

TEST_F(CheckCommandTest, ExitZeroReportsButDoesNotFail) {
  dir_.Write("site.conf", kReflected);
  CommandResult run = Corslint({"check", "site.conf", "--exit-zero"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, HasSubstr("[reflected-origin]"));
}

TEST_F(CheckCommandTest, UnparsableInputExitsTwoEvenWithExitZero) {
  dir_.Write("broken.conf", "server {\n    listen 80;\n");
  dir_.Write("site.conf", kReflected);
  CommandResult run = Corslint({"check", ".", "--exit-zero"});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr("broken.conf"));
  // The other file was still checked.
  EXPECT_THAT(run.out, HasSubstr("[reflected-origin]"));
}

TEST_F(CheckCommandTest, UsageErrorsExitThree) {
  dir_.Write("site.conf", kClean);
  CommandResult format = Corslint({"check", "site.conf", "--format", "xml"});
  EXPECT_EQ(format.exit_code, 3);
  EXPECT_THAT(format.err, HasSubstr("--format takes text, json, sarif or "
                                    "github, not \"xml\""));
  CommandResult origin =
      Corslint({"check", "site.conf", "--trusted-origin", "app.example.com"});
  EXPECT_EQ(origin.exit_code, 3);
  EXPECT_THAT(origin.err, HasSubstr("corslint: error: --trusted-origin "
                                    "\"app.example.com\" is not a trusted "
                                    "origin"));
  EXPECT_EQ(Corslint({"check", "--no-such-flag"}).exit_code, 3);
}

TEST_F(CheckCommandTest, SkipUnrecognizedPassesOverOtherFiles) {
  dir_.Write("app.py", "print('hello')\n");
  dir_.Write("site.conf", kClean);
  CommandResult strict = Corslint({"check", "app.py", "site.conf"});
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_THAT(strict.err, HasSubstr("app.py: error: cannot tell the format"));
  CommandResult hook = Corslint(
      {"check", "--skip-unrecognized", "--verbose", "app.py", "site.conf"});
  EXPECT_EQ(hook.exit_code, 0) << hook.err;
  EXPECT_THAT(hook.err,
              HasSubstr("app.py: skipped, not a format corslint reads"));
}

TEST_F(CheckCommandTest, ConfigurationTurnsRulesOffAndChangesSeverities) {
  dir_.Write("max-age.conf", kLongMaxAge);
  dir_.Write(".corslint.yaml",
             "rules:\n  max-age-exceeds-browser-limit: off\n");
  CommandResult off = Corslint({"check", "max-age.conf"});
  EXPECT_EQ(off.exit_code, 0) << off.out;
  EXPECT_THAT(off.out, Not(HasSubstr("max-age-exceeds-browser-limit")));

  dir_.Write(".corslint.yaml", "rules:\n  wildcard-origin: error\n");
  CommandResult error =
      Corslint({"check", "max-age.conf", "--fail-on", "error"});
  EXPECT_EQ(error.exit_code, 1);
  EXPECT_THAT(error.out, HasSubstr("error: `Access-Control-Allow-Origin: *`"));
}

TEST_F(CheckCommandTest, RuleOptionsComeFromTheFileAndTheCommandLineWins) {
  dir_.Write("max-age.conf", kLongMaxAge);
  dir_.Write(".corslint.yaml",
             "rules:\n  max-age-exceeds-browser-limit:\n"
             "    max-age-limit: 86400\n");
  EXPECT_EQ(Corslint({"check", "max-age.conf"}).exit_code, 0);
  EXPECT_EQ(
      Corslint({"check", "max-age.conf", "--max-age-limit", "600"}).exit_code,
      1);
}

TEST_F(CheckCommandTest, TrustedOriginsDriveUntrustedOriginAllowed) {
  dir_.Write("site.conf", kClean);
  dir_.Write(".corslint.yaml", "trusted-origins: [https://web.example.com]\n");
  CommandResult run = Corslint({"check", "site.conf"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("[untrusted-origin-allowed]"));
  // The command line replaces the file's list.
  EXPECT_EQ(Corslint({"check", "site.conf", "--trusted-origin",
                      "https://app.example.com"})
                .exit_code,
            0);
}

TEST_F(CheckCommandTest, ExcludedFilesAreNotChecked) {
  dir_.Write("vendor/site.conf", kReflected);
  dir_.Write("site.conf", kClean);
  dir_.Write(".corslint.yaml", "exclude: [\"vendor/\"]\n");
  CommandResult run = Corslint({"check", ".", "--verbose"});
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.err, HasSubstr("vendor/site.conf: skipped, excluded by "
                                 "\"vendor/\""));
}

TEST_F(CheckCommandTest, BadConfigurationExitsThreeWithItsPosition) {
  dir_.Write("site.conf", kClean);
  dir_.Write(".corslint.yaml", "rules:\n  reflected-orgin: off\n");
  CommandResult run = Corslint({"check", "site.conf"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.out, IsEmpty());
  EXPECT_THAT(run.err, HasSubstr(".corslint.yaml:2:3: error: unknown rule "
                                 "\"reflected-orgin\", did you mean "
                                 "\"reflected-origin\"?"));

  dir_.Write(".corslint.yaml", "rules: {wildcard-origin: off\n");
  CommandResult yaml = Corslint({"check", "site.conf"});
  EXPECT_EQ(yaml.exit_code, 3);
  EXPECT_THAT(yaml.err, HasSubstr(".corslint.yaml:2:1: error: invalid YAML"));

  CommandResult missing =
      Corslint({"check", "site.conf", "--config", "x.yaml"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.err, HasSubstr("x.yaml: error: cannot read "
                                     "configuration file"));
}

TEST_F(CheckCommandTest, ConfigShowPrintsTheEffectiveConfiguration) {
  dir_.Write(".corslint.yaml",
             "trusted-origins: [https://app.example.com]\n"
             "rules: {wildcard-origin: off}\n"
             "overrides:\n  - files: [\"legacy/**\"]\n"
             "    rules: {reflected-origin: warning}\n");
  dir_.Write("legacy/site.conf", kClean);
  CommandResult run = Corslint({"config", "--show", "legacy/site.conf"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("# effective configuration for "
                                 "legacy/site.conf\n"));
  EXPECT_THAT(run.out, HasSubstr("trusted-origins:\n  - "
                                 "https://app.example.com\n"));
  EXPECT_THAT(run.out, HasSubstr("  wildcard-origin: off\n"));
  EXPECT_THAT(run.out, HasSubstr("  reflected-origin: warning\n"));
  EXPECT_THAT(run.out, HasSubstr("    max-age-limit: 7200\n"));

  CommandResult cli = Corslint(
      {"config", "--show", "legacy/site.conf", "--max-age-limit", "600"});
  EXPECT_THAT(cli.out, HasSubstr("    max-age-limit: 600\n"));

  dir_.Write(".corslint.yaml", "flask-cors: 4\n");
  CommandResult bad = Corslint({"config", "--show"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr(".corslint.yaml:1:13: error: "));
  EXPECT_EQ(Corslint({"config"}).exit_code, 3);
}

TEST_F(CheckCommandTest, SuppressionsSilenceFindingsAndUnusedOnesAreReported) {
  std::string site = kReflected;
  site.replace(site.find("        add_header Access-Control-Allow-Origin"), 0,
               "        # corslint: disable-next-line=reflected-origin -- "
               "a partner proxy checks the origin\n");
  dir_.Write("site.conf", site);
  CommandResult run = Corslint({"check", "site.conf"});
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out, "no findings in 1 file\n");

  dir_.Write(
      "clean.conf",
      std::string("# corslint: disable-file=wildcard-origin\n") + kClean);
  CommandResult unused = Corslint({"check", "clean.conf"});
  EXPECT_EQ(unused.exit_code, 1);
  EXPECT_THAT(unused.out,
              HasSubstr("clean.conf:1:26: warning: suppression of "
                        "`wildcard-origin` is unused: it reports nothing in "
                        "this file [unused-suppression]"));
}

TEST_F(CheckCommandTest, ApacheSuppressionsUseCommentLines) {
  std::string vhost =
      "<VirtualHost *:80>\n"
      "    ServerName api.example.com\n"
      "    SetEnvIf Origin \"(.+)\" CORS_ORIGIN=$1\n"
      "    # corslint: disable-next-line=reflected-origin -- a gateway checks "
      "the origin\n"
      "    Header always set Access-Control-Allow-Origin "
      "\"%{CORS_ORIGIN}e\" env=CORS_ORIGIN\n"
      "    Header always merge Vary \"Origin\"\n"
      "</VirtualHost>\n";
  dir_.Write("api.conf", vhost);
  CommandResult run = Corslint({"check", "api.conf"});
  EXPECT_THAT(run.out, Not(HasSubstr("[reflected-origin]")));
  EXPECT_THAT(run.out, Not(HasSubstr("[unused-suppression]")));

  // Without the comment the finding is there.
  vhost.erase(
      vhost.find("    # corslint:"),
      vhost.find("    Header always set") - vhost.find("    # corslint:"));
  dir_.Write("api.conf", vhost);
  EXPECT_THAT(Corslint({"check", "api.conf"}).out,
              HasSubstr("[reflected-origin]"));
}

TEST_F(CheckCommandTest, PythonAndJavaScriptSuppressionsUseTheirComments) {
  dir_.Write("app.py",
             "from flask import Flask\n"
             "from flask_cors import CORS\n\n"
             "app = Flask(__name__)\n"
             "CORS(app, supports_credentials=True)  # corslint: "
             "disable=reflected-origin -- internal tool\n");
  dir_.Write("server.js",
             "const express = require('express');\n"
             "const cors = require('cors');\n\n"
             "const app = express();\n"
             "// corslint: disable-next-line=permissive-origin-pattern\n"
             "app.use(cors({origin: (o, cb) => cb(null, "
             "o.endsWith('example.com')), credentials: true}));\n");
  for (const char* file : {"app.py", "server.js"}) {
    CommandResult run = Corslint({"check", file});
    EXPECT_THAT(run.out, Not(HasSubstr("[reflected-origin]"))) << file;
    EXPECT_THAT(run.out, Not(HasSubstr("[permissive-origin-pattern]"))) << file;
    EXPECT_THAT(run.out, Not(HasSubstr("[unused-suppression]"))) << file;
    EXPECT_EQ(run.err, "") << file;
  }

  // The same files without their comments report what was suppressed.
  dir_.Write("app.py",
             "from flask import Flask\n"
             "from flask_cors import CORS\n\n"
             "app = Flask(__name__)\n"
             "CORS(app, supports_credentials=True)\n");
  dir_.Write("server.js",
             "const express = require('express');\n"
             "const cors = require('cors');\n\n"
             "const app = express();\n"
             "app.use(cors({origin: (o, cb) => cb(null, "
             "o.endsWith('example.com')), credentials: true}));\n");
  EXPECT_THAT(Corslint({"check", "app.py"}).out,
              HasSubstr("[reflected-origin]"));
  EXPECT_THAT(Corslint({"check", "server.js"}).out,
              HasSubstr("[permissive-origin-pattern]"));
}

TEST_F(CheckCommandTest, BaselineReportsOnlyNewFindings) {
  dir_.Write("conf/site.conf", kReflected);
  CommandResult write =
      Corslint({"check", "conf", "--write-baseline", "baseline.json"});
  EXPECT_EQ(write.exit_code, 0) << write.err;
  EXPECT_THAT(write.err, HasSubstr("corslint: wrote 1 finding to "
                                   "baseline.json"));

  // Accepted findings no longer fail, even after edits elsewhere.
  EXPECT_EQ(
      Corslint({"check", "conf", "--baseline", "baseline.json"}).exit_code, 0);
  dir_.Write("conf/site.conf",
             std::string("# reviewed in 2024\n\n") + kReflected);
  CommandResult moved =
      Corslint({"check", "conf", "--baseline", "baseline.json"});
  EXPECT_EQ(moved.exit_code, 0) << moved.out;
  EXPECT_EQ(moved.out, "no findings in 1 file\n");

  // A new finding still fails, alone.
  dir_.Write("conf/other.conf", kLongMaxAge);
  CommandResult added =
      Corslint({"check", "conf", "--baseline", "baseline.json"});
  EXPECT_EQ(added.exit_code, 1);
  EXPECT_THAT(added.out, HasSubstr("other.conf:5:9: warning"));
  EXPECT_THAT(added.out, Not(HasSubstr("[reflected-origin]")));

  dir_.Write("bad.json", "{\"version\": 1, \"findings\": [}\n");
  CommandResult bad = Corslint({"check", "conf", "--baseline", "bad.json"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr("bad.json:1:29: error: invalid JSON in "
                                 "baseline"));
}

TEST_F(CheckCommandTest, GithubFormatPrintsWorkflowCommands) {
  dir_.Write("max-age.conf", kLongMaxAge);
  dir_.Write("broken.conf", "server {\n");
  CommandResult run = Corslint({"check", ".", "--format", "github"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("::notice file=max-age.conf,line=4,col=9,"
                                 "endLine=4,endColumn=59,"
                                 "title=wildcard-origin::"));
  EXPECT_THAT(run.out, HasSubstr("::warning file=max-age.conf,line=5,col=9,"));
  EXPECT_THAT(run.out, HasSubstr("%0Ahelp: use a value from 0 to 7200\n"));
  EXPECT_THAT(run.out, HasSubstr("::error file=broken.conf"));
}

// Rendered output for the bundled examples, compared with a reviewed
// snapshot. CORSLINT_UPDATE_GOLDEN=1 rewrites the snapshot instead.
TEST(GoldenOutputTest, GithubAnnotationsOfTheExamples) {
  const fs::path source = CORSLINT_SOURCE_DIR;
  const fs::path golden = source / "tests" / "golden" / "examples.github.txt";
  CommandResult run = testing::RunCommand(
      {testing::CorslintBinary(), "check", "examples", "--format", "github"},
      {.cwd = source});
  EXPECT_EQ(run.exit_code, 1) << run.err;

  const char* update = std::getenv("CORSLINT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << run.out;
  }
  EXPECT_EQ(run.out, testing::ReadFile(golden))
      << "rerun with CORSLINT_UPDATE_GOLDEN=1 and review the change";
}

}  // namespace
}  // namespace corslint
