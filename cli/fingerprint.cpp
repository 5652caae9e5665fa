#include "cli/fingerprint.hpp"

#include <cstdio>

namespace mlaudit::cli {

std::string normalize_line(std::string_view line) {
  std::string out;
  bool space = false;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string FingerprintCounter::next(const std::string& path, const std::string& rule, std::string_view line_text) {
  std::string material = rule;
  material += '\0';
  material += normalize_line(line_text);
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(fnv1a64(material)));
  int occurrence = ++seen_[path + '\0' + digest];
  return std::string(digest) + ":" + std::to_string(occurrence);
}

}  // namespace mlaudit::cli
