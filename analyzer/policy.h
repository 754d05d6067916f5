// The common policy model. Every parser turns its input into a Document;
// rules read Documents only, never a format's syntax.
#pragma once

#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/regex.h"
#include "analyzer/source.h"

namespace corslint {

enum class Format { kNginx, kApache, kExpress, kFlask };

std::string_view FormatName(Format format);  // "nginx", "apache", ...

// Where a JavaScript RegExp with the g or y flag starts its next test:
// test() resumes at the lastIndex the test before left (the end of a
// match, or 0 after a failure), so its answer depends on earlier requests.
enum class RegexState {
  kUnknown,     // the requests before are not known: the answer is unknown
  kFresh,       // lastIndex 0: the first test, or one after a failed test
  kAfterMatch,  // right after a test that matched this same origin
};

// A request as the server receives it.
struct Request {
  std::string method = "GET";
  std::string path = "/";
  std::optional<std::string> origin;  // absent: no Origin header
  // Other request headers, names as sent (matching is case-insensitive).
  std::vector<std::pair<std::string, std::string>> headers;
  // The status that the content handler (static files, an upstream, the
  // application) answers with when the configuration itself does not
  // decide the response. Rules vary it to see what error responses carry.
  int handler_status = 200;
  // What stateful (g or y) RegExp origin checks answer on this request.
  RegexState regex_state = RegexState::kUnknown;

  // An actual (non-preflight) request from `origin`.
  static Request Simple(std::string origin, std::string method = "GET");
  // A CORS preflight for `method` with the given non-safelisted request
  // header names (joined into Access-Control-Request-Headers).
  static Request Preflight(std::string origin, std::string method,
                           std::vector<std::string> header_names = {});

  bool is_preflight() const;
  // The value of a request header, or null when absent.
  const std::string* Header(std::string_view name) const;
};

// One header of a response and the configuration that put it there.
struct ResponseHeader {
  std::string name;
  std::string value;
  bool value_known = true;  // false: depends on what the analyzer cannot see
  Span span;                // the directive or code that adds the header
  std::string mechanism;    // "add_header", "Header always set", "cors()", ...
};

// The headers of one name in a response, in the order they are sent.
// There are rarely more than a few, so they are kept without allocating.
class HeaderRefs {
 public:
  void push_back(const ResponseHeader* header) {
    if (spill_.empty() && size_ < inline_.size()) {
      inline_[size_++] = header;
      return;
    }
    if (spill_.empty()) spill_.assign(inline_.begin(), inline_.end());
    spill_.push_back(header);
    ++size_;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const ResponseHeader* operator[](size_t i) const { return begin()[i]; }
  const ResponseHeader* const* begin() const {
    return spill_.empty() ? inline_.data() : spill_.data();
  }
  const ResponseHeader* const* end() const { return begin() + size_; }

 private:
  std::array<const ResponseHeader*, 4> inline_{};
  std::vector<const ResponseHeader*> spill_;
  size_t size_ = 0;
};

// Who produced the response.
enum class Responder {
  kConfig,    // the configuration itself (nginx `return`, cors() preflight)
  kStatic,    // the server's own static-file handler
  kUpstream,  // a proxied backend: status and extra headers are unknown
  kApp,       // application code the analyzer does not follow
};

// "config", "static", "upstream" or "app", as dumps and JSON name it.
std::string_view ResponderName(Responder responder);

struct Response {
  int status = 200;
  Responder responder = Responder::kStatic;
  Span responder_span;  // the `return`, `proxy_pass`, route, ... that answers
  std::vector<ResponseHeader> headers;

  // For kUpstream: names (lower case) of upstream headers that the server
  // removes before answering. Any other header may also come from upstream.
  std::vector<std::string> upstream_hidden;

  // Headers named `name` (case-insensitive), in the order they are sent.
  HeaderRefs Find(std::string_view name) const;
  // The single header named `name`, or null when absent or repeated.
  const ResponseHeader* FindOne(std::string_view name) const;
  // Whether an upstream may add header `name` to this response.
  bool UpstreamMaySend(std::string_view name) const;
};

// A place that answers requests: an nginx server or location, an httpd
// container, an Express mount path or route, a Flask resource or view.
class Scope {
 public:
  virtual ~Scope() = default;

  // What the scope answers to `request`, assuming the request reaches it.
  virtual Response Respond(const Request& request) const = 0;

  // A human name, e.g. `server api.example.com, location /v1/`.
  std::string name;
  Span span;
  // A request path that reaches this scope, for demonstrations.
  std::string sample_path = "/";
  // The methods the application's own handlers at `sample_path` take, in
  // upper case; empty when any method reaches them or they are not known.
  // Probes send an actual request with the first one a browser preflights.
  std::vector<std::string> methods;
  // False when the configuration shows that no response of the scope can
  // carry a CORS header, so that probing it would show nothing.
  bool may_send_cors_headers = true;
};

// How a configured origin, or a test on the request's Origin, matches.
enum class OriginCheckKind {
  kFixed,         // a literal origin sent regardless of the request
  kExact,         // whole-string comparison
  kRegex,         // a regular expression under the platform's semantics
  kHostnameMask,  // nginx `map hostnames` masks: `*.a.com`, `.a.com`, `a.*`
  kPrefix,        // startsWith
  kSuffix,        // endsWith
  kSubstring,     // includes / indexOf / a literal SetEnvIf pattern
  kAny,           // accepts every origin
  kUnknown,       // code the analyzer cannot classify
};

// "fixed", "exact", "regex", ..., as dumps name the kinds.
std::string_view OriginCheckKindName(OriginCheckKind kind);

// One origin test found in the input, read as an admission test:
// `Matches` says whether the configuration lets the Origin value through
// this test, evaluated exactly as the platform evaluates the pattern.
struct OriginCheck {
  OriginCheckKind kind = OriginCheckKind::kUnknown;
  std::string pattern;  // the origin, regex source or mask, as configured
  bool case_insensitive = false;
  std::shared_ptr<const Regex> regex;  // for kRegex
  bool stateful = false;               // JavaScript RegExp with the g or y flag
  // The check admits the origins the pattern does NOT match (a deny list,
  // `!~` guarding what allows). `Matches` already applies the negation.
  bool negated = false;
  // Whether some scope's responses depend on the outcome. When false (a
  // snippet that defines a check but does not show its use), rules judge
  // the check by `Matches` alone.
  bool used = true;
  Span span;              // the pattern
  std::string construct;  // "map regex key", "if condition", ...

  bool Matches(std::string_view origin) const;
  // `Matches` for a check whose answer may depend on earlier requests (a
  // stateful RegExp): its answer in `state`, nullopt when that is unknown.
  std::optional<bool> MatchesIn(RegexState state,
                                std::string_view origin) const;

 private:
  bool MatchesLiterally(std::string_view origin) const;
};

// CORS headers that a nested level loses because it declares headers of its
// own (nginx add_header inheritance).
struct DroppedHeaders {
  const Scope* scope = nullptr;  // the level that loses them
  Span cause;                    // its first own header directive
  std::vector<ResponseHeader> lost;
  // The level only answers preflights (an `if` on OPTIONS that returns), so
  // headers that matter only on actual responses are not needed there.
  bool preflight_only = false;
};

// What the analyzer could not evaluate and why; shown with --verbose and
// used by rules to state their uncertainty.
struct ModelNote {
  Span span;
  std::string message;
  // The note is where the model lost a policy: an origin check of unknown
  // kind, or code that sends a CORS header with an unknown value. Set by
  // the check after the rules ran; such notes are shown without --verbose.
  bool hides_policy = false;
};

// One analyzed input: a root file with everything it includes.
struct Document {
  Format format = Format::kNginx;
  std::string path;
  std::vector<std::unique_ptr<SourceFile>> files;  // owns every span's text
  std::vector<std::unique_ptr<Scope>> scopes;
  std::vector<OriginCheck> origin_checks;
  std::vector<DroppedHeaders> dropped;
  std::vector<ModelNote> notes;
  std::vector<InputError> errors;  // syntax errors; the model may be partial

  // The scope that serves a request for `path` on `host` (empty: the
  // default server), following the format's own routing; null when no
  // scope serves it. Parsers that model routing set it.
  std::function<const Scope*(std::string_view host, std::string_view path)>
      route;

  // The root file's syntax tree in the reader's own form, for the
  // fixers of the format to reuse; null when they read the files again.
  std::shared_ptr<const void> root_syntax;

  const SourceFile* AddFile(std::string path, std::string text);
};

// Case-insensitive ASCII comparison of header names and tokens.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Names are mostly written alike: one block compare settles those.
  if (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0) {
    return true;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    // Setting bit 0x20 lower-cases ASCII letters; the second test keeps
    // pairs such as '@' and '`' apart.
    unsigned char x = a[i], y = b[i];
    if (x == y) continue;
    if ((x | 0x20) != (y | 0x20)) return false;
    unsigned char lower = x | 0x20;
    if (lower < 'a' || lower > 'z') return false;
  }
  return true;
}

// Response's lookups run for every probe and rule: defined here so that
// they inline.
inline HeaderRefs Response::Find(std::string_view name) const {
  HeaderRefs found;
  for (const ResponseHeader& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) found.push_back(&header);
  }
  return found;
}

inline const ResponseHeader* Response::FindOne(std::string_view name) const {
  const ResponseHeader* found = nullptr;
  for (const ResponseHeader& header : headers) {
    if (!EqualsIgnoreCase(header.name, name)) continue;
    if (found != nullptr) return nullptr;
    found = &header;
  }
  return found;
}

// The first byte of `text` at or after `from` that is one of `chars`, or
// npos: find_first_of without a library call for every byte.
inline size_t FindAnyOf(std::string_view text, std::string_view chars,
                        size_t from = 0) {
  for (size_t i = from; i < text.size(); ++i) {
    for (char c : chars) {
      if (text[i] == c) return i;
    }
  }
  return std::string_view::npos;
}

std::string ToLower(std::string_view text);

// A canonical, compact text form of the document for tests: each scope with
// its answers to a fixed set of probe requests, then the origin checks.
std::string DumpDocument(const Document& document,
                         const std::vector<Request>& probes);

}  // namespace corslint
