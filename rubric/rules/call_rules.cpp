// kind: calls — a call matched by qualified name or pattern, with conditions on its arguments.
// Arguments are followed one step: through a variable (`trust_remote_code=flag`) and through
// `**kwargs` when kwargs is a dict literal or `dict(...)`. Whatever cannot be followed makes the
// answer "unknown", and an unknown never produces a finding: a false positive costs more than a
// missed one.
#include <algorithm>
#include <optional>

#include "rubric/engine.hpp"

namespace mlaudit::rubric {
namespace {

using facts::Value;
enum class Tri { Yes, No, Unknown };

const Value* binding_value(const facts::PythonFacts& py, const facts::Call& call, const std::string& name) {
  const facts::Binding* best = nullptr;
  for (const auto& b : py.bindings) {  // the latest assignment before the call in the call's scope
    if (b.name == name && b.scope == call.scope && b.range.start_byte < call.range.start_byte) best = &b;
  }
  if (!best)
    for (const auto& b : py.bindings)  // else a module-level one
      if (b.name == name && b.scope.empty()) best = &b;
  return best ? &best->value : nullptr;
}

// The value an argument holds, following one variable.
const Value* effective(const facts::PythonFacts& py, const facts::Call& call, const Value& v) {
  if (v.kind == Value::Kind::Name && v.text.find('.') == std::string::npos) {
    if (const Value* bound = binding_value(py, call, v.text)) return bound;
  }
  return &v;
}

// Whether the first segment of a dotted name is bound by an import, so that its qualified name
// says what it is. A bare parameter or an undefined name is not.
bool imported(const facts::PythonFacts& py, const std::string& dotted) {
  std::string first = dotted.substr(0, dotted.find('.'));
  return std::any_of(py.imports.begin(), py.imports.end(), [&](const facts::Import& imp) { return imp.alias == first; });
}

struct Lookup {
  const Value* value = nullptr;
  const facts::Argument* argument = nullptr;  // the call's own argument, when the value is one
  bool unknown = false;                       // an unresolvable splat might hold it
};

Lookup find_argument(const facts::PythonFacts& py, const facts::Call& call, const ArgCondition& c) {
  Lookup result;
  int position = 0;
  bool positions_known = true;
  for (const auto& arg : call.args) {
    if (!c.keyword.empty() && arg.keyword == c.keyword) return {&arg.value, &arg, false};
    if (arg.keyword.empty() && !arg.dict_splat && !arg.list_splat) {
      if (c.position >= 0 && positions_known && position == c.position) return {&arg.value, &arg, false};
      ++position;
    }
    if (arg.list_splat) positions_known = false;
    if (arg.dict_splat) {
      const Value* dict = effective(py, call, arg.value);
      if (dict->kind != Value::Kind::Dict) { result.unknown = true; continue; }
      for (const auto& entry : dict->entries)
        if (entry.key == c.keyword) return {&entry.value, nullptr, false};
    }
  }
  if (!positions_known && c.position >= 0) result.unknown = true;
  return result;
}

Tri holds(const facts::PythonFacts& py, const facts::Call& call, const ArgCondition& c, const facts::Argument** where) {
  Lookup found = find_argument(py, call, c);
  if (!found.value) return found.unknown ? Tri::Unknown : Tri::No;
  if (where && found.argument) *where = found.argument;
  const Value* v = effective(py, call, *found.value);
  switch (c.op) {
    case ArgCondition::Op::Present:
      return v->kind == Value::Kind::None ? Tri::No : Tri::Yes;
    case ArgCondition::Op::Equals: {
      Value::Kind want = c.literal == ArgCondition::Literal::True    ? Value::Kind::True
                         : c.literal == ArgCondition::Literal::False ? Value::Kind::False
                                                                     : Value::Kind::None;
      if (v->kind == want) return Tri::Yes;
      bool literal = v->kind == Value::Kind::True || v->kind == Value::Kind::False || v->kind == Value::Kind::None ||
                     v->kind == Value::Kind::Number || v->kind == Value::Kind::String;
      return literal ? Tri::No : Tri::Unknown;
    }
    case ArgCondition::Op::In: {
      const std::string& name = v->qualified.empty() ? v->text : v->qualified;
      if (std::find(c.names.begin(), c.names.end(), name) != c.names.end()) return Tri::Yes;
      return v->kind == Value::Kind::Name && imported(py, v->text) ? Tri::No : Tri::Unknown;
    }
    case ArgCondition::Op::Matches: {
      if (v->kind == Value::Kind::String) return RE2::PartialMatch(v->text, *c.pattern) ? Tri::Yes : Tri::No;
      if (v->kind == Value::Kind::List) {  // a list literal holds when one of its strings matches
        Tri result = Tri::No;
        for (const auto& item : v->entries) {
          if (item.value.kind == Value::Kind::String && RE2::PartialMatch(item.value.text, *c.pattern)) return Tri::Yes;
          if (item.value.kind != Value::Kind::String) result = Tri::Unknown;
        }
        return result;
      }
      bool literal = v->kind == Value::Kind::True || v->kind == Value::Kind::False || v->kind == Value::Kind::None ||
                     v->kind == Value::Kind::Number;
      return literal ? Tri::No : Tri::Unknown;
    }
  }
  return Tri::Unknown;
}

bool name_matches(const CallMatcher& m, const facts::Call& call) {
  const std::string& name = call.qualified.empty() ? call.callee : call.qualified;
  if (!call.qualified.empty() && std::find(m.calls.begin(), m.calls.end(), call.qualified) != m.calls.end()) return true;
  for (const auto& pattern : m.patterns)
    if (RE2::PartialMatch(name, *pattern)) return true;
  return false;
}

// The downgraded message when the call omits a keyword whose default the workspace's locked
// (or exactly pinned) library version makes safe; nullopt otherwise. An unresolvable **kwargs
// might pass the keyword (as False, even): then the default cannot be relied on.
std::optional<std::string> safe_by_default(const RuleContext& ctx, const facts::Call& call, const CallMatcher& matcher) {
  if (!matcher.version_default) return std::nullopt;
  const VersionDefault& d = *matcher.version_default;
  ArgCondition keyword;
  keyword.keyword = d.keyword;
  Lookup found = find_argument(ctx.file.python, call, keyword);
  if (found.value || found.unknown) return std::nullopt;
  auto version = known_version(ctx.workspace.locked, ctx.workspace.pinned, d.packages);
  if (!version || compare_versions(version->version, d.min_version) < 0) return std::nullopt;
  return format_message(d.message, {{"callee", call.callee}, {"package", d.packages.front()}, {"version", version->version},
                                    {"source", version->source}, {"min", d.min_version}});
}

}  // namespace

void check_calls(const RuleContext& ctx, std::vector<Finding>& out) {
  const auto& py = ctx.file.python;
  for (const auto& call : py.calls) {
    for (const auto& matcher : ctx.rule.matchers) {
      if (!name_matches(matcher, call)) continue;
      const facts::Argument* anchor = nullptr;
      bool all_when = std::all_of(matcher.when.begin(), matcher.when.end(),
                                  [&](const ArgCondition& c) { return holds(py, call, c, &anchor) == Tri::Yes; });
      if (!all_when) continue;  // a later matcher of the same names may name another keyword
      bool safe_or_unknown = std::any_of(matcher.unless.begin(), matcher.unless.end(),
                                         [&](const ArgCondition& c) { return holds(py, call, c, nullptr) != Tri::No; });
      if (safe_or_unknown) break;
      const facts::Range& range = anchor ? anchor->range : call.callee_range;
      if (auto safe = safe_by_default(ctx, call, matcher)) {
        report(ctx, range, std::move(*safe), matcher.version_default->severity, out);
        break;
      }
      report(ctx, range, format_message(matcher.message, {{"callee", call.callee}}), out);
      break;  // one finding per call and rule
    }
  }
}

}  // namespace mlaudit::rubric
