#include "parsers/tree_sitter_support.h"

#include <chrono>
#include <functional>
#include <unordered_map>

extern "C" {
const TSLanguage* tree_sitter_javascript(void);
const TSLanguage* tree_sitter_typescript(void);
const TSLanguage* tree_sitter_tsx(void);
const TSLanguage* tree_sitter_python(void);
}

namespace corslint::ts {

namespace {

// Parsing is linear in the input; this bound only stops pathological input
// from holding a worker for ever.
constexpr auto kParseBudget = std::chrono::seconds(30);

const TSLanguage* Language(Grammar grammar) {
  switch (grammar) {
    case Grammar::kJavaScript:
      return tree_sitter_javascript();
    case Grammar::kTypeScript:
      return tree_sitter_typescript();
    case Grammar::kTsx:
      return tree_sitter_tsx();
    case Grammar::kPython:
      return tree_sitter_python();
  }
  return tree_sitter_javascript();
}

// One parser per grammar and thread, reused across files.
TSParser* ParserFor(Grammar grammar) {
  struct Parsers {
    TSParser* parsers[4] = {};
    ~Parsers() {
      for (TSParser* parser : parsers) {
        if (parser != nullptr) ts_parser_delete(parser);
      }
    }
  };
  thread_local Parsers cache;
  TSParser*& parser = cache.parsers[static_cast<int>(grammar)];
  if (parser == nullptr) {
    parser = ts_parser_new();
    ts_parser_set_language(parser, Language(grammar));
  }
  return parser;
}

struct Deadline {
  std::chrono::steady_clock::time_point until;
};

bool PastDeadline(TSParseState* state) {
  auto* deadline = static_cast<Deadline*>(state->payload);
  return std::chrono::steady_clock::now() > deadline->until;
}

}  // namespace

Grammar GrammarForPath(std::string_view path) {
  if (path.ends_with(".py")) return Grammar::kPython;
  if (path.ends_with(".tsx")) return Grammar::kTsx;
  if (path.ends_with(".ts") || path.ends_with(".mts") ||
      path.ends_with(".cts")) {
    return Grammar::kTypeScript;
  }
  return Grammar::kJavaScript;
}

bool ParsesCleanly(Grammar grammar, std::string text) {
  SourceFile file("", std::move(text));
  Tree tree(grammar, file);
  return tree.ok() && !ts_node_has_error(tree.root());
}

Tree::Tree(Grammar grammar, const SourceFile& file) : file_(file) {
  TSParser* parser = ParserFor(grammar);
  Deadline deadline{std::chrono::steady_clock::now() + kParseBudget};
  TSParseOptions options{&deadline, PastDeadline};
  TSInput input{};
  struct Reader {
    const std::string* text;
  } reader{&file.text()};
  input.payload = &reader;
  input.encoding = TSInputEncodingUTF8;
  input.read = [](void* payload, uint32_t byte, TSPoint, uint32_t* read) {
    const std::string& text = *static_cast<Reader*>(payload)->text;
    if (byte >= text.size()) {
      *read = 0;
      return "";
    }
    *read = static_cast<uint32_t>(text.size() - byte);
    return text.data() + byte;
  };
  tree_ = ts_parser_parse_with_options(parser, nullptr, input, options);
  if (tree_ == nullptr) ts_parser_reset(parser);
}

Tree::~Tree() {
  if (tree_ != nullptr) ts_tree_delete(tree_);
}

TSNode Tree::root() const { return ts_tree_root_node(tree_); }

TSNode Field(TSNode node, std::string_view name) {
  if (ts_node_is_null(node)) return node;
  // Field names are looked up once per grammar and thread; a lookup by
  // name compares it with every field name of the grammar.
  struct Key {
    const TSLanguage* language;
    std::string_view name;
    bool operator==(const Key& other) const = default;
  };
  struct Hash {
    size_t operator()(const Key& key) const {
      return std::hash<const void*>()(key.language) ^
             std::hash<std::string_view>()(key.name);
    }
  };
  thread_local std::unordered_map<Key, TSFieldId, Hash> ids;
  const TSLanguage* language = ts_node_language(node);
  auto [it, inserted] = ids.try_emplace(Key{language, name}, 0);
  if (inserted) {
    it->second = ts_language_field_id_for_name(
        language, name.data(), static_cast<uint32_t>(name.size()));
  }
  if (it->second == 0) return TSNode{};
  return ts_node_child_by_field_id(node, it->second);
}

std::string_view Text(TSNode node, const SourceFile& file) {
  if (ts_node_is_null(node)) return {};
  uint32_t begin = ts_node_start_byte(node), end = ts_node_end_byte(node);
  return std::string_view(file.text()).substr(begin, end - begin);
}

Span SpanOf(TSNode node, const SourceFile& file) {
  if (ts_node_is_null(node)) return Span{};
  return Span{&file, ts_node_start_byte(node), ts_node_end_byte(node)};
}

std::vector<TSNode> NamedChildren(TSNode node) {
  std::vector<TSNode> children;
  if (ts_node_is_null(node)) return children;
  // A cursor visits the children in one pass; ts_node_named_child(i)
  // would walk from the first child every time.
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(child) && !ts_node_is_extra(child)) {
        children.push_back(child);
      }
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return children;
}

void CollectSyntaxErrors(const Tree& tree, std::string_view language,
                         size_t limit, std::vector<InputError>* errors) {
  const SourceFile& file = tree.file();
  if (!tree.ok()) {
    errors->push_back({Location{file.path()},
                       "the " + std::string(language) +
                           " parser gave up on this file (it took longer "
                           "than its time budget)"});
    return;
  }
  if (!ts_node_has_error(tree.root())) return;

  size_t found = 0;
  Walk(tree.root(), [&](TSNode node) {
    if (found >= limit) return false;
    if (!ts_node_has_error(node)) return false;
    bool missing = ts_node_is_missing(node);
    if (!missing && !ts_node_is_error(node)) return true;

    Location where = Locate(SpanOf(node, file));
    std::string message;

    // An ERROR that runs to the end of the file usually holds a bracket
    // that is never closed: the unmatched opener is a direct child.
    TSNode opener{};
    size_t rest =
        file.text().find_first_not_of(" \t\r\n", ts_node_end_byte(node));
    if (!missing && rest == std::string::npos) {
      for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
        TSNode child = ts_node_child(node, i);
        std::string_view type = Type(child);
        if (type == "(" || type == "{" || type == "[") opener = child;
      }
    }
    if (!ts_node_is_null(opener)) {
      where = Locate(SpanOf(opener, file));
      message = "syntax error: `" + std::string(Type(opener)) +
                "` is not closed before the end of the file";
    } else if (missing) {
      message = "syntax error: missing `" + std::string(Type(node)) + "`";
    } else {
      std::string_view text = Text(node, file);
      size_t newline = text.find('\n');
      if (newline != std::string_view::npos) text = text.substr(0, newline);
      if (text.size() > 40) text = text.substr(0, 40);
      message = text.empty()
                    ? "syntax error: unexpected end of input"
                    : "syntax error: cannot read `" + std::string(text) + "`";
    }
    message += " (" + std::string(language) + ")";
    errors->push_back({where, std::move(message)});
    ++found;
    return false;
  });
}

}  // namespace corslint::ts
