#include "parsers/express_model.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "analyzer/analysis.h"
#include "parsers/code_model.h"
#include "parsers/javascript.h"

namespace corslint::express {

namespace {

using code::Block;
using code::Condition;
using code::Statement;
using js::Value;

constexpr std::string_view kDefaultMethods = "GET,HEAD,PUT,PATCH,POST,DELETE";

// Statements compiled per function, duplicated continuations included;
// past it the rest of the function is not followed.
constexpr size_t kStatementBudget = 4000;
constexpr int kMaxNesting = 64;

// ---------------------------------------------------------------------------
// The model of one application.

// What an origin callback hands to cors: callback(err, value).
struct OriginResult {
  enum class Kind { kAllow, kRefuse, kError, kFixed, kUnknown };
  OriginResult() = default;
  OriginResult(Kind result_kind, std::string fixed_value = "",
               Span value_span = {})
      : kind(result_kind), fixed(std::move(fixed_value)), span(value_span) {}
  Kind kind = Kind::kUnknown;
  std::string fixed;
  Span span;
};

enum class Tri { kNo, kYes, kUnknown };

// One cors(...) call's options after defaults, or a delegate that yields
// them per request.
struct CorsConfig {
  enum class Origin {
    kDisabled,  // falsy: cors does nothing
    kStar,
    kFixed,     // a string sent as is, with Vary: Origin
    kReflect,   // true
    kChecks,    // RegExp, array: reflect when a check matches
    kCallback,  // a function: `callback` decides
    kUnknown,
  };
  Origin origin = Origin::kStar;
  std::string fixed;
  std::vector<int> checks;
  Block callback;
  std::vector<OriginResult> results;
  Span origin_span;

  Tri credentials = Tri::kNo;
  Span credentials_span;

  struct Option {
    std::optional<std::string> value;  // nullopt: not set
    bool known = true;
    Span span;
    // Given as an array: cors tests the option itself for truth, so an
    // empty array is set (and sends nothing) while an empty string is not.
    bool array = false;
  };
  Option methods;
  Option allowed_headers;  // unset: reflect Access-Control-Request-Headers
  Option exposed_headers;
  Option max_age;
  Tri preflight_continue = Tri::kNo;
  int success_status = 204;
  Span call;

  bool delegate = false;
  Block delegate_block;
  std::vector<CorsConfig> delegate_results;
};

struct Handler {
  enum class Kind { kCors, kCode, kOpaque, kRouter };
  Kind kind = Kind::kOpaque;
  int cors = -1;
  Block block;
  std::string router;
  Span span;
};

struct Layer {
  bool route = false;                // app.METHOD(); otherwise app.use()
  std::vector<std::string> paths;    // patterns; "/" for use() without path
  bool path_unknown = false;         // a RegExp or computed path
  std::vector<std::string> methods;  // route methods, upper case; ALL
  std::vector<Handler> handlers;
  Span span;
};

struct App {
  const Document* document = nullptr;
  std::vector<CorsConfig> cors;
  std::vector<Layer> layers;  // flattened: routers spliced with prefixes
  // Code the model cannot see may answer requests no visible route takes
  // (a router from a package, a handler it cannot resolve).
  bool unseen_routes = false;
};

// ---------------------------------------------------------------------------
// Paths.

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool IsWildcardSegment(std::string_view segment) {
  return segment == "*" || segment.starts_with("*") ||
         segment.starts_with("{*") || segment == "(.*)";
}

// Express path matching (case-insensitive, trailing slash optional):
// `:name` takes one segment, `*`, `*name` and `{*name}` the rest. `prefix`
// is use()'s mount-path matching at a segment boundary.
bool PathMatches(std::string_view pattern, std::string_view path, bool prefix) {
  std::vector<std::string_view> want = Segments(pattern);
  std::vector<std::string_view> have = Segments(path);
  size_t i = 0;
  for (; i < want.size(); ++i) {
    std::string_view segment = want[i];
    if (IsWildcardSegment(segment)) {
      return segment.starts_with("{*") || segment == "*" || i < have.size();
    }
    if (segment.starts_with(":")) {
      if (segment.ends_with("?") && i >= have.size()) continue;
      if (i >= have.size()) return false;
      continue;
    }
    if (i >= have.size() || !EqualsIgnoreCase(segment, have[i])) return false;
  }
  return prefix || i == have.size();
}

std::string SamplePath(std::string_view pattern) {
  std::string path;
  for (std::string_view segment : Segments(pattern)) {
    if (segment.starts_with("{*") || segment == "*" || segment == "(.*)") {
      break;
    }
    if (segment.starts_with("*")) {
      path += "/x";
      break;
    }
    if (segment.starts_with(":")) {
      path += "/1";
      continue;
    }
    path += "/" + std::string(segment);
  }
  return path.empty() ? "/" : path;
}

std::string JoinPaths(std::string_view prefix, std::string_view path) {
  std::string joined(prefix);
  while (!joined.empty() && joined.back() == '/') joined.pop_back();
  if (!path.starts_with("/")) joined += "/";
  joined += path;
  return joined.empty() ? "/" : joined;
}

bool MethodMatches(const Layer& layer, std::string_view method) {
  for (const std::string& allowed : layer.methods) {
    if (allowed == "ALL" || allowed == method) return true;
    if (allowed == "GET" && method == "HEAD") return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// What cors() does to one request (cors 2.8.5 and 2.8.6, lib/index.js).

enum class CorsStep { kPassed, kAnswered, kFailed };

// res.setHeader: replaces every earlier value of the header.
void SetHeader(Response* response, std::string_view name, std::string value,
               bool known, Span span) {
  auto& headers = response->headers;
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const ResponseHeader& header) {
                                 return EqualsIgnoreCase(header.name, name);
                               }),
                headers.end());
  headers.push_back({std::string(name), known ? std::move(value) : "", known,
                     span, "cors()"});
}

// The `vary` package: one Vary header, each token once.
void Vary(Response* response, std::string_view token, Span span) {
  for (ResponseHeader& header : response->headers) {
    if (!EqualsIgnoreCase(header.name, "Vary")) continue;
    for (const std::string& present : SplitList(header.value)) {
      if (EqualsIgnoreCase(present, token)) return;
    }
    header.value += ", " + std::string(token);
    return;
  }
  response->headers.push_back(
      {"Vary", std::string(token), true, span, "cors()"});
}

CorsStep ApplyCors(const CorsConfig& config, const App& app,
                   const Request& request, Response* response) {
  const std::vector<OriginCheck>& checks = app.document->origin_checks;

  if (config.delegate) {
    Response scratch;
    code::Outcome outcome =
        code::Execute(config.delegate_block, checks, request, &scratch);
    if (outcome.kind == code::Outcome::Kind::kResult && !outcome.uncertain &&
        outcome.result >= 0 &&
        outcome.result < static_cast<int>(config.delegate_results.size())) {
      return ApplyCors(config.delegate_results[outcome.result], app, request,
                       response);
    }
    if (outcome.kind == code::Outcome::Kind::kRespond) {
      response->status = 500;
      return CorsStep::kFailed;
    }
    CorsConfig unknown;
    unknown.origin = CorsConfig::Origin::kUnknown;
    unknown.origin_span = config.call;
    unknown.credentials = Tri::kUnknown;
    unknown.credentials_span = config.call;
    unknown.call = config.call;
    unknown.methods = {std::string(kDefaultMethods), false, config.call};
    unknown.allowed_headers = {std::nullopt, false, config.call};
    return ApplyCors(unknown, app, request, response);
  }

  // The origin option, resolved for this request.
  CorsConfig::Origin mode = config.origin;
  std::string fixed = config.fixed;
  bool allowed = false, known = true;
  Span origin_span = config.origin_span;
  switch (mode) {
    case CorsConfig::Origin::kDisabled:
      return CorsStep::kPassed;
    case CorsConfig::Origin::kCallback: {
      Response scratch;
      code::Outcome outcome =
          code::Execute(config.callback, checks, request, &scratch);
      if (outcome.kind != code::Outcome::Kind::kResult || outcome.uncertain ||
          outcome.result < 0 ||
          outcome.result >= static_cast<int>(config.results.size())) {
        mode = CorsConfig::Origin::kUnknown;
        break;
      }
      const OriginResult& result = config.results[outcome.result];
      origin_span = result.span.valid() ? result.span : origin_span;
      switch (result.kind) {
        case OriginResult::Kind::kAllow:
          mode = CorsConfig::Origin::kReflect;
          break;
        case OriginResult::Kind::kRefuse:
          return CorsStep::kPassed;
        case OriginResult::Kind::kError:
          response->status = 500;
          response->responder = Responder::kConfig;
          response->responder_span = result.span;
          return CorsStep::kFailed;
        case OriginResult::Kind::kFixed:
          mode = result.fixed == "*" ? CorsConfig::Origin::kStar
                                     : CorsConfig::Origin::kFixed;
          fixed = result.fixed;
          break;
        case OriginResult::Kind::kUnknown:
          mode = CorsConfig::Origin::kUnknown;
          break;
      }
      break;
    }
    default:
      break;
  }
  if (mode == CorsConfig::Origin::kReflect) {
    allowed = true;
  } else if (mode == CorsConfig::Origin::kChecks) {
    for (int index : config.checks) {
      code::Truth truth =
          code::Evaluate(Condition::Check(index, Span{}), checks, request);
      if (truth == code::Truth::kTrue) allowed = true;
      if (truth == code::Truth::kUnknown) known = false;
    }
    if (allowed) known = true;
  } else if (mode == CorsConfig::Origin::kUnknown) {
    known = false;
  }

  // Access-Control-Allow-Origin and Vary.
  if (mode == CorsConfig::Origin::kStar) {
    SetHeader(response, "Access-Control-Allow-Origin", "*", true, origin_span);
  } else if (mode == CorsConfig::Origin::kFixed) {
    SetHeader(response, "Access-Control-Allow-Origin", fixed, true,
              origin_span);
    Vary(response, "Origin", origin_span);
  } else {
    if (!known) {
      SetHeader(response, "Access-Control-Allow-Origin", "", false,
                origin_span);
    } else if (allowed && request.origin) {
      SetHeader(response, "Access-Control-Allow-Origin", *request.origin, true,
                origin_span);
    }
    Vary(response, "Origin", origin_span);
  }

  if (config.credentials != Tri::kNo) {
    SetHeader(response, "Access-Control-Allow-Credentials", "true",
              config.credentials == Tri::kYes, config.credentials_span);
  }

  auto set_option = [&](const CorsConfig::Option& option,
                        std::string_view name) {
    if (!option.known) {
      SetHeader(response, std::string(name), "", false, option.span);
    } else if (option.value && !option.value->empty()) {
      SetHeader(response, std::string(name), *option.value, true, option.span);
    }
  };

  if (request.method != "OPTIONS") {
    set_option(config.exposed_headers, "Access-Control-Expose-Headers");
    return CorsStep::kPassed;
  }

  // Every OPTIONS request is a preflight to cors.
  set_option(config.methods, "Access-Control-Allow-Methods");
  if (!config.allowed_headers.known) {
    set_option(config.allowed_headers, "Access-Control-Allow-Headers");
  } else if (!config.allowed_headers.value ||
             (config.allowed_headers.value->empty() &&
              !config.allowed_headers.array)) {
    Vary(response, "Access-Control-Request-Headers",
         config.allowed_headers.span);
    const std::string* requested =
        request.Header("Access-Control-Request-Headers");
    if (requested != nullptr && !requested->empty()) {
      SetHeader(response, "Access-Control-Allow-Headers", *requested, true,
                config.allowed_headers.span);
    }
  } else {
    set_option(config.allowed_headers, "Access-Control-Allow-Headers");
  }
  set_option(config.max_age, "Access-Control-Max-Age");
  set_option(config.exposed_headers, "Access-Control-Expose-Headers");

  if (config.preflight_continue == Tri::kYes) return CorsStep::kPassed;
  response->status = config.success_status;
  response->responder = Responder::kConfig;
  response->responder_span = config.call;
  return CorsStep::kAnswered;
}

// ---------------------------------------------------------------------------
// The scope: one mount path or route, answering through the whole chain.

class ExpressScope : public Scope {
 public:
  explicit ExpressScope(std::shared_ptr<const App> app)
      : app_(std::move(app)) {}

  Response Respond(const Request& request) const override {
    const App& app = *app_;
    Response response;
    response.responder = Responder::kApp;
    std::vector<std::string> allowed_methods;
    bool route_matched = false;

    for (const Layer& layer : app.layers) {
      bool path_matches = layer.path_unknown;
      for (const std::string& path : layer.paths) {
        path_matches =
            path_matches || PathMatches(path, request.path, !layer.route);
      }
      if (!path_matches) continue;
      if (layer.route) {
        route_matched = true;
        for (const std::string& method : layer.methods) {
          allowed_methods.push_back(method);
        }
        if (!MethodMatches(layer, request.method)) continue;
      }

      for (size_t h = 0; h < layer.handlers.size(); ++h) {
        const Handler& handler = layer.handlers[h];
        bool final_handler = layer.route && h + 1 == layer.handlers.size() &&
                             handler.kind != Handler::Kind::kCors;

        if (handler.kind == Handler::Kind::kCors) {
          CorsStep step =
              ApplyCors(app.cors[handler.cors], app, request, &response);
          if (step == CorsStep::kPassed) continue;
          if (step == CorsStep::kFailed && !response.responder_span.valid()) {
            response.responder_span = handler.span;
          }
          response.responder = Responder::kConfig;
          return response;
        }

        if (final_handler) {
          // The application's own answer. Headers the handler sets reach
          // only its successful responses: an error raised before them
          // goes to the final handler with what earlier middleware set.
          response.responder = Responder::kApp;
          response.responder_span = handler.span;
          response.status = request.handler_status;
          if (request.handler_status >= 400) return response;
          code::Outcome outcome = code::Execute(
              handler.block, app.document->origin_checks, request, &response);
          if (outcome.kind == code::Outcome::Kind::kNext) break;
          if (outcome.kind == code::Outcome::Kind::kRespond &&
              outcome.status > 0) {
            response.status = outcome.status;
          }
          return response;
        }

        if (handler.kind != Handler::Kind::kCode) continue;
        code::Outcome outcome = code::Execute(
            handler.block, app.document->origin_checks, request, &response);
        if (outcome.kind == code::Outcome::Kind::kRespond) {
          response.status = outcome.status > 0 ? outcome.status : 200;
          response.responder = Responder::kConfig;
          response.responder_span = outcome.span;
          return response;
        }
      }
    }

    // Nothing answered: Express's router answers OPTIONS for a known path
    // itself, and the final handler answers 404.
    if (request.method == "OPTIONS" && route_matched) {
      std::vector<std::string> methods;
      for (const std::string& method : allowed_methods) {
        std::vector<std::string> expanded = {method};
        if (method == "GET") expanded.push_back("HEAD");
        for (const std::string& name : expanded) {
          if (name != "ALL" && std::find(methods.begin(), methods.end(),
                                         name) == methods.end()) {
            methods.push_back(name);
          }
        }
      }
      std::sort(methods.begin(), methods.end());
      std::string allow;
      for (const std::string& method : methods) {
        allow += (allow.empty() ? "" : ", ") + method;
      }
      response.status = 200;
      response.responder = Responder::kConfig;
      response.responder_span = span;
      response.headers.push_back({"Allow", allow, true, span, "express"});
      return response;
    }
    if (!route_matched && app.unseen_routes) {
      // Routes the model does not see: Express's router answers OPTIONS
      // for a path they serve; the application's code answers the rest.
      bool options = request.method == "OPTIONS";
      response.status = options ? 200 : request.handler_status;
      response.responder = options ? Responder::kConfig : Responder::kApp;
      response.responder_span = span;
      return response;
    }
    response.status = 404;
    response.responder = Responder::kConfig;
    response.responder_span = span;
    return response;
  }

 private:
  std::shared_ptr<const App> app_;
};

// ---------------------------------------------------------------------------
// Reading the source.

std::vector<std::string> ParameterNames(const js::Module& module,
                                        TSNode function) {
  std::vector<std::string> names;
  TSNode single = ts::Field(function, "parameter");
  if (!ts_node_is_null(single)) {
    names.emplace_back(module.Text(single));
    return names;
  }
  for (TSNode parameter :
       ts::NamedChildren(ts::Field(function, "parameters"))) {
    TSNode name = parameter;
    if (!ts::Is(name, "identifier")) {
      TSNode pattern = ts::Field(parameter, "pattern");
      if (ts_node_is_null(pattern)) pattern = ts::Field(parameter, "left");
      name = pattern;
    }
    names.emplace_back(ts::Is(name, "identifier") ? module.Text(name) : "");
  }
  return names;
}

bool MentionsCorsHeader(std::string_view text) {
  std::string lower = ToLower(text);
  return lower.find("access-control-") != std::string::npos;
}

class Loader;

// Compiles one function (middleware, route handler, origin callback or
// options delegate) into statements.
class FunctionCompiler {
 public:
  enum class Role { kMiddleware, kOriginCallback, kDelegate };

  FunctionCompiler(Loader& loader, const js::Module& module, TSNode function,
                   Role role, CorsConfig* config)
      : loader_(loader),
        module_(module),
        function_(function),
        role_(role),
        config_(config) {}

  Block Compile();

 private:
  Block CompileList(std::vector<TSNode> statements, js::Env env, int depth);
  // Compiles an expression evaluated for its effect. Returns whether it
  // ends the function's work (a response, next(), a callback).
  bool CompileEffect(TSNode expression, js::Env& env, Block* out, int depth);
  bool CompileResponseCall(TSNode call, const js::Env& env, Block* out,
                           int depth);
  void CompileResult(const std::vector<TSNode>& args, const js::Env& env,
                     Block* out, Span span, int depth);
  void AddHeader(Statement::Kind kind, TSNode name, TSNode value,
                 const js::Env& env, std::optional<std::string> when_absent,
                 std::string mechanism, Span span, Block* out);
  code::Value HeaderValue(TSNode node, const js::Env& env,
                          std::optional<std::string> when_absent);

 public:
  Condition CompileCondition(TSNode node, const js::Env& env, int depth);
  bool IsOrigin(TSNode node, const js::Env& env, bool* folded) const;

 private:
  bool IsMethod(TSNode node) const;
  bool IsResponse(TSNode node) const;
  Condition Contains(const Value& collection, TSNode at, bool folded);
  Condition IndexComparison(TSNode call, const js::Env& env, bool* ok);

  Loader& loader_;
  const js::Module& module_;
  TSNode function_;
  Role role_;
  CorsConfig* config_;
  std::string req_, res_, next_, callback_;
  int pending_status_ = 0;
  size_t budget_ = kStatementBudget;
  bool budget_noted_ = false;
};

class Loader {
 public:
  Loader(Document* document, const LoadOptions& options)
      : document_(document),
        program_(document, options.allowed_roots, options.max_file_bytes) {}

  void Run(const SourceFile& file);

  js::Program& program() { return program_; }
  Document& document() { return *document_; }

  // Adds an origin check and returns its index; the same check at the same
  // place is added once.
  int AddCheck(OriginCheckKind kind, std::string pattern, Span span,
               std::string construct, bool case_insensitive,
               const std::string& flags = "");
  void Note(const Span& span, std::string message) {
    program_.Note(span, std::move(message));
  }

  // A cors config from the options value `options` (absent: defaults).
  CorsConfig CompileConfig(const Value* options, Span call, int depth);

 private:
  bool IsCorsFactory(const Value& value) const;
  bool IsExpressFactory(const Value& value, bool* router) const;
  void ReadCall(TSNode call);
  // `route_final`: the last handler of a route, the application's own
  // answer; `answers_options`: the route takes OPTIONS requests.
  Handler ClassifyHandler(TSNode node, bool route_final, bool answers_options);
  std::vector<Layer> Flatten(const std::string& object, std::string_view prefix,
                             int depth);
  void SetOrigin(CorsConfig* config, const Value& origin);
  CorsConfig::Option Option(const Value* value, Span fallback,
                            std::optional<std::string> default_value);

  Document* document_;
  js::Program program_;
  const js::Module* module_ = nullptr;
  std::shared_ptr<App> app_ = std::make_shared<App>();
  std::map<std::string, std::vector<Layer>> objects_;  // app/router → layers
  std::vector<std::string> object_order_;
  std::set<std::string> routers_;
  std::set<std::string> mounted_;
  std::map<std::tuple<uint32_t, int, std::string>, int> check_index_;
  std::map<uint32_t, int> cors_index_;  // cors() call → config
};

int Loader::AddCheck(OriginCheckKind kind, std::string pattern, Span span,
                     std::string construct, bool case_insensitive,
                     const std::string& flags) {
  auto key = std::make_tuple(span.begin, static_cast<int>(kind), pattern);
  if (span.file != nullptr && span.file != document_->files.front().get()) {
    std::get<0>(key) += 0x80000000u;
  }
  auto it = check_index_.find(key);
  if (it != check_index_.end()) return it->second;

  OriginCheck check;
  check.kind = kind;
  check.pattern = std::move(pattern);
  check.case_insensitive = case_insensitive;
  check.span = span;
  check.construct = std::move(construct);
  if (kind == OriginCheckKind::kRegex) {
    check.stateful = flags.find_first_of("gy") != std::string::npos;
    check.case_insensitive = flags.find('i') != std::string::npos;
    RegexOptions options;
    options.dialect = RegexDialect::kJavaScript;
    // A sticky (y) RegExp matches only where lastIndex stands.
    options.anchor = flags.find('y') != std::string::npos
                         ? RegexAnchor::kStart
                         : RegexAnchor::kSearch;
    options.case_insensitive = check.case_insensitive;
    std::string error;
    std::unique_ptr<Regex> regex =
        Regex::Compile(check.pattern, options, &error);
    if (regex == nullptr) {
      Note(span, "cannot evaluate the RegExp `" + check.pattern + "` (" +
                     error + "); the origins it admits are unknown");
      check.kind = OriginCheckKind::kUnknown;
    } else {
      check.regex = std::move(regex);
    }
  }
  document_->origin_checks.push_back(std::move(check));
  int index = static_cast<int>(document_->origin_checks.size()) - 1;
  check_index_[key] = index;
  return index;
}

// ----- function bodies -----------------------------------------------------

Block FunctionCompiler::Compile() {
  std::vector<std::string> params = ParameterNames(module_, function_);
  js::Env env;
  auto param = [&](size_t i) {
    return i < params.size() ? params[i] : std::string();
  };
  switch (role_) {
    case Role::kMiddleware:
      req_ = param(0);
      res_ = param(1);
      next_ = param(2);
      break;
    case Role::kOriginCallback: {
      Value origin;
      origin.kind = Value::Kind::kOrigin;
      if (!param(0).empty()) env.names[param(0)] = origin;
      callback_ = param(1);
      break;
    }
    case Role::kDelegate:
      req_ = param(0);
      callback_ = param(1);
      break;
  }

  TSNode body = ts::Field(function_, "body");
  std::vector<TSNode> statements;
  if (ts::Is(body, "statement_block")) {
    statements = ts::NamedChildren(body);
  } else if (!ts_node_is_null(body)) {
    // An expression body, `(origin, cb) => cb(null, true)`.
    statements.push_back(body);
  }
  return CompileList(std::move(statements), std::move(env), 0);
}

Block FunctionCompiler::CompileList(std::vector<TSNode> statements, js::Env env,
                                    int depth) {
  Block out;
  for (size_t i = 0; i < statements.size(); ++i) {
    TSNode statement = statements[i];
    if (budget_ == 0 || depth > kMaxNesting) {
      if (!budget_noted_) {
        loader_.Note(module_.SpanOf(statement),
                     "this function is too long or too deeply nested to "
                     "follow; the CORS headers set from here on are unknown");
        budget_noted_ = true;
      }
      if (MentionsCorsHeader(module_.Text(statement))) {
        Statement unknown;
        unknown.kind = Statement::Kind::kSetHeader;
        unknown.name = "Access-Control-Allow-Origin";
        unknown.span = module_.SpanOf(statement);
        unknown.mechanism = "code";
        out.push_back(std::move(unknown));
      }
      return out;
    }
    --budget_;
    std::string_view type = ts::Type(statement);
    std::vector<TSNode> rest(statements.begin() + i + 1, statements.end());

    if (type == "expression_statement" || type == "expression" ||
        (type != "if_statement" && type != "return_statement" &&
         type != "statement_block" && type != "lexical_declaration" &&
         type != "variable_declaration" && type != "try_statement" &&
         type != "throw_statement" && type != "empty_statement" &&
         type.find("statement") == std::string_view::npos &&
         type != "comment")) {
      TSNode expression = type == "expression_statement"
                              ? ts_node_named_child(statement, 0)
                              : statement;
      if (CompileEffect(expression, env, &out, depth)) return out;
      continue;
    }
    if (type == "return_statement") {
      std::vector<TSNode> children = ts::NamedChildren(statement);
      if (!children.empty()) {
        if (CompileEffect(children[0], env, &out, depth)) return out;
      }
      Statement done;
      done.kind = Statement::Kind::kReturn;
      done.span = module_.SpanOf(statement);
      out.push_back(std::move(done));
      return out;
    }
    if (type == "if_statement") {
      Statement branch;
      branch.kind = Statement::Kind::kIf;
      branch.span = module_.SpanOf(statement);
      branch.condition =
          CompileCondition(ts::Field(statement, "condition"), env, depth + 1);
      auto flatten = [&](TSNode node) {
        std::vector<TSNode> list;
        if (ts::Is(node, "else_clause")) {
          std::vector<TSNode> inner = ts::NamedChildren(node);
          if (inner.empty()) return list;
          node = inner[0];
        }
        if (ts::Is(node, "statement_block")) return ts::NamedChildren(node);
        if (!ts_node_is_null(node)) list.push_back(node);
        return list;
      };
      // Each branch continues with the rest of the function, so that
      // values assigned in a branch reach the statements after the `if`.
      std::vector<TSNode> then_list =
          flatten(ts::Field(statement, "consequence"));
      std::vector<TSNode> else_list =
          flatten(ts::Field(statement, "alternative"));
      then_list.insert(then_list.end(), rest.begin(), rest.end());
      else_list.insert(else_list.end(), rest.begin(), rest.end());
      branch.then_block = CompileList(std::move(then_list), env, depth + 1);
      branch.else_block = CompileList(std::move(else_list), env, depth + 1);
      out.push_back(std::move(branch));
      return out;
    }
    if (type == "statement_block" || type == "try_statement") {
      TSNode block =
          type == "try_statement" ? ts::Field(statement, "body") : statement;
      std::vector<TSNode> inner = ts::NamedChildren(block);
      inner.insert(inner.end(), rest.begin(), rest.end());
      Block compiled = CompileList(std::move(inner), std::move(env), depth + 1);
      out.insert(out.end(), compiled.begin(), compiled.end());
      return out;
    }
    if (type == "lexical_declaration" || type == "variable_declaration") {
      for (TSNode declarator : ts::NamedChildren(statement)) {
        if (!ts::Is(declarator, "variable_declarator")) continue;
        TSNode name = ts::Field(declarator, "name");
        TSNode value = ts::Field(declarator, "value");
        if (ts::Is(name, "identifier")) {
          bool folded = false;
          Value bound;
          if (ts_node_is_null(value)) {
            bound.kind = Value::Kind::kUndefined;
          } else if (IsOrigin(value, env, &folded)) {
            bound.kind = Value::Kind::kOrigin;
            bound.case_folded = folded;
          } else {
            bound = loader_.program().Evaluate(value, module_, &env);
          }
          env.names[std::string(module_.Text(name))] = std::move(bound);
        } else if (ts::Is(name, "object_pattern") &&
                   module_.Text(js::Unwrap(value)) == req_ + ".headers") {
          for (TSNode part : ts::NamedChildren(name)) {
            if (ts::Is(part, "shorthand_property_identifier_pattern") &&
                module_.Text(part) == "origin") {
              Value origin;
              origin.kind = Value::Kind::kOrigin;
              env.names["origin"] = origin;
            }
          }
        }
      }
      continue;
    }
    if (type == "throw_statement") {
      Statement failed;
      failed.kind = Statement::Kind::kRespond;
      failed.status = 500;
      failed.span = module_.SpanOf(statement);
      out.push_back(std::move(failed));
      return out;
    }
    if (type == "empty_statement" || type == "comment") continue;

    // Loops, switches and the like: followed no further.
    std::string_view text = module_.Text(statement);
    if (MentionsCorsHeader(text) ||
        (!res_.empty() && text.find(res_ + ".") != std::string_view::npos)) {
      loader_.Note(module_.SpanOf(statement),
                   "cannot follow this `" + std::string(type) +
                       "`; the CORS headers it sets are unknown");
      if (MentionsCorsHeader(text)) {
        Statement unknown;
        unknown.kind = Statement::Kind::kSetHeader;
        unknown.name = "Access-Control-Allow-Origin";
        unknown.span = module_.SpanOf(statement);
        unknown.mechanism = "code";
        out.push_back(std::move(unknown));
      }
    }
  }
  return out;
}

bool FunctionCompiler::IsResponse(TSNode node) const {
  node = js::Unwrap(node);
  if (ts::Is(node, "identifier")) {
    return !res_.empty() && module_.Text(node) == res_;
  }
  if (ts::Is(node, "call_expression")) {
    TSNode callee = js::Unwrap(ts::Field(node, "function"));
    if (ts::Is(callee, "member_expression")) {
      return IsResponse(ts::Field(callee, "object"));
    }
  }
  return false;
}

code::Value FunctionCompiler::HeaderValue(
    TSNode node, const js::Env& env, std::optional<std::string> when_absent) {
  bool folded = false;
  if (IsOrigin(node, env, &folded)) {
    return code::Value::RequestHeader("Origin", std::move(when_absent));
  }
  // `origin || '*'`, `origin ?? 'null'`: the fallback when absent.
  TSNode unwrapped = js::Unwrap(node);
  if (ts::Is(unwrapped, "binary_expression")) {
    std::string_view op = module_.Text(ts::Field(unwrapped, "operator"));
    if ((op == "||" || op == "??") &&
        IsOrigin(ts::Field(unwrapped, "left"), env, &folded)) {
      Value fallback = loader_.program().Evaluate(ts::Field(unwrapped, "right"),
                                                  module_, &env);
      std::optional<std::string> text = fallback.AsString();
      if (!text) return code::Value();
      // An empty Origin header is falsy for `||` only; browsers never send
      // one, so both read as "the Origin, or the fallback when absent".
      return code::Value::RequestHeader("Origin", *text);
    }
  }
  Value value = loader_.program().Evaluate(node, module_, &env);
  if (value.kind == Value::Kind::kArray) {
    std::string joined;
    for (const Value& item : value.items) {
      std::optional<std::string> text = item.AsString();
      if (!text) return code::Value();
      joined += (joined.empty() ? "" : ", ") + *text;
    }
    return code::Value::Literal(joined);
  }
  if (value.kind == Value::Kind::kUndefined) {
    if (!when_absent) return code::Value();
    return code::Value::Literal(*when_absent);
  }
  std::optional<std::string> text = value.AsString();
  if (!text) return code::Value();
  return code::Value::Literal(*text);
}

void FunctionCompiler::AddHeader(Statement::Kind kind, TSNode name,
                                 TSNode value, const js::Env& env,
                                 std::optional<std::string> when_absent,
                                 std::string mechanism, Span span, Block* out) {
  Value header = loader_.program().Evaluate(name, module_, &env);
  if (header.kind != Value::Kind::kString) {
    if (MentionsCorsHeader(module_.Text(ts_node_parent(name))) ||
        !header.known()) {
      loader_.Note(span,
                   "cannot tell which header this sets; a CORS header "
                   "set here is unknown");
    }
    return;
  }
  Statement statement;
  statement.kind = kind;
  statement.name = header.text;
  if (kind != Statement::Kind::kRemoveHeader) {
    statement.value = HeaderValue(value, env, std::move(when_absent));
  }
  // A literal allowed origin is a check that admits exactly that origin.
  if (EqualsIgnoreCase(statement.name, "Access-Control-Allow-Origin") &&
      statement.value.kind == code::Value::Kind::kLiteral &&
      statement.value.text != "*" && statement.value.text != "undefined") {
    loader_.AddCheck(OriginCheckKind::kFixed, statement.value.text,
                     module_.SpanOf(value), "header value", false);
  }
  statement.span = span;
  statement.mechanism = std::move(mechanism);
  out->push_back(std::move(statement));
}

bool FunctionCompiler::CompileResponseCall(TSNode call, const js::Env& env,
                                           Block* out, int depth) {
  TSNode callee = js::Unwrap(ts::Field(call, "function"));
  TSNode object = ts::Field(callee, "object");
  std::string method(module_.Text(ts::Field(callee, "property")));
  std::vector<TSNode> args = ts::NamedChildren(ts::Field(call, "arguments"));
  Span span = module_.SpanOf(call);

  // A chain: res.status(204).end(), res.set(a, b).json(x).
  if (ts::Is(js::Unwrap(object), "call_expression")) {
    js::Env copy = env;
    if (CompileEffect(js::Unwrap(object), copy, out, depth + 1)) return true;
  }

  auto arg = [&](size_t i) { return i < args.size() ? args[i] : TSNode{}; };
  auto status_of = [&](TSNode node) {
    Value value = loader_.program().Evaluate(node, module_, &env);
    if (value.kind != Value::Kind::kNumber) return 0;
    try {
      return std::stoi(value.text);
    } catch (...) {
      return 0;
    }
  };

  if (method == "header" || method == "set" || method == "setHeader" ||
      method == "append") {
    Statement::Kind kind = method == "append" ? Statement::Kind::kAddHeader
                                              : Statement::Kind::kSetHeader;
    std::optional<std::string> absent;
    if (method != "setHeader") absent = "undefined";
    std::string mechanism = "res." + method;
    Value first = loader_.program().Evaluate(arg(0), module_, &env);
    if (args.size() == 1 && first.kind == Value::Kind::kObject) {
      TSNode object_node = js::Unwrap(arg(0));
      for (TSNode pair : ts::NamedChildren(object_node)) {
        if (!ts::Is(pair, "pair")) continue;
        AddHeader(kind, ts::Field(pair, "key"), ts::Field(pair, "value"), env,
                  absent, mechanism, module_.SpanOf(pair), out);
      }
      return false;
    }
    if (args.size() >= 2) {
      AddHeader(kind, arg(0), arg(1), env, absent, mechanism, span, out);
    }
    return false;
  }
  if (method == "vary") {
    if (!args.empty()) {
      Statement statement;
      statement.kind = Statement::Kind::kVary;
      statement.name = "Vary";
      statement.value = HeaderValue(arg(0), env, std::nullopt);
      statement.span = span;
      statement.mechanism = "res.vary";
      out->push_back(std::move(statement));
    }
    return false;
  }
  if (method == "removeHeader") {
    if (!args.empty()) {
      AddHeader(Statement::Kind::kRemoveHeader, arg(0), TSNode{}, env,
                std::nullopt, "res.removeHeader", span, out);
    }
    return false;
  }
  if (method == "status") {
    pending_status_ = status_of(arg(0));
    return false;
  }

  Statement respond;
  respond.kind = Statement::Kind::kRespond;
  respond.span = span;
  if (method == "sendStatus") {
    respond.status = status_of(arg(0));
  } else if (method == "writeHead") {
    respond.status = status_of(arg(0));
    Value headers = loader_.program().Evaluate(arg(1), module_, &env);
    if (headers.kind == Value::Kind::kObject) {
      for (TSNode pair : ts::NamedChildren(js::Unwrap(arg(1)))) {
        if (!ts::Is(pair, "pair")) continue;
        AddHeader(Statement::Kind::kSetHeader, ts::Field(pair, "key"),
                  ts::Field(pair, "value"), env, std::nullopt, "res.writeHead",
                  module_.SpanOf(pair), out);
      }
    }
  } else if (method == "end" || method == "send" || method == "json" ||
             method == "jsonp" || method == "sendFile" || method == "render" ||
             method == "download") {
    respond.status = pending_status_ > 0 ? pending_status_ : 200;
  } else if (method == "redirect") {
    respond.status = 302;
  } else {
    return false;
  }
  out->push_back(std::move(respond));
  return true;
}

void FunctionCompiler::CompileResult(const std::vector<TSNode>& args,
                                     const js::Env& env, Block* out, Span span,
                                     int depth) {
  auto result = [&](OriginResult value) {
    Statement statement;
    statement.kind = Statement::Kind::kResult;
    statement.span = span;
    statement.result = static_cast<int>(config_->results.size());
    if (value.span.file == nullptr) value.span = span;
    config_->results.push_back(std::move(value));
    return statement;
  };

  // callback(err, ...): a known error fails the request.
  if (!args.empty()) {
    Value error = loader_.program().Evaluate(args[0], module_, &env);
    bool no_error = error.kind == Value::Kind::kNull ||
                    error.kind == Value::Kind::kUndefined;
    if (!no_error) {
      OriginResult failed;
      failed.kind = error.known() ? OriginResult::Kind::kError
                                  : OriginResult::Kind::kUnknown;
      out->push_back(result(failed));
      return;
    }
  }
  if (args.size() < 2) {
    out->push_back(result(OriginResult(OriginResult::Kind::kRefuse)));
    return;
  }

  TSNode value_node = args[1];
  Span value_span = module_.SpanOf(value_node);
  if (role_ == Role::kDelegate) {
    Value options = loader_.program().Evaluate(value_node, module_, &env);
    Statement statement;
    statement.kind = Statement::Kind::kResult;
    statement.span = span;
    statement.result = static_cast<int>(config_->delegate_results.size());
    config_->delegate_results.push_back(
        loader_.CompileConfig(&options, value_span, depth + 1));
    out->push_back(std::move(statement));
    return;
  }

  bool folded = false;
  if (IsOrigin(value_node, env, &folded)) {
    out->push_back(
        result(OriginResult(OriginResult::Kind::kAllow, "", value_span)));
    return;
  }
  Value value = loader_.program().Evaluate(value_node, module_, &env);
  if (value.kind == Value::Kind::kString) {
    if (value.text.empty()) {
      out->push_back(
          result(OriginResult(OriginResult::Kind::kRefuse, "", value_span)));
      return;
    }
    loader_.AddCheck(OriginCheckKind::kFixed, value.text, value_span,
                     "cors origin string", false);
    out->push_back(result(
        OriginResult(OriginResult::Kind::kFixed, value.text, value_span)));
    return;
  }
  if (std::optional<bool> truthy = value.Truthy();
      truthy && value.kind != Value::Kind::kRegex &&
      value.kind != Value::Kind::kArray) {
    out->push_back(result(OriginResult(
        *truthy ? OriginResult::Kind::kAllow : OriginResult::Kind::kRefuse, "",
        value_span)));
    return;
  }

  // A RegExp, an array or a boolean expression decides per request.
  Condition condition;
  if (value.kind == Value::Kind::kRegex || value.kind == Value::Kind::kArray) {
    std::vector<Condition> any;
    auto add = [&](const Value& item) {
      if (item.kind == Value::Kind::kString) {
        any.push_back(Condition::Check(
            loader_.AddCheck(OriginCheckKind::kExact, item.text, item.span(),
                             "cors origin list", false),
            item.span()));
      } else if (item.kind == Value::Kind::kRegex) {
        any.push_back(Condition::Check(
            loader_.AddCheck(OriginCheckKind::kRegex, item.text, item.span(),
                             "cors origin RegExp", false, item.flags),
            item.span()));
      } else {
        any.push_back(Condition::Unknown(item.span()));
      }
    };
    if (value.kind == Value::Kind::kRegex) {
      add(value);
    } else {
      for (const Value& item : value.items) add(item);
    }
    condition.kind = Condition::Kind::kAny;
    condition.operands = std::move(any);
  } else {
    condition = CompileCondition(value_node, env, depth + 1);
  }
  Statement branch;
  branch.kind = Statement::Kind::kIf;
  branch.span = span;
  branch.condition = std::move(condition);
  branch.then_block.push_back(
      result(OriginResult(OriginResult::Kind::kAllow, "", value_span)));
  branch.else_block.push_back(
      result(OriginResult(OriginResult::Kind::kRefuse, "", value_span)));
  out->push_back(std::move(branch));
}

bool FunctionCompiler::CompileEffect(TSNode expression, js::Env& env,
                                     Block* out, int depth) {
  expression = js::Unwrap(expression);
  if (ts_node_is_null(expression) || depth > kMaxNesting) return false;
  std::string_view type = ts::Type(expression);

  if (type == "await_expression") {
    std::vector<TSNode> inner = ts::NamedChildren(expression);
    return !inner.empty() && CompileEffect(inner[0], env, out, depth + 1);
  }
  if (type == "sequence_expression") {
    for (TSNode part : ts::NamedChildren(expression)) {
      if (CompileEffect(part, env, out, depth + 1)) return true;
    }
    return false;
  }
  if (type == "assignment_expression") {
    TSNode left = ts::Field(expression, "left");
    TSNode right = ts::Field(expression, "right");
    std::string target(module_.Text(left));
    if (target == res_ + ".statusCode") {
      Value status = loader_.program().Evaluate(right, module_, &env);
      if (status.kind == Value::Kind::kNumber) {
        pending_status_ = std::atoi(status.text.c_str());
      }
      return false;
    }
    if (ts::Is(left, "identifier")) {
      bool folded = false;
      Value bound;
      if (IsOrigin(right, env, &folded)) {
        bound.kind = Value::Kind::kOrigin;
        bound.case_folded = folded;
      } else {
        bound = loader_.program().Evaluate(right, module_, &env);
      }
      env.names[target] = std::move(bound);
    }
    return false;
  }
  if (type == "binary_expression" || type == "ternary_expression") {
    // `allowed && res.header(...)`, `ok ? next() : res.sendStatus(403)`.
    std::string_view op = module_.Text(ts::Field(expression, "operator"));
    if (type == "binary_expression" && op != "&&" && op != "||") return false;
    Statement branch;
    branch.kind = Statement::Kind::kIf;
    branch.span = module_.SpanOf(expression);
    TSNode condition = ts::Field(
        expression, type == "binary_expression" ? "left" : "condition");
    branch.condition = CompileCondition(condition, env, depth + 1);
    js::Env copy = env;
    if (type == "binary_expression") {
      Block* target = op == "&&" ? &branch.then_block : &branch.else_block;
      CompileEffect(ts::Field(expression, "right"), copy, target, depth + 1);
    } else {
      CompileEffect(ts::Field(expression, "consequence"), copy,
                    &branch.then_block, depth + 1);
      js::Env other = env;
      CompileEffect(ts::Field(expression, "alternative"), other,
                    &branch.else_block, depth + 1);
    }
    out->push_back(std::move(branch));
    return false;
  }
  if (type != "call_expression") return false;

  TSNode callee = js::Unwrap(ts::Field(expression, "function"));
  std::vector<TSNode> args =
      ts::NamedChildren(ts::Field(expression, "arguments"));
  Span span = module_.SpanOf(expression);

  if (ts::Is(callee, "identifier")) {
    std::string_view name = module_.Text(callee);
    if (!next_.empty() && name == next_) {
      Statement statement;
      statement.kind =
          args.empty() ? Statement::Kind::kNext : Statement::Kind::kRespond;
      statement.status = 500;
      statement.span = span;
      out->push_back(std::move(statement));
      return true;
    }
    if (!callback_.empty() && name == callback_) {
      CompileResult(args, env, out, span, depth);
      return true;
    }
    return false;
  }
  if (ts::Is(callee, "member_expression") &&
      IsResponse(ts::Field(callee, "object"))) {
    return CompileResponseCall(expression, env, out, depth);
  }
  if (MentionsCorsHeader(module_.Text(expression))) {
    loader_.Note(span,
                 "cannot follow this call; the CORS headers it sets are "
                 "unknown");
    Statement unknown;
    unknown.kind = Statement::Kind::kSetHeader;
    unknown.name = "Access-Control-Allow-Origin";
    unknown.span = span;
    unknown.mechanism = "code";
    out->push_back(std::move(unknown));
  }
  return false;
}

// ----- conditions ------------------------------------------------------------

bool FunctionCompiler::IsOrigin(TSNode node, const js::Env& env,
                                bool* folded) const {
  node = js::Unwrap(node);
  if (ts_node_is_null(node)) return false;
  std::string_view type = ts::Type(node);
  if (type == "identifier") {
    const Value* value = env.Find(module_.Text(node));
    if (value != nullptr && value->kind == Value::Kind::kOrigin) {
      *folded = *folded || value->case_folded;
      return true;
    }
    return false;
  }
  std::string headers = req_.empty() ? std::string() : req_ + ".headers";
  if (type == "member_expression") {
    return !headers.empty() &&
           module_.Text(ts::Field(node, "object")) == headers &&
           module_.Text(ts::Field(node, "property")) == "origin";
  }
  if (type == "subscript_expression") {
    std::optional<std::string> key =
        js::StringLiteral(ts::Field(node, "index"), module_.file());
    return !headers.empty() && key && *key == "origin" &&
           module_.Text(ts::Field(node, "object")) == headers;
  }
  if (type == "call_expression") {
    TSNode callee = js::Unwrap(ts::Field(node, "function"));
    if (!ts::Is(callee, "member_expression")) return false;
    std::string_view method = module_.Text(ts::Field(callee, "property"));
    TSNode object = ts::Field(callee, "object");
    std::vector<TSNode> args = ts::NamedChildren(ts::Field(node, "arguments"));
    if ((method == "header" || method == "get") && !req_.empty() &&
        module_.Text(object) == req_ && args.size() == 1) {
      std::optional<std::string> name =
          js::StringLiteral(args[0], module_.file());
      return name && EqualsIgnoreCase(*name, "origin");
    }
    if (method == "toLowerCase" || method == "trim") {
      bool inner = IsOrigin(object, env, folded);
      if (inner && method == "toLowerCase") *folded = true;
      return inner;
    }
  }
  return false;
}

bool FunctionCompiler::IsMethod(TSNode node) const {
  node = js::Unwrap(node);
  return ts::Is(node, "member_expression") && !req_.empty() &&
         module_.Text(node) == req_ + ".method";
}

Condition FunctionCompiler::Contains(const Value& collection, TSNode at,
                                     bool folded) {
  Value items = collection;
  if (items.kind == Value::Kind::kCall && items.text == "Set") {
    // new Set([...]).has(origin)
    TSNode call = items.node;
    std::vector<TSNode> args = ts::NamedChildren(ts::Field(call, "arguments"));
    items = args.empty() ? Value()
                         : loader_.program().Evaluate(args[0], *items.module);
  }
  if (items.kind != Value::Kind::kArray) {
    return Condition::Unknown(module_.SpanOf(at));
  }
  Condition any;
  any.kind = Condition::Kind::kAny;
  any.span = module_.SpanOf(at);
  for (const Value& item : items.items) {
    if (item.kind != Value::Kind::kString) {
      any.operands.push_back(Condition::Unknown(item.span()));
      continue;
    }
    any.operands.push_back(
        Condition::Check(loader_.AddCheck(OriginCheckKind::kExact, item.text,
                                          item.span(), "allowlist", folded),
                         item.span()));
  }
  if (any.operands.empty()) return Condition::Constant(false);
  return any;
}

// `x.indexOf(origin)` or `origin.indexOf('x')` as "is found".
Condition FunctionCompiler::IndexComparison(TSNode call, const js::Env& env,
                                            bool* ok) {
  *ok = false;
  call = js::Unwrap(call);
  if (!ts::Is(call, "call_expression")) return {};
  TSNode callee = js::Unwrap(ts::Field(call, "function"));
  if (!ts::Is(callee, "member_expression") ||
      module_.Text(ts::Field(callee, "property")) != "indexOf") {
    return {};
  }
  std::vector<TSNode> args = ts::NamedChildren(ts::Field(call, "arguments"));
  if (args.size() != 1) return {};
  TSNode object = ts::Field(callee, "object");
  bool folded = false;
  *ok = true;
  if (IsOrigin(args[0], env, &folded)) {
    return Contains(loader_.program().Evaluate(object, module_, &env), call,
                    folded);
  }
  if (IsOrigin(object, env, &folded)) {
    Value needle = loader_.program().Evaluate(args[0], module_, &env);
    if (needle.kind == Value::Kind::kString) {
      return Condition::Check(
          loader_.AddCheck(OriginCheckKind::kSubstring, needle.text,
                           module_.SpanOf(call), "indexOf test", folded),
          module_.SpanOf(call));
    }
  }
  return Condition::Unknown(module_.SpanOf(call));
}

Condition FunctionCompiler::CompileCondition(TSNode node, const js::Env& env,
                                             int depth) {
  node = js::Unwrap(node);
  Span span = module_.SpanOf(node);
  if (ts_node_is_null(node) || depth > kMaxNesting) {
    return Condition::Unknown(span);
  }
  std::string_view type = ts::Type(node);

  if (type == "true" || type == "false") {
    return Condition::Constant(type == "true");
  }
  if (type == "unary_expression" &&
      module_.Text(ts::Field(node, "operator")) == "!") {
    return Condition::Not(
        CompileCondition(ts::Field(node, "argument"), env, depth + 1));
  }
  if (type == "binary_expression") {
    std::string_view op = module_.Text(ts::Field(node, "operator"));
    TSNode left = ts::Field(node, "left"), right = ts::Field(node, "right");
    if (op == "&&" || op == "||") {
      Condition both;
      both.kind = op == "&&" ? Condition::Kind::kAll : Condition::Kind::kAny;
      both.span = span;
      both.operands.push_back(CompileCondition(left, env, depth + 1));
      both.operands.push_back(CompileCondition(right, env, depth + 1));
      return both;
    }

    bool negate = op == "!==" || op == "!=";
    bool equality = negate || op == "===" || op == "==";
    if (equality) {
      for (int swap = 0; swap < 2; ++swap) {
        TSNode a = swap ? right : left, b = swap ? left : right;
        if (IsMethod(a)) {
          Value method = loader_.program().Evaluate(b, module_, &env);
          if (method.kind != Value::Kind::kString) break;
          Condition is;
          is.kind = Condition::Kind::kMethodIs;
          is.method = method.text;
          is.span = span;
          return negate ? Condition::Not(std::move(is)) : is;
        }
        bool folded = false;
        if (IsOrigin(a, env, &folded)) {
          Value other = loader_.program().Evaluate(b, module_, &env);
          Condition is;
          if (other.kind == Value::Kind::kString) {
            is =
                Condition::Check(loader_.AddCheck(OriginCheckKind::kExact,
                                                  other.text, module_.SpanOf(b),
                                                  "origin comparison", folded),
                                 span);
          } else if (other.kind == Value::Kind::kUndefined ||
                     other.kind == Value::Kind::kNull) {
            is.kind = Condition::Kind::kNot;
            Condition has;
            has.kind = Condition::Kind::kHasOrigin;
            is.operands.push_back(has);
          } else {
            break;
          }
          return negate ? Condition::Not(std::move(is)) : is;
        }
      }
    }

    // indexOf compared with a number.
    for (int swap = 0; swap < 2; ++swap) {
      TSNode call = swap ? right : left, number = swap ? left : right;
      bool ok = false;
      Condition found = IndexComparison(call, env, &ok);
      if (!ok) continue;
      Value limit = loader_.program().Evaluate(number, module_, &env);
      if (limit.kind != Value::Kind::kNumber) break;
      int n = std::atoi(limit.text.c_str());
      std::string relation(op);
      if (swap) {
        // `-1 !== x.indexOf(o)`, `0 <= x.indexOf(o)`: mirror the relation.
        if (relation == "<")
          relation = ">";
        else if (relation == ">")
          relation = "<";
        else if (relation == "<=")
          relation = ">=";
        else if (relation == ">=")
          relation = "<=";
      }
      bool means_found;
      if ((relation == "!==" || relation == "!=") && n == -1) {
        means_found = true;
      } else if ((relation == "===" || relation == "==") && n == -1) {
        means_found = false;
      } else if ((relation == ">" && n == -1) || (relation == ">=" && n == 0)) {
        means_found = true;
      } else if ((relation == "<" && n == 0) || (relation == "<=" && n == -1)) {
        means_found = false;
      } else {
        break;
      }
      return means_found ? found : Condition::Not(std::move(found));
    }
  }

  if (type == "call_expression") {
    TSNode callee = js::Unwrap(ts::Field(node, "function"));
    std::vector<TSNode> args = ts::NamedChildren(ts::Field(node, "arguments"));
    if (ts::Is(callee, "member_expression") && args.size() == 1) {
      std::string_view method = module_.Text(ts::Field(callee, "property"));
      TSNode object = ts::Field(callee, "object");
      bool folded = false;
      bool origin_arg = IsOrigin(args[0], env, &folded);
      if (method == "test" && origin_arg) {
        Value regex = loader_.program().Evaluate(object, module_, &env);
        if (regex.kind == Value::Kind::kRegex) {
          return Condition::Check(
              loader_.AddCheck(OriginCheckKind::kRegex, regex.text,
                               regex.span(), "RegExp test", false, regex.flags),
              span);
        }
      }
      if ((method == "includes" || method == "has") && origin_arg) {
        return Contains(loader_.program().Evaluate(object, module_, &env), node,
                        folded);
      }
      bool origin_object = IsOrigin(object, env, &folded);
      if (origin_object) {
        Value needle = loader_.program().Evaluate(args[0], module_, &env);
        OriginCheckKind kind = OriginCheckKind::kUnknown;
        if (method == "startsWith") kind = OriginCheckKind::kPrefix;
        if (method == "endsWith") kind = OriginCheckKind::kSuffix;
        if (method == "includes") kind = OriginCheckKind::kSubstring;
        if (kind != OriginCheckKind::kUnknown &&
            needle.kind == Value::Kind::kString) {
          return Condition::Check(
              loader_.AddCheck(kind, needle.text, span,
                               std::string(method) + " test", folded),
              span);
        }
        if (method == "match" && needle.kind == Value::Kind::kRegex) {
          return Condition::Check(
              loader_.AddCheck(OriginCheckKind::kRegex, needle.text,
                               needle.span(), "origin match", false,
                               needle.flags),
              span);
        }
      }
      if (method == "some") {
        // allowed.some((o) => o === origin), patterns.some((re) =>
        // re.test(origin))
        Value items = loader_.program().Evaluate(object, module_, &env);
        TSNode function = js::Unwrap(args[0]);
        std::vector<std::string> params = ParameterNames(module_, function);
        TSNode body = ts::Field(function, "body");
        if (ts::Is(body, "statement_block")) {
          std::vector<TSNode> statements = ts::NamedChildren(body);
          body = statements.size() == 1 &&
                         ts::Is(statements[0], "return_statement")
                     ? ts_node_named_child(statements[0], 0)
                     : TSNode{};
        }
        if (items.kind == Value::Kind::kArray && params.size() == 1 &&
            !ts_node_is_null(body)) {
          Condition any;
          any.kind = Condition::Kind::kAny;
          any.span = span;
          for (const Value& item : items.items) {
            js::Env inner = env;
            inner.names[params[0]] = item;
            any.operands.push_back(CompileCondition(body, inner, depth + 1));
          }
          return any;
        }
      }
    }
    // A helper of the file: function isAllowed(o) { return ...; }
    if (ts::Is(callee, "identifier")) {
      Value helper = loader_.program().Evaluate(callee, module_, &env);
      TSNode function = loader_.program().FunctionOf(helper);
      if (!ts_node_is_null(function) && helper.module == &module_) {
        TSNode body = ts::Field(function, "body");
        if (ts::Is(body, "statement_block")) {
          std::vector<TSNode> statements = ts::NamedChildren(body);
          body = statements.size() == 1 &&
                         ts::Is(statements[0], "return_statement")
                     ? ts_node_named_child(statements[0], 0)
                     : TSNode{};
        }
        std::vector<std::string> params = ParameterNames(module_, function);
        if (!ts_node_is_null(body) && params.size() == args.size()) {
          js::Env inner;
          for (size_t i = 0; i < args.size(); ++i) {
            bool folded = false;
            Value bound;
            if (IsOrigin(args[i], env, &folded)) {
              bound.kind = Value::Kind::kOrigin;
              bound.case_folded = folded;
            } else {
              bound = loader_.program().Evaluate(args[i], module_, &env);
            }
            inner.names[params[i]] = std::move(bound);
          }
          return CompileCondition(body, inner, depth + 1);
        }
      }
    }
  }

  bool folded = false;
  if (IsOrigin(node, env, &folded)) {
    Condition has;
    has.kind = Condition::Kind::kHasOrigin;
    has.span = span;
    return has;
  }
  Value value = loader_.program().Evaluate(node, module_, &env);
  if (std::optional<bool> truthy = value.Truthy()) {
    return Condition::Constant(*truthy);
  }

  // Not classified. When the test reads the origin, it is an origin check
  // of unknown kind, never taken as safe.
  std::string text(module_.Text(node));
  bool reads_origin = ToLower(text).find("origin") != std::string::npos;
  for (const auto& [name, bound] : env.names) {
    if (bound.kind == Value::Kind::kOrigin &&
        text.find(name) != std::string::npos) {
      reads_origin = true;
    }
  }
  if (reads_origin) {
    loader_.AddCheck(OriginCheckKind::kUnknown, text.substr(0, 80), span,
                     "origin test", false);
    loader_.Note(span,
                 "cannot classify this origin test; the origins it "
                 "admits are unknown");
  }
  return Condition::Unknown(span);
}

// ----- cors options ----------------------------------------------------------

CorsConfig::Option Loader::Option(const Value* value, Span fallback,
                                  std::optional<std::string> default_value) {
  CorsConfig::Option option;
  option.span = fallback;
  option.value = std::move(default_value);
  if (value == nullptr) return option;
  option.span = value->span().valid() ? value->span() : fallback;
  switch (value->kind) {
    case Value::Kind::kString:
      option.value = value->text;
      return option;
    case Value::Kind::kNumber:
      option.value = value->text;
      return option;
    case Value::Kind::kArray: {
      option.array = true;
      std::string joined;
      for (size_t i = 0; i < value->items.size(); ++i) {
        std::optional<std::string> text = value->items[i].AsString();
        if (!text) {
          option.known = false;
          return option;
        }
        joined += (i > 0 ? "," : "") + *text;
      }
      option.value = joined;
      return option;
    }
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
      option.value = std::nullopt;
      return option;
    case Value::Kind::kBool:
      if (!value->boolean) {
        option.value = std::nullopt;
        return option;
      }
      option.value = "true";
      return option;
    default:
      option.known = false;
      return option;
  }
}

void Loader::SetOrigin(CorsConfig* config, const Value& origin) {
  config->origin_span = origin.span().valid() ? origin.span() : config->call;
  switch (origin.kind) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
      config->origin = CorsConfig::Origin::kDisabled;
      return;
    case Value::Kind::kBool:
      config->origin = origin.boolean ? CorsConfig::Origin::kReflect
                                      : CorsConfig::Origin::kDisabled;
      return;
    case Value::Kind::kNumber:
      config->origin = origin.text == "0" ? CorsConfig::Origin::kDisabled
                                          : CorsConfig::Origin::kReflect;
      return;
    case Value::Kind::kString:
      if (origin.text.empty()) {
        config->origin = CorsConfig::Origin::kDisabled;
      } else if (origin.text == "*") {
        config->origin = CorsConfig::Origin::kStar;
      } else {
        config->origin = CorsConfig::Origin::kFixed;
        config->fixed = origin.text;
        AddCheck(OriginCheckKind::kFixed, origin.text, config->origin_span,
                 "cors origin string", false);
      }
      return;
    case Value::Kind::kRegex:
      config->origin = CorsConfig::Origin::kChecks;
      config->checks.push_back(
          AddCheck(OriginCheckKind::kRegex, origin.text, config->origin_span,
                   "cors origin RegExp", false, origin.flags));
      return;
    case Value::Kind::kArray:
      config->origin = CorsConfig::Origin::kChecks;
      for (const Value& item : origin.items) {
        Span span = item.span().valid() ? item.span() : config->origin_span;
        if (item.kind == Value::Kind::kString) {
          config->checks.push_back(AddCheck(OriginCheckKind::kExact, item.text,
                                            span, "cors origin list", false));
        } else if (item.kind == Value::Kind::kRegex) {
          config->checks.push_back(AddCheck(OriginCheckKind::kRegex, item.text,
                                            span, "cors origin RegExp", false,
                                            item.flags));
        } else if (std::optional<bool> truthy = item.Truthy()) {
          // Any other truthy element allows every origin.
          if (*truthy) {
            config->checks.push_back(AddCheck(OriginCheckKind::kAny, "*", span,
                                              "cors origin list", false));
          }
        } else {
          config->checks.push_back(AddCheck(
              OriginCheckKind::kUnknown,
              std::string(item.module != nullptr ? item.module->Text(item.node)
                                                 : ""),
              span, "cors origin list", false));
          Note(span,
               "cannot evaluate this element of the origin list; the "
               "origins it admits are unknown");
        }
      }
      return;
    case Value::Kind::kFunction: {
      config->origin = CorsConfig::Origin::kCallback;
      FunctionCompiler compiler(*this, *origin.module, origin.node,
                                FunctionCompiler::Role::kOriginCallback,
                                config);
      config->callback = compiler.Compile();
      return;
    }
    default:
      config->origin = CorsConfig::Origin::kUnknown;
      Note(config->origin_span,
           "cannot evaluate the `origin` option; the origins cors allows "
           "here are unknown");
      AddCheck(OriginCheckKind::kUnknown,
               std::string(origin.module != nullptr
                               ? origin.module->Text(origin.node)
                               : "origin"),
               config->origin_span, "cors origin option", false);
      return;
  }
}

CorsConfig Loader::CompileConfig(const Value* options, Span call, int depth) {
  CorsConfig config;
  config.call = call;
  config.origin_span = call;
  config.credentials_span = call;
  config.methods = {std::string(kDefaultMethods), true, call};
  config.allowed_headers = {std::nullopt, true, call};
  config.exposed_headers = {std::nullopt, true, call};
  config.max_age = {std::nullopt, true, call};
  if (options == nullptr || options->kind == Value::Kind::kUndefined) {
    return config;
  }
  if (depth > 8) {
    config.origin = CorsConfig::Origin::kUnknown;
    return config;
  }

  if (options->kind == Value::Kind::kFunction) {
    // An options delegate: function (req, callback).
    config.delegate = true;
    FunctionCompiler compiler(*this, *options->module, options->node,
                              FunctionCompiler::Role::kDelegate, &config);
    config.delegate_block = compiler.Compile();
    return config;
  }
  if (options->kind != Value::Kind::kObject) {
    Note(call,
         "cannot evaluate the options of this `cors()` call; what it "
         "sends is unknown");
    config.origin = CorsConfig::Origin::kUnknown;
    config.credentials = Tri::kUnknown;
    config.methods.known = false;
    config.allowed_headers.known = false;
    AddCheck(OriginCheckKind::kUnknown, "cors options", call, "cors options",
             false);
    return config;
  }

  bool unknown_keys = options->Get("[spread]") != nullptr ||
                      options->Get("[computed]") != nullptr;
  if (unknown_keys) {
    Note(options->span(),
         "these cors options spread or compute keys the "
         "analyzer cannot see; options it cannot read keep "
         "their defaults");
  }

  // Options are Object.assign({}, defaults, options): a key written as
  // `undefined` overrides its default.
  if (const Value* origin = options->Get("origin")) {
    SetOrigin(&config, *origin);
  }
  if (const Value* credentials = options->Get("credentials")) {
    config.credentials_span = credentials->span();
    if (credentials->kind == Value::Kind::kBool) {
      config.credentials = credentials->boolean ? Tri::kYes : Tri::kNo;
    } else if (!credentials->known()) {
      config.credentials = Tri::kUnknown;
    }
  }
  if (const Value* methods = options->Get("methods")) {
    config.methods = Option(methods, call, std::nullopt);
  }
  const Value* allowed = options->Get("allowedHeaders");
  if (allowed == nullptr) allowed = options->Get("headers");
  if (allowed != nullptr) {
    config.allowed_headers = Option(allowed, call, std::nullopt);
    if (allowed->kind == Value::Kind::kString && allowed->text.empty()) {
      config.allowed_headers.value = std::nullopt;
    }
  }
  if (const Value* exposed = options->Get("exposedHeaders")) {
    config.exposed_headers = Option(exposed, call, std::nullopt);
  }
  if (const Value* max_age = options->Get("maxAge")) {
    config.max_age = Option(max_age, call, std::nullopt);
    if (max_age->kind == Value::Kind::kBool)
      config.max_age.value = std::nullopt;
  }
  if (const Value* go_on = options->Get("preflightContinue")) {
    std::optional<bool> truthy = go_on->Truthy();
    config.preflight_continue =
        !truthy ? Tri::kUnknown : (*truthy ? Tri::kYes : Tri::kNo);
  }
  if (const Value* status = options->Get("optionsSuccessStatus")) {
    if (status->kind == Value::Kind::kNumber) {
      config.success_status = std::atoi(status->text.c_str());
    }
  }
  return config;
}

// ----- the application -------------------------------------------------------

bool Loader::IsCorsFactory(const Value& value) const {
  return value.kind == Value::Kind::kCall && value.text == "package:cors" &&
         (value.flags == "*" || value.flags == "default");
}

bool Loader::IsExpressFactory(const Value& value, bool* router) const {
  if (value.kind != Value::Kind::kCall) return false;
  if (value.text == "package:express") {
    *router = value.flags == "Router";
    return value.flags == "*" || value.flags == "default" || *router;
  }
  return false;
}

Handler Loader::ClassifyHandler(TSNode node, bool route_final,
                                bool answers_options) {
  Handler handler;
  handler.span = module_->SpanOf(node);
  TSNode expression = js::Unwrap(node);

  // cors(...) inline, or a name bound to a cors(...) call.
  Value value = program_.Evaluate(expression, *module_);
  TSNode call = ts::Is(expression, "call_expression") ? expression : TSNode{};
  const js::Module* call_module = module_;
  if (ts_node_is_null(call) && value.kind == Value::Kind::kCall) {
    call = value.node;
    call_module = value.module;
  }
  if (!ts_node_is_null(call) && call_module != nullptr) {
    TSNode callee = js::Unwrap(ts::Field(call, "function"));
    Value factory = program_.Evaluate(callee, *call_module);
    if (IsCorsFactory(factory)) {
      handler.kind = Handler::Kind::kCors;
      handler.span = call_module->SpanOf(call);
      auto known = cors_index_.find(ts_node_start_byte(call));
      if (known != cors_index_.end() && call_module == module_) {
        handler.cors = known->second;
        return handler;
      }
      std::vector<TSNode> args =
          ts::NamedChildren(ts::Field(call, "arguments"));
      std::optional<Value> options;
      if (!args.empty()) options = program_.Evaluate(args[0], *call_module);
      app_->cors.push_back(
          CompileConfig(options ? &*options : nullptr, handler.span, 0));
      handler.cors = static_cast<int>(app_->cors.size()) - 1;
      if (call_module == module_) {
        cors_index_[ts_node_start_byte(call)] = handler.cors;
      }
      return handler;
    }
  }

  if (ts::Is(expression, "identifier") &&
      objects_.count(std::string(module_->Text(expression)))) {
    handler.kind = Handler::Kind::kRouter;
    handler.router = std::string(module_->Text(expression));
    return handler;
  }

  if (value.kind == Value::Kind::kFunction) {
    std::vector<std::string> params = ParameterNames(*value.module, value.node);
    if (params.size() >= 4) {
      // An error handler runs only for errors; CORS headers it sets reach
      // error responses the model does not follow.
      if (MentionsCorsHeader(value.module->Text(value.node))) {
        Note(value.span(),
             "CORS headers set in an error handler are not "
             "modelled");
      }
      return handler;
    }
    handler.kind = Handler::Kind::kCode;
    // A route's own handler that sets no header and does not answer
    // OPTIONS only matters by its status, which is the handler's: its body
    // is not compiled.
    std::string_view text = value.module->Text(value.node);
    static constexpr std::string_view kHeaderCalls[] = {
        ".header(", ".set(",       ".setHeader(",    ".append(",
        ".vary(",   ".writeHead(", "Access-Control", "access-control"};
    bool sets_headers =
        std::any_of(std::begin(kHeaderCalls), std::end(kHeaderCalls),
                    [&](std::string_view call) {
                      return text.find(call) != std::string_view::npos;
                    });
    if (route_final && !answers_options && !sets_headers) return handler;
    FunctionCompiler compiler(*this, *value.module, value.node,
                              FunctionCompiler::Role::kMiddleware, nullptr);
    handler.block = compiler.Compile();
    return handler;
  }
  if (route_final) return handler;

  // Other middleware (body parsers, auth, a router the model cannot see).
  if (!value.known() && !ts::Is(expression, "call_expression")) {
    app_->unseen_routes = true;
  }
  if (value.kind == Value::Kind::kCall && value.text != "package:express" &&
      MentionsCorsHeader(module_->Text(node))) {
    Note(handler.span,
         "cannot follow this middleware; the CORS headers it "
         "sets are unknown");
  }
  return handler;
}

void Loader::ReadCall(TSNode call) {
  TSNode callee = js::Unwrap(ts::Field(call, "function"));
  if (!ts::Is(callee, "member_expression")) return;
  std::string_view method = module_->Text(ts::Field(callee, "property"));
  TSNode object = js::Unwrap(ts::Field(callee, "object"));
  std::vector<TSNode> args = ts::NamedChildren(ts::Field(call, "arguments"));

  // app.route('/x').get(...): the path comes from the inner call.
  std::optional<std::string> route_path;
  if (ts::Is(object, "call_expression")) {
    TSNode inner = js::Unwrap(ts::Field(object, "function"));
    if (!ts::Is(inner, "member_expression") ||
        module_->Text(ts::Field(inner, "property")) != "route") {
      return;
    }
    std::vector<TSNode> inner_args =
        ts::NamedChildren(ts::Field(object, "arguments"));
    if (inner_args.empty()) return;
    route_path = js::StringLiteral(inner_args[0], module_->file());
    object = js::Unwrap(ts::Field(inner, "object"));
    if (!route_path) route_path = "";
  }
  if (!ts::Is(object, "identifier")) return;
  std::string name(module_->Text(object));

  // app.get('setting') reads a setting.
  if (method == "get" && args.size() < 2 && !route_path) return;

  // Only Express applications and routers, or, when the file does not show
  // where the object comes from, names that read as one.
  if (!objects_.count(name)) {
    Value value = program_.Resolve(name, *module_, object);
    bool router = false;
    bool express_object =
        value.kind == Value::Kind::kCall &&
        IsExpressFactory(
            program_.Evaluate(js::Unwrap(ts::Field(value.node, "function")),
                              *value.module),
            &router);
    if (value.kind == Value::Kind::kCall && !express_object) {
      // `const router = express.Router()` evaluates through the member.
      TSNode function = js::Unwrap(ts::Field(value.node, "function"));
      Value factory = program_.Evaluate(function, *value.module);
      express_object = IsExpressFactory(factory, &router);
    }
    bool unbound = !value.known() && module_->Find(name) == nullptr;
    std::string lower = ToLower(name);
    bool looks_like = lower == "app" || lower == "server" ||
                      lower.ends_with("router") || lower == "api";
    if (!express_object && !(unbound && looks_like)) return;
    if (router) routers_.insert(name);
    objects_[name];
    object_order_.push_back(name);
  }

  Layer layer;
  layer.route = method != "use";
  layer.span = module_->SpanOf(call);
  size_t first_handler = 0;
  if (route_path) {
    layer.paths.push_back(*route_path);
    if (route_path->empty()) layer.path_unknown = true;
  } else if (!args.empty()) {
    TSNode path = js::Unwrap(args[0]);
    Value value = program_.Evaluate(path, *module_);
    if (value.kind == Value::Kind::kString) {
      layer.paths.push_back(value.text);
      first_handler = 1;
    } else if (value.kind == Value::Kind::kArray) {
      for (const Value& item : value.items) {
        if (item.kind == Value::Kind::kString) layer.paths.push_back(item.text);
      }
      first_handler = 1;
    } else if (value.kind == Value::Kind::kRegex) {
      layer.path_unknown = true;
      first_handler = 1;
      Note(layer.span, "a RegExp path is taken to match every request");
    }
  }
  if (!layer.route && layer.paths.empty() && !layer.path_unknown) {
    layer.paths.push_back("/");
  }
  if (layer.route) {
    std::string upper(method);
    for (char& c : upper) c = static_cast<char>(std::toupper(c));
    layer.methods.push_back(upper);
    if (layer.paths.empty() && !layer.path_unknown) return;
    for (const std::string& path : layer.paths) {
      if (path == "*") {
        Note(layer.span,
             "the path `*` matches every request in Express 4; "
             "Express 5 refuses it at startup (write "
             "`/{*splat}`)");
      }
    }
  }
  for (size_t i = first_handler; i < args.size(); ++i) {
    layer.handlers.push_back(
        ClassifyHandler(args[i], layer.route && i + 1 == args.size(),
                        method == "options" || method == "all"));
    if (layer.handlers.back().kind == Handler::Kind::kRouter) {
      mounted_.insert(layer.handlers.back().router);
    }
  }
  objects_[name].push_back(std::move(layer));
}

std::vector<Layer> Loader::Flatten(const std::string& object,
                                   std::string_view prefix, int depth) {
  std::vector<Layer> flat;
  if (depth > 8) return flat;
  for (const Layer& layer : objects_[object]) {
    Layer copy = layer;
    copy.handlers.clear();
    std::vector<std::string> paths;
    for (const std::string& path : layer.paths) {
      paths.push_back(prefix.empty() ? path : JoinPaths(prefix, path));
    }
    copy.paths = paths;
    for (const Handler& handler : layer.handlers) {
      if (handler.kind != Handler::Kind::kRouter) {
        copy.handlers.push_back(handler);
        continue;
      }
      if (!copy.handlers.empty()) {
        flat.push_back(copy);
        copy.handlers.clear();
      }
      for (const std::string& path :
           paths.empty() ? std::vector<std::string>{"/"} : paths) {
        std::vector<Layer> inner = Flatten(handler.router, path, depth + 1);
        flat.insert(flat.end(), inner.begin(), inner.end());
      }
    }
    if (!copy.handlers.empty()) flat.push_back(std::move(copy));
  }
  return flat;
}

void Loader::Run(const SourceFile& file) {
  module_ = program_.LoadRoot(file);
  if (module_ == nullptr) return;
  app_->document = document_;

  for (TSNode call : module_->route_calls()) ReadCall(call);

  // The application: an object never mounted on another, all of them when
  // the file only defines routers.
  std::vector<std::string> roots;
  for (const std::string& name : object_order_) {
    if (!mounted_.count(name) &&
        std::find(roots.begin(), roots.end(), name) == roots.end()) {
      roots.push_back(name);
    }
  }
  for (const std::string& root : roots) {
    std::vector<Layer> layers = Flatten(root, "", 0);
    app_->layers.insert(app_->layers.end(), layers.begin(), layers.end());
  }
  bool any_route = std::any_of(app_->layers.begin(), app_->layers.end(),
                               [](const Layer& l) { return l.route; });
  if (!any_route) app_->unseen_routes = true;

  // Scopes: every route, and every mount path with CORS behaviour that no
  // route below it shows. Two paths that reach the same layers, where the
  // routes among them differ only in code that sets no CORS header, answer
  // alike: only the first of them is a scope.
  std::set<std::string> sampled;
  std::set<std::string> signatures;
  auto signature = [&](const std::string& sample) {
    std::string text;
    for (size_t i = 0; i < app_->layers.size(); ++i) {
      const Layer& layer = app_->layers[i];
      bool matches = layer.path_unknown;
      for (const std::string& path : layer.paths) {
        matches = matches || PathMatches(path, sample, !layer.route);
      }
      if (!matches) continue;
      bool cors = !layer.route;
      for (const Handler& handler : layer.handlers) {
        cors = cors || handler.kind != Handler::Kind::kCode ||
               code::TouchesCors(handler.block);
      }
      if (cors) {
        text += std::to_string(i) + ";";
        continue;
      }
      for (const std::string& method : layer.methods) text += method + ",";
      for (const Handler& handler : layer.handlers) {
        text += code::DumpBlock(handler.block, document_->origin_checks);
      }
      text += ";";
    }
    return text;
  };
  auto add_scope = [&](std::string name, std::string sample, Span span) {
    if (!sampled.insert(sample).second) return;
    if (!signatures.insert(signature(sample)).second) return;
    auto scope = std::make_unique<ExpressScope>(app_);
    scope->name = std::move(name);
    scope->span = span;
    // The methods of the routes at this path; any, when one takes all.
    for (const Layer& layer : app_->layers) {
      if (!layer.route) continue;
      bool matches = false;
      for (const std::string& path : layer.paths) {
        matches = matches || PathMatches(path, sample, false);
      }
      if (!matches) continue;
      for (const std::string& method : layer.methods) {
        if (method == "ALL") {
          scope->methods.clear();
          break;
        }
        if (std::find(scope->methods.begin(), scope->methods.end(), method) ==
            scope->methods.end()) {
          scope->methods.push_back(method);
        }
      }
    }
    scope->sample_path = std::move(sample);
    document_->scopes.push_back(std::move(scope));
  };
  for (const Layer& layer : app_->layers) {
    if (!layer.route) continue;
    for (const std::string& path : layer.paths) {
      add_scope("route " + layer.methods.front() + " " + path, SamplePath(path),
                layer.span);
    }
  }
  for (const Layer& layer : app_->layers) {
    if (layer.route) continue;
    bool cors = std::any_of(
        layer.handlers.begin(), layer.handlers.end(), [](const Handler& h) {
          return h.kind == Handler::Kind::kCors ||
                 (h.kind == Handler::Kind::kCode && code::TouchesCors(h.block));
        });
    if (!cors) continue;
    for (const std::string& path : layer.paths) {
      bool covered = std::any_of(app_->layers.begin(), app_->layers.end(),
                                 [&](const Layer& route) {
                                   if (!route.route) return false;
                                   for (const std::string& p : route.paths) {
                                     if (PathMatches(path, SamplePath(p), true))
                                       return true;
                                   }
                                   return false;
                                 });
      if (covered) continue;
      add_scope("app.use " + path, SamplePath(path), layer.span);
    }
  }

  // A cors() call that no layer uses still shows its checks, unused.
  if (document_->scopes.empty()) {
    for (OriginCheck& check : document_->origin_checks) check.used = false;
  }
}

}  // namespace

bool LooksLikeExpress(const std::string& text) {
  return text.find("cors") != std::string::npos || code::NamesCorsHeader(text);
}

std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options) {
  const SourceFile* file = nullptr;
  std::unique_ptr<Document> document =
      code::NewCodeDocument(Format::kExpress, path, std::move(text),
                            options.max_file_bytes, "JavaScript", &file);
  if (file != nullptr) Loader(document.get(), options).Run(*file);
  return document;
}

}  // namespace corslint::express
