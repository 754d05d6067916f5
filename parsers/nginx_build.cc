// From nginx directives to the compiled Config, the scopes and what rules
// read besides them: origin checks, dropped headers, notes.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "parsers/nginx_config.h"

namespace corslint::nginx {
namespace {

// The directives of each upstream module, in Upstream order.
struct UpstreamDirectives {
  std::string_view pass, hide, pass_header, intercept;
};
constexpr UpstreamDirectives kUpstreams[kUpstreamCount] = {
    {"proxy_pass", "proxy_hide_header", "proxy_pass_header",
     "proxy_intercept_errors"},
    {"fastcgi_pass", "fastcgi_hide_header", "fastcgi_pass_header",
     "fastcgi_intercept_errors"},
    {"uwsgi_pass", "uwsgi_hide_header", "uwsgi_pass_header",
     "uwsgi_intercept_errors"},
    {"scgi_pass", "scgi_hide_header", "scgi_pass_header",
     "scgi_intercept_errors"},
    {"grpc_pass", "grpc_hide_header", "grpc_pass_header",
     "grpc_intercept_errors"},
    {"memcached_pass", "", "", ""},
};

constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool IsNumber(std::string_view text) {
  return !text.empty() && text.size() <= 9 &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool IsCorsHeader(std::string_view name) {
  return name.size() > 15 &&
         EqualsIgnoreCase(name.substr(0, 15), "Access-Control-");
}

// What the requests that enter a level can meet there: the level itself
// and the `if` blocks in its rewrite statements.
struct Reach {
  bool cors = false;       // a header directive names a CORS header
  bool redirects = false;  // a rewrite, try_files fallback or error_page
};

bool NamesCorsHeader(const Level& level) {
  for (const AddHeader* header : level.headers) {
    if (IsCorsHeader(header->name)) return true;
  }
  for (const MoreHeaders* more : level.more) {
    if (more->clear) continue;
    for (const MoreHeaders::Entry& entry : more->entries) {
      if (IsCorsHeader(entry.name)) return true;
    }
  }
  return false;
}

Reach ReachOf(const Level& level) {
  Reach reach;
  std::vector<const Level*> pending = {&level};
  while (!pending.empty()) {
    const Level* at = pending.back();
    pending.pop_back();
    reach.cors = reach.cors || NamesCorsHeader(*at);
    reach.redirects = reach.redirects || at->pages != nullptr ||
                      (at->try_files && at->try_files->status == 0);
    for (const Statement& statement : at->statements) {
      if (statement.kind == Statement::Kind::kRewrite) reach.redirects = true;
      if (statement.kind == Statement::Kind::kIf && statement.level) {
        pending.push_back(statement.level);
      }
    }
  }
  return reach;
}

std::string Join(const std::string& outer, const std::string& inner) {
  return outer.empty() ? inner : outer + ", " + inner;
}

// Calls `visit` on the name (lower case, without `$`) of every variable
// that `text` refers to.
template <typename Visit>
void ForEachVariable(std::string_view text, Visit visit) {
  for (size_t i = text.find('$'); i < text.size(); i = text.find('$', i + 1)) {
    size_t start = i + 1;
    if (start < text.size() && text[start] == '{') ++start;
    size_t end = start;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    if (end > start) visit(ToLower(text.substr(start, end - start)));
    i = end - 1;
  }
}

// An example subject for a regular expression, good enough to reach a
// regex location in most configurations: the first alternative of each
// group, one character per class, the fewest repetitions allowed.
class ExampleWriter {
 public:
  explicit ExampleWriter(std::string_view pattern) : pattern_(pattern) {}

  std::string Write() {
    std::string out;
    Sequence(&out, 0);
    return out;
  }

 private:
  void Sequence(std::string* out, int depth) {
    while (i_ < pattern_.size()) {
      char c = pattern_[i_];
      if (c == ')') return;
      if (c == '|') {
        SkipAlternatives();
        return;
      }
      std::string atom;
      if (c == '^' || c == '$') {
        ++i_;
        continue;
      }
      if (c == '\\' && i_ + 1 < pattern_.size()) {
        atom = Escape(pattern_[i_ + 1]);
        i_ += 2;
      } else if (c == '.') {
        atom = "a";
        ++i_;
      } else if (c == '[') {
        atom = Class();
      } else if (c == '(') {
        if (!Group(&atom, depth)) continue;
      } else {
        atom = std::string(1, c);
        ++i_;
      }
      Quantify(&atom);
      *out += atom;
    }
  }

  // Returns false for an inline option group such as `(?i)`.
  bool Group(std::string* atom, int depth) {
    ++i_;
    if (i_ < pattern_.size() && pattern_[i_] == '?') {
      size_t close = pattern_.find_first_of(":)>'", i_);
      if (close == std::string_view::npos) {
        i_ = pattern_.size();
        return false;
      }
      bool options_only = pattern_[close] == ')';
      i_ = close + 1;
      if (options_only) return false;
    }
    if (depth < 32) Sequence(atom, depth + 1);
    if (i_ < pattern_.size() && pattern_[i_] == ')') ++i_;
    return true;
  }

  // Leaves i_ at the `)` that closes the current group, or at the end.
  void SkipAlternatives() {
    int depth = 0;
    for (; i_ < pattern_.size(); ++i_) {
      char c = pattern_[i_];
      if (c == '\\') {
        ++i_;
      } else if (c == '[') {
        size_t close = pattern_.find(']', i_ + 2);
        i_ = close == std::string_view::npos ? pattern_.size() : close;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (depth == 0) return;
        --depth;
      }
    }
  }

  std::string Class() {
    ++i_;
    bool negated = i_ < pattern_.size() && pattern_[i_] == '^';
    if (negated) ++i_;
    std::string first;
    if (i_ < pattern_.size()) {
      if (pattern_[i_] == '\\' && i_ + 1 < pattern_.size()) {
        first = Escape(pattern_[i_ + 1]);
      } else {
        first = std::string(1, pattern_[i_]);
      }
    }
    size_t close = pattern_.find(']', i_ + 1);
    i_ = close == std::string_view::npos ? pattern_.size() : close + 1;
    return negated ? "a" : first;
  }

  void Quantify(std::string* atom) {
    if (i_ >= pattern_.size()) return;
    char c = pattern_[i_];
    if (c == '*' || c == '?') {
      atom->clear();
      ++i_;
    } else if (c == '+') {
      ++i_;
    } else if (c == '{') {
      size_t close = pattern_.find('}', i_);
      if (close == std::string_view::npos) return;
      int count = std::atoi(std::string(pattern_.substr(i_ + 1)).c_str());
      std::string repeated;
      for (int n = 0; n < std::min(count, 16); ++n) repeated += *atom;
      *atom = repeated;
      i_ = close + 1;
    } else {
      return;
    }
    if (i_ < pattern_.size() && (pattern_[i_] == '?' || pattern_[i_] == '+')) {
      ++i_;
    }
  }

  static std::string Escape(char c) {
    switch (c) {
      case 'd':
        return "1";
      case 'w':
        return "a";
      case 's':
        return " ";
      case 'b':
      case 'B':
      case 'A':
      case 'z':
      case 'Z':
        return "";
      default:
        return std::string(1, c);
    }
  }

  std::string_view pattern_;
  size_t i_ = 0;
};

// ngx_http_find_virtual_server and the location search: which scope of
// the document serves a host and path. The port is not considered: every
// server is taken to listen where the request arrives.
class Router {
 public:
  Router(std::shared_ptr<const Config> config,
         const std::vector<Level*>& servers,
         std::unordered_map<const Level*, const Scope*> scopes)
      : config_(std::move(config)), scopes_(std::move(scopes)) {
    for (const Level* level : servers) {
      Server server{level, {}, {}, {}};
      for (const std::string& name : level->server_names) {
        bool head = name.starts_with("*.") || name.starts_with(".");
        bool tail = name.ends_with(".*");
        if (!head && !tail) {
          server.exact.push_back(name);
          continue;
        }
        OriginCheck mask;
        mask.kind = OriginCheckKind::kHostnameMask;
        mask.pattern = name;
        (head ? server.head : server.tail).push_back(std::move(mask));
      }
      servers_.push_back(std::move(server));
      if (level->default_server && default_ == nullptr) default_ = level;
    }
    if (default_ == nullptr && !servers.empty()) default_ = servers.front();
  }

  const Scope* Route(std::string_view host, std::string_view path) const {
    const Level* server = Select(host);
    if (server == nullptr) return nullptr;
    const Level* location =
        FindLocation(server, path.substr(0, path.find('?')));
    auto scope = scopes_.find(location != nullptr ? location : server);
    return scope == scopes_.end() ? nullptr : scope->second;
  }

 private:
  struct Server {
    const Level* level;
    std::vector<std::string> exact;
    std::vector<OriginCheck> head, tail;
  };

  // Exact name, longest `*.` mask, longest `.*` mask, first regex, then
  // the default server.
  const Level* Select(std::string_view host) const {
    std::string name = ToLower(host.substr(0, host.find(':')));
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (name.empty()) return default_;

    for (const Server& server : servers_) {
      if (std::find(server.exact.begin(), server.exact.end(), name) !=
          server.exact.end()) {
        return server.level;
      }
    }
    for (auto masks : {&Server::head, &Server::tail}) {
      const Level* best = nullptr;
      size_t best_length = 0;
      for (const Server& server : servers_) {
        for (const OriginCheck& mask : server.*masks) {
          if (mask.pattern.size() > best_length && mask.Matches(name)) {
            best = server.level;
            best_length = mask.pattern.size();
          }
        }
      }
      if (best != nullptr) return best;
    }
    for (const Server& server : servers_) {
      for (const auto& regex : server.level->server_regexes) {
        if (regex->Match(name)) return server.level;
      }
    }
    return default_;
  }

  std::shared_ptr<const Config> config_;
  std::unordered_map<const Level*, const Scope*> scopes_;
  std::vector<Server> servers_;
  const Level* default_ = nullptr;
};

class Builder {
 public:
  Builder(Document* document, Span origin)
      : document_(document),
        config_(std::make_shared<Config>()),
        origin_(origin) {}

  void Build(const std::vector<Directive>& directives, RootContext context);

 private:
  // Variables and values.
  void DeclareMaps(const std::vector<Directive>& http_body);
  void DeclareSets(const std::vector<Directive>& directives);
  void CollectReferences(const std::vector<Directive>& directives);
  ComplexValue Compile(std::string_view text, Span span);
  ComplexValue Compile(const Word& word) {
    return Compile(word.value, word.span);
  }
  ValuePart Resolve(const std::string& name, Span span);
  std::shared_ptr<const Regex> CompileRegex(const std::string& pattern,
                                            bool case_insensitive, Span span);

  // Reading directives into levels.
  Level* NewLevel(Level::Kind kind, Level* parent, Span span);
  void ReadBody(const std::vector<Directive>& block, Level* level);
  void ReadDirective(const Directive& directive, Level* level);
  void ReadServer(const Directive& directive, Level* http);
  void ReadLocation(const Directive& directive, Level* parent);
  void ReadIf(const Directive& directive, Level* level);
  Condition ReadCondition(const Directive& directive);
  void ReadAddHeader(const Directive& directive, Level* level);
  void ReadMoreHeaders(const Directive& directive, Level* level);
  void ReadRewriteModule(const Directive& directive, Level* level);
  void ReadErrorPage(const Directive& directive, Level* level);
  void ReadMap(const Directive& directive, int index);
  void ReadUpstream(const Directive& directive, Level* level);
  void ReadTryFiles(const Directive& directive, Level* level);
  bool ArgCount(const Directive& directive, size_t low, size_t high);

  // Origin checks.
  void CheckCondition(const Condition& condition, Span span, bool refuses);
  void CheckFixedOrigin(std::string_view name, const ComplexValue& value);

  // After reading.
  void Merge();
  void AddScopes();
  void AddDropped();
  std::string SamplePath(const Level* level) const;

  void Error(Span span, std::string message);
  void Note(Span span, std::string message);

  Document* document_;
  std::shared_ptr<Config> config_;
  Span origin_;
  std::unordered_map<std::string, int> map_index_;
  std::vector<const Directive*> map_directives_;
  std::unordered_map<std::string, int> set_slot_;
  std::unordered_set<std::string> referenced_;
  std::unordered_set<std::string> noted_variables_;
  std::unordered_map<std::string, std::shared_ptr<const Regex>> regexes_;
  std::vector<std::pair<size_t, std::string>> map_checks_;  // check, var
  std::vector<Level*> servers_;
  std::unordered_map<const Level*, const Scope*> scopes_;
};

void Builder::Build(const std::vector<Directive>& directives,
                    RootContext context) {
  // Variables first: nginx resolves names once the whole file is read.
  std::vector<const std::vector<Directive>*> http_bodies;
  if (context == RootContext::kMain) {
    for (const Directive& directive : directives) {
      if (directive.name() == "http" && directive.has_block) {
        http_bodies.push_back(&directive.block);
      }
    }
  } else if (context == RootContext::kHttp) {
    http_bodies.push_back(&directives);
  }
  for (const std::vector<Directive>* body : http_bodies) DeclareMaps(*body);
  DeclareSets(directives);
  CollectReferences(directives);
  config_->maps.resize(map_directives_.size());
  for (size_t i = 0; i < map_directives_.size(); ++i) {
    ReadMap(*map_directives_[i], static_cast<int>(i));
  }

  if (context == RootContext::kLocation) {
    Level* http = NewLevel(Level::Kind::kHttp, nullptr, origin_);
    Level* server = NewLevel(Level::Kind::kServer, http, origin_);
    servers_.push_back(server);
    Level* location = NewLevel(Level::Kind::kLocation, server, origin_);
    location->pattern = "/";
    location->label = "location /";
    server->prefix_locations.push_back(location);
    ReadBody(directives, location);
  } else if (context == RootContext::kHttp) {
    ReadBody(directives, NewLevel(Level::Kind::kHttp, nullptr, origin_));
  } else {
    for (const Directive& directive : directives) {
      if (directive.name() != "http" || !directive.has_block) continue;
      ReadBody(directive.block, NewLevel(Level::Kind::kHttp, nullptr,
                                         directive.words.front().span));
    }
  }

  for (auto& [check, variable] : map_checks_) {
    document_->origin_checks[check].used = referenced_.contains(variable);
  }
  Merge();
  AddScopes();
  AddDropped();
  auto router = std::make_shared<Router>(config_, servers_, scopes_);
  document_->route = [router](std::string_view host, std::string_view path) {
    return router->Route(host, path);
  };
}

void Builder::DeclareMaps(const std::vector<Directive>& http_body) {
  for (const Directive& directive : http_body) {
    if (directive.name() != "map" || !directive.has_block ||
        directive.arg_count() != 2 || !directive.arg(1).starts_with("$")) {
      continue;
    }
    std::string name = ToLower(std::string_view(directive.arg(1)).substr(1));
    map_index_.emplace(name, static_cast<int>(map_directives_.size()));
    map_directives_.push_back(&directive);
  }
}

void Builder::DeclareSets(const std::vector<Directive>& directives) {
  for (const Directive& directive : directives) {
    if (directive.name() == "set" && directive.arg_count() >= 1 &&
        directive.arg(0).starts_with("$")) {
      std::string name = ToLower(std::string_view(directive.arg(0)).substr(1));
      if (!set_slot_.contains(name) && !map_index_.contains(name)) {
        set_slot_.emplace(name,
                          static_cast<int>(config_->set_variables.size()));
        config_->set_variables.push_back(name);
      }
    }
    if (directive.has_block) DeclareSets(directive.block);
  }
}

// Every variable some directive reads, so that a map nobody reads can be
// told apart. A map's own name and keys, and `set`'s target, are not reads.
void Builder::CollectReferences(const std::vector<Directive>& directives) {
  auto add = [this](std::string name) { referenced_.insert(std::move(name)); };
  for (const Directive& directive : directives) {
    std::string_view name = directive.name();
    if (name == "map" && directive.arg_count() >= 1) {
      ForEachVariable(directive.arg(0), add);
      for (const Directive& entry : directive.block) {
        for (size_t i = 1; i < entry.words.size(); ++i) {
          ForEachVariable(entry.words[i].value, add);
        }
      }
      continue;
    }
    size_t first = name == "set" ? 2 : 1;
    for (size_t i = first; i < directive.words.size(); ++i) {
      ForEachVariable(directive.words[i].value, add);
    }
    if (directive.has_block) CollectReferences(directive.block);
  }
}

// ngx_http_script_compile: `$name`, `${name}` and captures `$1`..`$9`.
ComplexValue Builder::Compile(std::string_view text, Span span) {
  ComplexValue value;
  value.span = span;
  std::string literal;
  auto flush = [&] {
    if (literal.empty()) return;
    value.parts.push_back(ValuePart{ValuePart::Kind::kText, literal, 0});
    literal.clear();
  };

  for (size_t i = 0; i < text.size();) {
    if (text[i] != '$' || i + 1 == text.size()) {
      literal += text[i++];
      continue;
    }
    size_t start = i + 1;
    bool braced = text[start] == '{';
    if (braced) ++start;
    size_t end = start;
    if (end < text.size() && text[end] >= '1' && text[end] <= '9') {
      ++end;
    } else {
      while (end < text.size() && IsNameChar(text[end])) ++end;
    }
    if (end == start || (braced && (end == text.size() || text[end] != '}'))) {
      literal += text[i++];
      continue;
    }

    flush();
    std::string name = ToLower(text.substr(start, end - start));
    if (name[0] >= '1' && name[0] <= '9') {
      value.parts.push_back(
          ValuePart{ValuePart::Kind::kCapture, "", name[0] - '0'});
    } else {
      value.parts.push_back(Resolve(name, span));
    }
    i = braced ? end + 1 : end;
  }
  flush();
  return value;
}

ValuePart Builder::Resolve(const std::string& name, Span span) {
  using Kind = ValuePart::Kind;
  if (name == "request_method") return ValuePart{Kind::kMethod, "", 0};
  if (name == "uri" || name == "document_uri") {
    return ValuePart{Kind::kUri, "", 0};
  }
  if (name == "request_uri") return ValuePart{Kind::kRequestUri, "", 0};
  if (auto it = map_index_.find(name); it != map_index_.end()) {
    return ValuePart{Kind::kMapVariable, name, it->second};
  }
  if (auto it = set_slot_.find(name); it != set_slot_.end()) {
    return ValuePart{Kind::kSetVariable, name, it->second};
  }
  if (name.starts_with("http_") && name.size() > 5) {
    std::string header = name.substr(5);
    std::replace(header.begin(), header.end(), '_', '-');
    return ValuePart{Kind::kRequestHeader, header, 0};
  }

  if (noted_variables_.insert(name).second) {
    Note(span, "variable \"$" + name +
                   "\" is not evaluated; values that use it are unknown");
  }
  return ValuePart{Kind::kUnknown, name, 0};
}

// Each pattern is compiled once per document.
std::shared_ptr<const Regex> Builder::CompileRegex(const std::string& pattern,
                                                   bool case_insensitive,
                                                   Span span) {
  std::string key = (case_insensitive ? "i" : "s") + pattern;
  if (auto it = regexes_.find(key); it != regexes_.end()) return it->second;

  RegexOptions options;
  options.anchor = RegexAnchor::kSearch;
  options.case_insensitive = case_insensitive;
  std::string error;
  std::shared_ptr<const Regex> regex = Regex::Compile(pattern, options, &error);
  if (!regex) {
    Error(span, "invalid regular expression \"" + pattern + "\": " + error);
  }
  regexes_.emplace(key, regex);
  return regex;
}

Level* Builder::NewLevel(Level::Kind kind, Level* parent, Span span) {
  config_->levels.push_back(std::make_unique<Level>());
  Level* level = config_->levels.back().get();
  level->kind = kind;
  level->parent = parent;
  level->span = span;
  if (kind == Level::Kind::kServer) {
    level->server = level;
  } else if (parent != nullptr) {
    level->server = parent->server;
    level->label = parent->label;
  }
  return level;
}

void Builder::ReadBody(const std::vector<Directive>& block, Level* level) {
  for (const Directive& directive : block) ReadDirective(directive, level);
}

void Builder::ReadDirective(const Directive& directive, Level* level) {
  using Kind = Level::Kind;
  std::string_view name = directive.name();
  Kind kind = level->kind;

  // An include still here could not be read (the error says why).
  if (name == "include") {
    level->unknown_include = true;
    return;
  }
  if (name == "server" && kind == Kind::kHttp && directive.has_block) {
    ReadServer(directive, level);
    return;
  }
  if (name == "location" && directive.has_block &&
      (kind == Kind::kServer || kind == Kind::kLocation)) {
    ReadLocation(directive, level);
    return;
  }
  if (name == "if" && directive.has_block &&
      (kind == Kind::kServer || kind == Kind::kLocation)) {
    ReadIf(directive, level);
    return;
  }
  if (name == "add_header") {
    ReadAddHeader(directive, level);
    return;
  }
  if (name == "more_set_headers" || name == "more_clear_headers") {
    ReadMoreHeaders(directive, level);
    return;
  }
  if (name == "set" || name == "return" || name == "rewrite" ||
      name == "break") {
    if (kind != Kind::kHttp) ReadRewriteModule(directive, level);
    return;
  }
  if (name == "error_page") {
    ReadErrorPage(directive, level);
    return;
  }
  if (name == "add_header_inherit" && ArgCount(directive, 1, 1)) {
    const std::string& mode = directive.arg(0);
    if (mode == "on") {
      level->inherit = InheritMode::kOn;
    } else if (mode == "off") {
      level->inherit = InheritMode::kOff;
    } else if (mode == "merge") {
      level->inherit = InheritMode::kMerge;
    } else {
      Error(
          directive.words[1].span,
          "invalid value \"" + mode + "\" in \"add_header_inherit\" directive");
    }
    return;
  }
  if (name == "recursive_error_pages" && ArgCount(directive, 1, 1)) {
    level->recursive_error_pages = directive.arg(0) == "on";
    return;
  }
  if (name == "try_files" && kind == Kind::kLocation) {
    ReadTryFiles(directive, level);
    return;
  }
  // Upstream directives are not allowed in a server-level `if`.
  bool server_if = kind == Kind::kIf && level->parent->kind == Kind::kServer;
  if (!server_if) ReadUpstream(directive, level);
}

void Builder::ReadUpstream(const Directive& directive, Level* level) {
  std::string_view name = directive.name();
  for (size_t m = 0; m < kUpstreamCount; ++m) {
    const UpstreamDirectives& names = kUpstreams[m];
    if (name == names.pass) {
      if (level->kind == Level::Kind::kLocation ||
          level->kind == Level::Kind::kIf) {
        level->pass = Pass{static_cast<Upstream>(m), directive.span};
      }
      return;
    }
    if (names.hide.empty()) continue;

    // `*_pass_header` alone also stops the inheritance of hidden headers.
    if ((name == names.hide || name == names.pass_header) &&
        ArgCount(directive, 1, 1)) {
      if (!level->hide[m]) level->hide[m].emplace();
      if (name == names.hide) {
        level->hide[m]->push_back(ToLower(directive.arg(0)));
      }
      return;
    }
    if (name == names.intercept && ArgCount(directive, 1, 1)) {
      level->intercept[m] = directive.arg(0) == "on";
      return;
    }
  }
}

// try_files file ... uri; or try_files file ... =code;
void Builder::ReadTryFiles(const Directive& directive, Level* level) {
  if (!ArgCount(directive, 2, 1000)) return;
  const Word& last = directive.words.back();
  TryFiles try_files;
  try_files.span = directive.span;
  if (last.value.starts_with("=") && IsNumber(last.value.substr(1))) {
    try_files.status = std::stoi(last.value.substr(1));
  } else {
    try_files.fallback = Compile(last);
    Note(directive.words.front().span,
         "try_files: a request whose file is missing (the handler would "
         "answer 404) goes to \"" +
             last.value + "\", and the file it names there is taken to exist");
  }
  level->try_files = std::move(try_files);
}

bool Builder::ArgCount(const Directive& directive, size_t low, size_t high) {
  size_t count = directive.arg_count();
  if (count >= low && count <= high) return true;
  Error(directive.words.front().span, "invalid number of arguments in \"" +
                                          directive.words.front().value +
                                          "\" directive");
  return false;
}

void Builder::ReadServer(const Directive& directive, Level* http) {
  Level* server =
      NewLevel(Level::Kind::kServer, http, directive.words.front().span);
  servers_.push_back(server);

  std::string listen;
  for (const Directive& inner : directive.block) {
    if (inner.name() == "server_name") {
      for (size_t i = 0; i < inner.arg_count(); ++i) {
        const std::string& name = inner.arg(i);
        if (name.size() > 1 && name.starts_with("~")) {
          // Server name regexes are matched without regard to case.
          auto regex =
              CompileRegex(name.substr(1), true, inner.words[i + 1].span);
          if (regex) server->server_regexes.push_back(std::move(regex));
        } else {
          server->server_names.push_back(ToLower(name));
        }
      }
    }
    if (inner.name() == "listen" && inner.arg_count() > 0) {
      if (listen.empty()) listen = inner.arg(0);
      for (size_t i = 1; i < inner.arg_count(); ++i) {
        if (inner.arg(i) == "default_server" || inner.arg(i) == "default") {
          server->default_server = true;
        }
      }
    }
  }
  std::string server_name;
  for (const std::string& name : server->server_names) {
    if (!name.empty() && name != "_") {
      server_name = name;
      break;
    }
  }
  server->label =
      "server " + (!server_name.empty() ? server_name
                   : !listen.empty()    ? listen
                                     : "#" + std::to_string(servers_.size()));
  ReadBody(directive.block, server);
}

void Builder::ReadLocation(const Directive& directive, Level* parent) {
  if (!ArgCount(directive, 1, 2)) return;
  LocationKind kind = LocationKind::kPrefix;
  bool case_insensitive = false;
  std::string modifier, pattern;
  const Word& pattern_word = directive.words.back();

  if (directive.arg_count() == 2) {
    modifier = directive.arg(0);
    pattern = directive.arg(1);
  } else {
    pattern = directive.arg(0);
    for (std::string_view glued : {"=", "^~", "~*", "~", "@"}) {
      if (pattern.size() > glued.size() && pattern.starts_with(glued)) {
        modifier = glued;
        pattern.erase(0, glued.size());
        break;
      }
    }
  }
  if (modifier == "=") {
    kind = LocationKind::kExact;
  } else if (modifier == "^~") {
    kind = LocationKind::kNoRegex;
  } else if (modifier == "~" || modifier == "~*") {
    kind = LocationKind::kRegex;
    case_insensitive = modifier == "~*";
  } else if (modifier == "@") {
    kind = LocationKind::kNamed;
  } else if (!modifier.empty()) {
    Error(directive.words[1].span,
          "invalid location modifier \"" + modifier + "\"");
    return;
  }

  Level* location =
      NewLevel(Level::Kind::kLocation, parent, directive.words.front().span);
  location->location_kind = kind;
  location->pattern = pattern;
  std::string shown = modifier == "@"    ? "@" + pattern
                      : modifier.empty() ? pattern
                                         : modifier + " " + pattern;
  location->label = Join(parent->label, "location " + shown);
  location->capturing = parent->capturing;
  switch (kind) {
    case LocationKind::kRegex:
      location->regex =
          CompileRegex(pattern, case_insensitive, pattern_word.span);
      if (location->regex) location->capturing.push_back(location->regex.get());
      parent->regex_locations.push_back(location);
      break;
    case LocationKind::kNamed:
      // Named locations belong to the server (nginx allows them there only).
      servers_.back()->named_locations.push_back(location);
      break;
    default:
      parent->prefix_locations.push_back(location);
      break;
  }
  ReadBody(directive.block, location);
}

void Builder::ReadIf(const Directive& directive, Level* level) {
  Level* block =
      NewLevel(Level::Kind::kIf, level, directive.words.front().span);
  block->condition = ReadCondition(directive);
  Statement statement;
  statement.kind = Statement::Kind::kIf;
  statement.span = directive.words.front().span;
  statement.level = block;
  level->statements.push_back(std::move(statement));
  ReadBody(directive.block, block);

  // A block that ends in an error refuses the requests it matches, so the
  // origins it admits are those failing the condition.
  bool refuses = !block->statements.empty() &&
                 block->statements.back().kind == Statement::Kind::kReturn &&
                 block->statements.back().status >= 400;
  CheckCondition(block->condition, directive.words.front().span, refuses);
}

// ngx_http_rewrite_if_condition: the `(` of the first word and the `)` of
// the last one are dropped, whether they stand alone or not.
Condition Builder::ReadCondition(const Directive& directive) {
  std::vector<Word> words(directive.words.begin() + 1, directive.words.end());
  if (!words.empty() && words.front().value == "(") {
    words.erase(words.begin());
  } else if (!words.empty() && words.front().value.starts_with("(")) {
    words.front().value.erase(0, 1);
    if (!words.front().quoted) ++words.front().span.begin;
  }
  if (!words.empty() && words.back().value == ")") {
    words.pop_back();
  } else if (!words.empty() && words.back().value.ends_with(")")) {
    words.back().value.pop_back();
    if (!words.back().quoted) --words.back().span.end;
  }

  Condition condition;
  bool variable = !words.empty() && words.front().value.starts_with("$");
  if (variable && words.size() == 1) {
    condition.kind = Condition::Kind::kVariable;
    condition.subject = Compile(words[0]);
  } else if (variable && words.size() == 3) {
    const std::string& op = words[1].value;
    condition.subject = Compile(words[0]);
    if (op == "=" || op == "!=") {
      condition.kind = Condition::Kind::kEquals;
      condition.negated = op == "!=";
      condition.operand = Compile(words[2]);
    } else if (op == "~" || op == "~*" || op == "!~" || op == "!~*") {
      condition.kind = Condition::Kind::kRegex;
      condition.negated = op.starts_with("!");
      condition.regex =
          CompileRegex(words[2].value, op.ends_with("*"), words[2].span);
      condition.operand = ComplexValue{{}, words[2].span};
    }
  }

  if (condition.kind == Condition::Kind::kUnknown) {
    std::string text;
    for (const Word& word : words)
      text += (text.empty() ? "" : " ") + word.value;
    Note(directive.words.front().span,
         "condition \"" + text +
             "\" is not evaluated; its block is taken as not entered");
  }
  return condition;
}

void Builder::ReadAddHeader(const Directive& directive, Level* level) {
  if (!ArgCount(directive, 2, 3)) return;
  if (level->kind == Level::Kind::kIf &&
      level->parent->kind == Level::Kind::kServer) {
    Error(directive.words.front().span,
          "\"add_header\" directive is not allowed here");
    return;
  }
  if (directive.arg_count() == 3 && directive.arg(2) != "always") {
    Error(directive.words[3].span,
          "invalid parameter \"" + directive.arg(2) + "\"");
    return;
  }
  AddHeader header;
  header.name = directive.arg(0);
  header.value = Compile(directive.words[2]);
  header.always = directive.arg_count() == 3;
  header.span = directive.span;
  CheckFixedOrigin(header.name, header.value);
  level->add_headers.push_back(std::move(header));
}

// more_set_headers [-s codes] [-t types] [-a] 'Name: value' ...;
// more_clear_headers [-s codes] [-t types] Name ...;
void Builder::ReadMoreHeaders(const Directive& directive, Level* level) {
  MoreHeaders more;
  more.clear = directive.name() == "more_clear_headers";
  more.span = directive.span;

  for (size_t i = 1; i < directive.words.size(); ++i) {
    const Word& word = directive.words[i];
    bool has_next = i + 1 < directive.words.size();
    if (word.value == "-s" && has_next) {
      std::string_view codes = directive.words[++i].value;
      while (!codes.empty()) {
        size_t space = codes.find_first_of(" \t");
        std::string_view code = codes.substr(0, space);
        if (IsNumber(code)) {
          more.statuses.push_back(std::stoi(std::string(code)));
        }
        codes = space == std::string_view::npos ? "" : codes.substr(space + 1);
      }
      continue;
    }
    if (word.value == "-t" && has_next) {
      more.has_types = true;
      ++i;
      continue;
    }
    if (word.value == "-a" && !more.clear) {
      more.append = true;
      continue;
    }

    MoreHeaders::Entry entry;
    std::string_view spec = word.value;
    size_t colon = more.clear ? std::string_view::npos : spec.find(':');
    std::string_view name = spec.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
      name.remove_suffix(1);
    }
    if (more.clear && name.ends_with("*")) {
      entry.prefix = true;
      name.remove_suffix(1);
    }
    entry.name = std::string(name);
    if (colon != std::string_view::npos) {
      std::string_view value = spec.substr(colon + 1);
      while (!value.empty() &&
             (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
      }
      entry.value = Compile(value, word.span);
      CheckFixedOrigin(entry.name, *entry.value);
    }
    if (!entry.name.empty()) more.entries.push_back(std::move(entry));
  }

  if (more.has_types) {
    Note(directive.words.front().span,
         "\"" + directive.words.front().value +
             " -t\" depends on the response's Content-Type; the headers it "
             "sets have unknown values and those it clears are kept");
  }
  level->more_headers.push_back(std::move(more));
}

void Builder::ReadRewriteModule(const Directive& directive, Level* level) {
  std::string_view name = directive.name();
  Statement statement;
  statement.span = directive.span;

  if (name == "break") {
    statement.kind = Statement::Kind::kBreak;
  } else if (name == "set") {
    if (!ArgCount(directive, 2, 2)) return;
    if (!directive.arg(0).starts_with("$")) {
      Error(directive.words[1].span,
            "invalid variable name \"" + directive.arg(0) + "\"");
      return;
    }
    auto slot =
        set_slot_.find(ToLower(std::string_view(directive.arg(0)).substr(1)));
    if (slot == set_slot_.end()) return;  // a map's variable: not settable
    statement.kind = Statement::Kind::kSet;
    statement.slot = slot->second;
    statement.value = Compile(directive.words[2]);
  } else if (name == "return") {
    if (!ArgCount(directive, 1, 2)) return;
    statement.kind = Statement::Kind::kReturn;
    if (IsNumber(directive.arg(0))) {
      statement.status = std::stoi(directive.arg(0));
      statement.has_text = directive.arg_count() == 2;
      if (statement.has_text) statement.value = Compile(directive.words[2]);
    } else if (directive.arg_count() == 1) {
      statement.status = 302;
      statement.has_text = true;
      statement.value = Compile(directive.words[1]);
    } else {
      Error(directive.words[1].span,
            "invalid return code \"" + directive.arg(0) + "\"");
      return;
    }
  } else {
    if (!ArgCount(directive, 2, 3)) return;
    statement.kind = Statement::Kind::kRewrite;
    statement.regex =
        CompileRegex(directive.arg(0), false, directive.words[1].span);
    statement.value = Compile(directive.words[2]);
    if (directive.arg_count() == 3) {
      const std::string& flag = directive.arg(2);
      using Flag = Statement::Flag;
      if (flag == "last") {
        statement.flag = Flag::kLast;
      } else if (flag == "break") {
        statement.flag = Flag::kBreak;
      } else if (flag == "redirect") {
        statement.flag = Flag::kRedirect;
      } else if (flag == "permanent") {
        statement.flag = Flag::kPermanent;
      } else {
        Error(directive.words[3].span, "invalid parameter \"" + flag + "\"");
        return;
      }
    }
  }
  level->statements.push_back(std::move(statement));
}

// error_page code ... [=[response]] uri;
void Builder::ReadErrorPage(const Directive& directive, Level* level) {
  if (!ArgCount(directive, 2, 1000)) return;
  ErrorPage page;
  page.span = directive.span;
  page.target = Compile(directive.words.back());
  for (size_t i = 0; i + 1 < directive.arg_count(); ++i) {
    const std::string& arg = directive.arg(i);
    if (arg.starts_with("=")) {
      page.overwrite = arg.size() == 1           ? -1
                       : IsNumber(arg.substr(1)) ? std::stoi(arg.substr(1))
                                                 : 0;
      continue;
    }
    if (!IsNumber(arg)) {
      Error(directive.words[i + 1].span, "invalid value \"" + arg + "\"");
      return;
    }
    page.codes.push_back(std::stoi(arg));
  }
  if (!page.target.constant()) {
    Note(directive.words.front().span,
         "error_page target \"" + directive.words.back().value +
             "\" holds variables; responses it takes over may differ");
  }
  if (!level->error_pages) level->error_pages.emplace();
  level->error_pages->push_back(std::move(page));
}

// map source $variable { key value; ... }
void Builder::ReadMap(const Directive& directive, int index) {
  Map& map = config_->maps[index];
  map.variable = ToLower(std::string_view(directive.arg(1)).substr(1));
  map.source = Compile(directive.words[1]);
  map.span = directive.words.front().span;
  bool from_origin = map.source.IsOnly(ValuePart::Kind::kRequestHeader) &&
                     map.source.parts[0].text == "origin";
  bool mentions_origin = std::any_of(
      map.source.parts.begin(), map.source.parts.end(), [](const ValuePart& p) {
        return p.kind == ValuePart::Kind::kRequestHeader && p.text == "origin";
      });

  for (const Directive& entry : directive.block) {
    const std::string& key_text = entry.words.front().value;
    if (key_text == "include") {
      map.incomplete = true;
      continue;
    }
    if (entry.arg_count() == 0 && !entry.has_block) {
      if (key_text == "hostnames") {
        map.hostnames = true;
        continue;
      }
      if (key_text == "volatile") {
        map.is_volatile = true;
        continue;
      }
    }
    if (entry.arg_count() != 1 || entry.has_block) {
      Error(entry.words.front().span, "invalid number of the map parameters");
      continue;
    }
    ComplexValue value = Compile(entry.words[1]);
    if (key_text == "default") {
      map.default_value = std::move(value);
      continue;
    }

    OriginCheck check;
    check.span = entry.words.front().span;
    std::string deny = value.ConstantText();
    check.negated = value.constant() && (deny.empty() || deny == "0");
    if (key_text.size() > 1 && key_text.starts_with("~")) {
      bool case_insensitive = key_text[1] == '*';
      std::string pattern = key_text.substr(case_insensitive ? 2 : 1);
      auto regex = CompileRegex(pattern, case_insensitive, check.span);
      map.regexes.push_back(Map::RegexKey{regex, std::move(value)});
      check.kind = regex ? OriginCheckKind::kRegex : OriginCheckKind::kUnknown;
      check.pattern = pattern;
      check.case_insensitive = case_insensitive;
      check.regex = regex;
      check.construct = "map regex key";
    } else {
      std::string key =
          key_text.starts_with("\\") ? key_text.substr(1) : key_text;
      bool head = key.starts_with("*.") || key.starts_with(".");
      bool tail = key.ends_with(".*");
      check.pattern = key;
      check.case_insensitive = true;
      if (map.hostnames && (head || tail)) {
        check.kind = OriginCheckKind::kHostnameMask;
        check.construct = "map hostname mask";
        Map::Mask mask{check, key.size() - (key.starts_with("*") ? 1 : 0),
                       std::move(value)};
        (head ? map.head_masks : map.tail_masks).push_back(std::move(mask));
      } else {
        check.kind = OriginCheckKind::kExact;
        check.construct = "map exact key";
        std::string lower = ToLower(key);
        if (map.hostnames && lower.ends_with(".")) lower.pop_back();
        map.exact.emplace(lower, std::move(value));
      }
    }

    if (!mentions_origin) continue;
    if (!from_origin) check.kind = OriginCheckKind::kUnknown;
    map_checks_.emplace_back(document_->origin_checks.size(), map.variable);
    document_->origin_checks.push_back(std::move(check));
  }
  if (map.incomplete) {
    Note(map.span, "map \"$" + map.variable +
                       "\" includes a file that was not read; values that "
                       "reach its default are unknown");
  }
}

// `if ($http_origin ~ re)` and `if ($http_origin = x)` and their negations.
void Builder::CheckCondition(const Condition& condition, Span span,
                             bool refuses) {
  const auto& parts = condition.subject.parts;
  bool mentions_origin =
      std::any_of(parts.begin(), parts.end(), [](const ValuePart& part) {
        return part.kind == ValuePart::Kind::kRequestHeader &&
               part.text == "origin";
      });
  if (!mentions_origin || condition.kind == Condition::Kind::kVariable ||
      condition.kind == Condition::Kind::kUnknown) {
    return;
  }

  OriginCheck check;
  check.negated = condition.negated != refuses;
  check.span = condition.operand.span.valid() ? condition.operand.span : span;
  check.construct = "if condition";
  if (condition.kind == Condition::Kind::kRegex) {
    check.kind =
        condition.regex ? OriginCheckKind::kRegex : OriginCheckKind::kUnknown;
    check.regex = condition.regex;
    check.case_insensitive =
        condition.regex && condition.regex->options().case_insensitive;
    check.pattern = condition.regex ? condition.regex->pattern()
                                    : std::string(check.span.text());
  } else {
    check.kind = condition.operand.constant() ? OriginCheckKind::kExact
                                              : OriginCheckKind::kUnknown;
    check.pattern = condition.operand.constant()
                        ? condition.operand.ConstantText()
                        : std::string(check.span.text());
  }
  if (parts.size() != 1) check.kind = OriginCheckKind::kUnknown;
  document_->origin_checks.push_back(std::move(check));
}

// A literal origin sent whatever the request says.
void Builder::CheckFixedOrigin(std::string_view name,
                               const ComplexValue& value) {
  if (!EqualsIgnoreCase(name, kAllowOrigin) || !value.constant()) return;
  std::string origin = value.ConstantText();
  if (origin.empty() || origin == "*") return;
  OriginCheck check;
  check.kind = OriginCheckKind::kFixed;
  check.pattern = origin;
  check.span = value.span;
  check.construct = "fixed header value";
  document_->origin_checks.push_back(std::move(check));
}

// ngx_http_*_merge_loc_conf, for the directives the model keeps. Levels
// are created parent first, so one pass in order suffices.
void Builder::Merge() {
  for (const auto& owned : config_->levels) {
    Level* level = owned.get();
    const Level* parent = level->parent;
    level->effective_inherit = level->inherit.value_or(
        parent != nullptr ? parent->effective_inherit : InheritMode::kOn);
    for (const AddHeader& header : level->add_headers) {
      level->headers.push_back(&header);
    }
    if (parent == nullptr) {
      for (const MoreHeaders& more : level->more_headers) {
        level->more.push_back(&more);
      }
      for (size_t m = 0; m < kUpstreamCount; ++m) {
        if (level->hide[m]) level->hidden[m] = *level->hide[m];
        level->intercepts[m] = level->intercept[m].value_or(false);
      }
      if (level->error_pages) level->pages = &*level->error_pages;
      level->recursive_pages = level->recursive_error_pages.value_or(false);
      continue;
    }

    // add_header: a level with its own headers inherits none, unless
    // add_header_inherit says otherwise.
    switch (level->effective_inherit) {
      case InheritMode::kOn:
        if (level->headers.empty()) level->headers = parent->headers;
        break;
      case InheritMode::kMerge:
        level->headers.insert(level->headers.end(), parent->headers.begin(),
                              parent->headers.end());
        break;
      case InheritMode::kOff:
        break;
    }

    // headers-more: the parent's commands run first.
    level->more = parent->more;
    for (const MoreHeaders& more : level->more_headers) {
      level->more.push_back(&more);
    }

    for (size_t m = 0; m < kUpstreamCount; ++m) {
      level->hidden[m] = level->hide[m] ? *level->hide[m] : parent->hidden[m];
      level->intercepts[m] =
          level->intercept[m].value_or(parent->intercepts[m]);
    }
    level->pages = level->error_pages ? &*level->error_pages : parent->pages;
    level->recursive_pages =
        level->recursive_error_pages.value_or(parent->recursive_pages);

    // The content handler of a location is its own; an `if` keeps the
    // enclosing location's unless it names one.
    if (level->pass) {
      level->content_pass = &*level->pass;
    } else if (level->kind == Level::Kind::kIf) {
      level->content_pass = parent->content_pass;
    }
  }
}

void Builder::AddScopes() {
  for (const Level* server : servers_) {
    bool has_root =
        std::any_of(server->prefix_locations.begin(),
                    server->prefix_locations.end(), [](const Level* location) {
                      return location->pattern == "/" &&
                             location->location_kind != LocationKind::kExact;
                    });
    std::vector<const Level*> sites;
    if (!has_root) sites.push_back(server);
    // Response headers come only from the levels a request meets: the
    // server, its location and their `if` blocks, or, once a request may
    // be redirected, any level of the server.
    bool server_cors = false;
    for (const auto& owned : config_->levels) {
      if (owned->server != server) continue;
      server_cors = server_cors || NamesCorsHeader(*owned);
      if (owned->kind == Level::Kind::kLocation) sites.push_back(owned.get());
    }
    Reach server_reach = ReachOf(*server);

    for (const Level* site : sites) {
      bool is_server = site == server;
      auto scope = std::make_unique<LevelScope>(config_, server,
                                                is_server ? nullptr : site);
      scope->name = site->label;
      scope->span = site->span;
      scope->sample_path = SamplePath(site);
      Reach reach = is_server ? Reach{} : ReachOf(*site);
      scope->may_send_cors_headers = server_reach.redirects || reach.redirects
                                         ? server_cors
                                         : server_reach.cors || reach.cors;
      scopes_[site] = scope.get();
      document_->scopes.push_back(std::move(scope));
    }
  }
}

// A path that nginx sends to `level`: its own text for prefix and exact
// locations, an example for a regex, one that matches no location for a
// server. Falls back to "/".
std::string Builder::SamplePath(const Level* level) const {
  std::vector<std::string> candidates;
  if (level->kind == Level::Kind::kServer) {
    candidates = {"/", "/index.html", "/sample"};
  } else if (level->location_kind == LocationKind::kNamed) {
    return "/";
  } else if (level->location_kind == LocationKind::kRegex) {
    std::string example = ExampleWriter(level->pattern).Write();
    if (!example.starts_with("/")) example = "/" + example;
    candidates = {example, "/"};
  } else {
    candidates = {level->pattern, level->pattern + "sample"};
  }

  const Level* wanted = level->kind == Level::Kind::kServer ? nullptr : level;
  for (const std::string& candidate : candidates) {
    if (FindLocation(level->server, candidate) == wanted) return candidate;
  }
  if (level->regex && level->regex->Match(candidates.front())) {
    return candidates.front();
  }
  return level->kind == Level::Kind::kLocation &&
                 level->location_kind != LocationKind::kRegex
             ? level->pattern
             : "/";
}

// Levels whose own add_header hides CORS headers of the enclosing level.
void Builder::AddDropped() {
  for (const auto& owned : config_->levels) {
    const Level* level = owned.get();
    const Level* parent = level->parent;
    if (parent == nullptr || level->add_headers.empty() ||
        level->effective_inherit != InheritMode::kOn ||
        level->unknown_include) {
      continue;
    }

    DroppedHeaders dropped;
    for (const AddHeader* header : parent->headers) {
      if (!IsCorsHeader(header->name)) continue;
      bool declared =
          std::any_of(level->add_headers.begin(), level->add_headers.end(),
                      [header](const AddHeader& own) {
                        return EqualsIgnoreCase(own.name, header->name);
                      });
      if (declared) continue;
      ResponseHeader lost{header->name, header->value.ConstantText(),
                          header->value.constant(), header->span, "add_header"};
      dropped.lost.push_back(std::move(lost));
    }
    if (dropped.lost.empty()) continue;

    // The scope that shows the loss: the location itself, the location
    // around an `if`, or the server's catch-all.
    const Level* site = level;
    while (site->kind == Level::Kind::kIf) site = site->parent;
    if (site->kind == Level::Kind::kServer && !scopes_.contains(site)) {
      for (const Level* location : site->prefix_locations) {
        if (location->pattern == "/" &&
            location->location_kind != LocationKind::kExact) {
          site = location;
        }
      }
    }
    auto scope = scopes_.find(site);
    if (scope == scopes_.end()) continue;

    dropped.scope = scope->second;
    dropped.cause = level->add_headers.front().span;
    if (level->kind == Level::Kind::kIf && !level->statements.empty() &&
        level->statements.back().kind == Statement::Kind::kReturn) {
      const Condition& condition = level->condition;
      bool on_method = condition.subject.IsOnly(ValuePart::Kind::kMethod) &&
                       !condition.negated;
      bool options = (condition.kind == Condition::Kind::kEquals &&
                      condition.operand.ConstantText() == "OPTIONS") ||
                     (condition.kind == Condition::Kind::kRegex &&
                      condition.regex && condition.regex->Match("OPTIONS"));
      dropped.preflight_only = on_method && options;
    }
    document_->dropped.push_back(std::move(dropped));
  }
}

void Builder::Error(Span span, std::string message) {
  document_->errors.push_back(InputError{Locate(span), std::move(message)});
}

void Builder::Note(Span span, std::string message) {
  document_->notes.push_back(ModelNote{span, std::move(message)});
}

}  // namespace

bool ComplexValue::constant() const {
  return std::all_of(parts.begin(), parts.end(), [](const ValuePart& part) {
    return part.kind == ValuePart::Kind::kText;
  });
}

std::string ComplexValue::ConstantText() const {
  if (!constant()) return "";
  std::string text;
  for (const ValuePart& part : parts) text += part.text;
  return text;
}

bool ComplexValue::IsOnly(ValuePart::Kind kind) const {
  return parts.size() == 1 && parts[0].kind == kind;
}

void BuildConfig(const std::vector<Directive>& directives, RootContext context,
                 Span origin, Document* document) {
  Builder builder(document, origin);
  builder.Build(directives, context);
}

}  // namespace corslint::nginx
