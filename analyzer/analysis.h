// What rules observe: the answers of every scope to a set of probe
// requests from chosen origins, computed once per document.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/policy.h"

namespace corslint {

// Why an origin is in the probe set.
enum class ProbeOrigin {
  kUnrelated,  // kUnrelatedOrigin: no configuration means to trust it
  kIntended,   // derived from the document's own origin checks
  kInsecure,   // the http:// form of an intended https:// origin
  kNull,       // the opaque origin `null`
};

enum class ProbeKind {
  kActual,     // GET from the origin, handler answers 200
  kPreflight,  // OPTIONS for PUT with a Content-Type header
  kError,      // GET from the origin, handler answers 500
};

struct Observation {
  const Scope* scope = nullptr;
  ProbeOrigin origin_kind = ProbeOrigin::kUnrelated;
  ProbeKind kind = ProbeKind::kActual;
  Request request;
  Response response;

  const std::string& origin() const { return *request.origin; }
};

class Analysis {
 public:
  // `trusted_origins` (exact origins and `https://*.example.com` patterns,
  // as in RuleOptions) join the intended origins that probes come from.
  explicit Analysis(const Document& document,
                    const std::vector<std::string>& trusted_origins = {});

  const Document& document() const { return document_; }
  const std::vector<Observation>& observations() const { return observations_; }
  // Origins derived from the document's checks, each with whether the
  // check that yields it means to admit any subdomain.
  struct Intended {
    std::string origin;
    bool subdomains = false;
    const OriginCheck* check = nullptr;  // null: from `trusted-origins`
  };
  const std::vector<Intended>& intended() const { return intended_; }

  // Whether `scope` allows kUnrelatedOrigin on some response, so that it
  // allows every origin.
  bool AllowsAnyOrigin(const Scope* scope) const;

  // What `scope` answers to `request`, with the same caching as probes.
  Response Ask(const Scope& scope, const Request& request) const;

  // IntendedOrigins(check) for one of the document's own checks, worked
  // out once; `subdomains` as IntendedOrigins sets it. Not for use from two
  // threads at once.
  const std::vector<std::string>& IntendedOf(const OriginCheck& check,
                                             bool* subdomains) const;

 private:
  struct Derived {
    std::vector<std::string> origins;
    bool subdomains = false;
  };

  const Document& document_;
  mutable std::unordered_map<const OriginCheck*, Derived> derived_;
  std::vector<Intended> intended_;
  std::vector<Observation> observations_;
};

// Whether the response lets a page from `origin` read it: a single
// Access-Control-Allow-Origin equal to `origin`, or `*`.
bool AllowsOrigin(const Response& response, std::string_view origin);

// Whether the response carries Access-Control-Allow-Credentials with a
// value that means true (exactly `true`, ignoring case and spaces).
bool AllowsCredentials(const Response& response);

// Whether any header of the response is a CORS response header.
bool HasCorsHeaders(const Response& response);

// `text` without the spaces and tabs around it: a view into `text`.
std::string_view Trim(std::string_view text);

// Whether `test` holds for one of the comma-separated items of a header
// value, trimmed, empty ones left out; they are tested in order.
template <typename Test>
bool AnyListItem(std::string_view value, Test test) {
  while (true) {
    size_t comma = value.find(',');
    std::string_view item = Trim(value.substr(0, comma));
    if (!item.empty() && test(item)) return true;
    if (comma == std::string_view::npos) return false;
    value.remove_prefix(comma + 1);
  }
}

// The comma-separated items of a header value, as AnyListItem sees them.
std::vector<std::string> SplitList(std::string_view value);

}  // namespace corslint
