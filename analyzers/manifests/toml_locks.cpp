// poetry.lock, uv.lock and pdm.lock share one shape: an array of [[package]] tables with a
// `name` and a `version` (uv leaves `version` out for dynamic workspace members).
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/toml_support.hpp"
#include "analyzers/requirements.hpp"

namespace mlaudit::manifests {

ManifestRead read_toml_lock(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  std::optional<toml::table> parsed = parse_toml(text, lines, out.errors);
  if (!parsed) return out;
  const toml::table& root = *parsed;
  const toml::node* packages = root.get("package");
  if (!packages) return out;  // a lock of a project without dependencies
  const toml::array* array = packages->as_array();
  if (!array) {
    out.errors.push_back(wrong_type(lines, *packages, "`package` must be an array of [[package]] tables"));
    return out;
  }
  for (const auto& item : *array) {
    const toml::table* package = item.as_table();
    auto name = package ? (*package)["name"].value<std::string>() : std::nullopt;
    if (!name) {
      out.errors.push_back(wrong_type(lines, item, "a [[package]] entry has no `name`"));
      continue;
    }
    auto version = (*package)["version"].value<std::string>();
    if (!version) continue;
    facts::LockedPackage locked;
    locked.name = normalize_package_name(*name);
    locked.version = *version;
    locked.line = item.source().begin ? item.source().begin.line - 1 : 0;
    out.locked.push_back(std::move(locked));
  }
  return out;
}

}  // namespace mlaudit::manifests
