#include "analyzers/ci/ci_readers.hpp"

namespace mlaudit::ci {

bool is_ci_path(std::string_view path) {
  return reads_github_actions(path) || reads_gitlab_ci(path) || reads_azure_pipelines(path) || reads_circleci(path) ||
         reads_jenkinsfile(path);
}

}  // namespace mlaudit::ci
