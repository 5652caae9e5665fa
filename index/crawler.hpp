// Finding and loading a workspace's files from disk: .gitignore rules (index/gitignore.hpp), the
// default exclude list, the size cap, no symlinks followed (so no loops and no escape from the
// folder), loading on N threads, cancellation and progress.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "analyzers/artifacts/artifact_analyzer.hpp"
#include "analyzers/facts.hpp"

namespace mlaudit::index {

// Keys of Workspace::ignored.
inline constexpr const char* kIgnoredByGitignore = "ignored by .gitignore";  // or .git/info/exclude
inline constexpr const char* kExcludedFolder = "excluded folder";            // is_excluded_directory()
inline constexpr const char* kSymlinkNotFollowed = "symlink (not followed)";
inline constexpr const char* kExcludedBySettings = "excluded by settings";   // CrawlOptions::exclude

struct CrawlOptions {
  uint64_t max_file_bytes = kDefaultMaxFileBytes;
  unsigned threads = 1;
  size_t max_files = 200000;  // a bound on the walk itself
  bool respect_gitignore = true;
  // Checked between files (walk and load); once set, load_workspace returns what it has, with
  // `cancelled` set. Must outlive the call.
  const std::atomic<bool>* cancel = nullptr;
  // Called as files are loaded, at most every ~50 files and once at the end, with `done` rising
  // to `total` (the number of files to load). It runs on a loading thread, not the caller's (the
  // calls are serialized and never concurrent with each other), so whatever it touches must be
  // safe to touch from another thread. It must not throw.
  std::function<void(size_t done, size_t total)> progress;
  // Called on each analysed file's Facts before they are stored, on a loading thread (calls may
  // be concurrent): lets the caller drop what it will never read (rubric/facts_compactor.hpp).
  std::function<void(facts::FileFacts&)> compact;
  // The `exclude` setting: true for a path (absolute) the walk must leave out; a folder is then
  // never entered. Called on the walking thread.
  std::function<bool(const std::string& path, bool is_dir)> exclude;
  // Model artifacts are streamed under their own cap (analyzers/artifacts), not max_file_bytes.
  uint64_t max_artifact_bytes = artifacts::kDefaultMaxArtifactBytes;
};

struct Workspace {
  std::string root;                           // absolute
  std::vector<facts::FileFactsPtr> analysed;  // Python and requirements files (skipped ones carry a reason)
  std::vector<std::string> present;           // every file seen (absolute), for rules about files
  // Files an analyzer would have read but did not (too large, binary, unreadable), and folders
  // that could not be listed: (absolute path, why), sorted by path. Exactly the analysed
  // entries with a skip reason, plus the unreadable folders and the entries named like code
  // that are not regular files (FIFOs, sockets, devices), for the report's coverage section.
  std::vector<std::pair<std::string, std::string>> skipped;
  // How many entries the walk left out, per reason (kIgnoredByGitignore, kExcludedFolder,
  // kSymlinkNotFollowed). A folder counts once: its contents are never listed, not entering
  // it is the point.
  std::map<std::string, size_t> ignored;
  bool truncated = false;  // the walk stopped at max_files
  bool cancelled = false;  // options.cancel was set: analysed/present are partial
};

// Directory names never entered.
bool is_excluded_directory(const std::string& name);

// Absolute, normalized path (no symlink resolution beyond the root itself).
std::string absolute_path(const std::string& path);

// Reads a file whole; false (and `error` set) when it cannot be read.
bool read_file(const std::string& path, std::string& content, std::string& error, uint64_t max_bytes);

// The Facts of one file from disk: text files read whole under `max_file_bytes` (above it, a
// skip reason without reading), model artifacts streamed under `max_artifact_bytes`.
facts::FileFacts analyze_file(const std::string& path, uint64_t max_file_bytes,
                              uint64_t max_artifact_bytes = artifacts::kDefaultMaxArtifactBytes);

// Walks `root` and analyses every file an analyzer claims.
Workspace load_workspace(const std::string& root, const CrawlOptions& options);

}  // namespace mlaudit::index
