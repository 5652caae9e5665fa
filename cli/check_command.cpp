#include "cli/check_command.hpp"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "index/crawler.hpp"
#include "rubric/engine.hpp"
#include "rubric/workspace_model.hpp"
#include "support/text.hpp"

namespace fs = std::filesystem;

namespace mlaudit::cli {
namespace {

struct Located {
  rubric::Finding finding;
  std::string relative;
  LineColumn start, end;  // 0-based, code points
};

std::string relative_to(const std::string& path, const std::string& base) {
  if (path.rfind(base + "/", 0) == 0) return path.substr(base.size() + 1);
  return path;
}

}  // namespace

int run_check(const CheckOptions& options) {
  std::error_code ec;
  if (!fs::exists(options.path, ec)) {
    std::cerr << "mlaudit: no such file or directory: " << options.path << "\n";
    return 2;
  }
  std::optional<rubric::Severity> threshold;
  if (options.fail_on != "never") {
    threshold = rubric::parse_severity(options.fail_on);
    if (!threshold) {
      std::cerr << "mlaudit: --fail-on must be Critical, High, Medium, Low, Info or never\n";
      return 2;
    }
  }
  std::shared_ptr<const rubric::Rubric> rubric;
  try {
    rubric = rubric::load_rubric(options.rubric_dir);
  } catch (const std::exception& e) {
    std::cerr << "mlaudit: " << e.what() << "\n";
    return 2;
  }

  // A file argument is checked within the workspace of its folder (cross-file rules need it).
  std::string target = index::absolute_path(options.path);
  bool single_file = fs::is_regular_file(target, ec);
  std::string root = single_file ? target.substr(0, target.rfind('/')) : target;
  index::CrawlOptions crawl;
  crawl.max_file_bytes = options.max_file_bytes;
  crawl.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  index::Workspace ws = index::load_workspace(root, crawl);

  rubric::WorkspaceModel model(rubric, {ws.root});
  for (const auto& path : ws.present) model.add_present(path);
  for (const auto& file : ws.analysed) model.update(*file);
  auto conclusions = model.conclusions();

  std::vector<Located> located;
  std::vector<std::pair<std::string, std::string>> skipped;
  for (const auto& file : ws.analysed) {
    if (single_file && file->path != target) continue;
    if (!file->skipped.reason.empty()) skipped.emplace_back(relative_to(file->path, root), file->skipped.reason);
    auto findings = rubric::check_file(*file, *rubric, *conclusions);
    if (findings.empty()) continue;
    std::string content, error;
    index::read_file(file->path, content, error, options.max_file_bytes);
    LineIndex lines(content);
    for (auto& f : findings) {
      Located l{std::move(f), relative_to(file->path, root), {}, {}};
      l.start = lines.position_of(l.finding.range.start_byte, Encoding::Utf32);
      l.end = lines.position_of(l.finding.range.end_byte, Encoding::Utf32);
      located.push_back(std::move(l));
    }
  }
  std::stable_sort(located.begin(), located.end(), [](const Located& a, const Located& b) {
    return std::tie(a.relative, a.start.line, a.start.column) < std::tie(b.relative, b.start.line, b.start.column);
  });

  if (options.format == "json") {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& l : located) {
      findings.push_back({{"rule", l.finding.rule},
                          {"checklistId", l.finding.checklist_id},
                          {"severity", rubric::severity_name(l.finding.severity)},
                          {"message", l.finding.message},
                          {"path", l.relative},
                          {"line", l.start.line + 1},
                          {"column", l.start.column + 1},
                          {"endLine", l.end.line + 1},
                          {"endColumn", l.end.column + 1}});
    }
    std::cout << nlohmann::json{{"findings", findings}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!conclusions->relevance.relevant) std::cerr << "mlaudit: skipped " << options.path << ": " << conclusions->relevance.reason << "\n";
  } else {
    for (const auto& l : located) {
      std::cout << l.relative << ":" << l.start.line + 1 << ":" << l.start.column + 1 << ": " << l.finding.rule << " ["
                << rubric::severity_name(l.finding.severity) << "] " << l.finding.message << "\n";
    }
    if (!conclusions->relevance.relevant) {
      std::cout << "mlaudit: skipped " << options.path << ": " << conclusions->relevance.reason << "\n";
    } else {
      std::cout << "mlaudit: " << located.size() << (located.size() == 1 ? " finding" : " findings") << " in "
                << ws.analysed.size() << " analysed files\n";
    }
  }
  for (const auto& [path, why] : skipped) std::cerr << "mlaudit: not analysed: " << path << ": " << why << "\n";

  if (!threshold) return 0;
  for (const auto& l : located)
    if (static_cast<int>(l.finding.severity) <= static_cast<int>(*threshold)) return 1;
  return 0;
}

}  // namespace mlaudit::cli
