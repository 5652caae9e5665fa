// An open document's text and the LSP edits applied to it. Each change is converted from LSP
// positions (in the negotiated encoding) to byte offsets against the text as it is at that
// moment, so several changes in one didChange apply in order; every change also yields the
// tree-sitter edit that lets the parser reuse the old tree.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyzers/python/python_parser.hpp"
#include "support/text.hpp"

namespace mlaudit::lsp {

class DocumentText {
 public:
  explicit DocumentText(std::string text = "") : text_(std::move(text)) {}
  const std::string& text() const { return text_; }

  // Applies one `TextDocumentContentChangeEvent`. Positions past the end clamp to the end.
  // Returns the edit in bytes and tree-sitter points. Throws nlohmann::json::exception when
  // the change is malformed.
  python::TextEdit apply(const nlohmann::json& change, Encoding encoding);

  // Replaces the whole text.
  python::TextEdit replace_all(std::string text);

 private:
  python::TextEdit splice(size_t start, size_t end, const std::string& inserted);
  std::string text_;
};

// The tree-sitter point (row, byte column; rows split on '\n' only) of `offset` in `text`.
facts::Point point_at(std::string_view text, size_t offset);

}  // namespace mlaudit::lsp
