// Data flow within one scope, after the walk: turns the raw reads of each argument and
// assignment ("$name" for a variable, a callee text for a call) into Argument::sources and
// Binding::sources, the calls whose results reach them. Runs on the whole file's facts (after
// the per-statement cache is assembled), so module-level scripts flow across statements too.
// Deliberately small: one scope (a function, or the module), assignments in source order (the
// latest one before a read wins, no branches or loops), `x = ...` targets only.
#pragma once
#include <cstddef>

#include "analyzers/facts.hpp"

namespace mlaudit::python {

// At most this many sources per argument or binding: enough for any real expression, and a
// bound on what a hostile file can make us keep.
constexpr size_t kMaxFlowSources = 16;

void resolve_flows(facts::PythonFacts& facts);

}  // namespace mlaudit::python
