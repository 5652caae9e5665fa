// What the tree-sitter analyzers (python/, javascript/) share: the iterative walk of a syntax
// tree (never recursive: 100,000 nested parentheses must not overflow the stack) and source
// text with runs of whitespace collapsed, as calls' callee and receiver texts are kept.
#pragma once
#include <tree_sitter/api.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlaudit {

// Pre-order walk from `root`: `visit(node, depth)` returns whether to descend into the node's
// children; `leave(depth)` is called whenever the walk moves away from a node at `depth` (to its
// next sibling or up to its parent), so a visitor can close the scopes it opened there.
template <class Visit, class Leave>
void walk_syntax_tree(TSNode root, Visit&& visit, Leave&& leave) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  bool descend = visit(ts_tree_cursor_current_node(&cursor), depth);
  while (true) {
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
    } else {
      while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
        if (!ts_tree_cursor_goto_parent(&cursor)) { ts_tree_cursor_delete(&cursor); return; }
        --depth;
        leave(depth);
      }
      leave(depth);  // leaving the sibling we moved away from
    }
    descend = visit(ts_tree_cursor_current_node(&cursor), depth);
  }
}

// `text` with whitespace runs dropped, except one space between two word characters
// (`await  x` -> `await x`, `a .\n b()` -> `a.b()`), cut at `cap` bytes. Python also counts a
// line-continuation backslash as whitespace.
inline std::string collapse_whitespace(std::string_view text, size_t cap, bool backslash_is_space) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (backslash_is_space && c == '\\')) { space = true; continue; }
    if (space && !out.empty() && std::isalnum(static_cast<unsigned char>(out.back())) && std::isalnum(static_cast<unsigned char>(c)))
      out += ' ';
    space = false;
    out += c;
    if (out.size() >= cap) break;
  }
  return out;
}

}  // namespace mlaudit
