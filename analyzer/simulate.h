// What a browser does with one cross-origin fetch() against a document's
// policy: whether it sends a preflight and why, what the server answers
// (from the model of the scope that serves the path), the browser's
// verdict on each response, and for a refusal Chromium's reason, the
// header at fault and the fix.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analyzer/fetch_rules.h"
#include "analyzer/policy.h"

namespace corslint {

struct SimulateInput {
  std::string page_origin;  // the Origin the page sends
  std::string host;         // the server's host name; empty: default server
  std::string path = "/";
  std::string method = "GET";
  HeaderList headers;  // as page script sets them
  CredentialsMode credentials = CredentialsMode::kSameOrigin;
  // What an upstream or application that the analyzer cannot see answers:
  // its status and the headers it adds.
  int upstream_status = 200;
  HeaderList upstream_headers;
};

// One request on the wire and the predicted response.
struct Exchange {
  Request request;
  Response response;     // as the model answers, with source spans
  HeaderList headers;    // what the browser sees: known values plus the
                         // assumed upstream headers
  bool assumed = false;  // an upstream or application answered
  std::optional<CorsError> error;  // the browser's verdict; none: passed
};

struct Simulation {
  const Scope* scope = nullptr;
  std::string url;  // for messages: `http://HOST/path`
  SimulateInput input;
  std::string method;                        // as fetch() sends it
  HeaderList headers;                        // as the request carries them
  std::vector<std::string> dropped_headers;  // forbidden, removed by fetch()
  PreflightNeed need;

  std::optional<Exchange> preflight;  // sent when need.needed()
  long long preflight_cache_seconds = 0;
  std::optional<Exchange> actual;  // absent when the preflight failed

  bool allowed = false;
  // For a refusal: Chromium's error, its console line, the response header
  // at fault with the directive that sent it, and the fix.
  std::optional<CorsError> error;
  bool error_in_preflight = false;
  std::string console;
  std::string fault;
  std::optional<Span> fault_span;
  std::string fix;
  // A refusal before any network access (a forbidden method).
  std::string early_refusal;

  std::vector<std::string> readable_headers;  // lower-case names
  std::vector<std::string> notes;             // assumptions made

  // The document's stateful origin checks (a JavaScript RegExp with the g
  // or y flag), whose answer depends on the requests before. When there
  // are any, the steps above are those of a first request (lastIndex 0)
  // and `after_match` is the same request right after an identical one
  // that the RegExp matched, set only when the two end differently.
  std::vector<const OriginCheck*> stateful_checks;
  std::shared_ptr<const Simulation> after_match;

  bool depends_on_earlier_requests() const { return after_match != nullptr; }
};

// Runs the request against the scope that `document.route` picks for
// `input.host` and `input.path` (or the document's only scope when it has
// no routing). Returns nullopt and fills `error` when no scope serves the
// path.
std::optional<Simulation> Simulate(const Document& document,
                                   const SimulateInput& input,
                                   std::string* error);

// Step by step, for people.
void PrintSimulationText(const Simulation& simulation, std::ostream& out);

// The same as one JSON object: `allowed`, `request`, `scope`, `preflight`
// (`sent`, `reasons`, `request`, `response`, `error`), `actual`,
// `readable_headers`, `reason` when refused, and `notes`. When the answer
// depends on earlier requests, `allowed` is null and `regex_state` holds
// `checks`, `fresh_allowed` (the verdict of the steps shown) and
// `after_match` (the same request right after one the RegExp matched, as
// `allowed`, `preflight`, `actual`, `readable_headers` and `reason`).
void PrintSimulationJson(const Simulation& simulation, std::ostream& out);

}  // namespace corslint
