// Every Express and Flask fixture and example app, run by its real library
// and sent the requests the rules probe with: the status and every CORS
// header (Access-Control-*, Vary) must be what the model answers. Files
// under a directory named `invalid` are the opposite case: the language's
// own tools must reject each of them, and corslint must report a syntax
// error with its line and column.
#include "tests/support/real_app.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/analysis.h"
#include "analyzer/formats.h"
#include "analyzer/origin.h"

namespace corslint {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = fs::path(CORSLINT_SOURCE_DIR);

struct AppCase {
  Format format = Format::kExpress;
  std::string entry;  // the file the runner starts and corslint reads
  std::string name;
  bool invalid = false;
};

void PrintTo(const AppCase& app_case, std::ostream* out) {
  *out << app_case.entry;
}

bool IsEntryName(const fs::path& path) {
  std::string stem = path.stem().string();
  return stem == "app" || stem == "server" || stem == "main";
}

bool IsCode(const fs::path& path) {
  std::string extension = path.extension().string();
  return extension == ".js" || extension == ".ts" || extension == ".py";
}

// The fixture files and app folders below fixtures/<format> and
// examples/<format>. A folder fixture is started through its app.* file;
// its other files are modules the app imports.
std::vector<AppCase> CollectCases() {
  std::vector<AppCase> cases;
  for (const char* top : {"fixtures", "examples"}) {
    for (Format format : {Format::kExpress, Format::kFlask}) {
      fs::path root = kSource / top / std::string(FormatName(format));
      if (!fs::exists(root)) continue;
      for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file() || !IsCode(entry.path())) continue;
        fs::path relative = entry.path().lexically_relative(root);
        bool invalid =
            std::any_of(relative.begin(), relative.end(),
                        [](const fs::path& p) { return p == "invalid"; });
        // Inside a folder fixture (below fire/ or silent/ one more level),
        // only the app.* file is an entry.
        fs::path parent = entry.path().parent_path().filename();
        bool in_folder = parent != "fire" && parent != "silent" &&
                         parent != "invalid" &&
                         entry.path().parent_path() != root;
        if (in_folder && !IsEntryName(entry.path())) continue;
        AppCase app_case;
        app_case.format = format;
        app_case.entry = entry.path().string();
        app_case.invalid = invalid;
        app_case.name = std::string(top) + "/" +
                        std::string(FormatName(format)) + "/" +
                        relative.string();
        cases.push_back(std::move(app_case));
      }
    }
  }
  std::sort(cases.begin(), cases.end(), [](const AppCase& a, const AppCase& b) {
    return a.entry < b.entry;
  });
  return cases;
}

std::unique_ptr<Document> LoadModel(const AppCase& app_case) {
  std::ifstream in(app_case.entry, std::ios::binary);
  std::string text(std::istreambuf_iterator<char>(in), {});
  LoaderOptions options;
  options.allowed_roots = {
      fs::weakly_canonical(fs::path(app_case.entry).parent_path()).string()};
  // The real Flask side is Debian's flask-cors 3.0.10.
  options.flask_cors_line = 3;
  return LoadDocument(app_case.format, app_case.entry, std::move(text),
                      options);
}

class RealAppTest : public ::testing::TestWithParam<AppCase> {};

TEST_P(RealAppTest, ModelAgreesWithTheRealLibrary) {
  const AppCase& app_case = GetParam();
  std::unique_ptr<Document> document = LoadModel(app_case);

  if (app_case.invalid) {
    std::string output;
    EXPECT_TRUE(ToolRejectsSyntax(app_case.entry, &output))
        << "the language's tools accept " << app_case.entry << "\n"
        << output;
    ASSERT_FALSE(document->errors.empty())
        << "corslint reports no error for " << app_case.entry;
    EXPECT_GT(document->errors.front().where.line, 0);
    EXPECT_GT(document->errors.front().where.column, 0);
    return;
  }

  for (const InputError& error : document->errors) {
    ADD_FAILURE() << error.where.line << ":" << error.where.column << ": "
                  << error.message;
  }
  ASSERT_FALSE(document->scopes.empty()) << "the model has no scope";

  AppServer server;
  std::string error;
  ASSERT_TRUE(server.Start(app_case.format, app_case.entry, &error)) << error;

  // A RegExp with `g` or `y` makes the answers depend on the requests
  // before: the model leaves them unknown, and the real library must show
  // the alternation for the origin the check admits.
  const OriginCheck* stateful = nullptr;
  for (const OriginCheck& check : document->origin_checks) {
    if (check.stateful) stateful = &check;
  }
  if (stateful != nullptr) {
    bool subdomains = false;
    std::vector<std::string> admitted = IntendedOrigins(*stateful, &subdomains);
    ASSERT_FALSE(admitted.empty()) << stateful->pattern;
    Request request = Request::Simple(admitted.front());
    request.path = document->scopes.front()->sample_path;
    std::set<size_t> counts;
    for (int i = 0; i < 4; ++i) {
      counts.insert(server.Send(request)
                        .HeaderValues("Access-Control-Allow-Origin")
                        .size());
    }
    EXPECT_EQ(counts.size(), 2u) << "the same request from " << admitted.front()
                                 << " was not alternately allowed and refused";
    return;
  }

  size_t compared = 0;
  EXPECT_EQ(CompareWithModel(*document, server, &compared), "");
  EXPECT_GT(compared, 0u);
}

std::string CaseName(const ::testing::TestParamInfo<AppCase>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Apps, RealAppTest, ::testing::ValuesIn(CollectCases()),
                         CaseName);

}  // namespace
}  // namespace corslint
