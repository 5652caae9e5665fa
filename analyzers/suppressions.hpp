// Inline suppression comments: `# mlaudit: ignore[rule-a, rule-b]` or `# mlaudit: ignore` for
// the line, `# mlaudit: ignore-file[rule-a]` or `# mlaudit: ignore-file` for the whole file.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit {

// The rule ids a comment suppresses on its line (empty vector: every rule), or nullopt if it
// is not a line suppression (`ignore-file` is not).
std::optional<std::vector<std::string>> parse_suppression(std::string_view comment);

// The rule ids an `# mlaudit: ignore-file[...]` comment suppresses in the whole file (empty
// vector: every rule), or nullopt if it is not one.
std::optional<std::vector<std::string>> parse_file_suppression(std::string_view comment);

// Suppressions in `#` comments of a line-oriented file (requirements, later YAML and TOML).
std::vector<facts::Suppression> scan_hash_comment_suppressions(std::string_view text);

}  // namespace mlaudit
