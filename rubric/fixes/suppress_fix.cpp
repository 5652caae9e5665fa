// "Suppress <rule> on this line" and "Suppress <rule> in this file": comments the engine reads
// (analyzers/suppressions.cpp), merged into one already there so a line never collects two.
#include <re2/re2.h>

#include "rubric/fixes/fix.hpp"
#include "rubric/fixes/source_edits.hpp"

namespace mlaudit::rubric::fixes {
namespace {

// An edit adding `rule` to the bracket of a `# mlaudit: <word>[...]` comment in [start, end),
// or nullopt when there is none.
std::optional<Edit> merge_into(std::string_view text, uint32_t start, uint32_t end, const std::string& word,
                               const std::string& rule) {
  const RE2 pattern("#\\s*mlaudit:\\s*" + word + "\\[([^\\]]*)\\]");
  re2::StringPiece input(text.data() + start, end - start);
  re2::StringPiece ids;
  if (!RE2::PartialMatch(input, pattern, &ids)) return std::nullopt;
  uint32_t close = static_cast<uint32_t>(ids.data() + ids.size() - text.data());
  bool empty = std::string_view(ids.data(), ids.size()).find_first_not_of(" \t,") == std::string_view::npos;
  return Edit{close, close, (empty ? "" : ", ") + rule};
}

bool line_ends_in_string(const facts::FileFacts& file, uint32_t line_end) {
  for (const auto& s : file.python.strings)
    if (s.range.start_byte < line_end && line_end < s.range.end_byte) return true;
  return false;
}

}  // namespace

Fix suppress_on_line(const FixContext& ctx, const Finding& finding) {
  Fix fix{"Suppress " + finding.rule + " on this line", {}, false};
  uint32_t row = finding.range.start.line;
  auto [start, end] = row_bounds(ctx.text, row);
  for (const auto& s : ctx.file.suppressions) {
    if (s.whole_file || s.line != row) continue;
    if (auto edit = merge_into(ctx.text, start, end, "ignore", finding.rule)) {
      fix.edits.push_back(*edit);
      return fix;
    }
  }
  uint32_t content_end = end;
  while (content_end > start && (ctx.text[content_end - 1] == ' ' || ctx.text[content_end - 1] == '\t')) --content_end;
  bool continued = content_end > start && ctx.text[content_end - 1] == '\\';
  if (continued || line_ends_in_string(ctx.file, end)) {
    // The comment cannot end this line: it goes on its own line above (the engine reads both).
    fix.edits.push_back({start, start, indentation_at(ctx.text, start) + "# mlaudit: ignore[" + finding.rule + "]" +
                                           line_ending(ctx.text)});
  } else {
    fix.edits.push_back({content_end, content_end, "  # mlaudit: ignore[" + finding.rule + "]"});
  }
  return fix;
}

Fix suppress_in_file(const FixContext& ctx, const Finding& finding) {
  Fix fix{"Suppress " + finding.rule + " in this file", {}, false};
  for (const auto& s : ctx.file.suppressions) {
    if (!s.whole_file) continue;
    auto [start, end] = row_bounds(ctx.text, s.line);
    if (auto edit = merge_into(ctx.text, start, end, "ignore-file", finding.rule)) {
      fix.edits.push_back(*edit);
      return fix;
    }
  }
  // After a shebang and an encoding declaration, which must stay on the first two lines.
  static const RE2 encoding(R"(^[ \t\f]*#.*?coding[:=])");
  uint32_t at = 0;
  for (int row = 0; row < 2; ++row) {
    auto [start, end] = row_bounds(ctx.text, row);
    if (start != at || start >= ctx.text.size()) break;
    std::string_view line = ctx.text.substr(start, end - start);
    bool shebang = row == 0 && line.rfind("#!", 0) == 0;
    if (!shebang && !RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), encoding)) break;
    at = after_line(ctx.text, start);
  }
  std::string prefix = at == ctx.text.size() && at > 0 && ctx.text.back() != '\n' ? line_ending(ctx.text) : "";
  fix.edits.push_back({at, at, prefix + "# mlaudit: ignore-file[" + finding.rule + "]" + line_ending(ctx.text)});
  return fix;
}

}  // namespace mlaudit::rubric::fixes
