// Which settings apply to a file: the nearest configuration file at or above its folder (like
// ruff: `.mlaudit.yaml` first, then a pyproject.toml that has `[tool.mlaudit]`; one without it is
// not a configuration), up to the root holding the file, laid over the editor's settings. Files
// come through a reader callback (disk for the CLI, editor buffers first for the server), so the
// rubric still never touches the file system. Thread-safe: the crawl asks from a pool thread.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rubric/rubric.hpp"
#include "rubric/settings.hpp"
#include "rubric/settings_reader.hpp"

namespace mlaudit::rubric {

using SettingsReader = std::function<std::optional<std::string>(const std::string& path)>;

class SettingsResolver {
 public:
  // `roots`: absolute folders; the walk up from a file stops at the root that holds it.
  SettingsResolver(std::shared_ptr<const Rubric> rubric, std::vector<std::string> roots, SettingsReader read);

  void set_roots(std::vector<std::string> roots);
  // The editor's settings: the layer under every configuration file.
  void set_editor(Settings editor);
  // Forget what was read (a configuration file changed); the next question re-reads. A file
  // that has become invalid keeps its last good settings, with its new problems reported.
  void reload();

  // The configuration file that applies to `path` (absolute), nullptr when none does.
  std::shared_ptr<const ConfigFile> config_for(const std::string& path);
  // The settings in effect for `path` (absolute).
  std::shared_ptr<const EffectiveSettings> settings_for(const std::string& path);
  // Settings in effect at a root folder (workspace-wide keys: relevance, max-file-size).
  std::shared_ptr<const EffectiveSettings> settings_at(const std::string& folder);
  // Every configuration file read so far (present ones), by path.
  std::vector<std::shared_ptr<const ConfigFile>> files();

 private:
  std::shared_ptr<const ConfigFile> config_in_folder(const std::string& folder);  // under mu_
  std::shared_ptr<const EffectiveSettings> effective(const std::shared_ptr<const ConfigFile>& config);
  std::string root_of(const std::string& path) const;

  std::shared_ptr<const Rubric> rubric_;
  std::vector<std::string> roots_;
  SettingsReader read_;
  std::mutex mu_;
  Settings editor_;
  std::map<std::string, std::shared_ptr<const ConfigFile>> folders_;  // folder -> its own config (null: none)
  std::map<std::string, std::shared_ptr<const ConfigFile>> nearest_;  // folder -> nearest config (null: none)
  std::map<std::string, std::shared_ptr<const EffectiveSettings>> effective_;  // by config path ("" none)
  std::map<std::string, Settings> last_good_;  // by config path: settings of its last valid version
};

}  // namespace mlaudit::rubric
