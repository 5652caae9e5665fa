#include "analyzers/yaml_documents.hpp"

namespace mlaudit {
namespace {

// Whether the line starting at `at` is the marker `marker` (`---` or `...`).
bool marker_line(std::string_view text, size_t at, std::string_view marker) {
  if (text.substr(at, marker.size()) != marker) return false;
  size_t after = at + marker.size();
  return after == text.size() || text[after] == ' ' || text[after] == '\t' || text[after] == '\n' ||
         text[after] == '\r';
}

}  // namespace

std::vector<YamlDocumentText> split_yaml_documents(std::string_view text) {
  std::vector<YamlDocumentText> out;
  size_t start = 0;
  uint32_t start_line = 0, line = 0;
  auto cut = [&](size_t at, uint32_t at_line) {
    if (at > start) out.push_back({text.substr(start, at - start), start_line});
    start = at;
    start_line = at_line;
  };
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    size_t next = end == std::string_view::npos ? text.size() : end + 1;
    if (marker_line(text, at, "---")) cut(at, line);
    else if (marker_line(text, at, "...")) cut(next, line + 1);
    at = next;
    ++line;
  }
  cut(text.size(), line);
  if (out.empty()) out.push_back({text, 0});  // an empty stream is one empty document, as LoadAll sees it
  return out;
}

std::string yaml_document_in_place(std::string_view text, const YamlDocumentText& piece) {
  const size_t start = static_cast<size_t>(piece.text.data() - text.data());
  std::string out(text.substr(0, start + piece.text.size()));
  for (size_t i = 0; i < start; ++i)
    if (out[i] != '\n') out[i] = ' ';
  return out;
}

}  // namespace mlaudit
