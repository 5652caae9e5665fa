#include "analyzers/requirements.hpp"

#include <re2/re2.h>

#include <cctype>

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

namespace {

bool is_exact_pin(std::string_view specifier) {
  size_t at = specifier.find("==");
  if (at == std::string_view::npos) return false;
  size_t end = specifier.find(',', at);
  std::string_view version = specifier.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
  return version.find('*') == std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A line that is a URL on its own (`https://...`, `git+https://...`), not `name @ url`.
bool is_url(std::string_view s) {
  size_t scheme_end = s.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  for (char c : s.substr(0, scheme_end))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  return true;
}

}  // namespace

std::vector<facts::Requirement> parse_requirements(std::string_view text) {
  static const RE2 requirement(R"(([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(@|[<>=!~][^;#]*)?)");
  std::vector<facts::Requirement> out;
  uint32_t line = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(start, end - start);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    // A comment starts at '#' at the line start or after whitespace (URLs may hold '#').
    for (size_t i = 0; i < content.size(); ++i) {
      if (content[i] == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(content[i - 1])))) {
        content = content.substr(0, i);
        break;
      }
    }
    // Options (--hash, -r, -e, --index-url ...) are not requirements; a trailing --hash is cut.
    if (size_t option = content.find(" --"); option != std::string_view::npos) content = content.substr(0, option);
    if (!content.empty() && content.back() == '\\') content.remove_suffix(1);
    std::string_view stripped = trim(content);
    if (!stripped.empty() && stripped.front() != '-' && !is_url(stripped)) {
      std::string name, specifier;
      re2::StringPiece input(stripped.data(), stripped.size());
      if (RE2::Consume(&input, requirement, &name, &specifier)) {
        facts::Requirement r;
        r.name = normalize_package_name(name);
        r.specifier = std::string(trim(specifier));
        r.pinned = specifier == "@" || is_exact_pin(r.specifier);  // a direct URL is pinned to it
        uint32_t column = static_cast<uint32_t>(stripped.data() - text.data() - start);
        uint32_t length = static_cast<uint32_t>(stripped.size());
        r.range = {static_cast<uint32_t>(start + column), static_cast<uint32_t>(start + column + length),
                   {line, column}, {line, column + length}};
        out.push_back(std::move(r));
      }
    }
    start = end + 1;
    ++line;
  }
  return out;
}

}  // namespace mlaudit
