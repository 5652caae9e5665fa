#include "rubric/settings_resolver.hpp"

#include <algorithm>

namespace mlaudit::rubric {
namespace {

// In one folder, the dedicated file wins over pyproject.toml (as ruff prefers ruff.toml).
constexpr const char* kCandidates[] = {".mlaudit.yaml", ".mlaudit.yml", "pyproject.toml"};

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool inside(const std::string& path, const std::string& folder) {
  if (folder == "/") return !path.empty() && path[0] == '/';
  return path == folder || (path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 && path[folder.size()] == '/');
}

}  // namespace

SettingsResolver::SettingsResolver(std::shared_ptr<const Rubric> rubric, std::vector<std::string> roots, SettingsReader read)
    : rubric_(std::move(rubric)), roots_(std::move(roots)), read_(std::move(read)) {}

void SettingsResolver::set_roots(std::vector<std::string> roots) {
  std::lock_guard lock(mu_);
  roots_ = std::move(roots);
  nearest_.clear();
}

void SettingsResolver::set_editor(Settings editor) {
  std::lock_guard lock(mu_);
  editor_ = std::move(editor);
  effective_.clear();
}

void SettingsResolver::reload() {
  std::lock_guard lock(mu_);
  folders_.clear();
  nearest_.clear();
  effective_.clear();
}

std::string SettingsResolver::root_of(const std::string& path) const {
  std::string best;
  for (const auto& root : roots_)
    if (inside(path, root) && root.size() > best.size()) best = root;
  return best;
}

std::shared_ptr<const ConfigFile> SettingsResolver::config_in_folder(const std::string& folder) {
  if (auto it = folders_.find(folder); it != folders_.end()) return it->second;
  std::shared_ptr<const ConfigFile> found;
  for (const char* name : kCandidates) {
    std::string path = folder == "/" ? std::string("/") + name : folder + "/" + name;
    std::optional<std::string> text = read_(path);
    if (!text) continue;
    ConfigFile file = read_settings_file(path, *text, *rubric_);
    if (!file.present) continue;
    if (file.problems.empty()) last_good_[path] = file.settings;
    found = std::make_shared<const ConfigFile>(std::move(file));
    break;
  }
  folders_[folder] = found;
  return found;
}

std::shared_ptr<const ConfigFile> SettingsResolver::config_for(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string root = root_of(path);
  std::string folder = parent_of(path);
  std::vector<std::string> walked;
  std::shared_ptr<const ConfigFile> found;
  while (!folder.empty()) {
    if (auto it = nearest_.find(folder); it != nearest_.end()) {
      found = it->second;
      break;
    }
    walked.push_back(folder);
    if ((found = config_in_folder(folder))) break;
    if (root.empty() || folder == root || folder == "/") break;  // no root holds it: its own folder only
    folder = parent_of(folder);
  }
  for (const auto& f : walked) nearest_[f] = found;
  return found;
}

std::shared_ptr<const EffectiveSettings> SettingsResolver::effective(const std::shared_ptr<const ConfigFile>& config) {
  std::string key = config ? config->path : "";
  if (auto it = effective_.find(key); it != effective_.end()) return it->second;
  Settings own;
  if (config) {
    auto good = last_good_.find(config->path);
    own = !config->problems.empty() && good != last_good_.end() ? good->second : config->settings;
  }
  auto out = std::make_shared<const EffectiveSettings>(layer(editor_, own));
  effective_[key] = out;
  return out;
}

std::shared_ptr<const EffectiveSettings> SettingsResolver::settings_for(const std::string& path) {
  auto config = config_for(path);
  std::lock_guard lock(mu_);
  return effective(config);
}

std::shared_ptr<const EffectiveSettings> SettingsResolver::settings_at(const std::string& folder) {
  return settings_for(folder == "/" ? "/.mlaudit-folder" : folder + "/.mlaudit-folder");
}

std::vector<std::shared_ptr<const ConfigFile>> SettingsResolver::files() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const ConfigFile>> out;
  for (const auto& [folder, file] : folders_)
    if (file) out.push_back(file);
  return out;
}

}  // namespace mlaudit::rubric
