#include "analyzer/simulate.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace corslint {

namespace {

std::string_view ResponderWords(Responder responder) {
  switch (responder) {
    case Responder::kConfig:
      return "answered by the configuration";
    case Responder::kStatic:
      return "answered by the server's static-file handler";
    case Responder::kUpstream:
      return "answered by the upstream";
    case Responder::kApp:
      return "answered by the application";
  }
  return "";
}

std::string WhereText(const Span& span) {
  if (!span.valid()) return "";
  Location where = Locate(span);
  return where.file + ":" + std::to_string(where.line) + ":" +
         std::to_string(where.column);
}

// Sends `request` to `scope` and adds what an unseen upstream or
// application is assumed to answer.
Exchange Ask(const Scope& scope, Request request, const SimulateInput& input,
             std::vector<std::string>* notes) {
  request.handler_status = input.upstream_status;
  Exchange exchange;
  exchange.response = scope.Respond(request);
  exchange.request = std::move(request);
  const Response& response = exchange.response;

  for (const ResponseHeader& header : response.headers) {
    if (!header.value_known) {
      std::string note = "the value of " + header.name + " (" +
                         WhereText(header.span) +
                         ") depends on what corslint cannot see; assumed "
                         "absent";
      if (std::find(notes->begin(), notes->end(), note) == notes->end()) {
        notes->push_back(note);
      }
      continue;
    }
    exchange.headers.emplace_back(header.name, header.value);
  }

  bool unseen = response.responder == Responder::kUpstream ||
                response.responder == Responder::kApp;
  if (!unseen) return exchange;
  exchange.assumed = true;
  for (const auto& [name, value] : input.upstream_headers) {
    if (response.responder == Responder::kUpstream &&
        !response.UpstreamMaySend(name)) {
      continue;
    }
    exchange.headers.emplace_back(name, value);
  }
  std::string who = response.responder == Responder::kUpstream
                        ? "the upstream"
                        : "the application";
  std::string place = WhereText(response.responder_span);
  std::string note =
      who + (place.empty() ? "" : " (" + place + ")") +
      " is outside what corslint reads: assumed to answer " +
      std::to_string(input.upstream_status) +
      (input.upstream_headers.empty() ? " without CORS headers of its own"
                                      : " with the --upstream-header headers") +
      " (change with --upstream-status and --upstream-header)";
  if (std::find(notes->begin(), notes->end(), note) == notes->end()) {
    notes->push_back(note);
  }
  return exchange;
}

// The fix for a refusal, in one sentence.
std::string FixFor(const CorsError& error, const Simulation& simulation,
                   const Exchange& exchange) {
  int status = exchange.response.status;
  std::optional<std::string> listed =
      error.header.empty() ? std::nullopt
                           : CombinedHeader(exchange.headers, error.header);
  bool star = listed && listed->find('*') != std::string::npos;
  const std::string& origin = simulation.input.page_origin;
  bool preflight = error.code.starts_with("Preflight");
  std::string code = preflight ? error.code.substr(9) : error.code;
  std::string on = preflight ? "the preflight (OPTIONS) response"
                             : "the " + simulation.method + " response";
  bool include = simulation.input.credentials == CredentialsMode::kInclude;

  if (code == "MissingAllowOriginHeader") {
    return "send `Access-Control-Allow-Origin: " + origin + "` on " + on +
           (include ? " (with `Access-Control-Allow-Credentials: true`)" : "") +
           ", and `Vary: Origin` when the value depends on the origin";
  }
  if (code == "WildcardOriginNotAllowed") {
    return "with credentials, send the origin itself "
           "(`Access-Control-Allow-Origin: " +
           origin +
           "` and `Vary: Origin`) instead of `*`, or make the request "
           "without credentials";
  }
  if (code == "MultipleAllowOriginValues") {
    return "send one Access-Control-Allow-Origin header holding only `" +
           origin +
           "`; when a proxied application sends its own, hide one of the "
           "two (nginx proxy_hide_header)";
  }
  if (code == "InvalidAllowOriginValue" || code == "AllowOriginMismatch") {
    return "send exactly `" + origin +
           "` in Access-Control-Allow-Origin: browsers compare it byte for "
           "byte (scheme, host, port, no trailing slash)";
  }
  if (code == "InvalidAllowCredentials") {
    return "send `Access-Control-Allow-Credentials: true` (exactly, in lower "
           "case) on " +
           on;
  }
  if (code == "InvalidStatus") {
    return "answer the preflight with a 2xx status (204 is usual) instead of " +
           std::to_string(status) +
           ", before authentication and without passing it to a handler "
           "that refuses OPTIONS";
  }
  if (code == "DisallowedRedirect") {
    return "answer OPTIONS at this URL instead of redirecting it";
  }
  if (code == "InvalidAllowMethodsPreflightResponse") {
    return "make Access-Control-Allow-Methods a comma-separated list of "
           "method names";
  }
  if (code == "InvalidAllowHeadersPreflightResponse") {
    return "make Access-Control-Allow-Headers a comma-separated list of "
           "header names";
  }
  if (code == "MethodDisallowedByPreflightResponse") {
    return "list `" + error.failed_parameter +
           "` in Access-Control-Allow-Methods on the preflight response "
           "(methods are compared case-sensitively" +
           std::string(include && star ? "; with credentials `*` is only a "
                                         "literal name"
                                       : "") +
           ")";
  }
  if (code == "HeaderDisallowedByPreflightResponse") {
    return "list `" + error.failed_parameter +
           "` in Access-Control-Allow-Headers on the preflight response" +
           std::string(include && star ? " (with credentials `*` is only a "
                                         "literal name)"
                                       : "");
  }
  return "";
}

// What is wrong, naming the response header at fault.
std::string FaultFor(const CorsError& error, const Exchange& exchange,
                     const Simulation& simulation) {
  bool preflight = error.code.starts_with("Preflight") ||
                   error.code.ends_with("PreflightResponse");
  std::string response = preflight ? "the preflight response" : "the response";
  std::string code =
      error.code.starts_with("Preflight") ? error.code.substr(9) : error.code;
  std::optional<std::string> value =
      error.header.empty() ? std::nullopt
                           : CombinedHeader(exchange.headers, error.header);

  if (code == "MissingAllowOriginHeader") {
    return "Access-Control-Allow-Origin is missing from " + response + " (" +
           std::to_string(exchange.response.status) + ", " +
           std::string(ResponderWords(exchange.response.responder)) + ")";
  }
  if (code == "InvalidStatus") {
    return response + " has status " +
           std::to_string(exchange.response.status) + ", not 2xx";
  }
  if (code == "DisallowedRedirect") {
    return response + " is a redirect (" +
           std::to_string(exchange.response.status) + ")";
  }
  if (code == "InvalidAllowCredentials" && !value) {
    return "Access-Control-Allow-Credentials is missing from " + response +
           " of a request with credentials";
  }
  if (code == "MethodDisallowedByPreflightResponse") {
    if (!value) {
      return "Access-Control-Allow-Methods is missing from " + response +
             ", so " + simulation.method + " is not allowed";
    }
    return "Access-Control-Allow-Methods: " + *value + " does not allow " +
           simulation.method;
  }
  if (code == "HeaderDisallowedByPreflightResponse") {
    if (!value) {
      return "Access-Control-Allow-Headers is missing from " + response +
             ", so the request header " + error.failed_parameter +
             " is not allowed";
    }
    return "Access-Control-Allow-Headers: " + *value +
           " does not allow the request header " + error.failed_parameter;
  }
  return error.header + ": " + value.value_or("") + " on " + response;
}

// The directive that produced the header at fault, or what answered.
std::optional<Span> FaultSpan(const CorsError& error,
                              const Exchange& exchange) {
  if (!error.header.empty()) {
    for (const ResponseHeader* header : exchange.response.Find(error.header)) {
      if (header->span.valid()) return header->span;
    }
  }
  if (exchange.response.responder_span.valid()) {
    return exchange.response.responder_span;
  }
  return std::nullopt;
}

// For a missing Access-Control-Allow-Origin: where the configuration
// sends it on other responses (a simple GET from the same origin), which
// tells why it is not on this one. Empty when it never sends it.
std::string SentElsewhere(const Scope& scope, const Simulation& simulation,
                          const Exchange& exchange) {
  Request probe = Request::Simple(simulation.input.page_origin);
  probe.path = simulation.input.path;
  probe.handler_status = 200;
  probe.regex_state = exchange.request.regex_state;
  if (probe.method == exchange.request.method &&
      probe.headers == exchange.request.headers &&
      exchange.request.handler_status == 200) {
    return "";
  }
  Response other = scope.Respond(probe);
  for (const ResponseHeader* header :
       other.Find("Access-Control-Allow-Origin")) {
    if (!header->span.valid()) continue;
    return "; the configuration sends it (" + WhereText(header->span) +
           ") on a 200 answer to a GET, not on this one";
  }
  return "";
}

void Refuse(Simulation* simulation, const CorsError& error,
            const Exchange& exchange, bool in_preflight) {
  simulation->allowed = false;
  simulation->error = error;
  simulation->error_in_preflight = in_preflight;
  simulation->console =
      ConsoleMessage(error, simulation->url, simulation->input.page_origin);
  simulation->fault = FaultFor(error, exchange, *simulation);
  simulation->fault_span = FaultSpan(error, exchange);
  simulation->fix = FixFor(error, *simulation, exchange);
  if (error.code.ends_with("MissingAllowOriginHeader")) {
    simulation->fault +=
        SentElsewhere(*simulation->scope, *simulation, exchange);
  }
}

// Sends the preflight, when one is needed, and the actual request, with
// stateful RegExp origin checks in `state`, and fills in the verdict.
void Exchanges(const Scope& scope, RegexState state, Simulation* simulation) {
  const SimulateInput& input = simulation->input;
  // The preflight: OPTIONS without credentials, naming the method and the
  // unsafe header names.
  if (simulation->need.needed()) {
    Request request;
    request.method = "OPTIONS";
    request.path = input.path;
    request.origin = input.page_origin;
    request.regex_state = state;
    request.headers.emplace_back("Accept", "*/*");
    request.headers.emplace_back("Access-Control-Request-Method",
                                 simulation->method);
    std::string names = RequestHeadersValue(simulation->need.unsafe_headers);
    if (!names.empty()) {
      request.headers.emplace_back("Access-Control-Request-Headers", names);
    }
    Exchange preflight = Ask(scope, request, input, &simulation->notes);

    BrowserRequest browser;
    browser.page_origin = input.page_origin;
    browser.url = simulation->url;
    browser.method = simulation->method;
    browser.headers = simulation->headers;
    browser.credentials = input.credentials;
    // Servers send Location with their redirects; the model keeps only
    // the headers that matter to CORS.
    bool location_assumed =
        IsRedirectStatus(preflight.response.status) &&
        !CombinedHeader(preflight.headers, "Location").has_value();
    if (location_assumed) {
      simulation->notes.push_back(
          "the preflight answer is a redirect (" +
          std::to_string(preflight.response.status) +
          "), assumed to carry a Location header as server redirects do");
    }
    preflight.error = CheckPreflightResponse(
        preflight.response.status, preflight.headers, browser,
        simulation->need.unsafe_headers, location_assumed);
    simulation->preflight = preflight;
    if (preflight.error) {
      Refuse(simulation, *preflight.error, preflight, true);
      return;
    }
    simulation->preflight_cache_seconds =
        PreflightCacheSeconds(preflight.headers);
  }

  // The actual request, with the page's headers and, for `include`,
  // cookies.
  Request request;
  request.method = simulation->method;
  request.path = input.path;
  request.origin = input.page_origin;
  request.headers = simulation->headers;
  // The preflight went through the same code, which may have tested (and
  // moved) a stateful RegExp: its state is no longer known.
  request.regex_state = simulation->preflight ? RegexState::kUnknown : state;
  Exchange actual = Ask(scope, request, input, &simulation->notes);
  actual.error = CheckCorsResponse(actual.headers, input.page_origin,
                                   input.credentials, false);
  simulation->actual = actual;
  if (actual.error) {
    Refuse(simulation, *actual.error, actual, false);
    return;
  }

  simulation->allowed = true;
  simulation->readable_headers =
      ReadableHeaders(actual.headers, input.credentials);
}

// Whether two simulations of one request end the same way for the page.
bool SameVerdict(const Simulation& a, const Simulation& b) {
  if (a.allowed != b.allowed) return false;
  if (a.allowed) return a.readable_headers == b.readable_headers;
  return a.error && b.error && a.error->code == b.error->code &&
         a.error->failed_parameter == b.error->failed_parameter;
}

// Whether two simulations of one request saw the same response headers.
bool SameHeaders(const Simulation& a, const Simulation& b) {
  auto headers = [](const std::optional<Exchange>& exchange) {
    return exchange ? exchange->headers : HeaderList();
  };
  return headers(a.preflight) == headers(b.preflight) &&
         headers(a.actual) == headers(b.actual);
}

}  // namespace

std::optional<Simulation> Simulate(const Document& document,
                                   const SimulateInput& input,
                                   std::string* error) {
  const Scope* scope = nullptr;
  if (document.route) {
    scope = document.route(input.host, input.path);
  } else if (document.scopes.size() == 1) {
    scope = document.scopes.front().get();
  } else {
    *error = "corslint cannot tell which part of \"" + document.path +
             "\" serves \"" + input.path +
             "\": routing is not modelled for this input";
    return std::nullopt;
  }
  if (scope == nullptr) {
    *error = "no part of \"" + document.path + "\" serves \"" + input.path +
             "\"" +
             (input.host.empty() ? "" : " on host \"" + input.host + "\"");
    return std::nullopt;
  }

  Simulation simulation;
  simulation.scope = scope;
  simulation.input = input;
  simulation.url =
      "http://" + (input.host.empty() ? "<server>" : input.host) + input.path;
  simulation.method = NormalizeMethod(input.method);
  if (IsForbiddenMethod(simulation.method)) {
    simulation.early_refusal = "fetch() refuses the method \"" +
                               simulation.method + "\" before sending anything";
    simulation.console = "TypeError: Failed to execute 'fetch' on 'Window': '" +
                         simulation.method + "' HTTP method is unsupported.";
    simulation.fix = "use another method";
    return simulation;
  }
  simulation.headers =
      EffectiveHeaders(input.headers, &simulation.dropped_headers);
  simulation.need = DecidePreflight(simulation.method, simulation.headers);

  std::vector<const OriginCheck*> stateful;
  for (const OriginCheck& check : document.origin_checks) {
    if (check.stateful && check.used && check.regex != nullptr) {
      stateful.push_back(&check);
    }
  }
  if (stateful.empty()) {
    Exchanges(*scope, RegexState::kFresh, &simulation);
    return simulation;
  }

  // A stateful RegExp answers by the requests before: the request as the
  // first one (lastIndex 0), and right after one that it matched.
  Simulation after = simulation;
  Exchanges(*scope, RegexState::kFresh, &simulation);
  Exchanges(*scope, RegexState::kAfterMatch, &after);
  simulation.stateful_checks = stateful;
  std::string checks;
  for (const OriginCheck* check : stateful) {
    checks += std::string(checks.empty() ? "" : ", ") + "`" + check->pattern +
              "` (" + WhereText(check->span) + ")";
  }
  if (SameVerdict(simulation, after)) {
    // Said only where the RegExp changes what the server sends.
    if (SameHeaders(simulation, after)) return simulation;
    simulation.notes.push_back(
        "the RegExp " + checks +
        " keeps state between requests (g or y flag); this request gets "
        "the same answer as a first request and right after an identical "
        "one, but requests from other origins move lastIndex elsewhere");
    return simulation;
  }
  simulation.notes.insert(
      simulation.notes.begin(),
      "the RegExp " + checks +
          " has the g or y flag: test() resumes where the test before "
          "stopped (lastIndex), so the answer depends on earlier requests; "
          "the steps show a request with lastIndex 0, the first one or one "
          "after a failed test");
  for (const std::string& note : after.notes) {
    if (std::find(simulation.notes.begin(), simulation.notes.end(), note) ==
        simulation.notes.end()) {
      simulation.notes.push_back(note);
    }
  }
  // The refusal comes from where the RegExp's test resumed.
  for (Simulation* each : {&simulation, &after}) {
    if (each->allowed || !each->error) continue;
    each->fault_span = stateful.front()->span;
    each->fix =
        "drop the g and y flags from the RegExp, which make the "
        "same request alternately allowed and refused";
  }
  simulation.after_match = std::make_shared<Simulation>(std::move(after));
  return simulation;
}

namespace {

std::string HeaderLines(const HeaderList& headers, std::string_view indent) {
  std::string text;
  for (const auto& [name, value] : headers) {
    text += std::string(indent) + name + ": " + value + "\n";
  }
  return text;
}

void PrintRequest(const Request& request, std::ostream& out) {
  out << "   " << request.method << " " << request.path << "\n";
  out << "   Origin: " << *request.origin << "\n";
  out << HeaderLines(request.headers, "   ");
}

void PrintResponse(const Exchange& exchange, std::ostream& out) {
  const Response& response = exchange.response;
  out << "   " << response.status << " (" << ResponderWords(response.responder)
      << (exchange.assumed ? ", assumed" : "") << ")\n";
  for (const auto& [name, value] : exchange.headers) {
    std::string where;
    for (const ResponseHeader* header : response.Find(name)) {
      if (header->value == value && header->span.valid()) {
        where = "    [" + WhereText(header->span) + "]";
        break;
      }
    }
    out << "   " << name << ": " << value << where << "\n";
  }
  if (exchange.headers.empty()) out << "   (no headers that corslint models)\n";
}

std::string Verdict(const Exchange& exchange) {
  if (!exchange.error) return "passed";
  return "refused: " + exchange.error->code +
         (exchange.error->failed_parameter.empty()
              ? ""
              : " (" + exchange.error->failed_parameter + ")");
}

// The verdict after `lead`: allowed with the headers page script reads,
// or refused with the console line, the fault and the fix.
void PrintVerdict(const Simulation& simulation, std::string_view lead,
                  std::ostream& out) {
  if (simulation.allowed) {
    out << lead << "allowed\n";
    out << "readable by page script:";
    if (simulation.readable_headers.empty()) out << " (none)";
    for (const std::string& name : simulation.readable_headers) {
      out << " " << name;
    }
    out << "\n";
  } else {
    out << lead << "refused (" << simulation.error->code << ")\n";
    out << "console: " << simulation.console << "\n";
    out << "at fault: " << simulation.fault;
    if (simulation.fault_span) {
      out << " (" << WhereText(*simulation.fault_span) << ")";
    }
    out << "\n";
    out << "fix: " << simulation.fix << "\n";
  }
}

}  // namespace

void PrintSimulationText(const Simulation& simulation, std::ostream& out) {
  const SimulateInput& input = simulation.input;
  out << "request: fetch('" << simulation.url << "', {method: '" << input.method
      << "', credentials: '" << CredentialsModeName(input.credentials)
      << "'})\n";
  out << "  from page origin " << input.page_origin << "\n";
  for (const auto& [name, value] : input.headers) {
    out << "  header " << name << ": " << value << "\n";
  }
  if (simulation.scope != nullptr) {
    std::string where = WhereText(simulation.scope->span);
    out << "served by: " << simulation.scope->name
        << (where.empty() ? "" : " (" + where + ")") << "\n";
  }
  out << "\n";

  if (!simulation.early_refusal.empty()) {
    out << "result: refused before sending: " << simulation.early_refusal
        << "\n";
    return;
  }
  for (const std::string& name : simulation.dropped_headers) {
    out << "note: fetch() drops the header " << name
        << ": page script may not set it\n";
  }

  // Step 1: the preflight decision, with the standard's reasons.
  const PreflightNeed& need = simulation.need;
  if (!need.needed()) {
    out << "1. preflight: not needed: " << simulation.method
        << " is a CORS-safelisted method and every header is safelisted\n";
  } else {
    out << "1. preflight: needed\n";
    if (need.method) {
      out << "   - the method " << simulation.method
          << " is not GET, HEAD or POST\n";
    }
    for (size_t i = 0; i < need.unsafe_headers.size(); ++i) {
      out << "   - the header " << need.unsafe_headers[i] << ": "
          << need.header_reasons[i] << "\n";
    }
    const Exchange& preflight = *simulation.preflight;
    out << "\n2. preflight request (no cookies, no credentials):\n";
    PrintRequest(preflight.request, out);
    out << "\n3. preflight response (predicted):\n";
    PrintResponse(preflight, out);
    out << "   verdict: " << Verdict(preflight);
    if (!preflight.error) {
      out << "; browsers reuse it for " << simulation.preflight_cache_seconds
          << " s";
    }
    out << "\n";
  }

  if (simulation.actual) {
    int step = need.needed() ? 4 : 2;
    const Exchange& actual = *simulation.actual;
    out << "\n"
        << step << ". actual request"
        << (input.credentials == CredentialsMode::kInclude ? " (with cookies)"
                                                           : "")
        << ":\n";
    PrintRequest(actual.request, out);
    out << "\n" << step + 1 << ". actual response (predicted):\n";
    PrintResponse(actual, out);
    out << "   verdict: " << Verdict(actual) << "\n";
  } else if (need.needed()) {
    out << "\n   the actual request is never sent\n";
  }

  out << "\n";
  if (!simulation.depends_on_earlier_requests()) {
    PrintVerdict(simulation, "result: ", out);
  } else {
    out << "result: depends on earlier requests\n";
    PrintVerdict(simulation,
                 "with lastIndex 0 (a first request, or one after a failed "
                 "test): ",
                 out);
    PrintVerdict(
        *simulation.after_match,
        "right after an identical request that the RegExp matched: ", out);
  }
  for (const std::string& note : simulation.notes) {
    out << "note: " << note << "\n";
  }
}

namespace {

nlohmann::json HeadersJson(const HeaderList& headers) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& [name, value] : headers) array.push_back({name, value});
  return array;
}

nlohmann::json ExchangeJson(const Exchange& exchange) {
  nlohmann::json request = {{"method", exchange.request.method},
                            {"path", exchange.request.path}};
  HeaderList request_headers = {{"Origin", *exchange.request.origin}};
  for (const auto& header : exchange.request.headers) {
    request_headers.push_back(header);
  }
  request["headers"] = HeadersJson(request_headers);

  nlohmann::json response = {
      {"status", exchange.response.status},
      {"responder", ResponderName(exchange.response.responder)},
      {"assumed", exchange.assumed},
      {"headers", HeadersJson(exchange.headers)}};
  nlohmann::json object = {{"request", request}, {"response", response}};
  if (exchange.error) {
    object["error"] = {{"cors_error", exchange.error->code},
                       {"failed_parameter", exchange.error->failed_parameter}};
  } else {
    object["error"] = nullptr;
  }
  return object;
}

// The parts of the JSON that follow from the exchanges: `allowed`,
// `preflight`, `actual`, `readable_headers` and `reason`.
void VerdictJson(const Simulation& simulation, nlohmann::json* json) {
  (*json)["allowed"] = simulation.allowed;
  nlohmann::json preflight = {{"sent", simulation.preflight.has_value()}};
  nlohmann::json reasons = nlohmann::json::array();
  if (simulation.need.method) {
    reasons.push_back({{"method", simulation.method}});
  }
  for (size_t i = 0; i < simulation.need.unsafe_headers.size(); ++i) {
    reasons.push_back({{"header", simulation.need.unsafe_headers[i]},
                       {"why", simulation.need.header_reasons[i]}});
  }
  preflight["reasons"] = reasons;
  if (simulation.preflight) {
    preflight.update(ExchangeJson(*simulation.preflight));
    if (!simulation.preflight->error) {
      preflight["cache_seconds"] = simulation.preflight_cache_seconds;
    }
  }
  (*json)["preflight"] = preflight;

  if (simulation.actual) {
    nlohmann::json actual = {{"sent", true}};
    actual.update(ExchangeJson(*simulation.actual));
    (*json)["actual"] = actual;
  } else {
    (*json)["actual"] = {{"sent", false}};
  }

  (*json)["readable_headers"] = simulation.readable_headers;
  if (!simulation.allowed) {
    nlohmann::json reason;
    if (simulation.error) {
      reason["cors_error"] = simulation.error->code;
      reason["failed_parameter"] = simulation.error->failed_parameter;
      reason["in_preflight"] = simulation.error_in_preflight;
      reason["header"] = simulation.error->header;
      reason["fault"] = simulation.fault;
      if (simulation.fault_span) {
        Location where = Locate(*simulation.fault_span);
        reason["file"] = where.file;
        reason["line"] = where.line;
        reason["column"] = where.column;
      }
    } else {
      reason["cors_error"] = nullptr;
      reason["fault"] = simulation.early_refusal;
    }
    reason["console"] = simulation.console;
    reason["fix"] = simulation.fix;
    (*json)["reason"] = reason;
  }
}

}  // namespace

void PrintSimulationJson(const Simulation& simulation, std::ostream& out) {
  const SimulateInput& input = simulation.input;
  nlohmann::json json;
  json["request"] = {
      {"origin", input.page_origin},
      {"url", simulation.url},
      {"method", simulation.method},
      {"headers", HeadersJson(input.headers)},
      {"credentials", std::string(CredentialsModeName(input.credentials))},
      {"dropped_headers", simulation.dropped_headers}};
  if (simulation.scope != nullptr) {
    nlohmann::json scope = {{"name", simulation.scope->name}};
    if (simulation.scope->span.valid()) {
      Location where = Locate(simulation.scope->span);
      scope["file"] = where.file;
      scope["line"] = where.line;
      scope["column"] = where.column;
    }
    json["scope"] = scope;
  }

  VerdictJson(simulation, &json);
  if (simulation.depends_on_earlier_requests()) {
    nlohmann::json checks = nlohmann::json::array();
    for (const OriginCheck* check : simulation.stateful_checks) {
      Location where = Locate(check->span);
      checks.push_back({{"pattern", check->pattern},
                        {"file", where.file},
                        {"line", where.line},
                        {"column", where.column}});
    }
    nlohmann::json after_match;
    VerdictJson(*simulation.after_match, &after_match);
    json["regex_state"] = {{"checks", checks},
                           {"fresh_allowed", simulation.allowed},
                           {"after_match", after_match}};
    json["allowed"] = nullptr;
  }
  json["notes"] = simulation.notes;
  out << json.dump(2) << "\n";
}

}  // namespace corslint
