#include "analyzers/suppressions.hpp"

#include <re2/re2.h>

namespace mlaudit {

namespace {

std::vector<std::string> split_ids(const std::string& ids) {
  std::vector<std::string> rules;
  std::string current;
  for (char c : ids + ",") {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!current.empty()) rules.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  return rules;
}

}  // namespace

std::optional<std::vector<std::string>> parse_suppression(std::string_view comment) {
  // `ignore` must end the word: `ignore-file` is the file-level form, not a bare `ignore`.
  static const RE2 pattern(R"(#\s*mlaudit:\s*ignore(?:\[([^\]]*)\]|[^-\w\[]|$))");
  std::string ids;
  re2::StringPiece input(comment.data(), comment.size());
  if (!RE2::PartialMatch(input, pattern, &ids)) return std::nullopt;
  return split_ids(ids);
}

std::optional<std::vector<std::string>> parse_file_suppression(std::string_view comment) {
  static const RE2 pattern(R"(#\s*mlaudit:\s*ignore-file(?:\[([^\]]*)\]|[^-\w\[]|$))");
  std::string ids;
  re2::StringPiece input(comment.data(), comment.size());
  if (!RE2::PartialMatch(input, pattern, &ids)) return std::nullopt;
  return split_ids(ids);
}

std::vector<facts::Suppression> scan_hash_comment_suppressions(std::string_view text) {
  std::vector<facts::Suppression> out;
  uint32_t line = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(start, end - start);
    size_t hash = content.find('#');
    if (hash != std::string_view::npos) {
      if (auto rules = parse_suppression(content.substr(hash))) out.push_back({line, std::move(*rules)});
      if (auto rules = parse_file_suppression(content.substr(hash))) out.push_back({line, std::move(*rules), true});
    }
    if (end == text.size()) break;
    start = end + 1;
    ++line;
  }
  return out;
}

}  // namespace mlaudit
