// yaml-cpp positions as facts::Range, and its parse errors as facts::ParseError.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>

#include "analyzers/manifests/source_lines.hpp"

namespace mlaudit::manifests {

inline constexpr size_t kYamlMaxItems = 20000;  // list items read; a longer list is cut there

// The scalar `node` from its first byte to the end of its line, a trailing comment cut.
inline facts::Range yaml_scalar_range(const SourceLines& lines, const YAML::Node& node) {
  YAML::Mark mark = node.Mark();
  if (mark.pos < 0 || static_cast<size_t>(mark.pos) > lines.text().size()) return lines.range_at(0, 0);
  size_t start = static_cast<size_t>(mark.pos);
  facts::Range line = lines.line_from(lines.line_of(start), 0);
  std::string_view rest = lines.text().substr(start, line.end_byte > start ? line.end_byte - start : 0);
  if (size_t comment = rest.find(" #"); comment != std::string_view::npos) rest = rest.substr(0, comment);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  return lines.range_at(start, rest.size());
}

inline facts::ParseError yaml_syntax_error(const SourceLines& lines, const YAML::Exception& e) {
  uint32_t line = e.mark.line >= 0 ? static_cast<uint32_t>(e.mark.line) : 0;
  return error_at_line(lines, line, "invalid YAML at line " + std::to_string(line + 1) + ": " + e.msg);
}

inline facts::ParseError yaml_wrong_type(const SourceLines& lines, const YAML::Node& node, std::string what) {
  uint32_t line = node.Mark().line >= 0 ? static_cast<uint32_t>(node.Mark().line) : 0;
  return error_at_line(lines, line, std::move(what));
}

}  // namespace mlaudit::manifests
