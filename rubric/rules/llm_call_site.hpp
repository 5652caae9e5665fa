// What the LLM rule kinds (bounds, flows) share: matching a call against a rule's matchers by
// qualified name or pattern, and finding the argument a condition names.
#pragma once
#include <algorithm>

#include "analyzers/facts.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::rubric {

inline bool call_matches(const CallMatcher& m, const facts::Call& call) {
  const std::string& name = call.qualified.empty() ? call.callee : call.qualified;
  if (!call.qualified.empty() && std::find(m.calls.begin(), m.calls.end(), call.qualified) != m.calls.end()) return true;
  return std::any_of(m.patterns.begin(), m.patterns.end(), [&](const auto& p) { return RE2::PartialMatch(name, *p); });
}

// The call's own argument a condition names (by keyword, else by position before any `*args`).
inline const facts::Argument* named_argument(const facts::Call& call, const ArgCondition& c) {
  int position = 0;
  for (const auto& arg : call.args) {
    if (!c.keyword.empty() && arg.keyword == c.keyword) return &arg;
    if (arg.list_splat) return nullptr;
    if (arg.keyword.empty() && !arg.dict_splat) {
      if (position == c.position) return &arg;
      ++position;
    }
  }
  return nullptr;
}

}  // namespace mlaudit::rubric
