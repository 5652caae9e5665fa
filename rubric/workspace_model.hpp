// Workspace-level conclusions (is the workspace ML at all? is tracking used anywhere? is there a
// lock file? which files set a seed, directly or through what they import?) derived from small
// per-file signals. A file's signals are recomputed when its facts change; the conclusions are
// re-derived only when some file's signals changed, so a keystroke that changes nothing
// workspace-relevant costs no workspace-wide work.
#pragma once
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzers/facts.hpp"
#include "rubric/package_versions.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::rubric {

// What one file contributes to workspace conclusions.
struct FileSignals {
  facts::FileKind kind = facts::FileKind::Other;
  bool seeds = false;                  // calls a seed function itself
  std::string tracking;                // the tracking import/call it uses, "" when none
  std::vector<std::string> ml_signals; // "import torch", "requirement transformers", ...
  std::vector<std::string> keyword_signals;  // front-matter keywords matched by import segments
  std::vector<facts::Import> imports;  // for the module graph
  // Dependencies, keyed by package_key(): what a manifest declares and pins exactly, what a
  // lock file pins. A lock file whose content could not be read pins "we cannot tell what".
  std::vector<std::string> declared;
  std::vector<std::pair<std::string, std::string>> pins;  // key, version (exact pins only)
  bool constraints = false;                                // constraints*.txt: its pins hold for pip -c
  std::vector<facts::LockedPackage> locked;
  bool unread_lock = false;
  // CI configuration (analyzers/ci): a CI file, one of whose jobs runs tests, or that hands
  // work to something not read (or could not be read itself): then nobody can tell.
  bool ci = false, ci_tests = false, ci_unknown = false;
  bool operator==(const FileSignals&) const = default;
};

FileSignals signals_of(const facts::FileFacts& file, const Rubric& rubric);

struct Relevance {
  bool relevant = false;
  std::vector<std::string> signals;  // what matched, "path: signal"
  std::string reason;                // one line for humans
};

struct Conclusions {
  Relevance relevance;
  std::string tracking;                  // "path: evidence" of tracking use, "" when none
  std::vector<std::string> lock_files;   // present lock files
  std::set<std::string> seeding_files;   // files that seed, directly or via workspace imports
  // Dependencies across the workspace (keys: package_key()). Where lock files or pins
  // disagree, the lowest version is kept: a threshold must hold for every environment.
  std::map<std::string, PackageVersion> locked;       // pinned by a lock file
  std::map<std::string, PackageVersion> pinned;       // pinned exactly (==) in a manifest
  std::map<std::string, PackageVersion> constrained;  // pinned exactly in a constraints*.txt file
  std::map<std::string, std::vector<std::string>> declared_by;  // package -> manifests declaring it
  std::vector<std::string> unread_lock_files;         // lock files present whose content was not read
  // Tests and CI (rule kind ci-tests): a test file ("tests/test_model.py"; "" when none), the
  // CI files read, whether a job of one runs tests, and whether some CI configuration could
  // not be read (malformed, a CI system mlaudit does not read, work handed to other files).
  std::string test_file;
  std::vector<std::string> ci_files;
  bool ci_runs_tests = false;
  bool ci_unknown = false;
};

class WorkspaceModel {
 public:
  WorkspaceModel(std::shared_ptr<const Rubric> rubric, std::vector<std::string> roots);

  // Between begin_batch() and end_batch() changes are only recorded; end_batch() derives the
  // conclusions once (a bulk load of N files must not re-derive N times: that is N² work).
  void begin_batch() { ++batch_; }
  bool end_batch();  // true when the conclusions changed during the batch

  // Record a file's facts. Returns true when the workspace conclusions changed.
  bool update(const facts::FileFacts& file);
  bool remove(const std::string& path);
  // Record that a file exists (lock files and other files that are not analysed).
  bool add_present(const std::string& path);

  // Forces the relevance decision (a setting: on, off) instead of deriving it; nullopt: derive.
  bool set_relevance_override(std::optional<bool> relevant);

  // Workspace folders changed (module resolution and relative paths depend on them).
  bool set_roots(std::vector<std::string> roots);

  std::shared_ptr<const Conclusions> conclusions() const { return conclusions_; }
  // Every known file under `root` (absolute paths).
  std::vector<std::string> present_under(const std::string& root) const;
  const std::vector<std::string>& roots() const { return roots_; }

 private:
  bool rederive();  // true when the conclusions differ from the previous ones
  std::shared_ptr<const Rubric> rubric_;
  std::vector<std::string> roots_;
  std::map<std::string, FileSignals> signals_;
  std::set<std::string> present_;
  std::shared_ptr<const Conclusions> conclusions_;
  std::optional<bool> relevance_override_;
  int batch_ = 0;
  bool dirty_ = false;
};

}  // namespace mlaudit::rubric
