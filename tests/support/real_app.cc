#include "tests/support/real_app.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "analyzer/analysis.h"
#include "analyzer/origin.h"
#include "tests/support/run_command.h"

extern char** environ;

namespace corslint {

namespace {

namespace fs = std::filesystem;

constexpr auto kStartTimeout = std::chrono::seconds(20);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr auto kPollInterval = std::chrono::milliseconds(25);

const fs::path kRunners = fs::path(CORSLINT_SOURCE_DIR) / "tests" / "runners";

int PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

bool AcceptsConnections(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool connected =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Starts `argv` in its own process group with `extra_env` added to the
// environment and its output in `output_path`.
pid_t Spawn(const std::vector<std::string>& argv,
            const std::vector<std::string>& extra_env,
            const std::string& output_path, std::string* error) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, output_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);

  std::vector<std::string> environment = extra_env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    std::string name = text.substr(0, text.find('='));
    bool replaced = false;
    for (const std::string& extra : extra_env) {
      replaced = replaced || extra.substr(0, extra.find('=')) == name;
    }
    if (!replaced) environment.push_back(text);
  }
  std::vector<char*> env;
  for (std::string& entry : environment) env.push_back(entry.data());
  env.push_back(nullptr);
  std::vector<char*> args;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);

  pid_t pid = -1;
  int status = posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes,
                            args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (status != 0) {
    *error = "cannot run " + argv[0] + ": " + std::strerror(status);
    return -1;
  }
  return pid;
}

std::vector<std::string> RunnerEnvironment(int port) {
  return {"PORT=" + std::to_string(port),
          "NODE_PATH=" + (kRunners / "node_modules").string(),
          "PYTHONDONTWRITEBYTECODE=1"};
}

// Runs `argv` to completion; returns its exit status, -1 when it did not
// run.
int RunToEnd(const std::vector<std::string>& argv, std::string* output) {
  std::string name =
      (fs::temp_directory_path() / "corslint-tool-XXXXXX").string();
  int fd = mkstemp(name.data());
  if (fd < 0) return -1;
  close(fd);
  std::string error;
  pid_t pid = Spawn(argv, RunnerEnvironment(0), name, &error);
  if (pid < 0) {
    *output = error;
    unlink(name.c_str());
    return -1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  *output = ReadFile(name);
  unlink(name.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::vector<std::string> RunnerCommand(Format format,
                                       const std::string& entry) {
  if (format == Format::kFlask) {
    return {"/usr/bin/python3", (kRunners / "flask_runner.py").string(), entry};
  }
  return {"node", (kRunners / "express_runner.js").string(), entry};
}

AppServer::~AppServer() { Stop(); }

bool AppServer::Start(Format format, const std::string& entry,
                      std::string* error) {
  // A port picked here may be taken before the app binds it; then the app
  // fails and starts again on another.
  constexpr int kAttempts = 5;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    bool port_in_use = false;
    if (StartOnce(format, entry, &port_in_use, error)) return true;
    if (!port_in_use) return false;
  }
  return false;
}

bool AppServer::StartOnce(Format format, const std::string& entry,
                          bool* port_in_use, std::string* error) {
  Stop();
  port_ = PickFreePort();
  if (port_ == 0) {
    *error = std::string("cannot pick a free port: ") + std::strerror(errno);
    return false;
  }
  std::string name =
      (fs::temp_directory_path() / "corslint-app-XXXXXX").string();
  int fd = mkstemp(name.data());
  if (fd < 0) {
    *error = "cannot create an output file";
    return false;
  }
  close(fd);
  output_path_ = name;
  pid_ = Spawn(RunnerCommand(format, entry), RunnerEnvironment(port_),
               output_path_, error);
  if (pid_ < 0) return false;

  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::string output = ReadFile(output_path_);
      *port_in_use = output.find("EADDRINUSE") != std::string::npos ||
                     output.find("Address already in use") != std::string::npos;
      *error = "the app exited before listening on port " +
               std::to_string(port_) + ":\n" + output;
      return false;
    }
    if (AcceptsConnections(port_) && testing::ListensOn(pid_, port_)) {
      return true;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  *error = "the app did not listen on port " + std::to_string(port_) +
           " within 20 s:\n" + ReadFile(output_path_);
  Stop();
  return false;
}

void AppServer::Stop() {
  using testing::SignalTarget;
  testing::StopProcess(pid_, SignalTarget::kGroup, SignalTarget::kGroup,
                       kStopTimeout);
  pid_ = -1;
  if (!output_path_.empty()) {
    unlink(output_path_.c_str());
    output_path_.clear();
  }
}

HttpResponse AppServer::Send(const Request& request) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  client.set_write_timeout(5);
  client.set_decompress(false);
  client.set_keep_alive(false);

  httplib::Request sent;
  sent.method = request.method;
  sent.path = request.path;
  if (request.origin) sent.headers.emplace("Origin", *request.origin);
  for (const auto& [name, value] : request.headers) {
    sent.headers.emplace(name, value);
  }
  if (request.handler_status >= 400) {
    sent.headers.emplace("X-Corslint-Fail", "1");
  }

  HttpResponse response;
  httplib::Result result = client.send(sent);
  if (!result) {
    response.error = httplib::to_string(result.error());
    return response;
  }
  response.status = result->status;
  response.headers.assign(result->headers.begin(), result->headers.end());
  response.body = result->body;
  return response;
}

bool ToolRejectsSyntax(const std::string& path, std::string* output) {
  std::vector<std::string> argv;
  if (path.ends_with(".py")) {
    argv = {"/usr/bin/python3", "-c",
            "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])",
            path};
  } else if (path.ends_with(".ts") || path.ends_with(".tsx")) {
    argv = {"node", "-e",
            "const ts = require('typescript'); const fs = require('fs');"
            "const f = process.argv[1];"
            "const s = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'),"
            " ts.ScriptTarget.Latest, false,"
            " f.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);"
            "for (const d of s.parseDiagnostics) console.log(d.messageText);"
            "process.exit(s.parseDiagnostics.length ? 1 : 0);",
            path};
  } else {
    argv = {"node", "--check", path};
  }
  int status = RunToEnd(argv, output);
  return status > 0;
}

namespace {

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
    HeaderRefs predicted = model.Find(name);
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

}  // namespace

std::string CompareWithModel(const Document& document, const AppServer& server,
                             size_t* compared) {
  std::string out;
  // The probe origins of the rules: an unrelated one, those derived from
  // the document's checks, their http:// forms, and null.
  Analysis analysis(document);
  std::vector<std::string> origins = {std::string(kUnrelatedOrigin)};
  for (const Analysis::Intended& intended : analysis.intended()) {
    origins.push_back(intended.origin);
    if (intended.origin.starts_with("https://")) {
      origins.push_back("http://" + intended.origin.substr(8));
    }
  }
  origins.push_back("null");

  for (const auto& scope : document.scopes) {
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
        ++*compared;
        if (differences.empty()) continue;
        out += scope->name + ": " + Describe(request) + "\n" + differences;
      }
    }
  }
  return out;
}

}  // namespace corslint
