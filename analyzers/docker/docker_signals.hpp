// Signal readers of container definitions (analyzers/signal_readers.cpp registers them).
//
// Dockerfiles (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*; see is_dockerfile_name),
// read by analyzers/docker/dockerfile. Signals, each at the image reference of its FROM line:
//   docker.containerized        once per file, at the first FROM: the file builds an image.
//                               detail "Dockerfile builds on <final image>"
//   docker.base-image-unpinned  a base image without a tag or with `:latest`, and no digest.
//                               Not: a tag without digest, `scratch`, an earlier stage, an
//                               image whose ARG has no default, a reference Docker would refuse
//                               (a template placeholder). detail "base image `python` has no tag ..."
//   docker.base-image-digest    a base image pinned by digest. detail "base image `python:3.11` pinned by digest"
//   docker.gpu-base-image       a CUDA/ROCm/NGC/GPU image (nvidia/cuda, pytorch/pytorch:*-cuda*,
//                               tensorflow/tensorflow:*-gpu, rocm/*). detail "CUDA base image `...`"
//   docker.serving-image        a model server's image (Triton, TF Serving, TorchServe, TGI,
//                               vLLM, ...). detail "Triton Inference Server image `...`"
// `RUN pip install <package>` lines become facts::Requirement (PEP 508, ranged on the package
// word), so the rules and evidence of every other manifest apply to them (unpinned-dependency,
// `requirements:` evidence). What Docker refuses to build (an unknown instruction, FROM
// without an image, no FROM) is a facts::ParseError.
//
// Compose files (compose.yaml/.yml, compose.*.yaml, docker-compose.yml, docker-compose.*.yml,
// docker-compose-*.yml): YAML, so FileKind::Config; read from `out.config` (`services.<name>.*`).
//   compose.image-unpinned   `services.<s>.image` without tag or `:latest` (no digest), for a
//                            service that pulls it (no `build:`, which only names the image it
//                            builds). `${VAR:-default}` resolved; a variable without default:
//                            not reported. detail "service `web` image `redis:latest` ..."
//   compose.image-digest     a service image pinned by digest.
//   compose.gpu-reservation  a service reserving GPUs (deploy.resources.reservations.devices
//                            with capabilities [gpu] or driver nvidia, `gpus:`, `runtime: nvidia`).
//                            detail "service `trainer` reserves GPUs"
//   compose.serving-image    a service running a model server's image (as docker.serving-image).
#pragma once
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::docker {

bool reads_dockerfile(std::string_view path);
void read_dockerfile_signals(std::string_view path, std::string_view text, facts::FileFacts& out);

bool reads_compose_file(std::string_view path);
void read_compose_signals(std::string_view path, std::string_view text, facts::FileFacts& out);

}  // namespace mlaudit::docker
