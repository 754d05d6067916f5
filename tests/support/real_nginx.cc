#include "tests/support/real_nginx.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/run_command.h"

extern char** environ;

namespace corslint {
namespace {

namespace fs = std::filesystem;

constexpr char kModuleFile[] = "ngx_http_headers_more_filter_module.so";
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr auto kPollInterval = std::chrono::milliseconds(20);

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string ReplaceAll(std::string text, std::string_view from,
                       std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out.flush());
}

// The nginx program: the first one on PATH, then the sbin directories that
// a non-root PATH often lacks. Empty when there is none.
std::string FindNginx() {
  std::string dirs = "/usr/sbin:/sbin:/usr/local/sbin";
  if (const char* path = std::getenv("PATH")) {
    dirs = std::string(path) + ":" + dirs;
  }

  std::istringstream in(dirs);
  std::string dir;
  while (std::getline(in, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/nginx";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Starts `argv` with stdin from /dev/null and stdout and stderr into the
// file `output_path`, in a process group of its own. Returns the process id,
// or -1 with `error` filled.
pid_t Spawn(const std::vector<std::string>& argv,
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

  std::vector<char*> args;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = -1;
  int status = posix_spawn(&pid, argv[0].c_str(), &actions, &attributes,
                           args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (status != 0) {
    *error = "cannot run " + argv[0] + ": " + std::strerror(status);
    return -1;
  }
  return pid;
}

// Runs `argv` to its end. Returns its exit code, or -1 when it could not be
// run or died of a signal; `output` gets what it printed, or the reason.
int Run(const std::vector<std::string>& argv, const fs::path& output_path,
        std::string* output) {
  pid_t pid = Spawn(argv, output_path, output);
  if (pid < 0) return -1;

  int status = 0;
  pid_t waited = -1;
  do {
    waited = waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  if (waited < 0) {
    *output = "cannot wait for " + argv[0] + ": " + std::strerror(errno);
    return -1;
  }
  *output = ReadFile(output_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Where the headers-more module is, or why it cannot be found.
struct ModuleLookup {
  std::string path;
  std::string error;
};

// Looks in the modules directory that `nginx -V` names.
ModuleLookup LookUpHeadersMoreModule() {
  std::string nginx = FindNginx();
  if (nginx.empty()) return {"", "nginx not found; install nginx-light"};

  fs::path output_path = fs::temp_directory_path() /
                         ("corslint-nginx-version-" + std::to_string(getpid()));
  std::string version;
  Run({nginx, "-V"}, output_path, &version);
  std::error_code ignored;
  fs::remove(output_path, ignored);

  constexpr std::string_view kOption = "--modules-path=";
  size_t at = version.find(kOption);
  if (at == std::string::npos) {
    return {"", "'nginx -V' names no --modules-path: " + version};
  }
  size_t begin = at + kOption.size();
  size_t end = version.find_first_of(" \n", begin);
  fs::path path = fs::path(version.substr(begin, end - begin)) / kModuleFile;
  if (!fs::exists(path)) {
    return {"", "headers-more module not found at '" + path.string() +
                    "'; install libnginx-mod-http-headers-more-filter"};
  }
  return {path.string(), ""};
}

// The headers-more module's path, looked up once. Empty with `error` filled
// when it is not there.
std::string HeadersMoreModule(std::string* error) {
  static const ModuleLookup lookup = LookUpHeadersMoreModule();
  if (lookup.path.empty()) *error = lookup.error;
  return lookup.path;
}

// A free TCP port on 127.0.0.1, or 0. `keep` receives the socket still bound
// to it, so that a second call cannot pick the same port; the caller closes
// it before nginx binds the port.
int PickFreePort(int* keep) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return 0;
  }
  *keep = fd;
  return ntohs(address.sin_port);
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

// Makes a fresh prefix: logs/, html/index.html and a copy of `include_dir`'s
// contents. Returns its path, or an empty string with `error` filled.
std::string MakePrefix(const std::string& include_dir, std::string* error) {
  std::string pattern =
      (fs::temp_directory_path() / "corslint-nginx-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    *error =
        "cannot make a temporary prefix: " + std::string(std::strerror(errno));
    return "";
  }
  fs::path prefix = pattern;

  // Workers of a configuration that names its own `user` must still read
  // the prefix.
  std::error_code failure;
  fs::permissions(prefix,
                  fs::perms::owner_all | fs::perms::group_read |
                      fs::perms::group_exec | fs::perms::others_read |
                      fs::perms::others_exec,
                  failure);
  if (!include_dir.empty() && !failure) {
    fs::copy(include_dir, prefix, fs::copy_options::recursive, failure);
  }
  if (!failure) fs::create_directories(prefix / "logs", failure);
  if (!failure) fs::create_directories(prefix / "html", failure);
  if (failure || !WriteFile(prefix / "html" / "index.html", "corslint\n")) {
    *error = "cannot lay out the prefix '" + prefix.string() +
             "': " + failure.message();
    fs::remove_all(prefix, failure);
    return "";
  }
  return prefix.string();
}

}  // namespace

std::vector<std::string> TopLevelNginxDirectives(std::string_view config_text) {
  std::vector<std::string> names;
  int depth = 0;
  bool expect_name = true;
  size_t i = 0;
  while (i < config_text.size()) {
    char c = config_text[i];

    // Punctuation and comments.
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (c == '#') {
      size_t end = config_text.find('\n', i);
      i = end == std::string_view::npos ? config_text.size() : end + 1;
      continue;
    }
    if (c == ';' || c == '{' || c == '}') {
      if (c == '{') ++depth;
      if (c == '}' && --depth < 0) return names;
      expect_name = depth == 0;
      ++i;
      continue;
    }

    // A quoted token runs to its closing quote; a backslash escapes.
    size_t begin = i;
    if (c == '"' || c == '\'') {
      for (++i; i < config_text.size() && config_text[i] != c; ++i) {
        if (config_text[i] == '\\') ++i;
      }
      ++i;
    } else {
      // As in nginx's own lexer, a word ends at space, ';' or '{', except
      // the '{' of a `${variable}`.
      for (; i < config_text.size(); ++i) {
        char w = config_text[i];
        if (w == '\\') {
          ++i;
          continue;
        }
        if (w == '{' && i > begin && config_text[i - 1] == '$') continue;
        if (IsSpace(w) || w == ';' || w == '{') break;
      }
    }
    if (expect_name && depth == 0) {
      names.emplace_back(config_text.substr(begin, i - begin));
    }
    expect_name = false;
  }
  return names;
}

NginxShape DetectNginxShape(std::string_view config_text) {
  std::vector<std::string> names = TopLevelNginxDirectives(config_text);
  if (Contains(names, "events") || Contains(names, "http")) {
    return NginxShape::kFull;
  }
  for (std::string_view site :
       {"server", "upstream", "map", "geo", "split_clients"}) {
    if (Contains(names, site)) return NginxShape::kSite;
  }
  return NginxShape::kSnippet;
}

std::string WrapNginxConfig(std::string_view config_text, int port,
                            std::string* error) {
  std::string prologue;
  if (config_text.find(kModuleFile) == std::string_view::npos) {
    std::string module = HeadersMoreModule(error);
    if (module.empty()) return "";
    prologue = "load_module \"" + module + "\"; ";
  }

  // The prologue joins the text's first line, which may be a comment, so
  // it comes first and the epilogue starts on a line of its own.
  std::string epilogue;
  switch (DetectNginxShape(config_text)) {
    case NginxShape::kFull:
      break;
    case NginxShape::kSite:
      prologue += "events {} http { ";
      epilogue = "\n}\n";
      break;
    case NginxShape::kSnippet:
      prologue +=
          "events {} http { server { listen 127.0.0.1:" + std::to_string(port) +
          "; location / { ";
      epilogue = "\n} } }\n";
      break;
  }
  return prologue + std::string(config_text) + epilogue;
}

bool NginxAccepts(const std::string& config_text, std::string* output) {
  return NginxAccepts(config_text, "", output);
}

bool NginxAccepts(const std::string& config_text,
                  const std::string& include_dir, std::string* output) {
  // `nginx -t` binds no port, so any port serves a snippet here.
  std::string wrapped = WrapNginxConfig(config_text, 8080, output);
  if (wrapped.empty()) return false;
  std::string nginx = FindNginx();
  if (nginx.empty()) {
    *output = "nginx not found; install nginx-light";
    return false;
  }
  std::string prefix = MakePrefix(include_dir, output);
  if (prefix.empty()) return false;

  // `pid` may be given once only; error_log may repeat.
  fs::path conf = fs::path(prefix) / "nginx.conf";
  std::string globals = "error_log stderr;";
  if (!Contains(TopLevelNginxDirectives(config_text), "pid")) {
    globals += " pid " + prefix + "/nginx.pid;";
  }
  bool accepted = false;
  if (!WriteFile(conf, wrapped)) {
    *output = "cannot write '" + conf.string() + "'";
  } else {
    accepted = Run({nginx, "-t", "-p", prefix + "/", "-c", conf.string(), "-g",
                    globals},
                   fs::path(prefix) / "nginx.out", output) == 0;
  }
  std::error_code ignored;
  fs::remove_all(prefix, ignored);
  return accepted;
}

bool NginxAcceptsFile(const std::string& path, std::string* output) {
  std::string text = ReadFile(path);
  if (text.empty() && !fs::exists(path)) {
    *output = "cannot read '" + path + "'";
    return false;
  }
  return NginxAccepts(text, fs::path(path).parent_path().string(), output);
}

std::vector<std::string> HttpResponse::HeaderValues(
    std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [header, value] : headers) {
    if (EqualsIgnoringCase(header, name)) values.push_back(value);
  }
  return values;
}

NginxServer::~NginxServer() { Stop(); }

bool NginxServer::Start(const std::string& config_text, std::string* error) {
  return Start(config_text, "", error);
}

bool NginxServer::Start(const std::string& config_text,
                        const std::string& include_dir, std::string* error) {
  if (pid_ > 0) {
    *error = "nginx is already running";
    return false;
  }

  // Another process may take a picked port before nginx binds it; then
  // try again with new ports.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    bool port_in_use = false;
    if (StartOnce(config_text, include_dir, &port_in_use, error)) return true;
    if (!port_in_use || attempt == kAttempts) return false;
  }
}

bool NginxServer::StartOnce(const std::string& config_text,
                            const std::string& include_dir, bool* port_in_use,
                            std::string* error) {
  // The configuration must leave the process settings to the server.
  std::vector<std::string> names = TopLevelNginxDirectives(config_text);
  for (const char* controlled : {"daemon", "master_process", "pid"}) {
    if (Contains(names, controlled)) {
      *error = std::string("configuration sets '") + controlled +
               "', which NginxServer controls";
      return false;
    }
  }
  if (DetectNginxShape(config_text) != NginxShape::kSnippet &&
      config_text.find("@PORT@") == std::string::npos) {
    *error = "configuration does not listen on @PORT@";
    return false;
  }
  std::string nginx = FindNginx();
  if (nginx.empty()) {
    *error = "nginx not found; install nginx-light";
    return false;
  }

  // The first socket stays bound while the second port is picked, so the
  // two differ.
  int keep = -1, keep2 = -1;
  port_ = PickFreePort(&keep);
  port2_ = PickFreePort(&keep2);
  if (keep >= 0) close(keep);
  if (keep2 >= 0) close(keep2);
  if (port_ == 0 || port2_ == 0) {
    *error = std::string("cannot pick a free port: ") + std::strerror(errno);
    return false;
  }
  std::string text = ReplaceAll(config_text, "@PORT@", std::to_string(port_));
  text = ReplaceAll(text, "@PORT2@", std::to_string(port2_));
  std::string wrapped = WrapNginxConfig(text, port_, error);
  if (wrapped.empty()) return false;

  // Lay out the prefix and start nginx in the foreground.
  prefix_ = MakePrefix(include_dir, error);
  if (prefix_.empty()) return false;
  fs::path conf = fs::path(prefix_) / "nginx.conf";
  fs::path output_path = fs::path(prefix_) / "nginx.out";
  if (!WriteFile(conf, wrapped)) {
    *error = "cannot write '" + conf.string() + "'";
    Stop();
    return false;
  }
  std::string globals =
      "daemon off; master_process on; error_log stderr; pid " + prefix_ +
      "/nginx.pid;";
  if (geteuid() == 0 && !Contains(names, "user")) globals += " user root;";
  pid_ = Spawn({nginx, "-p", prefix_ + "/", "-c", conf.string(), "-g", globals},
               output_path.string(), error);
  if (pid_ < 0) {
    Stop();
    return false;
  }

  // Wait until the port listens, or nginx gives up.
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::string output = ReadFile(output_path);
      *port_in_use = output.find("Address already in use") != std::string::npos;
      *error = "nginx exited before listening on port " +
               std::to_string(port_) + ":\n" + output;
      Stop();
      return false;
    }
    if (AcceptsConnections(port_) && testing::ListensOn(pid_, port_)) {
      return true;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  *error = "nginx did not listen on port " + std::to_string(port_) +
           " within " + std::to_string(kStartTimeout.count()) + " s:\n" +
           ReadFile(output_path);
  Stop();
  return false;
}

void NginxServer::Stop() {
  // A fast shutdown ends the workers before the master exits; a master that
  // hangs takes its whole process group down with it.
  using testing::SignalTarget;
  testing::StopProcess(pid_, SignalTarget::kProcess, SignalTarget::kGroup,
                       kStopTimeout);
  pid_ = -1;

  if (!prefix_.empty()) {
    std::error_code ignored;
    fs::remove_all(prefix_, ignored);
    prefix_.clear();
  }
}

HttpResponse NginxServer::Fetch(
    const std::string& method, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  client.set_write_timeout(5);
  client.set_decompress(false);

  httplib::Request request;
  request.method = method;
  request.path = path;
  for (const auto& [name, value] : headers)
    request.headers.emplace(name, value);

  HttpResponse response;
  httplib::Result result = client.send(request);
  if (!result) {
    response.error = httplib::to_string(result.error());
    return response;
  }
  response.status = result->status;
  response.headers.assign(result->headers.begin(), result->headers.end());
  response.body = result->body;
  return response;
}

}  // namespace corslint
