#include "analyzers/notebooks/notebook_positions.hpp"

#include <algorithm>

#include "analyzers/notebooks/notebook_json.hpp"

namespace mlaudit::notebooks {

NotebookPositions::NotebookPositions(const facts::NotebookFacts& notebook) : notebook_(notebook) {
  const std::string& code = notebook_.code;
  if (!code.empty()) starts_.push_back(0);
  for (size_t i = 0; i < code.size(); ++i)
    if (code[i] == '\n' && i + 1 < code.size()) starts_.push_back(i + 1);
}

std::string_view NotebookPositions::code_line(uint32_t line) const {
  if (line >= starts_.size()) return {};
  size_t start = starts_[line];
  size_t end = line + 1 < starts_.size() ? starts_[line + 1] - 1 : notebook_.code.size();
  if (end > start && notebook_.code[end - 1] == '\n') --end;
  std::string_view text = std::string_view(notebook_.code).substr(start, end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

std::optional<std::pair<uint32_t, uint32_t>> NotebookPositions::cell_line(uint32_t line) const {
  if (line >= notebook_.lines.size()) return std::nullopt;
  const auto& origin = notebook_.lines[line];
  return std::make_pair(origin.cell, origin.line);
}

std::optional<CellSpan> NotebookPositions::cell_span(const facts::Range& range, Encoding encoding) const {
  uint32_t first = range.start.line;
  if (first >= notebook_.lines.size()) return std::nullopt;
  const facts::NotebookLine& origin = notebook_.lines[first];
  CellSpan span;
  span.cell = origin.cell;
  auto units = [&](std::string_view text, size_t bytes) {
    return static_cast<uint32_t>(units_in(text.substr(0, std::min(bytes, text.size())), encoding));
  };
  if (origin.output) {
    span.output = true;
    // The cell's last source line stands for its outputs, which no editor shows as text.
    auto anchor = std::find_if(notebook_.lines.begin(), notebook_.lines.end(), [&](const facts::NotebookLine& l) {
      return !l.output && l.cell == origin.cell && l.line == origin.line;
    });
    std::string_view text = anchor == notebook_.lines.end() ? std::string_view() : code_line(static_cast<uint32_t>(anchor - notebook_.lines.begin()));
    span.start = {origin.line, 0};
    span.end = {origin.line, units(text, text.size())};
    return span;
  }
  span.start = {origin.line, units(code_line(first), range.start.column)};
  uint32_t last = range.end.line;
  if (last < notebook_.lines.size() && !notebook_.lines[last].output && notebook_.lines[last].cell == origin.cell) {
    span.end = {notebook_.lines[last].line, units(code_line(last), range.end.column)};
  } else {
    std::string_view text = code_line(first);
    span.end = {origin.line, units(text, text.size())};
  }
  return span;
}

std::optional<std::pair<size_t, size_t>> NotebookPositions::json_span(const facts::Range& range, std::string_view json) const {
  uint32_t first = range.start.line;
  if (first >= notebook_.lines.size()) return std::nullopt;
  const facts::NotebookLine& origin = notebook_.lines[first];
  if (origin.json_offset == 0 || origin.json_offset > json.size()) return std::nullopt;
  size_t start = advance_in_json_string(json, origin.json_offset, range.start.column);
  uint32_t last = range.end.line;
  size_t end;
  if (last < notebook_.lines.size() && notebook_.lines[last].cell == origin.cell && notebook_.lines[last].json_offset != 0 &&
      notebook_.lines[last].output == origin.output && notebook_.lines[last].json_offset <= json.size()) {
    end = advance_in_json_string(json, notebook_.lines[last].json_offset, range.end.column);
  } else {
    end = advance_in_json_string(json, origin.json_offset, SIZE_MAX);  // to the end of the JSON string
  }
  return std::make_pair(start, std::max(start, end));
}

}  // namespace mlaudit::notebooks
