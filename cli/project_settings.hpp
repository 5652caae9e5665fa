// The CLI's side of the settings: configuration files read from disk for a PATH, the problems
// they have as findings, and the baseline file `check` uses.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rubric/audit.hpp"
#include "rubric/baseline.hpp"
#include "rubric/settings_resolver.hpp"

namespace mlaudit::cli {

// Where the walk up to the nearest configuration file stops for a workspace at `root`: the
// repository holding it (the nearest folder at or above it with a `.git`), else `root` itself,
// so a stray file in a parent folder outside any repository never applies.
std::string settings_ceiling(const std::string& root);

// A resolver reading configuration files from disk.
std::shared_ptr<rubric::SettingsResolver> disk_settings(std::shared_ptr<const rubric::Rubric> rubric, const std::string& root);

// Every problem of every configuration file the resolver read, as located `invalid-config`
// findings (paths relative to `root`).
std::vector<rubric::LocatedFinding> config_problems(rubric::SettingsResolver& settings, const std::string& root,
                                                    const std::string& remediation_base);

// The baseline file in effect: `flag` when given, else the workspace's `baseline` setting, else
// `.mlaudit-baseline.json` in `root` (used only when it exists). Absolute.
std::string baseline_path(const std::string& flag, const rubric::Settings& root_settings, const std::string& root);

}  // namespace mlaudit::cli
