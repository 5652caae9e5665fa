// kind: flows — a sink call (a matcher: eval, subprocess.run, cursor.execute, ...) whose
// argument receives the result of a source call (`sources:` patterns on the callee text, e.g.
// an LLM completion) within one scope: Argument::sources, computed by the Python analyzer
// (analyzers/python/python_flow.hpp). The matcher's `when:` conditions name the arguments that
// are dangerous (a query's text, not its bound parameters); without them every argument is.
// Placeholders: {callee} (the sink), {source} (the first source that reaches it).
#include "rubric/engine.hpp"
#include "rubric/rules/llm_call_site.hpp"

namespace mlaudit::rubric {
namespace {

const std::string* llm_source(const facts::Argument& arg, const RuleSpec& rule) {
  for (const auto& source : arg.sources)
    for (const auto& pattern : rule.flow_sources)
      if (RE2::PartialMatch(source, *pattern)) return &source;
  return nullptr;
}

}  // namespace

void check_flows(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& call : ctx.file.python.calls) {
    for (const auto& matcher : ctx.rule.matchers) {
      if (!call_matches(matcher, call)) continue;
      std::vector<const facts::Argument*> watched;
      if (matcher.when.empty()) {
        for (const auto& arg : call.args) watched.push_back(&arg);
      } else {
        for (const auto& c : matcher.when)
          if (const facts::Argument* arg = named_argument(call, c)) watched.push_back(arg);
      }
      for (const facts::Argument* arg : watched) {
        if (const std::string* source = llm_source(*arg, ctx.rule)) {
          report(ctx, arg->range, format_message(matcher.message, {{"callee", call.callee}, {"source", *source}}), out);
          break;
        }
      }
      break;  // one finding per call
    }
  }
}

}  // namespace mlaudit::rubric
