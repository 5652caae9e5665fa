// Finding and loading a workspace's files from disk: the default exclude list, the size cap,
// no symlinks followed (so no loops and no escape from the folder), loading on N threads.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "analyzers/facts.hpp"

namespace mlaudit::index {

struct CrawlOptions {
  uint64_t max_file_bytes = kDefaultMaxFileBytes;
  unsigned threads = 1;
  size_t max_files = 200000;  // a bound on the walk itself
};

struct Workspace {
  std::string root;                           // absolute
  std::vector<facts::FileFactsPtr> analysed;  // Python and requirements files (skipped ones carry a reason)
  std::vector<std::string> present;           // every file seen (absolute), for rules about files
};

// Directory names never entered.
bool is_excluded_directory(const std::string& name);

// Absolute, normalized path (no symlink resolution beyond the root itself).
std::string absolute_path(const std::string& path);

// Reads a file whole; false (and `error` set) when it cannot be read.
bool read_file(const std::string& path, std::string& content, std::string& error, uint64_t max_bytes);

// Walks `root` and analyses every file an analyzer claims.
Workspace load_workspace(const std::string& root, const CrawlOptions& options);

}  // namespace mlaudit::index
