#include "parsers/apache_model.h"

#include <glob.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "parsers/apache_expr.h"
#include "parsers/apache_syntax.h"

namespace corslint::apache {

namespace {

namespace fs = std::filesystem;

// httpd refuses includes nested deeper than this (AP_MAX_INCLUDE_DEPTH).
constexpr int kMaxIncludeDepth = 128;

// ---------------------------------------------------------------------------
// The configuration as httpd holds it after reading: blocks of directives
// (the server level of each server and every container) with the parts of
// mod_headers, mod_setenvif, mod_rewrite, mod_proxy, mod_alias and
// mod_authz_core that decide CORS answers.

enum class BlockKind {
  kServer,
  kDirectory,
  kDirectoryMatch,
  kFiles,
  kFilesMatch,
  kLocation,
  kLocationMatch,
  kProxy,
  kIf,
  kElseIf,
  kElse,
  kHtaccess,
};

// httpd's merge groups (sections.html#merging): server defaults, then
// <Directory> with .htaccess, <DirectoryMatch>, <Files>, <Location>, <If>.
int MergeGroup(BlockKind kind) {
  switch (kind) {
    case BlockKind::kServer:
      return 0;
    case BlockKind::kDirectory:
    case BlockKind::kHtaccess:
    case BlockKind::kProxy:
      return 1;
    case BlockKind::kDirectoryMatch:
      return 2;
    case BlockKind::kFiles:
    case BlockKind::kFilesMatch:
      return 3;
    case BlockKind::kLocation:
    case BlockKind::kLocationMatch:
      return 4;
    case BlockKind::kIf:
    case BlockKind::kElseIf:
    case BlockKind::kElse:
      return 5;
  }
  return 0;
}

// One piece of a mod_headers format string.
struct FormatPart {
  enum class Kind { kText, kEnv, kUnknown };
  Kind kind = Kind::kText;
  std::string text;  // the text, or the variable's name
};

struct HeaderAction {
  enum class Op {
    kSet,
    kAppend,
    kAdd,
    kMerge,
    kSetIfEmpty,
    kUnset,
    kEdit,
    kEditAll,
    kIgnored,  // echo, note: nothing to do with response header values
  };
  Op op = Op::kSet;
  bool always = false;
  std::string name;
  std::vector<FormatPart> format;
  std::shared_ptr<const StrNode> value_expr;  // `expr=` value
  // Condition.
  std::string env;  // env=VAR
  bool env_negated = false;
  std::shared_ptr<const BoolNode> condition;  // expr=...
  bool condition_unreadable = false;
  Span span;
  std::string mechanism;  // "Header always set", ...
};

struct EnvAssignment {
  std::string name;
  bool unset = false;
  std::string value;  // may hold $0..$9
};

// SetEnvIf, SetEnvIfNoCase, SetEnvIfExpr, SetEnv, UnsetEnv and directives
// that set variables the analyzer does not evaluate (BrowserMatch, ...).
struct EnvRule {
  enum class Test {
    kAlways,     // SetEnv, UnsetEnv
    kAttribute,  // SetEnvIf
    kExpr,       // SetEnvIfExpr
    kUnknown,    // sets its variables under conditions not modelled
  };
  Test test = Test::kAlways;
  std::string attribute;  // header or special name
  bool literal = false;
  std::string literal_text;
  bool case_insensitive = false;
  std::shared_ptr<const Regex> regex;
  std::shared_ptr<const BoolNode> expr;
  std::vector<EnvAssignment> assignments;
  Span span;
};

struct RewriteCondition {
  StrNode subject;
  enum class Kind { kRegex, kEqual, kUnknown };
  Kind kind = Kind::kRegex;
  std::shared_ptr<const Regex> regex;
  std::string text;
  bool negated = false;
  bool or_next = false;
};

struct RewriteRuleEntry {
  std::vector<RewriteCondition> conditions;
  std::shared_ptr<const Regex> pattern;
  bool negated = false;
  int status = 0;  // [R=...], [F], [G]
  bool proxy = false;
  bool last = false;
  bool internal = false;  // a substitution that rewrites the path
  std::vector<EnvAssignment> env;
  Span span;
};

struct ProxyEntry {
  std::string path;  // URL-path prefix; empty inside <Location>
  std::shared_ptr<const Regex> regex;  // ProxyPassMatch
  bool excluded = false;               // `ProxyPass /x !`
  Span span;
};

struct RedirectEntry {
  std::string path;  // empty inside a container
  std::shared_ptr<const Regex> regex;
  int status = 302;
  Span span;
};

struct Block {
  BlockKind kind = BlockKind::kServer;
  std::string label;    // `<Location /api>` as written, for scope names
  std::string pattern;  // path, wildcard or regex source
  std::shared_ptr<const Regex> regex;
  Span span;
  int parent = -1;
  int server = 0;
  int order = 0;
  bool in_vhost = false;
  int components = 0;  // path depth, for the <Directory> sort

  // <If>/<ElseIf>: the condition; <ElseIf>/<Else>: the previous block of
  // the chain.
  std::shared_ptr<const BoolNode> condition;
  bool condition_unreadable = false;
  int chain_previous = -1;

  std::vector<HeaderAction> headers;
  std::vector<EnvRule> env_rules;   // header_parser (or post_read_request)
  std::vector<EnvRule> env_fixups;  // SetEnv, UnsetEnv
  std::optional<bool> rewrite_engine;
  bool has_rewrite_rules = false;
  std::vector<RewriteRuleEntry> rewrites;
  std::vector<ProxyEntry> proxies;
  std::vector<RedirectEntry> redirects;
  std::optional<bool> denied;  // Require all denied / granted
  Span require_span;

  bool Affects() const {
    return !headers.empty() || !env_rules.empty() || !env_fixups.empty() ||
           has_rewrite_rules || !proxies.empty() || !redirects.empty() ||
           denied.has_value();
  }
};

struct Server {
  std::string name;
  bool vhost = false;
  int level = 0;  // its server-level block
  std::optional<std::string> document_root;
  std::vector<std::pair<std::string, std::string>> aliases;
};

struct Config {
  std::vector<Block> blocks;
  std::vector<Server> servers;  // [0] is the main server
};

// ---------------------------------------------------------------------------
// Responding.

int CountComponents(std::string_view path) {
  int count = 0;
  bool in_component = false;
  for (char c : path) {
    if (c == '/') {
      in_component = false;
      continue;
    }
    if (!in_component) ++count;
    in_component = true;
  }
  return count;
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

// <Directory /a/*/c> applies to /a/b/c and everything below it.
bool DirectoryMatches(std::string_view pattern, std::string_view path) {
  std::vector<std::string> want = SplitPath(pattern);
  std::vector<std::string> have = SplitPath(path);
  if (want.size() > have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!WildcardMatches(want[i], have[i], false, true)) return false;
  }
  return true;
}

// ap_location_walk: a prefix that ends at a `/` or at the end of the path.
bool LocationMatches(std::string_view location, std::string_view path) {
  if (location.find_first_of("*?[") != std::string_view::npos) {
    return WildcardMatches(location, path, false, true);
  }
  if (!path.starts_with(location)) return false;
  if (location.empty() || location.back() == '/') return true;
  return path.size() == location.size() || path[location.size()] == '/';
}

std::string Basename(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path
                                                     : path.substr(slash + 1));
}

// The two header tables of a request: err_headers_out (`always`) and
// headers_out (`onsuccess`, upstream headers, automatic Vary).
struct Tables {
  std::vector<ResponseHeader> err;
  std::vector<ResponseHeader> out;
  bool proxied = false;
  std::vector<std::string> hidden;  // lower-case upstream header names

  bool Hidden(std::string_view name) const {
    return std::find(hidden.begin(), hidden.end(), ToLower(name)) !=
           hidden.end();
  }
  void Hide(std::string_view name) {
    if (!Hidden(name)) hidden.push_back(ToLower(name));
  }
};

// apr_table_merge(headers_out, "Vary", name), as ap_expr's add_vary does.
void AddVary(std::vector<ResponseHeader>* table, const std::string& name,
             const Span& span, const std::string& mechanism) {
  for (ResponseHeader& header : *table) {
    if (!EqualsIgnoreCase(header.name, "Vary")) continue;
    header.value += ", " + name;
    return;
  }
  ResponseHeader header;
  header.name = "Vary";
  header.value = name;
  header.span = span;
  header.mechanism = mechanism;
  table->push_back(header);
}

// httpd's fixup_vary: every Vary value collapsed into one field of unique
// tokens joined by commas, at the place of the first one.
void FixupVary(std::vector<ResponseHeader>* headers) {
  std::vector<std::string> tokens;
  bool known = true;
  int first = -1;
  for (size_t i = 0; i < headers->size(); ++i) {
    const ResponseHeader& header = (*headers)[i];
    if (!EqualsIgnoreCase(header.name, "Vary")) continue;
    if (first < 0) first = static_cast<int>(i);
    known = known && header.value_known;
    size_t start = 0;
    const std::string& value = header.value;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      std::string token = value.substr(start, comma - start);
      size_t b = token.find_first_not_of(" \t");
      size_t e = token.find_last_not_of(" \t");
      token = b == std::string::npos ? "" : token.substr(b, e - b + 1);
      bool seen = token.empty();
      for (const std::string& existing : tokens) {
        if (EqualsIgnoreCase(existing, token)) seen = true;
      }
      if (!seen) tokens.push_back(token);
      start = comma + 1;
    }
  }
  if (first < 0) return;

  ResponseHeader merged = (*headers)[static_cast<size_t>(first)];
  merged.value.clear();
  for (const std::string& token : tokens) {
    if (!merged.value.empty()) merged.value += ',';
    merged.value += token;
  }
  merged.value_known = known;
  std::vector<ResponseHeader> result;
  for (size_t i = 0; i < headers->size(); ++i) {
    if (static_cast<int>(i) == first) {
      result.push_back(merged);
      continue;
    }
    if (!EqualsIgnoreCase((*headers)[i].name, "Vary")) {
      result.push_back((*headers)[i]);
    }
  }
  *headers = std::move(result);
}

std::string Substitute(const std::string& value,
                       const std::vector<std::string>& captures) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '$' && i + 1 < value.size() &&
        std::isdigit(static_cast<unsigned char>(value[i + 1]))) {
      size_t group = static_cast<size_t>(value[i + 1] - '0');
      if (group < captures.size()) out += captures[group];
      ++i;
      continue;
    }
    if (value[i] == '\\' && i + 1 < value.size() && value[i + 1] == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    out.push_back(value[i]);
  }
  return out;
}

void Assign(const std::vector<EnvAssignment>& assignments,
            const std::vector<std::string>* captures, EnvMap* env) {
  for (const EnvAssignment& assignment : assignments) {
    std::string key = ToLower(assignment.name);
    if (assignment.unset) {
      env->erase(key);
      continue;
    }
    EnvValue value;
    value.value = captures != nullptr ? Substitute(assignment.value, *captures)
                                      : assignment.value;
    (*env)[key] = value;
  }
}

// Marks the variables as possibly set to an unknown value.
void AssignUnknown(const std::vector<EnvAssignment>& assignments, EnvMap* env) {
  for (const EnvAssignment& assignment : assignments) {
    EnvValue& value = (*env)[ToLower(assignment.name)];
    value.set_known = false;
    value.value_known = false;
  }
}

class ApacheScope : public Scope {
 public:
  ApacheScope(std::shared_ptr<const Config> config, int server, int own,
              std::string url_path, std::optional<std::string> file_path)
      : config_(std::move(config)),
        server_(server),
        own_(own),
        url_path_(std::move(url_path)),
        file_path_(std::move(file_path)) {}

  Response Respond(const Request& request) const override;

 private:
  const Server& server() const {
    return config_->servers[static_cast<size_t>(server_)];
  }
  const Block& block(int index) const {
    return config_->blocks[static_cast<size_t>(index)];
  }
  bool OwnOrAncestor(int index) const;
  bool BlockApplies(int index, bool proxied) const;
  std::vector<int> ActiveBlocks(bool translate_time, bool proxied) const;
  std::vector<int> ApplyIfs(const std::vector<int>& active,
                            const Request& request, const EnvMap& env,
                            std::vector<std::string>* vary) const;
  void RunEnvRules(const std::vector<EnvRule>& rules, const Request& request,
                   EnvMap* env) const;
  // The outcome of a set of rewrite rules: 0 when nothing answers, else
  // the status of the response mod_rewrite makes httpd generate; `proxy`
  // is set for [P].
  int RunRewrite(const std::vector<RewriteRuleEntry>& rules,
                 const Request& request, const std::string& subject,
                 EnvMap* env, Tables* tables, bool* proxy, Span* span) const;
  void ApplyHeaders(const std::vector<int>& active, bool always,
                    const Request& request, const EnvMap& env,
                    Tables* tables) const;
  Response Finish(const std::vector<int>& active, bool generated, int status,
                  Responder responder, Span span, const Request& request,
                  const EnvMap& env, Tables* tables) const;

  std::shared_ptr<const Config> config_;
  int server_;
  int own_;  // the container the scope stands for, -1 for a server
  std::string url_path_;
  std::optional<std::string> file_path_;
};

bool ApacheScope::OwnOrAncestor(int index) const {
  for (int at = own_; at >= 0; at = block(at).parent) {
    if (at == index) return true;
  }
  return false;
}

bool ApacheScope::BlockApplies(int index, bool proxied) const {
  const Block& candidate = block(index);
  int owner_server = candidate.server;
  if (owner_server != 0 && owner_server != server_) return false;
  if (candidate.parent >= 0 && !BlockApplies(candidate.parent, proxied)) {
    return false;
  }
  if (OwnOrAncestor(index)) return true;

  switch (candidate.kind) {
    case BlockKind::kServer:
      return index == config_->servers[0].level || index == server().level;
    case BlockKind::kDirectory:
    case BlockKind::kHtaccess:
      return !proxied && file_path_.has_value() &&
             DirectoryMatches(candidate.pattern, *file_path_);
    case BlockKind::kDirectoryMatch:
      return !proxied && file_path_.has_value() &&
             candidate.regex->Match(*file_path_);
    case BlockKind::kFiles:
      return !proxied && file_path_.has_value() &&
             WildcardMatches(candidate.pattern, Basename(*file_path_), false,
                             false);
    case BlockKind::kFilesMatch:
      return !proxied && file_path_.has_value() &&
             candidate.regex->Match(Basename(*file_path_));
    case BlockKind::kLocation:
      return LocationMatches(candidate.pattern, url_path_);
    case BlockKind::kLocationMatch:
      return candidate.regex->Match(url_path_);
    case BlockKind::kProxy:
      return false;
    case BlockKind::kIf:
    case BlockKind::kElseIf:
    case BlockKind::kElse:
      return true;  // decided by ApplyIfs
  }
  return false;
}

// The blocks that apply, in merge order, without <If> blocks. At
// translate time httpd has merged only the server defaults and <Location>.
std::vector<int> ApacheScope::ActiveBlocks(bool translate_time,
                                           bool proxied) const {
  std::vector<int> active;
  for (size_t i = 0; i < config_->blocks.size(); ++i) {
    int index = static_cast<int>(i);
    const Block& candidate = block(index);
    int group = MergeGroup(candidate.kind);
    if (group == 5) continue;
    if (translate_time && group != 0 && group != 4) continue;
    if (!BlockApplies(index, proxied)) continue;
    active.push_back(index);
  }
  std::stable_sort(active.begin(), active.end(), [&](int a, int b) {
    const Block& x = block(a);
    const Block& y = block(b);
    int gx = MergeGroup(x.kind), gy = MergeGroup(y.kind);
    if (gx != gy) return gx < gy;
    if (gx == 1 && x.components != y.components) {
      return x.components < y.components;
    }
    if (gx == 1 &&
        (x.kind == BlockKind::kHtaccess) != (y.kind == BlockKind::kHtaccess)) {
      return y.kind == BlockKind::kHtaccess;
    }
    if (x.in_vhost != y.in_vhost) return y.in_vhost;
    return x.order < y.order;
  });
  return active;
}

// Evaluates the <If> chains whose enclosing block is active and returns
// `active` with the blocks that apply appended (If sections merge last).
std::vector<int> ApacheScope::ApplyIfs(const std::vector<int>& active,
                                       const Request& request,
                                       const EnvMap& env,
                                       std::vector<std::string>* vary) const {
  std::vector<int> result = active;
  std::vector<int> parents = active;
  ExprInput input{&request, &env, vary};

  // Walk the parents in merge order; an <If> nested in an applied <If>
  // is considered right after it.
  for (size_t p = 0; p < parents.size(); ++p) {
    int parent = parents[p];
    bool chain_taken = false;
    bool chain_unknown = false;
    for (size_t i = 0; i < config_->blocks.size(); ++i) {
      const Block& candidate = block(static_cast<int>(i));
      if (candidate.parent != parent || MergeGroup(candidate.kind) != 5) {
        continue;
      }
      if (candidate.kind == BlockKind::kIf) {
        chain_taken = false;
        chain_unknown = false;
      }
      if (chain_taken || chain_unknown) continue;

      if (candidate.condition_unreadable) {
        chain_unknown = true;
        continue;
      }
      Tri outcome = Tri::kTrue;
      if (candidate.kind != BlockKind::kElse) {
        outcome = candidate.condition == nullptr
                      ? Tri::kUnknown
                      : candidate.condition->Evaluate(input);
      }
      if (outcome == Tri::kUnknown) {
        chain_unknown = true;
        continue;
      }
      if (outcome == Tri::kFalse) continue;
      chain_taken = true;
      result.push_back(static_cast<int>(i));
      parents.push_back(static_cast<int>(i));
    }
  }
  return result;
}

void ApacheScope::RunEnvRules(const std::vector<EnvRule>& rules,
                              const Request& request, EnvMap* env) const {
  for (const EnvRule& rule : rules) {
    switch (rule.test) {
      case EnvRule::Test::kAlways:
        Assign(rule.assignments, nullptr, env);
        continue;
      case EnvRule::Test::kUnknown:
        AssignUnknown(rule.assignments, env);
        continue;
      case EnvRule::Test::kExpr: {
        ExprInput input{&request, env, nullptr};
        Tri outcome = rule.expr->Evaluate(input);
        if (outcome == Tri::kUnknown) AssignUnknown(rule.assignments, env);
        if (outcome == Tri::kTrue) Assign(rule.assignments, nullptr, env);
        continue;
      }
      case EnvRule::Test::kAttribute:
        break;
    }

    // The subject: a special name, a request header, a variable set by an
    // earlier rule, or the empty string.
    std::optional<std::string> subject;
    std::string attribute = ToLower(rule.attribute);
    if (attribute == "request_method") {
      subject = request.method;
    } else if (attribute == "request_uri") {
      subject = request.path;
    } else if (attribute == "request_protocol") {
      subject = "HTTP/1.1";
    } else if (attribute == "remote_addr" || attribute == "remote_host" ||
               attribute == "server_addr") {
      subject.reset();
    } else if (const std::string* value = request.Header(rule.attribute)) {
      subject = *value;
    } else if (auto it = env->find(attribute); it != env->end()) {
      if (it->second.set_known && it->second.value_known) {
        subject = it->second.value;
      }
    } else {
      subject = "";
    }
    if (!subject) {
      AssignUnknown(rule.assignments, env);
      continue;
    }

    if (rule.literal) {
      std::string haystack = *subject, needle = rule.literal_text;
      if (rule.case_insensitive) {
        haystack = ToLower(haystack);
        needle = ToLower(needle);
      }
      if (haystack.find(needle) != std::string::npos) {
        Assign(rule.assignments, nullptr, env);
      }
      continue;
    }
    std::vector<std::string> captures;
    if (rule.regex->Match(*subject, &captures)) {
      Assign(rule.assignments, &captures, env);
    }
  }
}

int ApacheScope::RunRewrite(const std::vector<RewriteRuleEntry>& rules,
                            const Request& request, const std::string& subject,
                            EnvMap* env, Tables* tables, bool* proxy,
                            Span* span) const {
  for (const RewriteRuleEntry& rule : rules) {
    std::vector<std::string> captures;
    bool matched = rule.pattern->Match(subject, &captures) != rule.negated;
    if (!matched) continue;

    // Conditions: ANDed, with [OR] joining a condition to the next one.
    std::vector<std::string> vary;
    bool all = true;
    bool unknown = false;
    bool pending_or = false;
    for (const RewriteCondition& condition : rule.conditions) {
      std::vector<std::string> condition_vary;
      ExprInput condition_input{&request, env, &condition_vary};
      Value value = condition.subject.Evaluate(condition_input);
      Tri outcome = Tri::kUnknown;
      if (value.known && condition.kind == RewriteCondition::Kind::kRegex) {
        outcome = condition.regex->Match(value.text) != condition.negated
                      ? Tri::kTrue
                      : Tri::kFalse;
      } else if (value.known &&
                 condition.kind == RewriteCondition::Kind::kEqual) {
        outcome = (value.text == condition.text) != condition.negated
                      ? Tri::kTrue
                      : Tri::kFalse;
      }
      if (outcome == Tri::kTrue) {
        vary.insert(vary.end(), condition_vary.begin(), condition_vary.end());
      }

      if (pending_or) {
        // The previous condition was false or unknown; this one decides.
        pending_or = condition.or_next;
        if (outcome == Tri::kUnknown) unknown = true;
        if (outcome == Tri::kFalse && !condition.or_next) all = false;
        continue;
      }
      if (condition.or_next) {
        if (outcome == Tri::kTrue) {
          pending_or = false;
          continue;
        }
        if (outcome == Tri::kUnknown) unknown = true;
        pending_or = true;
        continue;
      }
      if (outcome == Tri::kUnknown) unknown = true;
      if (outcome == Tri::kFalse) all = false;
    }
    if (!all) continue;
    if (unknown) return -1;

    for (const std::string& name : vary) {
      AddVary(&tables->out, name, rule.span, "RewriteCond");
    }
    Assign(rule.env, &captures, env);
    if (rule.status != 0) {
      *span = rule.span;
      return rule.status;
    }
    if (rule.proxy) {
      *proxy = true;
      *span = rule.span;
      return 0;
    }
    if (rule.internal) return -1;
    if (rule.last) return 0;
  }
  return 0;
}

std::string FormatValue(const std::vector<FormatPart>& format,
                        const EnvMap& env, bool* known) {
  std::string text;
  for (const FormatPart& part : format) {
    switch (part.kind) {
      case FormatPart::Kind::kText:
        text += part.text;
        break;
      case FormatPart::Kind::kEnv: {
        auto it = env.find(ToLower(part.text));
        if (it == env.end()) {
          text += "(null)";
          break;
        }
        if (!it->second.set_known || !it->second.value_known) *known = false;
        text += it->second.value;
        break;
      }
      case FormatPart::Kind::kUnknown:
        *known = false;
        break;
    }
  }
  return text;
}

bool HasToken(const std::string& list, const std::string& token) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string item = list.substr(start, comma - start);
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
    if (item == token) return true;
    start = comma + 1;
  }
  return false;
}

void ApacheScope::ApplyHeaders(const std::vector<int>& active, bool always,
                               const Request& request, const EnvMap& env,
                               Tables* tables) const {
  std::vector<ResponseHeader>* table = always ? &tables->err : &tables->out;
  bool upstream = !always && tables->proxied;

  for (int index : active) {
    for (const HeaderAction& action : block(index).headers) {
      if (action.always != always || action.op == HeaderAction::Op::kIgnored) {
        continue;
      }

      // Conditions.
      if (!action.env.empty()) {
        auto it = env.find(ToLower(action.env));
        if (it != env.end() && !it->second.set_known) continue;
        bool set = it != env.end();
        if (set == action.env_negated) continue;
      }
      if (action.condition_unreadable) continue;
      if (action.condition != nullptr) {
        std::vector<std::string> vary;
        ExprInput input{&request, &env, &vary};
        Tri outcome = action.condition->Evaluate(input);
        for (const std::string& name : vary) {
          AddVary(&tables->out, name, action.span, "Header expr= condition");
        }
        if (outcome != Tri::kTrue) continue;
      }

      // The value.
      ResponseHeader header;
      header.name = action.name;
      header.span = action.span;
      header.mechanism = action.mechanism;
      if (action.value_expr != nullptr) {
        // Unlike conditions, a value expression does not add to Vary
        // (checked against httpd).
        ExprInput input{&request, &env, nullptr};
        Value value = action.value_expr->Evaluate(input);
        header.value = value.text;
        header.value_known = value.known;
      } else {
        bool known = true;
        header.value = FormatValue(action.format, env, &known);
        header.value_known = known;
      }

      auto first = std::find_if(
          table->begin(), table->end(), [&](const ResponseHeader& existing) {
            return EqualsIgnoreCase(existing.name, action.name);
          });
      bool from_upstream =
          upstream && first == table->end() && !tables->Hidden(action.name);

      switch (action.op) {
        case HeaderAction::Op::kSet:
          if (upstream) tables->Hide(action.name);
          if (first == table->end()) {
            table->push_back(header);
            break;
          }
          *first = header;
          table->erase(std::remove_if(first + 1, table->end(),
                                      [&](const ResponseHeader& existing) {
                                        return EqualsIgnoreCase(existing.name,
                                                                action.name);
                                      }),
                       table->end());
          break;
        case HeaderAction::Op::kAdd:
          table->push_back(header);
          break;
        case HeaderAction::Op::kAppend:
        case HeaderAction::Op::kMerge:
          if (from_upstream) {
            // The upstream's value, if any, is joined with this one.
            header.value_known = false;
            tables->Hide(action.name);
            table->push_back(header);
            break;
          }
          if (first == table->end()) {
            table->push_back(header);
            break;
          }
          if (action.op == HeaderAction::Op::kMerge && header.value_known &&
              first->value_known && HasToken(first->value, header.value)) {
            break;
          }
          first->value += ", " + header.value;
          first->value_known = first->value_known && header.value_known;
          break;
        case HeaderAction::Op::kSetIfEmpty:
          if (from_upstream) {
            header.value_known = false;
            tables->Hide(action.name);
            table->push_back(header);
            break;
          }
          if (first == table->end()) table->push_back(header);
          break;
        case HeaderAction::Op::kUnset:
          if (upstream) tables->Hide(action.name);
          table->erase(std::remove_if(table->begin(), table->end(),
                                      [&](const ResponseHeader& existing) {
                                        return EqualsIgnoreCase(existing.name,
                                                                action.name);
                                      }),
                       table->end());
          break;
        case HeaderAction::Op::kEdit:
        case HeaderAction::Op::kEditAll:
          // The edited values are not computed: they become unknown.
          for (ResponseHeader& existing : *table) {
            if (EqualsIgnoreCase(existing.name, action.name)) {
              existing.value_known = false;
            }
          }
          break;
        case HeaderAction::Op::kIgnored:
          break;
      }
    }
  }
}

Response ApacheScope::Finish(const std::vector<int>& active, bool generated,
                             int status, Responder responder, Span span,
                             const Request& request, const EnvMap& env,
                             Tables* tables) const {
  // ap_send_error_response drops headers_out, except for 204 and 304; the
  // onsuccess table is never applied to a response httpd generates.
  if (generated && status != 204 && status != 304) tables->out.clear();
  ApplyHeaders(active, true, request, env, tables);
  if (!generated) ApplyHeaders(active, false, request, env, tables);

  Response response;
  response.status = status;
  response.responder = responder;
  response.responder_span = span;
  response.headers = tables->err;
  response.headers.insert(response.headers.end(), tables->out.begin(),
                          tables->out.end());
  FixupVary(&response.headers);
  if (responder == Responder::kUpstream) {
    response.upstream_hidden = tables->hidden;
  }
  return response;
}

Response ApacheScope::Respond(const Request& request) const {
  EnvMap env;
  Tables tables;
  const Block& main_level = block(config_->servers[0].level);
  const Block& own_level = block(server().level);

  // post_read_request: server-level SetEnvIf, main server first.
  RunEnvRules(main_level.env_rules, request, &env);
  if (server_ != 0) RunEnvRules(own_level.env_rules, request, &env);

  // The first <If> walk, before translation, adds Vary for the request
  // headers its conditions read.
  std::vector<std::string> vary;
  std::vector<int> early = ActiveBlocks(true, false);
  early = ApplyIfs(early, request, env, &vary);
  for (const std::string& name : vary) {
    AddVary(&tables.out, name, Span{}, "<If> condition");
  }

  // translate_name: server-level mod_rewrite (not inherited by virtual
  // hosts), ProxyPass, Redirect.
  bool proxied = false;
  Span proxy_span;
  if (own_level.rewrite_engine.value_or(false)) {
    Span span;
    int status = RunRewrite(own_level.rewrites, request, url_path_, &env,
                            &tables, &proxied, &span);
    if (status > 0) {
      return Finish(early, true, status, Responder::kConfig, span, request, env,
                    &tables);
    }
    if (proxied) proxy_span = span;
  }
  for (int level : {config_->servers[0].level, server().level}) {
    for (const RedirectEntry& redirect : block(level).redirects) {
      bool matches = redirect.regex != nullptr
                         ? redirect.regex->Match(url_path_)
                         : LocationMatches(redirect.path, url_path_);
      if (!matches) continue;
      return Finish(early, true, redirect.status, Responder::kConfig,
                    redirect.span, request, env, &tables);
    }
    if (server_ == 0) break;
  }
  for (int level : {server().level, config_->servers[0].level}) {
    if (proxied) break;
    for (const ProxyEntry& entry : block(level).proxies) {
      bool matches = entry.regex != nullptr
                         ? entry.regex->Match(url_path_)
                         : LocationMatches(entry.path, url_path_);
      if (!matches) continue;
      if (!entry.excluded) {
        proxied = true;
        proxy_span = entry.span;
      }
      break;
    }
  }
  for (int index : early) {
    if (proxied) break;
    const Block& candidate = block(index);
    if (candidate.kind != BlockKind::kLocation &&
        candidate.kind != BlockKind::kLocationMatch) {
      continue;
    }
    for (const ProxyEntry& entry : candidate.proxies) {
      if (entry.excluded) continue;
      proxied = true;
      proxy_span = entry.span;
    }
  }
  tables.proxied = proxied;

  // The full merge after map_to_storage, and the second <If> walk.
  std::vector<int> active = ActiveBlocks(false, proxied);
  std::vector<std::string> late_vary;
  active = ApplyIfs(active, request, env, &late_vary);
  for (const std::string& name : late_vary) {
    AddVary(&tables.out, name, Span{}, "<If> condition");
  }

  // header_parser: per-directory SetEnvIf; fixups: SetEnv.
  for (int index : active) {
    if (block(index).kind == BlockKind::kServer) continue;
    RunEnvRules(block(index).env_rules, request, &env);
  }
  for (int index : active) RunEnvRules(block(index).env_fixups, request, &env);

  // fixups: per-directory mod_rewrite; the most specific block with rules
  // replaces the rules of the enclosing ones.
  int rewrite_block = -1;
  bool rewrite_on = false;
  for (int index : active) {
    const Block& candidate = block(index);
    if (candidate.kind == BlockKind::kServer) continue;
    if (candidate.rewrite_engine) rewrite_on = *candidate.rewrite_engine;
    if (candidate.has_rewrite_rules) rewrite_block = index;
  }
  if (rewrite_on && rewrite_block >= 0) {
    const Block& rules = block(rewrite_block);
    std::string subject = url_path_;
    if (rules.kind == BlockKind::kDirectory ||
        rules.kind == BlockKind::kHtaccess) {
      // Per-directory rules see the path below the directory.
      subject = file_path_.value_or(rules.pattern);
      std::string prefix = rules.pattern;
      if (subject.starts_with(prefix)) subject = subject.substr(prefix.size());
      while (subject.starts_with("/")) subject.erase(0, 1);
    }
    Span span;
    bool rewrite_proxy = false;
    int status = RunRewrite(rules.rewrites, request, subject, &env, &tables,
                            &rewrite_proxy, &span);
    if (status > 0) {
      return Finish(active, true, status, Responder::kConfig, span, request,
                    env, &tables);
    }
    if (rewrite_proxy && !proxied) {
      proxied = true;
      tables.proxied = true;
      proxy_span = span;
    }
  }

  // Per-directory Redirect and Require all denied.
  for (int index : active) {
    const Block& candidate = block(index);
    if (candidate.kind == BlockKind::kServer) continue;
    for (const RedirectEntry& redirect : candidate.redirects) {
      return Finish(active, true, redirect.status, Responder::kConfig,
                    redirect.span, request, env, &tables);
    }
  }
  std::optional<bool> denied;
  Span require_span;
  for (int index : active) {
    if (!block(index).denied) continue;
    denied = block(index).denied;
    require_span = block(index).require_span;
  }
  if (denied.value_or(false)) {
    return Finish(active, true, 403, Responder::kConfig, require_span, request,
                  env, &tables);
  }

  // The content handler: the upstream answers whatever it answers.
  if (proxied) {
    return Finish(active, false, request.handler_status, Responder::kUpstream,
                  proxy_span, request, env, &tables);
  }

  // httpd's default handler: OPTIONS gets 200 and Allow even for a missing
  // file, GET, HEAD and POST serve the file, other methods get 405. A
  // missing file (404), a denied one, or a directory without its slash
  // (301) is an error response httpd generates itself.
  const std::string& method = request.method;
  if (method == "OPTIONS") {
    return Finish(active, false, 200, Responder::kStatic, Span{}, request, env,
                  &tables);
  }
  if (method != "GET" && method != "HEAD" && method != "POST") {
    return Finish(active, true, 405, Responder::kStatic, Span{}, request, env,
                  &tables);
  }
  int status = request.handler_status;
  bool generated = !((status >= 200 && status < 300) || status == 304);
  return Finish(active, generated, status, Responder::kStatic, Span{}, request,
                env, &tables);
}

// ---------------------------------------------------------------------------
// Loading.

// What in an expression the analyzer cannot evaluate, or empty.
std::string UnknownPart(const StrNode& node) {
  if (node.kind == StrNode::Kind::kUnknown) return node.text;
  for (const StrNode& child : node.children) {
    std::string part = UnknownPart(child);
    if (!part.empty()) return part;
  }
  return "";
}

std::string UnknownPart(const BoolNode& node) {
  if (node.op == BoolNode::Op::kUnknown) return node.unknown;
  for (const StrNode* side : {&node.lhs, &node.rhs}) {
    std::string part = UnknownPart(*side);
    if (!part.empty()) return part;
  }
  for (const StrNode& item : node.list) {
    std::string part = UnknownPart(item);
    if (!part.empty()) return part;
  }
  for (const BoolNode& child : node.children) {
    std::string part = UnknownPart(child);
    if (!part.empty()) return part;
  }
  return "";
}

std::string Lower(std::string_view text) { return ToLower(text); }

bool HasGlob(std::string_view path) {
  return path.find_first_of("*?[") != std::string_view::npos;
}

// SetEnvIf compiles a pattern without unescaped regex metacharacters as a
// literal substring search (mod_setenvif non_regex_pattern).
std::optional<std::string> LiteralPattern(std::string_view pattern) {
  static constexpr std::string_view kMeta = "^.$|()[]*+?{}";
  std::string literal;
  bool in_escape = false;
  for (char c : pattern) {
    if (kMeta.find(c) != std::string_view::npos) {
      if (!in_escape) return std::nullopt;
      in_escape = false;
      literal.push_back(c);
      continue;
    }
    if (c == '\\') {
      if (in_escape) literal.push_back(c);
      in_escape = !in_escape;
      continue;
    }
    if (in_escape) return std::nullopt;
    literal.push_back(c);
  }
  return literal;
}

// The format string of a Header value: text, `%{VAR}e`, other specifiers,
// `%%` and the escapes `\n`, `\r`, `\t`, `\\`.
std::vector<FormatPart> ParseFormat(std::string_view value) {
  std::vector<FormatPart> parts;
  std::string text;
  auto flush = [&]() {
    if (text.empty()) return;
    parts.push_back({FormatPart::Kind::kText, text});
    text.clear();
  };
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && i + 1 < value.size()) {
      char next = value[i + 1];
      if (next == 'n' || next == 'r' || next == 't' || next == '\\') {
        text.push_back(next == 'n'   ? '\n'
                       : next == 'r' ? '\r'
                       : next == 't' ? '\t'
                                     : '\\');
        ++i;
        continue;
      }
    }
    if (c != '%' || i + 1 >= value.size()) {
      text.push_back(c);
      continue;
    }
    if (value[i + 1] == '%') {
      text.push_back('%');
      ++i;
      continue;
    }
    if (value[i + 1] == '{') {
      size_t close = value.find('}', i + 2);
      if (close == std::string_view::npos || close + 1 >= value.size()) {
        text.push_back(c);
        continue;
      }
      std::string name(value.substr(i + 2, close - i - 2));
      char kind = value[close + 1];
      flush();
      parts.push_back(
          {kind == 'e' ? FormatPart::Kind::kEnv : FormatPart::Kind::kUnknown,
           name});
      i = close + 1;
      continue;
    }
    flush();
    parts.push_back({FormatPart::Kind::kUnknown, std::string(1, value[i + 1])});
    ++i;
  }
  flush();
  return parts;
}

bool IsCorsHeader(std::string_view name) {
  return Lower(name).starts_with("access-control-");
}

class Loader {
 public:
  Loader(Document* document, const LoadOptions& options)
      : document_(document), options_(options) {}

  void LoadRoot(const std::string& path, std::string text);

 private:
  struct Context {
    int server = 0;
    int block = 0;  // the block that directives go into
    bool in_vhost = false;
    bool htaccess = false;
  };

  void Error(const Span& span, std::string message) {
    InputError error;
    error.where = Locate(span);
    error.message = std::move(message);
    document_->errors.push_back(std::move(error));
  }
  void Note(const Span& span, std::string message) {
    document_->notes.push_back({span, std::move(message)});
  }

  int NewBlock(BlockKind kind, const Context& context, const Span& span) {
    Block block;
    block.kind = kind;
    block.parent = context.block;
    block.server = context.server;
    block.in_vhost = context.in_vhost;
    block.order = static_cast<int>(config_->blocks.size());
    block.span = span;
    config_->blocks.push_back(std::move(block));
    return static_cast<int>(config_->blocks.size()) - 1;
  }
  Block& block(int index) {
    return config_->blocks[static_cast<size_t>(index)];
  }

  bool ReadFile(const std::string& path, const Span& where,
                const SourceFile** file);
  void ParseAndWalk(const SourceFile* file, const Context& context);
  void Walk(const std::vector<Directive>& directives, const Context& context);
  void WalkSection(const Directive& directive, const Context& context);
  void Include(const Directive& directive, const Context& context,
               bool optional);
  void IncludePath(const std::string& path, const Directive& directive,
                   const Context& context);
  bool Allowed(const std::string& path) const;

  void AddHeader(const Directive& directive, const Context& context);
  void AddSetEnvIf(const Directive& directive, const Context& context,
                   bool no_case);
  void AddRewriteCond(const Directive& directive, const Context& context);
  void AddRewriteRule(const Directive& directive, const Context& context);
  void AddProxyPass(const Directive& directive, const Context& context,
                    bool match);
  void AddRedirect(const Directive& directive, const Context& context);
  void AddOriginChecksOf(const BoolNode& node, const Span& span,
                         const std::string& construct);
  std::shared_ptr<const Regex> CompileRegex(const Word& word, bool icase);
  void CollectEnvReads(const StrNode& node);
  void CollectEnvReads(const BoolNode& node);

  void BuildScopes();

  Document* document_;
  const LoadOptions& options_;
  std::shared_ptr<Config> config_ = std::make_shared<Config>();
  std::vector<std::string> chain_;  // canonical paths of files being read
  std::vector<std::string> allowed_;
  std::optional<std::string> server_root_;
  std::set<std::string> defines_;
  std::vector<RewriteCondition> pending_conditions_;
  // Variables read by Header conditions and values, expressions and
  // RewriteCond; SetEnvIf checks whose variables nobody reads are unused.
  std::set<std::string> env_read_;
  std::vector<std::pair<size_t, std::vector<std::string>>> env_checks_;
  bool main_has_vhosts_ = false;
};

bool Loader::Allowed(const std::string& path) const {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  std::string text = canonical.string();
  for (const std::string& root : allowed_) {
    if (text == root) return true;
    std::string prefix = root.ends_with("/") ? root : root + "/";
    if (text.starts_with(prefix)) return true;
  }
  return false;
}

bool Loader::ReadFile(const std::string& path, const Span& where,
                      const SourceFile** file) {
  std::string text, error;
  if (!ReadSourceFile(path, options_.max_file_bytes, &text, &error,
                      options_.overlay)) {
    Error(where, "cannot read \"" + path + "\": " + error);
    return false;
  }
  *file = document_->AddFile(path, std::move(text));
  return true;
}

void Loader::ParseAndWalk(const SourceFile* file, const Context& context) {
  std::vector<Directive> directives;
  InputError error;
  if (!Parse(*file, &directives, &error)) {
    document_->errors.push_back(error);
  }
  Walk(directives, context);
}

void Loader::LoadRoot(const std::string& path, std::string text) {
  // The root file's directory is always readable.
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  allowed_.push_back(fs::weakly_canonical(absolute.parent_path(), ec).string());
  for (const std::string& root : options_.allowed_roots) {
    allowed_.push_back(fs::weakly_canonical(root, ec).string());
  }

  Server main;
  main.name = "main server";
  config_->servers.push_back(main);
  Context context;
  context.block = -1;
  int level = NewBlock(BlockKind::kServer, context, Span{});
  config_->servers[0].level = level;
  context.block = level;

  if (text.find('\0') != std::string::npos) {
    InputError error;
    error.where.file = path;
    error.message = "binary file (contains NUL bytes)";
    document_->errors.push_back(error);
    return;
  }
  const SourceFile* file = document_->AddFile(path, std::move(text));
  chain_.push_back(fs::weakly_canonical(absolute, ec).string());

  // An .htaccess file is the body of <Directory> for its directory.
  if (absolute.filename() == ".htaccess") {
    std::string directory =
        fs::weakly_canonical(absolute.parent_path(), ec).string();
    Context htaccess = context;
    htaccess.htaccess = true;
    htaccess.block = NewBlock(BlockKind::kHtaccess, context, Span{file, 0, 0});
    Block& created = block(htaccess.block);
    created.pattern = directory;
    created.label = ".htaccess in " + directory;
    created.components = CountComponents(directory);
    ParseAndWalk(file, htaccess);
  } else {
    ParseAndWalk(file, context);
  }

  // SetEnvIf checks are used when something reads one of their variables.
  for (const auto& [index, names] : env_checks_) {
    bool used = false;
    for (const std::string& name : names) used = used || env_read_.count(name);
    document_->origin_checks[index].used = used;
  }
  BuildScopes();
}

void Loader::Walk(const std::vector<Directive>& directives,
                  const Context& context) {
  for (const Directive& directive : directives) {
    if (directive.is_section) {
      WalkSection(directive, context);
      continue;
    }
    const std::string name = Lower(directive.name);
    Block& current = block(context.block);
    Server& server = config_->servers[static_cast<size_t>(context.server)];

    if (name == "include" || name == "includeoptional") {
      Include(directive, context, name == "includeoptional");
    } else if (name == "serverroot" && !directive.args.empty()) {
      server_root_ = directive.args[0].value;
    } else if (name == "define" && !directive.args.empty()) {
      defines_.insert(directive.args[0].value);
    } else if (name == "servername" && !directive.args.empty() &&
               context.server != 0) {
      server.name += " (" + directive.args[0].value + ")";
    } else if (name == "documentroot" && !directive.args.empty()) {
      std::string root = directive.args[0].value;
      while (root.size() > 1 && root.ends_with("/")) root.pop_back();
      server.document_root = root;
    } else if (name == "alias" && directive.args.size() == 2) {
      server.aliases.emplace_back(directive.args[0].value,
                                  directive.args[1].value);
    } else if (name == "header") {
      AddHeader(directive, context);
    } else if (name == "setenvif" || name == "setenvifnocase") {
      AddSetEnvIf(directive, context, name == "setenvifnocase");
    } else if (name == "setenvifexpr" && directive.args.size() >= 2) {
      EnvRule rule;
      rule.test = EnvRule::Test::kExpr;
      rule.span = directive.span;
      std::string error;
      std::unique_ptr<BoolNode> expr =
          ParseCondition(directive.args[0].value, &error);
      if (expr == nullptr) {
        Note(directive.args[0].span,
             "SetEnvIfExpr condition not evaluated: " + error);
        rule.test = EnvRule::Test::kUnknown;
      } else {
        AddOriginChecksOf(*expr, directive.args[0].span, "SetEnvIfExpr");
        CollectEnvReads(*expr);
        rule.expr = std::move(expr);
      }
      for (size_t i = 1; i < directive.args.size(); ++i) {
        const std::string& spec = directive.args[i].value;
        EnvAssignment assignment;
        assignment.unset = spec.starts_with("!");
        std::string body = assignment.unset ? spec.substr(1) : spec;
        size_t equals = body.find('=');
        assignment.name = body.substr(0, equals);
        assignment.value =
            equals == std::string::npos ? "1" : body.substr(equals + 1);
        rule.assignments.push_back(assignment);
      }
      current.env_rules.push_back(std::move(rule));
    } else if ((name == "setenv" || name == "unsetenv") &&
               !directive.args.empty()) {
      EnvRule rule;
      rule.span = directive.span;
      EnvAssignment assignment;
      assignment.name = directive.args[0].value;
      assignment.unset = name == "unsetenv";
      if (directive.args.size() > 1) assignment.value = directive.args[1].value;
      rule.assignments.push_back(assignment);
      current.env_fixups.push_back(std::move(rule));
    } else if ((name == "browsermatch" || name == "browsermatchnocase") &&
               directive.args.size() >= 2) {
      EnvRule rule;
      rule.test = EnvRule::Test::kUnknown;
      rule.span = directive.span;
      for (size_t i = 1; i < directive.args.size(); ++i) {
        std::string spec = directive.args[i].value;
        if (spec.starts_with("!")) spec.erase(0, 1);
        rule.assignments.push_back({spec.substr(0, spec.find('=')), false, ""});
      }
      current.env_rules.push_back(std::move(rule));
      Note(directive.span, "\"" + directive.name +
                               "\" matches the User-Agent; the variables it "
                               "sets are unknown");
    } else if (name == "rewriteengine" && !directive.args.empty()) {
      current.rewrite_engine = EqualsIgnoreCase(directive.args[0].value, "on");
    } else if (name == "rewritecond") {
      AddRewriteCond(directive, context);
    } else if (name == "rewriterule") {
      AddRewriteRule(directive, context);
    } else if (name == "rewriteoptions") {
      Note(directive.span,
           "RewriteOptions is not evaluated; rules are taken from the most "
           "specific block only");
    } else if (name == "proxypass" || name == "proxypassmatch") {
      AddProxyPass(directive, context, name == "proxypassmatch");
    } else if (name == "redirect" || name == "redirectmatch" ||
               name == "redirectpermanent" || name == "redirecttemp") {
      AddRedirect(directive, context);
    } else if (name == "require" && !directive.args.empty()) {
      if (directive.args.size() == 2 &&
          EqualsIgnoreCase(directive.args[0].value, "all")) {
        current.denied = EqualsIgnoreCase(directive.args[1].value, "denied");
        current.require_span = directive.span;
      }
    } else if (name == "errordocument") {
      Note(directive.span,
           "ErrorDocument is not evaluated; error responses are modelled as "
           "httpd's canned pages");
    }
  }
}

void Loader::WalkSection(const Directive& directive, const Context& context) {
  const std::string name = Lower(directive.name);
  std::string label = "<" + directive.name;
  for (const Word& arg : directive.args) label += " " + arg.value;
  label += ">";

  // Conditional sections that only decide whether their body is read.
  if (name == "ifmodule" || name == "ifdefine") {
    std::string argument =
        directive.args.empty() ? "" : directive.args[0].value;
    bool negated = argument.starts_with("!");
    if (negated) argument.erase(0, 1);
    bool holds = name == "ifmodule" ? true : defines_.count(argument) > 0;
    if (holds != negated) Walk(directive.body, context);
    return;
  }
  if (name == "ifversion" || name == "iffile" || name == "ifdirective" ||
      name == "ifsection" || name == "limit" || name == "limitexcept") {
    Walk(directive.body, context);
    return;
  }

  if (name == "virtualhost") {
    if (context.server != 0 || context.htaccess) {
      Note(directive.span, "nested <VirtualHost> ignored");
      return;
    }
    main_has_vhosts_ = true;
    Server server;
    server.name = "virtualhost";
    for (const Word& arg : directive.args) server.name += " " + arg.value;
    Context inner = context;
    inner.server = static_cast<int>(config_->servers.size());
    inner.in_vhost = true;
    inner.block = config_->servers[0].level;
    int level = NewBlock(BlockKind::kServer, inner, directive.span);
    block(level).parent = -1;
    block(level).label = label;
    server.level = level;
    config_->servers.push_back(server);
    inner.block = level;
    Walk(directive.body, inner);
    return;
  }

  // Containers that hold per-directory configuration.
  struct Kind {
    std::string_view name;
    BlockKind kind;
    bool regex;
  };
  static constexpr Kind kKinds[] = {
      {"directory", BlockKind::kDirectory, false},
      {"directorymatch", BlockKind::kDirectoryMatch, true},
      {"files", BlockKind::kFiles, false},
      {"filesmatch", BlockKind::kFilesMatch, true},
      {"location", BlockKind::kLocation, false},
      {"locationmatch", BlockKind::kLocationMatch, true},
      {"proxy", BlockKind::kProxy, false},
      {"proxymatch", BlockKind::kProxy, true},
      {"if", BlockKind::kIf, false},
      {"elseif", BlockKind::kElseIf, false},
      {"else", BlockKind::kElse, false},
  };
  const Kind* kind = nullptr;
  for (const Kind& candidate : kKinds) {
    if (candidate.name == name) kind = &candidate;
  }
  if (kind == nullptr) {
    Note(directive.name_span, "section \"<" + directive.name +
                                  ">\" is not evaluated; its content is "
                                  "ignored");
    return;
  }

  if (kind->kind == BlockKind::kProxy) {
    Note(directive.name_span, "<" + directive.name +
                                  "> sections are not evaluated; what they "
                                  "set is left out");
  }
  Context inner = context;
  int index = NewBlock(kind->kind, context, directive.span);
  inner.block = index;
  Block& created = block(index);
  created.label = label;

  if (kind->kind == BlockKind::kIf || kind->kind == BlockKind::kElseIf) {
    if (directive.args.size() != 1) {
      created.condition_unreadable = true;
      Note(directive.span,
           "<If> condition not evaluated: expected one "
           "quoted expression");
    } else {
      std::string error;
      std::unique_ptr<BoolNode> condition =
          ParseCondition(directive.args[0].value, &error);
      if (condition == nullptr) {
        created.condition_unreadable = true;
        Note(directive.args[0].span,
             "<" + directive.name + "> condition not evaluated: " + error);
      } else {
        AddOriginChecksOf(*condition, directive.args[0].span,
                          "<" + directive.name + "> condition");
        CollectEnvReads(*condition);
        std::string unknown = UnknownPart(*condition);
        if (!unknown.empty()) {
          Note(directive.args[0].span,
               "\"" + unknown + "\" in the <" + directive.name +
                   "> condition is not evaluated; the section applies only "
                   "when the rest of the condition decides");
        }
        block(index).condition = std::move(condition);
      }
    }
  }
  if (kind->kind == BlockKind::kElseIf || kind->kind == BlockKind::kElse) {
    // The chain continues the previous sibling <If> or <ElseIf>.
    for (int i = index - 1; i >= 0; --i) {
      if (block(i).parent != context.block) continue;
      if (MergeGroup(block(i).kind) == 5 && block(i).kind != BlockKind::kElse) {
        block(index).chain_previous = i;
      }
      break;
    }
    if (block(index).chain_previous < 0) {
      Note(directive.span, "<" + directive.name +
                               "> without a preceding "
                               "<If> is ignored");
      block(index).condition_unreadable = true;
    }
  }

  if (kind->kind != BlockKind::kIf && kind->kind != BlockKind::kElseIf &&
      kind->kind != BlockKind::kElse) {
    std::vector<Word> args = directive.args;
    bool regex = kind->regex;
    if (!args.empty() && args[0].value == "~" && !regex) {
      regex = true;
      args.erase(args.begin());
      if (kind->kind == BlockKind::kDirectory) {
        block(index).kind = BlockKind::kDirectoryMatch;
      } else if (kind->kind == BlockKind::kFiles) {
        block(index).kind = BlockKind::kFilesMatch;
      } else if (kind->kind == BlockKind::kLocation) {
        block(index).kind = BlockKind::kLocationMatch;
      }
    }
    if (args.empty()) {
      Note(directive.span, "section \"<" + directive.name +
                               ">\" without an argument is ignored");
      block(index).kind = BlockKind::kProxy;
      return;
    }
    block(index).pattern = args[0].value;
    if (regex) {
      block(index).regex = CompileRegex(args[0], false);
      if (block(index).regex == nullptr) {
        block(index).kind = BlockKind::kProxy;
        return;
      }
    }
    if (block(index).kind == BlockKind::kDirectory) {
      std::string& pattern = block(index).pattern;
      while (pattern.size() > 1 && pattern.ends_with("/")) pattern.pop_back();
      block(index).components = CountComponents(pattern);
    }
  }
  Walk(directive.body, inner);
}

void Loader::CollectEnvReads(const StrNode& node) {
  if (node.kind == StrNode::Kind::kEnv) env_read_.insert(Lower(node.text));
  for (const StrNode& child : node.children) CollectEnvReads(child);
}

void Loader::CollectEnvReads(const BoolNode& node) {
  CollectEnvReads(node.lhs);
  CollectEnvReads(node.rhs);
  for (const StrNode& item : node.list) CollectEnvReads(item);
  for (const BoolNode& child : node.children) CollectEnvReads(child);
}

std::shared_ptr<const Regex> Loader::CompileRegex(const Word& word,
                                                  bool icase) {
  RegexOptions options;
  options.case_insensitive = icase;
  std::string error;
  std::unique_ptr<Regex> regex = Regex::Compile(word.value, options, &error);
  if (regex == nullptr) {
    Note(word.span, "regular expression \"" + word.value +
                        "\" is not evaluated: " + error);
  }
  return regex;
}

void Loader::Include(const Directive& directive, const Context& context,
                     bool optional) {
  if (directive.args.size() != 1) {
    Error(directive.span, "\"" + directive.name + "\" takes one argument");
    return;
  }
  const Word& argument = directive.args[0];
  if (static_cast<int>(chain_.size()) >= kMaxIncludeDepth) {
    Error(argument.span, "includes nested deeper than " +
                             std::to_string(kMaxIncludeDepth) + " levels");
    return;
  }

  // Relative to ServerRoot, or to the including file's directory when no
  // ServerRoot is known.
  fs::path target(argument.value);
  if (target.is_relative()) {
    fs::path base = server_root_
                        ? fs::path(*server_root_)
                        : fs::path(argument.span.file->path()).parent_path();
    target = base / target;
  }
  std::string pattern = target.lexically_normal().string();

  if (!HasGlob(pattern)) {
    std::error_code ec;
    if (!fs::exists(pattern, ec)) {
      if (optional) return;
      Error(argument.span,
            "cannot read \"" + pattern + "\": No such file or directory");
      return;
    }
    IncludePath(pattern, directive, context);
    return;
  }

  glob_t matches;
  int rc = glob(pattern.c_str(), 0, nullptr, &matches);
  std::vector<std::string> paths;
  if (rc == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      paths.emplace_back(matches.gl_pathv[i]);
    }
  }
  globfree(&matches);
  if (paths.empty()) {
    if (!optional) {
      Error(argument.span,
            "no matches for the wildcard \"" + argument.value + "\"");
    }
    return;
  }
  std::sort(paths.begin(), paths.end());
  for (const std::string& path : paths) IncludePath(path, directive, context);
}

void Loader::IncludePath(const std::string& path, const Directive& directive,
                         const Context& context) {
  const Word& argument = directive.args[0];
  if (!Allowed(path)) {
    Error(argument.span,
          "include \"" + path +
              "\" is outside the checked tree; allow its directory with "
              "--include-root");
    document_->errors.back().warning = true;
    Note(argument.span, "the content of \"" + path + "\" is not known");
    return;
  }

  // A directory includes every file below it, in alphabetical order.
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(
             path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) IncludePath(file, directive, context);
    return;
  }

  std::string canonical = fs::weakly_canonical(path, ec).string();
  auto cycle = std::find(chain_.begin(), chain_.end(), canonical);
  if (cycle != chain_.end()) {
    std::string text;
    for (auto it = cycle; it != chain_.end(); ++it) text += *it + " -> ";
    Error(argument.span, "include cycle: " + text + canonical);
    return;
  }

  const SourceFile* file = nullptr;
  if (!ReadFile(path, argument.span, &file)) return;
  chain_.push_back(canonical);
  ParseAndWalk(file, context);
  chain_.pop_back();
}

void Loader::AddHeader(const Directive& directive, const Context& context) {
  std::vector<Word> args = directive.args;
  HeaderAction action;
  action.span = directive.span;
  std::string table = "onsuccess";
  bool explicit_table = false;
  if (!args.empty() && (EqualsIgnoreCase(args[0].value, "always") ||
                        EqualsIgnoreCase(args[0].value, "onsuccess"))) {
    table = Lower(args[0].value);
    explicit_table = true;
    action.always = table == "always";
    args.erase(args.begin());
  }
  if (args.size() < 2) {
    Note(directive.span, "Header directive not understood");
    return;
  }

  std::string op = Lower(args[0].value);
  static constexpr std::pair<std::string_view, HeaderAction::Op> kOps[] = {
      {"set", HeaderAction::Op::kSet},
      {"append", HeaderAction::Op::kAppend},
      {"add", HeaderAction::Op::kAdd},
      {"merge", HeaderAction::Op::kMerge},
      {"setifempty", HeaderAction::Op::kSetIfEmpty},
      {"unset", HeaderAction::Op::kUnset},
      {"edit", HeaderAction::Op::kEdit},
      {"edit*", HeaderAction::Op::kEditAll},
      {"echo", HeaderAction::Op::kIgnored},
      {"note", HeaderAction::Op::kIgnored},
  };
  bool found = false;
  for (const auto& [word, value] : kOps) {
    if (op != word) continue;
    action.op = value;
    found = true;
  }
  if (!found) {
    Note(args[0].span,
         "Header action \"" + args[0].value + "\" not understood");
    return;
  }
  action.mechanism = "Header " + (explicit_table ? table + " " : "") + op;
  action.name = args[1].value;
  if (action.name.ends_with(":")) action.name.pop_back();

  // Value words, then at most one condition word.
  size_t values = 1;
  if (action.op == HeaderAction::Op::kUnset ||
      action.op == HeaderAction::Op::kIgnored) {
    values = 0;
  } else if (action.op == HeaderAction::Op::kEdit ||
             action.op == HeaderAction::Op::kEditAll) {
    values = 2;
  }
  if (args.size() < 2 + values) {
    Note(directive.span, "Header directive lacks its value");
    return;
  }
  const Word* value_word = values > 0 ? &args[2] : nullptr;
  for (size_t i = 2 + values; i < args.size(); ++i) {
    const std::string& word = args[i].value;
    std::string lower = Lower(word);
    if (lower == "early") {
      Note(args[i].span, "Header early is modelled like a late Header");
    } else if (lower.starts_with("env=")) {
      action.env = word.substr(4);
      if (action.env.starts_with("!")) {
        action.env_negated = true;
        action.env.erase(0, 1);
      }
      env_read_.insert(Lower(action.env));
    } else if (lower.starts_with("expr=")) {
      std::string error;
      std::unique_ptr<BoolNode> condition =
          ParseCondition(word.substr(5), &error);
      if (condition == nullptr) {
        action.condition_unreadable = true;
        Note(args[i].span, "Header condition not evaluated: " + error +
                               "; the header is left out");
      } else {
        AddOriginChecksOf(*condition, args[i].span, "Header expr= condition");
        CollectEnvReads(*condition);
        std::string unknown = UnknownPart(*condition);
        if (!unknown.empty()) {
          Note(args[i].span, "\"" + unknown +
                                 "\" in the Header condition is not "
                                 "evaluated; the header is sent only when the "
                                 "rest of the condition decides");
        }
        action.condition = std::move(condition);
      }
    } else {
      Note(args[i].span, "Header parameter \"" + word + "\" not understood");
      return;
    }
  }

  if (value_word != nullptr && action.op != HeaderAction::Op::kEdit &&
      action.op != HeaderAction::Op::kEditAll) {
    const std::string& value = value_word->value;
    if (Lower(value).starts_with("expr=")) {
      std::string error;
      std::unique_ptr<StrNode> expr = ParseStringExpr(value.substr(5), &error);
      if (expr == nullptr) {
        Note(value_word->span, "Header value not evaluated: " + error);
        action.format = {{FormatPart::Kind::kUnknown, value}};
      } else {
        CollectEnvReads(*expr);
        std::string unknown = UnknownPart(*expr);
        if (!unknown.empty()) {
          Note(value_word->span, "\"" + unknown +
                                     "\" in the Header value is not "
                                     "evaluated; the value is unknown");
        }
        action.value_expr = std::move(expr);
      }
    } else {
      action.format = ParseFormat(value);
      for (const FormatPart& part : action.format) {
        if (part.kind == FormatPart::Kind::kEnv) {
          env_read_.insert(Lower(part.text));
        }
        if (part.kind == FormatPart::Kind::kUnknown) {
          Note(value_word->span, "format specifier \"%" + part.text +
                                     "\" is not evaluated; the value is "
                                     "unknown");
        }
      }
    }

    // A fixed origin: the whole value is literal text.
    bool literal = action.value_expr == nullptr && action.format.size() == 1 &&
                   action.format[0].kind == FormatPart::Kind::kText;
    if (EqualsIgnoreCase(action.name, "Access-Control-Allow-Origin") &&
        literal && action.op != HeaderAction::Op::kUnset &&
        action.format[0].text != "*" && !action.format[0].text.empty()) {
      OriginCheck check;
      check.kind = OriginCheckKind::kFixed;
      check.pattern = action.format[0].text;
      check.span = value_word->span;
      check.construct = action.mechanism + " value";
      document_->origin_checks.push_back(std::move(check));
    }
  }
  if (action.op == HeaderAction::Op::kEdit ||
      action.op == HeaderAction::Op::kEditAll) {
    if (IsCorsHeader(action.name)) {
      Note(directive.span,
           "Header edit is not evaluated; the edited value "
           "is unknown");
    }
  }
  block(context.block).headers.push_back(std::move(action));
}

void Loader::AddSetEnvIf(const Directive& directive, const Context& context,
                         bool no_case) {
  if (directive.args.size() < 3) {
    Note(directive.span, "\"" + directive.name +
                             "\" needs an attribute, a "
                             "pattern and a variable");
    return;
  }
  EnvRule rule;
  rule.test = EnvRule::Test::kAttribute;
  rule.span = directive.span;
  rule.attribute = directive.args[0].value;
  rule.case_insensitive = no_case;
  const Word& pattern = directive.args[1];

  std::vector<std::string> names;
  for (size_t i = 2; i < directive.args.size(); ++i) {
    const std::string& spec = directive.args[i].value;
    EnvAssignment assignment;
    assignment.unset = spec.starts_with("!");
    std::string body = assignment.unset ? spec.substr(1) : spec;
    size_t equals = body.find('=');
    assignment.name = body.substr(0, equals);
    assignment.value =
        equals == std::string::npos ? "1" : body.substr(equals + 1);
    if (!assignment.unset) names.push_back(Lower(assignment.name));
    rule.assignments.push_back(assignment);
  }

  // An attribute with regex characters matches request header names.
  if (rule.attribute.find_first_of("^.$|()[]*+?{}\\") != std::string::npos) {
    rule.test = EnvRule::Test::kUnknown;
    Note(directive.args[0].span, "SetEnvIf on header names matching \"" +
                                     rule.attribute + "\" is not evaluated");
    block(context.block).env_rules.push_back(std::move(rule));
    return;
  }

  std::string attribute = Lower(rule.attribute);
  if (attribute == "remote_addr" || attribute == "remote_host" ||
      attribute == "server_addr") {
    Note(directive.args[0].span, "\"" + rule.attribute +
                                     "\" is not known to the analyzer; the "
                                     "variables this sets are unknown");
  }

  std::optional<std::string> literal = LiteralPattern(pattern.value);
  OriginCheck check;
  check.case_insensitive = no_case;
  check.pattern = pattern.value;
  check.span = pattern.span;
  if (literal) {
    rule.literal = true;
    rule.literal_text = *literal;
    check.kind = OriginCheckKind::kSubstring;
    check.pattern = *literal;
    check.construct = directive.name + " literal pattern";
  } else {
    rule.regex = CompileRegex(pattern, no_case);
    if (rule.regex == nullptr) {
      rule.test = EnvRule::Test::kUnknown;
    }
    check.kind = OriginCheckKind::kRegex;
    check.regex = rule.regex;
    check.construct = directive.name + " regex";
  }
  if (EqualsIgnoreCase(rule.attribute, "Origin") &&
      rule.test == EnvRule::Test::kAttribute) {
    env_checks_.emplace_back(document_->origin_checks.size(), names);
    document_->origin_checks.push_back(std::move(check));
  }
  block(context.block).env_rules.push_back(std::move(rule));
}

// The test string of RewriteCond: text with %{VAR}, %{HTTP:header} and
// %{ENV:var}; back-references and other lookups are unknown.
StrNode RewriteSubject(std::string_view text) {
  StrNode node;
  node.kind = StrNode::Kind::kConcat;
  std::string literal;
  auto flush = [&]() {
    if (literal.empty()) return;
    StrNode part;
    part.text = literal;
    node.children.push_back(part);
    literal.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '$' || c == '%') && i + 1 < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      flush();
      StrNode part;
      part.kind = StrNode::Kind::kUnknown;
      node.children.push_back(part);
      ++i;
      continue;
    }
    if (c != '%' || i + 1 >= text.size() || text[i + 1] != '{') {
      literal.push_back(c);
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string_view::npos) {
      literal.push_back(c);
      continue;
    }
    flush();
    std::string inside(text.substr(i + 2, close - i - 2));
    i = close;
    StrNode part;
    std::string upper = inside;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
    if (upper.starts_with("HTTP:")) {
      part.kind = StrNode::Kind::kHeader;
      part.text = inside.substr(5);
    } else if (upper.starts_with("ENV:")) {
      part.kind = StrNode::Kind::kEnv;
      part.text = inside.substr(4);
    } else if (upper == "REQUEST_METHOD") {
      part.kind = StrNode::Kind::kMethod;
    } else if (upper == "REQUEST_URI") {
      part.kind = StrNode::Kind::kPath;
    } else if (upper.starts_with("HTTP_") && upper != "HTTP_ORIGIN") {
      part.kind = StrNode::Kind::kHeader;
      part.text = inside.substr(5);
      for (char& ch : part.text) {
        if (ch == '_') ch = '-';
      }
    } else {
      part.kind = StrNode::Kind::kUnknown;
      part.text = inside;
    }
    node.children.push_back(part);
  }
  flush();
  if (node.children.size() == 1) return node.children.front();
  return node;
}

// Flags in `[A,B=c]`, lower-cased.
std::vector<std::string> RewriteFlags(const std::vector<Word>& args,
                                      size_t index) {
  std::vector<std::string> flags;
  if (args.size() <= index) return flags;
  std::string text = args[index].value;
  if (text.starts_with("[")) text.erase(0, 1);
  if (text.ends_with("]")) text.pop_back();
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string flag = text.substr(start, comma - start);
    if (!flag.empty()) flags.push_back(flag);
    start = comma + 1;
  }
  return flags;
}

void Loader::AddRewriteCond(const Directive& directive,
                            const Context& context) {
  (void)context;
  if (directive.args.size() < 2) {
    Note(directive.span, "RewriteCond needs a test string and a pattern");
    return;
  }
  RewriteCondition condition;
  condition.subject = RewriteSubject(directive.args[0].value);
  bool icase = false;
  for (const std::string& flag : RewriteFlags(directive.args, 2)) {
    std::string lower = Lower(flag);
    if (lower == "nc" || lower == "nocase") icase = true;
    if (lower == "or" || lower == "ornext") condition.or_next = true;
  }
  CollectEnvReads(condition.subject);

  Word pattern = directive.args[1];
  if (pattern.value.starts_with("!")) {
    condition.negated = true;
    pattern.value.erase(0, 1);
  }
  if (pattern.value.starts_with("=")) {
    condition.kind = RewriteCondition::Kind::kEqual;
    condition.text = pattern.value.substr(1);
    if (condition.text == "\"\"") condition.text.clear();
  } else if (pattern.value.starts_with("-") || pattern.value.starts_with("<") ||
             pattern.value.starts_with(">")) {
    condition.kind = RewriteCondition::Kind::kUnknown;
    Note(directive.args[1].span, "RewriteCond test \"" + pattern.value +
                                     "\" is not evaluated; the rule is "
                                     "taken as not applying");
  } else {
    condition.regex = CompileRegex(pattern, icase);
    if (condition.regex == nullptr) {
      condition.kind = RewriteCondition::Kind::kUnknown;
    }
  }

  if (condition.subject.IsHeader("Origin") &&
      condition.kind == RewriteCondition::Kind::kRegex) {
    OriginCheck check;
    check.kind = OriginCheckKind::kRegex;
    check.pattern = pattern.value;
    check.case_insensitive = icase;
    check.regex = condition.regex;
    check.negated = condition.negated;
    check.span = directive.args[1].span;
    check.construct = "RewriteCond";
    document_->origin_checks.push_back(std::move(check));
  }
  pending_conditions_.push_back(std::move(condition));
}

void Loader::AddRewriteRule(const Directive& directive,
                            const Context& context) {
  std::vector<RewriteCondition> conditions = std::move(pending_conditions_);
  pending_conditions_.clear();
  if (directive.args.size() < 2) {
    Note(directive.span, "RewriteRule needs a pattern and a substitution");
    return;
  }
  RewriteRuleEntry rule;
  rule.conditions = std::move(conditions);
  rule.span = directive.span;
  bool icase = false;
  for (const std::string& flag : RewriteFlags(directive.args, 2)) {
    std::string lower = Lower(flag);
    std::string value;
    size_t equals = lower.find('=');
    if (equals != std::string::npos) {
      value = flag.substr(equals + 1);
      lower = lower.substr(0, equals);
    }
    if (lower == "nc" || lower == "nocase") {
      icase = true;
    } else if (lower == "r" || lower == "redirect") {
      std::string word = Lower(value);
      rule.status = word.empty() || word == "temp" ? 302
                    : word == "permanent"          ? 301
                    : word == "seeother"           ? 303
                                                   : std::atoi(value.c_str());
    } else if (lower == "f" || lower == "forbidden") {
      rule.status = 403;
    } else if (lower == "g" || lower == "gone") {
      rule.status = 410;
    } else if (lower == "p" || lower == "proxy") {
      rule.proxy = true;
    } else if (lower == "l" || lower == "last" || lower == "end") {
      rule.last = true;
    } else if (lower == "e" || lower == "env") {
      size_t colon = value.find(':');
      EnvAssignment assignment;
      std::string name = value.substr(0, colon);
      assignment.unset = name.starts_with("!");
      if (assignment.unset) name.erase(0, 1);
      assignment.name = name;
      assignment.value =
          colon == std::string::npos ? "" : value.substr(colon + 1);
      rule.env.push_back(assignment);
    } else if (lower == "s" || lower == "skip" || lower == "c" ||
               lower == "chain" || lower == "n" || lower == "next") {
      Note(directive.span,
           "RewriteRule flag \"" + flag + "\" is not evaluated");
    }
  }

  Word pattern = directive.args[0];
  if (pattern.value.starts_with("!")) {
    rule.negated = true;
    pattern.value.erase(0, 1);
  }
  rule.pattern = CompileRegex(pattern, icase);
  if (rule.pattern == nullptr) return;
  if (rule.status == 0 && !rule.proxy && directive.args[1].value != "-") {
    rule.internal = true;
    Note(directive.span,
         "RewriteRule rewrites the path internally; what "
         "answers the new path is not followed");
  }
  Block& current = block(context.block);
  current.has_rewrite_rules = true;
  current.rewrites.push_back(std::move(rule));
}

void Loader::AddProxyPass(const Directive& directive, const Context& context,
                          bool match) {
  Block& current = block(context.block);
  ProxyEntry entry;
  entry.span = directive.span;
  bool inside = current.kind == BlockKind::kLocation ||
                current.kind == BlockKind::kLocationMatch;
  if (directive.args.empty()) return;
  size_t target = 0;
  if (!inside) {
    if (directive.args.size() < 2) return;
    if (match) {
      entry.regex = CompileRegex(directive.args[0], false);
      if (entry.regex == nullptr) return;
    } else {
      entry.path = directive.args[0].value;
    }
    target = 1;
  }
  entry.excluded = directive.args[target].value == "!";
  current.proxies.push_back(std::move(entry));
}

void Loader::AddRedirect(const Directive& directive, const Context& context) {
  Block& current = block(context.block);
  std::string name = Lower(directive.name);
  std::vector<Word> args = directive.args;
  RedirectEntry entry;
  entry.span = directive.span;
  if (name == "redirectpermanent") entry.status = 301;
  if (name == "redirecttemp") entry.status = 302;
  if ((name == "redirect" || name == "redirectmatch") && !args.empty()) {
    std::string word = Lower(args[0].value);
    bool numeric =
        !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        });
    if (word == "permanent" || word == "temp" || word == "seeother" ||
        word == "gone" || numeric) {
      entry.status = word == "permanent"  ? 301
                     : word == "temp"     ? 302
                     : word == "seeother" ? 303
                     : word == "gone"     ? 410
                                          : std::atoi(word.c_str());
      args.erase(args.begin());
    }
  }
  if (current.kind != BlockKind::kServer) {
    current.redirects.push_back(std::move(entry));
    return;
  }
  if (args.empty()) return;
  if (name == "redirectmatch") {
    entry.regex = CompileRegex(args[0], false);
    if (entry.regex == nullptr) return;
  } else {
    entry.path = args[0].value;
  }
  current.redirects.push_back(std::move(entry));
}

void Loader::AddOriginChecksOf(const BoolNode& node, const Span& span,
                               const std::string& construct) {
  ForEachHeaderTest(node, [&](const BoolNode& test, bool negated) {
    if (!test.lhs.IsHeader("Origin")) return;
    auto add = [&](OriginCheckKind kind, std::string pattern) {
      OriginCheck check;
      check.kind = kind;
      check.pattern = std::move(pattern);
      check.case_insensitive = test.case_insensitive;
      check.negated = negated;
      check.span = span;
      check.construct = construct;
      if (kind == OriginCheckKind::kRegex) check.regex = test.regex;
      document_->origin_checks.push_back(std::move(check));
    };
    switch (test.op) {
      case BoolNode::Op::kRegexMatch:
      case BoolNode::Op::kRegexNoMatch:
        negated = negated != (test.op == BoolNode::Op::kRegexNoMatch);
        add(OriginCheckKind::kRegex, test.regex_source);
        return;
      case BoolNode::Op::kEqual:
      case BoolNode::Op::kNotEqual:
        if (test.rhs.kind != StrNode::Kind::kLiteral) return;
        negated = negated != (test.op == BoolNode::Op::kNotEqual);
        add(OriginCheckKind::kExact, test.rhs.text);
        return;
      case BoolNode::Op::kIn:
        for (const StrNode& item : test.list) {
          if (item.kind == StrNode::Kind::kLiteral) {
            add(OriginCheckKind::kExact, item.text);
          }
        }
        return;
      case BoolNode::Op::kStrMatch:
      case BoolNode::Op::kStrCMatch: {
        if (test.rhs.kind != StrNode::Kind::kLiteral) return;
        // A wildcard, evaluated as the equivalent anchored regex.
        std::string source = "^";
        for (char c : test.rhs.text) {
          if (c == '*') {
            source += ".*";
          } else if (c == '?') {
            source += ".";
          } else if (std::isalnum(static_cast<unsigned char>(c))) {
            source.push_back(c);
          } else {
            source += "\\";
            source.push_back(c);
          }
        }
        source += "$";
        RegexOptions options;
        options.case_insensitive = test.op == BoolNode::Op::kStrCMatch;
        std::string error;
        std::shared_ptr<const Regex> regex =
            Regex::Compile(source, options, &error);
        if (regex == nullptr) return;
        OriginCheck check;
        check.kind = OriginCheckKind::kRegex;
        check.pattern = test.rhs.text;
        check.case_insensitive = options.case_insensitive;
        check.regex = regex;
        check.negated = negated;
        check.span = span;
        check.construct = construct + " -strmatch";
        document_->origin_checks.push_back(std::move(check));
        return;
      }
      default:
        return;
    }
  });
}

// ---------------------------------------------------------------------------
// Scopes.

std::optional<std::string> FilePathFor(const Server& server, const Server& main,
                                       const std::string& url) {
  const std::vector<std::pair<std::string, std::string>>* alias_lists[] = {
      &server.aliases, &main.aliases};
  for (const auto* aliases : alias_lists) {
    for (const auto& [prefix, target] : *aliases) {
      if (!LocationMatches(prefix, url)) continue;
      return target + url.substr(prefix.size());
    }
  }
  std::optional<std::string> root =
      server.document_root ? server.document_root : main.document_root;
  if (!root) return std::nullopt;
  return *root + (url == "/" ? "" : url);
}

// A URL-path that reaches a regex container, for demonstrations: the
// literal start of the pattern.
std::string SamplePathOfRegex(std::string_view pattern) {
  std::string path;
  size_t i = pattern.starts_with("^") ? 1 : 0;
  for (; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() &&
        !std::isalnum(static_cast<unsigned char>(pattern[i + 1]))) {
      path.push_back(pattern[++i]);
      continue;
    }
    if (std::string_view("^$.|()[]*+?{}\\").find(c) != std::string_view::npos) {
      break;
    }
    path.push_back(c);
  }
  if (path.empty() || path[0] != '/') path.insert(path.begin(), '/');
  return path;
}

std::string SampleName(std::string_view wildcard) {
  std::string name;
  for (char c : wildcard) {
    if (c == '*' || c == '?') {
      name.push_back('x');
      continue;
    }
    if (c == '[') break;
    name.push_back(c);
  }
  return name;
}

void Loader::BuildScopes() {
  const Config& config = *config_;
  const Server& main = config.servers[0];
  bool htaccess_only = false;
  for (const Block& candidate : config.blocks) {
    if (candidate.kind == BlockKind::kHtaccess) htaccess_only = true;
  }

  auto add = [&](int server, std::string name, Span span, int own,
                 std::string url, std::optional<std::string> file) {
    auto scope = std::make_unique<ApacheScope>(config_, server, own, url, file);
    scope->name = std::move(name);
    scope->span = span;
    scope->sample_path = std::move(url);
    document_->scopes.push_back(std::move(scope));
  };

  // The server scopes: each virtual host, or the main server without any,
  // and the paths that server-level ProxyPass sends upstream.
  for (size_t s = 0; s < config.servers.size() && !htaccess_only; ++s) {
    if (s == 0 && config.servers.size() > 1) continue;
    const Server& server = config.servers[s];
    const Block& level = config.blocks[static_cast<size_t>(server.level)];
    int index = static_cast<int>(s);
    add(index, server.name, level.span, -1, "/",
        FilePathFor(server, main, "/"));
    for (const ProxyEntry& entry : level.proxies) {
      if (entry.excluded) continue;
      std::string url = entry.regex != nullptr
                            ? SamplePathOfRegex(entry.regex->pattern())
                            : entry.path;
      add(index, server.name + ", ProxyPass " + url, entry.span, -1, url,
          std::nullopt);
    }
  }

  // Containers that change responses, themselves or through a nested one.
  for (size_t i = 0; i < config.blocks.size(); ++i) {
    const Block& candidate = config.blocks[i];
    int group = MergeGroup(candidate.kind);
    if (group == 0 || group == 5 || candidate.kind == BlockKind::kProxy) {
      continue;
    }
    bool affects = candidate.Affects();
    for (const Block& child : config.blocks) {
      for (int at = child.parent; at >= 0 && !affects;
           at = config.blocks[static_cast<size_t>(at)].parent) {
        if (at == static_cast<int>(i) && child.Affects()) affects = true;
      }
    }
    if (!affects) continue;

    const Server& server =
        config.servers[static_cast<size_t>(candidate.server)];
    std::string url = "/";
    std::optional<std::string> file;
    switch (candidate.kind) {
      case BlockKind::kLocation:
        url = candidate.pattern;
        file = FilePathFor(server, main, url);
        break;
      case BlockKind::kLocationMatch:
        url = SamplePathOfRegex(candidate.pattern);
        file = FilePathFor(server, main, url);
        break;
      case BlockKind::kDirectory:
      case BlockKind::kHtaccess: {
        file = candidate.pattern;
        std::optional<std::string> root =
            server.document_root ? server.document_root : main.document_root;
        if (root && DirectoryMatches(*root, candidate.pattern)) {
          url = candidate.pattern.substr(root->size());
          if (url.empty()) url = "/";
        }
        break;
      }
      case BlockKind::kFiles:
        url = "/" + SampleName(candidate.pattern);
        file = FilePathFor(server, main, url);
        break;
      default:
        break;
    }
    std::string name =
        htaccess_only ? candidate.label : server.name + ", " + candidate.label;
    add(candidate.server, name, candidate.span, static_cast<int>(i), url, file);
  }

  // Routing, for `corslint simulate`: the first virtual host (or the main
  // server without any) serves every path, whatever the host name, since
  // ServerName is not modelled. A scope is made for each path asked for,
  // so that every container and ProxyPass that applies to it is merged.
  if (htaccess_only) return;
  struct Routed {
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<Scope>, std::less<>> scopes;
  };
  auto routed = std::make_shared<Routed>();
  std::shared_ptr<const Config> shared = config_;
  int serving = config.servers.size() > 1 ? 1 : 0;
  document_->route = [shared, serving, routed](
                         std::string_view,
                         std::string_view path) -> const Scope* {
    std::lock_guard<std::mutex> lock(routed->mutex);
    auto found = routed->scopes.find(path);
    if (found != routed->scopes.end()) return found->second.get();
    const Server& server = shared->servers[static_cast<size_t>(serving)];
    std::string url(path);
    auto scope = std::make_unique<ApacheScope>(
        shared, serving, -1, url, FilePathFor(server, shared->servers[0], url));
    scope->name = server.name + ", " + url;
    scope->span = shared->blocks[static_cast<size_t>(server.level)].span;
    scope->sample_path = url;
    const Scope* result = scope.get();
    routed->scopes.emplace(url, std::move(scope));
    return result;
  };
}

}  // namespace

std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options) {
  auto document = std::make_unique<Document>();
  document->format = Format::kApache;
  document->path = path;
  Loader loader(document.get(), options);
  loader.LoadRoot(path, std::move(text));
  return document;
}

bool LooksLikeApache(const std::string& text) {
  static constexpr std::string_view kDirectives[] = {
      "header ",        "setenvif ",    "setenvifnocase ",
      "rewriteengine ", "rewritecond ", "rewriterule ",
      "servername ",    "serveralias ", "documentroot ",
      "loadmodule ",    "options ",     "allowoverride ",
      "require ",       "proxypass ",   "proxypassreverse ",
      "errorlog ",      "customlog ",   "directoryindex ",
      "alias ",         "redirect ",    "addtype ",
      "expiresactive ", "serveradmin ", "sslengine ",
  };
  int apache = 0, nginx = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line[0]))) {
      line.remove_prefix(1);
    }
    while (!line.empty() &&
           std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    if (line.empty() || line[0] == '#') continue;

    // nginx statements end in `;`, `{` or `}`.
    char last = line.back();
    if (last == ';' || last == '{' || last == '}') {
      ++nginx;
      continue;
    }
    if (line[0] == '<' && line.size() > 1 &&
        (std::isalpha(static_cast<unsigned char>(line[1])) || line[1] == '/') &&
        last == '>') {
      apache += 2;
      continue;
    }
    std::string lower = ToLower(line.substr(0, 24));
    for (std::string_view directive : kDirectives) {
      if (lower.starts_with(directive)) {
        ++apache;
        break;
      }
    }
  }
  return apache > 0 && apache > nginx;
}

}  // namespace corslint::apache
