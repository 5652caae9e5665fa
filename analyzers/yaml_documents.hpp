// A YAML stream cut into its documents, so each can be loaded with YAML::Load instead of
// YAML::LoadAll. yaml-cpp 0.7 (Debian 12) loops forever in LoadAll, allocating a null document
// per turn until memory runs out, when a document starts with a token no node can start with
// (`,` at the top level: jbeder/yaml-cpp#1040, fixed upstream by #1319 in 0.8). A 2-byte `.yml`
// file in a workspace would take the server down; YAML::Load reads one document and returns.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit {

struct YamlDocumentText {
  std::string_view text;  // from its `---` line (if any) up to the next document's
  uint32_t first_line = 0;  // 0-based line of the stream where `text` starts
};

// Cuts before every `---` and after every `...` marker line (the markers followed by a space, a
// tab or the line's end, at column 0: the YAML spec forbids that anywhere inside a document, in
// block and quoted scalars too). Pieces that hold no document (comments, directives) stay in:
// YAML::Load makes them a null node, as LoadAll would have made them part of the next document.
std::vector<YamlDocumentText> split_yaml_documents(std::string_view text);

// `piece` (one of split_yaml_documents(text)) in place: the file's text up to the piece's end with
// every byte before the piece blanked (line breaks kept), so a node loaded from it has the file's
// line, column and byte offset in its Mark().
std::string yaml_document_in_place(std::string_view text, const YamlDocumentText& piece);

}  // namespace mlaudit
