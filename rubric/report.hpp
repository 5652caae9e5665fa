// Renderers of the workspace audit (rubric/audit.hpp): pure functions from an AuditResult to
// text. No I/O: the caller (cli/, lsp/) decides where the text goes.
//
//  - render_markdown: the audit template (the user's document) filled in place: every section,
//    heading, checkbox and table of the template, in its order, with the computed answers.
//  - render_json: the machine-readable audit, schema "mlaudit-audit/1" (docs/audit-json.md).
//  - render_html: one self-contained page (inline CSS and SVG, no scripts, no external resources).
//
// Every result ends with a newline.
#pragma once
#include <string>
#include <string_view>

#include "rubric/audit.hpp"

namespace mlaudit::rubric {

// `template_markdown` is the template text, front matter included (the embedded
// "template/ai-ml-infrastructure-audit.md", or the one of --rubric DIR).
std::string render_markdown(const AuditResult& audit, std::string_view template_markdown);

// nlohmann::json, pretty-printed with 2 spaces; invalid UTF-8 is replaced, never thrown on.
std::string render_json(const AuditResult& audit);

std::string render_html(const AuditResult& audit);

}  // namespace mlaudit::rubric
