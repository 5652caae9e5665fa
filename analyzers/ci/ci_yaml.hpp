// yaml-cpp helpers shared by the YAML CI readers. The config reader has already parsed the same
// text within its node budget (a file over the budget is skipped before any reader runs), so
// walking it again is bounded; the readers still only follow the paths they need (jobs, steps,
// scripts), and count what they visit.
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit::ci {

inline constexpr size_t kMaxVisits = 100000;  // nodes a reader looks at, aliases counted again

// The first non-empty document of `text`, or a null node when it cannot be read (the config
// reader reports why).
YAML::Node load_document(std::string_view text);

uint32_t line_of(const YAML::Node& node);

// The scalar's text, "" for anything else.
std::string scalar(const YAML::Node& node);

// The line a scalar's text starts on: the line after `|`/`>` for a block scalar.
uint32_t text_line(const YAML::Node& node, std::string_view text);

// A map's key nodes by name (a const lookup that never inserts).
YAML::Node child(const YAML::Node& map, const char* key);

// The line of `key` itself in `map` (a map value starts on the next line when it is a block).
uint32_t key_line(const YAML::Node& map, const char* key);

// Runs a reader; an exception (a reader bug, never expected) becomes a parse error on the file
// rather than a crash or a silent skip.
void guarded(facts::FileFacts& out, const std::function<void()>& read);

// Every string of a scalar or a (nested) list of scalars, with its first line: `script:` in
// GitLab is a string or a list of strings, lists may nest (anchors of lists).
void strings_of(const YAML::Node& node, std::string_view text, std::vector<std::pair<std::string, uint32_t>>& out,
                size_t& visits, int depth = 0);

}  // namespace mlaudit::ci
