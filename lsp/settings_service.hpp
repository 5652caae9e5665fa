// The server's settings: the editor's (initializationOptions, workspace/configuration section
// `mlaudit`, didChangeConfiguration; camelCase keys), the project's configuration files (read
// from open buffers first, then disk; nearest file wins and files win over the editor), and the
// baseline files. It turns a file's raw findings into the diagnostics the settings allow, and a
// configuration file's problems into `invalid-config` diagnostics. lsp/server.cpp only wires
// the notifications to it and calls reload when something changed. Thread-safe.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rubric/baseline.hpp"
#include "rubric/finding.hpp"
#include "rubric/settings_resolver.hpp"
#include "support/text.hpp"

namespace mlaudit::rubric {
struct AuditRubric;
}

namespace mlaudit::lsp {

class SettingsService {
 public:
  SettingsService(std::shared_ptr<const rubric::Rubric> rubric, const rubric::AuditRubric* items,
                  std::vector<std::string> roots, uint64_t default_max_file_bytes);

  // initialize: initializationOptions (the settings object, or {"mlaudit": {...}}) and whether
  // the client answers workspace/configuration.
  void read_initialize(const nlohmann::json& params);
  bool client_has_configuration() const { return configuration_support_; }
  // The workspace/configuration request's params.
  nlohmann::json configuration_request() const;
  // The reply to it (an array with one settings object per item).
  void apply_configuration_result(const nlohmann::json& result);
  // workspace/didChangeConfiguration: true when the settings must be pulled again (the client
  // supports workspace/configuration); otherwise params.settings(.mlaudit) is applied.
  bool on_did_change_configuration(const nlohmann::json& params);

  void set_roots(std::vector<std::string> roots);
  // An open document's text (nullopt: closed), for configuration and baseline files.
  void set_open_text(const std::string& path, std::optional<std::string> text);
  // Whether a change to `path` changes the settings (a configuration or a baseline file).
  bool affects_settings(const std::string& path) const;
  // Re-read every configuration and baseline file (`changed`: paths known to have changed,
  // created ones included).
  void reload(const std::vector<std::string>& changed = {});

  // The diagnostics of a file: its rule findings (from check_file) with the settings applied,
  // excluded files and baselined findings left out, findings below the target level as hints;
  // then, for a configuration file, its problems. `text` is the text the findings point into;
  // `facts`, when given, places a notebook's findings in its JSON text.
  nlohmann::json diagnostics(const std::string& path, std::vector<rubric::Finding> findings, const std::string& text,
                             Encoding encoding, const facts::FileFacts* facts = nullptr,
                             const std::function<void(const rubric::Finding&, nlohmann::json&)>& decorate = nullptr);
  // Diagnostics for configuration files that have problems (or had them at the last call),
  // by path; for clients that get pushed diagnostics of closed files.
  std::map<std::string, nlohmann::json> config_file_reports(const std::set<std::string>& open_paths, Encoding encoding);

  // What the crawl needs: the size cap, the excludes, the relevance decision (workspace-wide,
  // from the first root's settings); and a digest of them, to know when to crawl again.
  uint64_t max_file_bytes();
  std::optional<bool> relevance();
  std::function<bool(const std::string& path, bool is_dir)> exclude_filter();
  std::string crawl_signature();
  // select / ignore / severity / per-file-ignores for the audit command (no baseline, no target).
  void apply_to_audit(const std::string& path, std::vector<rubric::Finding>& findings);

 private:
  std::optional<std::string> read(const std::string& path);
  void set_editor_json(const nlohmann::json& settings);
  std::string root_of(const std::string& path);
  const rubric::Baseline* baseline_for(const std::string& path, std::string& folder);  // under mu_

  std::shared_ptr<const rubric::Rubric> rubric_;
  std::map<std::string, int> levels_;
  uint64_t default_max_file_bytes_;
  bool configuration_support_ = false;
  std::shared_ptr<rubric::SettingsResolver> resolver_;
  mutable std::mutex mu_;  // guards what follows
  std::vector<std::string> roots_;
  std::map<std::string, std::string> open_;  // open configuration/baseline files' text
  std::map<std::string, std::optional<rubric::Baseline>> baselines_;  // by baseline path (nullopt: none)
  std::set<std::string> reported_config_files_;  // closed config files last reported with problems
};

}  // namespace mlaudit::lsp
