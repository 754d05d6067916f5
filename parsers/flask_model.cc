#include "parsers/flask_model.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "analyzer/analysis.h"
#include "parsers/code_model.h"
#include "parsers/tree_sitter_support.h"

namespace corslint::flask {

namespace {

namespace fs = std::filesystem;

using code::Block;
using code::Condition;
using code::Statement;

constexpr int kMaxDepth = 48;
constexpr size_t kStatementBudget = 4000;
constexpr size_t kMaxModules = 16;

// ---------------------------------------------------------------------------
// Python modules and constant values.

class PyModule;

struct PyValue {
  enum class Kind {
    kUnknown,
    kNone,
    kBool,
    kNumber,
    kString,
    kRegex,  // re.compile(...)
    kList,   // list, tuple or set literal
    kDict,
    kFunction,
    kCall,
    kOrigin,  // the request's Origin header
    kModule,  // an imported sibling module
  };
  Kind kind = Kind::kUnknown;
  std::string text;
  bool boolean = false;
  bool case_insensitive = false;  // kRegex: re.I; kOrigin: lower-cased
  bool regex_key = false;         // a dict value whose key is re.compile(...)
  std::vector<PyValue> items;
  std::vector<std::pair<std::string, PyValue>> entries;  // kDict
  TSNode node{};
  const PyModule* module = nullptr;

  bool known() const { return kind != Kind::kUnknown; }
  const PyValue* Get(std::string_view key) const {
    const PyValue* found = nullptr;
    for (const auto& [name, value] : entries) {
      if (name == key) found = &value;
    }
    return found;
  }
  std::optional<bool> Truthy() const {
    switch (kind) {
      case Kind::kNone:
        return false;
      case Kind::kBool:
        return boolean;
      case Kind::kNumber:
        return text != "0" && text != "0.0";
      case Kind::kString:
        return !text.empty();
      case Kind::kList:
        return !items.empty();
      case Kind::kDict:
        return !entries.empty();
      case Kind::kRegex:
      case Kind::kFunction:
      case Kind::kModule:
        return true;
      default:
        return std::nullopt;
    }
  }
  Span span() const;
};

class PyModule {
 public:
  PyModule(const SourceFile& file)
      : file_(file), tree_(ts::Grammar::kPython, file) {
    if (tree_.ok()) ReadBindings();
  }

  const SourceFile& file() const { return file_; }
  const ts::Tree& tree() const { return tree_; }
  TSNode root() const { return tree_.root(); }
  std::string_view Text(TSNode node) const { return ts::Text(node, file_); }
  Span SpanOf(TSNode node) const { return ts::SpanOf(node, file_); }

  struct Binding {
    Binding(TSNode value_node, std::string module = "", std::string name = "")
        : value(value_node),
          import_module(std::move(module)),
          import_name(std::move(name)) {}
    TSNode value{};
    std::string import_module;  // from X import name / import X
    std::string import_name;    // empty: the module itself
    bool ambiguous = false;
  };
  const Binding* Find(std::string_view name) const {
    auto it = bindings_.find(name);
    if (it == bindings_.end() || it->second.ambiguous) return nullptr;
    return &it->second;
  }

  // In source order, the nodes the Flask reader looks at: decorated
  // definitions, assignments and calls outside decorated functions.
  const std::vector<TSNode>& events() const { return events_; }

 private:
  void Bind(std::string name, Binding binding) {
    auto [it, inserted] = bindings_.emplace(std::move(name), binding);
    if (!inserted) it->second.ambiguous = true;
  }

  void ReadBindings() {
    // One pass collects the bindings and the events. The bodies of
    // decorated functions (views, hooks) are compiled when their decorators
    // are read; they bind nothing at module level.
    ts::Walk(root(), [&](TSNode node) {
      if (!ts_node_is_named(node)) return false;
      std::string_view type = ts::Type(node);
      if (type == "decorated_definition") {
        events_.push_back(node);
        TSNode definition = ts::Field(node, "definition");
        if (ts::Is(definition, "function_definition")) {
          Bind(std::string(Text(ts::Field(definition, "name"))),
               Binding(definition));
        }
        return false;
      }
      if (type == "call") {
        events_.push_back(node);
        return true;
      }
      if (type == "string" || type == "comment" || type == "identifier" ||
          type == "integer" || type == "float") {
        return false;
      }
      if (type == "assignment") {
        events_.push_back(node);
        TSNode left = ts::Field(node, "left");
        if (ts::Is(left, "identifier")) {
          Bind(std::string(Text(left)), Binding(ts::Field(node, "right")));
        }
        return true;
      }
      if (type == "function_definition") {
        Bind(std::string(Text(ts::Field(node, "name"))), Binding(node));
        return true;
      }
      if (type == "import_from_statement") {
        std::string source(Text(ts::Field(node, "module_name")));
        for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
          TSNode child = ts_node_named_child(node, i);
          if (ts_node_eq(child, ts::Field(node, "module_name"))) continue;
          if (ts::Is(child, "dotted_name")) {
            std::string name(Text(child));
            Bind(name, Binding(TSNode{}, source, name));
          } else if (ts::Is(child, "aliased_import")) {
            Bind(std::string(Text(ts::Field(child, "alias"))),
                 Binding(TSNode{}, source,
                         std::string(Text(ts::Field(child, "name")))));
          }
        }
        return false;
      }
      if (type == "import_statement") {
        for (TSNode child : ts::NamedChildren(node)) {
          if (ts::Is(child, "dotted_name")) {
            std::string name(Text(child));
            Bind(name, Binding(TSNode{}, name, ""));
          } else if (ts::Is(child, "aliased_import")) {
            Bind(std::string(Text(ts::Field(child, "alias"))),
                 Binding(TSNode{}, std::string(Text(ts::Field(child, "name"))),
                         ""));
          }
        }
        return false;
      }
      return true;
    });
  }

  const SourceFile& file_;
  ts::Tree tree_;
  std::map<std::string, Binding, std::less<>> bindings_;
  std::vector<TSNode> events_;
};

Span PyValue::span() const {
  if (module == nullptr || ts_node_is_null(node)) return Span{};
  return module->SpanOf(node);
}

// The value of a string literal, or nullopt for f-strings and bytes.
std::optional<std::string> PyString(TSNode node, const PyModule& module) {
  if (ts::Is(node, "concatenated_string")) {
    std::string joined;
    for (TSNode part : ts::NamedChildren(node)) {
      std::optional<std::string> text = PyString(part, module);
      if (!text) return std::nullopt;
      joined += *text;
    }
    return joined;
  }
  if (!ts::Is(node, "string")) return std::nullopt;
  TSNode start{}, end{};
  for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
    TSNode child = ts_node_child(node, i);
    if (ts::Type(child) == "string_start") start = child;
    if (ts::Type(child) == "string_end") end = child;
    if (ts::Type(child) == "interpolation") return std::nullopt;
  }
  if (ts_node_is_null(start) || ts_node_is_null(end)) return std::nullopt;
  std::string prefix = ToLower(module.Text(start));
  if (prefix.find('b') != std::string::npos) return std::nullopt;
  bool raw = prefix.find('r') != std::string::npos;
  uint32_t begin = ts_node_end_byte(start), finish = ts_node_start_byte(end);
  std::string_view body =
      std::string_view(module.file().text()).substr(begin, finish - begin);
  if (raw) return std::string(body);
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 == body.size()) {
      out += body[i];
      continue;
    }
    char next = body[++i];
    switch (next) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case '\n':
        break;
      case '\\':
      case '\'':
      case '"':
        out += next;
        break;
      default:
        // Python keeps unknown escapes as written: "\." is backslash, dot.
        out += '\\';
        out += next;
    }
  }
  return out;
}

TSNode Unparen(TSNode node) {
  while (ts::Is(node, "parenthesized_expression")) {
    std::vector<TSNode> inner = ts::NamedChildren(node);
    if (inner.empty()) break;
    node = inner[0];
  }
  return node;
}

// Arguments of a call: positional in order and keywords by name.
struct Arguments {
  std::vector<TSNode> positional;
  std::vector<std::pair<std::string, TSNode>> keywords;
  std::vector<TSNode> splats;  // **options
  TSNode Keyword(std::string_view name) const {
    for (const auto& [key, value] : keywords) {
      if (key == name) return value;
    }
    return TSNode{};
  }
};

Arguments ReadArguments(TSNode call, const PyModule& module) {
  Arguments arguments;
  for (TSNode arg : ts::NamedChildren(ts::Field(call, "arguments"))) {
    if (ts::Is(arg, "keyword_argument")) {
      arguments.keywords.emplace_back(
          std::string(module.Text(ts::Field(arg, "name"))),
          ts::Field(arg, "value"));
    } else if (ts::Is(arg, "dictionary_splat")) {
      std::vector<TSNode> inner = ts::NamedChildren(arg);
      if (!inner.empty()) arguments.splats.push_back(inner[0]);
    } else {
      arguments.positional.push_back(arg);
    }
  }
  return arguments;
}

bool IsInside(const std::string& path, const std::vector<std::string>& roots) {
  std::error_code error;
  std::string text = fs::weakly_canonical(path, error).string();
  if (error) return false;
  for (const std::string& root : roots) {
    if (text == root || text.starts_with(root + "/")) return true;
  }
  return false;
}

using Env = std::map<std::string, PyValue, std::less<>>;

class PyProgram {
 public:
  PyProgram(Document* document, const LoadOptions& options)
      : document_(document), options_(options) {}

  const PyModule* LoadRoot(const SourceFile& file) {
    auto module = std::make_unique<PyModule>(file);
    const PyModule* root = module.get();
    ts::CollectSyntaxErrors(module->tree(), "python", 20, &document_->errors);
    modules_[file.path()] = std::move(module);
    return root->tree().ok() ? root : nullptr;
  }

  void Note(const Span& span, std::string message) {
    for (const ModelNote& note : document_->notes) {
      if (note.span.file == span.file && note.span.begin == span.begin &&
          note.message == message) {
        return;
      }
    }
    document_->notes.push_back({span, std::move(message)});
  }

  PyValue Evaluate(TSNode node, const PyModule& module,
                   const Env* env = nullptr, int depth = 0);
  PyValue Resolve(std::string_view name, const PyModule& module, TSNode at,
                  int depth);

 private:
  PyValue Import(const PyModule& from, std::string_view source,
                 std::string_view name, TSNode at, int depth);
  PyValue EvaluateCall(TSNode node, const PyModule& module, const Env* env,
                       int depth);

  Document* document_;
  const LoadOptions& options_;
  std::map<std::string, std::unique_ptr<PyModule>> modules_;
};

PyValue Make(PyValue::Kind kind, TSNode node, const PyModule* module) {
  PyValue value;
  value.kind = kind;
  value.node = node;
  value.module = module;
  return value;
}

PyValue PyProgram::Import(const PyModule& from, std::string_view source,
                          std::string_view name, TSNode at, int depth) {
  // flask, flask_cors and other packages are not read; only modules beside
  // the file (`from settings import X`, `from .settings import X`).
  size_t dots = 0;
  while (dots < source.size() && source[dots] == '.') ++dots;
  std::string relative(source.substr(dots));
  for (char& c : relative) {
    if (c == '.') c = '/';
  }
  fs::path base = fs::path(from.file().path()).parent_path();
  for (size_t i = 1; i < dots; ++i) base = base.parent_path();
  fs::path candidate = base / (relative + ".py");
  std::error_code error;
  if (relative.empty() || !fs::is_regular_file(candidate, error)) {
    if (dots > 0) {
      Note(from.SpanOf(at), "cannot find the module \"" + std::string(source) +
                                "\"; its values are unknown");
    }
    PyValue value = Make(PyValue::Kind::kUnknown, at, &from);
    value.text = "package:" + std::string(source) +
                 (name.empty() ? "" : "." + std::string(name));
    return value;
  }
  std::string path = candidate.lexically_normal().string();
  if (!IsInside(path, options_.allowed_roots)) {
    Note(from.SpanOf(at), "the module \"" + std::string(source) +
                              "\" is outside the checked tree and is not read");
    return Make(PyValue::Kind::kUnknown, at, &from);
  }
  const PyModule* module = nullptr;
  auto it = modules_.find(path);
  if (it != modules_.end()) {
    module = it->second.get();
  } else if (modules_.size() < kMaxModules) {
    std::string text, read_error;
    if (ReadSourceFile(path, options_.max_file_bytes, &text, &read_error)) {
      const SourceFile* file = document_->AddFile(path, std::move(text));
      auto loaded = std::make_unique<PyModule>(*file);
      module = loaded.get();
      modules_[path] = std::move(loaded);
    }
  }
  if (module == nullptr || !module->tree().ok()) {
    Note(from.SpanOf(at), "cannot read the module \"" + std::string(source) +
                              "\"; its values are unknown");
    return Make(PyValue::Kind::kUnknown, at, &from);
  }
  if (name.empty()) return Make(PyValue::Kind::kModule, module->root(), module);
  return Resolve(name, *module, module->root(), depth + 1);
}

PyValue PyProgram::Resolve(std::string_view name, const PyModule& module,
                           TSNode at, int depth) {
  if (depth > kMaxDepth) return Make(PyValue::Kind::kUnknown, at, &module);
  const PyModule::Binding* binding = module.Find(name);
  if (binding == nullptr) {
    PyValue value = Make(PyValue::Kind::kUnknown, at, &module);
    value.text = "name:" + std::string(name);
    return value;
  }
  if (!binding->import_module.empty()) {
    return Import(module, binding->import_module, binding->import_name, at,
                  depth);
  }
  if (ts::Is(binding->value, "function_definition")) {
    return Make(PyValue::Kind::kFunction, binding->value, &module);
  }
  return Evaluate(binding->value, module, nullptr, depth + 1);
}

PyValue PyProgram::EvaluateCall(TSNode node, const PyModule& module,
                                const Env* env, int depth) {
  TSNode callee = ts::Field(node, "function");
  Arguments args = ReadArguments(node, module);
  std::string name(module.Text(callee));
  PyValue call = Make(PyValue::Kind::kCall, node, &module);
  call.text = name;

  if (name == "re.compile" || name == "compile") {
    if (args.positional.empty()) return call;
    PyValue source = Evaluate(args.positional[0], module, env, depth + 1);
    if (source.kind != PyValue::Kind::kString) {
      return Make(PyValue::Kind::kUnknown, node, &module);
    }
    PyValue regex = Make(PyValue::Kind::kRegex, node, &module);
    regex.text = source.text;
    TSNode flags =
        args.positional.size() > 1 ? args.positional[1] : args.Keyword("flags");
    std::string flag_text(module.Text(flags));
    regex.case_insensitive = flag_text.find("re.I") != std::string::npos ||
                             flag_text.find("IGNORECASE") != std::string::npos;
    return regex;
  }
  if (name == "timedelta" || name == "datetime.timedelta") {
    static const std::pair<const char*, long> kUnits[] = {
        {"seconds", 1}, {"minutes", 60}, {"hours", 3600}, {"days", 86400}};
    long total = 0;
    for (const auto& [unit, factor] : kUnits) {
      TSNode value = args.Keyword(unit);
      if (ts_node_is_null(value)) continue;
      PyValue number = Evaluate(value, module, env, depth + 1);
      if (number.kind != PyValue::Kind::kNumber) {
        return Make(PyValue::Kind::kUnknown, node, &module);
      }
      total += std::atol(number.text.c_str()) * factor;
    }
    if (!args.positional.empty()) {
      PyValue days = Evaluate(args.positional[0], module, env, depth + 1);
      if (days.kind != PyValue::Kind::kNumber) {
        return Make(PyValue::Kind::kUnknown, node, &module);
      }
      total += std::atol(days.text.c_str()) * 86400;
    }
    PyValue seconds = Make(PyValue::Kind::kNumber, node, &module);
    seconds.text = std::to_string(total);
    return seconds;
  }
  if ((name == "list" || name == "tuple" || name == "set" ||
       name == "frozenset" || name == "sorted") &&
      args.positional.size() == 1) {
    PyValue inner = Evaluate(args.positional[0], module, env, depth + 1);
    if (inner.kind == PyValue::Kind::kList) return inner;
    return Make(PyValue::Kind::kUnknown, node, &module);
  }
  if (name == "dict" && args.positional.empty() && args.splats.empty()) {
    PyValue dict = Make(PyValue::Kind::kDict, node, &module);
    for (const auto& [key, value] : args.keywords) {
      dict.entries.emplace_back(key, Evaluate(value, module, env, depth + 1));
    }
    return dict;
  }
  if (ts::Is(callee, "attribute")) {
    std::string_view method = module.Text(ts::Field(callee, "attribute"));
    PyValue object =
        Evaluate(ts::Field(callee, "object"), module, env, depth + 1);
    if (method == "split" && object.kind == PyValue::Kind::kString &&
        args.positional.size() == 1) {
      PyValue separator = Evaluate(args.positional[0], module, env, depth + 1);
      if (separator.kind != PyValue::Kind::kString || separator.text.empty()) {
        return Make(PyValue::Kind::kUnknown, node, &module);
      }
      PyValue list = Make(PyValue::Kind::kList, node, &module);
      size_t start = 0;
      while (true) {
        size_t at = object.text.find(separator.text, start);
        PyValue item = Make(PyValue::Kind::kString, node, &module);
        item.text = object.text.substr(
            start, at == std::string::npos ? std::string::npos : at - start);
        list.items.push_back(std::move(item));
        if (at == std::string::npos) break;
        start = at + separator.text.size();
      }
      return list;
    }
    if ((method == "lower" || method == "strip") &&
        object.kind == PyValue::Kind::kString) {
      if (method == "lower") object.text = ToLower(object.text);
      return object;
    }
  }
  return call;
}

PyValue PyProgram::Evaluate(TSNode node, const PyModule& module, const Env* env,
                            int depth) {
  node = Unparen(node);
  if (ts_node_is_null(node) || depth > kMaxDepth) {
    return Make(PyValue::Kind::kUnknown, node, &module);
  }
  std::string_view type = ts::Type(node);

  if (type == "string" || type == "concatenated_string") {
    std::optional<std::string> text = PyString(node, module);
    if (!text) return Make(PyValue::Kind::kUnknown, node, &module);
    PyValue value = Make(PyValue::Kind::kString, node, &module);
    value.text = std::move(*text);
    return value;
  }
  if (type == "integer" || type == "float") {
    PyValue value = Make(PyValue::Kind::kNumber, node, &module);
    value.text = std::string(module.Text(node));
    return value;
  }
  if (type == "true" || type == "false") {
    PyValue value = Make(PyValue::Kind::kBool, node, &module);
    value.boolean = type == "true";
    return value;
  }
  if (type == "none") return Make(PyValue::Kind::kNone, node, &module);
  if (type == "list" || type == "tuple" || type == "set") {
    PyValue list = Make(PyValue::Kind::kList, node, &module);
    for (TSNode item : ts::NamedChildren(node)) {
      if (ts::Is(item, "list_splat")) {
        std::vector<TSNode> inner = ts::NamedChildren(item);
        PyValue spread = inner.empty()
                             ? PyValue()
                             : Evaluate(inner[0], module, env, depth + 1);
        if (spread.kind != PyValue::Kind::kList) {
          return Make(PyValue::Kind::kUnknown, node, &module);
        }
        for (PyValue& value : spread.items) list.items.push_back(value);
        continue;
      }
      list.items.push_back(Evaluate(item, module, env, depth + 1));
    }
    return list;
  }
  if (type == "dictionary") {
    PyValue dict = Make(PyValue::Kind::kDict, node, &module);
    for (TSNode item : ts::NamedChildren(node)) {
      if (ts::Is(item, "pair")) {
        PyValue key = Evaluate(ts::Field(item, "key"), module, env, depth + 1);
        std::string name =
            key.kind == PyValue::Kind::kString ? key.text : "[computed]";
        PyValue value =
            Evaluate(ts::Field(item, "value"), module, env, depth + 1);
        value.regex_key = key.kind == PyValue::Kind::kRegex;
        if (value.regex_key) {
          // A compiled pattern as a resources key.
          name = key.text;
        }
        dict.entries.emplace_back(name, std::move(value));
      } else if (ts::Is(item, "dictionary_splat")) {
        std::vector<TSNode> inner = ts::NamedChildren(item);
        PyValue spread = inner.empty()
                             ? PyValue()
                             : Evaluate(inner[0], module, env, depth + 1);
        if (spread.kind != PyValue::Kind::kDict) {
          dict.entries.emplace_back("[splat]", PyValue());
          continue;
        }
        for (auto& entry : spread.entries) dict.entries.push_back(entry);
      }
    }
    return dict;
  }
  if (type == "identifier") {
    std::string_view name = module.Text(node);
    if (env != nullptr) {
      auto it = env->find(name);
      if (it != env->end()) return it->second;
    }
    if (name == "True" || name == "False") {
      PyValue value = Make(PyValue::Kind::kBool, node, &module);
      value.boolean = name == "True";
      return value;
    }
    return Resolve(name, module, node, depth + 1);
  }
  if (type == "attribute") {
    PyValue object =
        Evaluate(ts::Field(node, "object"), module, env, depth + 1);
    std::string attribute(module.Text(ts::Field(node, "attribute")));
    if (object.kind == PyValue::Kind::kModule && object.module != nullptr) {
      return Resolve(attribute, *object.module, node, depth + 1);
    }
    return Make(PyValue::Kind::kUnknown, node, &module);
  }
  if (type == "subscript") {
    PyValue object = Evaluate(ts::Field(node, "value"), module, env, depth + 1);
    PyValue key =
        Evaluate(ts::Field(node, "subscript"), module, env, depth + 1);
    if (object.kind == PyValue::Kind::kDict &&
        key.kind == PyValue::Kind::kString) {
      if (const PyValue* entry = object.Get(key.text)) return *entry;
    }
    return Make(PyValue::Kind::kUnknown, node, &module);
  }
  if (type == "call") return EvaluateCall(node, module, env, depth);
  if (type == "binary_operator") {
    std::string_view op = module.Text(ts::Field(node, "operator"));
    PyValue left = Evaluate(ts::Field(node, "left"), module, env, depth + 1);
    PyValue right = Evaluate(ts::Field(node, "right"), module, env, depth + 1);
    if (op == "+" && left.kind == PyValue::Kind::kString &&
        right.kind == PyValue::Kind::kString) {
      left.text += right.text;
      left.node = node;
      return left;
    }
    if (op == "+" && left.kind == PyValue::Kind::kList &&
        right.kind == PyValue::Kind::kList) {
      for (PyValue& item : right.items) left.items.push_back(item);
      left.node = node;
      return left;
    }
    if (op == "*" && left.kind == PyValue::Kind::kNumber &&
        right.kind == PyValue::Kind::kNumber &&
        left.text.find('.') == std::string::npos &&
        right.text.find('.') == std::string::npos) {
      PyValue product = Make(PyValue::Kind::kNumber, node, &module);
      product.text = std::to_string(std::atol(left.text.c_str()) *
                                    std::atol(right.text.c_str()));
      return product;
    }
    return Make(PyValue::Kind::kUnknown, node, &module);
  }
  if (type == "boolean_operator") {
    std::string_view op = module.Text(ts::Field(node, "operator"));
    PyValue left = Evaluate(ts::Field(node, "left"), module, env, depth + 1);
    std::optional<bool> truthy = left.Truthy();
    if (!truthy) return Make(PyValue::Kind::kUnknown, node, &module);
    if ((op == "or") == *truthy) return left;
    return Evaluate(ts::Field(node, "right"), module, env, depth + 1);
  }
  if (type == "lambda") return Make(PyValue::Kind::kFunction, node, &module);
  return Make(PyValue::Kind::kUnknown, node, &module);
}

// ---------------------------------------------------------------------------
// flask-cors.

enum class Tri { kNo, kYes, kUnknown };

// The characters that make flask-cors read a string as a regex
// (core.py `probably_regex`).
bool ProbablyRegex(std::string_view text) {
  return text.find_first_of("*\\]?$^[()") != std::string_view::npos;
}

struct Pattern {
  std::string text;
  bool regex = false;
  std::shared_ptr<const Regex> compiled;  // kRegex
  int check = -1;                         // origins: the document's check
  bool wildcard = false;                  // '*' rewritten to '.*'
  bool known = true;
  Span span;
};

// Options after get_cors_options and serialize_options.
struct CorsOptions {
  std::vector<Pattern> origins;
  bool origins_known = true;
  Span origins_span;
  std::string methods = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";
  bool methods_known = true;
  Span methods_span;
  std::vector<Pattern> allow_headers;  // default '.*'
  bool allow_headers_known = true;
  Span allow_headers_span;
  std::optional<std::string> expose_headers;
  bool expose_known = true;
  Span expose_span;
  Tri credentials = Tri::kNo;
  Span credentials_span;
  std::optional<std::string> max_age;
  bool max_age_known = true;
  Span max_age_span;
  bool send_wildcard = false;
  bool vary_header = true;
  bool automatic_options = true;
  bool always_send = true;
  bool intercept_exceptions = true;
  bool allow_private_network = false;
  bool unknown = false;  // the options as a whole could not be read
  Span call;
  std::string mechanism = "flask-cors";
};

struct Resource {
  Pattern path;
  CorsOptions options;
};

// A registered after_request function: flask-cors's or the app's own.
struct Hook {
  int extension = -1;     // index into App::extensions, or -1
  Block block;            // the app's own hook
  std::string blueprint;  // empty: every request of the app
  Span span;
};

struct Extension {
  std::vector<Resource> resources;
  bool intercept_exceptions = true;
  std::string blueprint;
  Span span;
};

struct Route {
  std::string path;  // Flask rule with the blueprint's prefix
  std::vector<std::string> methods;
  bool explicit_options = false;
  Block view;
  int decorator = -1;  // index into App::decorators
  std::string blueprint;
  Span span;
};

struct App {
  const Document* document = nullptr;
  std::vector<Extension> extensions;
  std::vector<CorsOptions> decorators;
  std::vector<Hook> hooks;  // in registration order
  std::vector<Route> routes;
  bool unseen_routes = false;
  int line = 6;
};

bool MatchPattern(const Pattern& pattern, std::string_view value,
                  bool case_sensitive) {
  if (!pattern.known) return false;
  if (pattern.regex) return pattern.compiled && pattern.compiled->Match(value);
  return case_sensitive ? pattern.text == value
                        : EqualsIgnoreCase(pattern.text, value);
}

// Flask rule matching: `<name>` and `<int:name>` take one segment,
// `<path:name>` the rest.
bool RuleMatches(std::string_view rule, std::string_view path) {
  size_t r = 0, p = 0;
  while (r < rule.size()) {
    if (rule[r] == '<') {
      size_t close = rule.find('>', r);
      if (close == std::string_view::npos) return false;
      bool rest = rule.substr(r + 1, close - r - 1).starts_with("path:");
      size_t end = rest ? path.size() : path.find('/', p);
      if (end == std::string_view::npos) end = path.size();
      if (end == p) return false;
      p = end;
      r = close + 1;
      continue;
    }
    if (p >= path.size() || rule[r] != path[p]) return false;
    ++r;
    ++p;
  }
  return p == path.size();
}

std::string SampleRulePath(std::string_view rule) {
  std::string path;
  for (size_t i = 0; i < rule.size(); ++i) {
    if (rule[i] != '<') {
      path += rule[i];
      continue;
    }
    size_t close = rule.find('>', i);
    if (close == std::string_view::npos) break;
    bool number = rule.substr(i + 1, close - i - 1).starts_with("int:");
    path += number ? "1" : "x";
    i = close;
  }
  return path.empty() ? "/" : path;
}

void AddHeader(Response* response, std::string name, std::string value,
               bool known, Span span, const std::string& mechanism) {
  ResponseHeader header;
  header.name = std::move(name);
  header.value = std::move(value);
  header.value_known = known;
  header.span = span;
  header.mechanism = mechanism;
  response->headers.push_back(std::move(header));
}

// core.py set_cors_headers for one response.
void SetCorsHeaders(const CorsOptions& options, const App& app,
                    const Request& request, Response* response) {
  const std::string& mechanism = options.mechanism;
  if (options.unknown) {
    AddHeader(response, "Access-Control-Allow-Origin", "", false, options.call,
              mechanism);
    return;
  }

  // get_cors_origins
  bool wildcard = std::any_of(options.origins.begin(), options.origins.end(),
                              [](const Pattern& p) { return p.wildcard; });
  std::vector<std::string> origins_to_set;
  Span origin_span = options.origins_span;
  bool origin_known = options.origins_known;
  if (request.origin && !request.origin->empty()) {
    if (wildcard && options.send_wildcard) {
      origins_to_set.push_back("*");
    } else {
      bool unknown = !options.origins_known;
      for (const Pattern& pattern : options.origins) {
        if (!pattern.known) {
          unknown = true;
          continue;
        }
        if (MatchPattern(pattern, *request.origin, false)) {
          origins_to_set.push_back(*request.origin);
          origin_span = pattern.span.valid() ? pattern.span : origin_span;
          unknown = false;
          break;
        }
      }
      if (unknown) {
        origin_known = false;
        origins_to_set.push_back("");
      }
    }
  } else if (options.always_send) {
    if (wildcard) {
      if (options.credentials != Tri::kYes) origins_to_set.push_back("*");
    } else {
      std::vector<std::string> plain;
      for (const Pattern& pattern : options.origins) {
        if (!pattern.regex && pattern.known) plain.push_back(pattern.text);
      }
      std::sort(plain.begin(), plain.end());
      // MultiDict.items() keeps the first value of a key only.
      if (!plain.empty()) origins_to_set.push_back(plain.front());
    }
  }
  if (origins_to_set.empty()) return;

  AddHeader(response, "Access-Control-Allow-Origin", origins_to_set.front(),
            origin_known, origin_span, mechanism);
  if (!options.expose_known) {
    AddHeader(response, "Access-Control-Expose-Headers", "", false,
              options.expose_span, mechanism);
  } else if (options.expose_headers && !options.expose_headers->empty()) {
    AddHeader(response, "Access-Control-Expose-Headers",
              *options.expose_headers, true, options.expose_span, mechanism);
  }
  if (options.credentials != Tri::kNo) {
    AddHeader(response, "Access-Control-Allow-Credentials", "true",
              options.credentials == Tri::kYes, options.credentials_span,
              mechanism);
  }
  const std::string* private_network =
      request.Header("Access-Control-Request-Private-Network");
  if (app.line >= 6 && private_network != nullptr &&
      *private_network == "true") {
    AddHeader(response, "Access-Control-Allow-Private-Network",
              options.allow_private_network ? "true" : "false", true,
              options.call, mechanism);
  }

  if (request.method == "OPTIONS") {
    const std::string* requested =
        request.Header("Access-Control-Request-Method");
    std::string method = requested != nullptr ? *requested : "";
    for (char& c : method) c = static_cast<char>(std::toupper(c));
    // A substring test on the serialized list, as flask-cors does it.
    if (!method.empty() &&
        (!options.methods_known ||
         options.methods.find(method) != std::string::npos)) {
      const std::string* headers =
          request.Header("Access-Control-Request-Headers");
      if (!options.allow_headers_known) {
        AddHeader(response, "Access-Control-Allow-Headers", "", false,
                  options.allow_headers_span, mechanism);
      } else if (headers != nullptr) {
        std::vector<std::string> matching;
        for (std::string name : SplitList(*headers)) {
          for (const Pattern& pattern : options.allow_headers) {
            if (MatchPattern(pattern, name, false)) {
              matching.push_back(name);
              break;
            }
          }
        }
        std::sort(matching.begin(), matching.end());
        std::string joined;
        for (const std::string& name : matching) {
          joined += (joined.empty() ? "" : ", ") + name;
        }
        if (!joined.empty()) {
          AddHeader(response, "Access-Control-Allow-Headers", joined, true,
                    options.allow_headers_span, mechanism);
        }
      }
      if (!options.max_age_known) {
        AddHeader(response, "Access-Control-Max-Age", "", false,
                  options.max_age_span, mechanism);
      } else if (options.max_age && !options.max_age->empty()) {
        AddHeader(response, "Access-Control-Max-Age", *options.max_age, true,
                  options.max_age_span, mechanism);
      }
      if (!options.methods.empty()) {
        AddHeader(response, "Access-Control-Allow-Methods", options.methods,
                  options.methods_known, options.methods_span, mechanism);
      }
    }
  }

  if (options.vary_header && origins_to_set.front() != "*") {
    bool regex = std::any_of(options.origins.begin(), options.origins.end(),
                             [](const Pattern& p) { return p.regex; });
    if (options.origins.size() > 1 || regex || !options.origins_known) {
      AddHeader(response, "Vary", "Origin", true, origin_span, mechanism);
    }
  }
}

// The extension's after_request function for one response.
void RunExtension(const Extension& extension, const App& app,
                  const Request& request, bool evaluated, Response* response) {
  for (const ResponseHeader* header :
       response->Find("Access-Control-Allow-Origin")) {
    if (!header->value_known || !header->value.empty()) return;
  }
  if (evaluated) return;
  for (const Resource& resource : extension.resources) {
    if (!MatchPattern(resource.path, request.path, true)) continue;
    SetCorsHeaders(resource.options, app, request, response);
    return;
  }
}

class FlaskScope : public Scope {
 public:
  FlaskScope(std::shared_ptr<const App> app, std::vector<int> routes)
      : app_(std::move(app)), routes_(std::move(routes)) {}

  Response Respond(const Request& request) const override {
    const App& app = *app_;
    const auto& checks = app.document->origin_checks;
    Response response;
    response.responder = Responder::kApp;
    response.responder_span = span;
    bool error = false;
    // The view raised: Flask's handle_exception finalizes the 500 (running
    // the after_request functions) before flask-cors's wrapper sees it.
    bool unhandled = false;
    bool evaluated = false;  // @cross_origin handled the response
    std::string blueprint;

    // Routing and the view.
    const Route* route = nullptr;
    std::vector<std::string> allowed;
    for (int index : routes_) {
      const Route& candidate = app.routes[index];
      if (!RuleMatches(candidate.path, request.path)) continue;
      for (const std::string& method : candidate.methods) {
        allowed.push_back(method);
      }
      bool takes =
          std::find(candidate.methods.begin(), candidate.methods.end(),
                    request.method) != candidate.methods.end() ||
          (request.method == "HEAD" &&
           std::find(candidate.methods.begin(), candidate.methods.end(),
                     "GET") != candidate.methods.end());
      if (takes && route == nullptr) route = &candidate;
    }

    if (routes_.empty() || (allowed.empty() && app.unseen_routes)) {
      // Routes the model does not see: Flask answers OPTIONS for them
      // itself; the application's code answers the rest.
      if (request.method == "OPTIONS") {
        response.status = 200;
        response.responder = Responder::kConfig;
      } else {
        response.status = request.handler_status;
        error = request.handler_status >= 400;
      }
    } else if (allowed.empty()) {
      response.status = 404;
      response.responder = Responder::kConfig;
      error = true;
    } else if (route == nullptr && request.method == "OPTIONS") {
      response.status = 200;
      response.responder = Responder::kConfig;
      allowed.push_back("OPTIONS");
      if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) {
        allowed.push_back("HEAD");
      }
      std::sort(allowed.begin(), allowed.end());
      allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
      std::string allow;
      for (const std::string& method : allowed) {
        allow += (allow.empty() ? "" : ", ") + method;
      }
      AddHeader(&response, "Allow", allow, true, span, "flask");
    } else if (route == nullptr) {
      response.status = 405;
      response.responder = Responder::kConfig;
      error = true;
    } else {
      blueprint = route->blueprint;
      response.responder_span = route->span;
      const CorsOptions* decorator =
          route->decorator >= 0 ? &app.decorators[route->decorator] : nullptr;
      if (decorator != nullptr && decorator->automatic_options &&
          request.method == "OPTIONS") {
        response.status = 200;
        response.responder = Responder::kConfig;
        SetCorsHeaders(*decorator, app, request, &response);
        evaluated = true;
      } else if (request.handler_status >= 400) {
        response.status = request.handler_status;
        error = true;
        unhandled = request.handler_status >= 500;
      } else {
        response.status = request.handler_status;
        code::Outcome outcome =
            code::Execute(route->view, checks, request, &response);
        if (outcome.kind == code::Outcome::Kind::kRespond &&
            outcome.status > 0) {
          response.status = outcome.status;
          if (outcome.result == 1) {
            // abort(): the error handler answers without the view's headers.
            response.headers.clear();
            error = true;
          }
        }
        if (decorator != nullptr && !error) {
          SetCorsHeaders(*decorator, app, request, &response);
          evaluated = true;
        }
      }
    }

    // after_request functions, last registered first. An HTTP error
    // (404, 405, abort) passes through flask-cors's wrapped
    // handle_user_exception before them; a raised exception's 500 through
    // its wrapped handle_exception after them.
    auto applies = [&](const Hook& hook) {
      return hook.blueprint.empty() || hook.blueprint == blueprint;
    };
    auto intercept = [&] {
      for (const Hook& hook : app.hooks) {
        if (hook.extension < 0) continue;
        const Extension& extension = app.extensions[hook.extension];
        if (!extension.intercept_exceptions || !extension.blueprint.empty()) {
          continue;
        }
        RunExtension(extension, app, request, evaluated, &response);
      }
    };
    if (error && !unhandled) intercept();
    for (auto it = app.hooks.rbegin(); it != app.hooks.rend(); ++it) {
      if (!applies(*it)) continue;
      if (it->extension >= 0) {
        RunExtension(app.extensions[it->extension], app, request, evaluated,
                     &response);
        continue;
      }
      code::Execute(it->block, checks, request, &response);
    }
    if (unhandled) intercept();
    return response;
  }

 private:
  std::shared_ptr<const App> app_;
  std::vector<int> routes_;
};

// ---------------------------------------------------------------------------
// Reading the source.

class Loader;

class FunctionCompiler {
 public:
  enum class Role { kHook, kView };
  FunctionCompiler(Loader& loader, const PyModule& module, TSNode function,
                   Role role)
      : loader_(loader), module_(module), function_(function), role_(role) {}

  Block Compile();
  Condition CompileCondition(TSNode node, const Env& env, int depth);

 private:
  Block CompileList(std::vector<TSNode> statements, Env env, int depth);
  void CompileAssignment(TSNode node, Env& env, Block* out);
  bool CompileCall(TSNode call, Env& env, Block* out);
  bool CompileReturn(TSNode value, Env& env, Block* out, Span span);
  void HeadersFromDict(TSNode dict, Statement::Kind kind, const Env& env,
                       std::string mechanism, Block* out);
  code::Value HeaderValue(TSNode node, const Env& env);
  // A literal allowed origin is a check that admits exactly that origin.
  void NoteLiteralOrigin(const Statement& statement, TSNode value);
  bool IsOrigin(TSNode node, const Env& env, bool* folded) const;
  bool IsResponse(TSNode node, const Env& env) const;
  bool IsHeaders(TSNode node, const Env& env) const;
  Condition Membership(const PyValue& collection, Span span, bool folded);

  Loader& loader_;
  const PyModule& module_;
  TSNode function_;
  Role role_;
  size_t budget_ = kStatementBudget;
  bool budget_noted_ = false;
};

class Loader {
 public:
  Loader(Document* document, const LoadOptions& options)
      : document_(document), options_(options), program_(document, options) {
    app_->line = options.flask_cors_line;
  }

  void Run(const SourceFile& file);
  PyProgram& program() { return program_; }
  void Note(const Span& span, std::string message) {
    program_.Note(span, std::move(message));
  }
  int AddCheck(OriginCheckKind kind, std::string pattern, Span span,
               std::string construct, bool case_insensitive,
               RegexAnchor anchor = RegexAnchor::kStart);

 private:
  using Options = std::vector<std::pair<std::string, PyValue>>;

  void ReadCall(TSNode call);
  void ReadDecorated(TSNode node);
  void ReadConfigAssignment(TSNode assignment);
  void AddKeywords(const Arguments& args, const PyModule& module,
                   Options* options);
  CorsOptions Serialize(const Options& options, Span call);
  Pattern MakePattern(const PyValue& value, Span fallback, bool origin,
                      const std::string& construct);
  void RegisterExtension(const Options& options, const std::string& target,
                         Span span);

  Document* document_;
  LoadOptions options_;
  PyProgram program_;
  const PyModule* module_ = nullptr;
  std::shared_ptr<App> app_ = std::make_shared<App>();
  Options config_;                            // app.config CORS_*
  std::map<std::string, Options> factories_;  // cors = CORS(**kw)
  std::set<std::string> blueprints_;
  std::map<std::string, std::string> blueprint_prefix_;
  std::map<std::string, size_t> blueprint_routes_;
  std::map<std::tuple<uint32_t, int, std::string>, int> check_index_;
};

int Loader::AddCheck(OriginCheckKind kind, std::string pattern, Span span,
                     std::string construct, bool case_insensitive,
                     RegexAnchor anchor) {
  auto key = std::make_tuple(span.begin, static_cast<int>(kind), pattern);
  auto it = check_index_.find(key);
  if (it != check_index_.end() && span.file == document_->files.front().get()) {
    return it->second;
  }
  OriginCheck check;
  check.kind = kind;
  check.pattern = std::move(pattern);
  check.case_insensitive = case_insensitive;
  check.span = span;
  check.construct = std::move(construct);
  if (kind == OriginCheckKind::kRegex) {
    RegexOptions regex_options;
    regex_options.dialect = RegexDialect::kPython;
    regex_options.anchor = anchor;
    regex_options.case_insensitive = case_insensitive;
    std::string error;
    check.regex = Regex::Compile(check.pattern, regex_options, &error);
    if (check.regex == nullptr) {
      // flask-cors (6.x, and Debian's 3.0.10) treats an invalid regex as
      // no match.
      Note(span, "the origin regex `" + check.pattern + "` does not compile (" +
                     error + "); it matches nothing");
    }
  }
  document_->origin_checks.push_back(std::move(check));
  int index = static_cast<int>(document_->origin_checks.size()) - 1;
  check_index_[key] = index;
  return index;
}

// ----- function bodies -------------------------------------------------------

Block FunctionCompiler::Compile() {
  Env env;
  if (role_ == Role::kHook) {
    std::vector<TSNode> params =
        ts::NamedChildren(ts::Field(function_, "parameters"));
    if (!params.empty()) {
      TSNode name = params[0];
      if (!ts::Is(name, "identifier")) {
        std::vector<TSNode> inner = ts::NamedChildren(name);
        name = inner.empty() ? TSNode{} : inner[0];
      }
      PyValue response;
      response.kind = PyValue::Kind::kCall;
      response.text = "response";
      env[std::string(module_.Text(name))] = response;
    }
  }
  return CompileList(ts::NamedChildren(ts::Field(function_, "body")),
                     std::move(env), 0);
}

bool FunctionCompiler::IsOrigin(TSNode node, const Env& env,
                                bool* folded) const {
  node = Unparen(node);
  std::string_view type = ts::Type(node);
  if (type == "identifier") {
    auto it = env.find(module_.Text(node));
    if (it != env.end() && it->second.kind == PyValue::Kind::kOrigin) {
      *folded = *folded || it->second.case_insensitive;
      return true;
    }
    return false;
  }
  std::string text(module_.Text(node));
  if (text == "request.origin") return true;
  if (type == "subscript") {
    std::optional<std::string> key =
        PyString(Unparen(ts::Field(node, "subscript")), module_);
    std::string object(module_.Text(ts::Field(node, "value")));
    return key && object == "request.headers" &&
           EqualsIgnoreCase(*key, "origin");
  }
  if (type == "call") {
    TSNode callee = ts::Field(node, "function");
    std::string name(module_.Text(callee));
    Arguments args = ReadArguments(node, module_);
    if ((name == "request.headers.get" || name == "request.environ.get") &&
        !args.positional.empty()) {
      std::optional<std::string> key = PyString(args.positional[0], module_);
      if (!key) return false;
      return name == "request.headers.get" ? EqualsIgnoreCase(*key, "origin")
                                           : *key == "HTTP_ORIGIN";
    }
    if (ts::Is(callee, "attribute")) {
      std::string_view method = module_.Text(ts::Field(callee, "attribute"));
      if (method == "lower" || method == "strip" || method == "casefold") {
        bool inner = IsOrigin(ts::Field(callee, "object"), env, folded);
        if (inner && method != "strip") *folded = true;
        return inner;
      }
    }
  }
  return false;
}

bool FunctionCompiler::IsResponse(TSNode node, const Env& env) const {
  node = Unparen(node);
  if (!ts::Is(node, "identifier")) return false;
  auto it = env.find(module_.Text(node));
  return it != env.end() && it->second.kind == PyValue::Kind::kCall &&
         it->second.text == "response";
}

bool FunctionCompiler::IsHeaders(TSNode node, const Env& env) const {
  node = Unparen(node);
  return ts::Is(node, "attribute") &&
         module_.Text(ts::Field(node, "attribute")) == "headers" &&
         IsResponse(ts::Field(node, "object"), env);
}

code::Value FunctionCompiler::HeaderValue(TSNode node, const Env& env) {
  bool folded = false;
  if (IsOrigin(node, env, &folded)) {
    std::optional<std::string> absent = "None";
    if (ts::Is(Unparen(node), "call")) {
      Arguments args = ReadArguments(Unparen(node), module_);
      if (args.positional.size() > 1) {
        PyValue fallback =
            loader_.program().Evaluate(args.positional[1], module_, &env);
        if (fallback.kind == PyValue::Kind::kString) {
          absent = fallback.text;
        } else {
          absent = std::nullopt;
        }
      }
    }
    return code::Value::RequestHeader("Origin", absent);
  }
  PyValue value = loader_.program().Evaluate(node, module_, &env);
  switch (value.kind) {
    case PyValue::Kind::kString:
    case PyValue::Kind::kNumber:
      return code::Value::Literal(value.text);
    case PyValue::Kind::kBool:
      return code::Value::Literal(value.boolean ? "True" : "False");
    case PyValue::Kind::kNone:
      return code::Value::Literal("None");
    case PyValue::Kind::kList: {
      std::string joined;
      for (const PyValue& item : value.items) {
        if (item.kind != PyValue::Kind::kString) return code::Value();
        joined += (joined.empty() ? "" : ", ") + item.text;
      }
      return code::Value::Literal(joined);
    }
    default:
      return code::Value();
  }
}

void FunctionCompiler::NoteLiteralOrigin(const Statement& statement,
                                         TSNode value) {
  if (!EqualsIgnoreCase(statement.name, "Access-Control-Allow-Origin") ||
      statement.value.kind != code::Value::Kind::kLiteral ||
      statement.value.text == "*" || statement.value.text == "None") {
    return;
  }
  loader_.AddCheck(OriginCheckKind::kFixed, statement.value.text,
                   module_.SpanOf(value), "header value", false);
}

void FunctionCompiler::HeadersFromDict(TSNode dict, Statement::Kind kind,
                                       const Env& env, std::string mechanism,
                                       Block* out) {
  dict = Unparen(dict);
  PyValue value = loader_.program().Evaluate(dict, module_, &env);
  if (value.kind != PyValue::Kind::kDict || !ts::Is(dict, "dictionary")) {
    if (value.kind == PyValue::Kind::kDict) {
      for (const auto& [name, entry] : value.entries) {
        Statement statement;
        statement.kind = kind;
        statement.name = name;
        std::optional<std::string> text = entry.kind == PyValue::Kind::kString
                                              ? std::optional(entry.text)
                                              : std::nullopt;
        statement.value = text ? code::Value::Literal(*text) : code::Value();
        statement.span = module_.SpanOf(dict);
        statement.mechanism = mechanism;
        out->push_back(std::move(statement));
      }
      return;
    }
    if (std::string_view(module_.Text(dict)).find("Access-Control") !=
        std::string_view::npos) {
      loader_.Note(module_.SpanOf(dict),
                   "cannot read these headers; the "
                   "CORS headers they set are unknown");
    }
    return;
  }
  for (TSNode pair : ts::NamedChildren(dict)) {
    if (!ts::Is(pair, "pair")) continue;
    PyValue key =
        loader_.program().Evaluate(ts::Field(pair, "key"), module_, &env);
    if (key.kind != PyValue::Kind::kString) continue;
    Statement statement;
    statement.kind = kind;
    statement.name = key.text;
    statement.value = HeaderValue(ts::Field(pair, "value"), env);
    statement.span = module_.SpanOf(pair);
    statement.mechanism = mechanism;
    NoteLiteralOrigin(statement, ts::Field(pair, "value"));
    out->push_back(std::move(statement));
  }
}

void FunctionCompiler::CompileAssignment(TSNode node, Env& env, Block* out) {
  TSNode left = ts::Field(node, "left");
  TSNode right = ts::Field(node, "right");
  if (ts::Is(left, "subscript") && IsHeaders(ts::Field(left, "value"), env)) {
    PyValue key =
        loader_.program().Evaluate(ts::Field(left, "subscript"), module_, &env);
    if (key.kind != PyValue::Kind::kString) {
      loader_.Note(module_.SpanOf(node),
                   "cannot tell which header this sets; a CORS header set "
                   "here is unknown");
      return;
    }
    Statement statement;
    statement.kind = Statement::Kind::kSetHeader;
    statement.name = key.text;
    statement.value = HeaderValue(right, env);
    statement.span = module_.SpanOf(node);
    statement.mechanism = "headers[]";
    NoteLiteralOrigin(statement, right);
    out->push_back(std::move(statement));
    return;
  }
  if (!ts::Is(left, "identifier")) return;
  std::string name(module_.Text(left));
  bool folded = false;
  PyValue bound;
  if (IsOrigin(right, env, &folded)) {
    bound.kind = PyValue::Kind::kOrigin;
    bound.case_insensitive = folded;
  } else {
    TSNode call = Unparen(right);
    std::string callee =
        ts::Is(call, "call")
            ? std::string(module_.Text(ts::Field(call, "function")))
            : "";
    if (callee == "make_response" || callee == "jsonify" ||
        callee == "Response" || callee.ends_with(".make_response") ||
        callee.ends_with("make_default_options_response") ||
        callee == "flask.jsonify" || IsResponse(right, env)) {
      bound.kind = PyValue::Kind::kCall;
      bound.text = "response";
      if (callee == "make_response") {
        // make_response(body, status, headers) applies the headers.
        Arguments args = ReadArguments(call, module_);
        for (size_t i = 1; i < args.positional.size(); ++i) {
          if (ts::Is(Unparen(args.positional[i]), "dictionary")) {
            HeadersFromDict(args.positional[i], Statement::Kind::kSetHeader,
                            env, "make_response", out);
          }
        }
      }
    } else {
      bound = loader_.program().Evaluate(right, module_, &env);
    }
  }
  env[name] = std::move(bound);
}

bool FunctionCompiler::CompileCall(TSNode call, Env& env, Block* out) {
  TSNode callee = ts::Field(call, "function");
  Arguments args = ReadArguments(call, module_);
  Span span = module_.SpanOf(call);
  std::string name(module_.Text(callee));

  if (name == "abort" || name == "flask.abort") {
    PyValue status =
        args.positional.empty()
            ? PyValue()
            : loader_.program().Evaluate(args.positional[0], module_, &env);
    Statement statement;
    statement.kind = Statement::Kind::kRespond;
    statement.status = status.kind == PyValue::Kind::kNumber
                           ? std::atoi(status.text.c_str())
                           : 500;
    statement.result = 1;
    statement.span = span;
    out->push_back(std::move(statement));
    return true;
  }
  if (!ts::Is(callee, "attribute")) return false;
  std::string method(module_.Text(ts::Field(callee, "attribute")));
  TSNode object = ts::Field(callee, "object");
  // `response.vary.add("Origin")`: Werkzeug keeps one Vary header whose
  // tokens the set holds.
  if (method == "add" && ts::Is(object, "attribute") &&
      module_.Text(ts::Field(object, "attribute")) == "vary" &&
      args.positional.size() == 1) {
    Statement statement;
    statement.kind = Statement::Kind::kVary;
    statement.name = "Vary";
    statement.value = HeaderValue(args.positional[0], env);
    statement.span = span;
    statement.mechanism = "response.vary";
    out->push_back(std::move(statement));
    return false;
  }
  if (!IsHeaders(object, env)) {
    if (std::string_view(module_.Text(call)).find("Access-Control") !=
        std::string_view::npos) {
      loader_.Note(span,
                   "cannot follow this call; the CORS headers it sets "
                   "are unknown");
      Statement unknown;
      unknown.kind = Statement::Kind::kSetHeader;
      unknown.name = "Access-Control-Allow-Origin";
      unknown.span = span;
      unknown.mechanism = "code";
      out->push_back(std::move(unknown));
    }
    return false;
  }
  if ((method == "add" || method == "set" || method == "add_header" ||
       method == "setdefault") &&
      args.positional.size() >= 2) {
    PyValue key = loader_.program().Evaluate(args.positional[0], module_, &env);
    if (key.kind != PyValue::Kind::kString) {
      loader_.Note(span,
                   "cannot tell which header this sets; a CORS header "
                   "set here is unknown");
      return false;
    }
    Statement statement;
    statement.kind = method == "set" ? Statement::Kind::kSetHeader
                                     : Statement::Kind::kAddHeader;
    statement.name = key.text;
    statement.value = HeaderValue(args.positional[1], env);
    statement.span = span;
    statement.mechanism = "headers." + method;
    NoteLiteralOrigin(statement, args.positional[1]);
    if (method == "setdefault") {
      // Only when absent; the model adds it, which is what happens on a
      // response without it.
      statement.kind = Statement::Kind::kAddHeader;
    }
    out->push_back(std::move(statement));
    return false;
  }
  if ((method == "update" || method == "extend") && !args.positional.empty()) {
    HeadersFromDict(args.positional[0],
                    method == "update" ? Statement::Kind::kSetHeader
                                       : Statement::Kind::kAddHeader,
                    env, "headers." + method, out);
    return false;
  }
  if ((method == "pop" || method == "remove") && !args.positional.empty()) {
    PyValue key = loader_.program().Evaluate(args.positional[0], module_, &env);
    if (key.kind != PyValue::Kind::kString) return false;
    Statement statement;
    statement.kind = Statement::Kind::kRemoveHeader;
    statement.name = key.text;
    statement.span = span;
    out->push_back(std::move(statement));
  }
  return false;
}

bool FunctionCompiler::CompileReturn(TSNode value, Env& env, Block* out,
                                     Span span) {
  Statement done;
  done.span = span;
  if (role_ == Role::kHook) {
    done.kind = Statement::Kind::kReturn;
    out->push_back(std::move(done));
    return true;
  }
  // A view: `return body, status, headers` and friends.
  done.kind = Statement::Kind::kRespond;
  value = Unparen(value);
  std::vector<TSNode> parts;
  if (ts::Is(value, "expression_list") || ts::Is(value, "tuple")) {
    parts = ts::NamedChildren(value);
  } else if (!ts_node_is_null(value)) {
    parts.push_back(value);
    if (ts::Is(value, "call") &&
        module_.Text(ts::Field(value, "function")) == "make_response") {
      Arguments args = ReadArguments(value, module_);
      parts = args.positional;
    }
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    PyValue part = loader_.program().Evaluate(parts[i], module_, &env);
    if (part.kind == PyValue::Kind::kNumber) {
      done.status = std::atoi(part.text.c_str());
    } else if (ts::Is(Unparen(parts[i]), "dictionary") ||
               part.kind == PyValue::Kind::kDict) {
      HeadersFromDict(parts[i], Statement::Kind::kSetHeader, env,
                      "view headers", out);
    }
  }
  out->push_back(std::move(done));
  return true;
}

Block FunctionCompiler::CompileList(std::vector<TSNode> statements, Env env,
                                    int depth) {
  Block out;
  for (size_t i = 0; i < statements.size(); ++i) {
    TSNode statement = statements[i];
    if (budget_ == 0 || depth > kMaxDepth) {
      if (!budget_noted_) {
        loader_.Note(module_.SpanOf(statement),
                     "this function is too long or too deeply nested to "
                     "follow; the CORS headers set from here on are unknown");
        budget_noted_ = true;
      }
      return out;
    }
    --budget_;
    std::string_view type = ts::Type(statement);
    std::vector<TSNode> rest(statements.begin() + i + 1, statements.end());

    if (type == "expression_statement") {
      TSNode expression = ts_node_named_child(statement, 0);
      if (ts::Is(expression, "assignment")) {
        CompileAssignment(expression, env, &out);
      } else if (ts::Is(expression, "call")) {
        if (CompileCall(expression, env, &out)) return out;
      }
      continue;
    }
    if (type == "return_statement") {
      std::vector<TSNode> children = ts::NamedChildren(statement);
      CompileReturn(children.empty() ? TSNode{} : children[0], env, &out,
                    module_.SpanOf(statement));
      return out;
    }
    if (type == "if_statement" || type == "elif_clause") {
      Statement branch;
      branch.kind = Statement::Kind::kIf;
      branch.span = module_.SpanOf(statement);
      branch.condition =
          CompileCondition(ts::Field(statement, "condition"), env, depth + 1);
      std::vector<TSNode> then_list =
          ts::NamedChildren(ts::Field(statement, "consequence"));
      std::vector<TSNode> else_list;
      // if_statement: alternatives are elif_clause... else_clause children.
      std::vector<TSNode> alternatives;
      for (uint32_t c = 0; c < ts_node_named_child_count(statement); ++c) {
        TSNode child = ts_node_named_child(statement, c);
        if (ts::Is(child, "elif_clause") || ts::Is(child, "else_clause")) {
          alternatives.push_back(child);
        }
      }
      if (type == "elif_clause") alternatives.assign(rest.begin(), rest.end());
      if (!alternatives.empty()) {
        TSNode first = alternatives.front();
        if (ts::Is(first, "else_clause")) {
          else_list = ts::NamedChildren(ts::Field(first, "body"));
        } else if (ts::Is(first, "elif_clause")) {
          // The elif chain continues as a nested if.
          else_list.assign(alternatives.begin(), alternatives.end());
        }
      }
      if (type == "elif_clause") {
        // `rest` held the following clauses, not statements.
        rest.clear();
      }
      then_list.insert(then_list.end(), rest.begin(), rest.end());
      if (!else_list.empty() && ts::Is(else_list.front(), "elif_clause")) {
        // Keep the chain, then the rest.
      }
      else_list.insert(else_list.end(), rest.begin(), rest.end());
      branch.then_block = CompileList(std::move(then_list), env, depth + 1);
      branch.else_block = CompileList(std::move(else_list), env, depth + 1);
      out.push_back(std::move(branch));
      return out;
    }
    if (type == "else_clause") continue;
    if (type == "try_statement" || type == "with_statement") {
      std::vector<TSNode> inner =
          ts::NamedChildren(ts::Field(statement, "body"));
      inner.insert(inner.end(), rest.begin(), rest.end());
      Block compiled = CompileList(std::move(inner), std::move(env), depth + 1);
      out.insert(out.end(), compiled.begin(), compiled.end());
      return out;
    }
    if (type == "pass_statement" || type == "comment") continue;
    if (type == "raise_statement") {
      Statement failed;
      failed.kind = Statement::Kind::kRespond;
      failed.status = 500;
      failed.result = 1;
      failed.span = module_.SpanOf(statement);
      out.push_back(std::move(failed));
      return out;
    }

    std::string_view text = module_.Text(statement);
    if (text.find("Access-Control") != std::string_view::npos ||
        text.find(".headers") != std::string_view::npos) {
      loader_.Note(module_.SpanOf(statement),
                   "cannot follow this `" + std::string(type) +
                       "`; the CORS headers it sets are unknown");
      if (text.find("Access-Control") != std::string_view::npos) {
        Statement unknown;
        unknown.kind = Statement::Kind::kSetHeader;
        unknown.name = "Access-Control-Allow-Origin";
        unknown.span = module_.SpanOf(statement);
        unknown.mechanism = "code";
        out.push_back(std::move(unknown));
      }
    }
  }
  return out;
}

Condition FunctionCompiler::Membership(const PyValue& collection, Span span,
                                       bool folded) {
  if (collection.kind != PyValue::Kind::kList) return Condition::Unknown(span);
  Condition any;
  any.kind = Condition::Kind::kAny;
  any.span = span;
  for (const PyValue& item : collection.items) {
    if (item.kind != PyValue::Kind::kString) {
      any.operands.push_back(Condition::Unknown(item.span()));
      continue;
    }
    any.operands.push_back(
        Condition::Check(loader_.AddCheck(OriginCheckKind::kExact, item.text,
                                          item.span(), "allowlist", folded),
                         item.span()));
  }
  if (any.operands.empty()) return Condition::Constant(false);
  return any;
}

Condition FunctionCompiler::CompileCondition(TSNode node, const Env& env,
                                             int depth) {
  node = Unparen(node);
  Span span = module_.SpanOf(node);
  if (ts_node_is_null(node) || depth > kMaxDepth) {
    return Condition::Unknown(span);
  }
  std::string_view type = ts::Type(node);

  if (type == "not_operator") {
    return Condition::Not(
        CompileCondition(ts::Field(node, "argument"), env, depth + 1));
  }
  if (type == "boolean_operator") {
    std::string_view op = module_.Text(ts::Field(node, "operator"));
    Condition both;
    both.kind = op == "and" ? Condition::Kind::kAll : Condition::Kind::kAny;
    both.span = span;
    both.operands.push_back(
        CompileCondition(ts::Field(node, "left"), env, depth + 1));
    both.operands.push_back(
        CompileCondition(ts::Field(node, "right"), env, depth + 1));
    return both;
  }
  if (type == "comparison_operator") {
    std::vector<TSNode> operands = ts::NamedChildren(node);
    std::string op;
    for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
      TSNode child = ts_node_child(node, i);
      if (!ts_node_is_named(child)) {
        op += (op.empty() ? "" : " ") + std::string(ts::Type(child));
      }
    }
    if (operands.size() == 2) {
      TSNode a = operands[0], b = operands[1];
      bool folded = false;
      if (op == "in" || op == "not in") {
        Condition is;
        if (IsOrigin(a, env, &folded)) {
          is = Membership(loader_.program().Evaluate(b, module_, &env), span,
                          folded);
        } else if (IsOrigin(b, env, &folded)) {
          PyValue needle = loader_.program().Evaluate(a, module_, &env);
          if (needle.kind != PyValue::Kind::kString) {
            return Condition::Unknown(span);
          }
          is = Condition::Check(
              loader_.AddCheck(OriginCheckKind::kSubstring, needle.text, span,
                               "substring test", folded),
              span);
        } else {
          return Condition::Unknown(span);
        }
        return op == "in" ? is : Condition::Not(std::move(is));
      }
      if (op == "==" || op == "!=" || op == "is" || op == "is not") {
        for (int swap = 0; swap < 2; ++swap) {
          TSNode x = swap ? b : a, y = swap ? a : b;
          if (module_.Text(Unparen(x)) == "request.method") {
            PyValue method = loader_.program().Evaluate(y, module_, &env);
            if (method.kind != PyValue::Kind::kString) break;
            Condition is;
            is.kind = Condition::Kind::kMethodIs;
            is.method = method.text;
            is.span = span;
            return op == "==" ? is : Condition::Not(std::move(is));
          }
          if (IsOrigin(x, env, &folded)) {
            PyValue other = loader_.program().Evaluate(y, module_, &env);
            Condition is;
            if (other.kind == PyValue::Kind::kString) {
              is = Condition::Check(
                  loader_.AddCheck(OriginCheckKind::kExact, other.text,
                                   other.span(), "origin comparison", folded),
                  span);
            } else if (other.kind == PyValue::Kind::kNone) {
              Condition has;
              has.kind = Condition::Kind::kHasOrigin;
              is = Condition::Not(has);
            } else {
              break;
            }
            bool positive = op == "==" || op == "is";
            return positive ? is : Condition::Not(std::move(is));
          }
        }
      }
    }
  }
  if (type == "call") {
    TSNode callee = ts::Field(node, "function");
    std::string name(module_.Text(callee));
    Arguments args = ReadArguments(node, module_);
    bool folded = false;
    // re.match(pattern, origin[, flags])
    if ((name == "re.match" || name == "re.fullmatch" || name == "re.search") &&
        args.positional.size() >= 2 &&
        IsOrigin(args.positional[1], env, &folded)) {
      PyValue pattern =
          loader_.program().Evaluate(args.positional[0], module_, &env);
      TSNode flags = args.positional.size() > 2 ? args.positional[2]
                                                : args.Keyword("flags");
      std::string flag_text(module_.Text(flags));
      bool insensitive = flag_text.find("re.I") != std::string::npos ||
                         flag_text.find("IGNORECASE") != std::string::npos ||
                         pattern.case_insensitive;
      if (pattern.kind == PyValue::Kind::kString ||
          pattern.kind == PyValue::Kind::kRegex) {
        RegexAnchor anchor = name == "re.search"      ? RegexAnchor::kSearch
                             : name == "re.fullmatch" ? RegexAnchor::kFull
                                                      : RegexAnchor::kStart;
        return Condition::Check(
            loader_.AddCheck(OriginCheckKind::kRegex, pattern.text,
                             pattern.span().valid() ? pattern.span() : span,
                             name + " pattern", insensitive, anchor),
            span);
      }
    }
    if (ts::Is(callee, "attribute") && args.positional.size() == 1) {
      std::string method(module_.Text(ts::Field(callee, "attribute")));
      TSNode object = ts::Field(callee, "object");
      // PATTERN.match(origin) with PATTERN = re.compile(...)
      if ((method == "match" || method == "fullmatch" || method == "search") &&
          IsOrigin(args.positional[0], env, &folded)) {
        PyValue pattern = loader_.program().Evaluate(object, module_, &env);
        if (pattern.kind == PyValue::Kind::kRegex) {
          RegexAnchor anchor = method == "search"      ? RegexAnchor::kSearch
                               : method == "fullmatch" ? RegexAnchor::kFull
                                                       : RegexAnchor::kStart;
          return Condition::Check(
              loader_.AddCheck(OriginCheckKind::kRegex, pattern.text,
                               pattern.span(), "re." + method + " pattern",
                               pattern.case_insensitive, anchor),
              span);
        }
      }
      if ((method == "startswith" || method == "endswith") &&
          IsOrigin(object, env, &folded)) {
        PyValue needle =
            loader_.program().Evaluate(args.positional[0], module_, &env);
        OriginCheckKind kind = method == "startswith"
                                   ? OriginCheckKind::kPrefix
                                   : OriginCheckKind::kSuffix;
        std::vector<PyValue> needles;
        if (needle.kind == PyValue::Kind::kString) needles.push_back(needle);
        if (needle.kind == PyValue::Kind::kList) needles = needle.items;
        Condition any;
        any.kind = Condition::Kind::kAny;
        any.span = span;
        for (const PyValue& item : needles) {
          if (item.kind != PyValue::Kind::kString) {
            any.operands.push_back(Condition::Unknown(span));
            continue;
          }
          any.operands.push_back(Condition::Check(
              loader_.AddCheck(kind, item.text, span, method + " test", folded),
              span));
        }
        if (!any.operands.empty()) return any;
      }
    }
  }

  bool folded = false;
  if (IsOrigin(node, env, &folded)) {
    Condition has;
    has.kind = Condition::Kind::kHasOrigin;
    has.span = span;
    return has;
  }
  if (module_.Text(node) == "request.method") return Condition::Constant(true);
  PyValue value = loader_.program().Evaluate(node, module_, &env);
  if (std::optional<bool> truthy = value.Truthy()) {
    return Condition::Constant(*truthy);
  }

  std::string text(module_.Text(node));
  bool reads_origin = ToLower(text).find("origin") != std::string::npos;
  for (const auto& [name, bound] : env) {
    if (bound.kind == PyValue::Kind::kOrigin &&
        text.find(name) != std::string::npos) {
      reads_origin = true;
    }
  }
  if (reads_origin) {
    loader_.AddCheck(OriginCheckKind::kUnknown, text.substr(0, 80), span,
                     "origin test", false);
    loader_.Note(span,
                 "cannot classify this origin test; the origins it "
                 "admits are unknown");
  }
  return Condition::Unknown(span);
}

// ----- flask-cors options ----------------------------------------------------

Pattern Loader::MakePattern(const PyValue& value, Span fallback, bool origin,
                            const std::string& construct) {
  Pattern pattern;
  pattern.span = value.span().valid() ? value.span() : fallback;
  if (value.kind == PyValue::Kind::kRegex) {
    pattern.text = value.text;
    pattern.regex = true;
    if (origin) {
      pattern.check =
          AddCheck(OriginCheckKind::kRegex, value.text, pattern.span,
                   "re.compile", value.case_insensitive);
      pattern.compiled = document_->origin_checks[pattern.check].regex;
    } else {
      RegexOptions options{RegexDialect::kPython, RegexAnchor::kStart,
                           value.case_insensitive};
      std::string error;
      pattern.compiled = Regex::Compile(value.text, options, &error);
    }
    return pattern;
  }
  if (value.kind != PyValue::Kind::kString) {
    pattern.known = false;
    pattern.text = value.module != nullptr
                       ? std::string(value.module->Text(value.node))
                       : "";
    if (origin) {
      pattern.check = AddCheck(OriginCheckKind::kUnknown, pattern.text,
                               pattern.span, construct, false);
      Note(pattern.span,
           "cannot evaluate this origin; what flask-cors "
           "allows here is unknown");
    }
    return pattern;
  }
  // re_fix: '*' is the regex '.*'.
  pattern.text = value.text == "*" ? ".*" : value.text;
  pattern.wildcard = pattern.text == ".*";
  pattern.regex = ProbablyRegex(pattern.text) || pattern.wildcard;
  if (origin) {
    if (pattern.wildcard) {
      pattern.check =
          AddCheck(OriginCheckKind::kAny, "*", pattern.span, construct, true);
    } else if (pattern.regex) {
      pattern.check = AddCheck(OriginCheckKind::kRegex, pattern.text,
                               pattern.span, construct + " regex", true);
    } else {
      pattern.check = AddCheck(OriginCheckKind::kExact, pattern.text,
                               pattern.span, construct, true);
    }
    if (pattern.regex && !pattern.wildcard) {
      pattern.compiled = document_->origin_checks[pattern.check].regex;
    }
  }
  if (pattern.regex && !pattern.compiled) {
    RegexOptions options{RegexDialect::kPython, RegexAnchor::kStart, !origin};
    // Headers match case-insensitively; resource paths case-sensitively.
    options.case_insensitive = construct != "resource";
    std::string error;
    pattern.compiled = Regex::Compile(pattern.text, options, &error);
  }
  return pattern;
}

CorsOptions Loader::Serialize(const Options& options, Span call) {
  CorsOptions out;
  out.call = call;
  out.origins_span = out.methods_span = out.allow_headers_span = call;
  out.expose_span = out.credentials_span = out.max_age_span = call;

  std::optional<PyValue> origins, allow_headers;
  static const std::set<std::string> kKnown = {"origins",
                                               "methods",
                                               "allow_headers",
                                               "expose_headers",
                                               "supports_credentials",
                                               "max_age",
                                               "send_wildcard",
                                               "automatic_options",
                                               "vary_header",
                                               "resources",
                                               "intercept_exceptions",
                                               "always_send",
                                               "allow_private_network"};
  for (const auto& [key, value] : options) {
    Span span = value.span().valid() ? value.span() : call;
    if (key == "[splat]") {
      out.unknown = true;
      Note(call,
           "these flask-cors options come from a mapping the analyzer "
           "cannot read; what they allow is unknown");
      AddCheck(OriginCheckKind::kUnknown, "options", call, "flask-cors options",
               false);
      continue;
    }
    if (!kKnown.count(key) ||
        (key == "allow_private_network" && app_->line < 6)) {
      Note(span, "flask-cors ignores the unknown option \"" + key + "\"" +
                     (key == "origin" ? "; did you mean \"origins\"?" : ""));
      continue;
    }
    if (key == "origins") {
      origins = value;
      out.origins_span = span;
    } else if (key == "allow_headers") {
      allow_headers = value;
      out.allow_headers_span = span;
    } else if (key == "methods") {
      out.methods_span = span;
      std::vector<std::string> methods;
      std::vector<PyValue> items = value.kind == PyValue::Kind::kList
                                       ? value.items
                                       : std::vector<PyValue>{value};
      out.methods_known = true;
      for (const PyValue& item : items) {
        if (item.kind != PyValue::Kind::kString) out.methods_known = false;
        methods.push_back(item.text);
      }
      // flexible_str sorts the items as written, then upper-cases.
      if (value.kind == PyValue::Kind::kList) {
        std::sort(methods.begin(), methods.end());
      }
      for (std::string& method : methods) {
        for (char& c : method) c = static_cast<char>(std::toupper(c));
      }
      out.methods.clear();
      for (const std::string& method : methods) {
        out.methods += (out.methods.empty() ? "" : ", ") + method;
      }
      if (value.kind == PyValue::Kind::kNone) out.methods = "";
    } else if (key == "expose_headers") {
      out.expose_span = span;
      if (value.kind == PyValue::Kind::kNone) {
        out.expose_headers = std::nullopt;
      } else if (value.kind == PyValue::Kind::kString) {
        out.expose_headers = value.text;
      } else if (value.kind == PyValue::Kind::kList) {
        std::vector<std::string> names;
        for (const PyValue& item : value.items) {
          if (item.kind != PyValue::Kind::kString) out.expose_known = false;
          names.push_back(item.text);
        }
        std::sort(names.begin(), names.end());
        std::string joined;
        for (const std::string& name : names) {
          joined += (joined.empty() ? "" : ", ") + name;
        }
        out.expose_headers = joined;
      } else {
        out.expose_known = false;
      }
    } else if (key == "supports_credentials") {
      out.credentials_span = span;
      std::optional<bool> truthy = value.Truthy();
      out.credentials = !truthy   ? Tri::kUnknown
                        : *truthy ? Tri::kYes
                                  : Tri::kNo;
    } else if (key == "max_age") {
      out.max_age_span = span;
      if (value.kind == PyValue::Kind::kNone) {
        out.max_age = std::nullopt;
      } else if (value.kind == PyValue::Kind::kNumber ||
                 value.kind == PyValue::Kind::kString) {
        out.max_age = value.text;
      } else {
        out.max_age_known = false;
      }
    } else {
      std::optional<bool> truthy = value.Truthy();
      bool flag = truthy.value_or(true);
      if (key == "send_wildcard") out.send_wildcard = truthy.value_or(false);
      if (key == "vary_header") out.vary_header = flag;
      if (key == "automatic_options") out.automatic_options = flag;
      if (key == "always_send") out.always_send = flag;
      if (key == "intercept_exceptions") out.intercept_exceptions = flag;
      if (key == "allow_private_network") {
        out.allow_private_network = truthy.value_or(false);
      }
    }
  }

  // origins: one pattern, or a list of them; strings are never split.
  std::vector<PyValue> origin_items;
  if (!origins) {
    PyValue star;
    star.kind = PyValue::Kind::kString;
    star.text = "*";
    origin_items.push_back(star);
  } else if (origins->kind == PyValue::Kind::kList) {
    origin_items = origins->items;
  } else if (origins->known()) {
    origin_items.push_back(*origins);
  } else {
    out.origins_known = false;
    AddCheck(OriginCheckKind::kUnknown,
             origins->module != nullptr
                 ? std::string(origins->module->Text(origins->node))
                 : "origins",
             out.origins_span, "flask-cors origins", false);
    Note(out.origins_span,
         "cannot evaluate `origins`; the origins "
         "flask-cors allows here are unknown");
  }
  for (const PyValue& item : origin_items) {
    out.origins.push_back(
        MakePattern(item, out.origins_span, true, "flask-cors origin"));
  }

  std::vector<PyValue> header_items;
  if (!allow_headers) {
    PyValue star;
    star.kind = PyValue::Kind::kString;
    star.text = "*";
    header_items.push_back(star);
  } else if (allow_headers->kind == PyValue::Kind::kList) {
    header_items = allow_headers->items;
  } else if (allow_headers->known()) {
    header_items.push_back(*allow_headers);
  } else {
    out.allow_headers_known = false;
  }
  for (const PyValue& item : header_items) {
    out.allow_headers.push_back(
        MakePattern(item, out.allow_headers_span, false, "allow_headers"));
  }

  bool wildcard = std::any_of(out.origins.begin(), out.origins.end(),
                              [](const Pattern& p) { return p.wildcard; });
  if (wildcard && out.credentials == Tri::kYes && out.send_wildcard) {
    document_->errors.push_back(
        {Locate(call),
         "flask-cors raises ValueError at startup: `supports_credentials` "
         "with the origin `*` and `send_wildcard`"});
  }
  return out;
}

void Loader::AddKeywords(const Arguments& args, const PyModule& module,
                         Options* options) {
  for (const auto& [key, node] : args.keywords) {
    PyValue value = program_.Evaluate(node, module);
    value.node = node;
    value.module = &module;
    options->emplace_back(key, std::move(value));
  }
  for (TSNode splat : args.splats) {
    PyValue value = program_.Evaluate(splat, module);
    if (value.kind != PyValue::Kind::kDict) {
      options->emplace_back("[splat]", value);
      continue;
    }
    for (const auto& entry : value.entries) options->push_back(entry);
  }
}

void Loader::RegisterExtension(const Options& kwargs, const std::string& target,
                               Span span) {
  Options merged = config_;
  merged.insert(merged.end(), kwargs.begin(), kwargs.end());

  Extension extension;
  extension.span = span;
  extension.blueprint = blueprints_.count(target) ? target : "";
  CorsOptions base = Serialize(merged, span);
  extension.intercept_exceptions = base.intercept_exceptions;

  // resources: a pattern, a list, a compiled regex or a dict of options.
  const PyValue* resources = nullptr;
  for (const auto& [key, value] : merged) {
    if (key == "resources") resources = &value;
  }
  auto resource_pattern = [&](const PyValue& value, Span fallback) {
    Pattern pattern = MakePattern(value, fallback, false, "resource");
    return pattern;
  };
  if (resources == nullptr) {
    PyValue all;
    all.kind = PyValue::Kind::kString;
    all.text = "/*";
    extension.resources.push_back({resource_pattern(all, span), base});
  } else if (resources->kind == PyValue::Kind::kDict) {
    std::vector<std::pair<std::tuple<int, int, long, long>, Resource>> sorted;
    for (const auto& [key, value] : resources->entries) {
      PyValue key_value;
      key_value.kind =
          value.regex_key ? PyValue::Kind::kRegex : PyValue::Kind::kString;
      key_value.text = key;
      key_value.node = value.node;
      key_value.module = value.module;
      Options per_resource = merged;
      if (value.kind == PyValue::Kind::kDict) {
        for (const auto& entry : value.entries) {
          per_resource.push_back(entry);
        }
      } else if (value.known()) {
        Note(value.span(), "the options of a resource must be a dict");
      } else {
        per_resource.emplace_back("[splat]", value);
      }
      Pattern path = resource_pattern(key_value, span);
      std::string text = path.text;
      long slashes = std::count(text.begin(), text.end(), '/');
      // parse_resources' order: literal paths, compiled regexes, string
      // regexes; within each, more slashes first, then longer.
      int group = path.regex ? 1 : 0;
      int sub = value.regex_key ? 0 : group;
      sorted.push_back({{group, sub, -slashes, -static_cast<long>(text.size())},
                        {path, Serialize(per_resource, span)}});
    }
    std::stable_sort(
        sorted.begin(), sorted.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [key, resource] : sorted) {
      extension.resources.push_back(std::move(resource));
    }
  } else if (resources->kind == PyValue::Kind::kList) {
    for (const PyValue& item : resources->items) {
      extension.resources.push_back({resource_pattern(item, span), base});
    }
  } else if (resources->kind == PyValue::Kind::kString ||
             resources->kind == PyValue::Kind::kRegex) {
    extension.resources.push_back({resource_pattern(*resources, span), base});
  } else {
    Note(resources->span(),
         "cannot evaluate `resources`; flask-cors is "
         "taken to cover every path");
    PyValue all;
    all.kind = PyValue::Kind::kString;
    all.text = "/*";
    extension.resources.push_back({resource_pattern(all, span), base});
  }

  app_->extensions.push_back(std::move(extension));
  Hook hook;
  hook.extension = static_cast<int>(app_->extensions.size()) - 1;
  hook.blueprint = app_->extensions.back().blueprint;
  hook.span = span;
  app_->hooks.push_back(std::move(hook));
}

void Loader::ReadConfigAssignment(TSNode assignment) {
  TSNode left = ts::Field(assignment, "left");
  if (!ts::Is(left, "subscript")) return;
  std::string object(module_->Text(ts::Field(left, "value")));
  if (!object.ends_with(".config")) return;
  PyValue key = program_.Evaluate(ts::Field(left, "subscript"), *module_);
  if (key.kind != PyValue::Kind::kString || !key.text.starts_with("CORS_")) {
    return;
  }
  std::string option = ToLower(key.text.substr(5));
  PyValue value = program_.Evaluate(ts::Field(assignment, "right"), *module_);
  value.node = ts::Field(assignment, "right");
  value.module = module_;
  if (value.kind == PyValue::Kind::kNone) return;  // ignored by flask-cors
  config_.emplace_back(option, std::move(value));
}

void Loader::ReadCall(TSNode call) {
  TSNode callee = ts::Field(call, "function");
  std::string name(module_->Text(callee));
  Arguments args = ReadArguments(call, *module_);
  Span span = module_->SpanOf(call);

  // Which names are flask-cors's CORS and Flask's Blueprint.
  auto imported_as = [&](std::string_view local, std::string_view wanted) {
    const PyModule::Binding* binding = module_->Find(local);
    if (binding != nullptr) {
      return binding->import_name == wanted ||
             (binding->import_name.empty() &&
              binding->import_module.find(wanted) != std::string::npos);
    }
    return local == wanted;
  };
  bool cors_call = imported_as(name, "CORS") || name == "flask_cors.CORS";
  if (cors_call) {
    Options kwargs;
    AddKeywords(args, *module_, &kwargs);
    TSNode target =
        args.positional.empty() ? args.Keyword("app") : args.positional[0];
    if (ts_node_is_null(target)) {
      // cors = CORS(**kw); cors.init_app(app) later.
      TSNode parent = ts_node_parent(call);
      if (ts::Is(parent, "assignment")) {
        factories_[std::string(module_->Text(ts::Field(parent, "left")))] =
            kwargs;
      }
      return;
    }
    RegisterExtension(kwargs, std::string(module_->Text(target)), span);
    return;
  }
  if (ts::Is(callee, "attribute")) {
    std::string object(module_->Text(ts::Field(callee, "object")));
    std::string method(module_->Text(ts::Field(callee, "attribute")));
    if (method == "init_app" && factories_.count(object) &&
        !args.positional.empty()) {
      Options kwargs = factories_[object];
      AddKeywords(args, *module_, &kwargs);
      RegisterExtension(kwargs, std::string(module_->Text(args.positional[0])),
                        span);
      return;
    }
    if (method == "update" && object.ends_with(".config")) {
      Options updates;
      AddKeywords(args, *module_, &updates);
      if (!args.positional.empty()) {
        PyValue dict = program_.Evaluate(args.positional[0], *module_);
        for (const auto& entry : dict.entries) updates.push_back(entry);
      }
      for (auto& [key, value] : updates) {
        if (!key.starts_with("CORS_") || value.kind == PyValue::Kind::kNone) {
          continue;
        }
        config_.emplace_back(ToLower(key.substr(5)), value);
      }
      return;
    }
    if (method == "register_blueprint" && !args.positional.empty()) {
      std::string blueprint(module_->Text(args.positional[0]));
      TSNode prefix = args.Keyword("url_prefix");
      if (!ts_node_is_null(prefix)) {
        PyValue value = program_.Evaluate(prefix, *module_);
        if (value.kind == PyValue::Kind::kString) {
          std::string old = blueprint_prefix_[blueprint];
          blueprint_prefix_[blueprint] = value.text;
          // Routes read before the registration get the new prefix.
          for (Route& route : app_->routes) {
            if (route.blueprint == blueprint && route.path.starts_with(old)) {
              route.path = value.text + route.path.substr(old.size());
            }
          }
        }
      }
      if (!blueprints_.count(blueprint)) app_->unseen_routes = true;
      return;
    }
    if ((method == "after_request" || method == "after_app_request") &&
        args.positional.size() == 1) {
      PyValue function = program_.Evaluate(args.positional[0], *module_);
      if (function.kind == PyValue::Kind::kFunction &&
          ts::Is(function.node, "function_definition")) {
        Hook hook;
        hook.blueprint = method == "after_request" && blueprints_.count(object)
                             ? object
                             : "";
        FunctionCompiler compiler(*this, *function.module, function.node,
                                  FunctionCompiler::Role::kHook);
        hook.block = compiler.Compile();
        hook.span = span;
        app_->hooks.push_back(std::move(hook));
      }
      return;
    }
  }
  if (imported_as(name, "Blueprint") || name == "flask.Blueprint") {
    TSNode parent = ts_node_parent(call);
    if (!ts::Is(parent, "assignment")) return;
    std::string blueprint(module_->Text(ts::Field(parent, "left")));
    blueprints_.insert(blueprint);
    TSNode prefix = args.Keyword("url_prefix");
    if (!ts_node_is_null(prefix)) {
      PyValue value = program_.Evaluate(prefix, *module_);
      if (value.kind == PyValue::Kind::kString) {
        blueprint_prefix_[blueprint] = value.text;
      }
    }
  }
}

void Loader::ReadDecorated(TSNode node) {
  TSNode function = ts::Field(node, "definition");
  if (!ts::Is(function, "function_definition")) return;

  std::vector<Route> routes;
  int decorator = -1;
  bool hook = false;
  std::string hook_blueprint;
  for (TSNode child : ts::NamedChildren(node)) {
    if (!ts::Is(child, "decorator")) continue;
    std::vector<TSNode> inner = ts::NamedChildren(child);
    if (inner.empty()) continue;
    TSNode expression = inner[0];
    TSNode call = ts::Is(expression, "call") ? expression : TSNode{};
    TSNode callee =
        ts_node_is_null(call) ? expression : ts::Field(call, "function");
    std::string name(module_->Text(callee));

    if (name.ends_with(".after_request") ||
        name.ends_with(".after_app_request")) {
      hook = true;
      std::string object = name.substr(0, name.rfind('.'));
      if (name.ends_with(".after_request") && blueprints_.count(object)) {
        hook_blueprint = object;
      }
      continue;
    }
    if (name == "cross_origin" || name.ends_with(".cross_origin")) {
      Options kwargs = config_;
      if (!ts_node_is_null(call)) {
        AddKeywords(ReadArguments(call, *module_), *module_, &kwargs);
      }
      CorsOptions options = Serialize(kwargs, module_->SpanOf(child));
      options.mechanism = "@cross_origin";
      app_->decorators.push_back(std::move(options));
      decorator = static_cast<int>(app_->decorators.size()) - 1;
      continue;
    }
    if (ts_node_is_null(call) || !ts::Is(callee, "attribute")) continue;
    std::string method(module_->Text(ts::Field(callee, "attribute")));
    std::string object(module_->Text(ts::Field(callee, "object")));
    static const std::set<std::string> kVerbs = {"get", "post", "put", "patch",
                                                 "delete"};
    if (method != "route" && !kVerbs.count(method)) continue;
    Arguments args = ReadArguments(call, *module_);
    if (args.positional.empty()) continue;
    PyValue rule = program_.Evaluate(args.positional[0], *module_);
    if (rule.kind != PyValue::Kind::kString) {
      Note(module_->SpanOf(child), "cannot evaluate this route's rule");
      continue;
    }
    Route route;
    route.blueprint = blueprints_.count(object) ? object : "";
    route.path = blueprint_prefix_[route.blueprint] + rule.text;
    route.span = module_->SpanOf(child);
    if (method == "route") {
      TSNode methods = args.Keyword("methods");
      PyValue list = program_.Evaluate(methods, *module_);
      if (ts_node_is_null(methods)) {
        route.methods = {"GET"};
      } else if (list.kind == PyValue::Kind::kList) {
        for (const PyValue& item : list.items) {
          std::string upper = item.text;
          for (char& c : upper) c = static_cast<char>(std::toupper(c));
          route.methods.push_back(upper);
        }
      } else {
        route.methods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
        Note(module_->SpanOf(methods), "cannot evaluate `methods`");
      }
    } else {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(c));
      route.methods = {upper};
    }
    routes.push_back(std::move(route));
  }

  if (hook) {
    Hook registered;
    registered.blueprint = hook_blueprint;
    FunctionCompiler compiler(*this, *module_, function,
                              FunctionCompiler::Role::kHook);
    registered.block = compiler.Compile();
    registered.span = module_->SpanOf(function);
    app_->hooks.push_back(std::move(registered));
    return;
  }
  if (routes.empty()) return;
  // A view that touches no header only matters by its status, taken as the
  // handler's: its body is not compiled.
  std::string_view text = module_->Text(function);
  static constexpr std::string_view kHeaderUses[] = {
      ".headers", "Access-Control", "access-control", "make_response"};
  bool needed = std::any_of(std::begin(kHeaderUses), std::end(kHeaderUses),
                            [&](std::string_view use) {
                              return text.find(use) != std::string_view::npos;
                            });
  Block view;
  if (needed) {
    FunctionCompiler compiler(*this, *module_, function,
                              FunctionCompiler::Role::kView);
    view = compiler.Compile();
  }
  for (Route& route : routes) {
    route.view = view;
    route.decorator = decorator;
    // Flask adds HEAD to GET; OPTIONS is answered automatically, or by
    // @cross_origin when it handles OPTIONS.
    route.explicit_options =
        std::find(route.methods.begin(), route.methods.end(), "OPTIONS") !=
        route.methods.end();
    if (decorator >= 0 && app_->decorators[decorator].automatic_options &&
        !route.explicit_options) {
      route.methods.push_back("OPTIONS");
    }
    app_->routes.push_back(std::move(route));
  }
}

void Loader::Run(const SourceFile& file) {
  module_ = program_.LoadRoot(file);
  if (module_ == nullptr) return;
  app_->document = document_;

  for (TSNode node : module_->events()) {
    std::string_view type = ts::Type(node);
    if (type == "decorated_definition") {
      ReadDecorated(node);
    } else if (type == "assignment") {
      ReadConfigAssignment(node);
    } else {
      ReadCall(node);
    }
  }
  if (app_->routes.empty()) app_->unseen_routes = true;

  // Scopes: one per route path, and one per resource pattern that no route
  // shows.
  std::vector<std::string> paths;
  std::map<std::string, std::vector<int>> by_path;
  std::vector<int> all;
  for (size_t i = 0; i < app_->routes.size(); ++i) {
    all.push_back(static_cast<int>(i));
    const std::string& path = app_->routes[i].path;
    if (!by_path.count(path)) paths.push_back(path);
    by_path[path].push_back(static_cast<int>(i));
  }
  bool cors =
      !app_->extensions.empty() || !app_->decorators.empty() ||
      std::any_of(app_->hooks.begin(), app_->hooks.end(),
                  [](const Hook& h) { return code::TouchesCors(h.block); }) ||
      std::any_of(app_->routes.begin(), app_->routes.end(),
                  [](const Route& r) { return code::TouchesCors(r.view); });
  if (!cors) return;
  // Two paths that reach the same flask-cors resources and routes that
  // differ only in code that sets no CORS header answer alike: only the
  // first of them is a scope.
  std::set<std::string> sampled;
  std::set<std::string> signatures;
  auto signature = [&](const std::string& sample) {
    std::string text;
    for (const Extension& extension : app_->extensions) {
      size_t index = 0;
      while (index < extension.resources.size() &&
             !MatchPattern(extension.resources[index].path, sample, true)) {
        ++index;
      }
      text += std::to_string(index) + ";";
    }
    for (size_t i = 0; i < app_->routes.size(); ++i) {
      const Route& route = app_->routes[i];
      if (!RuleMatches(route.path, sample)) continue;
      if (route.decorator >= 0 || code::TouchesCors(route.view)) {
        text += "route" + std::to_string(i) + ";";
        continue;
      }
      text += route.blueprint + ":";
      for (const std::string& method : route.methods) text += method + ",";
      text += code::DumpBlock(route.view, document_->origin_checks) + ";";
    }
    return text;
  };
  for (const std::string& path : paths) {
    std::string sample = SampleRulePath(path);
    if (!sampled.insert(sample).second) continue;
    if (!signatures.insert(signature(sample)).second) continue;
    auto scope = std::make_unique<FlaskScope>(app_, all);
    scope->name = "route " + path;
    scope->span = app_->routes[by_path[path].front()].span;
    scope->sample_path = sample;
    for (int index : by_path[path]) {
      for (const std::string& method : app_->routes[index].methods) {
        if (method == "OPTIONS" ||
            std::find(scope->methods.begin(), scope->methods.end(), method) !=
                scope->methods.end()) {
          continue;
        }
        scope->methods.push_back(method);
      }
    }
    document_->scopes.push_back(std::move(scope));
  }
  for (const Extension& extension : app_->extensions) {
    for (const Resource& resource : extension.resources) {
      bool covered = std::any_of(
          sampled.begin(), sampled.end(), [&](const std::string& sample) {
            return MatchPattern(resource.path, sample, true);
          });
      if (covered) continue;
      // A path the pattern matches: its literal start.
      std::string sample = resource.path.text;
      size_t meta = sample.find_first_of("*\\]?$^[().+{|");
      if (resource.path.regex && meta != std::string::npos) {
        sample = sample.substr(0, meta);
      }
      if (sample.empty() || sample[0] != '/') sample = "/" + sample;
      if (!MatchPattern(resource.path, sample, true)) sample += "x";
      if (!sampled.insert(sample).second) continue;
      auto scope = std::make_unique<FlaskScope>(app_, all);
      scope->name = "resource " + resource.path.text;
      scope->span =
          resource.path.span.valid() ? resource.path.span : extension.span;
      scope->sample_path = sample;
      document_->scopes.push_back(std::move(scope));
    }
  }
}

}  // namespace

bool LooksLikeFlask(const std::string& text) {
  return text.find("flask_cors") != std::string::npos ||
         code::NamesCorsHeader(text);
}

std::unique_ptr<Document> Load(const std::string& path, std::string text,
                               const LoadOptions& options) {
  const SourceFile* file = nullptr;
  std::unique_ptr<Document> document =
      code::NewCodeDocument(Format::kFlask, path, std::move(text),
                            options.max_file_bytes, "Python", &file);
  if (file != nullptr) Loader(document.get(), options).Run(*file);
  return document;
}

}  // namespace corslint::flask
