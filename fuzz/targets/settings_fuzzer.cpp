// The configuration readers (rubric/settings_reader: .mlaudit.yaml and [tool.mlaudit] in
// pyproject.toml, validated against the rubric, problems located in the text) and the
// suppression-comment reader (analyzers/suppressions). The first byte picks which.
#include <string>
#include <string_view>

#include "analyzers/suppressions.hpp"
#include "fuzz/fuzz_support.hpp"
#include "rubric/settings_reader.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) { mlaudit::fuzz::initialise(); return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const char* const kFiles[] = {"/fuzz/.mlaudit.yaml", "/fuzz/pyproject.toml", "/fuzz/.mlaudit.yml"};
  unsigned pick = data[0] % 4;  // the seed script (fuzz/seed_corpus.py) uses the same numbers
  if (pick < 3) {
    const auto& rubric = mlaudit::fuzz::the_rubric();
    auto file = mlaudit::rubric::read_settings_file(kFiles[pick], text, rubric);
    mlaudit::rubric::config_findings(file, text, rubric.remediation_base);
  } else {
    mlaudit::parse_suppression(text);
    mlaudit::parse_file_suppression(text);
    mlaudit::scan_hash_comment_suppressions(text);
  }
  return 0;
}
