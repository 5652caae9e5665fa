#include "analyzers/javascript/js_analyzer.hpp"

#include <algorithm>

#include "analyzers/javascript/js_facts.hpp"
#include "analyzers/javascript/js_parser.hpp"

namespace mlaudit::javascript {
namespace {

constexpr size_t kMinifiedAverageLine = 500;
// A short file with one long line (a data literal, a long prompt) is not a bundle.
constexpr size_t kMinifiedMinBytes = 2048;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool is_javascript_path(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (std::string_view declaration : {".d.ts", ".d.mts", ".d.cts"})
    if (ends_with(name, declaration)) return false;
  for (std::string_view ext : {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"})
    if (ends_with(name, ext) && name.size() > ext.size()) return true;
  return false;
}

std::string minified_reason(std::string_view text) {
  if (text.size() < kMinifiedMinBytes) return "";
  size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++lines;
  size_t average = text.size() / std::max<size_t>(lines, 1);
  if (average <= kMinifiedAverageLine) return "";
  return "minified or bundled JavaScript (lines average " + std::to_string(average) + " bytes): generated code is not analysed";
}

void analyze_javascript(std::string_view path, std::string_view text, facts::FileFacts& out) {
  if (std::string reason = minified_reason(text); !reason.empty()) {
    out.skipped.reason = std::move(reason);
    out.skipped.by_design = true;
    return;
  }
  Dialect dialect = dialect_of(path);
  TreePtr tree = parse(text, dialect);
  out.python = extract_facts(tree.get(), dialect, text, &out.suppressions);
}

}  // namespace mlaudit::javascript
