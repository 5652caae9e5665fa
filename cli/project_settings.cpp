#include "cli/project_settings.hpp"

#include <filesystem>

#include "index/crawler.hpp"
#include "support/text.hpp"

namespace fs = std::filesystem;

namespace mlaudit::cli {
namespace {
constexpr uint64_t kMaxConfigBytes = 1024 * 1024;
}  // namespace

std::string settings_ceiling(const std::string& root) {
  std::error_code ec;
  for (fs::path p = root; !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / ".git", ec)) return p.generic_string();
    if (p == p.parent_path()) break;
  }
  return root;
}

std::shared_ptr<rubric::SettingsResolver> disk_settings(std::shared_ptr<const rubric::Rubric> rubric, const std::string& root) {
  auto read = [](const std::string& path) -> std::optional<std::string> {
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(path, ec))) return std::nullopt;
    std::string content, error;
    if (!index::read_file(path, content, error, kMaxConfigBytes)) return std::nullopt;
    return content;
  };
  return std::make_shared<rubric::SettingsResolver>(std::move(rubric), std::vector<std::string>{settings_ceiling(root)}, read);
}

std::vector<rubric::LocatedFinding> config_problems(rubric::SettingsResolver& settings, const std::string& root,
                                                    const std::string& remediation_base) {
  std::vector<rubric::LocatedFinding> out;
  for (const auto& file : settings.files()) {
    if (file->problems.empty()) continue;
    std::string text, error;
    index::read_file(file->path, text, error, kMaxConfigBytes);
    LineIndex lines(text);
    for (auto& f : rubric::config_findings(*file, text, remediation_base)) {
      rubric::LocatedFinding l;
      l.path = file->path.rfind(root + "/", 0) == 0 ? file->path.substr(root.size() + 1) : file->path;
      LineColumn start = lines.position_of(f.range.start_byte, Encoding::Utf32);
      LineColumn end = lines.position_of(f.range.end_byte, Encoding::Utf32);
      l.line = start.line + 1;
      l.column = start.column + 1;
      l.end_line = end.line + 1;
      l.end_column = end.column + 1;
      l.finding = std::move(f);
      out.push_back(std::move(l));
    }
  }
  return out;
}

std::string baseline_path(const std::string& flag, const rubric::Settings& root_settings, const std::string& root) {
  if (!flag.empty()) return index::absolute_path(flag);
  if (root_settings.baseline) return *root_settings.baseline;
  return root + "/" + rubric::kDefaultBaselineFile;
}

}  // namespace mlaudit::cli
