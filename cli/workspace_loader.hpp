// What `check` and `audit` share: a PATH argument becomes a loaded workspace snapshot.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "rubric/audit_rubric.hpp"
#include "rubric/rubric.hpp"
#include "rubric/settings_resolver.hpp"
#include "rubric/workspace_check.hpp"

namespace mlaudit::cli {

struct LoadOptions {
  std::string path = ".";
  std::string rubric_dir;
  unsigned threads = 0;  // 0: hardware concurrency
  uint64_t max_file_bytes = 2 * 1024 * 1024;
  uint64_t max_artifact_bytes = 2ull << 30;  // model artifacts: streamed, only pickles read
  std::string relevance = "auto";  // auto | on | off (always | never): force the ML/LLM relevance decision
  bool max_file_bytes_set = false;  // given on the command line: wins over `max-file-size`
  bool relevance_set = false;       // given on the command line: wins over `relevance`
};

struct Loaded {
  std::shared_ptr<const rubric::Rubric> rubric;
  std::shared_ptr<const rubric::AuditRubric> items;  // rubric/items.yaml (the audit's evidence)
  rubric::WorkspaceSnapshot snapshot;
  std::string target;         // absolute path given
  bool single_file = false;   // PATH was a file: findings of that file only
  uint64_t max_file_bytes = 0;  // in effect: the flag, else the `max-file-size` setting, else the default
  std::shared_ptr<rubric::SettingsResolver> settings;  // the configuration files (cli/project_settings.hpp)
};

// Loads the rubric (rules and items) and the workspace, keeping of each file only the Facts the
// rubric can ask for (rubric/facts_compactor.hpp), (a file's folder when PATH is a file). On failure prints
// the reason to stderr and returns nullopt (usage error: exit status 2).
std::optional<Loaded> load(const LoadOptions& options);

// Reads a file whole for line/column conversion (nullopt when unreadable).
std::optional<std::string> read_text(const std::string& path, uint64_t max_bytes);

}  // namespace mlaudit::cli
