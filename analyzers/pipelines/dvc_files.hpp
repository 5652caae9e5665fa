// DVC: the data-versioning and pipeline files of a DVC repository.
//   dvc.yaml     (Config)  stages with deps/outs/params/metrics/plots; artifacts
//   dvc.lock     (Text, YAML)  the hashes DVC recorded for each stage's deps and outs
//   *.dvc        (Text)    a tracked file or folder (YAML: outs with a hash)
//   .dvc/config  (Text)    INI: remotes
// Signals:
//   dvc.pipeline      dvc.yaml has stages               "DVC pipeline: 3 stages (prepare, train, evaluate)"; at `stages:`
//   dvc.data-tracked  a stage declares deps or outs, or a .dvc file tracks outs
//                                                       "stage train: deps and outs tracked by DVC" / "data.dvc tracks data/raw"
//   dvc.metrics       a stage (or the file) declares metrics or plots  "stage evaluate writes metrics"
//   dvc.params        a stage reads params              "stage train reads params"
//   dvc.artifacts     dvc.yaml declares artifacts (model registry with GTO)  "DVC artifacts: model"
//   dvc.lock          dvc.lock records stages          "dvc.lock records hashes for 2 stages"
//   dvc.remote        .dvc/config declares a remote    "DVC remote storage" (the URL is left out: it may hold credentials)
// A *.dvc file that is not YAML, or a .dvc/config section header without its ']', is a ParseError.
#pragma once
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::pipelines {

bool reads_dvc_file(std::string_view path);
void read_dvc_file(std::string_view path, std::string_view text, facts::FileFacts& out);

}  // namespace mlaudit::pipelines
