#include "lsp/settings_service.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "index/crawler.hpp"
#include "lsp/notebook_diagnostics.hpp"
#include "lsp/protocol.hpp"
#include "rubric/audit_rubric.hpp"
#include "rubric/settings_reader.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace mlaudit::lsp {
namespace {

constexpr uint64_t kMaxSettingsFileBytes = 1024 * 1024;
constexpr uint64_t kMaxBaselineBytes = 64ull * 1024 * 1024;

// JSON has no positions: problems in editor settings are logged, not shown on a file.
rubric::ConfigValue from_json(const json& value, int depth = 0) {
  rubric::ConfigValue v;
  using Kind = rubric::ConfigValue::Kind;
  if (depth > 32) { v.kind = Kind::Other; return v; }
  if (value.is_object()) {
    v.kind = Kind::Table;
    for (const auto& [key, child] : value.items()) v.entries.push_back({key, {}, from_json(child, depth + 1)});
  } else if (value.is_array()) {
    v.kind = Kind::List;
    for (const auto& child : value) v.items.push_back(from_json(child, depth + 1));
  } else if (value.is_string()) {
    v.kind = Kind::String;
    v.text = value.get<std::string>();
  } else if (value.is_number_integer()) {
    v.kind = Kind::Integer;
    v.integer = value.get<int64_t>();
  } else if (value.is_number()) {
    v.kind = Kind::Float;
    v.number = value.get<double>();
  } else if (value.is_boolean()) {
    v.kind = Kind::Bool;
    v.boolean = value.get<bool>();
  }
  return v;
}

bool inside(const std::string& path, const std::string& folder) {
  return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 && path[folder.size()] == '/';
}

std::string file_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

}  // namespace

SettingsService::SettingsService(std::shared_ptr<const rubric::Rubric> rubric, const rubric::AuditRubric* items,
                                 std::vector<std::string> roots, uint64_t default_max_file_bytes)
    : rubric_(std::move(rubric)), default_max_file_bytes_(default_max_file_bytes), roots_(roots) {
  if (items) levels_ = rubric::levels_needing(*items);
  resolver_ = std::make_shared<rubric::SettingsResolver>(rubric_, std::move(roots),
                                                         [this](const std::string& path) { return read(path); });
}

std::optional<std::string> SettingsService::read(const std::string& path) {
  {
    std::lock_guard lock(mu_);
    if (auto it = open_.find(path); it != open_.end()) return it->second;
  }
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) return std::nullopt;
  std::string content, error;
  if (!index::read_file(path, content, error, kMaxSettingsFileBytes)) return std::nullopt;
  return content;
}

void SettingsService::read_initialize(const json& params) {
  const json* caps = params.contains("capabilities") ? &params["capabilities"] : nullptr;
  if (caps && caps->is_object() && caps->contains("workspace") && (*caps)["workspace"].is_object()) {
    const json& workspace = (*caps)["workspace"];
    configuration_support_ = workspace.contains("configuration") && workspace["configuration"].is_boolean() &&
                             workspace["configuration"].get<bool>();
  }
  if (auto init = params.find("initializationOptions"); init != params.end() && init->is_object()) {
    set_editor_json(init->contains("mlaudit") && (*init)["mlaudit"].is_object() ? (*init)["mlaudit"] : *init);
  }
}

json SettingsService::configuration_request() const {
  return {{"items", json::array({{{"section", "mlaudit"}}})}};
}

void SettingsService::apply_configuration_result(const json& result) {
  if (result.is_array() && !result.empty() && result[0].is_object()) set_editor_json(result[0]);
  else if (result.is_array() && !result.empty() && result[0].is_null()) set_editor_json(json::object());
}

bool SettingsService::on_did_change_configuration(const json& params) {
  if (configuration_support_) return true;
  const json settings = params.is_object() ? params.value("settings", json()) : json();
  if (settings.is_object()) set_editor_json(settings.contains("mlaudit") ? settings["mlaudit"] : settings);
  return false;
}

void SettingsService::set_editor_json(const json& settings) {
  if (!settings.is_object()) return;
  std::string base;
  {
    std::lock_guard lock(mu_);
    base = roots_.empty() ? "" : roots_.front();
  }
  rubric::ConfigFile read = rubric::read_settings(from_json(settings), rubric::KeyStyle::Camel, base, *rubric_);
  for (const auto& p : read.problems) spdlog::warn("editor settings: {}", p.message);
  resolver_->set_editor(std::move(read.settings));
}

void SettingsService::set_roots(std::vector<std::string> roots) {
  {
    std::lock_guard lock(mu_);
    roots_ = roots;
  }
  resolver_->set_roots(std::move(roots));
}

void SettingsService::set_open_text(const std::string& path, std::optional<std::string> text) {
  std::lock_guard lock(mu_);
  if (text) open_[path] = std::move(*text);
  else open_.erase(path);
}

bool SettingsService::affects_settings(const std::string& path) const {
  if (rubric::is_settings_file(path) || file_name(path) == rubric::kDefaultBaselineFile) return true;
  std::lock_guard lock(mu_);
  return baselines_.count(path) > 0;
}

void SettingsService::reload(const std::vector<std::string>& changed) {
  // Re-read the configuration files known so far and the changed ones now, so that
  // crawl_signature() compares like with like.
  std::set<std::string> known(changed.begin(), changed.end());
  for (const auto& file : resolver_->files()) known.insert(file->path);
  resolver_->reload();
  {
    std::lock_guard lock(mu_);
    baselines_.clear();
  }
  for (const auto& path : known)
    if (rubric::is_settings_file(path)) resolver_->config_for(path);
}

std::string SettingsService::root_of(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string best;
  for (const auto& root : roots_)
    if ((path == root || inside(path, root)) && root.size() > best.size()) best = root;
  return best;
}

const rubric::Baseline* SettingsService::baseline_for(const std::string& path, std::string& folder) {
  std::string root = root_of(path);
  if (root.empty()) return nullptr;
  auto at_root = resolver_->settings_at(root);  // held: a reload may drop it from the cache meanwhile
  const auto& configured = at_root->settings().baseline;
  std::string file = configured ? *configured : root + "/" + rubric::kDefaultBaselineFile;
  folder = fs::path(file).parent_path().generic_string();
  std::optional<std::string> text;
  {
    std::lock_guard lock(mu_);
    if (auto it = baselines_.find(file); it != baselines_.end()) return it->second ? &*it->second : nullptr;
    if (auto it = open_.find(file); it != open_.end()) text = it->second;
  }
  if (!text) {
    std::string content, error;
    std::error_code ec;
    if (fs::is_regular_file(file, ec) && index::read_file(file, content, error, kMaxBaselineBytes)) text = std::move(content);
  }
  std::optional<rubric::Baseline> parsed;
  if (text) {
    std::string error;
    parsed = rubric::Baseline::parse(*text, error);
    if (!parsed) spdlog::warn("baseline {} not used: {}", file, error);
  }
  std::lock_guard lock(mu_);
  auto& slot = baselines_[file];
  slot = std::move(parsed);
  return slot ? &*slot : nullptr;
}

json SettingsService::diagnostics(const std::string& path, std::vector<rubric::Finding> findings, const std::string& text,
                                  Encoding encoding, const facts::FileFacts* facts,
                                  const std::function<void(const rubric::Finding&, json&)>& decorate) {
  json out = json::array();
  LineIndex lines(text);
  auto settings = resolver_->settings_for(path);
  if (!settings->excluded(path)) {
    settings->apply(path, findings, levels_.empty() ? nullptr : &levels_);
    std::string folder;
    if (const rubric::Baseline* baseline = baseline_for(path, folder); baseline && !findings.empty())
      baseline->remove_known(fs::path(path).lexically_relative(folder).generic_string(), findings, text);
    for (const auto& f : findings) {
      json d = facts && facts->notebook ? file_diagnostics({f}, *facts, text, encoding).at(0) : to_diagnostic(f, lines, encoding);
      if (f.below_target) d["severity"] = 4;  // a hint: not needed for the target level yet
      if (decorate) decorate(f, d);
      out.push_back(std::move(d));
    }
  }
  if (rubric::is_settings_file(path)) {
    rubric::ConfigFile file = rubric::read_settings_file(path, text, *rubric_);
    for (const auto& f : rubric::config_findings(file, text, rubric_->remediation_base))
      out.push_back(to_diagnostic(f, lines, encoding));
  }
  return out;
}

std::map<std::string, json> SettingsService::config_file_reports(const std::set<std::string>& open_paths, Encoding encoding) {
  std::map<std::string, json> out;
  std::set<std::string> with_problems;
  for (const auto& file : resolver_->files()) {
    if (file->problems.empty() || open_paths.count(file->path)) continue;
    std::optional<std::string> text = read(file->path);
    if (!text) continue;
    LineIndex lines(*text);
    json diagnostics = json::array();
    for (const auto& f : rubric::config_findings(*file, *text, rubric_->remediation_base))
      diagnostics.push_back(to_diagnostic(f, lines, encoding));
    out[file->path] = std::move(diagnostics);
    with_problems.insert(file->path);
  }
  std::lock_guard lock(mu_);
  for (const auto& path : reported_config_files_)
    if (!with_problems.count(path) && !open_paths.count(path)) out[path] = json::array();  // fixed since
  reported_config_files_ = with_problems;
  return out;
}

uint64_t SettingsService::max_file_bytes() {
  std::string root;
  {
    std::lock_guard lock(mu_);
    root = roots_.empty() ? "" : roots_.front();
  }
  if (root.empty()) return default_max_file_bytes_;
  auto s = resolver_->settings_at(root)->settings();
  return s.max_file_size ? *s.max_file_size : default_max_file_bytes_;
}

std::optional<bool> SettingsService::relevance() {
  std::string root;
  {
    std::lock_guard lock(mu_);
    root = roots_.empty() ? "" : roots_.front();
  }
  auto s = root.empty() ? std::optional<std::optional<bool>>() : resolver_->settings_at(root)->settings().relevance;
  return s ? *s : std::nullopt;
}

std::function<bool(const std::string&, bool)> SettingsService::exclude_filter() {
  return [resolver = resolver_](const std::string& path, bool is_dir) { return resolver->settings_for(path)->excluded(path, is_dir); };
}

std::string SettingsService::crawl_signature() {
  std::string signature = std::to_string(max_file_bytes());
  std::vector<std::string> roots;
  {
    std::lock_guard lock(mu_);
    roots = roots_;
  }
  for (const auto& root : roots) {
    signature += "|" + root;
    auto at_root = resolver_->settings_at(root);
    if (const auto& exclude = at_root->settings().exclude)
      for (const auto& g : exclude->globs) signature += ";" + exclude->base + ":" + g;
  }
  for (const auto& file : resolver_->files())
    if (file->settings.exclude)
      for (const auto& g : file->settings.exclude->globs) signature += ";" + file->path + ":" + g;
  return signature;
}

void SettingsService::apply_to_audit(const std::string& path, std::vector<rubric::Finding>& findings) {
  resolver_->settings_for(path)->apply(path, findings);
}

}  // namespace mlaudit::lsp
