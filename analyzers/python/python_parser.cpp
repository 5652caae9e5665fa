#include "analyzers/python/python_parser.hpp"

#include <cstdlib>
#include <stdexcept>

extern "C" const TSLanguage* tree_sitter_python();

namespace mlaudit::python {
namespace {

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

TSParser* thread_parser() {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> p(ts_parser_new());
    if (!ts_parser_set_language(p.get(), language())) {
      throw std::runtime_error("tree-sitter-python grammar ABI is not supported by the runtime");
    }
    return p;
  }();
  return parser.get();
}

TSPoint to_ts(facts::Point p) { return TSPoint{p.line, p.column}; }

}  // namespace

const TSLanguage* language() { return tree_sitter_python(); }

TreePtr parse(std::string_view text, const TSTree* old_tree) {
  TSParser* parser = thread_parser();
  TSTree* tree = ts_parser_parse_string(parser, old_tree, text.data(), static_cast<uint32_t>(text.size()));
  if (tree == nullptr) {  // only after a timeout or cancellation, which we never set
    ts_parser_reset(parser);
    throw std::runtime_error("tree-sitter returned no tree");
  }
  return TreePtr(tree);
}

void IncrementalTree::edit(const TextEdit& e) {
  if (!tree_) return;
  TSInputEdit input{e.start_byte, e.old_end_byte, e.new_end_byte,
                    to_ts(e.start), to_ts(e.old_end), to_ts(e.new_end)};
  ts_tree_edit(tree_.get(), &input);
}

std::vector<TSRange> IncrementalTree::reparse(std::string_view text) {
  TreePtr fresh = parse(text, tree_.get());
  // Error recovery depends on which old subtrees tree-sitter could reuse, so a tree with errors
  // may differ from a from-scratch parse of the same text (tree-sitter issues #1444, #4001).
  // Facts must not depend on the edit history: such a text is parsed again from scratch.
  if (tree_ && ts_node_has_error(ts_tree_root_node(fresh.get()))) fresh = parse(text);
  std::vector<TSRange> changed;
  if (tree_) {
    uint32_t count = 0;
    TSRange* ranges = ts_tree_get_changed_ranges(tree_.get(), fresh.get(), &count);
    changed.assign(ranges, ranges + count);
    std::free(ranges);
  }
  tree_ = std::move(fresh);
  return changed;
}

}  // namespace mlaudit::python
