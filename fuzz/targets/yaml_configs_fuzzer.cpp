// Configuration files (YAML and JSON key paths: CI workflows, DVC, Kubernetes, experiment
// configs) and whatever analyzer a later change wires for these names (Dockerfile included).
#include "fuzz/analyze_text_target.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) { mlaudit::fuzz::initialise(); return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The seed script (fuzz/seed_corpus.py) writes the same index as the first byte: keep in step.
  static const std::vector<std::string> paths = {
      ".github/workflows/ci.yml", "dvc.yaml", "k8s/deployment.yaml", "configs/train.yaml",
      "configs/model.json", ".gitlab-ci.yml", "charts/app/templates/deployment.yaml", "dvc.lock",
      "docker-compose.yml", "Dockerfile", "params.yaml"};
  return mlaudit::fuzz::fuzz_analyze_text(paths, data, size);
}
