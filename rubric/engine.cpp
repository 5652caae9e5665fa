#include "rubric/engine.hpp"

#include <algorithm>

namespace mlaudit::rubric {
namespace {

bool suppressed(const facts::FileFacts& file, const Finding& finding) {
  uint32_t line = finding.range.start.line;
  for (const auto& s : file.suppressions) {
    if (!s.whole_file && s.line != line && s.line + 1 != line) continue;  // same line or the line above
    if (s.rules.empty() || std::find(s.rules.begin(), s.rules.end(), finding.rule) != s.rules.end()) return true;
  }
  return false;
}

}  // namespace

std::string format_message(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values) {
    std::string placeholder = "{" + key + "}";
    for (size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
      text.replace(at, placeholder.size(), value);
  }
  return text;
}

void report(const RuleContext& ctx, const facts::Range& range, std::string message, std::vector<Finding>& out) {
  out.push_back({ctx.rule.id, ctx.rule.checklist, ctx.rule.severity, std::move(message), ctx.file.path, range,
                 ctx.rubric.remediation_base + ctx.rule.id + ".md"});
}

void report(const RuleContext& ctx, const facts::Range& range, std::string message, Severity severity,
            std::vector<Finding>& out) {
  report(ctx, range, std::move(message), out);
  out.back().severity = severity;
}

const facts::Call* first_training_call(const facts::FileFacts& file, const Rubric& rubric) {
  if (file.kind != facts::FileKind::Python && file.kind != facts::FileKind::Notebook) return nullptr;
  const auto& training = rubric.training;
  bool framework = std::any_of(file.python.imports.begin(), file.python.imports.end(), [&](const facts::Import& imp) {
    if (imp.module.empty() || imp.module[0] == '.') return false;
    std::string top = imp.module.substr(0, imp.module.find('.'));
    return std::find(training.frameworks.begin(), training.frameworks.end(), top) != training.frameworks.end();
  });
  if (!framework) return nullptr;
  auto trains = [&](const facts::Call& call) {
    if (std::find(training.calls.begin(), training.calls.end(), call.qualified) != training.calls.end()) return true;
    if (call.receiver.empty()) return false;
    if (std::find(training.methods.begin(), training.methods.end(), call.method) != training.methods.end()) return true;
    for (const auto& rm : training.receiver_methods)
      if (rm.method == call.method && RE2::PartialMatch(call.receiver, *rm.receiver)) return true;
    return false;
  };
  const facts::Call* first = nullptr;
  bool module_level_training = false;
  for (const auto& call : file.python.calls) {
    if (!trains(call)) continue;
    if (!first) first = &call;
    if (call.scope.empty()) module_level_training = true;
  }
  if (!first || !(file.python.has_main_guard || module_level_training)) return nullptr;
  return first;
}

std::vector<Finding> check_file(const facts::FileFacts& file, const Rubric& rubric, const Conclusions& workspace) {
  std::vector<Finding> out;
  if (!workspace.relevance.relevant || !file.skipped.reason.empty()) return out;
  for (const auto& rule : rubric.rules) {
    RuleContext ctx{file, rubric, workspace, rule};
    if (rule.kind == "calls") check_calls(ctx, out);
    else if (rule.kind == "seed") check_seed(ctx, out);
    else if (rule.kind == "secrets") check_secrets(ctx, out);
    else if (rule.kind == "tracking") check_tracking(ctx, out);
    else if (rule.kind == "requirements") check_requirements(ctx, out);
    else if (rule.kind == "malformed") check_malformed(ctx, out);
    else if (rule.kind == "artifacts") check_artifacts(ctx, out);
    else if (rule.kind == "signals") check_signals(ctx, out);
    else if (rule.kind == "ci-tests") check_ci_tests(ctx, out);
    else if (rule.kind == "bounds") check_bounds(ctx, out);
    else if (rule.kind == "flows") check_flows(ctx, out);
  }
  out.erase(std::remove_if(out.begin(), out.end(), [&](const Finding& f) { return suppressed(file, f); }), out.end());
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return a.range.start_byte != b.range.start_byte ? a.range.start_byte < b.range.start_byte : a.rule < b.rule;
  });
  return out;
}

}  // namespace mlaudit::rubric
