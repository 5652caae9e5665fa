// Dependency manifests and lock files: every reader of analyzers/manifests, picked by file name.
#include "fuzz/analyze_text_target.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) { mlaudit::fuzz::initialise(); return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The seed script (fuzz/seed_corpus.py) writes the same index as the first byte: keep in step.
  static const std::vector<std::string> paths = {
      "requirements.txt", "constraints.txt", "requirements/dev.in", "pyproject.toml", "Pipfile",
      "environment.yml",  "poetry.lock",     "uv.lock",             "Pipfile.lock",   "conda-lock.yml",
      "package.json",     "package-lock.json", "setup.cfg",         "setup.py"};
  return mlaudit::fuzz::fuzz_analyze_text(paths, data, size);
}
