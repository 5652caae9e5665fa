// kind: bounds — an LLM call that sets no limit on how long it waits, how often it retries or
// how much it generates. A matcher names the calls and which of the rule's `bounds` they need;
// a bound is met by one of its keywords on the call, or (for a `client: true` bound) on the
// client the call goes through: the constructor the receiver's variable was assigned from (one
// step, same scope or module level, e.g. `client = OpenAI(timeout=30)`), a constructor inline
// (`OpenAI(timeout=30).chat...`), `with_options(timeout=...)` in the callee, or the call itself
// when it is a constructor (`ChatOpenAI(timeout=...)`). When the client cannot be found (a
// parameter, `self.client`), its bounds are unknown and never reported; a `**kwargs` splat that
// cannot be followed might set anything. One finding per call, naming every missing bound.
#include "rubric/engine.hpp"
#include "rubric/rules/llm_call_site.hpp"

namespace mlaudit::rubric {
namespace {

using facts::Value;

bool contains(const facts::Range& outer, const facts::Range& inner) {
  return outer.start_byte <= inner.start_byte && inner.end_byte <= outer.end_byte;
}

bool is_client(const RuleSpec& rule, const facts::Call& call) {
  return !call.qualified.empty() && std::find(rule.clients.begin(), rule.clients.end(), call.qualified) != rule.clients.end();
}

// Yes: a keyword sets it; No: none does; Unknown: a splat we cannot read might.
enum class Tri { Yes, No, Unknown };

Tri sets(const facts::Call& call, const std::vector<std::string>& keywords) {
  Tri result = Tri::No;
  for (const auto& arg : call.args) {
    if (arg.dict_splat) {
      if (arg.value.kind != Value::Kind::Dict) { result = Tri::Unknown; continue; }
      for (const auto& entry : arg.value.entries)
        if (std::find(keywords.begin(), keywords.end(), entry.key) != keywords.end() && entry.value.kind != Value::Kind::None)
          return Tri::Yes;
      continue;
    }
    // `timeout=None` waits forever: an explicit None sets no limit.
    if (std::find(keywords.begin(), keywords.end(), arg.keyword) != keywords.end() && arg.value.kind != Value::Kind::None)
      return Tri::Yes;
  }
  return result;
}

// The calls whose keywords configure the client `call` goes through; empty when unknown.
std::vector<const facts::Call*> client_calls(const facts::PythonFacts& py, const facts::Call& call, const RuleSpec& rule) {
  std::vector<const facts::Call*> out;
  if (is_client(rule, call)) return {&call};
  bool found = false;
  for (const auto& other : py.calls) {
    if (&other == &call || !contains(call.callee_range, other.range)) continue;
    if (other.method == "with_options") out.push_back(&other);
    if (is_client(rule, other)) { out.push_back(&other); found = true; }
  }
  if (found) return out;
  std::string root = call.receiver.substr(0, call.receiver.find_first_of(".([ "));
  if (root.empty()) return {};
  const facts::Binding* best = nullptr;
  for (const auto& b : py.bindings)  // the latest assignment before the call in its scope
    if (b.name == root && b.scope == call.scope && b.range.start_byte < call.range.start_byte) best = &b;
  if (!best)
    for (const auto& b : py.bindings)
      if (b.name == root && b.scope.empty() && b.range.start_byte < call.range.start_byte) best = &b;
  if (!best) return {};
  for (const auto& other : py.calls)  // the constructor is the assignment's whole right-hand side
    if (other.range.end_byte == best->range.end_byte && contains(best->range, other.range) && is_client(rule, other)) {
      out.push_back(&other);
      return out;
    }
  return {};
}

}  // namespace

void check_bounds(const RuleContext& ctx, std::vector<Finding>& out) {
  const auto& py = ctx.file.python;
  for (const auto& call : py.calls) {
    for (const auto& matcher : ctx.rule.matchers) {
      if (!call_matches(matcher, call)) continue;
      std::vector<const facts::Call*> clients = client_calls(py, call, ctx.rule);
      bool client_known = std::any_of(clients.begin(), clients.end(), [&](const facts::Call* c) { return is_client(ctx.rule, *c); });
      // A module function named exactly (litellm.completion) has no client: its own keywords are all there is.
      bool function = std::find(matcher.calls.begin(), matcher.calls.end(), call.qualified) != matcher.calls.end();
      std::string missing;
      for (const auto& need : matcher.needs) {
        auto bound = std::find_if(ctx.rule.bounds.begin(), ctx.rule.bounds.end(), [&](const Bound& b) { return b.name == need; });
        Tri on_call = sets(call, bound->keywords);
        if (on_call != Tri::No) continue;
        if (bound->client) {
          if (!client_known && !function) continue;  // the client is configured somewhere we cannot see
          bool on_client = std::any_of(clients.begin(), clients.end(),
                                       [&](const facts::Call* c) { return sets(*c, bound->keywords) != Tri::No; });
          if (on_client) continue;
        }
        missing += (missing.empty() ? "" : ", ") + std::string("no `") + bound->name + "`";
      }
      if (!missing.empty())
        report(ctx, call.callee_range, format_message(matcher.message, {{"callee", call.callee}, {"missing", missing}}), out);
      break;  // one finding per call
    }
  }
}

}  // namespace mlaudit::rubric
