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

bool IsCorsName(std::string_view name) {
  return EqualsIgnoreCase(name, "Vary") ||
         (name.size() > 15 &&
          EqualsIgnoreCase(name.substr(0, 15), "Access-Control-"));
}

std::string Describe(const Request& request) {
  std::string text = request.method + " " + request.path;
  if (request.origin) text += " Origin: " + *request.origin;
  for (const auto& [name, value] : request.headers) {
    text += ", " + name + ": " + value;
  }
  if (request.handler_status >= 400) text += ", handler fails";
  return text;
}

// Compares one answer; returns the differences, empty when they agree.
std::string Compare(const Response& model, const HttpResponse& real) {
  std::ostringstream out;
  if (!real.error.empty()) return "no answer: " + real.error;
  if (model.status != real.status) {
    out << "  status: model " << model.status << ", real " << real.status
        << "\n";
  }
  std::set<std::string> names;
  for (const ResponseHeader& header : model.headers) {
    if (IsCorsName(header.name)) names.insert(ToLower(header.name));
  }
  for (const auto& [name, value] : real.headers) {
    if (IsCorsName(name)) names.insert(ToLower(name));
  }
  for (const std::string& name : names) {
    std::vector<const ResponseHeader*> predicted = model.Find(name);
    std::vector<std::string> sent = real.HeaderValues(name);
    bool same = predicted.size() == sent.size();
    for (size_t i = 0; same && i < sent.size(); ++i) {
      // A value the model does not know only has to be there.
      same = !predicted[i]->value_known || predicted[i]->value == sent[i];
    }
    if (same) continue;
    out << "  " << name << ": model [";
    for (size_t i = 0; i < predicted.size(); ++i) {
      out << (i ? ", " : "")
          << (predicted[i]->value_known ? predicted[i]->value : "<unknown>");
    }
    out << "], real [";
    for (size_t i = 0; i < sent.size(); ++i) out << (i ? ", " : "") << sent[i];
    out << "]\n";
  }
  return out.str();
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

  // The probe origins of the rules: an unrelated one, those derived from
  // the document's checks, their http:// forms, and null.
  Analysis analysis(*document);
  std::vector<std::string> origins = {std::string(kUnrelatedOrigin)};
  for (const Analysis::Intended& intended : analysis.intended()) {
    origins.push_back(intended.origin);
    if (intended.origin.starts_with("https://")) {
      origins.push_back("http://" + intended.origin.substr(8));
    }
  }
  origins.push_back("null");

  size_t compared = 0;
  for (const auto& scope : document->scopes) {
    for (const std::string& origin : origins) {
      std::vector<Request> requests = {
          Request::Simple(origin),
          Request::Preflight(origin, "PUT", {"content-type"}),
          Request::Preflight(origin, "DELETE", {"authorization", "x-trace"}),
          Request::Simple(origin)};
      requests.back().handler_status = 500;
      // The actual request of a method that needs a preflight, as the
      // rules send it.
      for (const std::string& method : scope->methods) {
        if (method == "GET" || method == "HEAD" || method == "POST") continue;
        requests.push_back(Request::Simple(origin, method));
        break;
      }
      for (Request& request : requests) {
        request.path = scope->sample_path;
        Response model = scope->Respond(request);
        HttpResponse real = server.Send(request);
        std::string differences = Compare(model, real);
        ++compared;
        EXPECT_EQ(differences, "")
            << scope->name << ": " << Describe(request) << "\n"
            << differences;
      }
    }
  }
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
