// Running the real Apache httpd on loopback for tests: a private
// ServerRoot, a self-contained configuration, a free port, the server in
// the foreground, and plain HTTP/1.1 requests whose response headers are
// kept in the order they were sent.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "analyzer/policy.h"

namespace corslint::testing {

// The httpd binary, or empty when none is installed.
std::string ApacheBinary();
// The directory holding httpd's modules (mod_headers.so, ...), or empty.
std::string ApacheModuleDir();

// A directory under the system's temporary directory, removed with all its
// content on destruction. Readable by every user, so that httpd can serve
// from it after dropping privileges.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `text` to `relative` (creating directories) and returns its path.
  std::string Write(const std::string& relative, const std::string& text) const;

 private:
  std::string path_;
};

// A loopback port that nothing listened on a moment ago.
int FreeLoopbackPort();

// The global part of a self-contained configuration: ServerRoot, PidFile,
// ErrorLog, User and Group (when running as root), one `Listen` per port
// on 127.0.0.1, and LoadModule lines for `modules` (names like "headers",
// "proxy_http") after mpm_event and authz_core.
std::string ApacheGlobalConfig(const std::string& server_root,
                               const std::vector<int>& ports,
                               const std::vector<std::string>& modules);

// The modules every test configuration loads.
const std::vector<std::string>& DefaultApacheModules();

// Runs `httpd -t -f conf`. Returns whether httpd accepted the configuration
// and fills `output` with what it printed.
bool ApacheConfigTest(const std::string& conf, std::string* output);

// An httpd started in the foreground (`-X`) that is stopped on destruction.
class ApacheServer {
 public:
  ApacheServer() = default;
  ~ApacheServer();
  ApacheServer(const ApacheServer&) = delete;
  ApacheServer& operator=(const ApacheServer&) = delete;

  // Starts httpd with `conf` and waits until `port` accepts connections.
  // Returns false with the reason (httpd's error log included) otherwise.
  bool Start(const std::string& conf, int port, const std::string& error_log,
             std::string* error);
  void Stop();

 private:
  int pid_ = -1;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Sends `request` (method, path, Origin and other headers) to 127.0.0.1 on
// `port` with `Connection: close` and reads the whole response.
bool SendRequest(int port, const Request& request, HttpResponse* response,
                 std::string* error);

}  // namespace corslint::testing
