// Runs the real nginx for tests: `nginx -t` on a configuration, or a whole
// server on a loopback port with requests sent to it.
//
// Every run gets a private temporary prefix that holds the configuration
// (nginx.conf), logs/, html/index.html and a copy of the include directory,
// and is removed afterwards. The headers-more module of Debian's
// libnginx-mod-http-headers-more-filter is always loaded, from the modules
// directory that `nginx -V` names.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corslint {

// How an nginx configuration text is laid out, told by its top-level
// directives.
enum class NginxShape {
  kFull,     // has `events` or `http`: a whole configuration
  kSite,     // has `server`, `upstream`, `map`, `geo` or `split_clients`:
             // the contents of an `http` block
  kSnippet,  // anything else: the directives of a `location`
};

NginxShape DetectNginxShape(std::string_view config_text);

// Names of the directives at the top level of `config_text`, in order,
// repeats kept. Comments and quoted strings are skipped; an unbalanced text
// yields the names read before the imbalance.
std::vector<std::string> TopLevelNginxDirectives(std::string_view config_text);

// Makes `config_text` a whole configuration by its shape: a site file goes
// into `events {} http { ... }`, a snippet into a server listening on
// 127.0.0.1:`port` with `location / { ... }`. The headers-more module is
// loaded unless the text loads it already. Everything added before the text
// stays on its first line, so nginx's line numbers are the text's own.
// Returns an empty string and fills `error` when the module is not found.
std::string WrapNginxConfig(std::string_view config_text, int port,
                            std::string* error);

// Runs `nginx -t` on `config_text` wrapped by shape. `include_dir`, when not
// empty, is copied into the prefix first so that relative `include` lines
// resolve as they would beside the file. Returns whether nginx accepted the
// configuration; `output` receives what nginx printed. When nginx cannot be
// run at all, returns false with an `output` that does not contain
// "test failed", which a rejected configuration's output always does.
bool NginxAccepts(const std::string& config_text, std::string* output);
bool NginxAccepts(const std::string& config_text,
                  const std::string& include_dir, std::string* output);

// NginxAccepts on the contents of the file at `path`, with includes
// resolved from the file's directory.
bool NginxAcceptsFile(const std::string& path, std::string* output);

// One HTTP response as received: status 0 and `error` set when no response
// came. cpp-httplib keeps headers in a map ordered by name, so `headers` is
// sorted by name, case-insensitively, and the values of one name keep the
// order they arrived in.
struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string error;

  // Every value of the header `name`, compared case-insensitively, in the
  // order received; empty when the header is absent.
  std::vector<std::string> HeaderValues(std::string_view name) const;
};

// A real nginx serving on loopback ports, stopped and cleaned up by the
// destructor. Not copyable or movable.
class NginxServer {
 public:
  NginxServer() = default;
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  // Starts nginx on `config_text`, wrapped by shape (see WrapNginxConfig),
  // with every `@PORT@` replaced by a free loopback port and every `@PORT2@`
  // by a second one. A full configuration or site file must listen on
  // `@PORT@`; a snippet is served there. nginx runs in the foreground with a
  // master process, logs errors to a file in the prefix and, as root, runs
  // its workers as root. Returns once `port()` accepts connections; returns
  // false with `error` holding the reason and nginx's output when nginx
  // exited or did not listen within ten seconds. The configuration must not
  // set `daemon`, `master_process` or `pid`, which the server controls.
  bool Start(const std::string& config_text, std::string* error);
  bool Start(const std::string& config_text, const std::string& include_dir,
             std::string* error);

  // Stops nginx (SIGTERM, then SIGKILL to its process group after five
  // seconds), waits for it and removes the prefix. Does nothing when not
  // running.
  void Stop();

  // Sends one HTTP/1.1 request to 127.0.0.1:port() and returns the response.
  HttpResponse Fetch(const std::string& method, const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>&
                         headers = {}) const;

  int port() const { return port_; }
  int port2() const { return port2_; }
  // The temporary prefix; `root html;` (nginx's default) serves
  // html/index.html from it.
  const std::string& prefix() const { return prefix_; }

 private:
  // One attempt at Start with fresh ports. Sets `port_in_use` when nginx
  // failed only because another process took a port first.
  bool StartOnce(const std::string& config_text, const std::string& include_dir,
                 bool* port_in_use, std::string* error);

  pid_t pid_ = -1;
  int port_ = 0;
  int port2_ = 0;
  std::string prefix_;
};

}  // namespace corslint
