// Dockerfile / Containerfile reading: the base images of its FROM lines (ARG defaults
// substituted, stage references told apart) and the packages of its `RUN pip install` lines.
// Line continuations, comments, parser directives (`# escape=`) and heredocs are handled so
// they never produce a false image. analyzers/docker/docker_signals turns what it reads into
// signals and requirements.
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
  uint32_t start_byte = 0, end_byte = 0;  // the package word as written (quotes included)
};

// What Docker itself refuses to build: an unknown instruction, FROM without an image.
struct Problem {
  std::string message;
  uint32_t line = 0;  // 0-based
};

struct Dockerfile {
  std::vector<BaseImage> images;  // FROM lines that name an image (not `scratch`, not an earlier stage)
  std::vector<PipPackage> pip;    // packages of `pip install` commands in RUN instructions
  std::vector<Problem> problems;  // the file is not a valid Dockerfile
};

// Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, Containerfile.*; not the build
// context's ignore file (Dockerfile.dockerignore) nor templates and documents named after one
// (Dockerfile.j2, Dockerfile.md).
bool is_dockerfile_name(std::string_view file_name);

Dockerfile read_dockerfile(std::string_view text);

}  // namespace mlaudit::docker
