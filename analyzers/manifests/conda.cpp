// conda: environment.yml (`dependencies:` conda match specs, and a `pip:` sub-list of PEP 508
// requirements) and conda-lock.yml (`package:` entries with name, version and manager).
#include <set>
#include <tuple>

#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/yaml_support.hpp"
#include "analyzers/requirements.hpp"

namespace mlaudit::manifests {
namespace {

bool load(std::string_view text, const SourceLines& lines, YAML::Node& root, ManifestRead& out) {
  try {
    root = YAML::Load(std::string(text));
    return true;
  } catch (const YAML::Exception& e) {
    out.errors.push_back(yaml_syntax_error(lines, e));
    return false;
  }
}

std::string scalar(const YAML::Node& node) { return node.IsScalar() ? node.Scalar() : ""; }

}  // namespace

ManifestRead read_conda_environment(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  YAML::Node root;
  if (!load(text, lines, root, out) || !root.IsMap()) return out;
  YAML::Node deps = root["dependencies"];
  if (!deps || deps.IsNull()) return out;
  if (!deps.IsSequence()) {
    out.errors.push_back(yaml_wrong_type(lines, deps, "`dependencies` must be a list of package specs"));
    return out;
  }
  size_t seen = 0;
  for (const auto& item : deps) {
    if (++seen > kYamlMaxItems) break;
    if (item.IsScalar()) {
      auto req = parse_conda_spec(item.Scalar());
      if (!req) {
        out.errors.push_back(yaml_wrong_type(lines, item, "`" + item.Scalar().substr(0, 80) + "` is not a conda package spec"));
        continue;
      }
      req->range = yaml_scalar_range(lines, item);
      out.requirements.push_back(std::move(*req));
    } else if (item.IsMap() && item["pip"]) {
      YAML::Node pip = item["pip"];
      if (!pip.IsSequence()) {
        out.errors.push_back(yaml_wrong_type(lines, pip, "`pip` must be a list of requirements"));
        continue;
      }
      for (const auto& p : pip) {
        if (++seen > kYamlMaxItems) break;
        std::string spec = scalar(p);
        if (spec.empty() || spec[0] == '-') continue;  // -r file, --index-url: options, not packages
        if (auto req = parse_pep508(spec)) {
          req->range = yaml_scalar_range(lines, p);
          out.requirements.push_back(std::move(*req));
        }
      }
    }
  }
  return out;
}

ManifestRead read_conda_lock(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  YAML::Node root;
  if (!load(text, lines, root, out) || !root.IsMap()) return out;
  YAML::Node packages = root["package"];
  if (!packages || packages.IsNull()) return out;
  if (!packages.IsSequence()) {
    out.errors.push_back(yaml_wrong_type(lines, packages, "`package` must be a list of locked packages"));
    return out;
  }
  size_t seen = 0;
  std::set<std::tuple<std::string, std::string, std::string>> known;
  for (const auto& p : packages) {
    if (++seen > kYamlMaxItems) break;
    if (!p.IsMap()) continue;
    std::string name = scalar(p["name"]), version = scalar(p["version"]);
    if (name.empty() || version.empty()) continue;
    facts::LockedPackage locked;
    bool pip = scalar(p["manager"]) == "pip";
    locked.ecosystem = pip ? "pypi" : "conda";
    locked.name = pip ? normalize_package_name(name) : name;
    locked.version = version;
    locked.line = p.Mark().line >= 0 ? static_cast<uint32_t>(p.Mark().line) : 0;
    // The same package is listed once per platform: keep one entry per name and version.
    if (known.emplace(locked.name, locked.version, locked.ecosystem).second) out.locked.push_back(std::move(locked));
  }
  return out;
}

}  // namespace mlaudit::manifests
