// Partial fingerprints for SARIF: the same finding keeps the same fingerprint when lines are
// inserted above it, so code scanning tracks one alert instead of closing and reopening it.
// The digest covers the rule and the finding's first line with whitespace normalized; the
// occurrence (":1", ":2", ...) tells apart identical lines with the same rule in one file.
// Not a cryptographic hash (deduplication only); it never carries the line's text itself.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace mlaudit::cli {

// Trims the line and collapses runs of spaces and tabs to one space (re-indentation and
// reformatting of spacing keep the fingerprint).
std::string normalize_line(std::string_view line);

// FNV-1a, 64 bits.
uint64_t fnv1a64(std::string_view bytes);

class FingerprintCounter {
 public:
  // "<16 hex digits>:<occurrence>" for the next finding of `rule` on `line_text` in `path`.
  // Call in a stable order (check's findings are sorted by path, line and column).
  std::string next(const std::string& path, const std::string& rule, std::string_view line_text);

 private:
  std::map<std::string, int> seen_;  // path \0 digest -> occurrences so far
};

}  // namespace mlaudit::cli
