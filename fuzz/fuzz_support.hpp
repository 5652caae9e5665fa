// What every libFuzzer target shares: quiet logging, the embedded rubric loaded once per
// process, and the rules run over a file's Facts, so each analyzer target also drives the
// rubric with whatever Facts the fuzzed input produced.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/facts.hpp"
#include "rubric/finding.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::fuzz {

// Loads the rubric and silences spdlog; call from LLVMFuzzerInitialize.
void initialise();

// The embedded rubric (rules.yaml), loaded by initialise().
const rubric::Rubric& the_rubric();
std::shared_ptr<const rubric::Rubric> rubric_ptr();

// The findings of `file` alone in a workspace forced relevant (so the rules always run).
std::vector<rubric::Finding> check_alone(const facts::FileFacts& file);

// Stops the run with `what` on stderr: libFuzzer records the input as a crash.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "\n==mlaudit-fuzz== %s\n", what.c_str());
  std::abort();
}

}  // namespace mlaudit::fuzz
