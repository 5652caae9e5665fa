// Dependency manifests and lock files -> Facts. One reader per format, each pure (text in,
// facts out) and never throwing: what cannot be read becomes a facts::ParseError at its line,
// and whatever could be read before it is kept.
#pragma once
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit::manifests {

struct ManifestRead {
  std::vector<facts::Requirement> requirements;
  std::vector<facts::RequirementInclude> includes;
  std::vector<facts::LockedPackage> locked;
  std::vector<facts::ParseError> errors;
};

// Which reader a file name needs.
enum class Format {
  None, RequirementsTxt, Pyproject, SetupCfg, SetupPy, Pipfile, CondaEnvironment, PackageJson,
  PoetryLock, UvLock, PdmLock, PipfileLock, CondaLock, PackageLock
};
Format format_of(std::string_view file_name);

ManifestRead read_requirements_txt(std::string_view text);  // requirements*.txt, constraints*.txt
ManifestRead read_pyproject(std::string_view text);         // PEP 621, Poetry, uv, PDM, PEP 735
ManifestRead read_setup_cfg(std::string_view text);         // [options] install_requires, extras_require
ManifestRead read_pipfile(std::string_view text);           // [packages], [dev-packages]
ManifestRead read_conda_environment(std::string_view text); // environment.yml: dependencies + pip:
ManifestRead read_package_json(std::string_view text);      // dependencies, devDependencies, ...
ManifestRead read_toml_lock(std::string_view text);         // poetry.lock, uv.lock, pdm.lock: [[package]]
ManifestRead read_pipfile_lock(std::string_view text);      // Pipfile.lock (JSON): default, develop
ManifestRead read_conda_lock(std::string_view text);        // conda-lock.yml: package[]
ManifestRead read_package_lock(std::string_view text);      // package-lock.json v1-v3

// setup.py: a literal `install_requires=[...]` / `extras_require={...}` in the setup() call,
// from the file's Python facts (module-level list bindings are followed one step).
ManifestRead read_setup_py(const facts::PythonFacts& python, std::string_view text);

// Dispatches on the format; Format::SetupPy needs read_setup_py instead.
ManifestRead read_manifest(Format format, std::string_view text);

}  // namespace mlaudit::manifests
