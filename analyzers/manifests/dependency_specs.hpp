// The dependency notations manifests use, each to a facts::Requirement (without its range):
// PEP 508 strings (requirements files, pyproject [project], setup.cfg, setup.py, uv, pdm),
// Poetry and Pipfile version constraints, conda match specs and npm version ranges. Which
// notations count as "pinned" is decided here, once, per ecosystem.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::manifests {

std::string_view trim(std::string_view s);

// `name[extras] (specifier | @ url) ; marker`. nullopt when no package name can be read.
std::optional<facts::Requirement> parse_pep508(std::string_view text);

// PEP 440: an `==` (or `===`) clause without a wildcard.
bool pep440_exact(std::string_view specifier);

// A direct reference: archives and local files are fixed; a VCS URL only with `@ref`.
bool url_pinned(std::string_view url);

// Poetry: `2.1.0` and `==2.1.0` are exact; `^`, `~`, `>=`, `*` and `2.*` are ranges.
bool poetry_exact(std::string_view constraint);

// npm: `4.52.0` and `=4.52.0` are exact; `^`, `~`, ranges, tags (`latest`) and `x` are not.
// A git URL with a `#commit` is fixed too.
bool npm_exact(std::string_view range);

// Conda match spec `[channel::]name[ |=|==|>=...]version[=build]` -> Requirement with
// ecosystem "conda". Exact: `==v`, `=v=build`, or `=v` / `v` with at least three release
// components (conda reads `=2.1` as `2.1.*`, a range; `=2.1.0` admits only 2.1.0 builds).
std::optional<facts::Requirement> parse_conda_spec(std::string_view text);

}  // namespace mlaudit::manifests
