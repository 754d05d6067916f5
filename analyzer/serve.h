// `corslint serve`: a local web page over the generator, the simulator and
// the checker, and the JSON API the page calls. The API runs the same
// functions as `corslint generate`, `corslint simulate` and `corslint check`,
// so the page and the command line always give the same answers.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>
#include <httplib.h>

namespace corslint {

struct ServeFlags {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8377;
};

// The largest request body the API reads; larger ones get a 413.
inline constexpr size_t kMaxApiBody = 256 * 1024;

// An API answer: the HTTP status and a JSON body. Every 4xx body is
// `{"error": "message"}` with a lowercase message.
struct ApiReply {
  int status = 200;
  std::string body;
};

// Answers one API call, `endpoint` being `generate`, `simulate` or `check`
// and `body` the request's JSON. Never throws: bad input is a 4xx.
ApiReply HandleApi(const std::string& endpoint, const std::string& body);

// Whether a request's Host header names the server bound to `host` and
// `port`. On a loopback address `localhost`, `127.0.0.1` and `[::1]` are
// accepted with the port; otherwise only `host:port` itself. Anything else
// (a rebound DNS name) is refused.
bool HostAllowed(const std::string& host_header, const std::string& host,
                 int port);

// A server with the page and the API routes, refusing foreign Host
// headers. `bound_port` must point at the port once it is known and stay
// valid while the server runs.
std::unique_ptr<httplib::Server> MakeServer(const std::string& host,
                                            const int* bound_port);

// Declares the subcommand and its options on `app`, filling `flags`.
CLI::App* AddServeCommand(CLI::App& app, ServeFlags* flags);

// Serves until killed. Returns 2 when the address cannot be bound.
int RunServe(const ServeFlags& flags, std::ostream& out, std::ostream& err);

}  // namespace corslint
