// kind: artifacts — a committed model artifact whose pickle streams import a dangerous global
// (os.system, builtins.eval, ...) or one the scanner could not resolve: loading it runs code.
// The allow-list (exact module.name) wins over the deny-list (whole modules or module.name).
// Globals outside both lists (a scikit-learn estimator class, say) are not findings: they are
// what legitimate pickles are made of, and the audit reports pickle-format artifacts anyway.
#include <algorithm>

#include "rubric/engine.hpp"

namespace mlaudit::rubric {
namespace {

// `entry` names the global on whole dotted segments: a module ("os", "torch.hub") or a
// module.name ("builtins.eval").
bool names(const std::string& entry, const std::string& module, const std::string& name) {
  std::string full = module + "." + name;
  auto within = [&](const std::string& s) {
    return s == entry || (s.size() > entry.size() && s.compare(0, entry.size(), entry) == 0 && s[entry.size()] == '.');
  };
  return within(module) || within(full);
}

}  // namespace

bool is_dangerous_global(const facts::PickleGlobal& g, const RuleSpec& rule) {
  if (g.module == "?") return true;  // unresolved: assume the worst, the message says so
  std::string full = g.module + "." + g.name;
  if (std::find(rule.safe_globals.begin(), rule.safe_globals.end(), full) != rule.safe_globals.end()) return false;
  return std::any_of(rule.dangerous_globals.begin(), rule.dangerous_globals.end(),
                     [&](const std::string& e) { return names(e, g.module, g.name); });
}

void check_artifacts(const RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.file.kind != facts::FileKind::Artifact) return;
  std::vector<std::string> found;
  for (const auto& g : ctx.file.artifact.globals) {
    if (!is_dangerous_global(g, ctx.rule)) continue;
    std::string what = g.module == "?" ? "an unresolvable global " + g.name : "`" + g.module + "." + g.name + "`";
    what += std::string(g.called ? " (called" : " (imported") + " at byte " + std::to_string(g.offset) +
            (g.stream.empty() ? "" : " of " + g.stream) + ")";
    found.push_back(std::move(what));
  }
  if (found.empty()) return;
  std::string list;
  for (size_t i = 0; i < found.size() && i < 3; ++i) list += (i ? ", " : "") + found[i];
  if (found.size() > 3) list += " and " + std::to_string(found.size() - 3) + " more";
  std::string format = ctx.file.artifact.format.empty() ? "pickle" : ctx.file.artifact.format;
  report(ctx, facts::Range{}, format_message(ctx.rule.message, {{"format", format}, {"globals", list}}), out);
}

}  // namespace mlaudit::rubric
