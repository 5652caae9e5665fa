// Small helpers shared by the signal readers of pipeline and infrastructure files: a signal on
// a whole line, YAML text read into keys (with the config reader's bounds) or a ParseError, and
// the questions readers ask of `out.config` keys.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/config.hpp"
#include "analyzers/facts.hpp"
#include "analyzers/manifests/source_lines.hpp"

namespace mlaudit::signal_lines {

inline void add(facts::FileFacts& out, const manifests::SourceLines& lines, std::string id, std::string detail,
                uint32_t line) {
  if (line >= lines.line_count()) line = lines.line_count() ? lines.line_count() - 1 : 0;
  out.signals.push_back({std::move(id), std::move(detail), lines.trimmed_line(line)});
}

inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
inline bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

inline bool is_yaml_name(std::string_view name) { return ends_with(name, ".yaml") || ends_with(name, ".yml"); }

// The YAML of a file that is not a Config file (MLproject, *.dvc) as keys; a parse error (or an
// exceeded bound) becomes a ParseError at its line and false.
inline bool read_yaml_text(std::string_view text, const manifests::SourceLines& lines, facts::FileFacts& out,
                           std::vector<facts::ConfigKey>& keys) {
  ConfigRead read = read_yaml_config(text);
  if (read.error.empty()) {
    keys = std::move(read.keys);
    return true;
  }
  uint32_t line = 0;  // "invalid YAML at line N: ..." (1-based); a bound has no line
  if (auto at = read.error.find("at line "); at != std::string::npos) {
    line = static_cast<uint32_t>(std::strtoul(read.error.c_str() + at + 8, nullptr, 10));
    if (line > 0) --line;
  }
  out.parse_errors.push_back(manifests::error_at_line(lines, line, read.error));
  return false;
}

// The first key equal to `key`, or nullptr.
inline const facts::ConfigKey* find_key(const std::vector<facts::ConfigKey>& keys, std::string_view key) {
  for (const auto& k : keys)
    if (k.key == key) return &k;
  return nullptr;
}

// A short list of names for a detail ("a, b, c and 4 more").
inline std::string name_list(const std::vector<std::string>& names, size_t shown = 4) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < shown; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

}  // namespace mlaudit::signal_lines
