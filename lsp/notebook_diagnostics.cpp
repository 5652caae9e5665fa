#include "lsp/notebook_diagnostics.hpp"

#include "analyzers/notebooks/notebook_positions.hpp"
#include "lsp/protocol.hpp"

namespace mlaudit::lsp {

using json = nlohmann::json;

namespace {

json with_range(const rubric::Finding& finding, LineColumn start, LineColumn end, Encoding encoding) {
  static const LineIndex kNoText{std::string_view()};
  json diagnostic = to_diagnostic(finding, kNoText, encoding);
  diagnostic["range"] = {{"start", to_position(start)}, {"end", to_position(end)}};
  return diagnostic;
}

}  // namespace

std::map<uint32_t, json> cell_diagnostics(const std::vector<rubric::Finding>& findings, const facts::NotebookFacts& notebook,
                                          Encoding encoding) {
  std::map<uint32_t, json> out;
  notebooks::NotebookPositions positions(notebook);
  for (const auto& finding : findings) {
    auto span = positions.cell_span(finding.range, encoding);
    if (!span) continue;
    auto [it, inserted] = out.try_emplace(span->cell, json::array());
    it->second.push_back(with_range(finding, span->start, span->end, encoding));
  }
  return out;
}

json file_diagnostics(const std::vector<rubric::Finding>& findings, const facts::FileFacts& file, std::string_view text,
                      Encoding encoding) {
  json out = json::array();
  if (findings.empty()) return out;
  LineIndex lines(text);
  if (!file.notebook) {
    for (const auto& finding : findings) out.push_back(to_diagnostic(finding, lines, encoding));
    return out;
  }
  notebooks::NotebookPositions positions(*file.notebook);
  for (const auto& finding : findings) {
    auto span = positions.json_span(finding.range, text);
    LineColumn start = span ? lines.position_of(span->first, encoding) : LineColumn{};
    LineColumn end = span ? lines.position_of(span->second, encoding) : LineColumn{};
    out.push_back(with_range(finding, start, end, encoding));
  }
  return out;
}

}  // namespace mlaudit::lsp
