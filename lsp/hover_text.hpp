// The text of a hover over a diagnostic: the rule, its checklist item and area, the level of the
// area's ladder the item blocks, the first paragraph of the rule's guide, and the guide's link.
// Text only: the server finds the diagnostics under the cursor and sends the result.
#pragma once
#include <string>

#include "rubric/audit_rubric.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::lsp {

struct HoverSubject {
  std::string rule;       // Diagnostic.code
  std::string checklist;  // Diagnostic.data.checklistId
  std::string href;       // Diagnostic.codeDescription.href ("" when none)
};

// `audit` may be null (items.yaml failed to load): the item's title, area and level are then
// left out. Guides are read from `rubric_dir` when given, else from the embedded pages.
std::string hover_text(const HoverSubject& subject, const rubric::Rubric& rules, const rubric::AuditRubric* audit,
                       const std::string& rubric_dir, bool markdown);

}  // namespace mlaudit::lsp
