// `mlaudit explain ID`: prints the remediation guide of a rule or checklist item;
// `mlaudit explain --list`: every id with a guide, and its title.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit::cli {

struct ExplainOptions {
  std::string id;
  bool list = false;
  bool url = false;         // print where the page is published (the href base + page) instead
  std::string rubric_dir;   // --rubric DIR
};

// 0 on success; 2 for an unknown id (with the closest ids on stderr) or an unusable rubric.
int run_explain(const ExplainOptions& options);

// Up to `count` ids closest to `query` (edit distance on the whole id and on its part after the
// area), nearest first; only ids close enough to be a plausible typo or a partial name.
std::vector<std::string> closest_ids(std::string_view query, const std::vector<std::string>& ids, size_t count = 3);

}  // namespace mlaudit::cli
