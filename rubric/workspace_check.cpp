#include "rubric/workspace_check.hpp"

#include <algorithm>
#include <tuple>

#include "analyzers/notebooks/notebook_positions.hpp"
#include "rubric/engine.hpp"
#include "rubric/workspace_model.hpp"
#include "support/text.hpp"

namespace mlaudit::rubric {
namespace {

std::string relative_to(const std::string& path, const std::string& base) {
  if (path.rfind(base + "/", 0) == 0) return path.substr(base.size() + 1);
  return path;
}

}  // namespace

WorkspaceCheck check_workspace(const WorkspaceSnapshot& workspace, std::shared_ptr<const Rubric> rubric,
                               const TextReader& read, const std::string& only, const FindingFilter& filter) {
  WorkspaceModel model(rubric, {workspace.root});
  if (workspace.relevance) model.set_relevance_override(workspace.relevance);
  model.begin_batch();
  for (const auto& path : workspace.present) model.add_present(path);
  for (const auto& file : workspace.files) model.update(*file);
  model.end_batch();
  WorkspaceCheck out;
  out.conclusions = model.conclusions();
  for (const auto& [path, why] : workspace.skipped) out.coverage.skipped.emplace_back(relative_to(path, workspace.root), why);
  for (const auto& file : workspace.files) {
    if (!file->skipped.reason.empty()) {
      std::string rel = relative_to(file->path, workspace.root);
      bool listed = std::any_of(out.coverage.skipped.begin(), out.coverage.skipped.end(), [&](const auto& s) { return s.first == rel; });
      if (!listed) out.coverage.skipped.emplace_back(rel, file->skipped.reason);
      continue;
    }
    ++out.coverage.analysed;
    // An artifact scanned only in part (a cap, a truncated or malformed stream) says so, like a
    // skipped file: a clean scan of half a pickle is not a clean pickle.
    if (file->kind == facts::FileKind::Artifact)
      for (const auto& note : file->artifact.notes)
        out.coverage.skipped.emplace_back(relative_to(file->path, workspace.root), "partly scanned: " + note);
    if (!only.empty() && file->path != only) continue;
    auto findings = check_file(*file, *rubric, *out.conclusions);
    if (findings.empty()) continue;
    if (file->notebook) {  // positions within cells, from the facts alone (the file is JSON)
      if (filter) {  // the findings' ranges index the notebook's concatenated code
        filter(file->path, findings, file->notebook->code);
        if (findings.empty()) continue;
      }
      notebooks::NotebookPositions positions(*file->notebook);
      for (auto& f : findings) {
        auto span = positions.cell_span(f.range, Encoding::Utf32);
        if (!span) continue;
        LocatedFinding l;
        l.path = relative_to(file->path, workspace.root);
        l.cell = span->cell;
        l.line = span->start.line + 1;
        l.column = span->start.column + 1;
        l.end_line = span->end.line + 1;
        l.end_column = span->end.column + 1;
        l.finding = std::move(f);
        out.findings.push_back(std::move(l));
      }
      continue;
    }
    std::optional<std::string> text = file->kind == facts::FileKind::Artifact ? std::nullopt : read(file->path);
    if (filter) {
      filter(file->path, findings, text);
      if (findings.empty()) continue;
    }
    LineIndex lines(text ? std::string_view(*text) : std::string_view());
    for (auto& f : findings) {
      LocatedFinding l;
      l.path = relative_to(file->path, workspace.root);
      LineColumn start = lines.position_of(f.range.start_byte, Encoding::Utf32);
      LineColumn end = lines.position_of(f.range.end_byte, Encoding::Utf32);
      if (!text) {  // unreadable now: fall back to the analyzer's byte columns
        start = {f.range.start.line, f.range.start.column};
        end = {f.range.end.line, f.range.end.column};
      }
      l.line = start.line + 1;
      l.column = start.column + 1;
      l.end_line = end.line + 1;
      l.end_column = end.column + 1;
      l.finding = std::move(f);
      out.findings.push_back(std::move(l));
    }
  }
  std::stable_sort(out.findings.begin(), out.findings.end(), [](const LocatedFinding& a, const LocatedFinding& b) {
    return std::tie(a.path, a.cell, a.line, a.column) < std::tie(b.path, b.cell, b.line, b.column);
  });
  std::sort(out.coverage.skipped.begin(), out.coverage.skipped.end());
  return out;
}

AuditResult audit_workspace(const WorkspaceSnapshot& workspace, std::shared_ptr<const Rubric> rubric,
                            const AuditRubric& items, const TextReader& read, std::string system_name,
                            std::string date, const FindingFilter& filter) {
  WorkspaceCheck checked = check_workspace(workspace, rubric, read, "", filter);
  AuditInput input;
  input.root = workspace.root;
  input.files = workspace.files;
  input.present = workspace.present;
  input.conclusions = checked.conclusions;
  input.findings = std::move(checked.findings);
  input.coverage = std::move(checked.coverage);
  input.system_name = std::move(system_name);
  input.date = std::move(date);
  return compute_audit(input, *rubric, items);
}

}  // namespace mlaudit::rubric
