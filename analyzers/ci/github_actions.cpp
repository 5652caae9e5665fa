// GitHub Actions workflows: `on:` (triggers, `schedule` crons), `jobs.<id>.steps[].run`
// scripts, a few well-known deploy/publish actions, `environment:` gates, reusable workflows.
#include <algorithm>
#include <cctype>

#include "analyzers/ci/ci_pipeline.hpp"
#include "analyzers/ci/ci_readers.hpp"
#include "analyzers/ci/ci_yaml.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::ci {
namespace {

bool yaml_name(std::string_view path) {
  std::string_view name = path_file_name(path);
  return (name.size() > 4 && name.substr(name.size() - 4) == ".yml") ||
         (name.size() > 5 && name.substr(name.size() - 5) == ".yaml");
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Actions that deploy, publish or report model metrics, by `owner/name` (the ref dropped).
bool action_hit(const std::string& uses, const YAML::Node& step, Activity& activity) {
  static const std::vector<std::string> deploys = {
      "azure/k8s-deploy", "azure/webapps-deploy", "azure/arm-deploy", "azure/functions-action",
      "google-github-actions/deploy-cloudrun", "google-github-actions/deploy-appengine",
      "google-github-actions/deploy-cloud-functions", "aws-actions/amazon-ecs-deploy-task-definition",
      "aws-actions/aws-cloudformation-github-deploy"};
  if (std::find(deploys.begin(), deploys.end(), uses) != deploys.end()) { activity = Activity::Deploys; return true; }
  if (uses == "iterative/setup-cml") { activity = Activity::Evaluates; return true; }
  if (uses == "docker/build-push-action") {
    std::string push = lower(scalar(child(child(step, "with"), "push")));
    if (push == "true") { activity = Activity::Publishes; return true; }
  }
  return false;
}

void read_steps(const YAML::Node& steps, std::string_view text, Job& job, size_t& visits) {
  if (!steps.IsDefined() || !steps.IsSequence()) return;
  for (const auto& step : steps) {
    if (++visits > kMaxVisits) return;
    if (!step.IsMap()) continue;
    YAML::Node run = child(step, "run");
    if (run.IsDefined() && run.IsScalar()) add_script(job, run.Scalar(), text_line(run, text));
    YAML::Node uses_node = child(step, "uses");
    std::string uses = scalar(uses_node);
    if (uses.empty()) continue;
    std::string action = lower(uses.substr(0, uses.find('@')));
    Activity activity;
    if (action_hit(action, step, activity)) {
      job.hits.push_back({activity, action, line_of(uses_node)});
    } else if (action.rfind("./", 0) == 0 && classify_name(path_file_name(action), activity)) {
      job.hits.push_back({activity, "action " + action, line_of(uses_node)});  // ./.github/actions/run-tests
    }
  }
}

}  // namespace

bool reads_github_actions(std::string_view path) {
  if (path_in_folder(path, ".github/workflows") && yaml_name(path)) return true;
  std::string_view name = path_file_name(path);
  return (name == "action.yml" || name == "action.yaml") && path_under(path, ".github/actions");
}

// A local composite action (.github/actions/<name>/action.yml): its `runs.steps` run as steps of
// the workflows that use it, so what they do counts, but it is no pipeline of its own.
static void read_composite_action(std::string_view path, const YAML::Node& doc, std::string_view text, facts::FileFacts& out) {
  YAML::Node runs = child(doc, "runs");
  if (scalar(child(runs, "using")) != "composite") return;
  Pipeline pipeline;
  pipeline.system = "GitHub composite action";
  pipeline.config = false;
  Job job;
  std::string_view dir = path.substr(0, path.size() - path_file_name(path).size());
  if (!dir.empty()) dir.remove_suffix(1);
  job.name = "(action " + std::string(path_file_name(dir)) + ")";
  job.line = line_of(runs);
  size_t visits = 0;
  read_steps(child(runs, "steps"), text, job, visits);
  pipeline.jobs.push_back(std::move(job));
  emit_signals(pipeline, text, out);
}

static void read_github_actions_unguarded(std::string_view path, std::string_view text, facts::FileFacts& out) {
  YAML::Node doc = load_document(text);
  if (!doc.IsMap()) return;  // not a workflow (an empty file): nothing to say
  if (!path_in_folder(path, ".github/workflows")) return read_composite_action(path, doc, text, out);
  Pipeline pipeline;
  pipeline.system = "GitHub Actions workflow";
  size_t visits = 0;
  YAML::Node jobs;
  for (const auto& entry : doc) {
    std::string key = scalar(entry.first);
    if (key == "jobs") {
      jobs = entry.second;
      pipeline.line = line_of(entry.first);
    } else if (key == "on" || key == "true") {  // YAML 1.1 readers turn `on` into true; keep both
      const YAML::Node& on = entry.second;
      if (on.IsScalar()) pipeline.triggers.push_back(on.Scalar());
      if (on.IsSequence())
        for (const auto& t : on) if (t.IsScalar()) pipeline.triggers.push_back(t.Scalar());
      if (on.IsMap())
        for (const auto& t : on) {
          std::string trigger = scalar(t.first);
          pipeline.triggers.push_back(trigger);
          if (trigger != "schedule" || !t.second.IsSequence()) continue;
          for (const auto& cron : t.second) {
            std::string expression = scalar(child(cron, "cron"));
            if (expression.empty() || !pipeline.schedule.empty()) continue;
            pipeline.schedule = "cron " + expression;
            pipeline.schedule_line = line_of(t.first);  // the `schedule:` trigger
          }
        }
    }
  }
  if (!jobs.IsDefined() || !jobs.IsMap()) return;  // a workflow without jobs (or not one at all)
  bool scheduled = std::find(pipeline.triggers.begin(), pipeline.triggers.end(), "schedule") != pipeline.triggers.end();
  bool dispatched =
      std::find(pipeline.triggers.begin(), pipeline.triggers.end(), "repository_dispatch") != pipeline.triggers.end();
  for (const auto& entry : jobs) {
    if (++visits > kMaxVisits) break;
    Job job;
    job.name = scalar(entry.first);
    job.line = line_of(entry.first);
    job.scheduled = scheduled;
    if (dispatched) job.dispatched_by = "repository_dispatch";
    const YAML::Node& spec = entry.second;
    if (!spec.IsMap()) continue;
    if (YAML::Node env = child(spec, "environment"); env.IsDefined()) {
      std::string name = env.IsMap() ? scalar(child(env, "name")) : scalar(env);
      if (!name.empty()) {
        job.gate = "waits for the environment gate " + name + " (its reviewers are set outside the repository)";
        job.gate_line = key_line(spec, "environment");
      }
    }
    if (YAML::Node uses = child(spec, "uses"); uses.IsDefined() && uses.IsScalar()) {
      // A reusable workflow: a local one is a workflow file of its own (read there).
      std::string target = uses.Scalar();
      Activity activity;
      if (target.rfind("./", 0) != 0) {
        std::string file(path_file_name(target.substr(0, target.find('@'))));
        if (classify_name(file, activity)) job.hits.push_back({activity, "reusable workflow " + file, line_of(uses)});
        else job.opaque.emplace_back("calls the reusable workflow " + target.substr(0, 120), line_of(uses));
      }
    }
    read_steps(child(spec, "steps"), text, job, visits);
    pipeline.jobs.push_back(std::move(job));
  }
  emit_signals(pipeline, text, out);
}

void read_github_actions(std::string_view path, std::string_view text, facts::FileFacts& out) {
  guarded(out, [&] { read_github_actions_unguarded(path, text, out); });
}

}  // namespace mlaudit::ci
