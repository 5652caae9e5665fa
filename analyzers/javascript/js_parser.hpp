// tree-sitter parsing of JavaScript and TypeScript: the grammar is chosen by the file name
// (.ts/.mts/.cts: TypeScript, .tsx: TSX, .js/.jsx/.mjs/.cjs: JavaScript, whose grammar reads
// JSX too). Whole-text parses only: open documents are parsed again after every change (no
// incremental tree is kept, unlike Python; JS/TS files of LLM apps are small).
#pragma once
#include <tree_sitter/api.h>

#include <memory>
#include <string_view>

namespace mlaudit::javascript {

enum class Dialect : uint8_t { JavaScript, TypeScript, Tsx };

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

const TSLanguage* language(Dialect dialect);

// The dialect of a file name (callers only ask for names is_javascript_path accepts).
Dialect dialect_of(std::string_view path);

// Parses `text` from scratch with the dialect's grammar (a TSParser per thread and dialect).
TreePtr parse(std::string_view text, Dialect dialect);

}  // namespace mlaudit::javascript
