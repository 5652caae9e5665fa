#include "lsp/document.hpp"

#include <algorithm>

namespace mlaudit::lsp {

facts::Point point_at(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  uint32_t row = static_cast<uint32_t>(std::count(text.begin(), text.begin() + offset, '\n'));
  size_t line_start = text.rfind('\n', offset == 0 ? std::string_view::npos : offset - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  if (offset == 0) line_start = 0;
  return {row, static_cast<uint32_t>(offset - line_start)};
}

python::TextEdit DocumentText::splice(size_t start, size_t end, const std::string& inserted) {
  python::TextEdit edit;
  edit.start_byte = static_cast<uint32_t>(start);
  edit.old_end_byte = static_cast<uint32_t>(end);
  edit.new_end_byte = static_cast<uint32_t>(start + inserted.size());
  edit.start = point_at(text_, start);
  edit.old_end = point_at(text_, end);
  text_.replace(start, end - start, inserted);
  edit.new_end = point_at(text_, start + inserted.size());
  return edit;
}

python::TextEdit DocumentText::apply(const nlohmann::json& change, Encoding encoding) {
  const std::string& inserted = change.at("text").get_ref<const std::string&>();
  if (!change.contains("range")) return replace_all(inserted);
  const auto& range = change.at("range");
  LineIndex lines(text_);
  auto position = [&](const nlohmann::json& p) {
    int64_t line = p.at("line").get<int64_t>(), character = p.at("character").get<int64_t>();
    if (line < 0 || character < 0) throw nlohmann::json::other_error::create(501, "negative position", &p);
    return lines.offset_of({static_cast<uint32_t>(std::min<int64_t>(line, UINT32_MAX)),
                            static_cast<uint32_t>(std::min<int64_t>(character, UINT32_MAX))}, encoding);
  };
  size_t start = position(range.at("start"));
  size_t end = position(range.at("end"));
  if (end < start) std::swap(start, end);
  return splice(start, end, inserted);
}

python::TextEdit DocumentText::replace_all(std::string text) {
  return splice(0, text_.size(), text);
}

}  // namespace mlaudit::lsp
