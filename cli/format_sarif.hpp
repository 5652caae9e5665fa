// `mlaudit check --format sarif`: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).
// One run; tool.driver carries every rule of the rubric (id, name, descriptions, helpUri = the
// remediation page, tags = checklist id and area, default level from the severity); results carry
// the rule, level, message, a location relative to the SRCROOT base, partial fingerprints and,
// for notebooks, the cell in properties. Columns are Unicode code points (run.columnKind says
// so), as in `--format json`; lines are 1-based; endColumn is exclusive, as SARIF defines it.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/output_paths.hpp"
#include "rubric/audit.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::cli {

struct SarifInput {
  const rubric::Rubric* rubric = nullptr;
  const std::vector<rubric::LocatedFinding>* findings = nullptr;
  OutputBase base;  // paths: base.prefix + finding.path, relative to base.root
  // The text of line `line` (1-based) of the PATH-relative file, "" when unknown.
  std::function<std::string(const std::string& path, uint32_t line)> line_text;
  std::vector<std::pair<std::string, std::string>> skipped;  // (path, why): notifications
  std::string not_relevant;  // why the workspace was skipped, "" when it was checked
  std::string version;       // the tool's version
};

// SARIF level of a severity: Critical/High error, Medium warning, Low/Info note.
const char* sarif_level(rubric::Severity severity);

// "seed-not-set" -> "SeedNotSet" (SARIF's reportingDescriptor.name is a Pascal-case identifier).
std::string pascal_case(const std::string& rule_id);

nlohmann::ordered_json render_sarif(const SarifInput& input);

}  // namespace mlaudit::cli
