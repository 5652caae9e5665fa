// Pipeline, tracking, feature-store and data-validation configuration files other than DVC's.
// Reads MLproject (Text: YAML under a name without extension) and YAML files (Config: their keys
// are already in out.config). Named files are recognised by name; Kubeflow and Hydra by content.
// Signals:
//   mlflow.project      MLproject with entry points         "MLflow project entry points: main, train"
//   params.file         params.yaml with parameters         "params.yaml: 5 parameters (lr, epochs, ...)"
//   hydra.config        a YAML with a top-level `defaults:` list under conf/, config/ or configs/,
//                       or next to a `hydra:` key           "Hydra config composed from 3 defaults"
//   hydra.sweeper       a Hydra sweeper is configured       "Hydra sweeper: optuna"
//   kubeflow.pipeline   a compiled KFP v2 pipeline spec (pipelineInfo + deploymentSpec/root)
//                                                           "Kubeflow pipeline train-pipeline"
//   prefect.deployment  prefect.yaml with deployments       "Prefect deployments: nightly"
//   prefect.schedule    a Prefect deployment with a schedule "Prefect deployment nightly is scheduled"
//   dagster.project     dagster.yaml, or workspace.yaml with load_from  "Dagster workspace (load_from)"
//   zenml.repository    .zen/config.yaml                    "ZenML repository"
//   kedro.catalog       conf/base/catalog.yml with datasets "Kedro data catalog: 3 datasets"
//   feast.feature-store feature_store.yaml with a project   "Feast feature store project driver_stats"
//   gx.project          great_expectations.yml              "Great Expectations project"
//   gx.checkpoint       a checkpoint under great_expectations/checkpoints or gx/checkpoints
//                                                           "Great Expectations checkpoint nightly"
// An MLproject that is not YAML is a ParseError; broken YAML files are already reported.
#pragma once
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::pipelines {

bool reads_pipeline_config(std::string_view path);
void read_pipeline_config(std::string_view path, std::string_view text, facts::FileFacts& out);

}  // namespace mlaudit::pipelines
