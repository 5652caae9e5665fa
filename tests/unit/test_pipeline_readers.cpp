// The pipeline readers (analyzers/pipelines/): DVC files, MLproject, params.yaml, Hydra,
// Kubeflow, Prefect, Dagster, ZenML, Kedro, Feast and Great Expectations, through analyze_text
// as the crawler calls it: positive, negative (look-alikes that must say nothing) and malformed.
#include <doctest/doctest.h>

#include <string>

#include "analyzers/analyzer.hpp"

namespace {

using namespace mlaudit;

const facts::Signal* find(const facts::FileFacts& f, const std::string& id) {
  for (const auto& s : f.signals)
    if (s.id == id) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("dvc.yaml: stages, tracked data, metrics, params and artifacts") {
  auto f = analyze_text("/ws/dvc.yaml",
                        "stages:\n"
                        "  prepare:\n"
                        "    cmd: python prepare.py\n"
                        "    deps: [data/raw]\n"
                        "    outs: [data/prepared]\n"
                        "  train:\n"
                        "    cmd: python train.py\n"
                        "    params: [train.lr]\n"
                        "    metrics:\n"
                        "      - metrics.json:\n"
                        "          cache: false\n"
                        "artifacts:\n"
                        "  classifier:\n"
                        "    path: models/model.pkl\n");
  CHECK(f.kind == facts::FileKind::Config);
  REQUIRE(find(f, "dvc.pipeline"));
  CHECK(find(f, "dvc.pipeline")->detail == "DVC pipeline: 2 stages (prepare, train)");
  CHECK(find(f, "dvc.pipeline")->range.start.line == 0);
  REQUIRE(find(f, "dvc.data-tracked"));
  CHECK(find(f, "dvc.data-tracked")->detail == "stage prepare: deps and outs tracked by DVC");
  CHECK(find(f, "dvc.data-tracked")->range.start.line == 1);
  REQUIRE(find(f, "dvc.metrics"));
  CHECK(find(f, "dvc.metrics")->detail == "stage train writes metrics");
  REQUIRE(find(f, "dvc.params"));
  REQUIRE(find(f, "dvc.artifacts"));
  CHECK(find(f, "dvc.artifacts")->detail == "DVC artifacts: classifier");
}

TEST_CASE("dvc.yaml without stages, and a stage with only a command, track nothing") {
  auto empty = analyze_text("/ws/dvc.yaml", "vars:\n  - params.yaml\n");
  CHECK(empty.signals.empty());
  auto cmd_only = analyze_text("/ws/dvc.yaml", "stages:\n  hello:\n    cmd: echo hi\n");
  CHECK(find(cmd_only, "dvc.pipeline"));
  CHECK_FALSE(find(cmd_only, "dvc.data-tracked"));
  CHECK_FALSE(find(cmd_only, "dvc.metrics"));
  auto other = analyze_text("/ws/pipelines.yaml", "stages:\n  train:\n    deps: [a]\n");  // not DVC's file
  CHECK_FALSE(find(other, "dvc.pipeline"));
}

TEST_CASE("dvc.lock, *.dvc and .dvc/config are read as text") {
  auto lock = analyze_text("/ws/dvc.lock",
                           "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n"
                           "    - path: model.pkl\n      md5: 0123\n");
  CHECK(lock.kind == facts::FileKind::Text);
  REQUIRE(find(lock, "dvc.lock"));
  CHECK(find(lock, "dvc.lock")->detail == "dvc.lock records hashes for 1 stage");

  auto tracked = analyze_text("/ws/data/raw.dvc", "outs:\n- md5: a304afb96060aad90176268345e10355\n  path: raw\n");
  REQUIRE(find(tracked, "dvc.data-tracked"));
  CHECK(find(tracked, "dvc.data-tracked")->detail == "raw.dvc tracks raw");
  CHECK(find(tracked, "dvc.data-tracked")->range.start.line == 2);

  auto config = analyze_text("/ws/.dvc/config",
                             "[core]\n    remote = storage\n['remote \"storage\"']\n    url = s3://user:secret@bucket/dvc\n");
  REQUIRE(find(config, "dvc.remote"));
  CHECK(find(config, "dvc.remote")->detail == "DVC remote storage");
  CHECK(find(config, "dvc.remote")->detail.find("secret") == std::string::npos);
  CHECK(find(config, "dvc.remote")->range.start.line == 2);

  auto no_remote = analyze_text("/ws/.dvc/config", "[core]\n    autostage = true\n");
  CHECK(no_remote.signals.empty());
  CHECK(no_remote.parse_errors.empty());
  auto elsewhere = analyze_text("/ws/app/config", "['remote \"x\"']\n");  // not under .dvc/
  CHECK(elsewhere.kind == facts::FileKind::Other);
}

TEST_CASE("broken DVC files are parse errors at their line, never signals or crashes") {
  auto dot_dvc = analyze_text("/ws/data.dvc", "outs:\n- md5: [unclosed\n  path: data\n");
  CHECK(dot_dvc.signals.empty());
  REQUIRE(dot_dvc.parse_errors.size() == 1);
  CHECK(dot_dvc.parse_errors[0].message.find("invalid YAML") != std::string::npos);

  auto lock = analyze_text("/ws/dvc.lock", "stages:\n  train: {cmd: x\n");
  CHECK(lock.signals.empty());
  CHECK(lock.parse_errors.size() == 1);

  auto config = analyze_text("/ws/.dvc/config", "[core\n    remote = x\n");
  REQUIRE(config.parse_errors.size() == 1);
  CHECK(config.parse_errors[0].range.start.line == 0);
}

TEST_CASE("MLproject entry points; an MLproject that is not YAML is a parse error") {
  auto f = analyze_text("/ws/MLproject",
                        "name: churn\nconda_env: conda.yaml\nentry_points:\n  main:\n    command: python train.py\n"
                        "  evaluate:\n    command: python eval.py\n");
  CHECK(f.kind == facts::FileKind::Text);
  REQUIRE(find(f, "mlflow.project"));
  CHECK(find(f, "mlflow.project")->detail == "MLflow project entry points: main, evaluate");
  CHECK(find(f, "mlflow.project")->range.start.line == 2);

  CHECK(analyze_text("/ws/MLproject", "name: nothing-to-run\n").signals.empty());
  auto broken = analyze_text("/ws/MLproject", "entry_points:\n  main: [\n");
  CHECK(broken.signals.empty());
  CHECK(broken.parse_errors.size() == 1);
}

TEST_CASE("params.yaml and Hydra configs; GitHub Actions' defaults map is not Hydra") {
  auto params = analyze_text("/ws/params.yaml", "lr: 0.01\nepochs: 10\nmodel:\n  depth: 4\n");
  REQUIRE(find(params, "params.file"));
  CHECK(find(params, "params.file")->detail == "params.yaml: 3 parameters (lr, epochs, model)");

  auto hydra = analyze_text("/ws/conf/config.yaml",
                            "defaults:\n  - model: resnet\n  - optimizer: adam\n  - override hydra/sweeper: optuna\n  - _self_\n"
                            "lr: 0.1\n");
  REQUIRE(find(hydra, "hydra.config"));
  CHECK(find(hydra, "hydra.config")->detail == "Hydra config composed from 4 defaults");
  REQUIRE(find(hydra, "hydra.sweeper"));
  CHECK(find(hydra, "hydra.sweeper")->range.start.line == 3);

  auto plain = analyze_text("/ws/conf/config.yaml", "defaults:\n  - model: resnet\n");
  CHECK(find(plain, "hydra.config"));
  CHECK_FALSE(find(plain, "hydra.sweeper"));

  auto actions = analyze_text("/ws/.github/workflows/ci.yml",
                              "on: push\ndefaults:\n  run:\n    shell: bash\njobs:\n  t:\n    runs-on: x\n");
  CHECK_FALSE(find(actions, "hydra.config"));
  auto outside = analyze_text("/ws/app/settings.yaml", "defaults:\n  - a\n");  // no conf/ folder, no hydra key
  CHECK_FALSE(find(outside, "hydra.config"));
}

TEST_CASE("orchestrators, feature stores and data validation by their files") {
  auto kfp = analyze_text("/ws/pipeline.yaml",
                          "pipelineInfo:\n  name: train-pipeline\nroot:\n  dag:\n    tasks: {}\nschemaVersion: 2.1.0\n"
                          "deploymentSpec:\n  executors: {}\n");
  REQUIRE(find(kfp, "kubeflow.pipeline"));
  CHECK(find(kfp, "kubeflow.pipeline")->detail == "Kubeflow pipeline train-pipeline");

  auto prefect = analyze_text("/ws/prefect.yaml",
                              "name: flows\ndeployments:\n  - name: nightly\n    entrypoint: flows.py:train\n"
                              "    schedule:\n      cron: 0 3 * * *\n");
  REQUIRE(find(prefect, "prefect.deployment"));
  CHECK(find(prefect, "prefect.deployment")->detail == "Prefect deployments: nightly");
  REQUIRE(find(prefect, "prefect.schedule"));
  CHECK(find(prefect, "prefect.schedule")->detail.find("0 3 * * *") != std::string::npos);

  CHECK(find(analyze_text("/ws/workspace.yaml", "load_from:\n  - python_file: repo.py\n"), "dagster.project"));
  CHECK_FALSE(find(analyze_text("/ws/workspace.yaml", "folders: [a]\n"), "dagster.project"));  // VS Code-ish, not Dagster
  CHECK(find(analyze_text("/ws/.zen/config.yaml", "active_stack_id: 1\n"), "zenml.repository"));
  CHECK_FALSE(find(analyze_text("/ws/zen/config.yaml", "active_stack_id: 1\n"), "zenml.repository"));

  auto kedro = analyze_text("/ws/conf/base/catalog.yml",
                            "companies:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/companies.csv\n"
                            "model:\n  type: pickle.PickleDataset\n  filepath: data/06_models/model.pkl\n");
  REQUIRE(find(kedro, "kedro.catalog"));
  CHECK(find(kedro, "kedro.catalog")->detail == "Kedro data catalog: 2 datasets");

  auto feast = analyze_text("/ws/feature_repo/feature_store.yaml",
                            "project: driver_stats\nregistry: data/registry.db\nprovider: local\n");
  REQUIRE(find(feast, "feast.feature-store"));
  CHECK(find(feast, "feast.feature-store")->detail == "Feast feature store project driver_stats");
  CHECK_FALSE(find(analyze_text("/ws/feature_store.yaml", "name: x\n"), "feast.feature-store"));

  CHECK(find(analyze_text("/ws/gx/great_expectations.yml", "config_version: 3.0\nstores: {}\n"), "gx.project"));
  auto checkpoint = analyze_text("/ws/great_expectations/checkpoints/nightly.yml", "name: nightly\nconfig_version: 1.0\n");
  REQUIRE(find(checkpoint, "gx.checkpoint"));
  CHECK(find(checkpoint, "gx.checkpoint")->detail == "Great Expectations checkpoint nightly");
}

TEST_CASE("a broken pipeline YAML is a parse error (malformed-file), never read by the readers") {
  auto f = analyze_text("/ws/dvc.yaml", "stages:\n  train: [\n");
  CHECK(f.signals.empty());
  CHECK(f.skipped.reason.empty());
  REQUIRE(f.parse_errors.size() == 1);
  CHECK(f.parse_errors[0].message.rfind("invalid YAML", 0) == 0);
  // Any other YAML only sniffed for content (Kubernetes kinds, Hydra defaults) keeps the skip.
  auto other = analyze_text("/ws/conf/model.yaml", "defaults:\n  - a: [\n");
  CHECK(other.parse_errors.empty());
  CHECK_FALSE(other.skipped.reason.empty());
}
