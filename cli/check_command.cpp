#include "cli/check_command.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/fix_command.hpp"
#include "cli/workspace_loader.hpp"

namespace mlaudit::cli {

int run_check(const CheckOptions& options) {
  std::optional<rubric::Severity> threshold;
  if (options.fail_on != "never") {
    threshold = rubric::parse_severity(options.fail_on);
    if (!threshold) {
      std::cerr << "mlaudit: --fail-on must be Critical, High, Medium, Low, Info or never\n";
      return 2;
    }
  }
  auto loaded = load(options.workspace);
  if (!loaded) return 2;
  if (options.fix) {
    FixSummary fixed = apply_safe_fixes(*loaded, options.workspace.max_file_bytes);
    (options.format == "json" ? std::cerr : std::cout)
        << "mlaudit: applied " << fixed.fixes << (fixed.fixes == 1 ? " fix" : " fixes") << " in " << fixed.files
        << (fixed.files == 1 ? " file" : " files") << "\n";
    if (fixed.files > 0) loaded = load(options.workspace);  // report what remains, from the files as written
    if (!loaded || fixed.failed > 0) return 2;
  }
  auto reader = [&](const std::string& path) { return read_text(path, options.workspace.max_file_bytes); };
  rubric::WorkspaceCheck result = rubric::check_workspace(loaded->snapshot, loaded->rubric, reader,
                                                          loaded->single_file ? loaded->target : "");
  const auto& relevance = result.conclusions->relevance;

  if (options.format == "json") {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& l : result.findings) {
      findings.push_back({{"rule", l.finding.rule},
                          {"checklistId", l.finding.checklist_id},
                          {"severity", rubric::severity_name(l.finding.severity)},
                          {"message", l.finding.message},
                          {"path", l.path},
                          {"line", l.line},
                          {"column", l.column},
                          {"endLine", l.end_line},
                          {"endColumn", l.end_column}});
    }
    std::cout << nlohmann::json{{"findings", findings}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!relevance.relevant) std::cerr << "mlaudit: skipped " << options.workspace.path << ": " << relevance.reason << "\n";
  } else {
    for (const auto& l : result.findings) {
      std::cout << l.path << ":" << l.line << ":" << l.column << ": " << l.finding.rule << " ["
                << rubric::severity_name(l.finding.severity) << "] " << l.finding.message << "\n";
    }
    if (!relevance.relevant) {
      std::cout << "mlaudit: skipped " << options.workspace.path << ": " << relevance.reason << "\n";
    } else {
      std::cout << "mlaudit: " << result.findings.size() << (result.findings.size() == 1 ? " finding" : " findings")
                << " in " << result.coverage.analysed << " analysed files\n";
    }
  }
  for (const auto& [path, why] : result.coverage.skipped) std::cerr << "mlaudit: not analysed: " << path << ": " << why << "\n";

  if (!threshold) return 0;
  for (const auto& l : result.findings)
    if (static_cast<int>(l.finding.severity) <= static_cast<int>(*threshold)) return 1;
  return 0;
}

}  // namespace mlaudit::cli
