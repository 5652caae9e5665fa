// What an image reference ("nvidia/cuda:12.4.1-runtime-ubuntu22.04", "python@sha256:...")
// says, for Dockerfile FROM lines and Compose `image:` keys alike: whether it is a valid
// reference at all (a template placeholder is not), whether it floats (no tag, or :latest),
// and whether it is a GPU image or a model server's image.
#pragma once
#include <string>
#include <string_view>

namespace mlaudit::docker {

struct ImageReference {
  std::string name;    // registry and repository: "nvcr.io/nvidia/tritonserver"
  std::string tag;     // "" when none (Docker then pulls :latest)
  std::string digest;  // "sha256:..." when pinned by digest
};

// Splits `reference`; nullopt-like `false` when it is not a reference Docker accepts
// (placeholders such as `{{ base }}` or `%%ARCH%%`, upper case in the repository, spaces).
bool parse_image_reference(std::string_view reference, ImageReference& out);

// No digest, and no tag or the `latest` tag: what it pulls changes whenever the tag moves.
bool floats(const ImageReference& image);

// "CUDA", "ROCm", "GPU" or "NVIDIA NGC" when the image is built for accelerators, else "".
std::string accelerator_of(const ImageReference& image);

// The model server an image runs ("Triton Inference Server", "TF Serving", ...), else "".
std::string model_server_of(const ImageReference& image);

}  // namespace mlaudit::docker
