// rubric/items.yaml as data: for every checklist item, the evidence that makes it met or
// partial, what its absence means (a gap of some severity, or a question for an auditor), the
// rule whose findings make it a gap; per area, the level ladder. Also the tables' knowledge
// (which technology a library is, which calls train/save/load models).
#pragma once
#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <string>
#include <vector>

#include "rubric/rubric.hpp"

namespace mlaudit::rubric {

// A key of a configuration file (YAML/JSON, facts::ConfigKey): in a file matching the glob, a
// dotted key (`on.schedule`, `jobs.test.steps[].uses`) matching `key`, whose scalar value
// matches `value` when given. Both patterns are RE2, matched against the whole key/value.
struct ConfigKeyEvidence {
  std::string file_glob, key_pattern, value_pattern;  // as written (for messages)
  std::shared_ptr<RE2> file, key, value;              // value: null when any value will do
};

// Evidence over Facts. Any one match is evidence.
struct EvidenceSpec {
  std::vector<std::string> imports;               // module, or module prefix on whole segments
  std::vector<std::string> calls;                 // qualified names, exact
  std::vector<std::shared_ptr<RE2>> call_patterns;// on qualified names (or callee text)
  std::vector<KwargEvidence> kwargs;              // keyword=value (a string, or an item of a list)
  std::vector<std::string> requirements;          // PEP 503 names
  std::vector<std::string> file_globs;            // globs on workspace-relative paths, as written
  std::vector<size_t> file_glob_ids;              // each one's index in AuditRubric's file globs
  std::vector<ConfigKeyEvidence> config_keys;     // keys of YAML/JSON configuration files
  bool training = false;                          // a training entry script exists
  std::vector<std::string> versions;              // packages whose version a lock file or exact pin fixes
  bool locked = false;                            // a lock file was read and pins packages
  bool hashed = false;                            // a requirements file with --hash on every requirement
  std::vector<std::string> artifact_formats;      // model artifacts by content (facts::ArtifactFacts::format)
  std::vector<std::string> signals;               // facts::Signal ids; a trailing '*' matches a prefix
  bool empty() const;
};

enum class Absent { Gap, NotAssessable, Met };

// A version below which a package is a gap (torch < 2.6: weights_only bypass, CVE-2025-32434).
struct VersionFloor {
  std::vector<std::string> packages;  // any of these names (PyPI/conda)
  std::string min_version;
  std::string why;
};

struct ItemSpec {
  std::string id, title;
  EvidenceSpec met, partial;
  EvidenceSpec applies_when;   // empty: always applies; else the item is N/A without it
  std::string not_applicable;  // reason when applies_when does not match
  Absent absent = Absent::NotAssessable;
  Severity severity = Severity::Info;  // of a gap
  std::string rule;            // per-file rule whose findings make this item a gap (the first of `rules`)
  std::vector<std::string> rules;  // every rule whose findings count (`rule:` a name or a list)
  std::string question;        // what an auditor must ask when code cannot tell
  std::string remediation;     // page relative to rubric/
  std::string describe_gap;    // reason text when absent means gap
  std::vector<VersionFloor> version_floors;  // a locked/pinned version below one is a gap
};

struct LevelSpec {
  int level = 2;
  std::vector<std::string> required;    // items that must be met
  std::vector<std::string> partial_ok;  // items that must be met or partial
  std::string description;
};

struct AreaSpec {
  std::string id, title;
  int section = 0;
  bool extension = false;
  std::vector<LevelSpec> levels;  // ascending
  std::vector<ItemSpec> items;    // in the template's order
};

struct TechnologySpec {
  std::string component, name;
  std::vector<std::string> imports, requirements;
};

struct ModelUseSpec {
  std::string what;  // loaded | saved | served
  std::vector<std::string> calls;
  std::vector<std::shared_ptr<RE2>> call_patterns;
};

struct AuditRubric {
  std::vector<AreaSpec> areas;
  std::vector<TechnologySpec> technology;
  std::vector<ModelUseSpec> models;
  const ItemSpec* item(std::string_view id) const;

  // Every distinct file glob of every item, by id (EvidenceSpec::file_glob_ids), also compiled
  // into one set: each path of a workspace is matched once, not once per glob per item (that
  // was O(paths x globs), a few percent of a 10k-file audit).
  std::vector<std::shared_ptr<RE2>> file_glob_patterns;
  std::shared_ptr<RE2::Set> file_glob_set;  // null when RE2::Set could not take them
  // The ids of the globs `path` matches (in no particular order).
  void matching_file_globs(std::string_view path, std::vector<int>& ids) const;
};

// Options for an RE2::Set of many patterns: its one DFA holds them all, and with RE2's default
// budget (8 MB) it runs out on long names and rebuilds its cache over and over (10x slower audits).
RE2::Options large_set_options();

// Glob (gitignore-like: `*`, `?`, `**`, `[...]`) to an anchored RE2 pattern over '/' paths.
std::string glob_to_regex(std::string_view glob);

// Loads rubric/items.yaml (embedded, or from `directory`); checks that every level names
// items of its area and every rule exists in `rubric`. Throws std::runtime_error.
std::shared_ptr<const AuditRubric> load_audit_rubric(const Rubric& rubric, const std::string& directory = "");
std::shared_ptr<const AuditRubric> parse_audit_rubric(const Rubric& rubric, std::string_view items_yaml);

}  // namespace mlaudit::rubric
