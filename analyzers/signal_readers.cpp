#include "analyzers/signal_readers.hpp"

#include "analyzers/infra/kubernetes_manifests.hpp"
#include "analyzers/infra/terraform.hpp"
#include "analyzers/pipelines/dvc_files.hpp"
#include "analyzers/pipelines/pipeline_configs.hpp"
#include "analyzers/docker/docker_signals.hpp"
#include "analyzers/docs/doc_signals.hpp"
#include "analyzers/ci/ci_readers.hpp"

namespace mlaudit {

const std::vector<SignalReader>& signal_readers() {
  // One line per reader; each lives in its own folder under analyzers/.
  static const std::vector<SignalReader> readers = {
      {"dvc", &pipelines::reads_dvc_file, &pipelines::read_dvc_file},
      {"pipeline-configs", &pipelines::reads_pipeline_config, &pipelines::read_pipeline_config, true},
      {"kubernetes", &infra::reads_kubernetes_manifest, &infra::read_kubernetes_manifest, true},
      {"terraform", &infra::reads_terraform, &infra::read_terraform},
      {"dockerfile", &docker::reads_dockerfile, &docker::read_dockerfile_signals},
      {"compose", &docker::reads_compose_file, &docker::read_compose_signals},
      {"docs", &docs::reads_doc_file, &docs::read_doc_signals},
      {"github-actions", &ci::reads_github_actions, &ci::read_github_actions},
      {"gitlab-ci", &ci::reads_gitlab_ci, &ci::read_gitlab_ci},
      {"azure-pipelines", &ci::reads_azure_pipelines, &ci::read_azure_pipelines},
      {"circleci", &ci::reads_circleci, &ci::read_circleci},
      {"jenkinsfile", &ci::reads_jenkinsfile, &ci::read_jenkinsfile},
  };
  return readers;
}

bool read_by_signal_reader(std::string_view path) {
  for (const auto& reader : signal_readers())
    if (reader.reads(path)) return true;
  return false;
}

bool claimed_by_signal_reader(std::string_view path) {
  for (const auto& reader : signal_readers())
    if (!reader.sniffs_content && reader.reads(path)) return true;
  return false;
}

void read_signals(std::string_view text, facts::FileFacts& out) {
  for (const auto& reader : signal_readers())
    if (reader.reads(out.path)) reader.read(out.path, text, out);
}

std::string_view path_file_name(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool path_in_folder(std::string_view path, std::string_view folder) {
  std::string_view name = path_file_name(path);
  std::string_view parent = path.substr(0, path.size() - name.size());
  if (parent.empty()) return false;
  parent.remove_suffix(1);  // the separator
  if (parent.size() < folder.size() || parent.substr(parent.size() - folder.size()) != folder) return false;
  return parent.size() == folder.size() || parent[parent.size() - folder.size() - 1] == '/';
}

bool path_under(std::string_view path, std::string_view folder) {
  std::string_view dirs = path.substr(0, path.size() - path_file_name(path).size());  // ends with '/' or empty
  for (size_t at = dirs.find(folder); at != std::string_view::npos; at = dirs.find(folder, at + 1)) {
    bool starts = at == 0 || dirs[at - 1] == '/';
    bool ends = at + folder.size() < dirs.size() && dirs[at + folder.size()] == '/';
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace mlaudit
