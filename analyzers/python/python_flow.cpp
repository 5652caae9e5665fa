#include "analyzers/python/python_flow.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mlaudit::python {
namespace {

using Environment = std::map<std::pair<std::string, std::string>, std::vector<std::string>>;  // (scope, name) -> sources

// Replaces each "$name" by what the latest assignment of `name` in `scope` carried; unknown
// names (parameters, globals, loop variables) carry nothing.
void resolve(std::vector<std::string>& reads, const std::string& scope, const Environment& env) {
  std::vector<std::string> sources;
  auto add = [&](const std::string& s) {
    if (sources.size() < kMaxFlowSources && std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
  };
  for (const auto& read : reads) {
    if (read.empty()) continue;
    if (read[0] != '$') { add(read); continue; }
    auto it = env.find({scope, read.substr(1)});
    if (it != env.end())
      for (const auto& s : it->second) add(s);
  }
  reads = std::move(sources);
}

}  // namespace

void resolve_flows(facts::PythonFacts& facts) {
  // Events in source order: an argument is read where it starts, an assignment takes effect
  // where it ends (after its right-hand side, whose calls' arguments come first).
  struct Event {
    uint32_t at;
    facts::Binding* binding;
    facts::Argument* argument;
    const std::string* scope;
  };
  std::vector<Event> events;
  for (auto& b : facts.bindings) events.push_back({b.range.end_byte, &b, nullptr, &b.scope});
  for (auto& call : facts.calls)
    for (auto& arg : call.args)
      if (!arg.sources.empty()) events.push_back({arg.range.start_byte, nullptr, &arg, &call.scope});
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  Environment env;
  for (const auto& e : events) {
    if (e.argument) {
      resolve(e.argument->sources, *e.scope, env);
    } else {
      resolve(e.binding->sources, *e.scope, env);
      env[{*e.scope, e.binding->name}] = e.binding->sources;
    }
  }
}

}  // namespace mlaudit::python
