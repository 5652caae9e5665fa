#include "rubric/guides.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "rubric/yaml_reading.hpp"
#include "support/embedded.hpp"

namespace mlaudit::rubric {

std::string guide_page(std::string_view id) {
  bool item = id.find('.') != std::string_view::npos;
  return (item ? "items/" : "") + std::string(id) + ".md";
}

std::string guide_path(std::string_view id) { return "remediation/" + guide_page(id); }

std::optional<Guide> parse_guide(std::string_view text) {
  if (text.substr(0, 4) != "---\n") return std::nullopt;
  size_t end = text.find("\n---\n", 3);
  if (end == std::string_view::npos) return std::nullopt;
  Guide guide;
  try {
    YAML::Node front = YAML::Load(std::string(text.substr(4, end - 3)));
    if (!front.IsMap() || !front["id"]) return std::nullopt;
    auto scalar = [&](const char* key) { return front[key] ? front[key].as<std::string>() : std::string(); };
    guide.id = scalar("id");
    guide.title = scalar("title");
    guide.area = scalar("area");
    guide.level = scalar("level");
    guide.checklist = scalar("checklist");
    guide.severity = scalar("severity");
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
  guide.body = std::string(text.substr(end + 5));
  return guide;
}

std::optional<std::string> guide_text(std::string_view id, const std::string& rubric_dir) {
  // Ids are names, never paths: refuse anything that could leave the remediation folder.
  if (id.empty() || id.find('/') != std::string_view::npos || id.find("..") != std::string_view::npos) return std::nullopt;
  std::string path = guide_path(id);
  if (!rubric_dir.empty()) {
    try {
      return read_rubric_file(rubric_dir + "/" + path);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  for (const auto& resource : embedded::all())
    if (resource.path == path) return std::string(resource.content);
  return std::nullopt;
}

namespace {
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }
}  // namespace

std::string first_paragraph(std::string_view body) {
  std::string out;
  bool after_title = false;
  for (std::string_view line : lines_of(body)) {
    if (!after_title) {
      after_title = line.substr(0, 2) == "# ";
      continue;
    }
    if (blank(line)) {
      if (!out.empty()) break;
      continue;
    }
    if (line.substr(0, 1) == "#" || line.substr(0, 1) == "|" || line.substr(0, 3) == "```") break;
    if (!out.empty()) out += ' ';
    out += std::string(line.substr(line.find_first_not_of(" \t")));
  }
  while (!out.empty() && (out.back() == '\r' || out.back() == ' ')) out.pop_back();
  return out;
}

std::vector<std::string> section_titles(std::string_view body) {
  std::vector<std::string> titles;
  bool fenced = false;
  for (std::string_view line : lines_of(body)) {
    if (line.substr(0, 3) == "```") fenced = !fenced;
    if (!fenced && line.substr(0, 3) == "## ") titles.emplace_back(line.substr(3));
  }
  return titles;
}

int level_needing(const AuditRubric& audit, std::string_view item_id, const AreaSpec** area) {
  for (const auto& spec : audit.areas) {
    bool here = std::any_of(spec.items.begin(), spec.items.end(), [&](const ItemSpec& i) { return i.id == item_id; });
    if (!here) continue;
    if (area) *area = &spec;
    for (const auto& rung : spec.levels) {  // ascending
      auto named = [&](const std::vector<std::string>& ids) { return std::find(ids.begin(), ids.end(), item_id) != ids.end(); };
      if (named(rung.required) || named(rung.partial_ok)) return rung.level;
    }
    return 0;
  }
  return 0;
}

}  // namespace mlaudit::rubric
