// Byte offsets, lines and columns of a manifest's text: the parsers (toml++, yaml-cpp,
// nlohmann) report positions in different units, and Facts carry byte ranges.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit::manifests {

class SourceLines {
 public:
  explicit SourceLines(std::string_view text);
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }
  // The range of `length` bytes starting at byte `offset` (clamped to the text).
  facts::Range range_at(size_t offset, size_t length) const;
  // The range of line `line` (0-based) from column `column` (in code points, as toml++
  // counts them) to the end of the line without trailing spaces or a comment-free cut.
  facts::Range line_from(uint32_t line, uint32_t code_point_column) const;
  // The whole content of line `line` without leading/trailing whitespace.
  facts::Range trimmed_line(uint32_t line) const;
  // The byte offset of (line, column in code points), both 0-based, clamped to the line.
  size_t offset_of(uint32_t line, uint32_t code_point_column) const;
  // The line holding byte `offset`.
  uint32_t line_of(size_t offset) const;
  std::string_view text() const { return text_; }

 private:
  facts::Point point_of(size_t offset) const;
  std::string_view text_;
  std::vector<size_t> starts_;  // byte offset where each line starts
};

// A parse error at line `line` (0-based): the range covers that line's content.
facts::ParseError error_at_line(const SourceLines& lines, uint32_t line, std::string message);

}  // namespace mlaudit::manifests
