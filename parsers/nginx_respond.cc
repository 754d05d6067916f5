// Emulation of nginx's request processing over a compiled Config: the
// server and location rewrite phases, location search, the content
// handlers, error_page and the two header filters.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/nginx_config.h"

namespace corslint::nginx {
namespace {

// nginx allows ten URI changes (rewrites and internal redirects) per
// request before answering 500 (NGX_HTTP_MAX_URI_CHANGES).
constexpr int kMaxUriChanges = 10;

// Maps whose sources are other maps are evaluated recursively; a longer
// chain than this gives an unknown value.
constexpr int kMaxMapDepth = 64;

// CORS response headers, for `more_clear_headers 'Access-Control-*'`
// against an upstream whose headers are otherwise unknown.
constexpr std::string_view kCorsHeaderNames[] = {
    "access-control-allow-credentials",     "access-control-allow-headers",
    "access-control-allow-methods",         "access-control-allow-origin",
    "access-control-expose-headers",        "access-control-max-age",
    "access-control-allow-private-network", "vary",
};

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

// The path of a URI without its arguments.
std::string_view PathOf(std::string_view uri) {
  return uri.substr(0, uri.find('?'));
}

// How a request ended, before the header filters run.
struct Outcome {
  int status = 200;
  Responder responder = Responder::kStatic;
  Span span{};
  const Level* conf = nullptr;  // the configuration the filters read
  const Pass* pass = nullptr;   // kUpstream
  // Finalized with a status, so that nginx builds the response itself and
  // error_page may take it over.
  bool special = false;
  bool closed = false;  // `return 444`: no response at all
};

// Where the rewrite statements left the request.
enum class Flow { kNext, kStop, kRespond };

class Engine {
 public:
  Engine(const Config& config, const Request& request)
      : config_(config),
        request_(request),
        uri_(PathOf(request.path)),
        method_(request.method),
        handler_status_(request.handler_status),
        set_values_(config.set_variables.size()),
        set_unknown_(config.set_variables.size()) {}

  Response Run(const Level* server, const Level* location) {
    // Only internal redirects reach a named location, and they skip the
    // server rewrite phase.
    bool named =
        location != nullptr && location->location_kind == LocationKind::kNamed;
    Outcome outcome = named ? InLocation(server, location)
                            : Enter(server, location, /*find=*/false);
    return Filter(outcome);
  }

 private:
  // The buffers keep their room from one request to the next.
  struct MapState {
    bool cached = false;
    bool busy = false;
    Evaluated source;
    Evaluated result;
  };

  Outcome Enter(const Level* server, const Level* location, bool find);
  Outcome InLocation(const Level* server, const Level* location);
  Outcome Content(const Level* server, const Level* conf);
  Outcome Catch(Outcome outcome, const Level* server);
  Outcome Redirected(const Level* server, std::string_view target);
  Response Filter(const Outcome& outcome);
  void ApplyMore(const MoreHeaders& more, int status,
                 std::vector<ResponseHeader>* headers,
                 std::vector<std::string>* hidden);

  Flow RunCodes(const std::vector<Statement>& codes, const Level** conf,
                Outcome* outcome);
  std::optional<bool> Test(const Condition& condition);
  bool MatchRegex(const Regex& regex, std::string_view subject);
  void CaptureLocations(const Level* location);
  int StaticStatus() const;

  Evaluated Eval(const ComplexValue& value);
  // Appends the value to `out->value`; an unknown part clears `out->known`.
  void Eval(const ComplexValue& value, Evaluated* out);
  const Evaluated& EvalMap(int index);
  void LookUp(const Map& map, const std::string& source, Evaluated* out);

  const Config& config_;
  const Request& request_;
  std::string uri_;
  std::string method_;
  int handler_status_;
  int uri_changes_ = 0;
  bool uri_changed_ = false;
  bool in_error_page_ = false;
  // Inside an error page or try_files fallback, static files are taken to
  // exist: the configuration names them as the answer.
  bool files_exist_ = false;
  std::vector<std::string> captures_;
  std::vector<std::optional<std::string>> set_values_;
  std::vector<bool> set_unknown_;
  // The map results of this request, in storage that each thread reuses
  // from one request to the next (probes come by the million, and an
  // engine never runs inside another); set up on the first map read.
  MapState* maps_ = nullptr;
  int map_depth_ = 0;
};

// Server rewrite phase, location search, then the location. `find` is
// false on the first entry, where the scope names the location itself.
Outcome Engine::Enter(const Level* server, const Level* location, bool find) {
  const Level* conf = server;
  Outcome outcome;
  if (RunCodes(server->statements, &conf, &outcome) == Flow::kRespond) {
    // Server-level `if` blocks hold no headers: the server answers.
    outcome.conf = server;
    return Catch(outcome, server);
  }

  if (find) location = FindLocation(server, uri_);
  return InLocation(server, location);
}

Outcome Engine::InLocation(const Level* server, const Level* location) {
  uri_changed_ = false;
  const Level* conf = location != nullptr ? location : server;
  if (location == nullptr) return Content(server, conf);

  CaptureLocations(location);
  Outcome outcome;
  Flow flow = RunCodes(location->statements, &conf, &outcome);
  if (flow == Flow::kRespond) {
    outcome.conf = conf;
    return Catch(outcome, server);
  }

  // A rewrite without `break` makes nginx search the locations again.
  if (uri_changed_) {
    if (++uri_changes_ > kMaxUriChanges) {
      return Outcome{
          .status = 500, .responder = Responder::kConfig, .conf = conf};
    }
    return InLocation(server, FindLocation(server, uri_));
  }
  return Content(server, conf);
}

Outcome Engine::Content(const Level* server, const Level* conf) {
  // try_files: a missing file (the handler would answer 404) sends the
  // request to the last argument.
  if (conf->kind == Level::Kind::kLocation && conf->try_files &&
      !files_exist_ && handler_status_ == 404) {
    const TryFiles& try_files = *conf->try_files;
    if (try_files.status != 0) {
      Outcome outcome{.status = try_files.status,
                      .responder = Responder::kConfig,
                      .span = try_files.span,
                      .conf = conf,
                      .special = true};
      return Catch(outcome, server);
    }
    Evaluated fallback = Eval(try_files.fallback);
    if (fallback.known && ++uri_changes_ <= kMaxUriChanges) {
      files_exist_ = true;
      return Redirected(server, fallback.value);
    }
  }

  if (conf->content_pass != nullptr) {
    const Pass* pass = conf->content_pass;
    Outcome outcome{.status = handler_status_,
                    .responder = Responder::kUpstream,
                    .span = pass->span,
                    .conf = conf,
                    .pass = pass};
    outcome.special = handler_status_ >= 300 &&
                      conf->intercepts[static_cast<size_t>(pass->module)];
    return Catch(outcome, server);
  }

  int status = StaticStatus();
  Outcome outcome{.status = status,
                  .responder = Responder::kStatic,
                  .conf = conf,
                  .special = status >= 300};
  return Catch(outcome, server);
}

// ngx_http_static_module: 405 for methods other than GET, HEAD and POST,
// and for POST to a file that exists.
int Engine::StaticStatus() const {
  int found = files_exist_ ? 200 : handler_status_;
  if (method_ == "GET" || method_ == "HEAD") return found;
  if (method_ == "POST") return found < 300 ? 405 : found;
  return 405;
}

// An internal redirect to `target`, a URI or a named location; the status
// of what it answers is the caller's business.
Outcome Engine::Redirected(const Level* server, std::string_view target) {
  if (target.starts_with("@")) {
    for (const Level* named : server->named_locations) {
      if (named->pattern == target.substr(1)) {
        return InLocation(server, named);
      }
    }
    // nginx answers 500 when the named location does not exist.
    return Outcome{
        .status = 500, .responder = Responder::kConfig, .conf = server};
  }
  uri_ = std::string(PathOf(target));
  return Enter(server, nullptr, /*find=*/true);
}

// error_page: a special response whose status the configuration lists
// goes to another location or becomes a redirect.
Outcome Engine::Catch(Outcome outcome, const Level* server) {
  if (!outcome.special || outcome.conf->pages == nullptr || in_error_page_ ||
      uri_changes_ >= kMaxUriChanges) {
    return outcome;
  }
  const ErrorPage* page = nullptr;
  for (const ErrorPage& candidate : *outcome.conf->pages) {
    if (std::find(candidate.codes.begin(), candidate.codes.end(),
                  outcome.status) != candidate.codes.end()) {
      page = &candidate;
      break;
    }
  }
  if (page == nullptr) return outcome;
  Evaluated target = Eval(page->target);
  if (!target.known) return outcome;

  if (!outcome.conf->recursive_pages) in_error_page_ = true;
  int status = page->overwrite > 0 ? page->overwrite : outcome.status;

  // A target that is not a URI or a named location is a redirect.
  if (!target.value.starts_with("/") && !target.value.starts_with("@")) {
    bool redirect = status == 301 || status == 302 || status == 303 ||
                    status == 307 || status == 308;
    return Outcome{.status = redirect && page->overwrite > 0 ? status : 302,
                   .responder = Responder::kConfig,
                   .span = page->span,
                   .conf = outcome.conf};
  }

  ++uri_changes_;
  if (target.value.starts_with("/") && method_ != "HEAD") method_ = "GET";
  files_exist_ = true;
  Outcome served = Redirected(server, target.value);
  // The first status stays (r->err_status) unless `=` lets the target's
  // through or the target failed in turn.
  if (page->overwrite != -1 && !served.special) served.status = status;
  return served;
}

// The captures of the regex locations on the way to `location`.
void Engine::CaptureLocations(const Level* location) {
  for (const Regex* regex : location->capturing) MatchRegex(*regex, uri_);
}

// Matches and, like ngx_http_regex_exec, replaces the captures only when
// the pattern has groups and matched.
bool Engine::MatchRegex(const Regex& regex, std::string_view subject) {
  std::vector<std::string> captures;
  if (!regex.Match(subject, &captures)) return false;
  if (captures.size() > 1) captures_ = std::move(captures);
  return true;
}

Flow Engine::RunCodes(const std::vector<Statement>& codes, const Level** conf,
                      Outcome* outcome) {
  for (const Statement& statement : codes) {
    switch (statement.kind) {
      case Statement::Kind::kSet: {
        Evaluated value = Eval(statement.value);
        set_values_[statement.slot] = std::move(value.value);
        set_unknown_[statement.slot] = !value.known;
        break;
      }

      case Statement::Kind::kIf: {
        // A condition the analyzer cannot evaluate is taken as false.
        if (!Test(statement.level->condition).value_or(false)) break;
        *conf = statement.level;
        Flow flow = RunCodes(statement.level->statements, conf, outcome);
        if (flow != Flow::kNext) return flow;
        break;
      }

      case Statement::Kind::kReturn:
        // Without a text, codes from 400 up are finalized as errors.
        *outcome =
            Outcome{.status = statement.status,
                    .responder = Responder::kConfig,
                    .span = statement.span,
                    .special = statement.status >= 400 && !statement.has_text,
                    .closed = statement.status == 444};
        return Flow::kRespond;

      case Statement::Kind::kRewrite: {
        if (!statement.regex || !MatchRegex(*statement.regex, uri_)) break;
        Evaluated replacement = Eval(statement.value);
        if (!replacement.known) break;
        const std::string& target = replacement.value;
        bool absolute =
            target.starts_with("http://") || target.starts_with("https://");
        if (absolute || statement.flag == Statement::Flag::kRedirect ||
            statement.flag == Statement::Flag::kPermanent) {
          int status =
              statement.flag == Statement::Flag::kPermanent ? 301 : 302;
          *outcome = Outcome{.status = status,
                             .responder = Responder::kConfig,
                             .span = statement.span};
          return Flow::kRespond;
        }
        uri_ = std::string(PathOf(target));
        uri_changed_ = statement.flag != Statement::Flag::kBreak;
        if (statement.flag != Statement::Flag::kNone) return Flow::kStop;
        break;
      }

      case Statement::Kind::kBreak:
        return Flow::kStop;
    }
  }
  return Flow::kNext;
}

std::optional<bool> Engine::Test(const Condition& condition) {
  switch (condition.kind) {
    case Condition::Kind::kVariable: {
      Evaluated value = Eval(condition.subject);
      if (!value.known) return std::nullopt;
      return !value.value.empty() && value.value != "0";
    }
    case Condition::Kind::kEquals: {
      Evaluated left = Eval(condition.subject);
      Evaluated right = Eval(condition.operand);
      if (!left.known || !right.known) return std::nullopt;
      return (left.value == right.value) != condition.negated;
    }
    case Condition::Kind::kRegex: {
      Evaluated subject = Eval(condition.subject);
      if (!subject.known || !condition.regex) return std::nullopt;
      return MatchRegex(*condition.regex, subject.value) != condition.negated;
    }
    case Condition::Kind::kUnknown:
      return std::nullopt;
  }
  return std::nullopt;
}

Evaluated Engine::Eval(const ComplexValue& value) {
  Evaluated result;
  Eval(value, &result);
  return result;
}

void Engine::Eval(const ComplexValue& value, Evaluated* out) {
  Evaluated& result = *out;
  for (const ValuePart& part : value.parts) {
    switch (part.kind) {
      case ValuePart::Kind::kText:
        result.value += part.text;
        break;
      case ValuePart::Kind::kCapture:
        if (static_cast<size_t>(part.index) < captures_.size()) {
          result.value += captures_[part.index];
        }
        break;
      case ValuePart::Kind::kRequestHeader:
        if (const std::string* header = request_.Header(part.text)) {
          result.value += *header;
        }
        break;
      case ValuePart::Kind::kMethod:
        result.value += method_;
        break;
      case ValuePart::Kind::kUri:
        result.value += uri_;
        break;
      case ValuePart::Kind::kRequestUri:
        result.value += request_.path;
        break;
      case ValuePart::Kind::kSetVariable:
        if (set_unknown_[part.index]) result.known = false;
        if (set_values_[part.index]) result.value += *set_values_[part.index];
        break;
      case ValuePart::Kind::kMapVariable: {
        const Evaluated& mapped = EvalMap(part.index);
        result.known = result.known && mapped.known;
        result.value += mapped.value;
        break;
      }
      case ValuePart::Kind::kUnknown:
        result.known = false;
        break;
    }
  }
}

// A map variable, evaluated once per request unless `volatile`.
const Evaluated& Engine::EvalMap(int index) {
  static const Evaluated kUnknown{"", false};
  if (maps_ == nullptr) {
    thread_local std::vector<MapState> storage;
    if (storage.size() < config_.maps.size()) {
      storage.resize(config_.maps.size());
    }
    for (size_t i = 0; i < config_.maps.size(); ++i) {
      storage[i].cached = false;
      storage[i].busy = false;
    }
    maps_ = storage.data();
  }
  const Map& map = config_.maps[index];
  MapState& state = maps_[index];
  if (state.cached) return state.result;
  // A map that depends on itself: nginx fails the request; say unknown.
  if (state.busy || map_depth_ == kMaxMapDepth) return kUnknown;

  state.busy = true;
  ++map_depth_;
  state.source.value.clear();
  state.source.known = true;
  Eval(map.source, &state.source);
  state.result.value.clear();
  state.result.known = state.source.known;
  if (state.source.known) LookUp(map, state.source.value, &state.result);
  --map_depth_;
  state.busy = false;
  state.cached = !map.is_volatile;
  return state.result;
}

// ngx_http_map_find: exact key, longest `*.` mask, longest `.*` mask,
// the first regex in order, then the default. Appends the value to `out`.
void Engine::LookUp(const Map& map, const std::string& source, Evaluated* out) {
  // One key buffer per thread: a map is looked up on every probe. A nested
  // lookup may reuse it only from the Eval calls that end this one.
  thread_local std::string key;
  key.assign(source);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (map.hostnames && !key.empty() && key.back() == '.') key.pop_back();

  if (auto it = map.exact.find(key); it != map.exact.end()) {
    return Eval(it->second, out);
  }
  if (map.hostnames) {
    for (const std::vector<Map::Mask>* masks :
         {&map.head_masks, &map.tail_masks}) {
      const Map::Mask* best = nullptr;
      for (const Map::Mask& mask : *masks) {
        if ((best == nullptr || mask.length > best->length) &&
            mask.check.Matches(key)) {
          best = &mask;
        }
      }
      if (best != nullptr) return Eval(best->value, out);
    }
  }
  if (!source.empty()) {
    for (const Map::RegexKey& entry : map.regexes) {
      if (entry.regex && MatchRegex(*entry.regex, source)) {
        return Eval(entry.value, out);
      }
    }
  }

  if (map.incomplete) {
    out->known = false;
    return;
  }
  if (map.default_value) Eval(*map.default_value, out);
}

// The header filters: headers-more first (an aux filter), then add_header.
Response Engine::Filter(const Outcome& outcome) {
  Response response;
  response.status = outcome.status;
  response.responder = outcome.responder;
  response.responder_span = outcome.span;
  if (outcome.closed) return response;

  const Level* conf = outcome.conf;
  response.headers.reserve(conf->more.size() + conf->headers.size());
  std::vector<std::string> hidden;
  // Only an upstream's answer has headers to hide.
  bool upstream = outcome.responder == Responder::kUpstream;
  if (upstream && outcome.pass != nullptr) {
    hidden = conf->hidden[static_cast<size_t>(outcome.pass->module)];
  }
  for (const MoreHeaders* more : conf->more) {
    ApplyMore(*more, outcome.status, &response.headers, &hidden);
  }

  for (const AddHeader* header : conf->headers) {
    if (!header->always && !AddHeaderStatus(outcome.status)) continue;
    Evaluated value = Eval(header->value);
    // An empty value adds nothing.
    if (value.known && value.value.empty()) continue;
    response.headers.push_back(
        ResponseHeader{header->name, std::move(value.value), value.known,
                       header->span, "add_header"});
  }

  if (upstream) {
    std::sort(hidden.begin(), hidden.end());
    hidden.erase(std::unique(hidden.begin(), hidden.end()), hidden.end());
    response.upstream_hidden = std::move(hidden);
  }
  return response;
}

void Engine::ApplyMore(const MoreHeaders& more, int status,
                       std::vector<ResponseHeader>* headers,
                       std::vector<std::string>* hidden) {
  if (!more.statuses.empty() &&
      std::find(more.statuses.begin(), more.statuses.end(), status) ==
          more.statuses.end()) {
    return;
  }

  for (const MoreHeaders::Entry& entry : more.entries) {
    auto matches = [&entry](const ResponseHeader& header) {
      return entry.prefix ? StartsWithIgnoreCase(header.name, entry.name)
                          : EqualsIgnoreCase(header.name, entry.name);
    };

    Evaluated value;
    if (!more.clear && entry.value) value = Eval(*entry.value);
    bool clears = more.clear || (value.known && value.value.empty());

    // -t depends on the Content-Type, which the analyzer does not know:
    // what the command would set is unknown, what it would clear stays.
    if (more.has_types) {
      if (clears) continue;
      value.known = false;
    }

    if (more.append) {
      if (clears) continue;
      headers->push_back(ResponseHeader{entry.name, std::move(value.value),
                                        value.known, more.span,
                                        "more_set_headers"});
      continue;
    }

    if (!more.has_types) {
      if (entry.prefix) {
        for (std::string_view name : kCorsHeaderNames) {
          if (StartsWithIgnoreCase(name, entry.name)) {
            hidden->emplace_back(name);
          }
        }
      } else {
        hidden->push_back(ToLower(entry.name));
      }
    }

    auto first = std::find_if(headers->begin(), headers->end(), matches);
    if (clears) {
      headers->erase(std::remove_if(first, headers->end(), matches),
                     headers->end());
      continue;
    }
    ResponseHeader header{entry.name, std::move(value.value), value.known,
                          more.span, "more_set_headers"};
    if (first == headers->end()) {
      headers->push_back(std::move(header));
      continue;
    }
    *first = std::move(header);
    headers->erase(std::remove_if(first + 1, headers->end(), matches),
                   headers->end());
  }
}

struct Found {
  const Level* level = nullptr;
  bool final = false;  // an exact or regex match: the search is over
};

// ngx_http_core_find_location.
Found Find(const Level* container, std::string_view uri) {
  const Level* best = nullptr;
  for (const Level* location : container->prefix_locations) {
    if (location->location_kind == LocationKind::kExact) {
      if (uri == location->pattern) return Found{location, true};
      continue;
    }
    if (uri.starts_with(location->pattern) &&
        (best == nullptr || location->pattern.size() > best->pattern.size())) {
      best = location;
    }
  }

  Found found;
  bool no_regex = false;
  if (best != nullptr) {
    found.level = best;
    no_regex = best->location_kind == LocationKind::kNoRegex;
    Found inner = Find(best, uri);
    if (inner.final) return inner;
    if (inner.level != nullptr) found.level = inner.level;
  }
  if (no_regex) return found;

  for (const Level* location : container->regex_locations) {
    if (!location->regex || !location->regex->Match(uri)) continue;
    Found inner = Find(location, uri);
    return Found{inner.level != nullptr ? inner.level : location, true};
  }
  return found;
}

}  // namespace

bool AddHeaderStatus(int status) {
  switch (status) {
    case 200:
    case 201:
    case 204:
    case 206:
    case 301:
    case 302:
    case 303:
    case 304:
    case 307:
    case 308:
      return true;
    default:
      return false;
  }
}

const Level* FindLocation(const Level* container, std::string_view uri) {
  return Find(container, uri).level;
}

LevelScope::LevelScope(std::shared_ptr<const Config> config,
                       const Level* server, const Level* location)
    : config_(std::move(config)), server_(server), location_(location) {}

Response LevelScope::Respond(const Request& request) const {
  Engine engine(*config_, request);
  return engine.Run(server_, location_);
}

}  // namespace corslint::nginx
