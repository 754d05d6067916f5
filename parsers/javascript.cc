#include "parsers/javascript.h"

#include <algorithm>
#include <filesystem>
#include <iterator>

namespace corslint::js {

namespace fs = std::filesystem;

namespace {

// Evaluation follows bindings and imports at most this deep; a cycle or a
// longer chain evaluates to kUnknown.
constexpr int kMaxDepth = 48;

// Sibling modules are followed this many `require` steps from the root.
constexpr size_t kMaxModules = 32;

Value Unknown(TSNode node, const Module* module) {
  Value value;
  value.node = node;
  value.module = module;
  return value;
}

Value Make(Value::Kind kind, TSNode node, const Module* module) {
  Value value;
  value.kind = kind;
  value.node = node;
  value.module = module;
  return value;
}

// Decodes the escapes of a JavaScript string literal's body.
std::string Unescape(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 == raw.size()) {
      out += c;
      continue;
    }
    char next = raw[++i];
    switch (next) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '0':
        out += '\0';
        break;
      case '\n':
        break;
      default:
        out += next;
    }
  }
  return out;
}

bool IsInside(const std::string& path, const std::vector<std::string>& roots) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  if (error) return false;
  std::string text = canonical.string();
  for (const std::string& root : roots) {
    if (text == root || text.starts_with(root + "/")) return true;
  }
  return false;
}

}  // namespace

const Value* Value::Get(std::string_view key) const {
  const Value* found = nullptr;
  for (const auto& [name, value] : properties) {
    if (name == key) found = &value;
  }
  return found;
}

std::optional<bool> Value::Truthy() const {
  switch (kind) {
    case Kind::kUndefined:
    case Kind::kNull:
      return false;
    case Kind::kBool:
      return boolean;
    case Kind::kNumber:
      return !(text == "0" || text == "-0" || text == "0.0" || text == "NaN");
    case Kind::kString:
      return !text.empty();
    case Kind::kRegex:
    case Kind::kArray:
    case Kind::kObject:
    case Kind::kFunction:
      return true;
    default:
      return std::nullopt;
  }
}

std::optional<std::string> Value::AsString() const {
  switch (kind) {
    case Kind::kString:
    case Kind::kNumber:
      return text;
    case Kind::kBool:
      return boolean ? "true" : "false";
    case Kind::kUndefined:
      return "undefined";
    case Kind::kNull:
      return "null";
    default:
      return std::nullopt;
  }
}

Span Value::span() const {
  if (module == nullptr || ts_node_is_null(node)) return Span{};
  return module->SpanOf(node);
}

const Value* Env::Find(std::string_view name) const {
  auto it = names.find(name);
  return it == names.end() ? nullptr : &it->second;
}

std::optional<std::string> StringLiteral(TSNode node, const SourceFile& file) {
  node = Unwrap(node);
  if (ts::Is(node, "string")) {
    std::string_view text = ts::Text(node, file);
    if (text.size() < 2) return std::nullopt;
    return Unescape(text.substr(1, text.size() - 2));
  }
  if (ts::Is(node, "template_string")) {
    for (TSNode child : ts::NamedChildren(node)) {
      if (ts::Is(child, "template_substitution")) return std::nullopt;
    }
    std::string_view text = ts::Text(node, file);
    if (text.size() < 2) return std::nullopt;
    return Unescape(text.substr(1, text.size() - 2));
  }
  return std::nullopt;
}

TSNode Unwrap(TSNode node) {
  while (!ts_node_is_null(node)) {
    std::string_view type = ts::Type(node);
    if (type == "parenthesized_expression" || type == "as_expression" ||
        type == "satisfies_expression" || type == "non_null_expression" ||
        type == "type_assertion") {
      std::vector<TSNode> children = ts::NamedChildren(node);
      if (children.empty()) return node;
      // `<T>x` puts the type first; every other form the expression.
      node = type == "type_assertion" ? children.back() : children.front();
      continue;
    }
    return node;
  }
  return node;
}

Module::Module(const SourceFile& file, ts::Grammar grammar)
    : file_(file), tree_(grammar, file) {
  if (tree_.ok()) ReadDeclarations();
}

const Module::Binding* Module::Find(std::string_view name) const {
  auto it = bindings_.find(name);
  if (it == bindings_.end() || it->second.ambiguous) return nullptr;
  return &it->second;
}

void Module::Bind(std::string name, Binding binding) {
  auto [it, inserted] = bindings_.emplace(name, binding);
  if (!inserted) it->second.ambiguous = true;
}

bool IsRouteMethod(std::string_view name) {
  static constexpr std::string_view kMethods[] = {
      "use", "get", "post", "put", "patch", "delete", "options", "head", "all"};
  return std::find(std::begin(kMethods), std::end(kMethods), name) !=
         std::end(kMethods);
}

void Module::ReadDeclarations() { ReadDeclarations(root()); }

void Module::ReadDeclarations(TSNode top) {
  // One pass over the tree collects the bindings and the calls the Express
  // reader looks at. The arguments of those calls (route handlers, cors
  // options) are read when the calls are, not here: they hold most of an
  // application's code and declare nothing the module binds.
  ts::Walk(top, [&](TSNode node) {
    if (!ts_node_is_named(node)) return false;
    std::string_view type = ts::Type(node);

    if (type == "call_expression") {
      TSNode callee = Unwrap(ts::Field(node, "function"));
      if (ts::Is(callee, "member_expression") &&
          IsRouteMethod(Text(ts::Field(callee, "property")))) {
        route_calls_.push_back(node);
        // `app.route('/x').get(a).post(b)`: the chain is in the callee.
        ReadDeclarations(ts::Field(callee, "object"));
        return false;
      }
      return true;
    }
    if (type == "string" || type == "template_string" || type == "regex" ||
        type == "number" || type == "comment" || type == "identifier" ||
        type == "property_identifier") {
      return false;
    }

    if (type == "variable_declarator") {
      TSNode name = ts::Field(node, "name");
      TSNode value = ts::Field(node, "value");
      if (ts::Is(name, "identifier")) {
        Bind(std::string(Text(name)), Binding(value));
      } else if (ts::Is(name, "object_pattern")) {
        for (TSNode part : ts::NamedChildren(name)) {
          if (ts::Is(part, "shorthand_property_identifier_pattern")) {
            std::string key(Text(part));
            Bind(key, Binding(value, key));
          } else if (ts::Is(part, "pair_pattern")) {
            TSNode alias = ts::Field(part, "value");
            if (!ts::Is(alias, "identifier")) continue;
            std::optional<std::string> key =
                StringLiteral(ts::Field(part, "key"), file_);
            Bind(std::string(Text(alias)),
                 Binding(
                     value,
                     key ? *key : std::string(Text(ts::Field(part, "key")))));
          }
        }
      }
      return true;
    }

    if (type == "function_declaration") {
      TSNode name = ts::Field(node, "name");
      if (!ts_node_is_null(name)) {
        Bind(std::string(Text(name)), Binding(node));
      }
      return true;
    }

    if (type == "import_statement") {
      std::optional<std::string> source =
          StringLiteral(ts::Field(node, "source"), file_);
      if (!source) return false;
      for (TSNode clause : ts::NamedChildren(node)) {
        if (!ts::Is(clause, "import_clause")) continue;
        for (TSNode part : ts::NamedChildren(clause)) {
          if (ts::Is(part, "identifier")) {
            Bind(std::string(Text(part)),
                 Binding(TSNode{}, "", *source, "default"));
          } else if (ts::Is(part, "namespace_import")) {
            for (TSNode id : ts::NamedChildren(part)) {
              Bind(std::string(Text(id)), Binding(TSNode{}, "", *source, "*"));
            }
          } else if (ts::Is(part, "named_imports")) {
            for (TSNode spec : ts::NamedChildren(part)) {
              TSNode name = ts::Field(spec, "name");
              TSNode alias = ts::Field(spec, "alias");
              std::string imported(Text(name));
              std::string local(Text(ts_node_is_null(alias) ? name : alias));
              Bind(local, Binding(TSNode{}, "", *source, imported));
            }
          }
        }
      }
      return false;
    }

    if (type == "export_statement") {
      TSNode value = ts::Field(node, "value");
      if (!ts_node_is_null(value)) exports_["default"] = value;
      TSNode declaration = ts::Field(node, "declaration");
      if (!ts_node_is_null(declaration)) {
        bool is_default = false;
        for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
          is_default =
              is_default || ts::Type(ts_node_child(node, i)) == "default";
        }
        if (ts::Is(declaration, "lexical_declaration") ||
            ts::Is(declaration, "variable_declaration")) {
          for (TSNode declarator : ts::NamedChildren(declaration)) {
            TSNode name = ts::Field(declarator, "name");
            if (ts::Is(name, "identifier")) {
              exports_[std::string(Text(name))] = name;
            }
          }
        } else {
          TSNode name = ts::Field(declaration, "name");
          if (!ts_node_is_null(name)) {
            exports_[std::string(Text(name))] = name;
          }
          if (is_default) exports_["default"] = declaration;
        }
      }
      for (TSNode part : ts::NamedChildren(node)) {
        if (!ts::Is(part, "export_clause")) continue;
        for (TSNode spec : ts::NamedChildren(part)) {
          TSNode name = ts::Field(spec, "name");
          TSNode alias = ts::Field(spec, "alias");
          exports_[std::string(Text(ts_node_is_null(alias) ? name : alias))] =
              name;
        }
      }
      return true;
    }

    if (type == "assignment_expression") {
      TSNode left = ts::Field(node, "left");
      std::string target(Text(left));
      TSNode right = ts::Field(node, "right");
      if (target == "module.exports") {
        exports_["module.exports"] = right;
      } else if (target.starts_with("module.exports.")) {
        exports_[target.substr(15)] = right;
      } else if (target.starts_with("exports.")) {
        exports_[target.substr(8)] = right;
      }
      return true;
    }
    return true;
  });
}

Program::Program(Document* document, std::vector<std::string> allowed_roots,
                 size_t max_file_bytes)
    : document_(document),
      allowed_roots_(std::move(allowed_roots)),
      max_file_bytes_(max_file_bytes) {}

void Program::Note(const Span& span, std::string message) {
  for (const ModelNote& note : document_->notes) {
    if (note.span.file == span.file && note.span.begin == span.begin &&
        note.message == message) {
      return;
    }
  }
  document_->notes.push_back({span, std::move(message)});
}

const Module* Program::LoadRoot(const SourceFile& file) {
  auto module = std::make_unique<Module>(file, ts::GrammarForPath(file.path()));
  const Module* root = module.get();
  std::string language =
      ts::GrammarForPath(file.path()) == ts::Grammar::kJavaScript
          ? "javascript"
          : "typescript";
  ts::CollectSyntaxErrors(module->tree(), language, 20, &document_->errors);
  modules_[file.path()] = std::move(module);
  return root->tree().ok() ? root : nullptr;
}

const Module* Program::Load(const std::string& path) {
  auto it = modules_.find(path);
  if (it != modules_.end()) return it->second.get();
  if (modules_.size() >= kMaxModules) return nullptr;

  std::string text, error;
  if (!ReadSourceFile(path, max_file_bytes_, &text, &error)) return nullptr;
  const SourceFile* file = document_->AddFile(path, std::move(text));
  auto module = std::make_unique<Module>(*file, ts::GrammarForPath(path));
  const Module* loaded = module.get();
  modules_[path] = std::move(module);
  if (!loaded->tree().ok()) return nullptr;
  return loaded;
}

Value Program::Import(const Module& from, std::string_view source,
                      std::string_view name, TSNode at, int depth) {
  if (!source.starts_with("./") && !source.starts_with("../")) {
    Value value = Unknown(at, &from);
    if (source == "cors" || source == "express") {
      value.kind = Value::Kind::kCall;
      value.text = "package:" + std::string(source);
      value.flags = std::string(name);
    }
    return value;
  }

  fs::path base = fs::path(from.file().path()).parent_path() / source;
  std::string found;
  for (const char* suffix :
       {"", ".js", ".ts", ".mjs", ".cjs", ".tsx", "/index.js", "/index.ts"}) {
    fs::path candidate = base.string() + suffix;
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) {
      found = candidate.lexically_normal().string();
      break;
    }
  }
  if (found.empty()) {
    Note(from.SpanOf(at), "cannot find the module \"" + std::string(source) +
                              "\"; its values are unknown");
    return Unknown(at, &from);
  }
  if (!IsInside(found, allowed_roots_)) {
    Note(from.SpanOf(at), "the module \"" + std::string(source) +
                              "\" is outside the checked tree and is not read");
    return Unknown(at, &from);
  }
  const Module* module = Load(found);
  if (module == nullptr) {
    Note(from.SpanOf(at), "cannot read the module \"" + std::string(source) +
                              "\"; its values are unknown");
    return Unknown(at, &from);
  }
  return ModuleValue(*module, name, depth + 1);
}

Value Program::ModuleValue(const Module& module, std::string_view name,
                           int depth) {
  const auto& exports = module.exports();
  auto whole = exports.find("module.exports");
  if (name == "*" || name == "default") {
    if (name == "default") {
      auto it = exports.find("default");
      if (it != exports.end())
        return Evaluate(it->second, module, nullptr, depth);
    }
    if (whole != exports.end()) {
      return Evaluate(whole->second, module, nullptr, depth);
    }
    Value object = Make(Value::Kind::kObject, module.root(), &module);
    for (const auto& [key, node] : exports) {
      object.properties.emplace_back(key,
                                     Evaluate(node, module, nullptr, depth));
    }
    return object;
  }
  auto it = exports.find(name);
  if (it != exports.end()) return Evaluate(it->second, module, nullptr, depth);
  if (whole != exports.end()) {
    Value value = Evaluate(whole->second, module, nullptr, depth);
    if (const Value* property = value.Get(name)) return *property;
  }
  return Unknown(module.root(), &module);
}

Value Program::Resolve(std::string_view name, const Module& module, TSNode at,
                       int depth) {
  if (depth > kMaxDepth) return Unknown(at, &module);
  const Module::Binding* binding = module.Find(name);
  if (binding == nullptr) {
    if (name == "undefined") return Make(Value::Kind::kUndefined, at, &module);
    return Unknown(at, &module);
  }
  Value value;
  if (!binding->import_source.empty()) {
    value =
        Import(module, binding->import_source, binding->import_name, at, depth);
  } else if (ts::Is(binding->init, "function_declaration")) {
    value = Make(Value::Kind::kFunction, binding->init, &module);
  } else if (ts_node_is_null(binding->init)) {
    return Unknown(at, &module);
  } else {
    value = Evaluate(binding->init, module, nullptr, depth + 1);
  }
  if (!binding->property.empty()) {
    const Value* property = value.Get(binding->property);
    if (property != nullptr) return *property;
    if (value.kind == Value::Kind::kCall) {
      // `const { Router } = require('express')`.
      Value member = value;
      member.flags = binding->property;
      return member;
    }
    return Unknown(at, &module);
  }
  return value;
}

TSNode Program::FunctionOf(const Value& value) {
  if (value.kind == Value::Kind::kFunction) return value.node;
  return TSNode{};
}

Value Program::EvaluateCall(TSNode node, const Module& module, const Env* env,
                            int depth) {
  TSNode callee = Unwrap(ts::Field(node, "function"));
  if (ts_node_is_null(callee)) callee = Unwrap(ts::Field(node, "constructor"));
  std::vector<TSNode> args = ts::NamedChildren(ts::Field(node, "arguments"));

  // require('x')
  if (ts::Is(callee, "identifier") && module.Text(callee) == "require" &&
      args.size() == 1) {
    std::optional<std::string> source = StringLiteral(args[0], module.file());
    if (source) return Import(module, *source, "*", node, depth);
  }

  // new RegExp(source, flags) and RegExp(source, flags)
  if (ts::Is(callee, "identifier") && module.Text(callee) == "RegExp" &&
      !args.empty()) {
    Value source = Evaluate(args[0], module, env, depth + 1);
    Value flags = args.size() > 1 ? Evaluate(args[1], module, env, depth + 1)
                                  : Make(Value::Kind::kString, node, &module);
    if (source.kind == Value::Kind::kRegex && args.size() == 1) return source;
    if (source.kind != Value::Kind::kString ||
        flags.kind != Value::Kind::kString) {
      return Unknown(node, &module);
    }
    Value regex = Make(Value::Kind::kRegex, node, &module);
    regex.text = source.text;
    regex.flags = flags.text;
    return regex;
  }

  // 'a,b'.split(',') and [...].concat(...) on known values.
  if (ts::Is(callee, "member_expression")) {
    std::string_view method = module.Text(ts::Field(callee, "property"));
    Value object =
        Evaluate(ts::Field(callee, "object"), module, env, depth + 1);
    if (method == "split" && object.kind == Value::Kind::kString &&
        args.size() == 1) {
      Value separator = Evaluate(args[0], module, env, depth + 1);
      if (separator.kind != Value::Kind::kString || separator.text.empty()) {
        return Unknown(node, &module);
      }
      Value array = Make(Value::Kind::kArray, node, &module);
      size_t start = 0;
      while (true) {
        size_t at = object.text.find(separator.text, start);
        Value item = Make(Value::Kind::kString, node, &module);
        item.text = object.text.substr(
            start, at == std::string::npos ? std::string::npos : at - start);
        array.items.push_back(std::move(item));
        if (at == std::string::npos) break;
        start = at + separator.text.size();
      }
      return array;
    }
    if (method == "concat" && object.kind == Value::Kind::kArray) {
      for (TSNode arg : args) {
        Value more = Evaluate(arg, module, env, depth + 1);
        if (more.kind == Value::Kind::kArray) {
          for (Value& item : more.items)
            object.items.push_back(std::move(item));
        } else if (more.known()) {
          object.items.push_back(std::move(more));
        } else {
          return Unknown(node, &module);
        }
      }
      object.node = node;
      return object;
    }
    if ((method == "toLowerCase" || method == "trim") &&
        object.kind == Value::Kind::kString) {
      if (method == "toLowerCase") object.text = ToLower(object.text);
      return object;
    }
  }

  Value call = Make(Value::Kind::kCall, node, &module);
  call.text = std::string(module.Text(callee));
  return call;
}

Value Program::Evaluate(TSNode node, const Module& module, const Env* env,
                        int depth) {
  node = Unwrap(node);
  if (ts_node_is_null(node) || depth > kMaxDepth) return Unknown(node, &module);
  std::string_view type = ts::Type(node);

  if (type == "string" || type == "template_string") {
    std::optional<std::string> text = StringLiteral(node, module.file());
    if (!text) return Unknown(node, &module);
    Value value = Make(Value::Kind::kString, node, &module);
    value.text = std::move(*text);
    return value;
  }
  if (type == "number") {
    Value value = Make(Value::Kind::kNumber, node, &module);
    value.text = std::string(module.Text(node));
    return value;
  }
  if (type == "true" || type == "false") {
    Value value = Make(Value::Kind::kBool, node, &module);
    value.boolean = type == "true";
    return value;
  }
  if (type == "null") return Make(Value::Kind::kNull, node, &module);
  if (type == "undefined") return Make(Value::Kind::kUndefined, node, &module);
  if (type == "regex") {
    Value value = Make(Value::Kind::kRegex, node, &module);
    value.text = std::string(module.Text(ts::Field(node, "pattern")));
    value.flags = std::string(module.Text(ts::Field(node, "flags")));
    return value;
  }
  if (type == "arrow_function" || type == "function_expression" ||
      type == "function" || type == "function_declaration") {
    return Make(Value::Kind::kFunction, node, &module);
  }

  if (type == "array") {
    Value array = Make(Value::Kind::kArray, node, &module);
    for (TSNode element : ts::NamedChildren(node)) {
      if (ts::Is(element, "spread_element")) {
        std::vector<TSNode> inner = ts::NamedChildren(element);
        Value spread = inner.empty()
                           ? Unknown(element, &module)
                           : Evaluate(inner[0], module, env, depth + 1);
        if (spread.kind != Value::Kind::kArray) return Unknown(node, &module);
        for (Value& item : spread.items) array.items.push_back(std::move(item));
        continue;
      }
      array.items.push_back(Evaluate(element, module, env, depth + 1));
    }
    return array;
  }

  if (type == "object") {
    Value object = Make(Value::Kind::kObject, node, &module);
    for (TSNode member : ts::NamedChildren(node)) {
      std::string_view member_type = ts::Type(member);
      if (member_type == "pair") {
        TSNode key = ts::Field(member, "key");
        std::optional<std::string> name = StringLiteral(key, module.file());
        if (!name) {
          if (ts::Is(key, "computed_property_name")) {
            // `[x]: v` names a property the analyzer cannot tell.
            object.properties.emplace_back("[computed]",
                                           Unknown(member, &module));
            continue;
          }
          name = std::string(module.Text(key));
        }
        object.properties.emplace_back(
            *name,
            Evaluate(ts::Field(member, "value"), module, env, depth + 1));
      } else if (member_type == "shorthand_property_identifier") {
        std::string name(module.Text(member));
        const Value* local = env != nullptr ? env->Find(name) : nullptr;
        object.properties.emplace_back(
            name, local != nullptr ? *local
                                   : Resolve(name, module, member, depth + 1));
      } else if (member_type == "method_definition") {
        object.properties.emplace_back(
            std::string(module.Text(ts::Field(member, "name"))),
            Make(Value::Kind::kFunction, member, &module));
      } else if (member_type == "spread_element") {
        std::vector<TSNode> inner = ts::NamedChildren(member);
        Value spread = inner.empty()
                           ? Unknown(member, &module)
                           : Evaluate(inner[0], module, env, depth + 1);
        if (spread.kind != Value::Kind::kObject) {
          // Any property may come from an unknown spread.
          object.properties.emplace_back("[spread]", Unknown(member, &module));
          continue;
        }
        for (auto& property : spread.properties) {
          object.properties.push_back(std::move(property));
        }
      }
    }
    return object;
  }

  if (type == "identifier" || type == "shorthand_property_identifier") {
    std::string_view name = module.Text(node);
    if (env != nullptr) {
      if (const Value* local = env->Find(name)) return *local;
    }
    return Resolve(name, module, node, depth + 1);
  }

  if (type == "member_expression" || type == "subscript_expression") {
    TSNode object_node = ts::Field(node, "object");
    std::string key;
    if (type == "member_expression") {
      key = std::string(module.Text(ts::Field(node, "property")));
    } else {
      Value index = Evaluate(ts::Field(node, "index"), module, env, depth + 1);
      std::optional<std::string> text = index.AsString();
      if (!text) return Unknown(node, &module);
      key = *text;
    }
    Value object = Evaluate(object_node, module, env, depth + 1);
    if (object.kind == Value::Kind::kObject) {
      if (const Value* property = object.Get(key)) return *property;
      if (object.Get("[spread]") != nullptr ||
          object.Get("[computed]") != nullptr) {
        return Unknown(node, &module);
      }
      return Make(Value::Kind::kUndefined, node, &module);
    }
    if (object.kind == Value::Kind::kArray && key == "length") {
      Value length = Make(Value::Kind::kNumber, node, &module);
      length.text = std::to_string(object.items.size());
      return length;
    }
    if (object.kind == Value::Kind::kCall &&
        object.text.starts_with("package:")) {
      Value member = object;
      member.flags = key;
      return member;
    }
    return Unknown(node, &module);
  }

  if (type == "call_expression" || type == "new_expression") {
    return EvaluateCall(node, module, env, depth);
  }

  if (type == "binary_expression") {
    std::string_view op = module.Text(ts::Field(node, "operator"));
    Value left = Evaluate(ts::Field(node, "left"), module, env, depth + 1);
    if (op == "||" || op == "??") {
      std::optional<bool> truthy = left.Truthy();
      bool nullish = left.kind == Value::Kind::kUndefined ||
                     left.kind == Value::Kind::kNull;
      if (!left.known()) return Unknown(node, &module);
      if (op == "||" ? *truthy : !nullish) return left;
      return Evaluate(ts::Field(node, "right"), module, env, depth + 1);
    }
    if (op == "&&") {
      std::optional<bool> truthy = left.Truthy();
      if (!truthy) return Unknown(node, &module);
      if (!*truthy) return left;
      return Evaluate(ts::Field(node, "right"), module, env, depth + 1);
    }
    Value right = Evaluate(ts::Field(node, "right"), module, env, depth + 1);
    if (op == "+" && (left.kind == Value::Kind::kString ||
                      right.kind == Value::Kind::kString)) {
      std::optional<std::string> a = left.AsString(), b = right.AsString();
      if (!a || !b) return Unknown(node, &module);
      Value value = Make(Value::Kind::kString, node, &module);
      value.text = *a + *b;
      return value;
    }
    return Unknown(node, &module);
  }

  if (type == "unary_expression") {
    std::string_view op = module.Text(ts::Field(node, "operator"));
    Value argument =
        Evaluate(ts::Field(node, "argument"), module, env, depth + 1);
    if (op == "!") {
      std::optional<bool> truthy = argument.Truthy();
      if (!truthy) return Unknown(node, &module);
      Value value = Make(Value::Kind::kBool, node, &module);
      value.boolean = !*truthy;
      return value;
    }
    if (op == "-" && argument.kind == Value::Kind::kNumber) {
      argument.text = "-" + argument.text;
      argument.node = node;
      return argument;
    }
    return Unknown(node, &module);
  }

  return Unknown(node, &module);
}

}  // namespace corslint::js
