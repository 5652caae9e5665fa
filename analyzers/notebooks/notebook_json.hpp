// An .ipynb file (nbformat 4) read into cells: each cell's source and text outputs, joined from
// their JSON strings, with where each string sits in the file, so positions in a cell map back
// to the JSON text (for editors that open a notebook as plain JSON). nlohmann parses; a SAX
// pass over the same text only records where the strings under `cells` are.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit::notebooks {

// Text joined from one JSON string or a list of them, with the offset in the file of each
// string's first character (after its opening quote).
struct JoinedText {
  std::string text;
  struct Piece {
    uint32_t start = 0;        // offset in `text`
    uint32_t json_offset = 0;  // offset in the .ipynb text
  };
  std::vector<Piece> pieces;
  // The offset in the .ipynb text of byte `offset` of `text` (0 when unknown).
  uint32_t json_offset_of(std::string_view json, size_t offset) const;
};

struct Cell {
  uint32_t index = 0;             // in the `cells` array
  std::string type;               // "code", "markdown", "raw"
  std::string language;           // metadata.vscode.languageId when set, else ""
  JoinedText source;
  bool has_outputs = false;
  std::vector<JoinedText> outputs;  // stream text, text/plain, text/html, error tracebacks
};

struct Notebook {
  std::vector<Cell> cells;
  std::string language;  // metadata.language_info.name or kernelspec.language, "" when unset
  std::string error;     // why it is not a readable nbformat 4 notebook ("" when it is)
};

// Reads `json` as a notebook. Never throws: a broken file yields `error`.
Notebook read_notebook(std::string_view json);

// The offset in `json` reached from `raw` (inside a JSON string) after `decoded` bytes of the
// string's value, stopping at its closing quote. Escapes count as the bytes they stand for.
size_t advance_in_json_string(std::string_view json, size_t raw, size_t decoded);

}  // namespace mlaudit::notebooks
