// Small helpers both rubric files (rules.yaml, items.yaml) use to read YAML: lists of strings
// and RE2 patterns, with errors that name the file and the place.
#pragma once
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

namespace mlaudit::rubric {

// A list of strings (a single scalar counts as a one-element list); throws
// std::runtime_error("<where> must be a list") otherwise.
std::vector<std::string> yaml_strings(const YAML::Node& node, const std::string& where);

// A compiled pattern; throws std::runtime_error naming `where` and RE2's error when invalid.
std::shared_ptr<RE2> yaml_pattern(const std::string& pattern, const std::string& where);

// A rubric file read whole (for --rubric DIR); throws std::runtime_error when unreadable.
std::string read_rubric_file(const std::string& path);

}  // namespace mlaudit::rubric
