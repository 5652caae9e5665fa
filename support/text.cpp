#include "support/text.hpp"

#include <algorithm>

namespace mlaudit {
namespace {

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when it is malformed
// (overlong forms, surrogates and code points above U+10FFFF are malformed too).
size_t sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length;
  uint32_t min;
  if ((lead & 0xE0) == 0xC0) { length = 2; min = 0x80; }
  else if ((lead & 0xF0) == 0xE0) { length = 3; min = 0x800; }
  else if ((lead & 0xF8) == 0xF0) { length = 4; min = 0x10000; }
  else return 0;
  if (i + length > text.size()) return 0;
  uint32_t cp = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

// Units of one character starting at text[i] (of byte length `length`, 0 = malformed byte).
size_t units_of(size_t length, Encoding encoding) {
  switch (encoding) {
    case Encoding::Utf8: return length == 0 ? 1 : length;
    case Encoding::Utf16: return length == 4 ? 2 : 1;
    case Encoding::Utf32: return 1;
  }
  return 1;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t length = sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string repair_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t length = sequence_length(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      i += 1;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

size_t units_in(std::string_view text, Encoding encoding) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) {
    size_t length = sequence_length(text, i);
    units += units_of(length, encoding);
    i += length == 0 ? 1 : length;
  }
  return units;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      starts_.push_back(i + 1);
    } else if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      starts_.push_back(i + 1);
    }
  }
}

std::pair<size_t, size_t> LineIndex::line_bounds(uint32_t line) const {
  if (line >= starts_.size()) return {text_.size(), text_.size()};
  size_t start = starts_[line];
  size_t end = line + 1 < starts_.size() ? starts_[line + 1] : text_.size();
  while (end > start && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return {start, end};
}

size_t LineIndex::offset_of(LineColumn position, Encoding encoding) const {
  if (position.line >= starts_.size()) return text_.size();
  auto [start, end] = line_bounds(position.line);
  size_t units = 0;
  size_t i = start;
  while (i < end && units < position.column) {
    size_t length = sequence_length(text_, i);
    size_t step = units_of(length, encoding);
    if (units + step > position.column) break;  // inside a character: stay at its start
    units += step;
    i += length == 0 ? 1 : length;
  }
  return i;
}

LineColumn LineIndex::position_of(size_t offset, Encoding encoding) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>((it - starts_.begin()) - 1);
  auto [start, end] = line_bounds(line);
  size_t stop = std::min(offset, end);
  return {line, static_cast<uint32_t>(units_in(text_.substr(start, stop - start), encoding))};
}

}  // namespace mlaudit
