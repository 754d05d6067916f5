#include "tests/support/fake_scope.h"

namespace corslint::testing {

std::unique_ptr<Document> MakeDocument(std::string text) {
  auto document = std::make_unique<Document>();
  // Application formats are probed whatever their text names.
  document->format = Format::kExpress;
  document->path = "test.conf";
  document->AddFile("test.conf", std::move(text));
  return document;
}

Span SpanOf(const Document& document, std::string_view needle) {
  const SourceFile* file = document.files.front().get();
  size_t at = file->text().find(needle);
  if (at == std::string::npos) return Span{};
  return Span{file, static_cast<uint32_t>(at),
              static_cast<uint32_t>(at + needle.size())};
}

ResponseHeader Header(std::string name, std::string value, Span span,
                      std::string mechanism) {
  ResponseHeader header;
  header.name = std::move(name);
  header.value = std::move(value);
  header.span = span;
  header.mechanism = std::move(mechanism);
  return header;
}

}  // namespace corslint::testing
