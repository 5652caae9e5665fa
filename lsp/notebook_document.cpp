#include "lsp/notebook_document.hpp"

#include <algorithm>

namespace mlaudit::lsp {

using json = nlohmann::json;

NotebookDocument::Cell NotebookDocument::cell_of(const json& cell) {
  return {cell.at("kind").get<int>(), cell.at("document").get<std::string>()};
}

void NotebookDocument::open_text(const json& item) {
  CellText text;
  text.language = item.value("languageId", "");
  text.version = item.value("version", 0);
  text.text = DocumentText(item.at("text").get<std::string>());
  texts_[item.at("uri").get<std::string>()] = std::move(text);
}

NotebookDocument::NotebookDocument(const json& params) {
  const json& notebook = params.at("notebookDocument");
  uri_ = notebook.at("uri").get<std::string>();
  version_ = notebook.value("version", 0);
  for (const auto& cell : notebook.at("cells")) cells_.push_back(cell_of(cell));
  for (const auto& item : params.value("cellTextDocuments", json::array())) open_text(item);
}

void NotebookDocument::change(const json& params, Encoding encoding) {
  version_ = params.at("notebookDocument").value("version", version_ + 1);
  const json& change = params.at("change");
  auto cells = change.find("cells");
  if (cells == change.end() || !cells->is_object()) return;  // metadata only: nothing we read
  if (auto structure = cells->find("structure"); structure != cells->end()) {
    const json& array = structure->at("array");
    size_t start = std::min<size_t>(array.at("start").get<size_t>(), cells_.size());
    size_t deleted = std::min<size_t>(array.at("deleteCount").get<size_t>(), cells_.size() - start);
    std::vector<Cell> inserted;
    for (const auto& cell : array.value("cells", json::array())) inserted.push_back(cell_of(cell));
    cells_.erase(cells_.begin() + static_cast<std::ptrdiff_t>(start), cells_.begin() + static_cast<std::ptrdiff_t>(start + deleted));
    cells_.insert(cells_.begin() + static_cast<std::ptrdiff_t>(start), inserted.begin(), inserted.end());
    for (const auto& closed : structure->value("didClose", json::array())) texts_.erase(closed.at("uri").get<std::string>());
    for (const auto& item : structure->value("didOpen", json::array())) open_text(item);
  }
  if (auto data = cells->find("data"); data != cells->end()) {
    for (const auto& updated : *data) {
      Cell cell = cell_of(updated);
      for (auto& c : cells_)
        if (c.uri == cell.uri) c.kind = cell.kind;
    }
  }
  if (auto contents = cells->find("textContent"); contents != cells->end()) {
    for (const auto& content : *contents) {
      const json& document = content.at("document");
      auto it = texts_.find(document.at("uri").get<std::string>());
      if (it == texts_.end()) continue;  // a cell the client never opened
      for (const auto& edit : content.at("changes")) it->second.text.apply(edit, encoding);
      it->second.version = document.value("version", it->second.version + 1);
    }
  }
}

const NotebookDocument::CellText* NotebookDocument::text_of(const std::string& cell_uri) const {
  auto it = texts_.find(cell_uri);
  return it == texts_.end() ? nullptr : &it->second;
}

bool NotebookDocument::has_cell(const std::string& cell_uri) const {
  return std::any_of(cells_.begin(), cells_.end(), [&](const Cell& c) { return c.uri == cell_uri; });
}

size_t NotebookDocument::bytes() const {
  size_t total = 0;
  for (const auto& [uri, text] : texts_) total += text.text.text().size();
  return total;
}

notebooks::Notebook NotebookDocument::to_notebook() const {
  notebooks::Notebook out;
  for (size_t i = 0; i < cells_.size(); ++i) {
    notebooks::Cell cell;
    cell.index = static_cast<uint32_t>(i);
    cell.type = cells_[i].kind == 2 ? "code" : "markdown";
    if (const CellText* text = text_of(cells_[i].uri)) {
      cell.language = text->language;
      cell.source.text = text->text.text();
    }
    out.cells.push_back(std::move(cell));
  }
  return out;
}

}  // namespace mlaudit::lsp
