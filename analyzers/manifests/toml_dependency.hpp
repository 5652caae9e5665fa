// `name = constraint` and `name = {version = ..., git = ..., extras = [...]}` entries, as Poetry
// ([tool.poetry.dependencies]) and Pipenv (Pipfile) write them. Their version strings differ:
// Poetry reads a bare `2.1.0` as exact and `^2.1` as a range; Pipfile uses PEP 440 and `*`.
#pragma once
#include <toml++/toml.h>

#include <optional>
#include <string>

#include "analyzers/facts.hpp"

namespace mlaudit::manifests {

enum class TomlStyle { Poetry, Pipfile };

// The requirement (without range; group "optional" when marked optional), or nullopt when the
// value has none of the accepted shapes.
std::optional<facts::Requirement> toml_dependency(const std::string& name, const toml::node& value, TomlStyle style);

}  // namespace mlaudit::manifests
