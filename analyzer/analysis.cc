#include "analyzer/analysis.h"

#include <algorithm>

#include "analyzer/origin.h"

namespace corslint {

namespace {

// Enough intended origins to cover an allowlist's shapes without making
// every document pay for a long list.
constexpr size_t kMaxIntended = 8;

void AddIntended(const Analysis& analysis,
                 std::vector<Analysis::Intended>* intended,
                 const OriginCheck& check) {
  bool subdomains = false;
  for (const std::string& origin : analysis.IntendedOf(check, &subdomains)) {
    if (intended->size() >= kMaxIntended) return;
    bool known = std::any_of(intended->begin(), intended->end(),
                             [&](const Analysis::Intended& other) {
                               return other.origin == origin;
                             });
    if (known) continue;
    intended->push_back({origin, subdomains, &check});
  }
}

// The trusted origins as probe origins: an exact origin as it is, a
// `scheme://*.domain` pattern as one subdomain of it.
void AddTrusted(std::vector<Analysis::Intended>* intended,
                const std::vector<std::string>& trusted_origins) {
  for (const std::string& pattern : trusted_origins) {
    if (intended->size() >= 2 * kMaxIntended) return;
    std::string origin = pattern;
    bool subdomains = false;
    size_t wildcard = origin.find("://*.");
    if (wildcard != std::string::npos) {
      origin.replace(wildcard + 3, 1, "www");
      subdomains = true;
    }
    bool known = std::any_of(intended->begin(), intended->end(),
                             [&](const Analysis::Intended& other) {
                               return other.origin == origin;
                             });
    if (known) continue;
    intended->push_back({std::move(origin), subdomains, nullptr});
  }
}

Request WithPath(Request request, const Scope& scope) {
  request.path = scope.sample_path;
  return request;
}

}  // namespace

namespace {

// Whether any file of a configuration names a CORS header. Server
// configurations can only send the headers they name; application code
// gets them from libraries, so it is always probed.
bool MayNameCorsHeaders(const Document& document) {
  if (document.format != Format::kNginx && document.format != Format::kApache) {
    return true;
  }
  static constexpr std::string_view kPrefix = "access-control-";
  for (const auto& file : document.files) {
    const std::string& text = file->text();
    auto hit =
        std::search(text.begin(), text.end(), kPrefix.begin(), kPrefix.end(),
                    [](char a, char b) {
                      return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b;
                    });
    if (hit != text.end()) return true;
  }
  return false;
}

// Preflights and error responses are probed from this many intended
// origins; actual requests from all of them.
constexpr int kDeepProbes = 3;

}  // namespace

Analysis::Analysis(const Document& document,
                   const std::vector<std::string>& trusted_origins)
    : document_(document) {
  if (!MayNameCorsHeaders(document)) return;
  for (const OriginCheck& check : document.origin_checks) {
    if (intended_.size() >= kMaxIntended) break;
    AddIntended(*this, &intended_, check);
  }
  AddTrusted(&intended_, trusted_origins);

  // The probe origins: one nobody trusts, the intended ones, the http://
  // forms of those that some check admits, and null.
  std::vector<std::pair<std::string, ProbeOrigin>> origins;
  origins.emplace_back(std::string(kUnrelatedOrigin), ProbeOrigin::kUnrelated);
  for (const Intended& intended : intended_) {
    origins.emplace_back(intended.origin, ProbeOrigin::kIntended);
  }
  for (const Intended& intended : intended_) {
    if (!intended.origin.starts_with("https://")) continue;
    std::string downgraded = "http://" + intended.origin.substr(8);
    bool known =
        std::any_of(origins.begin(), origins.end(),
                    [&](const auto& o) { return o.first == downgraded; });
    if (known) continue;
    bool admitted = std::any_of(
        document.origin_checks.begin(), document.origin_checks.end(),
        [&](const OriginCheck& check) { return check.Matches(downgraded); });
    if (admitted) origins.emplace_back(downgraded, ProbeOrigin::kInsecure);
  }
  origins.emplace_back("null", ProbeOrigin::kNull);

  // The requests from each origin, the same for every scope but for the
  // path.
  std::vector<Request> actuals, preflights, errors;
  for (const auto& [origin, kind] : origins) {
    actuals.push_back(Request::Simple(origin));
    preflights.push_back(Request::Preflight(origin, "PUT", {"content-type"}));
    errors.push_back(Request::Simple(origin));
    errors.back().handler_status = 500;
  }

  // Room for the probes of every scope that may send CORS headers; those
  // that turn out to send none give theirs back.
  size_t probed = std::count_if(
      document.scopes.begin(), document.scopes.end(),
      [](const auto& scope) { return scope->may_send_cors_headers; });
  observations_.reserve(probed * (3 * origins.size() + 2));
  for (const auto& scope : document.scopes) {
    if (!scope->may_send_cors_headers) continue;
    size_t first = observations_.size();
    bool cors = false;
    // Each probe is built in its place in the list.
    auto probe = [&](ProbeOrigin kind, ProbeKind probe_kind,
                     const Request& request) {
      Observation& observation = observations_.emplace_back();
      observation.scope = scope.get();
      observation.origin_kind = kind;
      observation.kind = probe_kind;
      observation.request = request;
      observation.request.path = scope->sample_path;
      observation.response = scope->Respond(observation.request);
      cors = cors || HasCorsHeaders(observation.response);
    };

    // Actual requests from every origin; preflights from all but the
    // later intended origins, which rarely answer differently. When the
    // scope's handlers take a method that needs a preflight (a PUT route),
    // its actual request too.
    auto preflighted = std::find_if(
        scope->methods.begin(), scope->methods.end(), [](const std::string& m) {
          return m != "GET" && m != "HEAD" && m != "POST";
        });
    int deep = 0;
    for (size_t i = 0; i < origins.size(); ++i) {
      const auto& [origin, kind] = origins[i];
      probe(kind, ProbeKind::kActual, actuals[i]);
      if (preflighted != scope->methods.end()) {
        probe(kind, ProbeKind::kActual, Request::Simple(origin, *preflighted));
      }
      if (kind == ProbeOrigin::kIntended && deep++ >= kDeepProbes) continue;
      probe(kind, ProbeKind::kPreflight, preflights[i]);
    }
    // Scopes that never send a CORS header need nothing more.
    if (!cors) {
      observations_.resize(first);
      continue;
    }

    // What error responses carry, from the unrelated origin and a few
    // intended ones.
    deep = 0;
    for (size_t i = 0; i < origins.size(); ++i) {
      ProbeOrigin kind = origins[i].second;
      if (kind != ProbeOrigin::kUnrelated && kind != ProbeOrigin::kIntended) {
        continue;
      }
      if (kind == ProbeOrigin::kIntended && deep++ >= kDeepProbes) break;
      probe(kind, ProbeKind::kError, errors[i]);
    }
  }
}

bool Analysis::AllowsAnyOrigin(const Scope* scope) const {
  return std::any_of(
      observations_.begin(), observations_.end(), [&](const Observation& o) {
        return o.scope == scope && o.origin_kind == ProbeOrigin::kUnrelated &&
               o.response.FindOne("Access-Control-Allow-Origin") != nullptr &&
               AllowsOrigin(o.response, o.origin());
      });
}

Response Analysis::Ask(const Scope& scope, const Request& request) const {
  return scope.Respond(WithPath(request, scope));
}

const std::vector<std::string>& Analysis::IntendedOf(const OriginCheck& check,
                                                     bool* subdomains) const {
  auto [it, inserted] = derived_.try_emplace(&check);
  if (inserted) {
    it->second.origins = IntendedOrigins(check, &it->second.subdomains);
  }
  *subdomains = it->second.subdomains;
  return it->second.origins;
}

std::string_view Trim(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

bool AllowsOrigin(const Response& response, std::string_view origin) {
  const ResponseHeader* header =
      response.FindOne("Access-Control-Allow-Origin");
  if (header == nullptr || !header->value_known) return false;
  std::string_view value = Trim(header->value);
  return value == "*" || value == origin;
}

bool AllowsCredentials(const Response& response) {
  for (const ResponseHeader& header : response.headers) {
    if (header.value_known &&
        EqualsIgnoreCase(header.name, "Access-Control-Allow-Credentials") &&
        EqualsIgnoreCase(Trim(header.value), "true")) {
      return true;
    }
  }
  return false;
}

bool HasCorsHeaders(const Response& response) {
  return std::any_of(response.headers.begin(), response.headers.end(),
                     [](const ResponseHeader& header) {
                       return header.name.size() > 15 &&
                              EqualsIgnoreCase(
                                  std::string_view(header.name).substr(0, 15),
                                  "Access-Control-");
                     });
}

std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> items;
  AnyListItem(value, [&](std::string_view item) {
    items.emplace_back(item);
    return false;
  });
  return items;
}

}  // namespace corslint
