// kind: tracking — a training entry script while no file of the workspace uses an experiment
// tracker. Adding `import mlflow` anywhere clears it everywhere.
#include "rubric/engine.hpp"

namespace mlaudit::rubric {

void check_tracking(const RuleContext& ctx, std::vector<Finding>& out) {
  if (!ctx.workspace.tracking.empty()) return;
  const facts::Call* training = first_training_call(ctx.file, ctx.rubric);
  if (!training) return;
  report(ctx, training->callee_range, ctx.rule.message, out);
}

}  // namespace mlaudit::rubric
