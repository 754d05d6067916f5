// A scope whose answers a test writes as a function, for rule tests that do
// not depend on any parser.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "analyzer/policy.h"

namespace corslint::testing {

class FakeScope : public Scope {
 public:
  explicit FakeScope(std::function<Response(const Request&)> respond)
      : respond_(std::move(respond)) {
    name = "fake";
  }
  Response Respond(const Request& request) const override {
    return respond_(request);
  }

 private:
  std::function<Response(const Request&)> respond_;
};

// A document with one source file (`text`) and no scopes yet.
std::unique_ptr<Document> MakeDocument(std::string text);

// The span of the first occurrence of `needle` in the document's file.
Span SpanOf(const Document& document, std::string_view needle);

// A response header added at `span`.
ResponseHeader Header(std::string name, std::string value, Span span,
                      std::string mechanism = "add_header");

}  // namespace corslint::testing
