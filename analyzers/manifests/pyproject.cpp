// pyproject.toml: PEP 621 [project] dependencies and optional-dependencies, PEP 735
// [dependency-groups], [tool.poetry] dependencies, dev-dependencies and groups, [tool.uv]
// dev-dependencies, [tool.pdm] dev-dependencies. A section of the wrong type is a ParseError
// (pip, Poetry or uv refuse such a file too); the other sections are still read.
#include <functional>

#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/requirements.hpp"
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/toml_dependency.hpp"
#include "analyzers/manifests/toml_support.hpp"

namespace mlaudit::manifests {
namespace {

std::string group_name(const std::string& name) { return name == "dev" ? "dev" : "group:" + name; }

// An array of PEP 508 strings (PEP 621, PEP 735, uv, PDM). PEP 735 tables
// (`{include-group = "test"}`) are references, not dependencies.
void read_pep508_array(const SourceLines& lines, const toml::node& node, const std::string& where,
                       const std::string& group, ManifestRead& out) {
  const toml::array* array = node.as_array();
  if (!array) {
    out.errors.push_back(wrong_type(lines, node, where + " must be an array of PEP 508 strings"));
    return;
  }
  for (const auto& item : *array) {
    if (item.is_table()) continue;
    const auto* value = item.as_string();
    if (!value) {
      out.errors.push_back(wrong_type(lines, item, where + " must hold PEP 508 strings"));
      continue;
    }
    auto req = parse_pep508(value->get());
    if (!req) {
      out.errors.push_back(wrong_type(lines, item, where + ": `" + value->get().substr(0, 80) + "` is not a PEP 508 requirement"));
      continue;
    }
    req->group = group;
    req->range = toml_range(lines, item);
    out.requirements.push_back(std::move(*req));
  }
}

// A table whose values are arrays of PEP 508 strings, one per extra or group.
void read_pep508_groups(const SourceLines& lines, const toml::node& node, const std::string& where,
                        const std::function<std::string(const std::string&)>& group_of, ManifestRead& out) {
  const toml::table* table = node.as_table();
  if (!table) {
    out.errors.push_back(wrong_type(lines, node, where + " must be a table of arrays"));
    return;
  }
  for (const auto& [key, value] : *table)
    read_pep508_array(lines, value, where + "." + std::string(key.str()), group_of(std::string(key.str())), out);
}

// Poetry's `[tool.poetry.extras]`: which extra an optional dependency belongs to.
std::string poetry_extra_of(const toml::table* extras, const std::string& name) {
  if (!extras) return "";
  for (const auto& [extra, members] : *extras)
    if (const auto* list = members.as_array())
      for (const auto& member : *list)
        if (const auto* s = member.as_string(); s && normalize_package_name(s->get()) == name) return std::string(extra.str());
  return "";
}

void read_poetry_table(const SourceLines& lines, const toml::node& node, const std::string& where, const std::string& group,
                       const toml::table* extras, ManifestRead& out) {
  const toml::table* table = node.as_table();
  if (!table) {
    out.errors.push_back(wrong_type(lines, node, where + " must be a table of `name = constraint`"));
    return;
  }
  for (const auto& [key, value] : *table) {
    std::string name(key.str());
    if (name == "python") continue;  // the interpreter, not a package
    auto req = toml_dependency(name, value, TomlStyle::Poetry);
    if (!req) {
      out.errors.push_back(wrong_type(lines, value, where + "." + name + " must be a version string, a table or an array of tables"));
      continue;
    }
    // `optional = true` marks an extra, which only the main group has.
    bool optional = req->group == "optional" && group == "main";
    req->group = group;
    if (optional) {
      std::string extra = poetry_extra_of(extras, req->name);
      req->group = extra.empty() ? "optional" : "optional:" + extra;
    }
    req->range = toml_range(lines, key.source(), value.source());
    out.requirements.push_back(std::move(*req));
  }
}

}  // namespace

ManifestRead read_pyproject(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  std::optional<toml::table> parsed = parse_toml(text, lines, out.errors);
  if (!parsed) return out;
  const toml::table& root = *parsed;
  if (const toml::node* deps = root.at_path("project.dependencies").node())
    read_pep508_array(lines, *deps, "[project].dependencies", "main", out);
  if (const toml::node* optional = root.at_path("project.optional-dependencies").node())
    read_pep508_groups(lines, *optional, "[project.optional-dependencies]", [](const std::string& extra) { return "optional:" + extra; }, out);
  if (const toml::node* groups = root.get("dependency-groups"))
    read_pep508_groups(lines, *groups, "[dependency-groups]", group_name, out);

  const toml::table* extras = root.at_path("tool.poetry.extras").as_table();
  if (const toml::node* deps = root.at_path("tool.poetry.dependencies").node())
    read_poetry_table(lines, *deps, "[tool.poetry.dependencies]", "main", extras, out);
  if (const toml::node* deps = root.at_path("tool.poetry.dev-dependencies").node())
    read_poetry_table(lines, *deps, "[tool.poetry.dev-dependencies]", "dev", extras, out);
  if (const toml::table* groups = root.at_path("tool.poetry.group").as_table())
    for (const auto& [name, group] : *groups)
      if (const toml::node* deps = group.as_table() ? group.as_table()->get("dependencies") : nullptr)
        read_poetry_table(lines, *deps, "[tool.poetry.group." + std::string(name.str()) + ".dependencies]",
                          group_name(std::string(name.str())), extras, out);

  if (const toml::node* deps = root.at_path("tool.uv.dev-dependencies").node())
    read_pep508_array(lines, *deps, "[tool.uv].dev-dependencies", "dev", out);
  if (const toml::node* groups = root.at_path("tool.pdm.dev-dependencies").node())
    read_pep508_groups(lines, *groups, "[tool.pdm.dev-dependencies]", group_name, out);
  return out;
}

}  // namespace mlaudit::manifests
