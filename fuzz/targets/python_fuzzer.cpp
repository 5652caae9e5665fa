// The Python analyzer (tree-sitter parse, facts walk) and the rules over its Facts.
#include "fuzz/analyze_text_target.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) { mlaudit::fuzz::initialise(); return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> paths = {"train.py", "setup.py", "pkg/__init__.py"};
  return mlaudit::fuzz::fuzz_analyze_text(paths, data, size);
}
