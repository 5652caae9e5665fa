// The Compose signal reader: the services of a compose file, read from the YAML keys the
// config reader already collected (docker_signals.hpp lists the signals).
#include <map>
#include <set>

#include "analyzers/docker/docker_signals.hpp"
#include "analyzers/docker/image_reference.hpp"
#include "analyzers/manifests/source_lines.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::docker {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

// Compose interpolation: `${VAR:-default}` / `${VAR-default}` take the default, `$$` is a '$';
// `$VAR` / `${VAR}` / `${VAR:?err}` have no value here: false.
bool interpolate(std::string_view s, std::string& out) {
  out.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') { out += s[i]; continue; }
    if (i + 1 < s.size() && s[i + 1] == '$') { out += '$'; ++i; continue; }
    if (i + 1 >= s.size() || s[i + 1] != '{') return false;
    size_t close = s.find('}', i + 2);
    if (close == std::string_view::npos) return false;
    std::string_view inner = s.substr(i + 2, close - i - 2);
    size_t dash = inner.find('-');
    if (dash == std::string_view::npos || inner.find('?') < dash) return false;
    out += inner.substr(dash + 1);
    i = close;
  }
  return true;
}

struct Service {
  const facts::ConfigKey* image = nullptr;
  bool builds = false;
  uint32_t gpu_line = 0;
  bool gpu = false;
};

}  // namespace

bool reads_compose_file(std::string_view path) {
  std::string_view name = path_file_name(path);
  if (!ends_with(name, ".yml") && !ends_with(name, ".yaml")) return false;
  std::string_view stem = name.substr(0, name.rfind('.'));
  return stem == "compose" || stem == "docker-compose" || starts_with(stem, "compose.") ||
         starts_with(stem, "docker-compose.") || starts_with(stem, "docker-compose-") || starts_with(stem, "compose-");
}

void read_compose_signals(std::string_view, std::string_view text, facts::FileFacts& out) {
  std::map<std::string, Service> services;
  for (const auto& key : out.config) {
    std::string_view k = key.key;
    if (!starts_with(k, "services.")) continue;
    std::string_view rest = k.substr(9);
    size_t dot = rest.find('.');
    std::string name(rest.substr(0, dot));
    if (name.empty() || name.find('[') != std::string::npos) continue;
    if (dot == std::string_view::npos) { services[name]; continue; }
    std::string_view field = rest.substr(dot + 1);
    Service& s = services[name];
    if (field == "image") s.image = &key;
    else if (field == "build" || starts_with(field, "build.")) s.builds = true;
    bool gpu = (field == "deploy.resources.reservations.devices[].capabilities[]" && key.value == "gpu") ||
               (field == "deploy.resources.reservations.devices[].driver" && key.value == "nvidia") ||
               (field == "runtime" && key.value == "nvidia") || field == "gpus" || starts_with(field, "gpus[]");
    if (gpu && !s.gpu) { s.gpu = true; s.gpu_line = key.line; }
  }
  if (services.empty()) return;
  manifests::SourceLines lines(text);
  for (const auto& [name, s] : services) {
    if (s.gpu)
      out.signals.push_back({"compose.gpu-reservation", "service `" + name + "` reserves GPUs", lines.trimmed_line(s.gpu_line)});
    if (!s.image || s.image->value.empty()) continue;
    std::string reference;
    ImageReference ref;
    if (!interpolate(s.image->value, reference) || !parse_image_reference(reference, ref)) continue;
    // The value's bytes on its line, else the whole line.
    facts::Range at = lines.trimmed_line(s.image->line);
    std::string_view line_text = text.substr(at.start_byte, at.end_byte - at.start_byte);
    if (size_t found = line_text.find(s.image->value); found != std::string_view::npos)
      at = lines.range_at(at.start_byte + found, s.image->value.size());
    if (floats(ref) && !s.builds) {
      std::string why = ref.tag.empty() ? "has no tag (Docker pulls `:latest`)" : "is `:latest`";
      out.signals.push_back({"compose.image-unpinned", "service `" + name + "` image `" + reference + "` " + why, at});
    } else if (!ref.digest.empty()) {
      out.signals.push_back({"compose.image-digest", "service `" + name + "` image `" + ref.name + "` pinned by digest", at});
    }
    if (auto server = model_server_of(ref); !server.empty())
      out.signals.push_back({"compose.serving-image", "service `" + name + "` runs " + server + " (`" + reference + "`)", at});
  }
}

}  // namespace mlaudit::docker
