// Python syntax tree -> PythonFacts. The walk is iterative (a TSTreeCursor, never recursion),
// so 100,000 nested brackets cost time, not the stack.
#pragma once
#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit::python {

// The facts of an open document's top-level statements from its previous extraction, keyed by
// each statement's text: after an edit only statements whose text changed are walked again
// (the walk, not the parse, dominates re-analysis of a large file).
class FactsCache {
 public:
  FactsCache();
  ~FactsCache();
  struct Statement;

 private:
  friend facts::PythonFacts extract_facts(const TSTree*, std::string_view, std::vector<facts::Suppression>*, FactsCache*);
  std::unordered_map<std::string, std::shared_ptr<const Statement>> statements_;
};

// Extracts imports (aliases resolved), calls with qualified names and arguments, simple
// bindings, string literals with context, the main guard and suppression comments. With a
// cache, the result is the same and unchanged statements are not walked again.
facts::PythonFacts extract_facts(const TSTree* tree, std::string_view text,
                                 std::vector<facts::Suppression>* suppressions, FactsCache* cache = nullptr);

}  // namespace mlaudit::python
