// Versions of packages as the workspace fixes them (lock files, exact pins), and the
// comparison of version strings the rules need (`torch >= 2.6`). Release segments compare
// numerically; a pre-release (2.6.0rc1, 2.6.0.dev3) sorts before its release; a local label
// (+cu124) and the epoch are ignored. Enough for thresholds; not a full PEP 440 implementation.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlaudit::rubric {

// <0, 0, >0 as `a` is older than, the same as, or newer than `b`.
int compare_versions(const std::string& a, const std::string& b);

// The version an exact specifier fixes: "==2.6.0" -> "2.6.0", "2.6.0" (Poetry) -> "2.6.0",
// "=2.6.0=py3_0" (conda) -> "2.6.0"; "" when it is not one.
std::string pinned_version(const std::string& specifier);

// One package's version as the workspace fixes it.
struct PackageVersion {
  std::string version;
  std::string source;   // "poetry.lock:12" (workspace-relative path, 1-based line when known)
  bool locked = false;  // from a lock file; else an exact pin in a manifest
  bool operator==(const PackageVersion&) const = default;
};

// The key a package is known by across manifests and locks: PyPI and conda share names
// (numpy, scikit-learn); npm has its own namespace.
std::string package_key(const std::string& ecosystem, const std::string& name);

// Of several lock files or pins, the lowest version counts: a threshold must hold for all.
void keep_lowest(std::map<std::string, PackageVersion>& versions, const std::string& key, PackageVersion v);

// The version of the first of `names` the workspace fixes (locked before pinned; the lowest
// among the names), or nullopt.
std::optional<PackageVersion> known_version(const std::map<std::string, PackageVersion>& locked,
                                            const std::map<std::string, PackageVersion>& pinned,
                                            const std::vector<std::string>& names);

}  // namespace mlaudit::rubric
