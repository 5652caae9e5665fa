// tree-sitter Python parsing: full parses for files on disk, and incremental reparses for open
// documents (ts_tree_edit on the previous tree, then a parse that reuses it).
#pragma once
#include <tree_sitter/api.h>

#include <memory>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit::python {

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

// One edit of a document's text, in bytes and tree-sitter points (rows split on '\n').
struct TextEdit {
  uint32_t start_byte = 0, old_end_byte = 0, new_end_byte = 0;
  facts::Point start, old_end, new_end;
};

const TSLanguage* language();

// Parses `text` from scratch, or incrementally when `old_tree` (already edited) is given.
// A TSParser is not thread-safe, so each thread uses its own.
TreePtr parse(std::string_view text, const TSTree* old_tree = nullptr);

// An open document's syntax tree kept across edits.
class IncrementalTree {
 public:
  // Records an edit on the current tree; call before reparse with the new text.
  void edit(const TextEdit& edit);
  // Parses `text` reusing the edited tree (a text with syntax errors is parsed again from
  // scratch, so its tree never depends on the edit history). Returns the byte ranges
  // tree-sitter reports as changed (empty after the first parse, which has nothing to compare with).
  std::vector<TSRange> reparse(std::string_view text);
  const TSTree* tree() const { return tree_.get(); }
  bool has_tree() const { return tree_ != nullptr; }
  void reset() { tree_.reset(); }

 private:
  TreePtr tree_;
};

}  // namespace mlaudit::python
