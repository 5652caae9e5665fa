// analyzers/docker: FROM images (tags, digests, ARG defaults, stages) and `RUN pip install`
// packages, through continuations, comments, directives, heredocs and malformed files.
#include <doctest/doctest.h>

#include <string>

#include "analyzers/docker/dockerfile.hpp"

using mlaudit::docker::read_dockerfile;

TEST_CASE("dockerfile: file names") {
  for (const char* name : {"Dockerfile", "Containerfile", "gpu.Dockerfile", "Dockerfile.cuda", "dockerfile"})
    CHECK(mlaudit::docker::is_dockerfile_name(name));
  // (A "Dockerfile.py" is Python: classify_path decides .py before any other name.)
  for (const char* name : {"docker-compose.yml", "README.md", "mydockerfile", "Dockerfiles"}) {
    CAPTURE(name);
    CHECK_FALSE(mlaudit::docker::is_dockerfile_name(name));
  }
}

TEST_CASE("dockerfile: images with tag, digest, none, registry port, platform, stages and scratch") {
  const std::string text =
      "# syntax=docker/dockerfile:1\n"
      "ARG CUDA=12.4.1\n"
      "ARG BASE\n"
      "FROM --platform=$BUILDPLATFORM nvidia/cuda:${CUDA}-runtime-ubuntu22.04 AS build\n"
      "RUN make\n"
      "FROM python AS plain\n"
      "FROM registry.local:5000/team/img\n"
      "FROM python:3.11-slim@sha256:0123abcd\n"
      "FROM ${BASE}\n"
      "FROM build\n"
      "FROM scratch\n"
      "FROM ubuntu:latest\n";
  auto d = read_dockerfile(text);
  REQUIRE(d.images.size() == 6);
  CHECK(d.images[0].reference == "nvidia/cuda:12.4.1-runtime-ubuntu22.04");
  CHECK(d.images[0].tag == "12.4.1-runtime-ubuntu22.04");
  CHECK(d.images[0].stage == "build");
  CHECK(d.images[0].line == 3);
  CHECK(text.substr(d.images[0].start_byte, d.images[0].end_byte - d.images[0].start_byte) ==
        "nvidia/cuda:${CUDA}-runtime-ubuntu22.04");
  CHECK(d.images[1].name == "python");
  CHECK(d.images[1].tag.empty());
  CHECK(d.images[2].name == "registry.local:5000/team/img");  // the port is not a tag
  CHECK(d.images[2].tag.empty());
  CHECK(d.images[3].tag == "3.11-slim");
  CHECK(d.images[3].digest == "sha256:0123abcd");
  CHECK_FALSE(d.images[4].resolved);  // ARG BASE has no default
  CHECK(d.images[5].tag == "latest");   // `FROM build` (a stage) and `scratch` are not images
  CHECK(d.images[5].line == 11);
}

TEST_CASE("dockerfile: continuations, comments, escape directive and heredocs do not make images") {
  const std::string text =
      "# escape=`\n"
      "FROM `\n"
      "  # a comment inside the continuation\n"
      "  python:3.12\n"
      "RUN <<EOF\n"
      "FROM evil:latest\n"
      "pip install torch\n"
      "EOF\n"
      "RUN echo $((1<<2))\n"
      "# FROM commented:latest\n"
      "RUN pip install --no-cache-dir `\n"
      "      torch==2.5.1 \"transformers>=4.40\" numpy `\n"
      "      -r requirements.txt -e ./local && echo done\n";
  auto d = read_dockerfile(text);
  REQUIRE(d.images.size() == 1);
  CHECK(d.images[0].reference == "python:3.12");
  CHECK(d.images[0].line == 1);
  REQUIRE(d.pip.size() == 3);
  CHECK(d.pip[0].spec == "torch==2.5.1");
  CHECK(d.pip[0].pinned);
  CHECK(d.pip[1].spec == "transformers>=4.40");
  CHECK_FALSE(d.pip[1].pinned);
  CHECK(d.pip[2].spec == "numpy");
  CHECK_FALSE(d.pip[2].pinned);
  CHECK(d.pip[2].line == 10);
}

TEST_CASE("dockerfile: malformed input yields what can be read, never a crash") {
  for (const std::string text : {std::string(""), std::string("FROM"), std::string("FROM \\"), std::string("RUN <<EOF\nFROM x\n"),
                                 std::string("FROM ${UNCLOSED"), std::string("\\\n\\\n"), std::string("ARG\nFROM --platform=x\n"),
                                 std::string("RUN pip install"), std::string("FROM a AS\nFROM A\n")}) {
    CAPTURE(text);
    auto d = read_dockerfile(text);
    for (const auto& image : d.images) CHECK(image.end_byte <= text.size());
  }
  CHECK(read_dockerfile("RUN <<EOF\nFROM x:latest\n").images.empty());     // an unterminated heredoc
  CHECK_FALSE(read_dockerfile("FROM ${UNCLOSED").images.at(0).resolved);
  CHECK(read_dockerfile("FROM a AS s1\nFROM S1\n").images.size() == 1);    // stage names ignore case
}
