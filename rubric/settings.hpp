// User settings (`[tool.mlaudit]` in pyproject.toml, `.mlaudit.yaml`, the editor's settings) as
// data, how two sources layer, and how the result changes a file's findings: rules on/off,
// severity overrides, per-file ignores, the target maturity level. Reading the files is
// rubric/settings_reader.cpp; finding the one that applies is rubric/settings_resolver.cpp.
// No file system here.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rubric/finding.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::index {
class IgnoreFile;
}

namespace mlaudit::rubric {

struct AuditRubric;

// The rule id of a problem in a configuration file. Not a rule of rules.yaml (the rule engine
// never produces it), but it has a remediation page like one.
inline constexpr const char* kInvalidConfigRule = "invalid-config";

// Globs (gitignore syntax) relative to the folder of the file that wrote them.
struct PatternList {
  std::string base;  // absolute folder; "" when the globs are relative to nothing (never matches)
  std::vector<std::string> globs;
  bool operator==(const PatternList&) const = default;
};

struct PerFileIgnore {
  std::string glob;
  std::vector<std::string> rules;
  bool operator==(const PerFileIgnore&) const = default;
};

// One source's settings; a key left unset (nullopt) falls through to the next source.
struct Settings {
  std::optional<std::vector<std::string>> select;  // only these rules
  std::optional<std::vector<std::string>> ignore;  // never these rules (wins over select)
  std::optional<std::map<std::string, Severity>> severity;
  std::optional<PatternList> exclude;
  std::optional<std::vector<PerFileIgnore>> per_file_ignores;
  std::string per_file_ignores_base;  // absolute folder the per-file-ignores globs are relative to
  std::optional<int> target_level;                 // 1..5
  std::optional<std::optional<bool>> relevance;    // auto (inner nullopt) | always | never
  std::optional<uint64_t> max_file_size;           // bytes
  std::optional<std::string> remediation_url_base; // ends with '/'
  std::optional<std::string> baseline;             // absolute path of the baseline file
  bool operator==(const Settings&) const = default;
};

// `over`'s keys where it sets them, `under`'s elsewhere. Project files are laid over the
// editor's settings, so the editor shows what CI reports.
Settings layer(const Settings& under, const Settings& over);

// "2MiB", "500 KB", "1048576" -> bytes (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024).
std::optional<uint64_t> parse_size(std::string_view text);

// relevance values: auto | always | never (on / off accepted, as --relevance has them).
// Outer nullopt: not a relevance value; inner nullopt: auto.
std::optional<std::optional<bool>> parse_relevance(std::string_view text);

// For each checklist item, the lowest level of its area's ladder that needs it (met or partial).
// Items on no ladder are absent: no target level needs them.
std::map<std::string, int> levels_needing(const AuditRubric& items);

// Settings ready to apply to findings: globs compiled once.
class EffectiveSettings {
 public:
  explicit EffectiveSettings(Settings settings);
  ~EffectiveSettings();
  const Settings& settings() const { return settings_; }

  // Whether `path` (absolute) falls under an `exclude` glob (or inside a folder that does).
  bool excluded(const std::string& path, bool is_dir = false) const;

  // Drops findings of rules not selected, ignored, or ignored for this file; applies severity
  // overrides, the remediation URL base and, when `levels` is given and a target level is set,
  // marks findings whose checklist item no level up to the target needs (Finding::below_target).
  void apply(const std::string& path, std::vector<Finding>& findings,
             const std::map<std::string, int>* levels = nullptr) const;

  // Whether the rule is on for this file at all (select/ignore/per-file-ignores).
  bool rule_enabled(const std::string& path, const std::string& rule) const;

 private:
  Settings settings_;
  std::unique_ptr<index::IgnoreFile> exclude_;
  std::vector<std::pair<std::unique_ptr<index::IgnoreFile>, std::vector<std::string>>> per_file_;
};

}  // namespace mlaudit::rubric
