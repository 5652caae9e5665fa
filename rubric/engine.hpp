// The rules engine: one file's Facts + the workspace conclusions -> Findings. Each rule kind is
// a small unit under rubric/rules/; this file routes rule specs to them and applies inline
// suppressions. It never sees a syntax tree.
#pragma once
#include <vector>

#include "analyzers/facts.hpp"
#include "rubric/finding.hpp"
#include "rubric/rubric.hpp"
#include "rubric/workspace_model.hpp"

namespace mlaudit::rubric {

struct RuleContext {
  const facts::FileFacts& file;
  const Rubric& rubric;
  const Conclusions& workspace;
  const RuleSpec& rule;
};

// Adds `finding` for `ctx.rule` at `range` with `message`.
void report(const RuleContext& ctx, const facts::Range& range, std::string message, std::vector<Finding>& out);
// The same with a severity other than the rule's (a version-aware downgrade).
void report(const RuleContext& ctx, const facts::Range& range, std::string message, Severity severity,
            std::vector<Finding>& out);

// Findings for one file, suppressions applied, sorted by position. Nothing for a workspace
// that is not ML/LLM code, and nothing for a file whose content was skipped.
std::vector<Finding> check_file(const facts::FileFacts& file, const Rubric& rubric, const Conclusions& workspace);

// Rule kinds (rubric/rules/*.cpp).
void check_calls(const RuleContext& ctx, std::vector<Finding>& out);
void check_seed(const RuleContext& ctx, std::vector<Finding>& out);
void check_secrets(const RuleContext& ctx, std::vector<Finding>& out);
void check_tracking(const RuleContext& ctx, std::vector<Finding>& out);
void check_requirements(const RuleContext& ctx, std::vector<Finding>& out);
void check_malformed(const RuleContext& ctx, std::vector<Finding>& out);
void check_artifacts(const RuleContext& ctx, std::vector<Finding>& out);
void check_signals(const RuleContext& ctx, std::vector<Finding>& out);
void check_ci_tests(const RuleContext& ctx, std::vector<Finding>& out);
void check_bounds(const RuleContext& ctx, std::vector<Finding>& out);
void check_flows(const RuleContext& ctx, std::vector<Finding>& out);

// Whether a pickle global is one the `kind: artifacts` rule reports (deny-listed or unresolved).
bool is_dangerous_global(const facts::PickleGlobal& global, const RuleSpec& rule);

// Whether `call` seeds a random generator according to a `kind: seed` rule.
bool is_seed_call(const facts::Call& call, const RuleSpec& rule);

// The first training call of an entry script (a file with a main guard, or that trains at
// module level) that imports a training framework; nullptr when the file is not one.
const facts::Call* first_training_call(const facts::FileFacts& file, const Rubric& rubric);

// `template` with {key} placeholders replaced.
std::string format_message(std::string text, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace mlaudit::rubric
