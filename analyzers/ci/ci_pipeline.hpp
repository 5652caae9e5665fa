// One CI configuration file as the CI readers see it (jobs, what their steps do, when they run,
// what gates them), and the signals it becomes. Every reader (GitHub Actions, GitLab CI, Azure
// Pipelines, CircleCI, Jenkinsfile) fills a Pipeline; emit_signals() turns it into the same
// signals for all of them, so the rubric never needs to know which CI system it was.
//
// Signals (facts::Signal ids; the detail never holds script text beyond a fixed label):
//   ci.config             one per CI file, at its `jobs:`/`stages:`/`pipeline` line (else the
//                         first line): "GitHub Actions workflow (on push, pull_request): 2 jobs";
//                         not for a composite action (it runs only as a step of a workflow)
//   ci.runs-tests         a job runs tests, at the step: "job test runs pytest"
//   ci.trains             a job trains a model: "job train runs python train.py" / "dvc repro"
//   ci.evaluates          a job evaluates a model or reports metrics: "job eval runs dvc metrics diff"
//   ci.deploys            a job deploys: "job deploy runs kubectl apply"
//   ci.publishes          a job publishes an image or model files: "job release runs docker push"
//   ci.scheduled          the pipeline or a job runs on a schedule, at the schedule: "on a
//                         schedule (cron 0 3 * * 1)"
//   ci.scheduled-training a job that trains runs on a schedule (continuous training), at the
//                         training step: "job train runs python train.py on a schedule"
//   ci.dispatch-training  a job that trains runs when another system asks for it
//                         (`repository_dispatch`, GitLab `trigger`/`api` pipelines): "job train
//                         runs python train.py on repository_dispatch"
//   ci.approval-gate      a manual gate before a job runs, at the gate: "job deploy waits for
//                         the environment gate production (its reviewers are set outside the
//                         repository)", "job deploy is started by hand (when: manual)", "stage
//                         Deploy waits for input", "job hold is an approval"
//   ci.opaque             a job hands its work to something mlaudit does not read (a reusable
//                         workflow of another repository, a remote include, a template file
//                         outside the CI folders): "job ci calls org/repo/.github/workflows/x.yml@v1"
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "analyzers/ci/ci_commands.hpp"
#include "analyzers/facts.hpp"

namespace mlaudit::ci {

struct Hit {
  Activity activity;
  std::string label;  // "pytest", "python train.py"
  uint32_t line = 0;  // 0-based line of the file
};

struct Job {
  std::string name;
  uint32_t line = 0;
  std::vector<Hit> hits;
  bool scheduled = false;        // runs on a schedule (the pipeline's or its own)
  std::string dispatched_by;     // "repository_dispatch", "" when not triggered from outside
  std::string gate;              // what gates it, as a detail's tail; "" when nothing
  uint32_t gate_line = 0;
  std::vector<std::pair<std::string, uint32_t>> opaque;  // what it hands work to, and where
};

struct Pipeline {
  std::string system;                 // "GitHub Actions workflow", "GitLab CI pipeline", ...
  bool config = true;                 // false: a part that runs only when a pipeline calls it
                                      // (a composite action): no ci.config of its own
  uint32_t line = 0;                  // where ci.config goes
  std::vector<std::string> triggers;  // "push", "pull_request", "schedule"
  std::string schedule;               // "cron 0 3 * * 1", "" when none
  uint32_t schedule_line = 0;
  std::vector<Job> jobs;
  std::vector<std::pair<std::string, uint32_t>> opaque;  // file-level: remote includes
};

// Adds the script's activities, with lines relative to `first_line` (the line the script's
// text starts on; a block scalar starts one line below its key).
void add_script(Job& job, std::string_view script, uint32_t first_line);

// The signals of `pipeline` into `out` (ranges from `text`'s lines).
void emit_signals(const Pipeline& pipeline, std::string_view text, facts::FileFacts& out);

}  // namespace mlaudit::ci
