#include "analyzers/pipelines/pipeline_configs.hpp"

#include <set>
#include <string>
#include <vector>

#include "analyzers/signal_lines.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::pipelines {
namespace {

using manifests::SourceLines;
using signal_lines::add;
using signal_lines::find_key;
using signal_lines::starts_with;
using Keys = std::vector<facts::ConfigKey>;

// The names of the children of `parent` ("entry_points" -> main, train), in order.
std::vector<std::string> children(const Keys& keys, std::string_view parent) {
  std::vector<std::string> out;
  std::string prefix = std::string(parent) + ".";
  for (const auto& k : keys)
    if (starts_with(k.key, prefix) && k.key.find_first_of(".[", prefix.size()) == std::string::npos)
      out.push_back(k.key.substr(prefix.size()));
  return out;
}

uint32_t line_of(const Keys& keys, std::string_view key) {
  const auto* k = find_key(keys, key);
  return k ? k->line : 0;
}

void read_mlproject(std::string_view text, const SourceLines& lines, facts::FileFacts& out) {
  Keys keys;
  if (!signal_lines::read_yaml_text(text, lines, out, keys)) return;
  auto entries = children(keys, "entry_points");
  if (!entries.empty())
    add(out, lines, "mlflow.project", "MLflow project entry points: " + signal_lines::name_list(entries),
        line_of(keys, "entry_points"));
}

void read_params(const Keys& keys, const SourceLines& lines, facts::FileFacts& out) {
  std::vector<std::string> names;
  for (const auto& k : keys)
    if (k.key.find_first_of(".[") == std::string::npos) names.push_back(k.key);
  if (names.empty()) return;
  add(out, lines, "params.file",
      "params.yaml: " + std::to_string(names.size()) + (names.size() == 1 ? " parameter (" : " parameters (") +
          signal_lines::name_list(names) + ")",
      keys.front().line);
}

// Hydra's `defaults:` is a list; GitHub Actions' `defaults:` is a map, so the list is required.
void read_hydra(std::string_view path, const Keys& keys, const SourceLines& lines, facts::FileFacts& out) {
  std::set<uint32_t> default_lines;  // one line per list item, whether `- x` or `- group: x`
  bool hydra_key = false;
  const facts::ConfigKey* sweeper = nullptr;
  for (const auto& k : keys) {
    if (starts_with(k.key, "defaults[]")) {
      default_lines.insert(k.line);
      if (!sweeper && k.key.find("hydra/sweeper") != std::string::npos) sweeper = &k;
    }
    if (k.key == "hydra" || starts_with(k.key, "hydra.")) hydra_key = true;
    if (!sweeper && starts_with(k.key, "hydra.sweeper")) sweeper = &k;
  }
  size_t defaults = default_lines.size();
  bool in_conf = path_under(path, "conf") || path_under(path, "config") || path_under(path, "configs");
  if (!find_key(keys, "defaults") || defaults == 0 || !(in_conf || hydra_key)) {
    if (!sweeper || !hydra_key) return;
  } else {
    add(out, lines, "hydra.config",
        "Hydra config composed from " + std::to_string(defaults) + (defaults == 1 ? " default" : " defaults"),
        line_of(keys, "defaults"));
  }
  if (sweeper) {
    std::string kind = sweeper->value.empty() ? "configured" : sweeper->value;
    add(out, lines, "hydra.sweeper", "Hydra sweeper: " + kind, sweeper->line);
  }
}

void read_kubeflow(const Keys& keys, const SourceLines& lines, facts::FileFacts& out) {
  const auto* name = find_key(keys, "pipelineInfo.name");
  if (!name || !(find_key(keys, "deploymentSpec") || find_key(keys, "root"))) return;
  add(out, lines, "kubeflow.pipeline", "Kubeflow pipeline " + name->value, name->line);
}

void read_prefect(const Keys& keys, const SourceLines& lines, facts::FileFacts& out) {
  std::vector<std::string> names;
  const facts::ConfigKey* schedule = nullptr;
  for (const auto& k : keys) {
    if (k.key == "deployments[].name") names.push_back(k.value);
    if (!schedule && (starts_with(k.key, "deployments[].schedule.") || starts_with(k.key, "deployments[].schedules[]")) &&
        !k.value.empty())
      schedule = &k;
  }
  if (names.empty()) return;
  add(out, lines, "prefect.deployment", "Prefect deployments: " + signal_lines::name_list(names), line_of(keys, "deployments"));
  if (schedule) add(out, lines, "prefect.schedule", "a Prefect deployment is scheduled (" + schedule->value + ")", schedule->line);
}

void read_kedro_catalog(const Keys& keys, const SourceLines& lines, facts::FileFacts& out) {
  size_t datasets = 0;
  for (const auto& k : keys)
    if (k.key.find_first_of(".[") != std::string::npos && signal_lines::ends_with(k.key, ".type") &&
        k.key.find('.') == k.key.size() - 5)
      ++datasets;
  if (datasets)
    add(out, lines, "kedro.catalog",
        "Kedro data catalog: " + std::to_string(datasets) + (datasets == 1 ? " dataset" : " datasets"), keys.front().line);
}

void read_feast(const Keys& keys, const SourceLines& lines, facts::FileFacts& out) {
  const auto* project = find_key(keys, "project");
  if (!project || project->value.empty() || !(find_key(keys, "registry") || find_key(keys, "provider"))) return;
  add(out, lines, "feast.feature-store", "Feast feature store project " + project->value, project->line);
}

}  // namespace

bool reads_pipeline_config(std::string_view path) {
  std::string_view name = path_file_name(path);
  return name == "MLproject" || signal_lines::is_yaml_name(name);
}

void read_pipeline_config(std::string_view path, std::string_view text, facts::FileFacts& out) {
  std::string_view name = path_file_name(path);
  if (name == "MLproject") return read_mlproject(text, SourceLines(text), out);
  const Keys& keys = out.config;
  if (keys.empty()) return;
  SourceLines lines(text);
  // Named files first; then what only the content tells (any YAML).
  if (name == "params.yaml") read_params(keys, lines, out);
  else if (name == "prefect.yaml") read_prefect(keys, lines, out);
  else if (name == "dagster.yaml") add(out, lines, "dagster.project", "Dagster instance configuration", keys.front().line);
  else if (name == "workspace.yaml" && find_key(keys, "load_from"))
    add(out, lines, "dagster.project", "Dagster workspace (load_from)", line_of(keys, "load_from"));
  else if (name == "config.yaml" && path_in_folder(path, ".zen"))
    add(out, lines, "zenml.repository", "ZenML repository", keys.front().line);
  else if ((name == "catalog.yml" || name == "catalog.yaml") && path_in_folder(path, "conf/base"))
    read_kedro_catalog(keys, lines, out);
  else if (name == "feature_store.yaml") read_feast(keys, lines, out);
  else if (name == "great_expectations.yml")
    add(out, lines, "gx.project", "Great Expectations project", keys.front().line);
  else if (path_in_folder(path, "great_expectations/checkpoints") || path_in_folder(path, "gx/checkpoints")) {
    const auto* n = find_key(keys, "name");
    add(out, lines, "gx.checkpoint", "Great Expectations checkpoint " + (n ? n->value : std::string(name)),
        n ? n->line : keys.front().line);
  }
  read_hydra(path, keys, lines, out);
  read_kubeflow(keys, lines, out);
}

}  // namespace mlaudit::pipelines
