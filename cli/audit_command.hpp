// `mlaudit audit PATH`: the filled-in audit report (Markdown, JSON or HTML).
#pragma once
#include <cstdint>
#include <string>

#include "cli/workspace_loader.hpp"

namespace mlaudit::cli {

struct AuditOptions {
  LoadOptions workspace;      // PATH, --threads, --rubric, --max-file-size, --relevance
  std::string format = "md";  // md | json | html
  std::string output;         // file to write; "" = stdout
  int fail_under = 0;         // --fail-under: 1..5, 0 = no gate (cli/fail_under.hpp)
};

// 0 when the report was written, 1 when --fail-under is not met (the report is still written),
// 2 on usage errors (bad path, rubric, output file).
int run_audit(const AuditOptions& options);

// The project's name from pyproject.toml ([project] or [tool.poetry]), else the folder's name.
std::string project_name(const std::string& root);

// Today's date, YYYY-MM-DD (UTC).
std::string today();

}  // namespace mlaudit::cli
