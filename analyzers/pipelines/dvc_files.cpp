#include "analyzers/pipelines/dvc_files.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzers/signal_lines.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::pipelines {
namespace {

using manifests::SourceLines;
using signal_lines::add;
using signal_lines::ends_with;
using signal_lines::starts_with;

struct Stage {
  uint32_t line = 0;
  std::set<std::string> fields;  // deps, outs, params, metrics, plots, cmd...
};

// "stages.train.deps[]" -> ("train", "deps"); stage names never hold dots in DVC.
std::map<std::string, Stage> stages_of(const std::vector<facts::ConfigKey>& keys) {
  std::map<std::string, Stage> stages;
  for (const auto& k : keys) {
    if (!starts_with(k.key, "stages.")) continue;
    std::string_view rest = std::string_view(k.key).substr(7);
    size_t dot = rest.find('.');
    std::string name(rest.substr(0, dot));
    if (name.empty()) continue;
    auto [it, added] = stages.try_emplace(name);
    if (dot == std::string_view::npos) {
      it->second.line = k.line;
      continue;
    }
    if (added) it->second.line = k.line;
    std::string_view field = rest.substr(dot + 1);
    it->second.fields.emplace(field.substr(0, field.find_first_of(".[")));
  }
  return stages;
}

void read_dvc_yaml(const facts::FileFacts& in, const SourceLines& lines, facts::FileFacts& out) {
  auto stages = stages_of(in.config);
  if (!stages.empty()) {
    std::vector<std::string> names;
    for (const auto& [name, stage] : stages) names.push_back(name);
    const auto* at = signal_lines::find_key(in.config, "stages");
    add(out, lines, "dvc.pipeline",
        "DVC pipeline: " + std::to_string(stages.size()) + (stages.size() == 1 ? " stage (" : " stages (") +
            signal_lines::name_list(names) + ")",
        at ? at->line : stages.begin()->second.line);
  }
  bool tracked = false, metrics = false, params = false;
  for (const auto& [name, stage] : stages) {
    bool deps = stage.fields.count("deps"), outs = stage.fields.count("outs");
    if (!tracked && (deps || outs)) {
      tracked = true;
      add(out, lines, "dvc.data-tracked",
          "stage " + name + ": " + (deps && outs ? "deps and outs" : deps ? "deps" : "outs") + " tracked by DVC",
          stage.line);
    }
    if (!metrics && (stage.fields.count("metrics") || stage.fields.count("plots"))) {
      metrics = true;
      add(out, lines, "dvc.metrics", "stage " + name + " writes " + (stage.fields.count("metrics") ? "metrics" : "plots"),
          stage.line);
    }
    if (!params && stage.fields.count("params")) {
      params = true;
      add(out, lines, "dvc.params", "stage " + name + " reads params", stage.line);
    }
  }
  std::vector<std::string> artifacts;
  uint32_t artifacts_line = 0;
  for (const auto& k : in.config) {
    if (!metrics && (k.key == "metrics" || k.key == "plots")) {
      metrics = true;
      add(out, lines, "dvc.metrics", "dvc.yaml declares " + k.key, k.line);
    }
    if (k.key == "artifacts") artifacts_line = k.line;
    if (starts_with(k.key, "artifacts.") && k.key.find('.', 10) == std::string::npos) artifacts.push_back(k.key.substr(10));
  }
  if (!artifacts.empty()) add(out, lines, "dvc.artifacts", "DVC artifacts: " + signal_lines::name_list(artifacts), artifacts_line);
}

// dvc.lock is YAML under a name that is not: a Text file, read here.
void read_dvc_lock(std::string_view text, const SourceLines& lines, facts::FileFacts& out) {
  std::vector<facts::ConfigKey> keys;
  if (!signal_lines::read_yaml_text(text, lines, out, keys)) return;
  auto stages = stages_of(keys);
  if (stages.empty()) return;
  const auto* at = signal_lines::find_key(keys, "stages");
  add(out, lines, "dvc.lock",
      "dvc.lock records hashes for " + std::to_string(stages.size()) + (stages.size() == 1 ? " stage" : " stages"),
      at ? at->line : 0);
}

void read_dot_dvc(std::string_view path, std::string_view text, const SourceLines& lines, facts::FileFacts& out) {
  std::vector<facts::ConfigKey> keys;
  if (!signal_lines::read_yaml_text(text, lines, out, keys)) return;
  for (const auto& k : keys)
    if (k.key == "outs[].path" && !k.value.empty()) {
      add(out, lines, "dvc.data-tracked", std::string(path_file_name(path)) + " tracks " + k.value, k.line);
      return;
    }
}

// .dvc/config is INI as configobj reads it: `['remote "storage"']` or `[remote "storage"]`.
void read_dvc_config(std::string_view text, const SourceLines& lines, facts::FileFacts& out) {
  for (uint32_t line = 0; line < lines.line_count(); ++line) {
    facts::Range r = lines.trimmed_line(line);
    std::string_view content = text.substr(r.start_byte, r.end_byte - r.start_byte);
    if (content.empty() || content[0] != '[') continue;
    size_t close = content.rfind(']');
    if (close == std::string_view::npos) {
      out.parse_errors.push_back(manifests::error_at_line(lines, line, "section header without a closing ']'"));
      continue;
    }
    std::string_view section = content.substr(1, close - 1);
    if (!section.empty() && section.front() == '\'' && section.back() == '\'' && section.size() >= 2)
      section = section.substr(1, section.size() - 2);
    if (!starts_with(section, "remote ")) continue;
    std::string name(section.substr(7));
    std::erase(name, '"');
    add(out, lines, "dvc.remote", "DVC remote " + name, line);
  }
}

}  // namespace

bool reads_dvc_file(std::string_view path) {
  std::string_view name = path_file_name(path);
  if (name == "dvc.yaml" || name == "dvc.lock") return true;
  if (name == "config" && path_in_folder(path, ".dvc")) return true;
  return ends_with(name, ".dvc") && name.size() > 4;
}

void read_dvc_file(std::string_view path, std::string_view text, facts::FileFacts& out) {
  SourceLines lines(text);
  std::string_view name = path_file_name(path);
  if (name == "dvc.yaml") read_dvc_yaml(out, lines, out);
  else if (name == "dvc.lock") read_dvc_lock(text, lines, out);
  else if (name == "config") read_dvc_config(text, lines, out);
  else read_dot_dvc(path, text, lines, out);
}

}  // namespace mlaudit::pipelines
