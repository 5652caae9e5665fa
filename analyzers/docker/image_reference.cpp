#include "analyzers/docker/image_reference.hpp"

#include <cctype>
#include <vector>

namespace mlaudit::docker {
namespace {

bool ends_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

// Words of a name or tag split at '-', '_', '.' and '/': "2.3.0-cuda12.1-cudnn8" -> 2,3,0,cuda12,1,cudnn8.
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == '-' || c == '_' || c == '.' || c == '/') {
      if (!out.back().empty()) out.emplace_back();
    } else {
      out.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

bool parse_image_reference(std::string_view reference, ImageReference& out) {
  out = {};
  if (reference.empty() || reference.size() > 255) return false;
  std::string_view ref = reference;
  if (size_t at = ref.find('@'); at != std::string_view::npos) {
    out.digest = std::string(ref.substr(at + 1));
    ref = ref.substr(0, at);
    if (out.digest.find(':') == std::string::npos) return false;
  }
  size_t colon = ref.rfind(':');
  size_t slash = ref.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    out.tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
    if (out.tag.empty()) return false;
    for (unsigned char c : out.tag)
      if (!std::isalnum(c) && c != '_' && c != '.' && c != '-') return false;
  }
  if (ref.empty()) return false;
  // The registry host (before the first '/', when it has a '.' or ':' or is localhost) may
  // have upper case and a port; the repository path is lower case, digits and separators.
  size_t first_slash = ref.find('/');
  std::string_view host = first_slash == std::string_view::npos ? std::string_view() : ref.substr(0, first_slash);
  bool has_host = !host.empty() && (host.find('.') != std::string_view::npos || host.find(':') != std::string_view::npos ||
                                    host == "localhost");
  std::string_view path = has_host ? ref.substr(first_slash + 1) : ref;
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  for (unsigned char c : path)
    if (!(std::islower(c) || std::isdigit(c) || c == '_' || c == '.' || c == '-' || c == '/')) return false;
  for (unsigned char c : host)
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == ':')) return false;
  out.name = std::string(ref);
  return true;
}

bool floats(const ImageReference& image) { return image.digest.empty() && (image.tag.empty() || image.tag == "latest"); }

std::string accelerator_of(const ImageReference& image) {
  std::string_view name = image.name;
  if (starts_with(name, "nvcr.io/nvidia/")) return "NVIDIA NGC";
  for (const auto& w : words_of(name.substr(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1))) {
    if (w == "cuda" || w == "cudagl") return "CUDA";
    if (w == "rocm") return "ROCm";
    if (w == "gpu") return "GPU";
  }
  if (starts_with(name, "rocm/")) return "ROCm";
  for (const auto& w : words_of(image.tag)) {
    bool cu_version = w.size() > 2 && starts_with(w, "cu") && w.find_first_not_of("0123456789", 2) == std::string::npos;
    if (starts_with(w, "cuda") || starts_with(w, "cudnn") || cu_version) return "CUDA";  // cuda12.1, cudnn8, cu121
    if (starts_with(w, "rocm")) return "ROCm";
    if (w == "gpu") return "GPU";
  }
  return "";
}

std::string model_server_of(const ImageReference& image) {
  // The repository's last two segments, so any registry mirror matches.
  static const std::pair<const char*, const char*> servers[] = {
      {"nvidia/tritonserver", "Triton Inference Server"},
      {"tensorflow/serving", "TF Serving"},
      {"pytorch/torchserve", "TorchServe"},
      {"huggingface/text-generation-inference", "Text Generation Inference"},
      {"huggingface/text-embeddings-inference", "Text Embeddings Inference"},
      {"vllm/vllm-openai", "vLLM"},
      {"lmsysorg/sglang", "SGLang"},
      {"ollama/ollama", "Ollama"},
      {"seldonio/mlserver", "MLServer"},
      {"openvino/model_server", "OpenVINO Model Server"},
      {"kserve/huggingfaceserver", "KServe"},
      {"kserve/sklearnserver", "KServe"},
      {"kserve/xgbserver", "KServe"},
  };
  for (const auto& [suffix, server] : servers) {
    std::string_view s = suffix;
    if (image.name == s || (ends_with(image.name, s) && image.name[image.name.size() - s.size() - 1] == '/')) return server;
  }
  return "";
}

}  // namespace mlaudit::docker
