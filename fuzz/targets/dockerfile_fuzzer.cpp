// The Dockerfile reader (analyzers/docker): FROM images, ARG substitution, RUN pip install.
#include <string_view>

#include "analyzers/docker/dockerfile.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) { mlaudit::fuzz::initialise(); return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlaudit::docker::read_dockerfile(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
