// Helpers shared by the audit renderers (report_markdown/json/html.cpp). Not a public API.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubric/audit.hpp"

namespace mlaudit::rubric::report {

// "met" | "partial" | "gap" | "not-assessable" (the JSON and CSS spelling).
const char* status_id(Status status);
// "Met" | "Partial" | "Gap" | "Not assessable" (for people).
const char* status_label(Status status);

// The "Overall Description" column of the template's scoring rubric: "Ad-hoc ML experiments".
std::string level_description(int level);

// The area id of a checklist id: "infrastructure" for "infrastructure.experiment-tracking".
std::string area_of(std::string_view checklist_id);

// The section number an area is rendered under (1..8 for the template's, 9.. for extensions),
// AreaResult::section when set, else its position.
int section_of(const AuditResult& audit, const AreaResult& area);
// The template's eight areas (not extensions), in section order; and the extension areas.
std::vector<const AreaResult*> template_areas(const AuditResult& audit);
std::vector<const AreaResult*> extension_areas(const AuditResult& audit);
// The template area numbered `section`, or nullptr.
const AreaResult* template_area(const AuditResult& audit, int section);
// A short axis label: "Infrastructure", "MLOps", ...
std::string short_name(const AreaResult& area);

// The explanation without a leading "Level N:" (the renderers print the level themselves).
std::string explanation_body(const AreaResult& area);

// "path:line", "path:cell N:line" (N counted from 1, as `check` prints it), or "path".
std::string location(const Evidence& evidence);
std::string location(const std::string& path, uint32_t line, std::optional<uint32_t> cell = std::nullopt);

struct Counts {
  size_t met = 0, partial = 0, gap = 0, not_assessable = 0;
};
Counts count(const AreaResult& area);

int severity_rank(Severity severity);  // 0 = Critical .. 4 = Info
// The most severe gap item (any area) or per-file finding; nullopt when there is none.
std::optional<Severity> most_severe(const AuditResult& audit);

// The per-file findings that belong to an area (checklist id prefix).
std::vector<const LocatedFinding*> findings_of(const AuditResult& audit, const std::string& area_id);
// "remediation/<page>.md" for a finding (from its href), "" when it has none.
std::string remediation_path(const LocatedFinding& finding);

// The level a gap item holds the area back from, when the area's explanation says so
// ("Level 2: Level 3 needs Experiment tracking (a gap) and ..."); nullopt when it does not.
std::optional<int> blocked_level(const AreaResult& area, const ItemResult& item);

// "PyTorch 2.1" from the first "ML Framework" technology row, "" when none.
std::string primary_framework(const AuditResult& audit);
// What the code shows it does with models ("model training, model serving, LLM application"),
// "" when nothing says.
std::string use_cases(const AuditResult& audit);
// "Level 2 of 5 (Ad-hoc ML experiments); strongest: ... ; weakest: ...".
std::string current_state_sentence(const AuditResult& audit);

// Item evidence worth quoting first: met items' first evidence, then partial ones.
struct QuotedEvidence {
  const AreaResult* area;
  const ItemResult* item;
  const Evidence* evidence;
};
std::vector<QuotedEvidence> strongest_evidence(const AuditResult& audit, size_t limit);

std::string lower(std::string_view text);
std::string one_line(std::string_view text);  // newlines and tabs become spaces

}  // namespace mlaudit::rubric::report
