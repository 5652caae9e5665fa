// analyzers/requirements: requirement lines, pins, PEP 503 names, options and comments.
#include <doctest/doctest.h>

#include <string>

#include "analyzers/requirements.hpp"

using mlaudit::normalize_package_name;
using mlaudit::parse_requirements;
using mlaudit::facts::Requirement;

namespace {
std::vector<std::string> names(const std::vector<Requirement>& reqs) {
  std::vector<std::string> out;
  for (const auto& r : reqs) out.push_back(r.name);
  return out;
}
}  // namespace

TEST_CASE("requirements: exact pins, ranges and no specifier") {
  auto reqs = parse_requirements(
      "torch==2.1.0\n"
      "numpy>=1.24,<2\n"
      "pandas\n"
      "scipy~=1.11\n"
      "xgboost===2.0.3\n"
      "lightgbm==4.*\n"
      "catboost!=1.2\n"
      "accelerate <= 0.25\n");
  REQUIRE(reqs.size() == 8);
  CHECK(reqs[0].name == "torch");
  CHECK(reqs[0].specifier == "==2.1.0");
  CHECK(reqs[0].pinned);
  CHECK(reqs[1].specifier == ">=1.24,<2");
  CHECK_FALSE(reqs[1].pinned);
  CHECK(reqs[2].specifier == "");
  CHECK_FALSE(reqs[2].pinned);
  CHECK_FALSE(reqs[3].pinned);
  CHECK(reqs[4].pinned);        // arbitrary equality pins too
  CHECK_FALSE(reqs[5].pinned);  // a wildcard is a range
  CHECK_FALSE(reqs[6].pinned);
  CHECK(reqs[7].name == "accelerate");
  CHECK(reqs[7].specifier == "<= 0.25");
  CHECK_FALSE(reqs[7].pinned);
}

TEST_CASE("requirements: extras and environment markers") {
  auto reqs = parse_requirements(
      "transformers[torch,sentencepiece]==4.36.2\n"
      "torch==2.1.0; python_version >= \"3.8\"\n"
      "jax[cuda12] >= 0.4 ; sys_platform == 'linux'\n"
      "tensorflow;platform_machine!='arm64'\n");
  REQUIRE(reqs.size() == 4);
  CHECK(reqs[0].name == "transformers");
  CHECK(reqs[0].specifier == "==4.36.2");
  CHECK(reqs[0].pinned);
  CHECK(reqs[1].specifier == "==2.1.0");  // the marker is not part of the version
  CHECK(reqs[1].pinned);
  CHECK(reqs[2].name == "jax");
  CHECK(reqs[2].specifier == ">= 0.4");
  CHECK_FALSE(reqs[2].pinned);
  CHECK(reqs[3].name == "tensorflow");
  CHECK(reqs[3].specifier == "");
  CHECK_FALSE(reqs[3].pinned);
}

TEST_CASE("requirements: --hash options, continuation lines and comments") {
  auto reqs = parse_requirements(
      "# a comment line\n"
      "   # an indented comment\n"
      "torch==2.1.0 --hash=sha256:0123456789abcdef\n"
      "numpy==1.26.4 \\\n"
      "    --hash=sha256:aaaa \\\n"
      "    --hash=sha256:bbbb\n"
      "scikit-learn  # pinned by the lock file\n"
      "\n"
      "requests>=2 # comment right after\n");
  CHECK(names(reqs) == std::vector<std::string>{"torch", "numpy", "scikit-learn", "requests"});
  CHECK(reqs[0].specifier == "==2.1.0");
  CHECK(reqs[0].pinned);
  CHECK(reqs[1].specifier == "==1.26.4");
  CHECK(reqs[1].pinned);
  CHECK(reqs[2].specifier == "");
  CHECK(reqs[3].specifier == ">=2");
}

TEST_CASE("requirements: -r, -e, -c and index options are not requirements") {
  auto reqs = parse_requirements(
      "-r base.txt\n"
      "--requirement other.txt\n"
      "-c constraints.txt\n"
      "-e git+https://github.com/org/repo.git#egg=repo\n"
      "-e .\n"
      "--index-url https://download.pytorch.org/whl/cu121\n"
      "--extra-index-url https://pypi.org/simple\n"
      "-f https://data.pyg.org/whl/torch-2.1.0+cu121.html\n"
      "torch==2.1.0+cu121\n");
  REQUIRE(names(reqs) == std::vector<std::string>{"torch"});
  CHECK(reqs[0].specifier == "==2.1.0+cu121");
  CHECK(reqs[0].pinned);
}

TEST_CASE("requirements: direct URL references are pinned to the URL") {
  auto reqs = parse_requirements(
      "mypkg @ https://example.com/mypkg-1.0.tar.gz#sha256=abc\n"
      "other@git+https://github.com/org/other.git@v1.2\n"
      "torch @ file:///wheels/torch-2.1.0-cp311-linux_x86_64.whl\n");
  REQUIRE(names(reqs) == std::vector<std::string>{"mypkg", "other", "torch"});
  for (const auto& r : reqs) {
    CAPTURE(r.name);
    CHECK(r.pinned);
  }
}

TEST_CASE("requirements: a bare URL or VCS line names no package called after its scheme") {
  // pip accepts a URL on its own (`https://.../pkg.whl`, `git+https://...#egg=name`). The
  // package name is not knowable from the line, and "https" or "git" is certainly not it.
  auto reqs = parse_requirements(
      "https://download.pytorch.org/whl/cu121/torch-2.1.0%2Bcu121-cp311-cp311-linux_x86_64.whl\n"
      "git+https://github.com/huggingface/transformers.git@v4.36.2#egg=transformers\n"
      "./local/pkg\n"
      "numpy==1.26.4\n");
  CHECK(names(reqs) == std::vector<std::string>{"numpy"});
}

TEST_CASE("requirements: PEP 503 normalization of names") {
  CHECK(normalize_package_name("Scikit_Learn") == "scikit-learn");
  CHECK(normalize_package_name("scikit-learn") == "scikit-learn");
  CHECK(normalize_package_name("zope.interface") == "zope-interface");
  CHECK(normalize_package_name("Foo__Bar--Baz._Qux") == "foo-bar-baz-qux");
  CHECK(normalize_package_name("PyTorch_Lightning") == "pytorch-lightning");
  auto reqs = parse_requirements("Scikit_Learn==1.3.2\nSentence.Transformers>=2\nPyYAML\n");
  CHECK(names(reqs) == std::vector<std::string>{"scikit-learn", "sentence-transformers", "pyyaml"});
}

TEST_CASE("requirements: CRLF line endings, and ranges in bytes and lines") {
  const std::string text = "torch==2.1.0\r\n  numpy>=1.0  \r\n# c\r\npandas";
  auto reqs = parse_requirements(text);
  REQUIRE(reqs.size() == 3);
  CHECK(reqs[0].specifier == "==2.1.0");  // no trailing '\r'
  CHECK(reqs[0].pinned);
  CHECK(reqs[0].range.start_byte == 0);
  CHECK(reqs[0].range.end_byte == 12);
  CHECK(reqs[0].range.start == mlaudit::facts::Point{0, 0});
  CHECK(reqs[0].range.end == mlaudit::facts::Point{0, 12});
  CHECK(reqs[1].name == "numpy");
  CHECK(reqs[1].specifier == ">=1.0");
  CHECK(text.substr(reqs[1].range.start_byte, reqs[1].range.end_byte - reqs[1].range.start_byte) == "numpy>=1.0");
  CHECK(reqs[1].range.start == mlaudit::facts::Point{1, 2});
  CHECK(reqs[2].name == "pandas");
  CHECK(reqs[2].range.start.line == 3);
  CHECK(reqs[2].range.start_byte == text.size() - 6);
}

TEST_CASE("requirements: empty and whitespace-only input") {
  CHECK(parse_requirements("").empty());
  CHECK(parse_requirements("\n\n   \n\t\n").empty());
  CHECK(parse_requirements("# only comments\r\n#\r\n").empty());
}
