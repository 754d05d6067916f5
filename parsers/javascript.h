// JavaScript and TypeScript modules as the Express loader reads them: the
// constant values a file declares, what it imports and exports, and the
// evaluation of constant expressions (literals, arrays, objects, RegExps,
// string concatenation, `require` of sibling modules). Nothing is run:
// anything that depends on the environment or on a call evaluates to
// kUnknown.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/policy.h"
#include "parsers/tree_sitter_support.h"

namespace corslint::js {

class Module;

// A value the analyzer can tell from the source, or kUnknown.
struct Value {
  enum class Kind {
    kUnknown,
    kUndefined,
    kNull,
    kBool,
    kNumber,
    kString,
    kRegex,
    kArray,
    kObject,
    kFunction,  // `node` is the function
    kCall,      // a call the evaluator does not fold; `node` is the call
    kOrigin,    // the request's Origin header (inside handlers)
  };
  Kind kind = Kind::kUnknown;
  std::string text;   // kString: contents; kNumber: source; kRegex: pattern
  std::string flags;  // kRegex
  bool boolean = false;
  bool case_folded = false;  // kOrigin: lower-cased by the code
  std::vector<Value> items;  // kArray, in order
  std::vector<std::pair<std::string, Value>> properties;  // kObject, in order
  TSNode node{};
  const Module* module = nullptr;

  bool known() const { return kind != Kind::kUnknown; }
  // The property `key` of an object (the last one written), or null.
  const Value* Get(std::string_view key) const;
  // Truthiness when the value is known; nullopt otherwise.
  std::optional<bool> Truthy() const;
  // String(value) for primitives; nullopt for others.
  std::optional<std::string> AsString() const;
  Span span() const;
};

// Names bound inside a function being read: parameters and locals.
struct Env {
  std::map<std::string, Value, std::less<>> names;
  const Value* Find(std::string_view name) const;
};

// One parsed source file and the names it binds.
class Module {
 public:
  Module(const SourceFile& file, ts::Grammar grammar);

  const SourceFile& file() const { return file_; }
  const ts::Tree& tree() const { return tree_; }
  TSNode root() const { return tree_.root(); }
  std::string_view Text(TSNode node) const { return ts::Text(node, file_); }
  Span SpanOf(TSNode node) const { return ts::SpanOf(node, file_); }

  // A `const`/`let`/`var` binding, a function declaration or an import.
  struct Binding {
    Binding(TSNode init_node, std::string property_name = "",
            std::string source = "", std::string name = "")
        : init(init_node),
          property(std::move(property_name)),
          import_source(std::move(source)),
          import_name(std::move(name)) {}
    TSNode init{};              // the initializer or the function node
    std::string property;       // destructured from `init`: `const { a } = x`
    std::string import_source;  // import/require from this module name
    std::string import_name;    // "default", "*" or the imported name
    bool ambiguous = false;     // bound more than once in the file
  };
  const Binding* Find(std::string_view name) const;

  // What the module exports: `module.exports = x` as "module.exports",
  // `exports.a = x`, `module.exports.a = x` and `export` forms by name,
  // `export default x` as "default".
  const std::map<std::string, TSNode, std::less<>>& exports() const {
    return exports_;
  }

  // Calls of a method that registers Express middleware or routes
  // (`x.use(...)`, `x.get(...)`, ... `x.all(...)`), in source order.
  const std::vector<TSNode>& route_calls() const { return route_calls_; }

 private:
  void Bind(std::string name, Binding binding);
  void ReadDeclarations();
  void ReadDeclarations(TSNode top);

  const SourceFile& file_;
  ts::Tree tree_;
  std::map<std::string, Binding, std::less<>> bindings_;
  std::map<std::string, TSNode, std::less<>> exports_;
  std::vector<TSNode> route_calls_;
};

// The modules of one document and the evaluator over them. Sibling modules
// are read only below the allowed roots, and each at most once.
class Program {
 public:
  Program(Document* document, std::vector<std::string> allowed_roots,
          size_t max_file_bytes);

  // Parses the document's root file. Syntax errors go to the document.
  const Module* LoadRoot(const SourceFile& file);

  // Evaluates `node` of `module`, looking names up in `env` first.
  Value Evaluate(TSNode node, const Module& module, const Env* env = nullptr,
                 int depth = 0);
  // The value bound to `name` in `module`.
  Value Resolve(std::string_view name, const Module& module, TSNode at,
                int depth = 0);
  // The function a value refers to, following bindings; null node if none.
  TSNode FunctionOf(const Value& value);

  // `require(source)` or `import ... from source` seen from `from`; the
  // export `name` ("*" for the whole module). kUnknown for packages and
  // for files outside the allowed roots, with a note.
  Value Import(const Module& from, std::string_view source,
               std::string_view name, TSNode at, int depth);

  Document& document() { return *document_; }
  void Note(const Span& span, std::string message);

 private:
  const Module* Load(const std::string& path);
  Value EvaluateCall(TSNode node, const Module& module, const Env* env,
                     int depth);
  Value ModuleValue(const Module& module, std::string_view name, int depth);

  Document* document_;
  std::vector<std::string> allowed_roots_;
  size_t max_file_bytes_;
  std::map<std::string, std::unique_ptr<Module>> modules_;
};

// The string value of a string or template literal without substitutions.
std::optional<std::string> StringLiteral(TSNode node, const SourceFile& file);

// Strips TypeScript's type-only wrappers (`x as T`, `x!`, `<T>x`,
// `x satisfies T`) and parentheses.
TSNode Unwrap(TSNode node);

}  // namespace corslint::js
