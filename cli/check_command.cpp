#include "cli/check_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/project_settings.hpp"
#include "cli/fix_command.hpp"
#include "cli/check_ci_output.hpp"
#include "cli/workspace_loader.hpp"
#include "index/crawler.hpp"
#include "rubric/audit_rubric.hpp"
#include "rubric/baseline.hpp"

namespace fs = std::filesystem;

namespace mlaudit::cli {
namespace {

// The baseline to compare with (nullopt: none); false when a baseline file cannot be used.
bool load_baseline(const std::string& path, bool required, std::optional<rubric::Baseline>& out) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (required) std::cerr << "mlaudit: no such baseline file: " << path << "\n";
    return !required;
  }
  std::string text, error;
  if (!index::read_file(path, text, error, 256ull * 1024 * 1024)) {
    std::cerr << "mlaudit: cannot read the baseline " << path << ": " << error << "\n";
    return false;
  }
  out = rubric::Baseline::parse(text, error);
  if (!out) std::cerr << "mlaudit: " << path << " is not an mlaudit baseline: " << error << "\n";
  return out.has_value();
}

std::string relative_path(const std::string& path, const std::string& folder) {
  return fs::path(path).lexically_relative(folder).generic_string();
}

}  // namespace

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
    FixSummary fixed = apply_safe_fixes(*loaded, loaded->max_file_bytes);
    (options.format == "json" ? std::cerr : std::cout)
        << "mlaudit: applied " << fixed.fixes << (fixed.fixes == 1 ? " fix" : " fixes") << " in " << fixed.files
        << (fixed.files == 1 ? " file" : " files") << "\n";
    if (fixed.files > 0) loaded = load(options.workspace);  // report what remains, from the files as written
    if (!loaded || fixed.failed > 0) return 2;
  }
  const std::string& root = loaded->snapshot.root;
  auto& settings = *loaded->settings;
  const rubric::Settings at_root = settings.settings_at(root)->settings();

  // target-level needs the audit's ladders.
  std::map<std::string, int> levels;
  try {
    levels = rubric::levels_needing(*rubric::load_audit_rubric(*loaded->rubric, options.workspace.rubric_dir));
  } catch (const std::exception& e) {
    std::cerr << "mlaudit: target-level is not applied: " << e.what() << "\n";
  }

  std::string baseline_file = baseline_path(options.write_baseline && !options.write_baseline->empty() ? *options.write_baseline
                                                                                                        : options.baseline,
                                            at_root, root);
  std::string baseline_folder = fs::path(baseline_file).parent_path().generic_string();
  std::optional<rubric::Baseline> baseline;
  rubric::Baseline recorded;
  if (!options.write_baseline && !load_baseline(baseline_file, !options.baseline.empty(), baseline)) return 2;

  size_t below_target = 0, baselined = 0;
  rubric::FindingFilter filter = [&](const std::string& path, std::vector<rubric::Finding>& findings,
                                     const std::optional<std::string>& text) {
    settings.settings_for(path)->apply(path, findings, levels.empty() ? nullptr : &levels);
    if (options.target_level && !levels.empty()) {
      for (auto& f : findings) {
        auto needed = levels.find(f.checklist_id);
        f.below_target = needed == levels.end() || needed->second > *options.target_level;
      }
    }
    if (!text) return;
    std::string relative = relative_path(path, baseline_folder);
    if (options.write_baseline) {
      for (const auto& f : findings) recorded.add(relative, f, *text);
    } else if (baseline) {
      baselined += baseline->remove_known(relative, findings, *text);
    }
  };
  auto reader = [&](const std::string& path) { return read_text(path, loaded->max_file_bytes); };
  rubric::WorkspaceCheck result = rubric::check_workspace(loaded->snapshot, loaded->rubric, reader,
                                                          loaded->single_file ? loaded->target : "", filter);
  const auto& relevance = result.conclusions->relevance;

  if (options.write_baseline) {
    std::ofstream out(baseline_file, std::ios::binary);
    if (!(out << recorded.dump())) {
      std::cerr << "mlaudit: cannot write " << baseline_file << "\n";
      return 2;
    }
    std::cerr << "mlaudit: wrote " << result.findings.size() << (result.findings.size() == 1 ? " finding" : " findings")
              << " to the baseline " << baseline_file << "\n";
    return 0;
  }

  // A broken configuration is a finding of its own (and fails the run at the default --fail-on).
  std::vector<rubric::LocatedFinding> findings = config_problems(settings, root, loaded->rubric->remediation_base);
  for (auto& l : result.findings) {
    if (l.finding.below_target) ++below_target;  // report-only: the audit shows it
    else findings.push_back(std::move(l));
  }

  if (options.format == "sarif" || options.format == "github") {
    result.findings = findings;  // what is shown: configuration problems in, below-target out
    std::cout << render_check_for_ci(options.format, *loaded, result, options.workspace);
    if (!relevance.relevant) std::cerr << "mlaudit: skipped " << options.workspace.path << ": " << relevance.reason << "\n";
  } else if (options.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& l : findings) {
      list.push_back({{"rule", l.finding.rule},
                      {"checklistId", l.finding.checklist_id},
                      {"severity", rubric::severity_name(l.finding.severity)},
                      {"message", l.finding.message},
                      {"path", l.path},
                      {"line", l.line},
                      {"column", l.column},
                      {"endLine", l.end_line},
                      {"endColumn", l.end_column}});
      if (l.cell) list.back()["cell"] = *l.cell;  // notebooks: 0-based; line counts within the cell
    }
    std::cout << nlohmann::json{{"findings", list}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!relevance.relevant) std::cerr << "mlaudit: skipped " << options.workspace.path << ": " << relevance.reason << "\n";
  } else {
    for (const auto& l : findings) {
      // Notebooks: path:cell N:line:column, N counted from 1 like lines (ruff's spelling).
      std::cout << l.path << (l.cell ? ":cell " + std::to_string(*l.cell + 1) : "") << ":" << l.line << ":" << l.column
                << ": " << l.finding.rule << " [" << rubric::severity_name(l.finding.severity) << "] " << l.finding.message << "\n";
    }
    if (!relevance.relevant) {
      std::cout << "mlaudit: skipped " << options.workspace.path << ": " << relevance.reason << "\n";
    } else {
      std::cout << "mlaudit: " << findings.size() << (findings.size() == 1 ? " finding" : " findings") << " in "
                << result.coverage.analysed << " analysed files";
      if (below_target) std::cout << "; " << below_target << " below the target level not shown";
      if (baselined) std::cout << "; " << baselined << " in the baseline";
      std::cout << "\n";
    }
  }
  for (const auto& [path, why] : result.coverage.skipped) std::cerr << "mlaudit: not analysed: " << path << ": " << why << "\n";

  if (!threshold) return 0;
  for (const auto& l : findings)
    if (static_cast<int>(l.finding.severity) <= static_cast<int>(*threshold)) return 1;
  return 0;
}

}  // namespace mlaudit::cli
