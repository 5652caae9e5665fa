// Rule tests-not-run-in-ci (kind ci-tests) and the CI evidence of the audit: workspace
// conclusions about tests and CI, derived from the real analyzers over in-memory workspaces.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "rubric/audit.hpp"
#include "rubric/audit_rubric.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;
using Files = std::map<std::string, std::string>;

const std::string kTrain = "import torch\nmodel = torch.nn.Linear(2, 2)\n";
const std::string kTest = "from train import model\n\ndef test_shape():\n    assert model.out_features == 2\n";
const std::string kLint = "on: [push]\njobs:\n  lint:\n    steps:\n      - run: pip install ruff pytest\n      - run: ruff check .\n";
const std::string kPytest = "on: [push]\njobs:\n  test:\n    steps:\n      - run: pytest -q\n";

Files with(Files files, const std::string& path, const std::string& text) {
  files[path] = text;
  return files;
}

const Files kBase = {{"train.py", kTrain}, {"tests/test_model.py", kTest}, {".github/workflows/lint.yml", kLint}};

}  // namespace

TEST_CASE("tests-not-run-in-ci: tests and CI, but no job runs them: a finding at each CI file's jobs line") {
  auto ws = test::build_workspace(kBase);
  CHECK(ws.conclusions().test_file == "tests/test_model.py");
  CHECK(ws.conclusions().ci_files == std::vector<std::string>{".github/workflows/lint.yml"});
  CHECK_FALSE(ws.conclusions().ci_runs_tests);
  auto found = ws.of(".github/workflows/lint.yml", "tests-not-run-in-ci");
  REQUIRE(found.size() == 1);
  CHECK(found[0].range.start.line == 1);  // `jobs:`
  CHECK(found[0].checklist_id == "mlops.model-tests");
  CHECK(found[0].severity == rubric::Severity::Medium);
  CHECK(found[0].message.find("tests/test_model.py") != std::string::npos);
  CHECK(found[0].message.find("lint.yml") != std::string::npos);
  CHECK(ws.count("tests-not-run-in-ci") == 1);

  // A Jenkinsfile that only builds is a CI file too: each CI file gets its finding.
  auto two = test::build_workspace(with(kBase, "Jenkinsfile", "pipeline {\n  stages { stage('b') { steps { sh 'make build' } } }\n}\n"));
  CHECK(two.count("tests-not-run-in-ci") == 2);
  REQUIRE(two.of("Jenkinsfile", "tests-not-run-in-ci").size() == 1);
  CHECK(two.of("Jenkinsfile", "tests-not-run-in-ci")[0].range.start.line == 0);
}

TEST_CASE("tests-not-run-in-ci: quiet when a job runs tests, anywhere") {
  CHECK(test::build_workspace(with(kBase, ".github/workflows/ci.yml", kPytest)).count("tests-not-run-in-ci") == 0);
  CHECK(test::build_workspace(with(kBase, ".gitlab-ci.yml", "test:\n  script: [python -m pytest]\n")).count("tests-not-run-in-ci") == 0);
  CHECK(test::build_workspace(with(kBase, "Jenkinsfile", "node { sh 'tox' }\n")).count("tests-not-run-in-ci") == 0);
  // In a composite action the workflow uses.
  auto action = with(kBase, ".github/actions/checks/action.yml", "runs:\n  using: composite\n  steps:\n    - run: pytest\n");
  CHECK(test::build_workspace(action).count("tests-not-run-in-ci") == 0);
}

TEST_CASE("tests-not-run-in-ci: quiet without tests, without CI, outside ML workspaces") {
  Files no_tests = {{"train.py", kTrain}, {".github/workflows/lint.yml", kLint}};
  CHECK(test::build_workspace(no_tests).count("tests-not-run-in-ci") == 0);
  Files no_ci = {{"train.py", kTrain}, {"tests/test_model.py", kTest}};
  CHECK(test::build_workspace(no_ci).count("tests-not-run-in-ci") == 0);
  Files not_ml = {{"app.py", "import flask\n"}, {"test_app.py", "def test_x():\n    pass\n"}, {".github/workflows/lint.yml", kLint}};
  auto quiet = test::build_workspace(not_ml);
  CHECK_FALSE(quiet.conclusions().relevance.relevant);
  CHECK(quiet.findings.empty());
  // A Python file merely named like a test folder's neighbour is not a test.
  Files contest = {{"train.py", kTrain}, {"contest.py", "x = 1\n"}, {".github/workflows/lint.yml", kLint}};
  CHECK(test::build_workspace(contest).count("tests-not-run-in-ci") == 0);
}

TEST_CASE("tests-not-run-in-ci: quiet when some CI configuration cannot be read") {
  // A broken workflow may be the one that runs the tests: it is a malformed-file finding instead.
  auto broken = test::build_workspace(with(kBase, ".github/workflows/ci.yml", "on: push\njobs:\n  test: [\n"));
  CHECK(broken.count("tests-not-run-in-ci") == 0);
  REQUIRE(broken.of(".github/workflows/ci.yml", "malformed-file").size() == 1);
  CHECK(broken.conclusions().ci_unknown);
  // A CI system mlaudit does not read.
  CHECK(test::build_workspace(with(kBase, "bitbucket-pipelines.yml", "pipelines:\n  default: []\n")).count("tests-not-run-in-ci") == 0);
  // Work handed to a reusable workflow of another repository.
  auto reusable = with(kBase, ".github/workflows/ci.yml", "on: push\njobs:\n  ci:\n    uses: org/shared/.github/workflows/python.yml@v1\n");
  CHECK(test::build_workspace(reusable).count("tests-not-run-in-ci") == 0);
}

TEST_CASE("tests-not-run-in-ci: suppressed inline; conclusions follow an edit of the workflow") {
  auto suppressed = test::build_workspace(
      with(kBase, ".github/workflows/lint.yml", "on: [push]\n# mlaudit: ignore[tests-not-run-in-ci]\njobs:\n  lint:\n    steps:\n      - run: ruff check .\n"));
  CHECK(suppressed.count("tests-not-run-in-ci") == 0);

  auto ws = test::build_workspace(kBase);
  REQUIRE(ws.count("tests-not-run-in-ci") == 1);
  // The editor adds a pytest step: the file's new facts change the conclusions, and the finding goes.
  auto edited = analyze_text(ws.absolute(".github/workflows/lint.yml"), kLint + "      - run: python -m pytest\n");
  CHECK(ws.model->update(edited));
  CHECK(ws.conclusions().ci_runs_tests);
  CHECK(rubric::check_file(edited, *test::the_rubric(), ws.conclusions()).empty());
  // Typing a comment changes nothing workspace-wide.
  auto comment = analyze_text(ws.absolute(".github/workflows/lint.yml"), kLint + "      - run: python -m pytest\n# done\n");
  CHECK_FALSE(ws.model->update(comment));
}

TEST_CASE("CI evidence flips the MLOps items: lint-only CI is partial, tests/training/deployment in CI are met") {
  auto items = rubric::load_audit_rubric(*test::the_rubric());
  auto audit_of = [&](const Files& files) {
    auto ws = test::build_workspace(files);
    rubric::AuditInput input;
    input.root = ws.root;
    for (const auto& [relative, facts] : ws.files) {
      input.files.push_back(std::make_shared<const facts::FileFacts>(facts));
      input.present.push_back(ws.absolute(relative));
    }
    input.conclusions = ws.model->conclusions();
    return rubric::compute_audit(input, *test::the_rubric(), *items);
  };
  auto status = [](const rubric::AuditResult& audit, const std::string& id) {
    for (const auto& area : audit.areas)
      for (const auto& item : area.items)
        if (item.id == id) return item.status;
    FAIL("no item " << id);
    return rubric::Status::Gap;
  };
  const std::string serve = "from fastapi import FastAPI\nimport torch\napp = FastAPI()\n";
  auto lint_only = audit_of({{"train.py", kTrain}, {"serve.py", serve}, {".github/workflows/lint.yml", kLint}});
  CHECK(status(lint_only, "mlops.ci-cd") == rubric::Status::Partial);
  CHECK(status(lint_only, "mlops.continuous-training") == rubric::Status::NotAssessable);
  CHECK(status(lint_only, "mlops.automated-deployment") == rubric::Status::NotAssessable);
  CHECK(status(lint_only, "governance.approval-process") == rubric::Status::NotAssessable);

  auto full = audit_of({{"train.py", kTrain}, {"serve.py", serve}, {".github/workflows/ci.yml", kPytest},
                        {".github/workflows/retrain.yml",
                         "on:\n  schedule: [{cron: '0 3 * * 1'}]\njobs:\n  retrain:\n    steps:\n      - run: python train.py\n"},
                        {".gitlab-ci.yml", "deploy:\n  script: helm upgrade --install m chart/\n  when: manual\n"}});
  CHECK(status(full, "mlops.ci-cd") == rubric::Status::Met);
  CHECK(status(full, "mlops.continuous-training") == rubric::Status::Met);
  CHECK(status(full, "mlops.automatic-retraining") == rubric::Status::Partial);
  CHECK(status(full, "mlops.automated-deployment") == rubric::Status::Met);
  CHECK(status(full, "governance.approval-process") == rubric::Status::Partial);
}
