#include "tests/support/apache_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/run_command.h"

namespace corslint::testing {

namespace fs = std::filesystem;

std::string ApacheBinary() {
  for (const char* candidate : {"/usr/sbin/apache2", "/usr/sbin/httpd",
                                "/usr/local/apache2/bin/httpd"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

std::string ApacheModuleDir() {
  for (const char* candidate :
       {"/usr/lib/apache2/modules", "/usr/lib64/httpd/modules",
        "/usr/lib/httpd/modules", "/usr/local/apache2/modules"}) {
    std::error_code ec;
    if (fs::exists(fs::path(candidate) / "mod_headers.so", ec)) {
      return candidate;
    }
  }
  return "";
}

TempDir::TempDir() {
  std::string pattern =
      (fs::temp_directory_path() / "corslint-apache-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) != nullptr) path_ = buffer.data();
  chmod(path_.c_str(), 0755);
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& relative,
                           const std::string& text) const {
  fs::path target = fs::path(path_) / relative;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  for (fs::path dir = target.parent_path(); dir.string().size() > path_.size();
       dir = dir.parent_path()) {
    chmod(dir.c_str(), 0755);
  }
  std::ofstream out(target, std::ios::binary);
  out << text;
  out.close();
  chmod(target.c_str(), 0644);
  return target.string();
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    socklen_t length = sizeof(address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

const std::vector<std::string>& DefaultApacheModules() {
  static const std::vector<std::string> modules = {
      "headers",    "setenvif", "rewrite", "proxy",
      "proxy_http", "mime",     "dir",     "alias",
  };
  return modules;
}

std::string ApacheGlobalConfig(const std::string& server_root,
                               const std::vector<int>& ports,
                               const std::vector<std::string>& modules) {
  std::string modules_dir = ApacheModuleDir();
  std::ostringstream out;
  out << "ServerRoot \"" << server_root << "\"\n"
      << "ServerName localhost\n"
      << "PidFile \"" << server_root << "/httpd.pid\"\n"
      << "ErrorLog \"" << server_root << "/error.log\"\n"
      << "LogLevel warn\n"
      << "DefaultRuntimeDir \"" << server_root << "\"\n"
      << "Mutex file:" << server_root << "\n"
      << "LoadModule mpm_event_module \"" << modules_dir
      << "/mod_mpm_event.so\"\n"
      << "LoadModule authz_core_module \"" << modules_dir
      << "/mod_authz_core.so\"\n";
  for (const std::string& module : modules) {
    out << "LoadModule " << module << "_module \"" << modules_dir << "/mod_"
        << module << ".so\"\n";
  }
  if (geteuid() == 0) {
    const char* group = getgrnam("nogroup") != nullptr ? "nogroup" : "nobody";
    out << "User nobody\nGroup " << group << "\n";
  }
  out << "TypesConfig /dev/null\n";
  for (int port : ports) out << "Listen 127.0.0.1:" << port << "\n";
  return out.str();
}

namespace {

bool PortAccepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool ok =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

bool ApacheConfigTest(const std::string& conf, std::string* output) {
  return RunCommand({ApacheBinary(), "-t", "-f", conf}, output) == 0;
}

ApacheServer::~ApacheServer() { Stop(); }

bool ApacheServer::Start(const std::string& conf, int port,
                         const std::string& error_log, std::string* error) {
  pid_t pid = fork();
  if (pid < 0) {
    *error = "fork failed";
    return false;
  }
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    std::string binary = ApacheBinary();
    execl(binary.c_str(), binary.c_str(), "-X", "-f", conf.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_ = pid;

  // Wait up to ten seconds for the listener, or for httpd to give up.
  for (int i = 0; i < 200; ++i) {
    if (PortAccepts(port) && ListensOn(pid_, port)) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      *error = "httpd exited: " + ReadWholeFile(error_log);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  *error = "httpd did not listen on port " + std::to_string(port) + ": " +
           ReadWholeFile(error_log);
  Stop();
  return false;
}

void ApacheServer::Stop() {
  StopProcess(pid_, SignalTarget::kProcess, SignalTarget::kProcess,
              std::chrono::seconds(5));
  pid_ = -1;
}

bool SendRequest(int port, const Request& request, HttpResponse* response,
                 std::string* error) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    *error = "socket failed";
    return false;
  }
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    *error = "connect failed";
    return false;
  }

  std::string text = request.method + " " + request.path +
                     " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  if (request.origin) text += "Origin: " + *request.origin + "\r\n";
  for (const auto& [name, value] : request.headers) {
    text += name + ": " + value + "\r\n";
  }
  text += "\r\n";
  if (send(fd, text.data(), text.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(text.size())) {
    close(fd);
    *error = "send failed";
    return false;
  }

  std::string received;
  char buffer[8192];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) {
    received.append(buffer, static_cast<size_t>(n));
  }
  close(fd);

  size_t end = received.find("\r\n\r\n");
  if (end == std::string::npos || !received.starts_with("HTTP/1.")) {
    *error = "no HTTP response";
    return false;
  }
  std::istringstream lines(received.substr(0, end));
  std::string line;
  std::getline(lines, line);
  response->status = std::atoi(line.c_str() + 9);
  response->headers.clear();
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    size_t begin = value.find_first_not_of(' ');
    value = begin == std::string::npos ? "" : value.substr(begin);
    response->headers.emplace_back(line.substr(0, colon), value);
  }
  return true;
}

}  // namespace corslint::testing
