// The CI/CD readers registered in analyzers/signal_readers.cpp. Each claims its files by name
// and folder only, reads them into a ci::Pipeline and emits the signals of ci_pipeline.hpp
// (the ids, when and their details are listed there):
//   github-actions   .github/workflows/*.yml|yaml, and the composite actions under
//                    .github/actions/ (action.yml: their steps count, no pipeline of their own)
//   gitlab-ci        .gitlab-ci.yml anywhere, *.gitlab-ci.yml, and YAML under .gitlab/ci/
//                    (where local includes usually live: read as pipelines of their own)
//   azure-pipelines  azure-pipelines*.yml|yaml anywhere, and YAML under .azure-pipelines/ or
//                    .azuredevops/
//   circleci         .circleci/config.yml|yaml
//   jenkinsfile      Jenkinsfile, Jenkinsfile.* and *.Jenkinsfile (Groovy text, not YAML)
// YAML files are Config files (their keys are read first; a file that is not valid YAML is a
// malformed-file finding and reaches no reader); a Jenkinsfile is a Text file.
#pragma once
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::ci {

bool reads_github_actions(std::string_view path);
void read_github_actions(std::string_view path, std::string_view text, facts::FileFacts& out);

bool reads_gitlab_ci(std::string_view path);
void read_gitlab_ci(std::string_view path, std::string_view text, facts::FileFacts& out);

bool reads_azure_pipelines(std::string_view path);
void read_azure_pipelines(std::string_view path, std::string_view text, facts::FileFacts& out);

bool reads_circleci(std::string_view path);
void read_circleci(std::string_view path, std::string_view text, facts::FileFacts& out);

bool reads_jenkinsfile(std::string_view path);
void read_jenkinsfile(std::string_view path, std::string_view text, facts::FileFacts& out);

// Whether some CI reader reads `path` (the rubric asks, to know a CI file it could not read).
bool is_ci_path(std::string_view path);

}  // namespace mlaudit::ci
