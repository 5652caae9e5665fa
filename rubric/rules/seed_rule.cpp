// kind: seed — a training entry script whose seed is never set, in the file or in any workspace
// module it imports (directly or transitively: the workspace model computes that closure).
#include "rubric/engine.hpp"

namespace mlaudit::rubric {

void check_seed(const RuleContext& ctx, std::vector<Finding>& out) {
  const facts::Call* training = first_training_call(ctx.file, ctx.rubric);
  if (!training) return;
  if (ctx.workspace.seeding_files.count(ctx.file.path)) return;
  for (const auto& call : ctx.file.python.calls)  // the file itself (also when not yet in the model)
    for (const auto& seed : ctx.rule.seed_calls)
      if (call.qualified == seed) return;
  report(ctx, training->callee_range, ctx.rule.message, out);
}

}  // namespace mlaudit::rubric
