// kind: requirements — an ML framework declared in a manifest (requirements file, pyproject,
// setup.cfg/setup.py, Pipfile, conda environment, package.json) without an exact pin, while no
// lock file or constraints file of the workspace pins it. A lock file whose content could not
// be read (too large, malformed, a format not parsed) might pin it: then nothing is reported.
#include <algorithm>

#include "rubric/engine.hpp"

namespace mlaudit::rubric {

void check_requirements(const RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.file.requirements.empty() || !ctx.workspace.unread_lock_files.empty()) return;
  // pip-tools inputs (requirements.in) are unpinned on purpose: their compiled .txt holds the pins.
  if (ctx.file.path.size() > 3 && ctx.file.path.compare(ctx.file.path.size() - 3, 3, ".in") == 0) return;
  for (const auto& req : ctx.file.requirements) {
    if (req.pinned) continue;
    const auto& packages = req.ecosystem == "npm" ? ctx.rule.npm_packages : ctx.rule.packages;
    if (std::find(packages.begin(), packages.end(), req.name) == packages.end()) continue;
    std::string key = package_key(req.ecosystem, req.name);
    if (ctx.workspace.locked.count(key) || ctx.workspace.constrained.count(key)) continue;
    std::string specifier = req.specifier.empty() ? "any version" : "`" + req.specifier + "`";
    report(ctx, req.range, format_message(ctx.rule.message, {{"name", req.name}, {"specifier", specifier}}), out);
  }
}

}  // namespace mlaudit::rubric
