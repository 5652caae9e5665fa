// What a CI step's shell script does, by its commands: runs tests (`pytest`, `python -m
// unittest`, `tox`, `make test`, `npm test`...), trains (`python train.py`, `dvc repro`,
// `mlflow run`, `torchrun train.py`...), evaluates (`python evaluate.py`, `dvc metrics diff`,
// `cml comment`...), deploys (`kubectl apply`, `helm upgrade`, `terraform apply`, `gcloud ai
// endpoints deploy-model`...) or publishes an image (`docker push`). Shared by every CI reader.
//
// Commands are recognised as commands, not as words: `pip install pytest` does not run tests,
// `echo "run pytest later"` neither, and `tox -e lint` only lints. Wrappers are looked through
// (`poetry run`, `uv run`, `coverage run -m`, `timeout 600`, `VAR=1`, `sudo`...). Scripts and
// make targets are classified by the words of their name (`scripts/run_tests.sh`, `-m
// src.train`, `make eval`). The label says what was seen in a fixed vocabulary ("pytest",
// "python train.py"): never the script's full text, which may hold secrets.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit::ci {

enum class Activity : uint8_t { Tests, Trains, Evaluates, Deploys, Publishes };

struct CommandHit {
  Activity activity;
  std::string label;  // "pytest", "python -m unittest", "python train.py", "kubectl apply"
  uint32_t line = 0;  // 0-based line within the script
};

// Every activity of a shell script (one entry per command that does something of note).
std::vector<CommandHit> classify_script(std::string_view script);

// Classifies a name (a script path, a module path, a make target, a job name of an orb) by its
// words: "test"/"tests" -> Tests, "train"/"finetune"/"retrain" -> Trains, "eval"/"evaluate"
// -> Evaluates, "deploy" -> Deploys. False when none matches.
bool classify_name(std::string_view name, Activity& activity);

// "tests", "training", ... for details ("job x runs tests").
const char* activity_verb(Activity activity);

}  // namespace mlaudit::ci
