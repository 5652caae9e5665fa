// Positions of a notebook's facts back in the notebook: within a cell (for `check`, the audit
// and editors that sync notebooks cell by cell) or within the .ipynb JSON text (for editors
// that open the file as plain JSON). Pure: only the NotebookFacts and, for the JSON view, the
// file's text.
#pragma once
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzers/facts.hpp"
#include "support/text.hpp"

namespace mlaudit::notebooks {

// A range within one cell's source, in the units of an Encoding (lines 0-based).
struct CellSpan {
  uint32_t cell = 0;  // index into the notebook's cells array
  LineColumn start, end;
  bool output = false;  // the fact is in the cell's outputs: the span is the cell's last line
};

class NotebookPositions {
 public:
  explicit NotebookPositions(const facts::NotebookFacts& notebook);

  // Where `range` (a fact of this notebook) lies in its cell; nullopt for a range outside the
  // line map. A range that runs into the next cell ends at the end of its first line.
  std::optional<CellSpan> cell_span(const facts::Range& range, Encoding encoding) const;

  // (cell, 0-based line within the cell) of a 0-based line of the concatenated code.
  std::optional<std::pair<uint32_t, uint32_t>> cell_line(uint32_t line) const;

  // Byte offsets [start, end) of `range` in the .ipynb text `json` it was read from: inside the
  // JSON string that holds the source line (outputs: the output line). nullopt when the facts
  // did not come from that text.
  std::optional<std::pair<size_t, size_t>> json_span(const facts::Range& range, std::string_view json) const;

 private:
  std::string_view code_line(uint32_t line) const;
  const facts::NotebookFacts& notebook_;
  std::vector<size_t> starts_;  // line starts in notebook_.code
};

}  // namespace mlaudit::notebooks
