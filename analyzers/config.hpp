// Configuration files as keys: YAML (every document of a stream) and JSON become dotted key
// paths with their scalar values (facts::ConfigKey). Both readers are bounded so a hostile file
// costs milliseconds: nodes visited (YAML aliases re-visit shared nodes, so a "billion laughs"
// stops at the budget), keys kept, nesting depth. A parse error or an exceeded bound is the
// returned reason; nothing throws.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit {

inline constexpr size_t kConfigMaxNodes = 100000;   // nodes visited, aliases expanded
inline constexpr size_t kConfigMaxKeys = 5000;      // keys kept; the rest are dropped silently
inline constexpr size_t kConfigMaxDepth = 200;      // deeper files are refused
inline constexpr size_t kConfigMaxValue = 200;      // bytes of a scalar value kept
inline constexpr size_t kConfigMaxJsonBytes = 256 * 1024;  // larger JSON files are data, not config

struct ConfigRead {
  std::vector<facts::ConfigKey> keys;
  std::string error;  // "" when read; else why not ("invalid YAML at line 3: ...")
  uint32_t error_line = 0;  // 0-based line of a syntax error (0 for the other reasons)
  bool template_text = false;  // not YAML but a Go/Helm template (`{{ ... }}`) that fails to parse as YAML
};

ConfigRead read_yaml_config(std::string_view text);
ConfigRead read_json_config(std::string_view text);

// Whether `path` names a JSON (rather than YAML) configuration file.
bool is_json_config_path(std::string_view path);

}  // namespace mlaudit
