#include "analyzers/manifests/toml_dependency.hpp"

#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/requirements.hpp"

namespace mlaudit::manifests {
namespace {

void apply_version(facts::Requirement& r, const std::string& version, TomlStyle style) {
  std::string_view v = trim(version);
  if (style == TomlStyle::Pipfile) {
    r.specifier = v == "*" ? "" : std::string(v);
    r.pinned = pep440_exact(r.specifier);
  } else {
    r.specifier = std::string(v);
    r.pinned = poetry_exact(v);
  }
}

std::optional<facts::Requirement> from_table(const std::string& name, const toml::table& t, TomlStyle style) {
  facts::Requirement r;
  r.name = normalize_package_name(name);
  if (auto version = t["version"].value<std::string>()) apply_version(r, *version, style);
  if (auto git = t["git"].value<std::string>()) {
    r.url = *git;
    // A revision or tag fixes the checkout; a branch (or nothing) follows it.
    for (const char* key : {"rev", "tag", "ref"})
      if (auto ref = t[key].value<std::string>()) {
        r.url += "@" + *ref;
        r.pinned = true;
      }
    r.specifier = "git " + r.url;
  }
  for (const char* key : {"path", "file", "url"})
    if (auto location = t[key].value<std::string>()) {
      r.url = *location;
      r.specifier = std::string(key) + " " + *location;
      r.pinned = true;  // a local path or an archive URL is what it is
    }
  if (const auto* extras = t["extras"].as_array())
    for (const auto& e : *extras)
      if (auto s = e.value<std::string>()) r.extras.push_back(*s);
  if (auto markers = t["markers"].value<std::string>()) r.marker = *markers;
  r.editable = t["develop"].value_or(false) || t["editable"].value_or(false);
  if (t["optional"].value_or(false)) r.group = "optional";
  return r;
}

}  // namespace

std::optional<facts::Requirement> toml_dependency(const std::string& name, const toml::node& value, TomlStyle style) {
  if (const auto* s = value.as_string()) {
    facts::Requirement r;
    r.name = normalize_package_name(name);
    apply_version(r, s->get(), style);
    return r;
  }
  if (const auto* t = value.as_table()) return from_table(name, *t, style);
  if (const auto* array = value.as_array(); array && style == TomlStyle::Poetry && !array->empty()) {
    // Multiple constraints, one per Python version or platform: pinned only if each is.
    std::optional<facts::Requirement> merged;
    for (const auto& item : *array) {
      const auto* t = item.as_table();
      if (!t) return std::nullopt;
      auto one = from_table(name, *t, style);
      if (!merged) {
        merged = one;
      } else {
        merged->specifier += " || " + one->specifier;
        merged->pinned = merged->pinned && one->pinned;
      }
    }
    return merged;
  }
  return std::nullopt;
}

}  // namespace mlaudit::manifests
