// Python syntax tree -> PythonFacts. The walk is iterative (a TSTreeCursor, never recursion),
// so 100,000 nested brackets cost time, not the stack.
#pragma once
#include <tree_sitter/api.h>

#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::python {

// Extracts imports (aliases resolved), calls with qualified names and arguments, simple
// bindings, string literals with context, the main guard and suppression comments.
facts::PythonFacts extract_facts(const TSTree* tree, std::string_view text,
                                 std::vector<facts::Suppression>* suppressions);

}  // namespace mlaudit::python
