// Which manifest reader a file name needs, and the dispatch to it.
#include "analyzers/manifests/manifests.hpp"

namespace mlaudit::manifests {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

}  // namespace

Format format_of(std::string_view name) {
  if (name == "pyproject.toml") return Format::Pyproject;
  if (name == "setup.cfg") return Format::SetupCfg;
  if (name == "setup.py") return Format::SetupPy;
  if (name == "Pipfile") return Format::Pipfile;
  if (name == "Pipfile.lock") return Format::PipfileLock;
  if (name == "poetry.lock") return Format::PoetryLock;
  if (name == "uv.lock") return Format::UvLock;
  if (name == "pdm.lock") return Format::PdmLock;
  if (name == "package.json") return Format::PackageJson;
  if (name == "package-lock.json" || name == "npm-shrinkwrap.json") return Format::PackageLock;
  bool yaml = ends_with(name, ".yml") || ends_with(name, ".yaml");
  if (yaml && (starts_with(name, "conda-lock.") || ends_with(name, ".conda-lock.yml") || ends_with(name, ".conda-lock.yaml")))
    return Format::CondaLock;
  // conda environment files: environment.yml, environment-gpu.yml, and MLflow's conda.yaml.
  if (yaml && (starts_with(name, "environment") || name == "conda.yaml" || name == "conda.yml")) return Format::CondaEnvironment;
  if ((ends_with(name, ".txt") || ends_with(name, ".in")) && (starts_with(name, "requirements") || starts_with(name, "constraints")))
    return Format::RequirementsTxt;
  return Format::None;
}

ManifestRead read_manifest(Format format, std::string_view text) {
  switch (format) {
    case Format::RequirementsTxt: return read_requirements_txt(text);
    case Format::Pyproject: return read_pyproject(text);
    case Format::SetupCfg: return read_setup_cfg(text);
    case Format::Pipfile: return read_pipfile(text);
    case Format::CondaEnvironment: return read_conda_environment(text);
    case Format::PackageJson: return read_package_json(text);
    case Format::PoetryLock:
    case Format::UvLock:
    case Format::PdmLock: return read_toml_lock(text);
    case Format::PipfileLock: return read_pipfile_lock(text);
    case Format::CondaLock: return read_conda_lock(text);
    case Format::PackageLock: return read_package_lock(text);
    case Format::SetupPy:
    case Format::None: break;
  }
  return {};
}

}  // namespace mlaudit::manifests
