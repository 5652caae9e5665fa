// analyzers/docker's signal readers, through analyze_text as the crawler and the editor call
// them: which files are read, the signals of FROM lines and Compose services (and what is
// never reported), `RUN pip install` packages as requirements, malformed Dockerfiles as parse
// errors, and the unpinned-base-image rule over a workspace (silent outside ML projects).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "analyzers/docker/image_reference.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;

std::vector<const facts::Signal*> with_id(const facts::FileFacts& f, const std::string& id) {
  std::vector<const facts::Signal*> out;
  for (const auto& s : f.signals)
    if (s.id == id) out.push_back(&s);
  return out;
}

std::string text_of(const std::string& text, const facts::Range& r) { return text.substr(r.start_byte, r.end_byte - r.start_byte); }

}  // namespace

TEST_CASE("docker signals: which files are Dockerfiles and Compose files") {
  for (const char* path : {"/ws/Dockerfile", "/ws/deploy/gpu.Dockerfile", "/ws/Dockerfile.cuda", "/ws/Containerfile"}) {
    CAPTURE(path);
    CHECK(classify_path(path) == facts::FileKind::Text);
  }
  for (const char* path : {"/ws/Dockerfile.dockerignore", "/ws/Dockerfile.j2", "/ws/Dockerfile.md", "/ws/docs/dockerfiles.txt"}) {
    CAPTURE(path);
    CHECK(classify_path(path) == facts::FileKind::Other);
    CHECK(analyze_text(path, "FROM python\n").signals.empty());
  }
  CHECK(classify_path("/ws/Dockerfile.py") == facts::FileKind::Python);
  // A compose file is YAML configuration read for its services; a look-alike name is not read.
  CHECK(classify_path("/ws/docker-compose.prod.yml") == facts::FileKind::Config);
  const std::string services = "services:\n  db:\n    image: postgres\n";
  CHECK_FALSE(analyze_text("/ws/docker-compose.prod.yml", services).signals.empty());
  CHECK_FALSE(analyze_text("/ws/compose.yaml", services).signals.empty());
  CHECK(analyze_text("/ws/composer.yaml", services).signals.empty());
  CHECK(analyze_text("/ws/config/services.yml", services).signals.empty());
}

TEST_CASE("docker signals: FROM lines — floating, digest, CUDA and model-server images; what is never reported") {
  const std::string text =
      "ARG CUDA=12.4.1\n"
      "ARG BASE\n"
      "FROM nvidia/cuda:${CUDA}-cudnn-runtime-ubuntu22.04 AS build\n"
      "FROM python AS plain\n"
      "FROM python:3.11-slim\n"
      "FROM python:3.11-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
      "FROM ${BASE}\n"
      "FROM build\n"
      "FROM scratch\n"
      "FROM {{base_image}}\n"
      "FROM nvcr.io/nvidia/tritonserver:latest\n"
      "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime\n";
  auto f = analyze_text("/ws/Dockerfile", text);
  CHECK(f.kind == facts::FileKind::Text);
  CHECK(f.parse_errors.empty());

  auto unpinned = with_id(f, "docker.base-image-unpinned");
  REQUIRE(unpinned.size() == 2);
  CHECK(unpinned[0]->detail == "base image `python` has no tag (Docker pulls `:latest`)");
  CHECK(unpinned[0]->range.start.line == 3);
  CHECK(text_of(text, unpinned[0]->range) == "python");
  CHECK(unpinned[1]->detail == "base image `nvcr.io/nvidia/tritonserver:latest` is `:latest`");
  CHECK(unpinned[1]->range.start.line == 10);

  auto digest = with_id(f, "docker.base-image-digest");
  REQUIRE(digest.size() == 1);
  CHECK(digest[0]->range.start.line == 5);
  CHECK(digest[0]->detail == "base image `python:3.11-slim` pinned by digest");

  auto gpu = with_id(f, "docker.gpu-base-image");
  REQUIRE(gpu.size() == 3);
  CHECK(gpu[0]->detail == "CUDA base image `nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04`");  // the ARG default resolved
  CHECK(text_of(text, gpu[0]->range) == "nvidia/cuda:${CUDA}-cudnn-runtime-ubuntu22.04");     // as written
  CHECK(gpu[1]->detail.rfind("NVIDIA NGC", 0) == 0);
  CHECK(gpu[2]->range.start.line == 11);

  auto serving = with_id(f, "docker.serving-image");
  REQUIRE(serving.size() == 1);
  CHECK(serving[0]->detail == "Triton Inference Server image `nvcr.io/nvidia/tritonserver:latest`");

  auto containerized = with_id(f, "docker.containerized");
  REQUIRE(containerized.size() == 1);
  CHECK(containerized[0]->detail == "Dockerfile builds on pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime");
}

TEST_CASE("docker signals: image references — tags, registries, placeholders, accelerators") {
  docker::ImageReference ref;
  REQUIRE(docker::parse_image_reference("registry.local:5000/team/img", ref));
  CHECK(ref.tag.empty());
  CHECK(docker::floats(ref));
  REQUIRE(docker::parse_image_reference("ghcr.io/huggingface/text-generation-inference:2.0.4", ref));
  CHECK_FALSE(docker::floats(ref));
  CHECK(docker::model_server_of(ref) == "Text Generation Inference");
  for (const char* bad : {"{{ base }}", "%%BALENA_ARCH%%-python", "Python:3", "python:", "a b", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(docker::parse_image_reference(bad, ref));
  }
  REQUIRE(docker::parse_image_reference("tensorflow/tensorflow:2.15.0-gpu", ref));
  CHECK(docker::accelerator_of(ref) == "GPU");
  REQUIRE(docker::parse_image_reference("rocm/pytorch:latest", ref));
  CHECK(docker::accelerator_of(ref) == "ROCm");
  REQUIRE(docker::parse_image_reference("python:3.11-slim", ref));
  CHECK(docker::accelerator_of(ref).empty());
  CHECK(docker::model_server_of(ref).empty());
  REQUIRE(docker::parse_image_reference("mycuda-tools/base:1.0", ref));  // "mycuda" is not the word "cuda"
  CHECK(docker::accelerator_of(ref).empty());
}

TEST_CASE("docker signals: RUN pip install packages are requirements, ranged on the package word") {
  const std::string text =
      "FROM python:3.11-slim\n"
      "RUN pip install --no-cache-dir -r requirements.txt && pip install . && pip install -e ./lib\n"
      "RUN python -m pip install \\\n"
      "      torch==2.3.1 \"transformers>=4.40\" \\\n"
      "      numpy ./wheels/x.whl git+https://github.com/org/repo\n";
  auto f = analyze_text("/ws/Dockerfile", text);
  REQUIRE(f.requirements.size() == 3);
  CHECK(f.requirements[0].name == "torch");
  CHECK(f.requirements[0].pinned);
  CHECK(text_of(text, f.requirements[0].range) == "torch==2.3.1");
  CHECK(f.requirements[0].range.start.line == 3);  // its own line, not the RUN line
  CHECK(f.requirements[1].name == "transformers");
  CHECK_FALSE(f.requirements[1].pinned);
  CHECK(text_of(text, f.requirements[1].range) == "\"transformers>=4.40\"");
  CHECK(f.requirements[2].name == "numpy");
  CHECK(f.requirements[2].range.start.line == 4);
}

TEST_CASE("docker signals: a malformed Dockerfile is a parse error at its line, never a crash") {
  auto unknown = analyze_text("/ws/Dockerfile", "FROM python:3.11\nRUN echo a &&\n    echo b\nCOPYY . /app\n");
  REQUIRE(unknown.parse_errors.size() == 2);  // `echo b` after a line without continuation, and COPYY
  CHECK(unknown.parse_errors[0].message == "unknown instruction `echo`");
  CHECK(unknown.parse_errors[0].range.start.line == 2);
  CHECK(unknown.parse_errors[1].message == "unknown instruction `COPYY`");
  // A line that is not an instruction is not quoted: it may hold anything (an ENV lost its keyword).
  auto secret = analyze_text("/ws/Dockerfile", "FROM python:3.11\nAPI_KEY=sk-abcdefabcdefabcdefabcdef\n");
  REQUIRE(secret.parse_errors.size() == 1);
  CHECK(secret.parse_errors[0].message.find("sk-") == std::string::npos);
  CHECK(analyze_text("/ws/Dockerfile", "FROM --platform=linux/amd64\n").parse_errors.at(0).message == "FROM names no image");
  CHECK(analyze_text("/ws/Dockerfile", "FROM python:3.11 AS\n").parse_errors.size() == 1);
  CHECK(analyze_text("/ws/Dockerfile", "RUN echo hi\n").parse_errors.at(0).message.find("no FROM") != std::string::npos);
  CHECK(analyze_text("/ws/Dockerfile", "").parse_errors.empty());  // a new, empty file is not broken yet
  // Valid files that look odd: empty lines inside a continuation, two heredocs, a here-string.
  auto valid = analyze_text("/ws/Dockerfile",
                            "# syntax=docker/dockerfile:1\n"
                            "FROM python:3.11\n"
                            "RUN apt-get update && \\\n"
                            "\n"
                            "    apt-get install -y git\n"
                            "RUN <<A cat - <<B\n"
                            "first body\n"
                            "A\n"
                            "second body\n"
                            "B\n"
                            "RUN cat <<<\"here string\"\n"
                            "onbuild RUN make\n");
  CHECK(valid.parse_errors.empty());
  for (const std::string text : {std::string("FROM"), std::string("FROM \\"), std::string("RUN <<EOF\nFROM x\n"),
                                 std::string("FROM ${UNCLOSED"), std::string("\\\n\\\n"), std::string("\xff\xfe FROM\n")}) {
    auto f = analyze_text("/ws/Dockerfile", text);
    for (const auto& s : f.signals) CHECK(s.range.end_byte <= text.size());
  }
}

TEST_CASE("compose signals: service images, builds, interpolation, digests, GPUs and model servers") {
  const std::string text =
      "services:\n"
      "  app:\n"
      "    build: .\n"
      "    image: churn-api\n"                               // names the image it builds: not pulled
      "  cache:\n"
      "    image: \"redis:latest\"\n"
      "  db:\n"
      "    image: ${DB_IMAGE:-postgres}\n"
      "  proxy:\n"
      "    image: ${PROXY_IMAGE}\n"                          // unknown: not reported
      "  pinned:\n"
      "    image: nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
      "  tgi:\n"
      "    image: ghcr.io/huggingface/text-generation-inference:2.0.4\n"
      "    deploy:\n"
      "      resources:\n"
      "        reservations:\n"
      "          devices:\n"
      "            - driver: nvidia\n"
      "              count: 1\n"
      "              capabilities: [gpu]\n"
      "  legacy:\n"
      "    image: python:3.11\n"
      "    runtime: nvidia\n";
  auto f = analyze_text("/ws/docker-compose.yml", text);
  CHECK(f.kind == facts::FileKind::Config);
  auto unpinned = with_id(f, "compose.image-unpinned");
  REQUIRE(unpinned.size() == 2);
  CHECK(unpinned[0]->detail == "service `cache` image `redis:latest` is `:latest`");
  CHECK(text_of(text, unpinned[0]->range) == "redis:latest");
  CHECK(unpinned[0]->range.start.line == 5);
  CHECK(unpinned[1]->detail == "service `db` image `postgres` has no tag (Docker pulls `:latest`)");
  CHECK(with_id(f, "compose.image-digest").size() == 1);
  auto gpu = with_id(f, "compose.gpu-reservation");
  REQUIRE(gpu.size() == 2);
  CHECK(gpu[0]->detail == "service `legacy` reserves GPUs");
  CHECK(gpu[1]->detail == "service `tgi` reserves GPUs");
  auto serving = with_id(f, "compose.serving-image");
  REQUIRE(serving.size() == 1);
  CHECK(serving[0]->detail == "service `tgi` runs Text Generation Inference (`ghcr.io/huggingface/text-generation-inference:2.0.4`)");
  // A compose file that is not YAML: a parse error at its line (malformed-file), no signals.
  auto broken = analyze_text("/ws/compose.yaml", "services:\n  a: [\n");
  CHECK(broken.skipped.reason.empty());
  REQUIRE(broken.parse_errors.size() == 1);
  CHECK(broken.parse_errors[0].message.rfind("invalid YAML", 0) == 0);
  CHECK(broken.signals.empty());
}

TEST_CASE("unpinned-base-image: findings in ML workspaces at the image, with the rule's words; silent elsewhere") {
  const std::map<std::string, std::string> files = {
      {"train.py", "import torch\nmodel = torch.nn.Linear(2, 2)\n"},
      {"Dockerfile", "FROM python:latest\nRUN pip install torch transformers==4.44.2\n"},
      {"compose.yaml", "services:\n  web:\n    image: nginx  # mlaudit: ignore[unpinned-base-image]\n  db:\n    image: postgres\n"},
  };
  auto ws = test::build_workspace(files);
  auto found = ws.of("Dockerfile", "unpinned-base-image");
  REQUIRE(found.size() == 1);
  CHECK(test::covered(files, "Dockerfile", found[0]) == "python:latest");
  CHECK(found[0].severity == rubric::Severity::Medium);
  CHECK(found[0].checklist_id == "infrastructure.reproducible-environments");
  CHECK(found[0].message.find("base image `python:latest` is `:latest`: every build") == 0);
  auto compose = ws.of("compose.yaml", "unpinned-base-image");
  REQUIRE(compose.size() == 1);  // nginx is suppressed on its line
  CHECK(test::covered(files, "compose.yaml", compose[0]) == "postgres");
  // `RUN pip install torch` is an unpinned ML framework like a requirements line; the pinned one is not.
  auto deps = ws.of("Dockerfile", "unpinned-dependency");
  REQUIRE(deps.size() == 1);
  CHECK(test::covered(files, "Dockerfile", deps[0]) == "torch");

  // A lock file that pins torch silences the Dockerfile's unpinned torch as it does a manifest's.
  auto locked = test::build_workspace({{"train.py", files.at("train.py")},
                                       {"Dockerfile", files.at("Dockerfile")},
                                       {"poetry.lock", "[[package]]\nname = \"torch\"\nversion = \"2.3.1\"\n"}});
  CHECK(locked.of("Dockerfile", "unpinned-dependency").empty());
  CHECK(locked.of("Dockerfile", "unpinned-base-image").size() == 1);

  // Not an ML project: a web service's Dockerfile and compose file are none of our business.
  auto web = test::build_workspace({{"app.py", "import flask\napp = flask.Flask(__name__)\n"},
                                    {"Dockerfile", "FROM python\nRUN pip install flask\n"},
                                    {"compose.yaml", "services:\n  db:\n    image: postgres:latest\n"}});
  CHECK(web.findings.empty());
}
