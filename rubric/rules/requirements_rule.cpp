// kind: requirements — an ML framework in a requirements file without an exact `==` pin, while
// the workspace has no lock file that would pin it.
#include <algorithm>

#include "rubric/engine.hpp"

namespace mlaudit::rubric {

void check_requirements(const RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.file.kind != facts::FileKind::Requirements || !ctx.workspace.lock_files.empty()) return;
  // pip-tools inputs (requirements.in) are unpinned on purpose: their compiled .txt holds the pins.
  if (ctx.file.path.size() > 3 && ctx.file.path.compare(ctx.file.path.size() - 3, 3, ".in") == 0) return;
  for (const auto& req : ctx.file.requirements) {
    if (req.pinned) continue;
    if (std::find(ctx.rule.packages.begin(), ctx.rule.packages.end(), req.name) == ctx.rule.packages.end()) continue;
    report(ctx, req.range, format_message(ctx.rule.message, {{"name", req.name}}), out);
  }
}

}  // namespace mlaudit::rubric
