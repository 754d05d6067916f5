#include "tests/support/code_dump.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/formats.h"

namespace corslint::testing {

namespace fs = std::filesystem;

std::unique_ptr<Document> LoadCode(
    Format format, const std::string& name, const std::string& text,
    const std::vector<std::pair<std::string, std::string>>& siblings,
    int flask_cors_line) {
  static int counter = 0;
  fs::path dir =
      fs::temp_directory_path() / ("corslint-code-" + std::to_string(getpid()) +
                                   "-" + std::to_string(counter++));
  fs::create_directories(dir);
  for (const auto& [sibling, content] : siblings) {
    fs::create_directories((dir / sibling).parent_path());
    std::ofstream(dir / sibling) << content;
  }
  LoaderOptions options;
  options.allowed_roots = {fs::weakly_canonical(dir).string()};
  options.flask_cors_line = flask_cors_line;
  std::unique_ptr<Document> document =
      LoadDocument(format, (dir / name).string(), text, options);
  // Spans keep the texts; the files on disk are no longer needed.
  fs::remove_all(dir);
  return document;
}

std::string DumpCode(const Document& document) {
  std::ostringstream out;
  for (const auto& scope : document.scopes) {
    out << "scope " << scope->name << " @" << scope->sample_path << "\n";
    Request get = Request::Simple("https://app.example.com");
    Request attacker = Request::Simple("https://attacker.test");
    Request preflight =
        Request::Preflight("https://app.example.com", "PUT", {"content-type"});
    Request failing = Request::Simple("https://app.example.com");
    failing.handler_status = 500;
    std::pair<const char*, Request*> probes[] = {{"GET app", &get},
                                                 {"GET attacker", &attacker},
                                                 {"PUT preflight", &preflight},
                                                 {"GET app failing", &failing}};
    for (auto& [label, request] : probes) {
      request->path = scope->sample_path;
      Response response = scope->Respond(*request);
      out << "  " << label << " -> " << response.status << " "
          << ResponderName(response.responder) << "\n";
      for (const ResponseHeader& header : response.headers) {
        out << "    " << header.name << ": "
            << (header.value_known ? header.value : "<unknown>") << "\n";
      }
    }
  }
  for (const OriginCheck& check : document.origin_checks) {
    out << "check " << OriginCheckKindName(check.kind) << " " << check.pattern
        << (check.case_insensitive ? " (i)" : "")
        << (check.stateful ? " (stateful)" : "")
        << (check.used ? "" : " (unused)") << "\n";
  }
  for (const ModelNote& note : document.notes) {
    Location where = Locate(note.span);
    out << "note " << where.line << ":" << where.column << " " << note.message
        << "\n";
  }
  for (const InputError& error : document.errors) {
    out << "error " << error.where.line << ":" << error.where.column << " "
        << error.message << "\n";
  }
  return out.str();
}

}  // namespace corslint::testing
