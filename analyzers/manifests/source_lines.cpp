#include "analyzers/manifests/source_lines.hpp"

#include <algorithm>
#include <cctype>

namespace mlaudit::manifests {

SourceLines::SourceLines(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

uint32_t SourceLines::line_of(size_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<uint32_t>(it - starts_.begin() - 1);
}

facts::Point SourceLines::point_of(size_t offset) const {
  uint32_t line = line_of(offset);
  return {line, static_cast<uint32_t>(offset - starts_[line])};
}

facts::Range SourceLines::range_at(size_t offset, size_t length) const {
  offset = std::min(offset, text_.size());
  size_t end = std::min(offset + length, text_.size());
  return {static_cast<uint32_t>(offset), static_cast<uint32_t>(end), point_of(offset), point_of(end)};
}

size_t SourceLines::offset_of(uint32_t line, uint32_t code_point_column) const {
  if (line >= starts_.size()) return text_.size();
  size_t start = starts_[line];
  size_t end = line + 1 < starts_.size() ? starts_[line + 1] - 1 : text_.size();
  size_t at = start;
  // Count code points: a lead byte starts one, continuation bytes (10xxxxxx) do not.
  for (uint32_t cp = 0; at < end; ++at) {
    if ((static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80) continue;
    if (cp++ == code_point_column) break;
  }
  return at;
}

facts::Range SourceLines::line_from(uint32_t line, uint32_t code_point_column) const {
  if (line >= starts_.size()) return range_at(text_.size(), 0);
  size_t end = line + 1 < starts_.size() ? starts_[line + 1] - 1 : text_.size();
  size_t at = offset_of(line, code_point_column);
  while (end > at && std::isspace(static_cast<unsigned char>(text_[end - 1]))) --end;
  return range_at(at, end - at);
}

facts::Range SourceLines::trimmed_line(uint32_t line) const {
  facts::Range r = line_from(line, 0);
  size_t at = r.start_byte;
  while (at < r.end_byte && std::isspace(static_cast<unsigned char>(text_[at]))) ++at;
  return range_at(at, r.end_byte - at);
}

facts::ParseError error_at_line(const SourceLines& lines, uint32_t line, std::string message) {
  facts::ParseError e;
  e.message = std::move(message);
  e.range = lines.trimmed_line(std::min(line, lines.line_count() - 1));
  return e;
}

}  // namespace mlaudit::manifests
