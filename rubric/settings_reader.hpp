// Reading settings: `.mlaudit.yaml` (yaml-cpp), `[tool.mlaudit]` in pyproject.toml (toml++) and
// the editor's JSON settings (lsp/ converts them) all become one small tree (ConfigValue) that
// one validator reads, so a key means the same everywhere: kebab-case in files (`target-level`),
// camelCase in LSP settings (`targetLevel`). Every problem (bad key, wrong type, unknown rule id,
// bad level, unparsable file) is reported at the offending key or value; the valid keys still
// apply. Text in, no file system.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rubric/rubric.hpp"
#include "rubric/settings.hpp"

namespace mlaudit::rubric {

// A position in a configuration file: 0-based line and column (bytes).
struct ConfigPosition {
  uint32_t line = 0, column = 0;
  bool operator==(const ConfigPosition&) const = default;
};

struct ConfigProblem {
  ConfigPosition at;
  std::string message;
  bool operator==(const ConfigProblem&) const = default;
};

// A value of any configuration format, with where it was written.
struct ConfigValue {
  enum class Kind { Null, Bool, Integer, Float, String, List, Table, Other };
  Kind kind = Kind::Null;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string text;  // strings; for other scalars their text as written (for messages)
  std::vector<ConfigValue> items;
  struct Entry;
  std::vector<Entry> entries;
  ConfigPosition at;
};
struct ConfigValue::Entry {
  std::string key;
  ConfigPosition key_at;
  ConfigValue value;
};

enum class KeyStyle { Kebab, Camel };

// What one configuration source says.
struct ConfigFile {
  std::string path;     // absolute; "" for editor settings
  bool present = false; // the source has mlaudit settings (a pyproject.toml may have none)
  Settings settings;    // the valid keys
  std::vector<ConfigProblem> problems;
  bool operator==(const ConfigFile&) const = default;
};

// Validates a settings table. `base` is the absolute folder relative paths (exclude,
// per-file-ignores, baseline) are relative to.
ConfigFile read_settings(const ConfigValue& table, KeyStyle style, const std::string& base, const Rubric& rubric);

// Whether `path`'s file name is a configuration file mlaudit reads (.mlaudit.yaml, .mlaudit.yml,
// pyproject.toml).
bool is_settings_file(std::string_view path);

// Reads `text` as the configuration file at `path` (absolute); the format comes from the name.
ConfigFile read_settings_file(const std::string& path, std::string_view text, const Rubric& rubric);

}  // namespace mlaudit::rubric

namespace mlaudit::rubric {

// A configuration file's problems as `invalid-config` findings (severity High, so a broken
// configuration fails `check`): each at its key or value, which `text` (the file's text) locates.
std::vector<Finding> config_findings(const ConfigFile& file, std::string_view text, const std::string& remediation_base);

}  // namespace mlaudit::rubric
