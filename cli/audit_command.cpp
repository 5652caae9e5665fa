#include "cli/audit_command.hpp"

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <toml++/toml.h>

#include "cli/project_settings.hpp"
#include "cli/fail_under.hpp"
#include "cli/workspace_loader.hpp"
#include "rubric/audit_rubric.hpp"
#include "rubric/report.hpp"

namespace mlaudit::cli {

std::string project_name(const std::string& root) {
  try {
    toml::table table = toml::parse_file(root + "/pyproject.toml");
    if (auto name = table["project"]["name"].value<std::string>()) return *name;
    if (auto name = table["tool"]["poetry"]["name"].value<std::string>()) return *name;
  } catch (const std::exception&) {
    // No pyproject.toml, or not valid TOML: the folder name will do.
  }
  return root.substr(root.rfind('/') + 1);
}

std::string today() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc);
  return buffer;
}

int run_audit(const AuditOptions& options) {
  auto loaded = load(options.workspace);
  if (!loaded) return 2;
  const rubric::AuditRubric& items = *loaded->items;
  auto reader = [&](const std::string& path) { return read_text(path, loaded->max_file_bytes); };
  // select / ignore / severity / per-file-ignores shape the findings the audit sees; the baseline
  // and target-level do not: the audit reports the whole state.
  rubric::FindingFilter filter = [&](const std::string& path, std::vector<rubric::Finding>& findings,
                                     const std::optional<std::string>&) {
    loaded->settings->settings_for(path)->apply(path, findings);
  };
  rubric::AuditResult audit = rubric::audit_workspace(loaded->snapshot, loaded->rubric, items, reader,
                                                      project_name(loaded->snapshot.root), today(), filter);
  // A broken configuration does not stop the audit, but it is said (check reports it as a finding).
  for (const auto& l : config_problems(*loaded->settings, loaded->snapshot.root, loaded->rubric->remediation_base))
    std::cerr << "mlaudit: " << l.path << ":" << l.line << ":" << l.column << ": " << l.finding.message << "\n";
  std::string report = options.format == "json"   ? rubric::render_json(audit)
                       : options.format == "html" ? rubric::render_html(audit)
                                                  : rubric::render_markdown(audit, loaded->rubric->template_markdown);
  if (options.output.empty()) {
    std::cout << report;
    return fail_under_status(audit, options.fail_under);
  }
  std::ofstream out(options.output, std::ios::binary);
  if (!(out << report)) {
    std::cerr << "mlaudit: cannot write " << options.output << "\n";
    return 2;
  }
  std::cerr << "mlaudit: wrote " << options.output << "\n";
  return fail_under_status(audit, options.fail_under);
}

}  // namespace mlaudit::cli
