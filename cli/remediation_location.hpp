// Where diagnostics' codeDescription.href (and report links) point by default: a local copy of
// the remediation pages that really exists, so a file:// link always opens. The first of
//   1. the pages installed with the binary (<exe>/../share/mlaudit/remediation, `cmake --install`),
//   2. the source tree the binary was built from (a developer build),
//   3. the embedded pages, written once to $XDG_CACHE_HOME (or ~/.cache)/mlaudit/<version>-<digest>/remediation.
// MLAUDIT_DOCS_BASE (a published site) overrides all three; it is read where the rubric is
// loaded (rubric/rubric.cpp), and the result lives in the one field Rubric::remediation_base.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace mlaudit::cli {

struct DocsSearch {
  std::filesystem::path executable;   // empty: this process's (/proc/self/exe)
  std::filesystem::path source_dir;   // the source tree's remediation folder; empty: none
  std::filesystem::path cache_home;   // empty: $XDG_CACHE_HOME, else $HOME/.cache
  std::filesystem::path rubric_dir;   // --rubric DIR: its remediation/ folder wins when complete
};

// The search as this binary does it.
DocsSearch default_docs_search(const std::string& rubric_dir = "");

// True when `dir` holds every embedded remediation page.
bool is_complete_copy(const std::filesystem::path& dir);

// The cache folder for this build's pages (version plus a digest of the embedded pages, so a
// rebuilt binary with changed pages never serves stale ones).
std::filesystem::path cache_pages_dir(const std::filesystem::path& cache_home);

// Writes every embedded page under `dir` unless a complete copy is there already; written into a
// temporary sibling and renamed into place, so readers never see half a copy. False on failure.
bool ensure_cached_pages(const std::filesystem::path& dir);

// The folder whose pages links should open; nullopt when none exists and none can be written.
std::optional<std::filesystem::path> find_local_pages(const DocsSearch& search);

// `dir` as a file:// URL ending in '/', with characters outside RFC 3986's unreserved set
// (and '/') percent-encoded.
std::string file_url(const std::filesystem::path& dir);

// The base for Rubric::remediation_base: file_url(find_local_pages(search)), or "" when none.
std::string local_remediation_base(const DocsSearch& search);

}  // namespace mlaudit::cli
