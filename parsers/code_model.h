// What the code loaders compile application code into: conditions on the
// request and straight-line header statements, evaluated per request by the
// Express and Flask scopes. Nothing of the application runs; the statements
// are data read from the source.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy.h"

namespace corslint::code {

// A test on the request. kCheck refers to an OriginCheck of the document,
// so that what the rules see of a check and what the scope does with it
// cannot disagree.
struct Condition {
  enum class Kind {
    kConstant,   // `constant`
    kCheck,      // origin_checks[check] matches the request's Origin
    kHasOrigin,  // the request carries an Origin header
    kMethodIs,   // the request method equals `method`
    kNot,        // operands[0] is false
    kAll,        // every operand is true
    kAny,        // some operand is true
    kUnknown,    // code the analyzer cannot evaluate
  };
  Kind kind = Kind::kUnknown;
  bool constant = false;
  int check = -1;
  std::string method;
  std::vector<Condition> operands;
  Span span;

  static Condition Constant(bool value);
  static Condition Check(int index, Span span);
  static Condition Not(Condition operand);
  static Condition Unknown(Span span);
};

enum class Truth { kFalse, kTrue, kUnknown };

Truth Evaluate(const Condition& condition,
               const std::vector<OriginCheck>& checks, const Request& request);

// A header value as the code computes it.
struct Value {
  enum class Kind { kLiteral, kRequestHeader, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string text;  // kLiteral: the value; kRequestHeader: the header name
  // What the framework writes when the request lacks the header (Express
  // `undefined`, Flask `None`); nullopt: the header is left out.
  std::optional<std::string> when_absent;

  static Value Literal(std::string text);
  static Value RequestHeader(std::string name,
                             std::optional<std::string> when_absent);
};

struct Statement;
using Block = std::vector<Statement>;

struct Statement {
  enum class Kind {
    kSetHeader,     // replaces every earlier value of the header
    kAddHeader,     // adds one more header line
    kVary,          // adds a token to the one Vary header (Express `vary`)
    kRemoveHeader,  // removes the header
    kRespond,       // ends the request with `status` (status 0: unknown)
    kNext,          // hands the request on (Express `next()`)
    kReturn,        // leaves the function
    kResult,        // a callback's result; `result` says which
    kIf,
  };
  Kind kind = Kind::kSetHeader;
  std::string name;  // header name
  Value value;
  int status = 0;
  int result = -1;  // kResult: an index the loader gives meaning to
  Condition condition;
  Block then_block;
  Block else_block;
  Span span;
  std::string mechanism;  // "res.header", "resp.headers[]", ...
};

// How running a block ended.
struct Outcome {
  enum class Kind { kFellThrough, kNext, kRespond, kReturn, kResult };
  Kind kind = Kind::kFellThrough;
  int status = 0;
  int result = -1;
  Span span;
  // A condition on the way could not be evaluated: headers it guards were
  // added with unknown values, and the ending may be another one.
  bool uncertain = false;
};

// Runs `block` for `request`, adding its headers to `response`. Headers
// behind conditions that cannot be evaluated are added with
// value_known=false. Stops at the first kRespond, kNext, kReturn or
// kResult whose path is certain.
Outcome Execute(const Block& block, const std::vector<OriginCheck>& checks,
                const Request& request, Response* response);

// Applies one header statement to `response`.
void ApplyHeader(const Statement& statement, const Request& request,
                 bool uncertain, Response* response);

// Whether any statement of `block`, nested ones included, touches a CORS
// header (Access-Control-* or Vary).
bool TouchesCors(const Block& block);

// Whether application code in `text` names a CORS header in either
// spelling; with its library's name, what makes it worth reading.
bool NamesCorsHeader(const std::string& text);

// A new document of `format` for the code in `text`, its one file in
// `*file`. Code larger than `max_bytes` is refused with an error saying it
// is not read as `language`, and `*file` is then null.
std::unique_ptr<Document> NewCodeDocument(Format format,
                                          const std::string& path,
                                          std::string text, size_t max_bytes,
                                          std::string_view language,
                                          const SourceFile** file);

// A compact text form of a block, for parser tests.
std::string DumpBlock(const Block& block,
                      const std::vector<OriginCheck>& checks);

}  // namespace corslint::code
