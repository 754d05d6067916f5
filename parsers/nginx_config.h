// The compiled form of an nginx configuration that scopes answer requests
// from: levels (http, server, location, if) with their own and effective
// directives, maps, and the rewrite-phase statements. Built once per
// document by BuildConfig; read-only afterwards, shared by every scope.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/policy.h"
#include "analyzer/regex.h"
#include "analyzer/source.h"
#include "parsers/nginx_syntax.h"

namespace corslint::nginx {

// One piece of a complex value (ngx_http_script_compile).
struct ValuePart {
  enum class Kind {
    kText,           // `text`
    kCapture,        // $1..$9 of the last successful regex, in `index`
    kRequestHeader,  // $http_*: the request header named `text`
    kMethod,         // $request_method
    kUri,            // $uri, $document_uri: the current, rewritten path
    kRequestUri,     // $request_uri: the path as requested
    kSetVariable,    // a variable assigned by `set`, slot `index`
    kMapVariable,    // a `map` result, map number `index`
    kUnknown,        // any other variable, named `text`
  };
  Kind kind = Kind::kText;
  std::string text;
  int index = 0;
};

// A directive argument that may hold variables.
struct ComplexValue {
  std::vector<ValuePart> parts;
  Span span;

  bool constant() const;
  // The text when constant(); empty otherwise.
  std::string ConstantText() const;
  // Whether the value is exactly one variable part of `kind`.
  bool IsOnly(ValuePart::Kind kind) const;
};

// The value of a complex value for one request.
struct Evaluated {
  std::string value;
  bool known = true;
};

struct Map {
  std::string variable;  // without `$`, lower case
  ComplexValue source;
  Span span;  // the `map` word
  bool hostnames = false;
  bool is_volatile = false;
  // An include inside the block could not be read: lookups that reach the
  // default are unknown.
  bool incomplete = false;

  std::unordered_map<std::string, ComplexValue> exact;  // lower-case keys
  struct Mask {
    OriginCheck check;  // kHostnameMask, used for its matching only
    size_t length = 0;  // the mask without `*`, for longest-match priority
    ComplexValue value;
  };
  std::vector<Mask> head_masks;  // `*.a.com`, `.a.com`
  std::vector<Mask> tail_masks;  // `a.*`
  struct RegexKey {
    std::shared_ptr<const Regex> regex;
    ComplexValue value;
  };
  std::vector<RegexKey> regexes;  // in order of appearance
  std::optional<ComplexValue> default_value;
};

// An `if` condition (ngx_http_rewrite_if_condition).
struct Condition {
  enum class Kind {
    kVariable,  // ($v): true when not empty and not "0"
    kEquals,    // = and !=
    kRegex,     // ~ ~* !~ !~*
    kUnknown,   // -f -d -e -x and what cannot be read
  };
  Kind kind = Kind::kUnknown;
  ComplexValue subject;
  ComplexValue operand;  // kEquals
  std::shared_ptr<const Regex> regex;
  bool negated = false;
};

struct Level;

// A directive of the rewrite module, run in textual order.
struct Statement {
  enum class Kind { kSet, kIf, kReturn, kRewrite, kBreak };
  enum class Flag { kNone, kLast, kBreak, kRedirect, kPermanent };
  Kind kind = Kind::kSet;
  Span span;

  int slot = 0;        // kSet
  ComplexValue value;  // kSet value, kReturn text, kRewrite replacement

  const Level* level = nullptr;  // kIf: the block, its condition and body

  int status = 0;         // kReturn
  bool has_text = false;  // kReturn: a text or URL follows the code

  std::shared_ptr<const Regex> regex;  // kRewrite
  Flag flag = Flag::kNone;             // kRewrite
};

struct AddHeader {
  std::string name;
  ComplexValue value;
  bool always = false;
  Span span;  // the directive
};

// One more_set_headers or more_clear_headers directive.
struct MoreHeaders {
  bool clear = false;
  std::vector<int> statuses;  // empty: every status
  bool has_types = false;     // -t: depends on the Content-Type
  bool append = false;        // -a
  struct Entry {
    std::string name;
    bool prefix = false;                // `Name*` in more_clear_headers
    std::optional<ComplexValue> value;  // absent or empty: clear
  };
  std::vector<Entry> entries;
  Span span;
};

enum class InheritMode { kOn, kOff, kMerge };

// The modules that pass requests to an upstream, each with its own
// `*_hide_header` and `*_intercept_errors`.
enum class Upstream { kProxy, kFastcgi, kUwsgi, kScgi, kGrpc, kMemcached };
inline constexpr size_t kUpstreamCount = 6;

struct Pass {
  Upstream module = Upstream::kProxy;
  Span span;
};

struct ErrorPage {
  std::vector<int> codes;
  int overwrite = 0;  // `=code`: that code; `=`: -1; absent: 0
  ComplexValue target;
  Span span;
};

struct TryFiles {
  // The last argument: `=code`, `@name` or a URI.
  int status = 0;
  ComplexValue fallback;
  Span span;
};

enum class LocationKind { kPrefix, kNoRegex, kExact, kRegex, kNamed };

// http, server, location or `if` block, with the directives that matter to
// CORS. `Own` members hold what the block says itself; `effective` members
// are merged from the enclosing levels the way nginx merges them.
struct Level {
  enum class Kind { kHttp, kServer, kLocation, kIf };
  Kind kind = Kind::kHttp;
  const Level* parent = nullptr;
  const Level* server = nullptr;  // the enclosing server, or itself
  Span span;                      // the directive's first word
  std::string label;              // `location /v1/`, `server a.com`, ...

  // kLocation.
  LocationKind location_kind = LocationKind::kPrefix;
  std::string pattern;
  std::shared_ptr<const Regex> regex;
  // The regex locations from the outermost down to this one, whose
  // captures a request that reaches it has set.
  std::vector<const Regex*> capturing;
  // Locations directly inside, by how nginx searches them.
  std::vector<const Level*> prefix_locations;  // prefix, ^~ and =
  std::vector<const Level*> regex_locations;   // in order
  std::vector<const Level*> named_locations;   // kServer only

  // kServer: server_name values, lower case, and `listen ... default_server`.
  std::vector<std::string> server_names;
  std::vector<std::shared_ptr<const Regex>> server_regexes;  // `~` names
  bool default_server = false;

  // kIf.
  Condition condition;

  // Own directives.
  std::vector<AddHeader> add_headers;
  std::optional<InheritMode> inherit;
  std::vector<MoreHeaders> more_headers;
  std::array<std::optional<std::vector<std::string>>, kUpstreamCount> hide;
  std::array<std::optional<bool>, kUpstreamCount> intercept;
  std::optional<std::vector<ErrorPage>> error_pages;
  std::optional<bool> recursive_error_pages;
  std::vector<Statement> statements;
  std::optional<Pass> pass;
  std::optional<TryFiles> try_files;
  bool unknown_include = false;  // an include here could not be read

  // Effective, after MergeLevels.
  std::vector<const AddHeader*> headers;
  InheritMode effective_inherit = InheritMode::kOn;
  std::vector<const MoreHeaders*> more;
  std::array<std::vector<std::string>, kUpstreamCount> hidden;
  std::array<bool, kUpstreamCount> intercepts{};
  const std::vector<ErrorPage>* pages = nullptr;
  bool recursive_pages = false;
  const Pass* content_pass = nullptr;
};

// Everything scopes need to answer requests.
struct Config {
  std::vector<std::unique_ptr<Level>> levels;
  std::vector<Map> maps;
  std::vector<std::string> set_variables;  // slot -> name
};

// What the root file's directives are the body of.
enum class RootContext {
  kMain,      // a whole configuration, with `http`
  kHttp,      // a site file: `server` blocks, maps
  kLocation,  // a snippet: the directives of a `location /` in a server
};

// Builds the configuration from the directives of the root file, includes
// already expanded, and adds to `document` its scopes (in document order),
// origin checks, dropped headers, notes and errors. `origin` spans the start
// of the root file, for the scopes of a snippet.
void BuildConfig(const std::vector<Directive>& directives, RootContext context,
                 Span origin, Document* document);

// The location inside `container` (a server or location) that nginx picks
// for `uri`; null when none matches. Named locations are never picked.
const Level* FindLocation(const Level* container, std::string_view uri);

// A server (`location` null: its requests that match no location) or a
// location, answering the way nginx does for requests that reach it.
class LevelScope : public Scope {
 public:
  LevelScope(std::shared_ptr<const Config> config, const Level* server,
             const Level* location);
  Response Respond(const Request& request) const override;

 private:
  std::shared_ptr<const Config> config_;
  const Level* server_;
  const Level* location_;
};

// Whether add_header without `always` applies to `status`.
bool AddHeaderStatus(int status);

}  // namespace corslint::nginx
