// support/text: UTF-8 validation/repair and the LineIndex's (line, column) conversions in the
// three column encodings.
#include <doctest/doctest.h>

#include <string>

#include "support/text.hpp"

using mlaudit::Encoding;
using mlaudit::LineColumn;
using mlaudit::LineIndex;

namespace {
const std::string kReplacement = "\xEF\xBF\xBD";

size_t count_of(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}
}  // namespace

TEST_CASE("positions: columns of é, 中 and 😀 in utf-8, utf-16 and utf-32") {
  // byte offsets:      a=0 é=1 中=3 😀=6 b=10 end=11
  const std::string text = "aé中😀b";
  REQUIRE(text.size() == 11);
  LineIndex index(text);
  struct Case { size_t offset; uint32_t utf8, utf16, utf32; };
  for (auto c : {Case{0, 0, 0, 0}, Case{1, 1, 1, 1}, Case{3, 3, 2, 2}, Case{6, 6, 3, 3}, Case{10, 10, 5, 4},
                 Case{11, 11, 6, 5}}) {
    CAPTURE(c.offset);
    CHECK(index.position_of(c.offset, Encoding::Utf8) == LineColumn{0, c.utf8});
    CHECK(index.position_of(c.offset, Encoding::Utf16) == LineColumn{0, c.utf16});
    CHECK(index.position_of(c.offset, Encoding::Utf32) == LineColumn{0, c.utf32});
    CHECK(index.offset_of({0, c.utf8}, Encoding::Utf8) == c.offset);
    CHECK(index.offset_of({0, c.utf16}, Encoding::Utf16) == c.offset);
    CHECK(index.offset_of({0, c.utf32}, Encoding::Utf32) == c.offset);
  }
  CHECK(mlaudit::units_in(text, Encoding::Utf8) == 11);
  CHECK(mlaudit::units_in(text, Encoding::Utf16) == 6);
  CHECK(mlaudit::units_in(text, Encoding::Utf32) == 5);
}

TEST_CASE("positions: a column in the middle of a character stays at the character's start") {
  LineIndex index("a😀b");  // 😀 is bytes 1..4, utf-16 units 1..2
  CHECK(index.offset_of({0, 2}, Encoding::Utf16) == 1);  // between the surrogates
  CHECK(index.offset_of({0, 3}, Encoding::Utf16) == 5);  // after the pair
  CHECK(index.offset_of({0, 2}, Encoding::Utf8) == 1);   // inside the 4 bytes
  CHECK(index.offset_of({0, 4}, Encoding::Utf8) == 1);
  CHECK(index.offset_of({0, 5}, Encoding::Utf8) == 5);
}

TEST_CASE("positions: a second line after multi-byte text counts from its own start") {
  const std::string text = "中文\n😀x = 1\n";
  LineIndex index(text);
  REQUIRE(index.line_count() == 3);
  size_t x = text.find('x');
  CHECK(index.position_of(x, Encoding::Utf16) == LineColumn{1, 2});
  CHECK(index.position_of(x, Encoding::Utf32) == LineColumn{1, 1});
  CHECK(index.position_of(x, Encoding::Utf8) == LineColumn{1, 4});
  CHECK(index.offset_of({1, 2}, Encoding::Utf16) == x);
  CHECK(index.offset_of({2, 0}, Encoding::Utf16) == text.size());
}

TEST_CASE("positions: CRLF and lone CR end lines, and the terminator is not part of the line") {
  const std::string text = "ab\r\ncd\ref\ngh";
  LineIndex index(text);
  REQUIRE(index.line_count() == 4);
  CHECK(index.line_bounds(0) == std::pair<size_t, size_t>{0, 2});
  CHECK(index.line_bounds(1) == std::pair<size_t, size_t>{4, 6});
  CHECK(index.line_bounds(2) == std::pair<size_t, size_t>{7, 9});
  CHECK(index.line_bounds(3) == std::pair<size_t, size_t>{10, 12});
  CHECK(index.position_of(4, Encoding::Utf16) == LineColumn{1, 0});
  CHECK(index.position_of(7, Encoding::Utf16) == LineColumn{2, 0});
  CHECK(index.position_of(10, Encoding::Utf16) == LineColumn{3, 0});
  // An offset on the terminator itself reports the end of the line's content.
  CHECK(index.position_of(2, Encoding::Utf16) == LineColumn{0, 2});
  CHECK(index.position_of(3, Encoding::Utf16) == LineColumn{0, 2});
  CHECK(index.position_of(6, Encoding::Utf16) == LineColumn{1, 2});
  CHECK(index.offset_of({1, 1}, Encoding::Utf8) == 5);
  CHECK(index.offset_of({2, 1}, Encoding::Utf8) == 8);
}

TEST_CASE("positions: \\r\\r\\n is a lone CR then a CRLF") {
  LineIndex index("a\r\r\nb");
  REQUIRE(index.line_count() == 3);
  CHECK(index.line_bounds(1) == std::pair<size_t, size_t>{2, 2});
  CHECK(index.position_of(4, Encoding::Utf8) == LineColumn{2, 0});
}

TEST_CASE("positions: clamping past the end of a line and past the end of the text") {
  const std::string text = "é\r\nxyz";
  LineIndex index(text);
  CHECK(index.offset_of({0, 1}, Encoding::Utf16) == 2);
  CHECK(index.offset_of({0, 99}, Encoding::Utf16) == 2);  // end of line 0, before "\r\n"
  CHECK(index.offset_of({1, 99}, Encoding::Utf16) == text.size());
  CHECK(index.offset_of({7, 0}, Encoding::Utf16) == text.size());
  CHECK(index.offset_of({UINT32_MAX, UINT32_MAX}, Encoding::Utf8) == text.size());
  CHECK(index.position_of(1000, Encoding::Utf16) == LineColumn{1, 3});
  CHECK(index.line_bounds(5) == std::pair<size_t, size_t>{text.size(), text.size()});
}

TEST_CASE("positions: an empty text and a trailing newline") {
  LineIndex empty("");
  CHECK(empty.line_count() == 1);
  CHECK(empty.offset_of({0, 5}, Encoding::Utf16) == 0);
  CHECK(empty.position_of(0, Encoding::Utf16) == LineColumn{0, 0});
  LineIndex trailing("x\n");
  CHECK(trailing.line_count() == 2);
  CHECK(trailing.position_of(2, Encoding::Utf16) == LineColumn{1, 0});
  CHECK(trailing.offset_of({1, 0}, Encoding::Utf16) == 2);
}

TEST_CASE("utf-8: valid text is valid, and repair leaves it unchanged") {
  for (std::string s : {std::string(""), std::string("plain"), std::string("aé中😀"), std::string("\xF4\x8F\xBF\xBF")}) {
    CAPTURE(s);
    CHECK(mlaudit::is_valid_utf8(s));
    CHECK(mlaudit::repair_utf8(s) == s);
  }
}

TEST_CASE("utf-8: overlong, surrogate, out-of-range and stray bytes are invalid and replaced byte by byte") {
  struct Case { std::string bytes; size_t replacements; };
  for (const auto& c : {Case{"\xC0\xAF", 2},            // overlong '/'
                        Case{"\xC1\xBF", 2},            // overlong
                        Case{"\xE0\x80\xAF", 3},        // overlong 3-byte
                        Case{"\xF0\x80\x80\xAF", 4},    // overlong 4-byte
                        Case{"\xED\xA0\x80", 3},        // UTF-16 surrogate D800
                        Case{"\xF4\x90\x80\x80", 4},    // above U+10FFFF
                        Case{"\xFF", 1}, Case{"\x80", 1}, Case{"\xF8\x88\x80\x80\x80", 5}}) {
    CAPTURE(c.bytes);
    std::string text = "<" + c.bytes + ">";
    CHECK_FALSE(mlaudit::is_valid_utf8(text));
    std::string repaired = mlaudit::repair_utf8(text);
    CHECK(mlaudit::is_valid_utf8(repaired));
    CHECK(repaired == "<" + [&] { std::string r; for (size_t i = 0; i < c.replacements; ++i) r += kReplacement; return r; }() + ">");
  }
}

TEST_CASE("utf-8: truncated sequences, at the end and before ASCII") {
  const std::string truncated_end = "ok\xE4\xB8";  // 中 without its last byte
  CHECK_FALSE(mlaudit::is_valid_utf8(truncated_end));
  std::string repaired = mlaudit::repair_utf8(truncated_end);
  CHECK(mlaudit::is_valid_utf8(repaired));
  CHECK(repaired.rfind("ok", 0) == 0);
  CHECK(count_of(repaired, kReplacement) == 2);

  const std::string truncated_mid = "\xF0\x9F\x98" "a中";  // 😀 without its last byte, then valid text
  CHECK_FALSE(mlaudit::is_valid_utf8(truncated_mid));
  repaired = mlaudit::repair_utf8(truncated_mid);
  CHECK(repaired == kReplacement + kReplacement + kReplacement + "a中");
}

TEST_CASE("positions: invalid bytes count as one unit each and never derail the index") {
  const std::string text = "\xFF\xFE" "x";
  LineIndex index(text);
  CHECK(index.position_of(2, Encoding::Utf16) == LineColumn{0, 2});
  CHECK(index.position_of(2, Encoding::Utf32) == LineColumn{0, 2});
  CHECK(index.offset_of({0, 2}, Encoding::Utf16) == 2);
  CHECK(mlaudit::units_in(text, Encoding::Utf8) == 3);
}
