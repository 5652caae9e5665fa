// Dockerfile / Containerfile reading: the base images of its FROM lines (ARG defaults
// substituted, stage references told apart) and the packages of its `RUN pip install` lines.
// Line continuations, comments, parser directives (`# escape=`) and heredocs are handled so
// they never produce a false image. Not yet wired into facts::FileFacts (see the report of
// branch h/rules2): this is the parser the `unpinned-base-image` rule will read.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit::docker {

struct BaseImage {
  std::string reference;  // as resolved: "python:3.11-slim", "nvidia/cuda:12.4.1-runtime-ubuntu22.04"
  std::string name;       // without tag and digest: "python", "ghcr.io:5000/org/img"
  std::string tag;        // "" when none (Docker then pulls :latest)
  std::string digest;     // "sha256:..." when pinned by digest
  std::string stage;      // the `AS name` of this stage, "" when none
  bool resolved = true;   // false: a variable without a literal ARG default remains
  uint32_t line = 0;      // 0-based line of the FROM instruction
  uint32_t start_byte = 0, end_byte = 0;  // the image reference as written
};

struct PipPackage {
  std::string spec;   // "torch==2.5.1", "transformers>=4", "numpy"
  bool pinned = false;  // an exact == pin without wildcard
  uint32_t line = 0;  // 0-based line of the RUN instruction
};

struct Dockerfile {
  std::vector<BaseImage> images;  // FROM lines that name an image (not `scratch`, not an earlier stage)
  std::vector<PipPackage> pip;    // packages of `pip install` commands in RUN instructions
};

// Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, Containerfile.*
bool is_dockerfile_name(std::string_view file_name);

Dockerfile read_dockerfile(std::string_view text);

}  // namespace mlaudit::docker
