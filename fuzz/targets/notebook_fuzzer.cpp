// The notebook reader (.ipynb JSON, IPython syntax, cell positions) and the rules over its Facts.
#include "fuzz/analyze_text_target.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) { mlaudit::fuzz::initialise(); return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> paths = {"notebooks/train.ipynb"};
  return mlaudit::fuzz::fuzz_analyze_text(paths, data, size);
}
