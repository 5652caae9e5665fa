// What the rubric can ever ask of a file's Facts, so that files held for the whole workspace
// (closed files in the server, every file of `check`/`audit`) keep only that. A repository's
// Python files hold hundreds of thousands of calls (`len(x)`, `self.fc(x)`, `logger.info(...)`)
// no rule, training detection or audit evidence matches; keeping them all cost ~10x the source
// in memory. Open documents keep their full Facts.
//
// The contract: for every rule kind in rubric/rules/ and every evidence kind in items.yaml,
// results over compacted Facts equal results over full Facts (tests/unit/test_facts_compactor.cpp
// checks it on every fixture workspace). A new rule kind that reads other facts must extend this.
#pragma once
#include <re2/set.h>

#include <memory>
#include <string>
#include <unordered_set>

#include "analyzers/facts.hpp"
#include "rubric/audit_rubric.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::rubric {

class FactsCompactor {
 public:
  // `items` may be null (no audit evidence to keep, e.g. when only rules run).
  FactsCompactor(const Rubric& rubric, const AuditRubric* items);

  // Whether some rule, the training detection, a model-inventory entry or an item's evidence
  // could match this call (by name, pattern, method or keyword argument).
  bool wanted(const facts::Call& call) const;

  // Drops the unwanted calls, and the bindings no kept call's arguments can refer to.
  void compact(facts::FileFacts& file) const;

 private:
  void add_pattern(const RE2& pattern);

  std::unordered_set<std::string> names_;     // qualified names or callee texts, exact
  std::unordered_set<std::string> methods_;   // the last segment, with any receiver
  std::unordered_set<std::string> keywords_;  // calls passing one of these keywords
  // kind: bounds matchers: a call they match keeps the binding of its receiver (the client).
  std::vector<CallMatcher> receiver_matchers_;
  std::unique_ptr<RE2::Set> patterns_;        // partial matches on the qualified name or callee
  bool has_patterns_ = false;
  bool keep_all_ = false;  // a pattern RE2::Set could not take: keep everything rather than guess
};

}  // namespace mlaudit::rubric
