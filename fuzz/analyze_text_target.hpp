// The targets that go through the top-level analyze_text, as the crawler and the server do:
// the first input byte picks the file path (so one corpus holds every format of the target,
// and mutating that byte hands a text to another reader), the rest is the file's text. Paths,
// not readers, are named here, so an analyzer wired later for one of them is fuzzed too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "fuzz/fuzz_support.hpp"

namespace mlaudit::fuzz {

inline int fuzz_analyze_text(const std::vector<std::string>& paths, const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string path = "/fuzz/" + paths[data[0] % paths.size()];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  facts::FileFacts facts = analyze_text(path, text);
  facts.path = path;
  check_alone(facts);
  return 0;
}

}  // namespace mlaudit::fuzz
