// requirements*.txt / constraints*.txt -> Requirement facts (name, specifier, pinned, range).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit {

// PEP 503 normalization: lower case, every run of '-', '_' and '.' becomes one '-'.
std::string normalize_package_name(std::string_view name);

std::vector<facts::Requirement> parse_requirements(std::string_view text);

}  // namespace mlaudit
