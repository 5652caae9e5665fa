// lsp/notebook_document: the state of a notebook synced with notebookDocument/didOpen and
// didChange — cells inserted, deleted and moved (a move keeps the cell's text document open),
// cell kinds changed, cell texts edited — and the cells the analyzer reads from it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "lsp/notebook_document.hpp"

using mlaudit::Encoding;
using mlaudit::lsp::NotebookDocument;
using nlohmann::json;

namespace {

json open_params() {
  return json::parse(R"({
    "notebookDocument": {"uri": "file:///ws/nb.ipynb", "notebookType": "jupyter-notebook", "version": 1,
      "cells": [{"kind": 2, "document": "cell:a"}, {"kind": 1, "document": "cell:b"}, {"kind": 2, "document": "cell:c"}]},
    "cellTextDocuments": [
      {"uri": "cell:a", "languageId": "python", "version": 1, "text": "import torch as T\n"},
      {"uri": "cell:b", "languageId": "markdown", "version": 1, "text": "# notes"},
      {"uri": "cell:c", "languageId": "python", "version": 1, "text": "T.load('x')\n"}]})");
}

std::vector<std::string> order(const NotebookDocument& nb) {
  std::vector<std::string> out;
  for (const auto& cell : nb.cells()) out.push_back(cell.uri);
  return out;
}

json change(int version, json cells) {
  return {{"notebookDocument", {{"uri", "file:///ws/nb.ipynb"}, {"version", version}}}, {"change", {{"cells", std::move(cells)}}}};
}

}  // namespace

TEST_CASE("notebook document: didOpen gives the cells in order with their texts and kinds") {
  NotebookDocument nb(open_params());
  CHECK(nb.uri() == "file:///ws/nb.ipynb");
  CHECK(order(nb) == std::vector<std::string>{"cell:a", "cell:b", "cell:c"});
  auto cells = nb.to_notebook().cells;
  REQUIRE(cells.size() == 3);
  CHECK(cells[0].type == "code");
  CHECK(cells[1].type == "markdown");
  CHECK(cells[2].source.text == "T.load('x')\n");
  CHECK(cells[2].index == 2);
  CHECK(cells[0].language == "python");
}

TEST_CASE("notebook document: structure changes insert, delete and move cells") {
  NotebookDocument nb(open_params());
  // Insert a new cell at the top, with its text document.
  nb.change(change(2, {{"structure", {{"array", {{"start", 0}, {"deleteCount", 0}, {"cells", {{{"kind", 2}, {"document", "cell:n"}}}}}},
                                      {"didOpen", {{{"uri", "cell:n"}, {"languageId", "python"}, {"version", 1}, {"text", "x = 1\n"}}}}}}}),
            Encoding::Utf16);
  CHECK(order(nb) == std::vector<std::string>{"cell:n", "cell:a", "cell:b", "cell:c"});
  CHECK(nb.version() == 2);
  // Move cell:c to the top: deleted at 3 and inserted at 0, its document not reopened.
  nb.change(change(3, {{"structure", {{"array", {{"start", 3}, {"deleteCount", 1}}}}}}), Encoding::Utf16);
  nb.change(change(4, {{"structure", {{"array", {{"start", 0}, {"deleteCount", 0}, {"cells", {{{"kind", 2}, {"document", "cell:c"}}}}}}}}}),
            Encoding::Utf16);
  CHECK(order(nb) == std::vector<std::string>{"cell:c", "cell:n", "cell:a", "cell:b"});
  CHECK(nb.to_notebook().cells[0].source.text == "T.load('x')\n");  // the text moved with it
  // Delete cell:n and close its document.
  nb.change(change(5, {{"structure", {{"array", {{"start", 1}, {"deleteCount", 1}}}, {"didClose", {{{"uri", "cell:n"}}}}}}}), Encoding::Utf16);
  CHECK(order(nb) == std::vector<std::string>{"cell:c", "cell:a", "cell:b"});
  CHECK(nb.text_of("cell:n") == nullptr);
  CHECK_FALSE(nb.has_cell("cell:n"));
  // Out-of-range structure changes clamp instead of throwing.
  nb.change(change(6, {{"structure", {{"array", {{"start", 99}, {"deleteCount", 5}}}}}}), Encoding::Utf16);
  CHECK(order(nb).size() == 3);
}

TEST_CASE("notebook document: cell text edits apply in the negotiated encoding; data changes the kind") {
  NotebookDocument nb(open_params());
  // "é" is one UTF-16 unit: character 2 of `é = 1` is after "é ".
  nb.change(change(2, {{"textContent", {{{"document", {{"uri", "cell:c"}, {"version", 2}}},
                                         {"changes", {{{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                                                       {"text", "é = 1\n"}}}}}}}}),
            Encoding::Utf16);
  nb.change(change(3, {{"textContent", {{{"document", {{"uri", "cell:c"}, {"version", 3}}},
                                         {"changes", {{{"range", {{"start", {{"line", 0}, {"character", 2}}}, {"end", {{"line", 0}, {"character", 3}}}}},
                                                       {"text", "=="}}}}}}}}),
            Encoding::Utf16);
  CHECK(nb.text_of("cell:c")->text.text() == "é == 1\nT.load('x')\n");
  CHECK(nb.text_of("cell:c")->version == 3);
  nb.change(change(4, {{"data", {{{"kind", 1}, {"document", "cell:c"}}}}}), Encoding::Utf16);
  CHECK(nb.to_notebook().cells[2].type == "markdown");
  // A metadata-only change touches no cell.
  nb.change({{"notebookDocument", {{"uri", "file:///ws/nb.ipynb"}, {"version", 5}}}, {"change", {{"metadata", {{"x", 1}}}}}}, Encoding::Utf16);
  CHECK(nb.version() == 5);
  CHECK(order(nb).size() == 3);
}
