// Nesting depth of a JSON text without parsing it: JSON libraries recurse on nested values, so
// callers refuse texts deeper than they can afford before handing them over.
#pragma once
#include <cstddef>
#include <string_view>

namespace mlaudit {

// Deepest nesting of arrays/objects in a JSON text (strings skipped), counted without parsing,
// stopping once `limit` is exceeded.
size_t json_nesting_depth(std::string_view text, size_t limit);

}  // namespace mlaudit
