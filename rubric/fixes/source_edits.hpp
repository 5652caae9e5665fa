// The text surgery fixes share: where a new top-level line goes, line bounds and endings, and
// adding, replacing or removing one argument of a call with its commas kept clean. Works on
// Facts ranges plus the text; never on a syntax tree.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "analyzers/facts.hpp"
#include "rubric/finding.hpp"
#include "rubric/fixes/fix.hpp"

namespace mlaudit::rubric::fixes {

// "\r\n" when the text uses it, else "\n".
std::string line_ending(std::string_view text);

// [start, end) of the 0-based `row` (rows split on '\n', as Facts points are), without "\r\n".
std::pair<uint32_t, uint32_t> row_bounds(std::string_view text, uint32_t row);

// Offset just after the line holding `offset` (after its '\n'; the text's end when none).
uint32_t after_line(std::string_view text, uint32_t offset);

// The leading whitespace of the line holding `offset`.
std::string indentation_at(std::string_view text, uint32_t offset);

// Where a new module-level line goes after the imports: after the last top-level import
// statement, else after leading comments and the module docstring. `prefix` is the line
// ending to put first when the text ends there without one.
struct LinePoint {
  uint32_t offset = 0;
  std::string prefix;
};
LinePoint after_imports(const facts::FileFacts& file, std::string_view text);

// The local name a module is bound to by a plain `import` (`import numpy as np` -> "np",
// `import numpy.random` -> "numpy"), or "" when the file does not bind it. `top_level_only`:
// only module-level imports count (code added at module level cannot use a function's import
// or one inside `try:`).
std::string module_binding(const facts::FileFacts& file, const std::string& module, bool top_level_only = false);

// Whether `name` is bound in the file by an import or a module-level assignment.
bool name_bound(const facts::FileFacts& file, const std::string& name);

// Whether `name` is bound to something other than the module `name` itself (so that a new
// `import name` would change what the file means by it).
bool bound_to_other(const facts::FileFacts& file, const std::string& name);

// The call a finding sits on (its callee or one of its arguments), or nullptr.
const facts::Call* call_of(const facts::FileFacts& file, const Finding& finding);

// Index of the call's argument with `keyword` (or, when `position` >= 0, the positional one
// there), or -1.
int argument_index(const facts::Call& call, const std::string& keyword, int position = -1);

// Whether a `**splat` could hold a keyword the fix adds (adding it again would be a TypeError).
bool has_dict_splat(const facts::Call& call);

// `keyword=value` added as the call's last argument: after the last argument, or on its own
// line when the arguments already stand one per line with a trailing comma.
std::optional<Edit> add_keyword(const facts::Call& call, std::string_view text, const std::string& argument);

// The call's argument `index` removed with the comma that separated it.
std::optional<Edit> remove_argument(const facts::Call& call, std::string_view text, size_t index);

}  // namespace mlaudit::rubric::fixes
