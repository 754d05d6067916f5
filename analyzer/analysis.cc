#include "analyzer/analysis.h"

#include <algorithm>

#include "analyzer/origin.h"

namespace corslint {

namespace {

// Enough intended origins to cover an allowlist's shapes without making
// every document pay for a long list.
constexpr size_t kMaxIntended = 12;

void AddIntended(std::vector<Analysis::Intended>* intended,
                 const OriginCheck& check) {
  bool subdomains = false;
  for (std::string& origin : IntendedOrigins(check, &subdomains)) {
    if (intended->size() >= kMaxIntended) return;
    bool known = std::any_of(intended->begin(), intended->end(),
                             [&](const Analysis::Intended& other) {
                               return other.origin == origin;
                             });
    if (known) continue;
    intended->push_back({std::move(origin), subdomains, &check});
  }
}

Request WithPath(Request request, const Scope& scope) {
  request.path = scope.sample_path;
  return request;
}

}  // namespace

Analysis::Analysis(const Document& document) : document_(document) {
  for (const OriginCheck& check : document.origin_checks) {
    AddIntended(&intended_, check);
  }

  // The probe origins: one nobody trusts, the intended ones, their http://
  // forms, and null.
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
    if (!known) origins.emplace_back(downgraded, ProbeOrigin::kInsecure);
  }
  origins.emplace_back("null", ProbeOrigin::kNull);

  for (const auto& scope : document.scopes) {
    // A first pass with actual requests and preflights from every origin;
    // scopes that never send a CORS header need nothing more.
    size_t first = observations_.size();
    bool cors = false;
    for (const auto& [origin, kind] : origins) {
      Observation actual{scope.get(),
                         kind,
                         ProbeKind::kActual,
                         WithPath(Request::Simple(origin), *scope),
                         {}};
      actual.response = scope->Respond(actual.request);
      cors = cors || HasCorsHeaders(actual.response);
      observations_.push_back(std::move(actual));

      Observation preflight{
          scope.get(),
          kind,
          ProbeKind::kPreflight,
          WithPath(Request::Preflight(origin, "PUT", {"content-type"}), *scope),
          {}};
      preflight.response = scope->Respond(preflight.request);
      cors = cors || HasCorsHeaders(preflight.response);
      observations_.push_back(std::move(preflight));

      // The actual request of a method that needs a preflight, when the
      // scope's handlers take one (a PUT route).
      auto preflighted = std::find_if(
          scope->methods.begin(), scope->methods.end(),
          [](const std::string& m) {
            return m != "GET" && m != "HEAD" && m != "POST";
          });
      if (preflighted == scope->methods.end()) continue;
      Observation other{scope.get(), kind, ProbeKind::kActual,
                        WithPath(Request::Simple(origin, *preflighted), *scope),
                        {}};
      other.response = scope->Respond(other.request);
      cors = cors || HasCorsHeaders(other.response);
      observations_.push_back(std::move(other));
    }
    if (!cors) {
      observations_.resize(first);
      continue;
    }
    open_scopes_.push_back(scope.get());

    for (const auto& [origin, kind] : origins) {
      if (kind == ProbeOrigin::kNull || kind == ProbeOrigin::kInsecure)
        continue;
      Observation error{scope.get(),
                        kind,
                        ProbeKind::kError,
                        WithPath(Request::Simple(origin), *scope),
                        {}};
      error.request.handler_status = 500;
      error.response = scope->Respond(error.request);
      observations_.push_back(std::move(error));
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

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end + 1 - begin));
}

bool AllowsOrigin(const Response& response, std::string_view origin) {
  const ResponseHeader* header =
      response.FindOne("Access-Control-Allow-Origin");
  if (header == nullptr || !header->value_known) return false;
  std::string value = Trim(header->value);
  return value == "*" || value == origin;
}

bool AllowsCredentials(const Response& response) {
  for (const ResponseHeader* header :
       response.Find("Access-Control-Allow-Credentials")) {
    if (header->value_known && EqualsIgnoreCase(Trim(header->value), "true")) {
      return true;
    }
  }
  return false;
}

bool HasCorsHeaders(const Response& response) {
  return std::any_of(response.headers.begin(), response.headers.end(),
                     [](const ResponseHeader& header) {
                       return header.name.size() > 15 &&
                              EqualsIgnoreCase(header.name.substr(0, 15),
                                               "Access-Control-");
                     });
}

std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    std::string item = Trim(value.substr(start, comma - start));
    if (!item.empty()) items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

}  // namespace corslint
