#include "analyzers/ci/ci_yaml.hpp"

#include <exception>

#include "analyzers/yaml_documents.hpp"

namespace mlaudit::ci {

YAML::Node load_document(std::string_view text) {
  // Not YAML::LoadAll: it loops forever on some 2-byte files (`&,`, found by fuzz_yaml_configs;
  // analyzers/yaml_documents.hpp). Each document is loaded alone and in place, so its nodes' marks
  // (line, column and byte offset: text_line reads `text` at Mark().pos) are the file's.
  constexpr size_t kMaxDocuments = 16;  // a CI file has one; leading empty ones are skipped
  size_t seen = 0;
  for (const auto& piece : split_yaml_documents(text)) {
    if (++seen > kMaxDocuments) break;
    try {
      YAML::Node document = YAML::Load(yaml_document_in_place(text, piece));
      if (document.IsDefined() && !document.IsNull()) return document;
    } catch (const std::exception&) {
      return YAML::Node();
    }
  }
  return YAML::Node();
}

uint32_t line_of(const YAML::Node& node) {
  int line = node.Mark().line;
  return line >= 0 ? static_cast<uint32_t>(line) : 0;
}

std::string scalar(const YAML::Node& node) { return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string(); }

uint32_t text_line(const YAML::Node& node, std::string_view text) {
  const YAML::Mark mark = node.Mark();
  uint32_t line = line_of(node);
  if (mark.pos >= 0 && static_cast<size_t>(mark.pos) < text.size()) {
    char c = text[static_cast<size_t>(mark.pos)];
    if (c == '|' || c == '>') ++line;
  }
  return line;
}

YAML::Node child(const YAML::Node& map, const char* key) {
  if (!map.IsDefined() || !map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& const_map = map;
  YAML::Node value = const_map[key];
  // A missing key is a "zombie" node whose IsMap()/Mark() throw: hand out a valid undefined one.
  if (!value.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
  return value;
}

void guarded(facts::FileFacts& out, const std::function<void()>& read) {
  try {
    read();
  } catch (const std::exception& e) {
    out.parse_errors.push_back({std::string("the CI reader could not read this file: ") + e.what(), {}});
  }
}

uint32_t key_line(const YAML::Node& map, const char* key) {
  if (map.IsMap())
    for (const auto& entry : map)
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return line_of(entry.first);
  return line_of(map);
}

void strings_of(const YAML::Node& node, std::string_view text, std::vector<std::pair<std::string, uint32_t>>& out,
                size_t& visits, int depth) {
  if (!node.IsDefined() || ++visits > kMaxVisits || depth > 4) return;
  if (node.IsScalar()) {
    out.emplace_back(node.Scalar(), text_line(node, text));
  } else if (node.IsSequence()) {
    for (const auto& item : node) strings_of(item, text, out, visits, depth + 1);
  }
}

}  // namespace mlaudit::ci
