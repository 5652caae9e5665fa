// The baseline: findings accepted as they are (`mlaudit check --write-baseline`), which `check`
// and the server then leave out. A finding is keyed on its file and a digest of its rule, the
// code it covers and the line around it, whitespace removed — never its line number, so
// edits elsewhere in the file do not churn the baseline. Identical findings are counted: with
// two recorded, a third identical one is new. Format: docs/baseline.md.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rubric/finding.hpp"

namespace mlaudit::rubric {

inline constexpr const char* kDefaultBaselineFile = ".mlaudit-baseline.json";

// 16 hex digits (64-bit FNV-1a) of the rule, the finding's code and its line, each without
// whitespace. `text` is the file's text the finding's byte range points into.
std::string finding_digest(const Finding& finding, std::string_view text);

class Baseline {
 public:
  struct Entry {
    std::string path;     // relative to the baseline file's folder, '/' separators
    std::string rule;
    std::string digest;
    std::string message;  // for people reading the file (secrets already masked)
    size_t count = 0;
  };

  // Parses a baseline file; nullopt with `error` set when it is not one.
  static std::optional<Baseline> parse(std::string_view json, std::string& error);
  // The file's text: entries sorted by path, rule and digest, so it diffs well.
  std::string dump() const;

  void add(const std::string& path, const Finding& finding, std::string_view text);
  // Removes the findings of one file (`path` relative like the entries) that the baseline holds,
  // at most as many of each digest as recorded, the first ones in position order. Returns how
  // many were removed.
  size_t remove_known(const std::string& path, std::vector<Finding>& findings, std::string_view text) const;
  size_t size() const { return entries_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, Entry> entries_;  // by (path, digest)
};

}  // namespace mlaudit::rubric
