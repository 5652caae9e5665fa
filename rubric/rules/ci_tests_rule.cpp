// kind: ci-tests — the workspace has tests and CI, but no CI job runs the tests: a finding at
// each CI file's `ci.config` signal. Workspace knowledge comes from the Conclusions (test file,
// CI files, whether a job runs tests), derived incrementally, so a keystroke costs nothing
// workspace-wide. Quiet when there is no CI at all (that is the mlops.ci-cd gap, not this
// finding) and when some CI configuration could not be read (a malformed file, a CI system
// mlaudit does not read, a reusable workflow or include of another repository): it may run them.
// Placeholders: {file}, {tests} (a test file of the workspace).
#include <algorithm>

#include "rubric/engine.hpp"

namespace mlaudit::rubric {

void check_ci_tests(const RuleContext& ctx, std::vector<Finding>& out) {
  const Conclusions& ws = ctx.workspace;
  if (ws.test_file.empty() || ws.ci_files.empty() || ws.ci_runs_tests || ws.ci_unknown) return;
  const auto& signals = ctx.file.signals;
  // This file's own facts may be newer than the conclusions (an edit not yet merged).
  if (std::any_of(signals.begin(), signals.end(), [](const facts::Signal& s) { return s.id == "ci.runs-tests" || s.id == "ci.opaque"; }))
    return;
  std::string name = ctx.file.path.substr(ctx.file.path.rfind('/') + 1);
  for (const auto& signal : signals)
    if (signal.id == "ci.config")
      report(ctx, signal.range, format_message(ctx.rule.message, {{"file", name}, {"tests", ws.test_file}}), out);
}

}  // namespace mlaudit::rubric
