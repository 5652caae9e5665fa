// CircleCI (.circleci/config.yml): `jobs.<name>.steps[]` (`run:` scripts; orb commands such
// as `python/test` by their name), `workflows.<name>.jobs[]` (orb jobs, `type: approval`
// gates) and workflow `triggers: [{schedule: {cron}}]`.
#include <map>
#include <set>

#include "analyzers/ci/ci_pipeline.hpp"
#include "analyzers/ci/ci_readers.hpp"
#include "analyzers/ci/ci_yaml.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::ci {
namespace {

// `python/test` -> Tests: an orb's command or job, by the name after the orb.
bool orb_hit(const std::string& name, Activity& activity) {
  size_t slash = name.find('/');
  return slash != std::string::npos && classify_name(name.substr(slash + 1), activity);
}

void read_steps(const YAML::Node& steps, std::string_view text, Job& job, size_t& visits) {
  if (!steps.IsSequence()) return;
  for (const auto& step : steps) {
    if (++visits > kMaxVisits) return;
    Activity activity;
    if (step.IsScalar()) {
      if (orb_hit(step.Scalar(), activity)) job.hits.push_back({activity, "orb command " + step.Scalar(), line_of(step)});
      continue;
    }
    if (!step.IsMap()) continue;
    for (const auto& entry : step) {
      std::string key = scalar(entry.first);
      if (key == "run") {
        YAML::Node command = entry.second.IsMap() ? child(entry.second, "command") : entry.second;
        if (command.IsScalar()) add_script(job, command.Scalar(), text_line(command, text));
      } else if (orb_hit(key, activity)) {
        job.hits.push_back({activity, "orb command " + key, line_of(entry.first)});
      }
    }
  }
}

}  // namespace

bool reads_circleci(std::string_view path) {
  std::string_view name = path_file_name(path);
  return path_in_folder(path, ".circleci") && (name == "config.yml" || name == "config.yaml");
}

static void read_circleci_unguarded(std::string_view path, std::string_view text, facts::FileFacts& out) {
  YAML::Node doc = load_document(text);
  if (!doc.IsMap()) return;
  Pipeline pipeline;
  pipeline.system = "CircleCI pipeline";
  size_t visits = 0;
  YAML::Node jobs = child(doc, "jobs"), workflows = child(doc, "workflows");
  for (const auto& entry : doc)
    if (scalar(entry.first) == "jobs") pipeline.line = line_of(entry.first);

  // Which jobs the workflows schedule, and the workflow entries that are not jobs of this file
  // (orb jobs, approval holds).
  std::set<std::string> scheduled;
  std::map<std::string, Job> extra;
  std::vector<std::string> extra_order;
  if (workflows.IsMap()) {
    for (const auto& wf : workflows) {
      if (++visits > kMaxVisits) break;
      if (!wf.second.IsMap()) continue;  // `version: 2`
      bool on_schedule = false;
      if (YAML::Node triggers = child(wf.second, "triggers"); triggers.IsSequence())
        for (const auto& t : triggers)
          if (std::string cron = scalar(child(child(t, "schedule"), "cron")); !cron.empty()) {
            on_schedule = true;
            if (pipeline.schedule.empty()) {
              pipeline.schedule = "cron " + cron;
              pipeline.schedule_line = line_of(t);
              pipeline.triggers.push_back("schedule");
            }
          }
      YAML::Node list = child(wf.second, "jobs");
      if (!list.IsSequence()) continue;
      for (const auto& item : list) {
        if (++visits > kMaxVisits) break;
        std::string name;
        YAML::Node spec;
        uint32_t line = line_of(item);
        if (item.IsScalar()) name = item.Scalar();
        else if (item.IsMap() && item.size() == 1) {
          auto it = item.begin();
          name = scalar(it->first);
          spec = it->second;
          line = line_of(it->first);
        }
        if (name.empty()) continue;
        if (on_schedule) scheduled.insert(name);
        bool approval = spec.IsMap() && scalar(child(spec, "type")) == "approval";
        Activity activity;
        bool orb = !child(jobs, name.c_str()).IsDefined() && orb_hit(name, activity);
        if (!approval && !orb) continue;
        std::string shown = spec.IsMap() && child(spec, "name").IsScalar() ? scalar(child(spec, "name")) : name;
        if (!extra.count(shown)) extra_order.push_back(shown);
        Job& job = extra[shown];
        job.name = shown;
        job.line = line;
        if (approval) {
          job.gate = "is an approval (type: approval)";
          job.gate_line = line_of(child(spec, "type"));
        }
        if (orb) job.hits.push_back({activity, "orb job " + name, line});
      }
    }
  }
  if (jobs.IsMap()) {
    for (const auto& entry : jobs) {
      if (++visits > kMaxVisits) break;
      Job job;
      job.name = scalar(entry.first);
      job.line = line_of(entry.first);
      job.scheduled = scheduled.count(job.name) > 0;
      read_steps(child(entry.second, "steps"), text, job, visits);
      pipeline.jobs.push_back(std::move(job));
    }
  }
  for (const auto& name : extra_order) {
    extra[name].scheduled = scheduled.count(name) > 0;
    pipeline.jobs.push_back(std::move(extra[name]));
  }
  if (pipeline.jobs.empty()) return;
  emit_signals(pipeline, text, out);
}

void read_circleci(std::string_view path, std::string_view text, facts::FileFacts& out) {
  guarded(out, [&] { read_circleci_unguarded(path, text, out); });
}

}  // namespace mlaudit::ci
