// A notebook synced with LSP 3.17 notebookDocument/* notifications: the order and kind of its
// cells and the text of each cell document. Cell texts are kept by URI, apart from the order,
// because a moved cell arrives as a structure change (delete here, insert there) without its
// text document being closed and reopened.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyzers/notebooks/notebook_json.hpp"
#include "lsp/document.hpp"
#include "support/text.hpp"

namespace mlaudit::lsp {

class NotebookDocument {
 public:
  struct CellText {
    std::string language;  // the cell document's languageId
    int64_t version = 0;
    DocumentText text;
  };
  struct Cell {
    int kind = 2;     // NotebookCellKind: 1 Markup, 2 Code
    std::string uri;  // the cell's text document
  };

  // From notebookDocument/didOpen params. Throws nlohmann::json::exception when malformed.
  explicit NotebookDocument(const nlohmann::json& params);

  // Applies notebookDocument/didChange params: structure (cells inserted, deleted, moved; cell
  // documents opened and closed), cell data (kind changes) and cell text edits, in that order.
  void change(const nlohmann::json& params, Encoding encoding);

  const std::string& uri() const { return uri_; }
  int64_t version() const { return version_; }
  const std::vector<Cell>& cells() const { return cells_; }
  // The text document of a cell, or nullptr when the client never opened it.
  const CellText* text_of(const std::string& cell_uri) const;
  bool has_cell(const std::string& cell_uri) const;
  size_t bytes() const;

  // The cells as the notebook analyzer reads them (index = position in the notebook).
  notebooks::Notebook to_notebook() const;

 private:
  void open_text(const nlohmann::json& item);
  static Cell cell_of(const nlohmann::json& cell);
  std::string uri_;
  int64_t version_ = 0;
  std::vector<Cell> cells_;
  std::map<std::string, CellText> texts_;
};

}  // namespace mlaudit::lsp
