#include "analyzers/ci/ci_pipeline.hpp"

#include <algorithm>
#include <set>

#include "analyzers/manifests/source_lines.hpp"

namespace mlaudit::ci {
namespace {

const char* signal_of(Activity activity) {
  switch (activity) {
    case Activity::Tests: return "ci.runs-tests";
    case Activity::Trains: return "ci.trains";
    case Activity::Evaluates: return "ci.evaluates";
    case Activity::Deploys: return "ci.deploys";
    case Activity::Publishes: return "ci.publishes";
  }
  return "";
}

}  // namespace

void add_script(Job& job, std::string_view script, uint32_t first_line) {
  for (auto& hit : classify_script(script)) job.hits.push_back({hit.activity, std::move(hit.label), first_line + hit.line});
}

void emit_signals(const Pipeline& pipeline, std::string_view text, facts::FileFacts& out) {
  manifests::SourceLines lines(text);
  auto at = [&](uint32_t line) {
    return lines.trimmed_line(std::min(line, lines.line_count() ? lines.line_count() - 1 : 0));
  };
  auto add = [&](const char* id, std::string detail, uint32_t line) { out.signals.push_back({id, std::move(detail), at(line)}); };

  std::string summary = pipeline.system;
  if (!pipeline.triggers.empty()) {
    summary += " (on ";
    for (size_t i = 0; i < pipeline.triggers.size(); ++i) summary += (i ? ", " : "") + pipeline.triggers[i];
    summary += ")";
  }
  summary += ": " + std::to_string(pipeline.jobs.size()) + (pipeline.jobs.size() == 1 ? " job" : " jobs");
  if (pipeline.config) add("ci.config", summary, pipeline.line);
  if (!pipeline.schedule.empty()) add("ci.scheduled", "on a schedule (" + pipeline.schedule + ")", pipeline.schedule_line);
  for (const auto& [what, line] : pipeline.opaque) add("ci.opaque", what, line);

  for (const auto& job : pipeline.jobs) {
    // One signal per (activity, label) of a job: a job that runs pytest in three steps is one
    // observation, at its first step.
    std::set<std::pair<Activity, std::string>> seen;
    bool trained = false;
    for (const auto& hit : job.hits) {
      if (!seen.insert({hit.activity, hit.label}).second) continue;
      add(signal_of(hit.activity), "job " + job.name + " runs " + hit.label, hit.line);
      if (hit.activity == Activity::Trains && !trained) {
        trained = true;
        if (job.scheduled) add("ci.scheduled-training", "job " + job.name + " runs " + hit.label + " on a schedule", hit.line);
        if (!job.dispatched_by.empty())
          add("ci.dispatch-training", "job " + job.name + " runs " + hit.label + " on " + job.dispatched_by, hit.line);
      }
    }
    if (!job.gate.empty()) add("ci.approval-gate", "job " + job.name + " " + job.gate, job.gate_line);
    for (const auto& [what, line] : job.opaque) add("ci.opaque", "job " + job.name + " " + what, line);
  }
}

}  // namespace mlaudit::ci
