// `mlaudit check PATH`: load the workspace, run every rule on every file, print findings.
#pragma once
#include <string>

#include "cli/workspace_loader.hpp"

namespace mlaudit::cli {

struct CheckOptions {
  LoadOptions workspace;         // PATH, --threads, --rubric, --max-file-size, --relevance
  std::string format = "text";  // text | json
  std::string fail_on = "High"; // a severity, or "never"
  bool fix = false;              // --fix: apply the safe fixes first, then report what remains
};

// Returns the process exit status: 1 when a finding at or above fail_on exists, else 0;
// 2 when the path or the rubric cannot be used.
int run_check(const CheckOptions& options);

}  // namespace mlaudit::cli
