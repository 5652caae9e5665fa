// PEP 503 names, and the requirement lines of a requirements*.txt / constraints*.txt file
// (the full reader, with -r/-c includes, -e installs and errors, is
// manifests::read_requirements_txt).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit {

// PEP 503 normalization: lower case, every run of '-', '_' and '.' becomes one '-'.
std::string normalize_package_name(std::string_view name);

// The named requirements, editable `-e` installs left out (read_requirements_txt has them).
std::vector<facts::Requirement> parse_requirements(std::string_view text);

}  // namespace mlaudit
