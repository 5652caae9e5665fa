#include "rubric/facts_compactor.hpp"

#include <algorithm>

#include "rubric/rules/llm_call_site.hpp"

namespace mlaudit::rubric {

void FactsCompactor::add_pattern(const RE2& pattern) {
  std::string error;
  // The same text compiled twice cannot fail where it once succeeded; a failure would only
  // keep fewer calls, so it is not silently ignored either: fall back to keeping every call.
  if (patterns_->Add(pattern.pattern(), &error) < 0) keep_all_ = true;
  has_patterns_ = true;
}

FactsCompactor::FactsCompactor(const Rubric& rubric, const AuditRubric* items)
    : patterns_(std::make_unique<RE2::Set>(large_set_options(), RE2::UNANCHORED)) {
  for (const auto& call : rubric.training.calls) names_.insert(call);
  for (const auto& method : rubric.training.methods) methods_.insert(method);
  for (const auto& rm : rubric.training.receiver_methods) methods_.insert(rm.method);
  for (const auto& rule : rubric.rules) {
    for (const auto& matcher : rule.matchers) {
      names_.insert(matcher.calls.begin(), matcher.calls.end());
      for (const auto& p : matcher.patterns) add_pattern(*p);
    }
    for (const auto& seed : rule.seed_calls) names_.insert(seed.call);
    names_.insert(rule.tracking_calls.begin(), rule.tracking_calls.end());
    // kind: bounds follows a call's receiver to its client's constructor or with_options().
    names_.insert(rule.clients.begin(), rule.clients.end());
    if (!rule.clients.empty()) {
      methods_.insert("with_options");
      receiver_matchers_.insert(receiver_matchers_.end(), rule.matchers.begin(), rule.matchers.end());
    }
    for (const auto& kw : rule.tracking_kwargs) keywords_.insert(kw.keyword);
  }
  if (items) {
    auto add_spec = [&](const EvidenceSpec& spec) {
      names_.insert(spec.calls.begin(), spec.calls.end());
      for (const auto& p : spec.call_patterns) add_pattern(*p);
      for (const auto& kw : spec.kwargs) keywords_.insert(kw.keyword);
    };
    for (const auto& area : items->areas)
      for (const auto& item : area.items) {
        add_spec(item.met);
        add_spec(item.partial);
        add_spec(item.applies_when);
      }
    for (const auto& use : items->models) {
      names_.insert(use.calls.begin(), use.calls.end());
      for (const auto& p : use.call_patterns) add_pattern(*p);
    }
  }
  if (has_patterns_ && !patterns_->Compile()) keep_all_ = true;
}

bool FactsCompactor::wanted(const facts::Call& call) const {
  if (keep_all_) return true;
  if (names_.count(call.qualified) || names_.count(call.callee) || methods_.count(call.method)) return true;
  for (const auto& arg : call.args)
    if (!arg.keyword.empty() && keywords_.count(arg.keyword)) return true;
  if (has_patterns_) {
    // Rules match patterns on the qualified name, or on the callee when there is none.
    const std::string& name = call.qualified.empty() ? call.callee : call.qualified;
    if (patterns_->Match(name, nullptr)) return true;
  }
  return false;
}

namespace {

// Names a value could make a rule look up as a binding: a bare variable, and the values of a
// dict literal (a `**{...}` or `**dict(...)` splat's entries are followed one step too).
void referenced_names(const facts::Value& value, std::unordered_set<std::string>& out) {
  if (value.kind == facts::Value::Kind::Name && value.text.find('.') == std::string::npos) out.insert(value.text);
  if (value.kind == facts::Value::Kind::Dict)
    for (const auto& entry : value.entries) referenced_names(entry.value, out);
}

}  // namespace

void FactsCompactor::compact(facts::FileFacts& file) const {
  auto& py = file.python;
  if (keep_all_ || (py.calls.empty() && py.bindings.empty())) return;
  std::unordered_set<std::string> names;
  // Kept calls move forward in place: a second, growing vector cost a reallocation per doubling,
  // and every large allocation makes glibc consolidate its small free chunks (it showed).
  size_t kept = 0;
  for (size_t i = 0; i < py.calls.size(); ++i) {
    facts::Call& call = py.calls[i];
    if (!wanted(call)) continue;
    for (const auto& arg : call.args) referenced_names(arg.value, names);
    if (!call.receiver.empty() && std::any_of(receiver_matchers_.begin(), receiver_matchers_.end(),
                                              [&](const CallMatcher& m) { return call_matches(m, call); }))
      names.insert(call.receiver.substr(0, call.receiver.find_first_of(".([ ")));
    if (kept != i) py.calls[kept] = std::move(call);
    ++kept;
  }
  py.calls.erase(py.calls.begin() + static_cast<std::ptrdiff_t>(kept), py.calls.end());
  py.calls.shrink_to_fit();
  // `kw = dict(trust_remote_code=flag); f(**kw)`: the dict bound to `kw` names `flag`.
  std::unordered_set<std::string> through_dicts;
  for (const auto& b : py.bindings)
    if (names.count(b.name) && b.value.kind == facts::Value::Kind::Dict) referenced_names(b.value, through_dicts);
  names.insert(through_dicts.begin(), through_dicts.end());
  py.bindings.erase(std::remove_if(py.bindings.begin(), py.bindings.end(),
                                   [&](const facts::Binding& b) {
                                     // Module-level numbers stay too: quick fixes look for a seed
                                     // constant (`SEED = 42`) another module defines.
                                     bool module_number = b.scope.empty() && b.value.kind == facts::Value::Kind::Number;
                                     return !names.count(b.name) && !module_number;
                                   }),
                    py.bindings.end());
  py.bindings.shrink_to_fit();
}

}  // namespace mlaudit::rubric
