#include "rubric/yaml_reading.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mlaudit::rubric {

std::vector<std::string> yaml_strings(const YAML::Node& node, const std::string& where) {
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsScalar()) return {node.as<std::string>()};
  if (!node.IsSequence()) throw std::runtime_error(where + " must be a list");
  for (const auto& item : node) out.push_back(item.as<std::string>());
  return out;
}

std::shared_ptr<RE2> yaml_pattern(const std::string& pattern, const std::string& where) {
  auto re = std::make_shared<RE2>(pattern, RE2::Quiet);
  if (!re->ok()) throw std::runtime_error(where + ": invalid pattern '" + pattern + "': " + re->error());
  return re;
}

std::string read_rubric_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("rubric: cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace mlaudit::rubric
