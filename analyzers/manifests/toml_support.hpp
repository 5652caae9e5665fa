// toml++ positions (1-based lines and code-point columns) as facts::Range, and the error of a
// section that has the wrong type. Shared by the TOML manifest readers.
#pragma once
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <vector>

#include "analyzers/manifests/source_lines.hpp"

namespace mlaudit::manifests {

inline size_t toml_offset(const SourceLines& lines, const toml::source_position& p) {
  if (!p) return lines.text().size();
  return lines.offset_of(p.line - 1, p.column - 1);
}

// From `from` to `to` when both are on one line; else the rest of `from`'s line.
inline facts::Range toml_range(const SourceLines& lines, const toml::source_region& from, const toml::source_region& to) {
  size_t start = toml_offset(lines, from.begin), end = toml_offset(lines, to.end);
  if (!from.begin || !to.end || end <= start || from.begin.line != to.end.line)
    return lines.line_from(from.begin ? from.begin.line - 1 : 0, from.begin ? from.begin.column - 1 : 0);
  return lines.range_at(start, end - start);
}

inline facts::Range toml_range(const SourceLines& lines, const toml::node& node) {
  return toml_range(lines, node.source(), node.source());
}

inline facts::ParseError wrong_type(const SourceLines& lines, const toml::node& node, std::string what) {
  facts::ParseError e;
  e.message = std::move(what);
  e.range = toml_range(lines, node);
  return e;
}

inline facts::ParseError toml_syntax_error(const SourceLines& lines, const toml::parse_error& e) {
  uint32_t line = e.source().begin ? e.source().begin.line - 1 : 0;
  return error_at_line(lines, line, "invalid TOML at line " + std::to_string(line + 1) + ": " + std::string(e.description()));
}

// The parsed document, or nullopt with the syntax error appended to `errors` (the TOML readers'
// common start).
inline std::optional<toml::table> parse_toml(std::string_view text, const SourceLines& lines,
                                             std::vector<facts::ParseError>& errors) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    errors.push_back(toml_syntax_error(lines, e));
    return std::nullopt;
  }
}

}  // namespace mlaudit::manifests
