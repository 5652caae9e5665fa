// The workspace audit: every checklist item's status with its evidence, a maturity level per
// area with the reason, the overall score, and what the report's tables need. Computed from
// the Facts of the whole workspace by the data in rubric/items.yaml; rendered by
// rubric/report_*.cpp. No syntax trees, no LSP, no file system.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/facts.hpp"
#include "rubric/finding.hpp"
#include "rubric/rubric.hpp"
#include "rubric/workspace_model.hpp"

namespace mlaudit::rubric {

enum class Status { Met, Partial, Gap, NotAssessable };
const char* status_name(Status status);  // "met" | "partial" | "gap" | "not-assessable"

struct Evidence {
  std::string path;                  // workspace-relative, '/' separators
  std::optional<uint32_t> line;      // 1-based; absent for "the file exists"
  std::optional<uint32_t> cell;      // notebooks: 0-based index into `cells`; `line` is within it
  std::string detail;                // what was seen: "import mlflow", "file MLproject", a rule id
};

struct ItemResult {
  std::string id;          // checklist id, e.g. infrastructure.experiment-tracking
  std::string title;       // the template checkbox's label, e.g. "Experiment tracking"
  Status status = Status::NotAssessable;
  std::vector<Evidence> evidence;
  std::string reason;      // one sentence: why this status
  std::string question;    // for not-assessable: what an auditor must ask
  Severity severity = Severity::Info;  // of the gap (meaningful when status is gap)
  std::string remediation; // page path relative to rubric/, "" when none
  std::string remediation_url;  // the page under Rubric::remediation_base (what diagnostics link to)
  std::optional<int> blocks_level;  // the lowest level of the area's ladder this item keeps out of reach
};

struct AreaResult {
  std::string id;          // infrastructure, development, ... security, llm
  std::string title;       // "ML Infrastructure & Compute"
  int section = 0;         // the template's section number (9, 10 for the extension areas)
  bool extension = false;  // security/llm: shown beside the overall score, not inside it
  bool assessable = false; // at least half of its items are assessable
  int level = 1;           // 1..5
  std::string explanation; // "Level 2: Level 3 needs X (gap) and Y (not assessable)."
  std::vector<ItemResult> items;
};

// A row of the "Current Technology" table.
struct Technology {
  std::string component;  // "ML Framework", "Experiment Tracking", ...
  std::string name;       // "PyTorch"
  std::string version;    // from a pin or lock file, "" when unknown
  std::string source;     // "requirements.txt:2"
};

// A row of the "Model Inventory" table: a model trained, saved, loaded or served somewhere.
struct ModelUse {
  std::string what;       // "loaded", "saved", "trained", "served"
  std::string name;       // the model id or file when a literal says so, else the call
  std::string path;       // where
  uint32_t line = 0;      // 1-based
  std::optional<uint32_t> cell;  // notebooks: 0-based cell index; `line` is within that cell
};

// A per-file finding with its position resolved (1-based line, code-point column).
struct LocatedFinding {
  Finding finding;
  std::string path;  // workspace-relative
  uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
  std::optional<uint32_t> cell;  // notebooks: 0-based index into `cells`; lines count within it
};

struct Coverage {
  size_t analysed = 0;
  std::vector<std::pair<std::string, std::string>> skipped;  // path, why
};

struct AuditResult {
  std::string schema = "mlaudit-audit/1";
  std::string root;          // absolute path of the audited folder
  std::string system_name;   // from project metadata, else the folder name
  std::string date;          // YYYY-MM-DD
  Relevance relevance;
  std::vector<AreaResult> areas;        // the template's eight, then the extensions
  std::optional<int> overall;           // absent when no template area is assessable
  std::string overall_rule;             // how the overall score was derived, for the report
  std::vector<LocatedFinding> findings; // per-file findings (check's), sorted by path and line
  std::vector<Technology> technology;
  std::vector<ModelUse> models;
  Coverage coverage;
};

struct AuditRubric;

// What the engine reads: the whole workspace's Facts and findings, already located.
struct AuditInput {
  std::string root;                               // absolute
  std::vector<facts::FileFactsPtr> files;         // analysed files, absolute paths
  std::vector<std::string> present;               // every file seen, absolute paths
  std::shared_ptr<const Conclusions> conclusions;
  std::vector<LocatedFinding> findings;           // per-file findings of every file
  Coverage coverage;
  std::string system_name, date;
};

// Statuses, levels and tables from the evidence. Pure: the same input gives the same result.
AuditResult compute_audit(const AuditInput& input, const Rubric& rubric, const AuditRubric& items);

}  // namespace mlaudit::rubric
