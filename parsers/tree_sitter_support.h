// Parsing source code with tree-sitter: the grammars corslint links, a tree
// that owns its parse, and the helpers the code loaders share.
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/source.h"

namespace corslint::ts {

enum class Grammar { kJavaScript, kTypeScript, kTsx, kPython };

// The grammar for a file name by its extension: `.ts` is TypeScript,
// `.tsx` is TSX, `.py` is Python and anything else is JavaScript.
Grammar GrammarForPath(std::string_view path);

// A parsed file. The tree keeps pointers into `file`, which must outlive it.
class Tree {
 public:
  Tree(Grammar grammar, const SourceFile& file);
  ~Tree();
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  // False when tree-sitter gave up (it never does on valid input; a parse
  // that runs out of its time budget does). The root is then null.
  bool ok() const { return tree_ != nullptr; }
  TSNode root() const;
  const SourceFile& file() const { return file_; }

 private:
  const SourceFile& file_;
  TSTree* tree_ = nullptr;
};

// Whether `text` parses under `grammar` without an ERROR or MISSING node,
// within the parse budget.
bool ParsesCleanly(Grammar grammar, std::string text);

// The node's grammar type, e.g. "call_expression".
inline std::string_view Type(TSNode node) { return ts_node_type(node); }
inline bool Is(TSNode node, std::string_view type) {
  return !ts_node_is_null(node) && Type(node) == type;
}
// The child in field `name`, or a null node.
TSNode Field(TSNode node, std::string_view name);
std::string_view Text(TSNode node, const SourceFile& file);
Span SpanOf(TSNode node, const SourceFile& file);

// The named children of `node`, comments left out.
std::vector<TSNode> NamedChildren(TSNode node);

// Syntax errors of the tree as input errors, one per ERROR or MISSING node
// (at most `limit`, outermost first), each with the 1-based line and column
// where the error starts and the text that could not be read.
void CollectSyntaxErrors(const Tree& tree, std::string_view language,
                         size_t limit, std::vector<InputError>* errors);

// Calls `visit` on every node of the tree in document order, without
// recursion, so that deeply nested input cannot exhaust the stack. `visit`
// returns false to skip the node's children.
template <typename Visit>
void Walk(TSNode root, Visit visit) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool descend = visit(ts_tree_cursor_current_node(&cursor));
  while (true) {
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
      descend = visit(ts_tree_cursor_current_node(&cursor));
      continue;
    }
    bool moved = false;
    while (!moved) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        moved = true;
      } else if (!ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return;
      }
    }
    descend = visit(ts_tree_cursor_current_node(&cursor));
  }
}

}  // namespace corslint::ts
