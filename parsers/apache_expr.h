// The part of httpd's expression language (ap_expr: `<If>`, `Header ...
// expr=`, `SetEnvIfExpr`) that decides CORS answers, evaluated with three
// values so that what the analyzer cannot see stays unknown.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy.h"
#include "analyzer/regex.h"

namespace corslint::apache {

enum class Tri { kFalse, kTrue, kUnknown };

// An environment variable (r->subprocess_env, whose names are
// case-insensitive) as far as the analyzer knows it.
struct EnvValue {
  bool set_known = true;  // false: some unmodelled directive may set it
  std::string value;
  bool value_known = true;
};

// Variables by lower-cased name; an absent name is certainly unset.
using EnvMap = std::map<std::string, EnvValue>;

// A string: literal text or what the analyzer knows of a computed one.
struct Value {
  std::string text;
  bool known = true;
};

// What an expression reads while it is evaluated for one request.
struct ExprInput {
  const Request* request = nullptr;
  const EnvMap* env = nullptr;
  // Receives the names of request headers read through `req`, `http`,
  // `%{HTTP:...}` or `%{HTTP_*}`; httpd adds them to `Vary`.
  std::vector<std::string>* vary = nullptr;
};

// A string-valued node: text, a variable, a function or a concatenation.
struct StrNode {
  enum class Kind {
    kLiteral,       // text
    kHeader,        // request header `text`, added to Vary
    kHeaderNoVary,  // request header `text` via req_novary
    kEnv,           // environment variable `text`, empty when unset
    kMethod,
    kPath,
    kConcat,   // children joined
    kLower,    // tolower(children[0])
    kUpper,    // toupper(children[0])
    kUnknown,  // something the analyzer does not evaluate; text says what
  };
  Kind kind = Kind::kLiteral;
  std::string text;
  std::vector<StrNode> children;

  Value Evaluate(const ExprInput& input) const;
  // Whether the node is exactly the request header `name`.
  bool IsHeader(std::string_view name) const;
};

// A boolean node of an `<If>` or `expr=` condition.
struct BoolNode {
  enum class Op {
    kTrue,
    kFalse,
    kAnd,
    kOr,
    kNot,
    kRegexMatch,    // lhs =~ regex
    kRegexNoMatch,  // lhs !~ regex
    kEqual,         // lhs == rhs
    kNotEqual,
    kStrMatch,   // lhs -strmatch rhs (wildcards, case-sensitive)
    kStrCMatch,  // lhs -strcmatch rhs (wildcards, case-insensitive)
    kFnMatch,    // lhs -fnmatch rhs (wildcards, `/` not matched by `*`)
    kIn,         // lhs -in {list}
    kNonEmpty,   // -n lhs
    kEmpty,      // -z lhs
    kUnknown,    // an operator the analyzer does not evaluate
  };
  Op op = Op::kUnknown;
  std::vector<BoolNode> children;
  StrNode lhs, rhs;
  std::vector<StrNode> list;
  std::shared_ptr<const Regex> regex;
  std::string regex_source;
  bool case_insensitive = false;
  std::string unknown;  // for kUnknown: the operator as written

  Tri Evaluate(const ExprInput& input) const;
};

// Parses a boolean expression. Returns null and fills `error` when the text
// is not an expression the analyzer can read.
std::unique_ptr<BoolNode> ParseCondition(std::string_view text,
                                         std::string* error);

// Parses a string expression (a `Header` value after `expr=`).
std::unique_ptr<StrNode> ParseStringExpr(std::string_view text,
                                         std::string* error);

// Calls `visit` for every comparison in `node` (and below it) whose left
// side is a request header, with whether the comparison sits under an odd
// number of negations.
void ForEachHeaderTest(
    const BoolNode& node,
    const std::function<void(const BoolNode&, bool negated)>& visit,
    bool negated = false);

// Whether a shell wildcard (`*`, `?`, `[...]`) matches the whole subject.
bool WildcardMatches(std::string_view pattern, std::string_view subject,
                     bool case_insensitive, bool pathname);

}  // namespace corslint::apache
