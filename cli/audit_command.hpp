// `mlaudit audit PATH`: the filled-in audit report (Markdown, JSON or HTML).
#pragma once
#include <cstdint>
#include <string>

namespace mlaudit::cli {

struct AuditOptions {
  std::string path = ".";
  std::string format = "md";  // md | json | html
  std::string output;         // file to write; "" = stdout
  std::string rubric_dir;
  unsigned threads = 0;
  uint64_t max_file_bytes = 2 * 1024 * 1024;
  std::string relevance = "auto";  // auto | on | off: force the ML/LLM relevance decision
};

// 0 when the report was written, 2 on usage errors (bad path, rubric, output file).
int run_audit(const AuditOptions& options);

// The project's name from pyproject.toml ([project] or [tool.poetry]), else the folder's name.
std::string project_name(const std::string& root);

// Today's date, YYYY-MM-DD (UTC).
std::string today();

}  // namespace mlaudit::cli
