// `mlaudit check PATH`: load the workspace, run every rule on every file, print findings.
#pragma once
#include <string>

namespace mlaudit::cli {

struct CheckOptions {
  std::string path = ".";
  std::string format = "text";  // text | json
  std::string fail_on = "High"; // a severity, or "never"
  std::string rubric_dir;
  unsigned threads = 0;         // 0: hardware concurrency
  uint64_t max_file_bytes = 2 * 1024 * 1024;
  std::string relevance = "auto";  // auto | on | off: force the ML/LLM relevance decision
};

// Returns the process exit status: 1 when a finding at or above fail_on exists, else 0;
// 2 when the path or the rubric cannot be used.
int run_check(const CheckOptions& options);

}  // namespace mlaudit::cli
