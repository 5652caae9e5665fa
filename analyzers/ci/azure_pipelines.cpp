// Azure Pipelines: `stages[].jobs[]`, `jobs[]` or top-level `steps[]`; a job's scripts
// (`script`, `bash`, `pwsh`, `powershell`, and the script inputs of the common tasks) are
// collected wherever they sit in it (deployment strategies nest them: runOnce.deploy.steps).
// `schedules:` schedule every job; deployment jobs' `environment:` and the ManualValidation
// task are gates; `template:` files that are not read here hand work elsewhere.
#include <algorithm>
#include <cctype>

#include "analyzers/ci/ci_pipeline.hpp"
#include "analyzers/ci/ci_readers.hpp"
#include "analyzers/ci/ci_yaml.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::ci {
namespace {

bool yaml_name(std::string_view name) {
  return (name.size() > 4 && name.substr(name.size() - 4) == ".yml") ||
         (name.size() > 5 && name.substr(name.size() - 5) == ".yaml");
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  size_t visits = 0;

  // Scripts, tasks, templates and gates anywhere inside one job.
  void collect(const YAML::Node& node, Job& job, int depth = 0) {
    if (!node.IsDefined() || ++visits > kMaxVisits || depth > 16) return;
    if (node.IsSequence()) {
      for (const auto& item : node) collect(item, job, depth + 1);
      return;
    }
    if (!node.IsMap()) return;
    for (const char* key : {"script", "bash", "pwsh", "powershell"})
      if (YAML::Node s = child(node, key); s.IsDefined() && s.IsScalar()) add_script(job, s.Scalar(), text_line(s, text_));
    if (YAML::Node task = child(node, "task"); task.IsScalar()) this->task(node, task, job);
    if (YAML::Node tmpl = child(node, "template"); tmpl.IsScalar()) template_ref(tmpl, job);
    for (const auto& entry : node) {
      std::string key = scalar(entry.first);
      if (key == "script" || key == "bash" || key == "pwsh" || key == "powershell" || key == "task" || key == "inputs")
        continue;
      collect(entry.second, job, depth + 1);
    }
  }

  void template_ref(const YAML::Node& tmpl, Job& job) {
    std::string file = tmpl.Scalar();
    std::string local = file.substr(0, file.find('@'));
    // `x.yml@other-repo` lives in another repository; a local file is read if it is one of ours.
    if (file.find('@') != std::string::npos || !is_ci_path(local))
      job.opaque.emplace_back("uses the template " + file.substr(0, 120) + " (not read)", line_of(tmpl));
  }

 private:
  void task(const YAML::Node& step, const YAML::Node& task, Job& job) {
    std::string name = lower(task.Scalar().substr(0, task.Scalar().find('@')));
    YAML::Node inputs = child(step, "inputs");
    uint32_t line = line_of(task);
    auto input = [&](const char* key) { return scalar(child(inputs, key)); };
    if (name == "manualvalidation" || name == "manualintervention") {
      if (job.gate.empty()) {
        job.gate = "waits for a manual validation (" + task.Scalar() + ")";
        job.gate_line = line;
      }
      return;
    }
    if (name == "vstest") return job.hits.push_back({Activity::Tests, "VSTest task", line});
    if (name == "dotnetcorecli" && lower(input("command")) == "test")
      return job.hits.push_back({Activity::Tests, "dotnet test", line});
    if (name == "kubernetesmanifest" && lower(input("action")) == "deploy")
      return job.hits.push_back({Activity::Deploys, "KubernetesManifest deploy", line});
    if (name == "helmdeploy" && (lower(input("command")) == "upgrade" || lower(input("command")) == "install"))
      return job.hits.push_back({Activity::Deploys, "helm " + lower(input("command")), line});
    if (name == "azurewebapp" || name == "azurermwebappdeployment" || name == "azurefunctionapp" ||
        name == "azurecontainerapps")
      return job.hits.push_back({Activity::Deploys, task.Scalar(), line});
    if (name == "docker" && (lower(input("command")) == "push" || lower(input("command")) == "buildandpush"))
      return job.hits.push_back({Activity::Publishes, "docker push", line});
    // Script tasks: their inline script, or the script file by name.
    for (const char* key : {"script", "inlineScript"})
      if (YAML::Node s = child(inputs, key); s.IsScalar()) add_script(job, s.Scalar(), text_line(s, text_));
    for (const char* key : {"scriptPath", "filePath"}) {
      std::string file = input(key);
      Activity activity;
      if (!file.empty() && classify_name(path_file_name(file), activity))
        job.hits.push_back({activity, file.substr(0, 80), line});
    }
  }

  std::string_view text_;
};

Job job_of(const YAML::Node& spec, Reader& reader, bool scheduled) {
  Job job;
  for (const char* key : {"job", "deployment"})
    if (YAML::Node name = child(spec, key); name.IsScalar()) {
      job.name = name.Scalar();
      job.line = line_of(name);
    }
  if (job.name.empty()) job.name = "(unnamed)";
  job.scheduled = scheduled;
  if (YAML::Node env = child(spec, "environment"); env.IsDefined() && child(spec, "deployment").IsDefined()) {
    std::string name = env.IsMap() ? scalar(child(env, "name")) : scalar(env);
    if (!name.empty()) {
      job.gate = "waits for the environment gate " + name + " (its approvals and checks are set outside the repository)";
      job.gate_line = key_line(spec, "environment");
    }
  }
  reader.collect(child(spec, "steps"), job);
  reader.collect(child(spec, "strategy"), job);
  return job;
}

void jobs_of(const YAML::Node& jobs, Reader& reader, bool scheduled, Pipeline& pipeline) {
  if (!jobs.IsSequence()) return;
  for (const auto& spec : jobs) {
    if (++reader.visits > kMaxVisits) return;
    if (YAML::Node tmpl = child(spec, "template"); tmpl.IsScalar()) {
      Job job;
      job.name = "template " + tmpl.Scalar().substr(0, 80);
      job.line = line_of(tmpl);
      reader.template_ref(tmpl, job);
      if (!job.opaque.empty()) pipeline.opaque.push_back(job.opaque.front());
      continue;
    }
    pipeline.jobs.push_back(job_of(spec, reader, scheduled));
  }
}

}  // namespace

bool reads_azure_pipelines(std::string_view path) {
  std::string_view name = path_file_name(path);
  if (!yaml_name(name)) return false;
  if (name.rfind("azure-pipelines", 0) == 0) return true;
  return path_under(path, ".azure-pipelines") || path_under(path, ".azuredevops");
}

static void read_azure_pipelines_unguarded(std::string_view path, std::string_view text, facts::FileFacts& out) {
  YAML::Node doc = load_document(text);
  if (!doc.IsMap()) return;
  Pipeline pipeline;
  pipeline.system = "Azure Pipelines pipeline";
  Reader reader(text);
  YAML::Node stages, jobs, steps;
  for (const auto& entry : doc) {
    std::string key = scalar(entry.first);
    if (key == "stages" || key == "jobs" || key == "steps") {
      pipeline.line = line_of(entry.first);
      (key == "stages" ? stages : key == "jobs" ? jobs : steps) = entry.second;
    } else if (key == "trigger" && scalar(entry.second) != "none") {
      pipeline.triggers.push_back("push");
    } else if (key == "pr" && scalar(entry.second) != "none") {
      pipeline.triggers.push_back("pull request");
    } else if (key == "schedules" && entry.second.IsSequence()) {
      for (const auto& s : entry.second) {
        std::string cron = scalar(child(s, "cron"));
        if (cron.empty() || !pipeline.schedule.empty()) continue;
        pipeline.schedule = "cron " + cron;
        pipeline.schedule_line = line_of(s);
        pipeline.triggers.push_back("schedule");
      }
    } else if (key == "extends") {
      if (YAML::Node tmpl = child(entry.second, "template"); tmpl.IsScalar()) {
        Job holder;
        reader.template_ref(tmpl, holder);
        for (auto& o : holder.opaque) pipeline.opaque.push_back(std::move(o));
      }
    }
  }
  bool scheduled = !pipeline.schedule.empty();
  if (stages.IsSequence()) {
    for (const auto& stage : stages) {
      if (YAML::Node tmpl = child(stage, "template"); tmpl.IsScalar()) {
        Job holder;
        reader.template_ref(tmpl, holder);
        for (auto& o : holder.opaque) pipeline.opaque.push_back(std::move(o));
        continue;
      }
      jobs_of(child(stage, "jobs"), reader, scheduled, pipeline);
    }
  }
  jobs_of(jobs, reader, scheduled, pipeline);
  if (steps.IsSequence()) {
    Job job;
    job.name = "(pipeline)";
    job.line = pipeline.line;
    job.scheduled = scheduled;
    reader.collect(steps, job);
    pipeline.jobs.push_back(std::move(job));
  }
  if (pipeline.jobs.empty() && pipeline.opaque.empty()) return;  // a template of steps: read where used
  emit_signals(pipeline, text, out);
}

void read_azure_pipelines(std::string_view path, std::string_view text, facts::FileFacts& out) {
  guarded(out, [&] { read_azure_pipelines_unguarded(path, text, out); });
}

}  // namespace mlaudit::ci
