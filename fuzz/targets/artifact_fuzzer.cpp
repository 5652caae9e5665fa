// Committed model artifacts (analyzers/artifacts): format detection by content, PyTorch ZIP
// archives through libzip, joblib's zlib/gzip wrappers, and the pickle opcode scanner behind
// them. The analyzer opens its file itself (checkpoints are streamed, never held whole), so
// each input is written to one temporary file whose name the first byte picks (the extension
// decides between the pickle formats and the safe ones).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "analyzers/artifacts/artifact_analyzer.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {
std::string directory;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  mlaudit::fuzz::initialise();
  std::string pattern = (access("/dev/shm", W_OK) == 0 ? std::string("/dev/shm") : std::string("/tmp")) + "/mlaudit-fuzz-XXXXXX";
  if (!mkdtemp(pattern.data())) mlaudit::fuzz::fail("cannot create a temporary directory");
  directory = pattern;
  std::atexit([] { std::system(("rm -rf '" + directory + "'").c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"model.pt", "model.pkl", "model.joblib", "model.ckpt",
                                       "pytorch_model.bin", "model.safetensors", "model.onnx", "model.pth"};
  std::string path = directory + "/" + kNames[data[0] % 8];  // seed_corpus.py uses the same numbers
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) mlaudit::fuzz::fail("cannot write " + path);
  std::fwrite(data + 1, 1, size - 1, f);
  std::fclose(f);
  // Smaller caps than a real run's 256 MiB per stream: a zip or gzip bomb then costs
  // milliseconds, not the fuzzer's time budget; the capping code runs all the same.
  mlaudit::artifacts::ArtifactLimits limits;
  limits.max_decompressed_bytes = 4u << 20;
  limits.max_zip_entries = 1000;
  auto facts = mlaudit::artifacts::analyze_artifact(path, limits);
  mlaudit::fuzz::check_alone(facts);
  std::remove(path.c_str());
  return 0;
}
