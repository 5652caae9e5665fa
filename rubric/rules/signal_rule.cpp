// kind: signals — a finding at every facts::Signal whose id the rule lists: the analyzer of a
// non-code file (Dockerfile, CI workflow, ...) recognised the pattern, the rule gives it a
// severity, a checklist item and words. Placeholders: {detail} (the signal's), {file}.
#include <algorithm>

#include "rubric/engine.hpp"

namespace mlaudit::rubric {

void check_signals(const RuleContext& ctx, std::vector<Finding>& out) {
  std::string name = ctx.file.path.substr(ctx.file.path.rfind('/') + 1);
  for (const auto& signal : ctx.file.signals)
    if (std::find(ctx.rule.signals.begin(), ctx.rule.signals.end(), signal.id) != ctx.rule.signals.end())
      report(ctx, signal.range, format_message(ctx.rule.message, {{"detail", signal.detail}, {"file", name}}), out);
}

}  // namespace mlaudit::rubric
