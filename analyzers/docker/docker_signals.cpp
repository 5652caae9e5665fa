// The Dockerfile signal reader: analyzers/docker/dockerfile's images, pip packages and
// problems as signals, requirements and parse errors (docker_signals.hpp lists them).
#include "analyzers/docker/docker_signals.hpp"

#include "analyzers/docker/dockerfile.hpp"
#include "analyzers/docker/image_reference.hpp"
#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/manifests/source_lines.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::docker {

bool reads_dockerfile(std::string_view path) { return is_dockerfile_name(path_file_name(path)); }

void read_dockerfile_signals(std::string_view path, std::string_view text, facts::FileFacts& out) {
  manifests::SourceLines lines(text);
  Dockerfile file = read_dockerfile(text);
  std::string name(path_file_name(path));
  for (const auto& problem : file.problems)
    out.parse_errors.push_back(manifests::error_at_line(lines, problem.line, problem.message));

  std::string final_image;
  for (const auto& image : file.images) {
    ImageReference ref;
    if (!image.resolved || !parse_image_reference(image.reference, ref)) continue;  // an ARG without default, a placeholder
    facts::Range at = lines.range_at(image.start_byte, image.end_byte - image.start_byte);
    final_image = image.reference;
    if (floats(ref)) {
      std::string why = ref.tag.empty() ? "has no tag (Docker pulls `:latest`)" : "is `:latest`";
      out.signals.push_back({"docker.base-image-unpinned", "base image `" + image.reference + "` " + why, at});
    } else if (!ref.digest.empty()) {
      out.signals.push_back({"docker.base-image-digest", "base image `" + ref.name + (ref.tag.empty() ? "" : ":" + ref.tag) +
                                                             "` pinned by digest", at});
    }
    if (auto accelerator = accelerator_of(ref); !accelerator.empty())
      out.signals.push_back({"docker.gpu-base-image", accelerator + " base image `" + image.reference + "`", at});
    if (auto server = model_server_of(ref); !server.empty())
      out.signals.push_back({"docker.serving-image", server + " image `" + image.reference + "`", at});
  }
  if (!file.images.empty() || !final_image.empty()) {
    const auto& first = file.images.front();
    std::string detail = final_image.empty() ? name + " builds an image" : name + " builds on " + final_image;
    out.signals.push_back({"docker.containerized", detail, lines.range_at(first.start_byte, first.end_byte - first.start_byte)});
  }

  for (const auto& package : file.pip) {
    std::string spec = package.spec;
    auto requirement = manifests::parse_pep508(spec);
    if (!requirement || !requirement->url.empty()) continue;
    requirement->range = lines.range_at(package.start_byte, package.end_byte - package.start_byte);
    out.requirements.push_back(std::move(*requirement));
  }
}

}  // namespace mlaudit::docker
