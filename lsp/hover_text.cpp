#include "lsp/hover_text.hpp"

#include "rubric/guides.hpp"

namespace mlaudit::lsp {

std::string hover_text(const HoverSubject& subject, const rubric::Rubric& rules, const rubric::AuditRubric* audit,
                       const std::string& rubric_dir, bool markdown) {
  auto code = [&](const std::string& s) { return markdown ? "`" + s + "`" : s; };
  auto bold = [&](const std::string& s) { return markdown ? "**" + s + "**" : s; };
  const rubric::RuleSpec* rule = rules.rule(subject.rule);
  std::string out = bold("mlaudit " + subject.rule) + (rule ? " — " + rule->title : "");
  if (rule) out += std::string(" (") + rubric::severity_name(rule->severity) + ")";
  out += "\n\n";

  std::string item_line = "Checklist item: " + code(subject.checklist);
  const rubric::ItemSpec* item = audit ? audit->item(subject.checklist) : nullptr;
  if (item) {
    const rubric::AreaSpec* area = nullptr;
    int level = rubric::level_needing(*audit, item->id, &area);
    item_line += " " + item->title;
    if (area) item_line += " — area: " + area->title;
    out += item_line + "\n\n";
    if (level > 0) {
      std::string description;
      for (const auto& rung : area->levels)
        if (rung.level == level) description = rung.description;
      out += "Blocks level " + std::to_string(level) + " of " + area->title + (description.empty() ? "" : " (" + description + ")") + "\n\n";
    } else if (area) {
      out += "Not on " + area->title + "'s level ladder\n\n";
    }
  } else {
    out += item_line + "\n\n";
  }

  if (auto text = rubric::guide_text(subject.rule, rubric_dir))
    if (auto guide = rubric::parse_guide(*text))
      if (std::string summary = rubric::first_paragraph(guide->body); !summary.empty()) {
        if (!markdown) std::erase(summary, '`');
        out += summary + "\n\n";
      }

  if (!subject.href.empty()) out += markdown ? "[Remediation guide](" + subject.href + ")" : "Remediation guide: " + subject.href;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace mlaudit::lsp
