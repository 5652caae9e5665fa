// Text helpers shared by every layer: UTF-8 validation and repair, and the line index that
// converts byte offsets to (line, column) in the three encodings LSP and our outputs use.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit {

// Column units. LSP clients negotiate utf-8 or utf-16; `check` reports Unicode code points.
enum class Encoding { Utf8, Utf16, Utf32 };

// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

// A line/column pair; what `column` counts depends on the Encoding it was made for.
struct LineColumn {
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const LineColumn&) const = default;
};

// Line starts of a text. Lines end at "\n", "\r\n" or a lone "\r", as LSP defines them.
// Columns past the end of a line clamp to the line's end and lines past the end clamp to
// the end of the text, as the LSP specification asks of servers.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  size_t line_count() const { return starts_.size(); }
  // Byte offset of (line, column-in-encoding).
  size_t offset_of(LineColumn position, Encoding encoding) const;
  // (line, column-in-encoding) of a byte offset.
  LineColumn position_of(size_t offset, Encoding encoding) const;
  // Byte range [start, end) of a line's content, without its terminator.
  std::pair<size_t, size_t> line_bounds(uint32_t line) const;

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

// Length of `text` in the units of `encoding` (invalid bytes count as one unit each).
size_t units_in(std::string_view text, Encoding encoding);

}  // namespace mlaudit
