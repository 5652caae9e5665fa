// Inline suppression comments: `# mlaudit: ignore[rule-a, rule-b]` or `# mlaudit: ignore`.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit {

// The rule ids a comment suppresses (empty vector: every rule), or nullopt if it is not one.
std::optional<std::vector<std::string>> parse_suppression(std::string_view comment);

// Suppressions in `#` comments of a line-oriented file (requirements, later YAML and TOML).
std::vector<facts::Suppression> scan_hash_comment_suppressions(std::string_view text);

}  // namespace mlaudit
