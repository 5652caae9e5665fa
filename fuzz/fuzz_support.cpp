#include "fuzz/fuzz_support.hpp"

#include <spdlog/spdlog.h>

#include "rubric/engine.hpp"
#include "rubric/workspace_model.hpp"

namespace mlaudit::fuzz {
namespace {
std::shared_ptr<const rubric::Rubric> rubric_instance;
}

void initialise() {
  // Millions of inputs: warnings about each malformed one would drown libFuzzer's own output.
  spdlog::set_level(spdlog::level::off);
  if (!rubric_instance) rubric_instance = rubric::load_rubric();
}

const rubric::Rubric& the_rubric() { return *rubric_instance; }
std::shared_ptr<const rubric::Rubric> rubric_ptr() { return rubric_instance; }

std::vector<rubric::Finding> check_alone(const facts::FileFacts& file) {
  rubric::WorkspaceModel model(rubric_instance, {"/fuzz"});
  model.set_relevance_override(true);
  model.update(file);
  return rubric::check_file(file, *rubric_instance, *model.conclusions());
}

}  // namespace mlaudit::fuzz
