// The CI readers (analyzers/ci) through the real analyzer (analyze_text): which files they
// claim, the signals each CI system's file becomes (what jobs run, schedules, gates), and a
// malformed file becoming a malformed-file finding instead of a silent skip.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <string>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "analyzers/ci/ci_readers.hpp"
#include "analyzers/signal_readers.hpp"

namespace {

using namespace mlaudit;

// "id @line: detail" for each signal (1-based lines, as an editor shows them).
std::vector<std::string> signals(const std::string& path, const std::string& text) {
  auto facts = analyze_text(path, text);
  std::vector<std::string> out;
  for (const auto& s : facts.signals)
    out.push_back(s.id + " @" + std::to_string(s.range.start.line + 1) + ": " + s.detail);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& entry) {
  bool found = std::find(list.begin(), list.end(), entry) != list.end();
  if (!found) {
    std::string all;
    for (const auto& e : list) all += "\n  " + e;
    MESSAGE("missing: " << entry << "\nhave:" << all);
  }
  return found;
}

bool has_id(const std::vector<std::string>& list, const std::string& id) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& e) { return e.rfind(id + " @", 0) == 0; });
}

}  // namespace

TEST_CASE("ci readers claim their files by name and folder only") {
  CHECK(ci::reads_github_actions("/ws/.github/workflows/ci.yml"));
  CHECK(ci::reads_github_actions(".github/workflows/release.yaml"));
  CHECK_FALSE(ci::reads_github_actions("/ws/.github/workflows/README.md"));
  CHECK_FALSE(ci::reads_github_actions("/ws/.github/dependabot.yml"));
  CHECK(ci::reads_gitlab_ci("/ws/.gitlab-ci.yml"));
  CHECK(ci::reads_gitlab_ci("/ws/ci/train.gitlab-ci.yml"));
  CHECK(ci::reads_gitlab_ci("/ws/.gitlab/ci/test.yml"));
  CHECK_FALSE(ci::reads_gitlab_ci("/ws/gitlab-ci.txt"));
  CHECK(ci::reads_azure_pipelines("/ws/azure-pipelines.yml"));
  CHECK(ci::reads_azure_pipelines("/ws/.azure-pipelines/train.yml"));
  CHECK_FALSE(ci::reads_azure_pipelines("/ws/pipelines/train.yml"));
  CHECK(ci::reads_circleci("/ws/.circleci/config.yml"));
  CHECK_FALSE(ci::reads_circleci("/ws/config.yml"));
  CHECK(ci::reads_jenkinsfile("/ws/Jenkinsfile"));
  CHECK(ci::reads_jenkinsfile("/ws/ci/train.Jenkinsfile"));
  CHECK_FALSE(ci::reads_jenkinsfile("/ws/jenkins.py"));
  CHECK(classify_path("/ws/Jenkinsfile") == facts::FileKind::Text);
  CHECK(classify_path("/ws/.github/workflows/ci.yml") == facts::FileKind::Config);
}

TEST_CASE("GitHub Actions: jobs, what they run, schedule, environment gate") {
  const std::string workflow =
      "name: ml\n"                                       // 1
      "on:\n"                                            // 2
      "  push: {branches: [main]}\n"                     // 3
      "  pull_request:\n"                                // 4
      "  schedule:\n"                                    // 5
      "    - cron: \"0 3 * * 1\"\n"                      // 6
      "jobs:\n"                                          // 7
      "  test:\n"                                        // 8
      "    runs-on: ubuntu-latest\n"                     // 9
      "    steps:\n"                                     // 10
      "      - uses: actions/checkout@v4\n"              // 11
      "      - run: pip install -r requirements.txt pytest\n"  // 12
      "      - run: |\n"                                 // 13
      "          ruff check .\n"                         // 14
      "          python -m pytest -q tests\n"            // 15
      "  train:\n"                                       // 16
      "    needs: test\n"                                // 17
      "    steps:\n"                                     // 18
      "      - run: dvc pull && dvc repro\n"             // 19
      "      - run: dvc metrics diff --md main > report.md\n"  // 20
      "  deploy:\n"                                      // 21
      "    environment:\n"                               // 22
      "      name: production\n"                         // 23
      "    steps:\n"                                     // 24
      "      - uses: docker/build-push-action@v6\n"      // 25
      "        with: {push: true, tags: r/x:1}\n"        // 26
      "      - run: helm upgrade --install churn chart/\n";  // 27
  auto got = signals("/ws/.github/workflows/ml.yml", workflow);
  CHECK(has(got, "ci.config @7: GitHub Actions workflow (on push, pull_request, schedule): 3 jobs"));
  CHECK(has(got, "ci.scheduled @5: on a schedule (cron 0 3 * * 1)"));
  CHECK(has(got, "ci.runs-tests @15: job test runs python -m pytest"));
  CHECK(has(got, "ci.trains @19: job train runs dvc repro"));
  CHECK(has(got, "ci.scheduled-training @19: job train runs dvc repro on a schedule"));
  CHECK(has(got, "ci.evaluates @20: job train runs dvc metrics diff"));
  CHECK(has(got, "ci.publishes @25: job deploy runs docker/build-push-action"));
  CHECK(has(got, "ci.deploys @27: job deploy runs helm upgrade"));
  CHECK(has(got, "ci.approval-gate @22: job deploy waits for the environment gate production (its reviewers are set "
                 "outside the repository)"));
  CHECK_FALSE(has_id(got, "ci.opaque"));
}

TEST_CASE("GitHub Actions: a lint-only workflow runs nothing of note; reusable workflows") {
  auto lint = signals("/ws/.github/workflows/lint.yml",
                      "on: [push]\njobs:\n  lint:\n    steps:\n      - run: pip install ruff pytest\n"
                      "      - run: ruff check . && mypy src\n");
  CHECK(lint == std::vector<std::string>{"ci.config @2: GitHub Actions workflow (on push): 1 job"});

  auto reusable = signals("/ws/.github/workflows/ci.yml",
                          "on: push\njobs:\n  tests:\n    uses: org/shared/.github/workflows/python-tests.yml@v2\n"
                          "  other:\n    uses: org/shared/.github/workflows/build.yml@v2\n"
                          "  local:\n    uses: ./.github/workflows/train.yml\n");
  CHECK(has(reusable, "ci.runs-tests @4: job tests runs reusable workflow python-tests.yml"));
  CHECK(has(reusable, "ci.opaque @6: job other calls the reusable workflow org/shared/.github/workflows/build.yml@v2"));
  CHECK_FALSE(has_id(reusable, "ci.trains"));  // the local workflow is read in its own file

  auto dispatched = signals("/ws/.github/workflows/retrain.yml",
                            "on:\n  repository_dispatch:\n    types: [drift]\njobs:\n  retrain:\n    steps:\n"
                            "      - run: python train.py\n");
  CHECK(has(dispatched, "ci.dispatch-training @7: job retrain runs python train.py on repository_dispatch"));
  CHECK_FALSE(has_id(dispatched, "ci.scheduled-training"));

  // A local composite action: its steps count, but it is no pipeline (no ci.config).
  auto action = signals("/ws/.github/actions/checks/action.yml",
                        "name: checks\nruns:\n  using: composite\n  steps:\n    - run: python -m pytest\n      shell: bash\n");
  CHECK(action == std::vector<std::string>{"ci.runs-tests @5: job (action checks) runs python -m pytest"});
  CHECK(signals("/ws/.github/actions/node/action.yml", "runs:\n  using: node20\n  main: index.js\n").empty());
  CHECK_FALSE(ci::reads_github_actions("/ws/.github/actions/checks/README.md"));

  // Not a workflow at all, or no jobs: nothing (and no crash).
  CHECK(signals("/ws/.github/workflows/empty.yml", "").empty());
  CHECK(signals("/ws/.github/workflows/list.yml", "- a\n- b\n").empty());
  CHECK(signals("/ws/.github/workflows/nojobs.yml", "on: push\njobs: 3\n").empty());
}

TEST_CASE("GitLab CI: scripts, extends, schedules, manual gates, includes") {
  const std::string pipeline =
      "stages: [test, train, deploy]\n"                              // 1
      ".py:\n"                                                       // 2
      "  before_script: [pip install -r requirements.txt]\n"         // 3
      "unit:\n"                                                      // 4
      "  extends: .py\n"                                             // 5
      "  script:\n"                                                  // 6
      "    - pytest tests/\n"                                        // 7
      "train:\n"                                                     // 8
      "  script: python -m src.train\n"                              // 9
      "  rules:\n"                                                   // 10
      "    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n"              // 11
      "deploy:\n"                                                    // 12
      "  script: [kubectl apply -f k8s/]\n"                          // 13
      "  when: manual\n"                                             // 14
      "nightly-lint:\n"                                              // 15
      "  script: ruff check .\n"                                     // 16
      "  rules:\n"                                                   // 17
      "    - if: '$CI_PIPELINE_SOURCE == \"schedule\"'\n"            // 18
      "      when: never\n"                                          // 19
      "include:\n"                                                   // 20
      "  - template: Security/SAST.gitlab-ci.yml\n"                  // 21
      "  - project: org/ci-templates\n"                              // 22
      "    file: python.yml\n";                                      // 23
  auto got = signals("/ws/.gitlab-ci.yml", pipeline);
  CHECK(has(got, "ci.config @1: GitLab CI pipeline: 4 jobs"));
  CHECK(has(got, "ci.runs-tests @7: job unit runs pytest"));
  CHECK(has(got, "ci.trains @9: job train runs python -m src.train"));
  CHECK(has(got, "ci.scheduled-training @9: job train runs python -m src.train on a schedule"));
  CHECK(has(got, "ci.scheduled @10: on a schedule (pipeline schedules, set in the project's settings)"));
  CHECK(has(got, "ci.deploys @13: job deploy runs kubectl apply"));
  CHECK(has(got, "ci.approval-gate @14: job deploy is started by hand (when: manual)"));
  CHECK(has(got, "ci.opaque @22: includes org/ci-templates"));
  CHECK(std::count_if(got.begin(), got.end(), [](const std::string& s) { return s.rfind("ci.opaque", 0) == 0; }) == 1);

  // A file of hidden jobs only (templates for other files): nothing to say.
  CHECK(signals("/ws/.gitlab/ci/templates.yml", ".base:\n  script: pytest\n").empty());
}

TEST_CASE("Azure Pipelines: stages, deployment jobs, tasks, schedules, ManualValidation") {
  const std::string pipeline =
      "trigger: [main]\n"                                            // 1
      "schedules:\n"                                                 // 2
      "  - cron: \"0 2 * * *\"\n"                                    // 3
      "    branches: {include: [main]}\n"                            // 4
      "stages:\n"                                                    // 5
      "  - stage: Build\n"                                           // 6
      "    jobs:\n"                                                  // 7
      "      - job: Test\n"                                          // 8
      "        steps:\n"                                             // 9
      "          - script: python -m pytest --junitxml=out.xml\n"    // 10
      "          - task: PythonScript@0\n"                           // 11
      "            inputs: {scriptSource: filePath, scriptPath: src/train.py}\n"  // 12
      "  - stage: Release\n"                                         // 13
      "    jobs:\n"                                                  // 14
      "      - job: Approve\n"                                       // 15
      "        pool: server\n"                                       // 16
      "        steps:\n"                                             // 17
      "          - task: ManualValidation@0\n"                       // 18
      "      - deployment: Deploy\n"                                 // 19
      "        environment: prod-ml\n"                               // 20
      "        strategy:\n"                                          // 21
      "          runOnce:\n"                                         // 22
      "            deploy:\n"                                        // 23
      "              steps:\n"                                       // 24
      "                - bash: az ml online-deployment update -f d.yml\n"  // 25
      "                - template: steps/smoke.yml@templates\n";     // 26
  auto got = signals("/ws/azure-pipelines.yml", pipeline);
  CHECK(has(got, "ci.config @5: Azure Pipelines pipeline (on push, schedule): 3 jobs"));
  CHECK(has(got, "ci.scheduled @3: on a schedule (cron 0 2 * * *)"));
  CHECK(has(got, "ci.runs-tests @10: job Test runs python -m pytest"));
  CHECK(has(got, "ci.trains @11: job Test runs src/train.py"));
  CHECK(has(got, "ci.scheduled-training @11: job Test runs src/train.py on a schedule"));
  CHECK(has(got, "ci.approval-gate @18: job Approve waits for a manual validation (ManualValidation@0)"));
  CHECK(has(got, "ci.approval-gate @20: job Deploy waits for the environment gate prod-ml (its approvals and checks are "
                 "set outside the repository)"));
  CHECK(has(got, "ci.deploys @25: job Deploy runs az ml online-deployment update"));
  CHECK(has(got, "ci.opaque @26: job Deploy uses the template steps/smoke.yml@templates (not read)"));

  // A pipeline of top-level steps is one job.
  auto simple = signals("/ws/azure-pipelines.yml", "steps:\n  - script: tox -e py311\n");
  CHECK(has(simple, "ci.runs-tests @2: job (pipeline) runs tox"));
}

TEST_CASE("CircleCI: jobs, orb commands, scheduled workflows, approval holds") {
  const std::string config =
      "version: 2.1\n"                                               // 1
      "orbs: {python: circleci/python@2}\n"                          // 2
      "jobs:\n"                                                      // 3
      "  train:\n"                                                   // 4
      "    docker: [{image: cimg/python:3.11}]\n"                    // 5
      "    steps:\n"                                                 // 6
      "      - checkout\n"                                           // 7
      "      - run:\n"                                               // 8
      "          name: train\n"                                      // 9
      "          command: python scripts/train.py\n"                 // 10
      "  lint:\n"                                                    // 11
      "    steps: [checkout, {run: ruff check .}]\n"                 // 12
      "workflows:\n"                                                 // 13
      "  nightly:\n"                                                 // 14
      "    triggers:\n"                                              // 15
      "      - schedule: {cron: \"0 0 * * *\", filters: {branches: {only: [main]}}}\n"  // 16
      "    jobs: [train]\n"                                          // 17
      "  main:\n"                                                    // 18
      "    jobs:\n"                                                  // 19
      "      - python/test\n"                                        // 20
      "      - hold:\n"                                              // 21
      "          type: approval\n"                                   // 22
      "      - lint\n";                                              // 23
  auto got = signals("/ws/.circleci/config.yml", config);
  CHECK(has(got, "ci.config @3: CircleCI pipeline (on schedule): 4 jobs"));
  CHECK(has(got, "ci.trains @10: job train runs python scripts/train.py"));
  CHECK(has(got, "ci.scheduled-training @10: job train runs python scripts/train.py on a schedule"));
  CHECK(has(got, "ci.runs-tests @20: job python/test runs orb job python/test"));
  CHECK(has(got, "ci.approval-gate @22: job hold is an approval (type: approval)"));
}

TEST_CASE("Jenkinsfile: stages, sh steps in every quoting, input gates, cron triggers") {
  const std::string jenkinsfile =
      "pipeline {\n"                                                 // 1
      "  agent any\n"                                                // 2
      "  triggers { cron('H 4 * * 1-5') }\n"                         // 3
      "  stages {\n"                                                 // 4
      "    stage('Test') {\n"                                        // 5
      "      steps {\n"                                              // 6
      "        // sh 'pytest --old'\n"                               // 7
      "        sh 'pip install -r requirements.txt'\n"               // 8
      "        sh(script: \"python -m pytest -q\", label: 'tests')\n"  // 9
      "      }\n"                                                    // 10
      "    }\n"                                                      // 11
      "    stage('Train') {\n"                                       // 12
      "      steps {\n"                                              // 13
      "        sh '''\n"                                             // 14
      "          dvc pull\n"                                         // 15
      "          python train.py --config conf.yaml\n"               // 16
      "        '''\n"                                                // 17
      "      }\n"                                                    // 18
      "    }\n"                                                      // 19
      "    stage('Deploy') {\n"                                      // 20
      "      steps {\n"                                              // 21
      "        input message: 'Deploy to production?'\n"             // 22
      "        sh \"kubectl apply -f k8s/${env.BUILD_ID}.yaml\"\n"   // 23
      "      }\n"                                                    // 24
      "    }\n"                                                      // 25
      "  }\n"                                                        // 26
      "}\n";                                                         // 27
  auto facts = analyze_text("/ws/Jenkinsfile", jenkinsfile);
  CHECK(facts.kind == facts::FileKind::Text);
  auto got = signals("/ws/Jenkinsfile", jenkinsfile);
  CHECK(has(got, "ci.config @1: Jenkins pipeline (on schedule): 3 jobs"));
  CHECK(has(got, "ci.scheduled @3: on a schedule (cron H 4 * * 1-5)"));
  CHECK(has(got, "ci.runs-tests @9: job Test runs python -m pytest"));
  CHECK(has(got, "ci.trains @16: job Train runs python train.py"));
  CHECK(has(got, "ci.scheduled-training @16: job Train runs python train.py on a schedule"));
  CHECK(has(got, "ci.approval-gate @22: job Deploy waits for input (a manual approval)"));
  CHECK(has(got, "ci.deploys @23: job Deploy runs kubectl apply"));
  CHECK(std::count_if(got.begin(), got.end(), [](const std::string& s) { return s.rfind("ci.runs-tests", 0) == 0; }) == 1);

  // An unterminated string or a file that is no pipeline: whatever is read, and no crash.
  auto broken = signals("/ws/Jenkinsfile", "stage('x') { sh '''pytest\n");
  CHECK(has(broken, "ci.config @1: Jenkins pipeline: 1 job"));
  CHECK_FALSE(has_id(broken, "ci.runs-tests"));
}

TEST_CASE("CI files that make yaml-cpp's LoadAll loop forever are read and end; later documents keep their lines") {
  // yaml-cpp 0.7's LoadAll never returns on `&,` (found by fuzz_yaml_configs after 38 s); the CI
  // readers load one document at a time (analyzers/yaml_documents.hpp). A hang here is a failure,
  // not a stuck test run.
  for (const char* path : {"/ws/.gitlab-ci.yml", "/ws/.github/workflows/ci.yml", "/ws/azure-pipelines.yml", "/ws/.circleci/config.yml"})
    for (const char* text : {"&,", ",", "&a ,\n", "--- &x\n,\n", "jobs: {}\n---\n&,\n"}) {
      CAPTURE(path);
      CAPTURE(text);
      auto run = std::async(std::launch::async, [&] { return analyze_text(path, text); });
      if (run.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
        std::cerr << "analyze_text(" << path << ") did not end within 30 s: the LoadAll loop is back\n";
        std::abort();
      }
      auto facts = run.get();
      CHECK(facts.signals.empty());
    }
  // A workflow after a comment-only document: its signals are at the file's lines.
  auto got = signals("/ws/.github/workflows/ci.yml",
                     "# generated\n"           // 1
                     "---\n"                   // 2
                     "on: push\n"              // 3
                     "jobs:\n"                 // 4
                     "  test:\n"               // 5
                     "    steps:\n"            // 6
                     "      - run: |\n"        // 7
                     "          pytest -q\n");  // 8
  CHECK(has(got, "ci.runs-tests @8: job test runs pytest"));
  CHECK(has(got, "ci.config @4: GitHub Actions workflow (on push): 1 job"));
}

TEST_CASE("a malformed CI file is a parse error at its line, not a skip; other YAML keeps its skip") {
  auto broken = analyze_text("/ws/.github/workflows/ci.yml", "on: push\njobs:\n  test:\n    steps: [\n      - run: pytest\n");
  CHECK(broken.skipped.reason.empty());
  REQUIRE(broken.parse_errors.size() == 1);
  CHECK(broken.parse_errors[0].message.find("invalid YAML") != std::string::npos);
  CHECK(broken.parse_errors[0].range.start.line >= 3);
  CHECK(broken.signals.empty());  // no reader runs on it

  // A Helm template under a CI folder stays "not analysable by design".
  auto templated = analyze_text("/ws/.gitlab/ci/deploy.yml", "deploy:\n  script: {{ .Values.x }\n");
  CHECK(templated.parse_errors.empty());
  CHECK(templated.skipped.by_design);

  // A YAML file no reader claims keeps its skip reason (the config reader's behaviour).
  auto other = analyze_text("/ws/conf/model.yaml", "a: [\n");
  CHECK_FALSE(other.skipped.reason.empty());
  CHECK(other.parse_errors.empty());
}
