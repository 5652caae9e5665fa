#include "analyzers/requirements.hpp"

#include <cctype>

#include "analyzers/manifests/manifests.hpp"

namespace mlaudit {

std::string normalize_package_name(std::string_view name) {
  std::string out;
  bool separator = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      separator = true;
      continue;
    }
    if (separator && !out.empty()) out += '-';
    separator = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::vector<facts::Requirement> parse_requirements(std::string_view text) {
  std::vector<facts::Requirement> out;
  for (auto& r : manifests::read_requirements_txt(text).requirements)
    if (!r.editable) out.push_back(std::move(r));
  return out;
}

}  // namespace mlaudit
