// Remediation guides: one Markdown page per rule (remediation/<rule>.md) and per checklist item
// (remediation/items/<item-id>.md), embedded with the rubric. Each page opens with YAML front
// matter (id; title, area and level for items; title, checklist and severity for rules), then a
// `# Title`, a one-paragraph summary and fixed `##` sections. This unit reads pages; it never
// decides where they are published (cli/remediation_location.cpp does).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/audit_rubric.hpp"

namespace mlaudit::rubric {

// The page of a rule or checklist item id, relative to rubric/ (checklist ids contain a '.').
std::string guide_path(std::string_view id);
// The page relative to the remediation folder (what follows the href base).
std::string guide_page(std::string_view id);

struct Guide {
  std::string id, title, area, level;  // front matter (area/level: items only)
  std::string checklist, severity;     // front matter (rules only)
  std::string body;                    // the Markdown after the front matter
};

// Splits a page into front matter and body; nullopt when the front matter is missing or not YAML.
std::optional<Guide> parse_guide(std::string_view text);

// The page text of `id`: from `rubric_dir`/remediation when a directory is given, else embedded.
// nullopt when there is none.
std::optional<std::string> guide_text(std::string_view id, const std::string& rubric_dir = "");

// The first paragraph after the page's `# Title`: the summary shown on hover.
std::string first_paragraph(std::string_view body);

// The `## ` headings of a body, in order.
std::vector<std::string> section_titles(std::string_view body);

// The lowest rung of its area's ladder that needs `item_id` (met, or met-or-partial); 0 when no
// rung does. `area` receives the item's area when found.
int level_needing(const AuditRubric& audit, std::string_view item_id, const AreaSpec** area = nullptr);

}  // namespace mlaudit::rubric
