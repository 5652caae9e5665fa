// setup.cfg: [options] install_requires and [options.extras_require] <extra> = ..., each a
// dangling list (one requirement per indented line) or one value on the key's line. The INI
// reader is the small subset setuptools' configparser accepts: sections, `key = value` or
// `key: value`, indented continuation lines, full-line `#`/`;` comments.
#include <cctype>

#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/source_lines.hpp"

namespace mlaudit::manifests {
namespace {

struct Value {
  std::string_view text;
  size_t offset;
};

void add_requirements(const SourceLines& lines, const std::vector<Value>& values, const std::string& group, ManifestRead& out) {
  for (const auto& v : values) {
    std::string_view s = v.text;
    if (size_t hash = s.find(" #"); hash != std::string_view::npos) s = trim(s.substr(0, hash));
    if (s.empty()) continue;
    size_t offset = v.offset + (s.data() - v.text.data());
    if (s.substr(0, 5) == "file:") {  // setuptools reads the requirements from that file
      std::string_view path = trim(s.substr(5));
      out.includes.push_back({std::string(path), false, lines.range_at(offset, s.size())});
      continue;
    }
    auto req = parse_pep508(s);
    if (!req) {
      out.errors.push_back({"setuptools cannot read `" + std::string(s.substr(0, 80)) + "` as a requirement", lines.range_at(offset, s.size())});
      continue;
    }
    req->group = group;
    req->range = lines.range_at(offset, s.size());
    out.requirements.push_back(std::move(*req));
  }
}

}  // namespace

ManifestRead read_setup_cfg(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  std::string section, key;
  std::vector<Value> values;
  auto flush = [&] {
    if (section == "options" && key == "install_requires") add_requirements(lines, values, "main", out);
    if (section == "options.extras_require" && !key.empty()) add_requirements(lines, values, "optional:" + key, out);
    key.clear();
    values.clear();
  };
  for (uint32_t line = 0; line < lines.line_count(); ++line) {
    facts::Range r = lines.line_from(line, 0);
    std::string_view raw = text.substr(r.start_byte, r.end_byte - r.start_byte);
    std::string_view content = trim(raw);
    if (content.empty() || content[0] == '#' || content[0] == ';') continue;
    if (std::isspace(static_cast<unsigned char>(raw[0])) && !key.empty()) {  // a continuation line
      values.push_back({content, r.start_byte + static_cast<size_t>(content.data() - raw.data())});
      continue;
    }
    flush();
    if (content[0] == '[') {
      size_t close = content.find(']');
      if (close == std::string_view::npos) {
        out.errors.push_back(error_at_line(lines, line, "setup.cfg line " + std::to_string(line + 1) + ": a section header without `]`"));
        section.clear();
        continue;
      }
      section = std::string(trim(content.substr(1, close - 1)));
      continue;
    }
    size_t separator = content.find_first_of("=:");
    if (separator == std::string_view::npos) {
      out.errors.push_back(error_at_line(lines, line, "setup.cfg line " + std::to_string(line + 1) + " is not `key = value`"));
      continue;
    }
    key = std::string(trim(content.substr(0, separator)));
    std::string_view value = trim(content.substr(separator + 1));
    if (!value.empty()) values.push_back({value, r.start_byte + static_cast<size_t>(value.data() - raw.data())});
  }
  flush();
  return out;
}

}  // namespace mlaudit::manifests
