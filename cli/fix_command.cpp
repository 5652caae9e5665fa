#include "cli/fix_command.hpp"

#include <fstream>
#include <set>
#include <iostream>

#include "analyzers/analyzer.hpp"
#include "rubric/engine.hpp"
#include "rubric/fixes/fix.hpp"
#include "rubric/workspace_model.hpp"

namespace mlaudit::cli {

FixSummary apply_safe_fixes(const Loaded& loaded, uint64_t max_file_bytes) {
  FixSummary summary;
  rubric::WorkspaceCheck checked = rubric::check_workspace(loaded.snapshot, loaded.rubric,
                                                           [&](const std::string& p) { return read_text(p, max_file_bytes); },
                                                           loaded.single_file ? loaded.target : "");
  std::set<std::string> with_findings;
  for (const auto& l : checked.findings) with_findings.insert(l.finding.path);
  for (const auto& file : loaded.snapshot.files) {
    if (!with_findings.count(file->path) || file->kind != facts::FileKind::Python) continue;
    std::optional<std::string> text = read_text(file->path, max_file_bytes);
    if (!text) continue;
    facts::FileFacts now = analyze_text(file->path, *text, max_file_bytes);
    if (now.python.has_syntax_errors) continue;  // never rewrite a file the parser only half understands
    auto findings = rubric::check_file(now, *loaded.rubric, *checked.conclusions);
    rubric::fixes::FixContext ctx{now, *text, *loaded.rubric, loaded.snapshot.files, {loaded.snapshot.root}};
    size_t applied = 0;
    auto edits = rubric::fixes::fix_all(ctx, findings, &applied);
    if (applied == 0) continue;
    std::string fixed = rubric::fixes::apply_edits(*text, edits);
    std::ofstream out(file->path, std::ios::binary | std::ios::trunc);
    if (!(out << fixed) || !out.flush()) {
      std::cerr << "mlaudit: cannot write " << file->path << "\n";
      ++summary.failed;
      continue;
    }
    summary.fixes += applied;
    ++summary.files;
  }
  return summary;
}

}  // namespace mlaudit::cli
