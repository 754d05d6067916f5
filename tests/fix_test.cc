// Every fix against its golden pairs under fixtures/fixes: the fix loop
// turns each case into its `.fixed` file exactly; applying the fixes to
// that file again changes nothing; the fixed file reads without error, no
// longer has the mended finding and has no finding the case did not have;
// and the real nginx or httpd accepts the case and its fixed form, or,
// for Express and Flask, the real library runs both and answers as the
// model of each predicts. A
// display-only case instead shows its `.suggestion` snippet exactly, is
// never changed, and the snippet is accepted by the server and checks
// clean. The
// golden files change only when the tests run with CORSLINT_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "analyzer/check.h"
#include "analyzer/formats.h"
#include "analyzer/rule.h"
#include "fixers/fix_loop.h"
#include "fixers/fixes.h"
#include "tests/support/apache_server.h"
#include "tests/support/real_app.h"
#include "tests/support/real_nginx.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(CORSLINT_SOURCE_DIR) / "fixtures" / "fixes";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteAll(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

struct FixCase {
  Format format;
  std::string rule;
  fs::path input;   // the broken configuration
  fs::path golden;  // what the fixes make of it, or the suggested snippet
  std::string name;
  bool display_only = false;  // the case shows a snippet; nothing applies
};

void PrintTo(const FixCase& fix_case, std::ostream* out) {
  *out << fix_case.input.string();
}

// `site.conf` is fixed into `site.fixed.conf`, `.htaccess` into
// `.htaccess.fixed`; a display-only case's snippet is `site.suggestion.conf`.
fs::path GoldenOf(const fs::path& input, std::string_view kind) {
  std::string name = input.filename().string();
  if (name.starts_with(".")) {
    return input.parent_path() / (name + "." + std::string(kind));
  }
  return input.parent_path() / (input.stem().string() + "." +
                                std::string(kind) + input.extension().string());
}

bool IsGolden(const fs::path& path) {
  std::string name = path.filename().string();
  return name.find(".fixed") != std::string::npos ||
         name.find(".suggestion") != std::string::npos;
}

std::vector<FixCase> AllCases() {
  std::vector<FixCase> cases;
  if (!fs::exists(kCases)) return cases;
  for (const auto& entry : fs::recursive_directory_iterator(kCases)) {
    const fs::path& path = entry.path();
    if (!entry.is_regular_file() || IsGolden(path) ||
        path.extension() == ".md") {
      continue;
    }
    fs::path relative = fs::relative(path, kCases);
    auto part = relative.begin();
    std::optional<Format> format = ParseFormat(part->string());
    if (!format) continue;
    std::string rule = (++part)->string();
    std::string name = relative.string();
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    bool display_only =
        ReadAll(path).find("corslint-test: display-only") != std::string::npos;
    cases.push_back({*format, rule, path,
                     GoldenOf(path, display_only ? "suggestion" : "fixed"),
                     name, display_only});
  }
  std::sort(cases.begin(), cases.end(),
            [](const FixCase& a, const FixCase& b) { return a.name < b.name; });
  return cases;
}

// The `corslint-test:` lines of a case.
struct Settings {
  CheckOptions options;
  bool unsafe = false;
};

Settings ReadSettings(const FixCase& fix_case) {
  Settings settings;
  settings.options.forced_format = fix_case.format;
  settings.options.jobs = 1;
  std::istringstream lines(ReadAll(fix_case.input));
  std::string line;
  const std::string marker = "corslint-test:";
  while (std::getline(lines, line)) {
    size_t at = line.find(marker);
    if (at == std::string::npos) continue;
    std::string setting = line.substr(at + marker.size());
    while (!setting.empty() &&
           (setting.back() == '\r' || setting.back() == ' ')) {
      setting.pop_back();
    }
    setting.erase(0, setting.find_first_not_of(" \t"));
    size_t equals = setting.find('=');
    std::string key = setting.substr(0, equals);
    std::string value =
        equals == std::string::npos ? "" : setting.substr(equals + 1);
    if (key == "unsafe-fixes") {
      settings.unsafe = true;
    } else if (key == "display-only") {
      // Read by AllCases.
    } else if (key == "trusted-origins") {
      std::istringstream items(value);
      std::string item;
      while (std::getline(items, item, ',')) {
        settings.options.rule_options.trusted_origins.push_back(item);
      }
    } else if (key == "max-age-limit") {
      settings.options.rule_options.max_age_limit = std::stoi(value);
    } else {
      ADD_FAILURE() << "unknown setting \"" << key << "\"";
    }
  }
  return settings;
}

// A private copy of a text under the case's own file name, so that the
// fixed text is read exactly as the case is (`.htaccess` is read as the
// body of a <Directory>).
class Scratch {
 public:
  explicit Scratch(const FixCase& fix_case)
      : dir_(fs::temp_directory_path() /
             ("corslint-fix-" + std::to_string(::getpid()) + "-" +
              fix_case.name)),
        file_(dir_ / fix_case.input.filename()) {
    fs::remove_all(dir_);
  }
  ~Scratch() { fs::remove_all(dir_); }

  std::string Put(const std::string& text) {
    WriteAll(file_, text);
    return file_.string();
  }

 private:
  fs::path dir_;
  fs::path file_;
};

std::string Describe(const CheckResult& result) {
  std::string text;
  for (const Finding& finding : result.findings) {
    Location where = Locate(finding.span);
    text += "  " + std::to_string(where.line) + ":" +
            std::to_string(where.column) + " [" + finding.rule + "] " +
            finding.message + "\n";
  }
  for (const InputError& error : result.errors) {
    text += "  error " + std::to_string(error.where.line) + ": " +
            error.message + "\n";
  }
  return text;
}

bool Updating() {
  const char* update = std::getenv("CORSLINT_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

class FixGoldenTest : public ::testing::TestWithParam<FixCase> {};

TEST_P(FixGoldenTest, TheFixesTurnTheCaseIntoItsGoldenFile) {
  const FixCase& fix_case = GetParam();
  Settings settings = ReadSettings(fix_case);

  // The case shows the rule's finding with a fix of the expected safety.
  CheckResult before = RunCheck({fix_case.input.string()}, settings.options);
  ASSERT_TRUE(before.errors.empty()) << Describe(before);
  FixSafety expected = fix_case.display_only ? FixSafety::kDisplayOnly
                       : settings.unsafe     ? FixSafety::kUnsafe
                                             : FixSafety::kSafe;
  const Fix* offered = nullptr;
  for (const Finding& finding : before.findings) {
    for (const Fix& fix : finding.fixes) {
      if (finding.rule == fix_case.rule && fix.safety == expected) {
        offered = &fix;
      }
    }
  }
  ASSERT_NE(offered, nullptr)
      << "no fix of the expected safety for " << fix_case.rule << ":\n"
      << Describe(before);

  // A display-only fix is shown, never applied: its snippet is the golden.
  if (fix_case.display_only) {
    EXPECT_TRUE(offered->edits.empty());
    if (Updating()) {
      WriteAll(fix_case.golden, offered->snippet);
      return;
    }
    ASSERT_TRUE(fs::exists(fix_case.golden))
        << fix_case.golden << " is missing; run the tests with "
        << "CORSLINT_UPDATE_GOLDEN=1 to create it, then review it";
    EXPECT_EQ(offered->snippet, ReadAll(fix_case.golden));
    return;
  }

  FixLoopOptions fix_options;
  fix_options.unsafe = settings.unsafe;
  FixLoopResult loop =
      RunFixLoop({fix_case.input.string()}, settings.options, fix_options);
  EXPECT_TRUE(loop.settled);
  EXPECT_TRUE(loop.broken.empty());
  ASSERT_EQ(loop.files.size(), 1u) << "the fixes changed no file, or more";
  EXPECT_EQ(loop.files[0].original, ReadAll(fix_case.input));

  if (Updating()) {
    WriteAll(fix_case.golden, loop.files[0].fixed);
    return;
  }
  ASSERT_TRUE(fs::exists(fix_case.golden))
      << fix_case.golden << " is missing; run the tests with "
      << "CORSLINT_UPDATE_GOLDEN=1 to create it, then review it";
  EXPECT_EQ(loop.files[0].fixed, ReadAll(fix_case.golden))
      << "the fixes differ from " << fix_case.golden
      << "; if the change is intended, rerun with CORSLINT_UPDATE_GOLDEN=1 "
         "and review the diff";
}

TEST_P(FixGoldenTest, ApplyingTheFixesAgainChangesNothing) {
  const FixCase& fix_case = GetParam();
  Settings settings = ReadSettings(fix_case);
  Scratch scratch(fix_case);
  // A display-only case is never changed, not even once.
  std::string fixed = scratch.Put(
      ReadAll(fix_case.display_only ? fix_case.input : fix_case.golden));

  FixLoopOptions fix_options;
  fix_options.unsafe = settings.unsafe;
  FixLoopResult loop = RunFixLoop({fixed}, settings.options, fix_options);
  EXPECT_EQ(loop.applied, 0u);
  for (const FixedFile& file : loop.files) {
    ADD_FAILURE() << "a second application changed the file:\n" << file.fixed;
  }
}

TEST_P(FixGoldenTest, TheFixedFileHasNoFindingOfTheRuleAndNoNewFinding) {
  const FixCase& fix_case = GetParam();
  Settings settings = ReadSettings(fix_case);
  CheckResult before = RunCheck({fix_case.input.string()}, settings.options);
  std::set<std::pair<std::string, std::string>> known;
  for (const Finding& finding : before.findings) {
    known.insert({finding.rule, finding.message});
  }

  Scratch scratch(fix_case);
  std::string fixed = scratch.Put(ReadAll(fix_case.golden));
  CheckResult after = RunCheck({fixed}, settings.options);
  EXPECT_TRUE(after.errors.empty()) << Describe(after);
  EXPECT_GT(after.files_read, 0u);
  for (const Finding& finding : after.findings) {
    EXPECT_NE(finding.rule, fix_case.rule)
        << "still reported: " << finding.message;
    // A snippet is new code from the generator: it must be clean.
    if (fix_case.display_only) {
      EXPECT_EQ(finding.severity, Severity::kInfo)
          << "the snippet has [" << finding.rule << "] " << finding.message;
      continue;
    }
    EXPECT_TRUE(known.count({finding.rule, finding.message}))
        << "new finding [" << finding.rule << "] " << finding.message;
  }
}

// httpd accepts an Apache text: a `.conf` fragment by `httpd -t` inside a
// self-contained configuration, an .htaccess file by serving a request
// from its directory without an error.
bool ApacheAccepts(const FixCase& fix_case, const std::string& text,
                   std::string* output) {
  testing::TempDir dir;
  bool htaccess = fix_case.input.filename() == ".htaccess";
  int port = testing::FreeLoopbackPort();
  std::string global = testing::ApacheGlobalConfig(
      dir.path(), {port}, testing::DefaultApacheModules());
  if (!htaccess) {
    std::string fragment = dir.Write("fragment.conf", text);
    std::string conf =
        dir.Write("httpd.conf", global + "Include \"" + fragment + "\"\n");
    return testing::ApacheConfigTest(conf, output);
  }
  dir.Write("site/.htaccess", text);
  dir.Write("site/index.html", "<p>case</p>\n");
  std::string conf = dir.Write(
      "httpd.conf", global + "DocumentRoot \"" + dir.path() +
                        "/site\"\n<Directory \"" + dir.path() +
                        "/site\">\n  AllowOverride All\n  Require all "
                        "granted\n</Directory>\n");
  testing::ApacheServer server;
  if (!server.Start(conf, port, dir.path() + "/error.log", output)) {
    return false;
  }
  Request request = Request::Simple("https://app.example.com");
  request.path = "/index.html";
  testing::HttpResponse response;
  if (!testing::SendRequest(port, request, &response, output)) return false;
  *output = "status " + std::to_string(response.status);
  return response.status == 200;
}

// An Express or Flask text runs under its real library and answers the
// probes as corslint's model of it predicts: the application at `path`,
// or for a display-only case's snippet, the generated application (which
// leaves routes and listening to its caller) started from a copy with one
// route that listens.
std::string AppAnswersAsModelled(const FixCase& fix_case,
                                 const fs::path& path) {
  testing::TempDir dir;
  std::string text = ReadAll(path);
  if (fix_case.display_only && path == fix_case.golden) {
    text += fix_case.format == Format::kExpress
                ? "\napp.get('/', (req, res) => res.send('ok'));\n"
                  "app.listen(Number(process.env.PORT), '127.0.0.1');\n"
                : "\n\n@app.route(\"/\")\ndef index():\n    return \"ok\"\n";
  }
  std::string entry = dir.Write(fix_case.input.filename().string(), text);

  LoaderOptions options;
  options.allowed_roots = {dir.path()};
  // The real Flask is Debian's flask-cors 3.0.10.
  options.flask_cors_line = 3;
  std::unique_ptr<Document> document =
      LoadDocument(fix_case.format, entry, text, options);
  if (!document->errors.empty()) {
    return "does not parse: " + document->errors.front().message;
  }

  AppServer server;
  std::string error;
  if (!server.Start(fix_case.format, entry, &error)) return error;
  // A RegExp with `g` or `y` makes the answers alternate, which the model
  // leaves unknown: such an app only has to answer.
  bool stateful = std::any_of(
      document->origin_checks.begin(), document->origin_checks.end(),
      [](const OriginCheck& check) { return check.stateful; });
  if (stateful) {
    Request request = Request::Simple("https://app.example.com");
    request.path = document->scopes.front()->sample_path;
    HttpResponse response = server.Send(request);
    return response.error.empty() ? "" : "no answer: " + response.error;
  }
  size_t compared = 0;
  std::string differences = CompareWithModel(*document, server, &compared);
  if (compared == 0) return "the model has no scope to compare";
  return differences;
}

TEST_P(FixGoldenTest, TheServerAcceptsTheCaseAndItsFixedForm) {
  const FixCase& fix_case = GetParam();
  for (const fs::path& path : {fix_case.input, fix_case.golden}) {
    std::string output;
    switch (fix_case.format) {
      case Format::kNginx:
        EXPECT_TRUE(NginxAcceptsFile(path.string(), &output)) << path << ":\n"
                                                              << output;
        break;
      case Format::kApache:
        EXPECT_TRUE(ApacheAccepts(fix_case, ReadAll(path), &output))
            << path << ":\n"
            << output;
        break;
      case Format::kExpress:
      case Format::kFlask: {
        std::string differences = AppAnswersAsModelled(fix_case, path);
        EXPECT_EQ(differences, "") << path << ":\n" << differences;
        break;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, FixGoldenTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<FixCase>& info) {
                           return info.param.name;
                         });

// The Express and Flask fixers on small apps: the exact text an edit
// leaves, and the findings that get no edit because the text at the
// finding is not a plain literal of the expected shape.
struct CodeFixCase {
  const char* name;
  Format format;
  const char* file;
  const char* code;
  const char* rule;
  const char* fixed;  // null: the finding gets no edit
  std::vector<std::string> trusted = {};
};

void PrintTo(const CodeFixCase& code_case, std::ostream* out) {
  *out << code_case.name;
}

const CodeFixCase kCodeFixCases[] = {
    {"FirstItemOfAListOnItsOwnLines", Format::kExpress, "app.js",
     "const express = require('express');\n"
     "const cors = require('cors');\n"
     "const app = express();\n"
     "app.use(cors({\n"
     "  origin: [\n"
     "    'null',\n"
     "    'https://app.example.com',\n"
     "  ],\n"
     "}));\n"
     "app.get('/api/items', (req, res) => res.json([]));\n",
     "null-origin-allowed",
     "const express = require('express');\n"
     "const cors = require('cors');\n"
     "const app = express();\n"
     "app.use(cors({\n"
     "  origin: [\n"
     "    'https://app.example.com',\n"
     "  ],\n"
     "}));\n"
     "app.get('/api/items', (req, res) => res.json([]));\n"},
    {"OnlyItemOfAListIsNotRemoved", Format::kExpress, "app.js",
     "const express = require('express');\n"
     "const cors = require('cors');\n"
     "const app = express();\n"
     "app.use(cors({ origin: ['null'] }));\n"
     "app.get('/api/items', (req, res) => res.json([]));\n",
     "null-origin-allowed", nullptr},
    {"CredentialsValueFromAVariableIsNotRewritten", Format::kExpress, "app.js",
     "const express = require('express');\n"
     "const app = express();\n"
     "const yes = 'True';\n"
     "app.use((req, res, next) => {\n"
     "  res.header('Access-Control-Allow-Origin', 'https://app.example.com');\n"
     "  res.header('Access-Control-Allow-Credentials', yes);\n"
     "  next();\n"
     "});\n"
     "app.get('/api/items', (req, res) => res.json([]));\n",
     "invalid-credentials-value", nullptr},
    {"CredentialsValueWithAnEscapeIsNotRewritten", Format::kExpress, "app.js",
     "const express = require('express');\n"
     "const app = express();\n"
     "app.use((req, res, next) => {\n"
     "  res.header('Access-Control-Allow-Origin', 'https://app.example.com');\n"
     "  res.header('Access-Control-Allow-Credentials', 'Tru\\x65');\n"
     "  next();\n"
     "});\n"
     "app.get('/api/items', (req, res) => res.json([]));\n",
     "invalid-credentials-value", nullptr},
    {"MaxAgeFromAConstantIsNotRewritten", Format::kExpress, "app.js",
     "const express = require('express');\n"
     "const cors = require('cors');\n"
     "const app = express();\n"
     "const DAY = 86400;\n"
     "app.use(cors({ origin: 'https://app.example.com', maxAge: DAY }));\n"
     "app.get('/api/items', (req, res) => res.json([]));\n",
     "max-age-exceeds-browser-limit", nullptr},
    {"OriginTrueWithoutTrustedOriginsGetsNoEdit", Format::kExpress, "app.js",
     "const express = require('express');\n"
     "const cors = require('cors');\n"
     "const app = express();\n"
     "app.use(cors({ origin: true, credentials: true }));\n"
     "app.get('/api/items', (req, res) => res.json([]));\n",
     "reflected-origin", nullptr},
    {"RegExpWithASlashIsEscapedInTheLiteral", Format::kExpress, "app.js",
     "const express = require('express');\n"
     "const cors = require('cors');\n"
     "const app = express();\n"
     "app.use(cors({ origin: /https:\\/\\/app\\.example\\.com/i }));\n"
     "app.get('/api/items', (req, res) => res.json([]));\n",
     "permissive-origin-pattern",
     "const express = require('express');\n"
     "const cors = require('cors');\n"
     "const app = express();\n"
     "app.use(cors({ origin: /^https:\\/\\/app\\.example\\.com$/i }));\n"
     "app.get('/api/items', (req, res) => res.json([]));\n"},
    {"FlaskCallWithATrailingCommaGetsItsOrigins",
     Format::kFlask,
     "app.py",
     "from flask import Flask, jsonify\n"
     "from flask_cors import CORS\n"
     "app = Flask(__name__)\n"
     "CORS(\n"
     "    app,\n"
     "    supports_credentials=True,\n"
     ")\n"
     "@app.route('/api/items')\n"
     "def items():\n"
     "    return jsonify([])\n",
     "reflected-origin",
     "from flask import Flask, jsonify\n"
     "from flask_cors import CORS\n"
     "app = Flask(__name__)\n"
     "CORS(\n"
     "    app,\n"
     "    supports_credentials=True, origins=['https://app.example.com']\n"
     ")\n"
     "@app.route('/api/items')\n"
     "def items():\n"
     "    return jsonify([])\n",
     {"https://app.example.com"}},
    {"FlaskResourcesAreNotRewritten",
     Format::kFlask,
     "app.py",
     "from flask import Flask, jsonify\n"
     "from flask_cors import CORS\n"
     "app = Flask(__name__)\n"
     "CORS(app, resources={r'/api/*': {}}, supports_credentials=True)\n"
     "@app.route('/api/items')\n"
     "def items():\n"
     "    return jsonify([])\n",
     "reflected-origin",
     nullptr,
     {"https://app.example.com"}},
    {"FlaskMaxAgeStringOfDigits", Format::kFlask, "app.py",
     "from flask import Flask, jsonify\n"
     "from flask_cors import CORS\n"
     "app = Flask(__name__)\n"
     "CORS(app, origins='https://app.example.com', max_age='86400')\n"
     "@app.route('/api/items')\n"
     "def items():\n"
     "    return jsonify([])\n",
     "max-age-exceeds-browser-limit",
     "from flask import Flask, jsonify\n"
     "from flask_cors import CORS\n"
     "app = Flask(__name__)\n"
     "CORS(app, origins='https://app.example.com', max_age='7200')\n"
     "@app.route('/api/items')\n"
     "def items():\n"
     "    return jsonify([])\n"},
};

class CodeFixTest : public ::testing::TestWithParam<CodeFixCase> {};

TEST_P(CodeFixTest, EditsOnlyPlainLiterals) {
  const CodeFixCase& code_case = GetParam();
  testing::TempDir dir;
  std::string path = dir.Write(code_case.file, code_case.code);
  CheckOptions options;
  options.forced_format = code_case.format;
  options.jobs = 1;
  options.rule_options.trusted_origins = code_case.trusted;

  CheckResult before = RunCheck({path}, options);
  ASSERT_TRUE(before.errors.empty()) << Describe(before);
  bool found = false;
  bool edited = false;
  for (const Finding& finding : before.findings) {
    if (finding.rule != code_case.rule) continue;
    found = true;
    for (const Fix& fix : finding.fixes) edited = edited || !fix.edits.empty();
  }
  ASSERT_TRUE(found) << "no " << code_case.rule << " finding:\n"
                     << Describe(before);
  if (code_case.fixed == nullptr) {
    EXPECT_FALSE(edited);
    return;
  }
  ASSERT_TRUE(edited);
  FixLoopOptions fix_options;
  fix_options.unsafe = true;
  FixLoopResult loop = RunFixLoop({path}, options, fix_options);
  ASSERT_EQ(loop.files.size(), 1u);
  EXPECT_EQ(loop.files[0].fixed, code_case.fixed);
}

INSTANTIATE_TEST_SUITE_P(Table, CodeFixTest, ::testing::ValuesIn(kCodeFixCases),
                         [](const ::testing::TestParamInfo<CodeFixCase>& info) {
                           return std::string(info.param.name);
                         });

// Every kind of fix in the catalog has at least one case, and every case
// belongs to a kind of fix in the catalog.
TEST(FixCatalogTest, EveryKindOfFixHasACaseAndEveryCaseAKind) {
  std::vector<FixCase> cases = AllCases();
  ASSERT_FALSE(cases.empty());
  for (const FixKind& kind : FixCatalog()) {
    bool covered = std::any_of(cases.begin(), cases.end(), [&](auto& c) {
      return c.rule == kind.rule && c.format == kind.format;
    });
    EXPECT_TRUE(covered) << "no case for " << kind.rule << " in "
                         << FormatName(kind.format);
  }
  for (const FixCase& fix_case : cases) {
    bool known = std::any_of(
        FixCatalog().begin(), FixCatalog().end(), [&](const FixKind& kind) {
          return kind.rule == fix_case.rule && kind.format == fix_case.format;
        });
    EXPECT_TRUE(known) << fix_case.input << " is not a kind of fix in the "
                       << "catalog";
    EXPECT_TRUE(fs::exists(fix_case.golden) || Updating())
        << fix_case.golden << " is missing";
  }
}

// A rule's "Fix safety" section names the safety of each kind of fix the
// catalog holds for it, and a rule without one says that it has none.
TEST(FixCatalogTest, RuleDocsAgreeWithTheCatalog) {
  for (const RuleInfo* rule : AllRules()) {
    std::string doc(rule->doc);
    size_t at = doc.find("## Fix safety");
    ASSERT_NE(at, std::string::npos) << rule->name;
    std::string section = doc.substr(at, doc.find("\n## ", at + 1) - at);
    std::replace(section.begin(), section.end(), '\n', ' ');
    std::set<FixSafety> kinds;
    for (const FixKind& kind : FixCatalog()) {
      if (kind.rule == rule->name) kinds.insert(kind.safety);
    }
    if (kinds.empty()) {
      EXPECT_TRUE(section.find("No automatic fix") != std::string::npos ||
                  section.find("No fix") != std::string::npos)
          << rule->name << " has no fix, but its doc does not say so";
      continue;
    }
    // Display-only fixes are never applied: "No automatic fix" holds.
    if (kinds.count(FixSafety::kSafe) || kinds.count(FixSafety::kUnsafe)) {
      EXPECT_EQ(section.find("No automatic fix"), std::string::npos)
          << rule->name;
    }
    if (kinds.count(FixSafety::kSafe)) {
      EXPECT_TRUE(std::regex_search(section, std::regex("\\bsafe\\b")))
          << rule->name << ": the doc does not call its fix safe";
    }
    if (kinds.count(FixSafety::kUnsafe)) {
      EXPECT_NE(section.find("unsafe"), std::string::npos)
          << rule->name << ": the doc does not call its fix unsafe";
    }
    if (kinds.count(FixSafety::kDisplayOnly)) {
      EXPECT_NE(section.find("display-only"), std::string::npos)
          << rule->name << ": the doc does not call its fix display-only";
    }
  }
}

}  // namespace
}  // namespace corslint
