#include "analyzers/docs/front_matter.hpp"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include "analyzers/manifests/source_lines.hpp"

namespace mlaudit::docs {
namespace {

constexpr size_t kMaxItems = 1000;  // list items looked at for splits; a longer list is cut there

bool has_splits(const YAML::Node& node, const char* list_key) {
  // dataset_info: {splits: [...]} or [{config_name, splits: [...]}]; configs: [{data_files: [{split}]}]
  auto splits_in = [&](const YAML::Node& entry) {
    if (!entry.IsMap()) return false;
    if (std::string(list_key) == "dataset_info") return static_cast<bool>(entry["splits"]);
    YAML::Node files = entry["data_files"];
    if (!files || !files.IsSequence()) return false;
    size_t n = 0;
    for (const auto& f : files) {
      if (++n > kMaxItems) break;
      if (f.IsMap() && f["split"]) return true;
    }
    return false;
  };
  if (node.IsMap()) return splits_in(node);
  if (!node.IsSequence()) return false;
  size_t n = 0;
  for (const auto& entry : node) {
    if (++n > kMaxItems) break;
    if (splits_in(entry)) return true;
  }
  return false;
}

}  // namespace

std::optional<FrontMatterKeys> read_front_matter(std::string_view text, const FrontMatter& block,
                                                 std::vector<facts::ParseError>& errors) {
  if (!block.present) return std::nullopt;
  // The first line that says something must be a mapping key: otherwise the `---` lines are
  // horizontal rules around prose, not metadata.
  static const RE2 first_key(R"(^(?:\s*(?:#[^\n]*)?\n)*[A-Za-z_][A-Za-z0-9_ .-]*:(?:\s|$))");
  if (!RE2::PartialMatch(re2::StringPiece(block.yaml.data(), block.yaml.size()), first_key)) return std::nullopt;
  manifests::SourceLines lines(text);
  FrontMatterKeys out;
  try {
    YAML::Node root = YAML::Load(std::string(block.yaml));
    if (!root.IsMap()) return std::nullopt;
    for (const auto& kv : root) {
      if (!kv.first.IsScalar()) continue;
      std::string key = kv.first.Scalar();
      out.keys.insert(key);
      if (key == "dataset_info" || key == "configs") out.splits |= has_splits(kv.second, key.c_str());
      if (out.keys.size() > kMaxItems) break;
    }
  } catch (const YAML::Exception& e) {
    uint32_t line = block.first_line + static_cast<uint32_t>(e.mark.line >= 0 ? e.mark.line : 0);
    errors.push_back(manifests::error_at_line(lines, line,
                                              "invalid YAML front matter at line " + std::to_string(line + 1) + ": " + e.msg));
    return std::nullopt;
  }
  return out;
}

}  // namespace mlaudit::docs
