// `corslint generate`: the policy checks, the policy file reader, the four
// emitters against golden files, and the real programs accepting what they
// emit.
#include "fixers/generate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "analyzer/formats.h"
#include "analyzer/rule.h"
#include "fixers/emitters.h"
#include "fixers/policy_spec.h"
#include "tests/support/golden.h"
#include "tests/support/httpd_check.h"
#include "tests/support/real_nginx.h"
#include "tests/support/run_command.h"

namespace corslint {
namespace {

using ::testing::HasSubstr;

struct NamedSpec {
  std::string name;
  PolicySpec spec;
};

// The policies every emitter is tested on.
std::vector<NamedSpec> Specs() {
  std::vector<NamedSpec> specs;

  PolicySpec credentials;
  credentials.origins = {"https://app.example.com",
                         "https://admin.example.com"};
  credentials.methods = {"GET", "PUT", "DELETE"};
  credentials.allow_headers = {"X-Request-Id", "Content-Type"};
  credentials.expose_headers = {"X-Total-Count"};
  credentials.max_age = 600;
  credentials.credentials = true;
  specs.push_back({"credentials", credentials});

  PolicySpec open;
  open.any_origin = true;
  open.methods = {"GET", "POST"};
  open.allow_headers = {"*"};
  open.expose_headers = {"X-Total-Count"};
  specs.push_back({"public", open});

  PolicySpec minimal;
  minimal.origins = {"https://app.example.com"};
  specs.push_back({"minimal", minimal});

  // Brackets are regex characters for httpd and flask-cors alike.
  PolicySpec ipv6;
  ipv6.origins = {"http://[::1]:8080"};
  ipv6.methods = {"GET", "PATCH"};
  ipv6.allow_headers = {"Authorization"};
  ipv6.credentials = true;
  specs.push_back({"ipv6", ipv6});
  return specs;
}

TEST(GenerateTest, SpecsUsedByTheTestsAreValid) {
  for (NamedSpec& named : Specs()) {
    EXPECT_TRUE(CheckSpec(&named.spec).empty()) << named.name;
  }
}

TEST(GenerateTest, EmittedCodeMatchesGoldenFiles) {
  for (const NamedSpec& named : Specs()) {
    for (Target target :
         {Target::kNginx, Target::kApache, Target::kExpress, Target::kFlask}) {
      std::string name = "generate/" + std::string(TargetName(target)) + "-" +
                         named.name + ".txt";
      SCOPED_TRACE(name);
      testing::ExpectGolden(name, Emit(target, named.spec));
    }
  }
}

TEST(GenerateTest, NginxAcceptsEveryEmittedSite) {
  for (const NamedSpec& named : Specs()) {
    std::string output;
    EXPECT_TRUE(NginxAccepts(EmitNginx(named.spec), &output))
        << named.name << "\n"
        << output;
  }
}

TEST(GenerateTest, HttpdAcceptsEveryEmittedBlock) {
  for (const NamedSpec& named : Specs()) {
    std::string output;
    EXPECT_TRUE(testing::HttpdAccepts(EmitApache(named.spec), &output))
        << named.name << "\n"
        << output;
    EXPECT_THAT(output, HasSubstr("Syntax OK")) << named.name;
  }
}

TEST(GenerateTest, NodeLoadsEveryEmittedExpressApp) {
  std::string modules =
      std::string(CORSLINT_SOURCE_DIR) + "/tests/browser/node_modules";
  ASSERT_TRUE(std::filesystem::exists(modules + "/cors"))
      << "run tests/browser/install.sh (scripts/test.sh does) first";
  for (const NamedSpec& named : Specs()) {
    std::string dir = testing::MakeTempDir();
    std::string path = dir + "/app.js";
    ASSERT_TRUE(testing::WriteFile(path, EmitExpress(named.spec)));
    std::string output;
    int status = testing::RunCommand(
        {"node", "-e",
         "const app = require(process.argv[1]);"
         "if (typeof app !== 'function' || typeof app.listen !== 'function')"
         "  throw new Error('the module does not export an Express app');",
         path},
        &output, {"NODE_PATH=" + modules});
    EXPECT_EQ(status, 0) << named.name << "\n" << output;
    std::filesystem::remove_all(dir);
  }
}

TEST(GenerateTest, PythonImportsEveryEmittedFlaskApp) {
  for (const NamedSpec& named : Specs()) {
    std::string dir = testing::MakeTempDir();
    ASSERT_TRUE(
        testing::WriteFile(dir + "/cors_app.py", EmitFlask(named.spec)));
    std::string output;
    int status =
        testing::RunCommand({"/usr/bin/python3", "-c",
                             "import sys; sys.path.insert(0, sys.argv[1]);"
                             "import cors_app, flask;"
                             "assert isinstance(cors_app.app, flask.Flask)",
                             dir},
                            &output);
    EXPECT_EQ(status, 0) << named.name << "\n" << output;
    std::filesystem::remove_all(dir);
  }
}

// corslint's own rules find nothing above info in what it generates.
TEST(GenerateTest, EmittedNginxAndApachePassCorslintCheck) {
  for (const NamedSpec& named : Specs()) {
    for (Format format : {Format::kNginx, Format::kApache}) {
      std::string text = format == Format::kNginx ? EmitNginx(named.spec)
                                                  : EmitApache(named.spec);
      std::unique_ptr<Document> document =
          LoadDocument(format, "generated.conf", text, {});
      std::string label =
          named.name + " (" + std::string(FormatName(format)) + ")";
      ASSERT_TRUE(document->errors.empty())
          << label << ": " << document->errors.front().message;
      for (const Finding& finding : RunRules(*document, {})) {
        EXPECT_EQ(finding.severity, Severity::kInfo)
            << label << ": [" << finding.rule << "] " << finding.message;
      }
    }
  }
}

// One `corslint generate` run with the given options: what it prints on
// stderr and its exit code, in the form of the golden file.
std::string RefusalTranscript(const std::vector<std::string>& args) {
  CLI::App app{"corslint"};
  GenerateFlags flags;
  AddGenerateCommand(app, &flags);
  std::vector<std::string> argv = {"corslint", "generate", "--target", "nginx"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<const char*> raw;
  for (const std::string& arg : argv) raw.push_back(arg.c_str());
  app.parse(static_cast<int>(raw.size()), raw.data());

  std::ostringstream out, err;
  int status = RunGenerate(flags, out, err);
  std::string transcript = "$ corslint generate --target nginx";
  for (const std::string& arg : args) transcript += " " + arg;
  transcript += "\n" + err.str() + "exit " + std::to_string(status) + "\n\n";
  return transcript;
}

TEST(GenerateTest, RefusesInvalidPoliciesWithTheNearestValidOne) {
  std::vector<std::vector<std::string>> cases = {
      {"--allow-any-origin", "--credentials"},
      {"--origin", "https://app.example.com/"},
      {"--origin", "https://App.Example.com"},
      {"--origin", "app.example.com"},
      {"--origin", "https://app.example.com:443"},
      {"--origin", "https://*.example.com"},
      {"--origin", "null"},
      {"--origin", "*"},
      {"--origin", "https://a.example.com,https://b.example.com"},
      {},
      {"--origin", "https://app.example.com", "--allow-any-origin"},
      {"--origin", "https://app.example.com", "--max-age", "86400"},
      {"--origin", "https://app.example.com", "--max-age", "-1"},
      {"--origin", "https://app.example.com", "--methods", "*"},
      {"--origin", "https://app.example.com", "--methods", "GET,TRACE"},
      {"--origin", "https://app.example.com", "--allow-headers", "Cookie"},
      {"--origin", "https://app.example.com", "--allow-headers", "X Request"},
      {"--origin", "https://app.example.com", "--credentials",
       "--allow-headers", "*"},
      {"--origin", "https://app.example.com", "--expose-headers", "Set-Cookie"},
      {"--origin", "https://app.example.com", "--origin",
       "https://app.example.com"},
  };
  std::string transcript;
  for (const auto& args : cases) transcript += RefusalTranscript(args);
  testing::ExpectGolden("generate/refusals.txt", transcript);
}

TEST(GenerateTest, WarnsAboutPlainHttpOriginsButGenerates) {
  std::string transcript =
      RefusalTranscript({"--origin", "http://app.example.com"});
  EXPECT_THAT(transcript, HasSubstr("corslint: warning: \"http://app"));
  EXPECT_THAT(transcript, HasSubstr("exit 0"));
}

TEST(PolicyFileTest, YamlAndJsonReadLikeTheOptions) {
  std::vector<SpecProblem> problems;
  std::optional<PolicySpec> yaml = ReadPolicySpec(
      "policy.yaml",
      "origins:\n  - https://app.example.com\n  - https://admin.example.com\n"
      "methods: [GET, put, DELETE]\n"
      "allow_headers: [X-Request-Id, Content-Type]\n"
      "expose_headers: X-Total-Count\n"
      "max_age: 600\n"
      "credentials: true\n",
      &problems);
  ASSERT_TRUE(yaml.has_value()) << problems.front().message;
  std::optional<PolicySpec> json = ReadPolicySpec(
      "policy.json",
      "{\"origins\": [\"https://app.example.com\", "
      "\"https://admin.example.com\"],\n"
      " \"methods\": [\"GET\", \"PUT\", \"DELETE\"],\n"
      " \"allow_headers\": [\"X-Request-Id\", \"Content-Type\"],\n"
      " \"expose_headers\": [\"X-Total-Count\"],\n"
      " \"max_age\": 600, \"credentials\": true}\n",
      &problems);
  ASSERT_TRUE(json.has_value()) << problems.front().message;

  PolicySpec expected = Specs().front().spec;
  for (const PolicySpec* spec : {&*yaml, &*json}) {
    EXPECT_EQ(spec->origins, expected.origins);
    EXPECT_EQ(spec->methods, expected.methods);
    EXPECT_EQ(spec->allow_headers, expected.allow_headers);
    EXPECT_EQ(spec->expose_headers, expected.expose_headers);
    EXPECT_EQ(spec->max_age, expected.max_age);
    EXPECT_EQ(spec->credentials, expected.credentials);
    EXPECT_EQ(EmitNginx(*spec), EmitNginx(expected));
  }
}

TEST(PolicyFileTest, ReportsEachFaultWithLineAndColumn) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"wildcard.yaml", "origins: \"*\"\ncredentials: true\n"},
      {"bad-origin.yaml",
       "origins:\n  - https://app.example.com\n  - https://api.example.com/v1\n"},
      {"typo.yaml", "origin: [https://app.example.com]\n"},
      {"unknown.yaml", "origins: [https://app.example.com]\nmaxage: 600\n"},
      {"types.yaml",
       "origins: [https://app.example.com]\ncredentials: yes\n"
       "max_age: ten\nmethods: {a: b}\n"},
      {"syntax.json", "{\"origins\": [\"https://app.example.com\"\n"},
      {"not-a-map.json", "[\"https://app.example.com\"]\n"},
      {"big-max-age.json",
       "{\"origins\": [\"https://app.example.com\"],\n \"max_age\": 86400}\n"},
  };
  std::string transcript;
  for (const auto& [name, text] : files) {
    std::vector<SpecProblem> problems;
    std::optional<PolicySpec> spec = ReadPolicySpec(name, text, &problems);
    EXPECT_FALSE(spec.has_value()) << name;
    std::ostringstream err;
    PrintSpecProblems(problems, err);
    transcript += "== " + name + "\n" + text + "--\n" + err.str() + "\n";
  }
  testing::ExpectGolden("generate/policy-file-errors.txt", transcript);
}

TEST(PolicyFileTest, RecognisesPolicyFilesByNameAndKey) {
  EXPECT_TRUE(LooksLikePolicyFile("cors.yaml", "origins: ['*']\n"));
  EXPECT_TRUE(LooksLikePolicyFile("p.json", "{\"origins\": []}"));
  EXPECT_FALSE(LooksLikePolicyFile("site.conf", "origins: x\n"));
  EXPECT_FALSE(LooksLikePolicyFile("ci.yml", "jobs: {}\n"));
}

}  // namespace
}  // namespace corslint
