// Runs the real Express (Node, with the express, cors and typescript
// packages pinned in tests/runners) and the real Flask (Debian's python3
// with python3-flask and python3-flask-cors) on a fixture app, on a loopback
// port, for tests that compare the model with what the libraries send.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "analyzer/policy.h"
#include "tests/support/real_nginx.h"

namespace corslint {

// A fixture app served by its library, stopped by the destructor.
class AppServer {
 public:
  AppServer() = default;
  ~AppServer();
  AppServer(const AppServer&) = delete;
  AppServer& operator=(const AppServer&) = delete;

  // Starts the app in `entry` (a .js, .ts or .py file) with the runner of
  // `format` (kExpress or kFlask) on a free loopback port. Returns once the
  // app listens on the port; false with `error` holding the reason and
  // the process's output when it exited or did not listen within 20 s.
  bool Start(Format format, const std::string& entry, std::string* error);
  void Stop();

  // Sends one request to 127.0.0.1:port(). Requests whose handler_status is
  // 500 carry `X-Corslint-Fail: 1`, which the runners turn into a failure
  // of the application's handler.
  HttpResponse Send(const Request& request) const;

  int port() const { return port_; }
  const std::string& output_path() const { return output_path_; }

 private:
  // One try on a newly picked port; `port_in_use` when the app found it
  // taken.
  bool StartOnce(Format format, const std::string& entry, bool* port_in_use,
                 std::string* error);

  pid_t pid_ = -1;
  int port_ = 0;
  std::string output_path_;
};

// Sends `server` (running the app of `document`) the requests the rules
// probe with, from the origins they derive, to each scope's sample path,
// and compares the status and every CORS header (Access-Control-*, Vary)
// with what the model answers; a header the model leaves unknown only has
// to be there. Returns the differences, one request each, empty when they
// agree; `compared` counts the requests sent.
std::string CompareWithModel(const Document& document, const AppServer& server,
                             size_t* compared);

// The interpreter and the runner script for `format`, as the tests run
// them: node with tests/runners/express_runner.js, or Debian's
// /usr/bin/python3 with tests/runners/flask_runner.py.
std::vector<std::string> RunnerCommand(Format format, const std::string& entry);

// Whether the language's own tools reject `path` as a syntax error:
// `node --check` for JavaScript, the pinned TypeScript's parser for
// TypeScript, `py_compile` for Python. `output` receives their message.
bool ToolRejectsSyntax(const std::string& path, std::string* output);

}  // namespace corslint
