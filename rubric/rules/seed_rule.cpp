// kind: seed — a training entry script whose seed is never set, in the file or in any workspace
// module it imports (directly or transitively: the workspace model computes that closure).
#include "rubric/engine.hpp"

namespace mlaudit::rubric {

bool is_seed_call(const facts::Call& call, const RuleSpec& rule) {
  for (const auto& seed : rule.seed_calls)
    if (call.qualified == seed.call && (!seed.needs_argument || !call.args.empty())) return true;
  return false;
}

void check_seed(const RuleContext& ctx, std::vector<Finding>& out) {
  const facts::Call* training = first_training_call(ctx.file, ctx.rubric);
  if (!training) return;
  if (ctx.workspace.seeding_files.count(ctx.file.path)) return;
  for (const auto& call : ctx.file.python.calls)  // the file itself (also when not yet in the model)
    if (is_seed_call(call, ctx.rule)) return;
  report(ctx, training->callee_range, ctx.rule.message, out);
}

}  // namespace mlaudit::rubric
