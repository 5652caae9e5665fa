// Routes a finding to its rule's fix builder, and combines safe fixes for fix-all.
#include <algorithm>

#include "rubric/fixes/call_fixes.hpp"
#include "rubric/fixes/fix.hpp"

namespace mlaudit::rubric::fixes {

std::optional<Fix> code_fix(const FixContext& ctx, const Finding& finding) {
  if (!ctx.file.skipped.reason.empty() || ctx.file.kind != facts::FileKind::Python) return std::nullopt;
  // Facts and text must belong together: a fix computed on other text would corrupt it.
  if (finding.range.end_byte > ctx.text.size()) return std::nullopt;
  std::optional<Fix> fix;
  if (finding.rule == "seed-not-set") fix = seed_fix(ctx, finding);
  else if (finding.rule == "hardcoded-secret") fix = secret_fix(ctx, finding);
  else fix = call_fix(ctx, finding);
  if (fix) std::stable_sort(fix->edits.begin(), fix->edits.end(), [](const Edit& a, const Edit& b) { return a.start < b.start; });
  return fix;
}

std::vector<Edit> fix_all(const FixContext& ctx, const std::vector<Finding>& findings, size_t* applied) {
  std::vector<Edit> taken;
  size_t count = 0;
  auto overlaps = [](const Edit& a, const Edit& b) {
    if (a == b) return false;  // the same edit twice (two fixes adding `import os`) is taken once
    if (a.start == a.end && b.start == b.end) return false;  // two insertions: both, in order
    if (a.start == a.end) return b.start < a.start && a.start < b.end;
    if (b.start == b.end) return a.start < b.start && b.start < a.end;
    return a.start < b.end && b.start < a.end;
  };
  for (const auto& finding : findings) {
    auto fix = code_fix(ctx, finding);
    if (!fix || !fix->safe || fix->edits.empty()) continue;
    bool clash = std::any_of(fix->edits.begin(), fix->edits.end(), [&](const Edit& e) {
      return std::any_of(taken.begin(), taken.end(), [&](const Edit& t) { return overlaps(e, t); });
    });
    if (clash) continue;
    for (auto& e : fix->edits)
      if (std::find(taken.begin(), taken.end(), e) == taken.end()) taken.push_back(std::move(e));
    ++count;
  }
  std::stable_sort(taken.begin(), taken.end(), [](const Edit& a, const Edit& b) { return a.start < b.start; });
  if (applied) *applied = count;
  return taken;
}

std::string apply_edits(std::string_view text, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.start < b.start; });
  std::string out;
  size_t at = 0;
  for (const auto& e : edits) {
    if (e.start < at || e.end < e.start || e.end > text.size()) continue;  // overlapping or out of range: not applied
    out.append(text.substr(at, e.start - at));
    out += e.text;
    at = e.end;
  }
  out.append(text.substr(std::min(at, text.size())));
  return out;
}

}  // namespace mlaudit::rubric::fixes
