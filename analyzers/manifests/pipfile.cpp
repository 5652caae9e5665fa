// Pipfile (TOML): [packages] are the main dependencies, [dev-packages] the development ones.
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/toml_dependency.hpp"
#include "analyzers/manifests/toml_support.hpp"

namespace mlaudit::manifests {

ManifestRead read_pipfile(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  std::optional<toml::table> parsed = parse_toml(text, lines, out.errors);
  if (!parsed) return out;
  const toml::table& root = *parsed;
  for (const auto& [section, group] : {std::pair{"packages", "main"}, std::pair{"dev-packages", "dev"}}) {
    const toml::node* node = root.get(section);
    if (!node) continue;
    const toml::table* table = node->as_table();
    if (!table) {
      out.errors.push_back(wrong_type(lines, *node, std::string("[") + section + "] must be a table of `name = version`"));
      continue;
    }
    for (const auto& [key, value] : *table) {
      auto req = toml_dependency(std::string(key.str()), value, TomlStyle::Pipfile);
      if (!req) {
        out.errors.push_back(wrong_type(lines, value, std::string("[") + section + "]." + std::string(key.str()) +
                                                          " must be a version string or a table"));
        continue;
      }
      req->group = group;
      req->range = toml_range(lines, key.source(), value.source());
      out.requirements.push_back(std::move(*req));
    }
  }
  return out;
}

}  // namespace mlaudit::manifests
