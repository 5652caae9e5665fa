// analyzers/ci/ci_commands: what a CI script does, command by command. Commands are recognised
// as commands (not words), through wrappers; installs, echoes and lint-only tox envs are not
// tests.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analyzers/ci/ci_commands.hpp"

namespace {

using namespace mlaudit::ci;

// "tests:pytest" for each hit, in order.
std::vector<std::string> hits(const std::string& script) {
  std::vector<std::string> out;
  for (const auto& h : classify_script(script)) out.push_back(std::string(activity_verb(h.activity)) + ":" + h.label);
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("ci commands: test runners, directly and through wrappers") {
  CHECK(hits("pytest -q tests") == V{"tests:pytest"});
  CHECK(hits("python -m pytest -x") == V{"tests:python -m pytest"});
  CHECK(hits("python3.11 -u -m unittest discover") == V{"tests:python3.11 -m unittest"});
  CHECK(hits("poetry run pytest") == V{"tests:pytest"});
  CHECK(hits("uv run --frozen pytest tests/") == V{"tests:pytest"});
  CHECK(hits("conda run -n ml pytest") == V{"tests:pytest"});
  CHECK(hits("CUDA_VISIBLE_DEVICES= timeout 600 xvfb-run -a pytest") == V{"tests:pytest"});
  CHECK(hits("coverage run -m pytest && coverage xml") == V{"tests:coverage run -m pytest"});
  CHECK(hits("tox") == V{"tests:tox"});
  CHECK(hits("nox -s tests-3.11") == V{"tests:nox"});
  CHECK(hits("make test") == V{"tests:make test"});
  CHECK(hits("make -C ml unit-tests") == V{"tests:make unit-tests"});
  CHECK(hits("npm test") == V{"tests:npm test"});
  CHECK(hits("pnpm run test:unit") == V{"tests:pnpm run test:unit"});
  CHECK(hits("./scripts/run_tests.sh --fast") == V{"tests:./scripts/run_tests.sh"});
  CHECK(hits("bash -c \"pytest -q\"") == V{"tests:pytest"});
  CHECK(hits("go test ./...") == V{"tests:go test"});
}

TEST_CASE("ci commands: what does not run tests") {
  CHECK(hits("pip install pytest pytest-cov").empty());
  CHECK(hits("echo \"run pytest later\"").empty());
  CHECK(hits("# pytest is run nightly\nruff check .").empty());
  CHECK(hits("tox -e lint,typing").empty());
  CHECK(hits("nox -s lint").empty());
  CHECK(hits("python -m pip install -e .[test]").empty());
  CHECK(hits("python -c 'import pytest'").empty());
  CHECK(hits("make lint").empty());
  CHECK(hits("npm ci && npm run build").empty());
  CHECK(hits("flake8 src tests").empty());
  CHECK(hits("mypy --strict src/train.py").empty());  // a path argument of another tool
  CHECK(hits("kubectl rollout status deployment/x").empty());
  CHECK(hits("docker build -t x .").empty());
}

TEST_CASE("ci commands: training, evaluation, deployment, publishing") {
  CHECK(hits("python train.py --epochs 3") == V{"training:python train.py"});
  CHECK(hits("python -m src.models.train_model") == V{"training:python -m src.models.train_model"});
  CHECK(hits("accelerate launch --num_processes 2 scripts/finetune.py") == V{"training:accelerate scripts/finetune.py"});
  CHECK(hits("torchrun --nproc_per_node=8 fine_tune_llm.py") == V{"training:torchrun fine_tune_llm.py"});
  CHECK(hits("dvc pull && dvc repro") == V{"training:dvc repro"});
  CHECK(hits("mlflow run . -e train") == V{"training:mlflow run"});
  CHECK(hits("python evaluate.py") == V{"evaluation:python evaluate.py"});
  CHECK(hits("dvc metrics diff main --md >> report.md\ncml comment create report.md") ==
        V{"evaluation:dvc metrics diff", "evaluation:cml comment"});
  CHECK(hits("kubectl -n prod apply -f k8s/") == V{"deployment:kubectl apply"});
  CHECK(hits("helm upgrade --install churn ./chart") == V{"deployment:helm upgrade"});
  CHECK(hits("gcloud ai endpoints deploy-model 123 --model=456") == V{"deployment:gcloud ai endpoints deploy-model"});
  CHECK(hits("terraform -chdir=infra apply -auto-approve") == V{"deployment:terraform apply"});
  CHECK(hits("docker push registry/x:1") == V{"publishing:docker push"});
  CHECK(hits("docker buildx build --push -t r/x .") == V{"publishing:docker build --push"});
  // The test of the training code is a test, not training.
  CHECK(hits("python tests/test_train.py") == V{"tests:python tests/test_train.py"});
}

TEST_CASE("ci commands: lines are counted from the script's start, continuations kept") {
  auto found = classify_script("set -e\npip install -r requirements.txt\npytest \\\n  -q tests\npython train.py\n");
  REQUIRE(found.size() == 2);
  CHECK(found[0].line == 2);
  CHECK(found[1].line == 4);
}

TEST_CASE("ci commands: names by their words") {
  Activity a;
  CHECK((classify_name("test_model.py", a) && a == Activity::Tests));
  CHECK((classify_name("train-classifier.sh", a) && a == Activity::Trains));
  CHECK((classify_name("deploy", a) && a == Activity::Deploys));
  CHECK_FALSE(classify_name("contest.py", a));      // "test" inside a word
  CHECK_FALSE(classify_name("trainer_utils", a));
  CHECK_FALSE(classify_name("lint", a));
}
