// GitLab CI: every top-level key that is not a global keyword is a job; its `script`,
// `before_script` and `after_script` (and those of the hidden jobs it `extends`) are read.
// `only: [schedules]` or a rule on `$CI_PIPELINE_SOURCE == "schedule"` schedules a job (the
// schedules themselves live in the project's settings), `when: manual` gates it, `include:`s
// that are not local files and `trigger:`s of other projects hand work elsewhere.
#include <algorithm>
#include <set>

#include "analyzers/ci/ci_pipeline.hpp"
#include "analyzers/ci/ci_readers.hpp"
#include "analyzers/ci/ci_yaml.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::ci {
namespace {

const std::set<std::string> kGlobalKeys = {"image", "services", "stages", "types", "before_script", "after_script",
                                           "variables", "cache", "include", "workflow", "default", "spec"};

bool yaml_name(std::string_view name) {
  return (name.size() > 4 && name.substr(name.size() - 4) == ".yml") ||
         (name.size() > 5 && name.substr(name.size() - 5) == ".yaml");
}

bool mentions(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

// `only: [schedules]`, `only: {refs: [schedules]}`.
bool only_lists(const YAML::Node& only, const char* what) {
  YAML::Node refs = only.IsMap() ? child(only, "refs") : only;
  if (refs.IsScalar()) return refs.Scalar() == what;
  if (!refs.IsSequence()) return false;
  for (const auto& r : refs)
    if (scalar(r) == what) return true;
  return false;
}

// A rule that runs the job for a pipeline source: `if: $CI_PIPELINE_SOURCE == "schedule"`,
// unless the rule says `when: never`.
bool rule_runs_on(const YAML::Node& rules, const char* source) {
  if (!rules.IsSequence()) return false;
  for (const auto& rule : rules) {
    std::string condition = scalar(child(rule, "if"));
    if (!mentions(condition, "CI_PIPELINE_SOURCE") || !mentions(condition, "==")) continue;
    if (!mentions(condition, (std::string("\"") + source + "\"").c_str()) &&
        !mentions(condition, (std::string("'") + source + "'").c_str()))
      continue;
    if (scalar(child(rule, "when")) != "never") return true;
  }
  return false;
}

// `when: manual` on the job or in one of its rules: the line of the `when`.
bool manual_gate(const YAML::Node& job, uint32_t& line) {
  if (YAML::Node when = child(job, "when"); scalar(when) == "manual") { line = line_of(when); return true; }
  YAML::Node rules = child(job, "rules");
  if (!rules.IsSequence()) return false;
  for (const auto& rule : rules)
    if (YAML::Node when = child(rule, "when"); scalar(when) == "manual") { line = line_of(when); return true; }
  return false;
}

class Reader {
 public:
  Reader(const YAML::Node& doc, std::string_view text) : doc_(doc), text_(text) {}

  // Scripts of `job` and of the hidden jobs it extends (bounded: a cycle of `extends` stops).
  void scripts(const YAML::Node& job, Job& out, int depth = 0) {
    if (depth > 4 || !job.IsMap()) return;
    for (const char* key : {"before_script", "script", "after_script"}) {
      std::vector<std::pair<std::string, uint32_t>> lines;
      strings_of(child(job, key), text_, lines, visits_);
      for (const auto& [script, line] : lines) add_script(out, script, line);
    }
    YAML::Node extends = child(job, "extends");
    std::vector<std::pair<std::string, uint32_t>> parents;
    strings_of(extends, text_, parents, visits_);
    for (const auto& [parent, line] : parents) scripts(child(doc_, parent.c_str()), out, depth + 1);
  }

  size_t& visits() { return visits_; }

 private:
  const YAML::Node& doc_;
  std::string_view text_;
  size_t visits_ = 0;
};

// What an `include:` entry hands work to, "" when it is read here (a local CI file) or harmless.
std::string include_target(const YAML::Node& entry) {
  if (entry.IsScalar()) {
    std::string target = entry.Scalar();
    if (target.rfind("http", 0) == 0) return "includes " + target.substr(0, 120);
    return is_ci_path(target) ? "" : "includes " + target.substr(0, 120) + " (not read)";
  }
  if (!entry.IsMap()) return "";
  if (std::string local = scalar(child(entry, "local")); !local.empty())
    return is_ci_path(local) ? "" : "includes " + local.substr(0, 120) + " (not read)";
  for (const char* key : {"project", "remote", "component"})
    if (std::string target = scalar(child(entry, key)); !target.empty()) return "includes " + target.substr(0, 120);
  // GitLab's own templates: Auto DevOps builds, tests and deploys; the security scanners do not test.
  if (std::string name = scalar(child(entry, "template")); mentions(name, "Auto-DevOps")) return "includes " + name;
  return "";
}

}  // namespace

bool reads_gitlab_ci(std::string_view path) {
  std::string_view name = path_file_name(path);
  if (name == ".gitlab-ci.yml" || name == ".gitlab-ci.yaml") return true;
  if (name.size() > 14 && (name.substr(name.size() - 14) == ".gitlab-ci.yml")) return true;
  return yaml_name(name) && path_under(path, ".gitlab/ci");
}

static void read_gitlab_ci_unguarded(std::string_view path, std::string_view text, facts::FileFacts& out) {
  YAML::Node doc = load_document(text);
  if (!doc.IsMap()) return;
  Pipeline pipeline;
  pipeline.system = "GitLab CI pipeline";
  Reader reader(doc, text);
  for (const auto& entry : doc) {
    if (++reader.visits() > kMaxVisits) break;
    std::string key = scalar(entry.first);
    if (key == "stages") pipeline.line = line_of(entry.first);
    if (key == "include") {
      const YAML::Node& include = entry.second;
      if (include.IsSequence()) {
        for (const auto& item : include)
          if (auto what = include_target(item); !what.empty()) pipeline.opaque.emplace_back(what, line_of(item));
      } else if (auto what = include_target(include); !what.empty()) {
        pipeline.opaque.emplace_back(what, line_of(include));
      }
    }
    if (key.empty() || key[0] == '.' || kGlobalKeys.count(key) || !entry.second.IsMap()) continue;
    const YAML::Node& spec = entry.second;
    Job job;
    job.name = key;
    job.line = line_of(entry.first);
    reader.scripts(spec, job);
    YAML::Node only = child(spec, "only");
    YAML::Node rules = child(spec, "rules");
    job.scheduled = only_lists(only, "schedules") || rule_runs_on(rules, "schedule");
    if (only_lists(only, "triggers") || only_lists(only, "api") || rule_runs_on(rules, "trigger") ||
        rule_runs_on(rules, "api") || rule_runs_on(rules, "pipeline"))
      job.dispatched_by = "a pipeline trigger (API or another pipeline)";
    if (job.scheduled && pipeline.schedule.empty()) {
      pipeline.schedule = "pipeline schedules, set in the project's settings";
      pipeline.schedule_line = key_line(spec, only.IsDefined() ? "only" : "rules");
    }
    uint32_t gate_line = 0;
    if (manual_gate(spec, gate_line)) {
      job.gate = "is started by hand (when: manual)";
      job.gate_line = gate_line;
    }
    if (YAML::Node trigger = child(spec, "trigger"); trigger.IsDefined()) {
      std::string project = trigger.IsScalar() ? trigger.Scalar() : scalar(child(trigger, "project"));
      if (!project.empty()) job.opaque.emplace_back("triggers the pipeline of " + project.substr(0, 120), line_of(trigger));
      YAML::Node include = child(trigger, "include");
      if (include.IsSequence()) {
        for (const auto& item : include)
          if (auto what = include_target(item); !what.empty()) job.opaque.emplace_back(what, line_of(item));
      } else if (include.IsDefined()) {
        if (auto what = include_target(include); !what.empty()) job.opaque.emplace_back(what, line_of(include));
      }
    }
    pipeline.jobs.push_back(std::move(job));
  }
  if (pipeline.jobs.empty() && pipeline.opaque.empty()) return;  // only templates: read where they are used
  emit_signals(pipeline, text, out);
}

void read_gitlab_ci(std::string_view path, std::string_view text, facts::FileFacts& out) {
  guarded(out, [&] { read_gitlab_ci_unguarded(path, text, out); });
}

}  // namespace mlaudit::ci
