// The CORS policy a user asks for: which origins may read responses, with
// which methods, request headers and credentials. `corslint generate` turns
// it into server code and `corslint simulate` can run requests against it.
// It is read from command-line options or from a policy file, and checked
// before anything is emitted: a policy that browsers cannot honour is
// refused with the reason and the nearest valid alternative.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy.h"
#include "analyzer/source.h"

namespace corslint {

struct PolicySpec {
  // Exact serialized origins (`https://app.example.com`), compared whole.
  std::vector<std::string> origins;
  // `Access-Control-Allow-Origin: *`; excludes `origins` and credentials.
  bool any_origin = false;
  // Methods the page sends, as browsers send them (`PUT`, `PATCH`).
  std::vector<std::string> methods = {"GET", "HEAD", "POST"};
  // Request header names the page sets, or the single item `*`.
  std::vector<std::string> allow_headers;
  // Response header names page script may read, or the single item `*`.
  std::vector<std::string> expose_headers;
  std::optional<int> max_age;  // seconds browsers may cache a preflight
  bool credentials = false;
};

// Chromium's cap on Access-Control-Max-Age, the lowest of the engines that
// honour more than ten minutes.
inline constexpr int kMaxAgeCap = 7200;

// Why a policy, or one value in it, is refused. `where` has an empty file
// for command-line values; `option` then names the option.
struct SpecProblem {
  Location where;
  std::string option;   // "--origin", or the policy file's key
  std::string message;  // lowercase, no final period, culprit quoted
  std::string help;     // the nearest valid alternative; may be empty
};

// Checks one value and normalises it in place (method case, trimming).
// Each returns the problem, or nullopt when the value is valid.
std::optional<SpecProblem> CheckOriginValue(std::string* origin);
std::optional<SpecProblem> CheckMethodValue(std::string* method);
std::optional<SpecProblem> CheckRequestHeaderValue(std::string* name);
std::optional<SpecProblem> CheckResponseHeaderValue(std::string* name);
std::optional<SpecProblem> CheckMaxAgeValue(long long seconds);

// Checks the values together (an origin is given, no wildcard with
// credentials, no `*` list with credentials, nothing repeated). Problems
// have no position; the caller adds it.
std::vector<SpecProblem> CheckSpecCombination(const PolicySpec& spec);

// Checks every value and their combination, normalising in place. Empty
// means the policy is valid. Problems name command-line options.
std::vector<SpecProblem> CheckSpec(PolicySpec* spec);

// Reads a policy file (YAML, or JSON, which YAML reads too) whose text is
// `text`. On success returns the checked spec; otherwise fills `problems`
// with file, line and column of each fault and returns nullopt. The schema
// is documented in the README:
//   origins: [ORIGIN, ...] or "*"
//   methods, allow_headers, expose_headers: [NAME, ...]
//   max_age: SECONDS
//   credentials: true | false
std::optional<PolicySpec> ReadPolicySpec(const std::string& path,
                                         const std::string& text,
                                         std::vector<SpecProblem>* problems);

// Whether a file's name or text marks it as a policy file: a `.yaml`,
// `.yml` or `.json` file whose top level has an `origins` key.
bool LooksLikePolicyFile(const std::string& path, const std::string& text);

// A document with one scope that answers exactly as the policy asks: CORS
// headers for the allowed origins on every response, and a 204 to every
// preflight. Other requests go to the application (Responder::kApp).
std::unique_ptr<Document> PolicyDocument(const PolicySpec& spec,
                                         const std::string& path);

// The methods as they appear in Access-Control-Allow-Methods: `GET, PUT`.
std::string JoinList(const std::vector<std::string>& items);

}  // namespace corslint
