// analyzers/manifests: every manifest and lock format, with valid, irrelevant and broken input.
#include <doctest/doctest.h>

#include <string>

#include "analyzers/analyzer.hpp"
#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/manifests/manifests.hpp"

using namespace mlaudit;
using facts::FileKind;
using facts::Requirement;

namespace {

const Requirement* find(const std::vector<Requirement>& reqs, const std::string& name, const std::string& group = "") {
  for (const auto& r : reqs)
    if (r.name == name && (group.empty() || r.group == group)) return &r;
  return nullptr;
}

std::string covered(const std::string& text, const facts::Range& r) { return text.substr(r.start_byte, r.end_byte - r.start_byte); }

}  // namespace

// --- requirements*.txt ----------------------------------------------------------------------

TEST_CASE("manifests/requirements: -r and -c includes are facts") {
  const std::string text =
      "-r base.txt\n"
      "--requirement=dev/extra.txt\n"
      "-c constraints.txt\n"
      "--constraint ../shared/pins.txt  # shared pins\n"
      "torch==2.6.0\n";
  auto read = manifests::read_requirements_txt(text);
  REQUIRE(read.includes.size() == 4);
  CHECK(read.includes[0].path == "base.txt");
  CHECK_FALSE(read.includes[0].constraint);
  CHECK(covered(text, read.includes[0].range) == "base.txt");
  CHECK(read.includes[1].path == "dev/extra.txt");
  CHECK(read.includes[2].path == "constraints.txt");
  CHECK(read.includes[2].constraint);
  CHECK(read.includes[3].path == "../shared/pins.txt");
  CHECK(read.includes[3].constraint);
  CHECK(read.includes[3].range.start.line == 3);
  REQUIRE(read.requirements.size() == 1);
  CHECK(read.errors.empty());
}

TEST_CASE("manifests/requirements: extras, markers, hashes, URLs and editable installs") {
  const std::string text =
      "transformers[torch,sentencepiece]==4.48.0 ; python_version >= \"3.9\"\n"
      "numpy==1.26.4 \\\n"
      "    --hash=sha256:aaaa \\\n"
      "    --hash=sha256:bbbb\n"
      "scikit-learn>=1.4\n"
      "peft @ git+https://github.com/huggingface/peft.git\n"
      "trl @ git+https://github.com/huggingface/trl.git@v0.12.1\n"
      "-e git+https://github.com/org/tools.git@3f2a9c1e#egg=ml-tools\n"
      "-e git+https://github.com/org/dev.git#egg=dev_tools\n"
      "-e .\n";
  auto read = manifests::read_requirements_txt(text);
  CHECK(read.errors.empty());
  const auto* tf = find(read.requirements, "transformers");
  REQUIRE(tf);
  CHECK(tf->extras == std::vector<std::string>{"torch", "sentencepiece"});
  CHECK(tf->marker == "python_version >= \"3.9\"");
  CHECK(tf->specifier == "==4.48.0");
  CHECK(tf->pinned);
  CHECK_FALSE(tf->hashed);
  const auto* numpy = find(read.requirements, "numpy");
  REQUIRE(numpy);
  CHECK(numpy->hashed);  // the hashes sit on continuation lines
  CHECK(numpy->pinned);
  CHECK(covered(text, numpy->range) == "numpy==1.26.4");
  CHECK_FALSE(find(read.requirements, "scikit-learn")->hashed);
  const auto* peft = find(read.requirements, "peft");
  REQUIRE(peft);
  CHECK(peft->url == "git+https://github.com/huggingface/peft.git");
  CHECK_FALSE(peft->pinned);  // follows the default branch
  CHECK(find(read.requirements, "trl")->pinned);  // @v0.12.1
  const auto* tools = find(read.requirements, "ml-tools");
  REQUIRE(tools);
  CHECK(tools->editable);
  CHECK(tools->pinned);
  const auto* dev = find(read.requirements, "dev-tools");
  REQUIRE(dev);
  CHECK(dev->editable);
  CHECK_FALSE(dev->pinned);
  CHECK(read.requirements.size() == 7);  // `-e .` names no package
  for (const auto& r : read.requirements) CHECK(r.group == "main");
}

TEST_CASE("manifests/requirements: a line pip cannot read is an error at that line") {
  const std::string text = "torch==2.6.0\ntorch 2.1\nnumpy[extra==1\n";
  auto read = manifests::read_requirements_txt(text);
  CHECK(read.requirements.size() == 1);
  REQUIRE(read.errors.size() == 2);
  CHECK(read.errors[0].range.start.line == 1);
  CHECK(covered(text, read.errors[0].range) == "torch 2.1");
  CHECK(read.errors[1].range.start.line == 2);
}

// --- pyproject.toml -------------------------------------------------------------------------

TEST_CASE("manifests/pyproject: PEP 621 dependencies, extras and PEP 735 groups") {
  const std::string text = R"([project]
name = "churn-model"
requires-python = ">=3.10"
dependencies = [
  "torch>=2.4",
  "scikit-learn==1.5.2",
  "Transformers[torch] ~= 4.46 ; platform_system != 'Windows'",
]

[project.optional-dependencies]
serve = ["fastapi>=0.110", "uvicorn"]
gpu = ["onnxruntime-gpu==1.19.2"]

[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff==0.6.9"]
)";
  auto read = manifests::read_pyproject(text);
  CHECK(read.errors.empty());
  REQUIRE(read.requirements.size() == 8);
  const auto* torch = find(read.requirements, "torch");
  REQUIRE(torch);
  CHECK(torch->group == "main");
  CHECK(torch->specifier == ">=2.4");
  CHECK_FALSE(torch->pinned);
  CHECK(covered(text, torch->range) == "\"torch>=2.4\"");
  CHECK(torch->range.start.line == 4);
  CHECK(find(read.requirements, "scikit-learn")->pinned);
  const auto* tf = find(read.requirements, "transformers");
  REQUIRE(tf);
  CHECK(tf->extras == std::vector<std::string>{"torch"});
  CHECK(tf->marker == "platform_system != 'Windows'");
  CHECK(find(read.requirements, "fastapi", "optional:serve"));
  CHECK(find(read.requirements, "uvicorn", "optional:serve"));
  CHECK(find(read.requirements, "onnxruntime-gpu", "optional:gpu")->pinned);
  CHECK(find(read.requirements, "pytest", "dev"));
  CHECK(find(read.requirements, "ruff", "group:lint"));
}

TEST_CASE("manifests/pyproject: Poetry dependencies, dev-dependencies, groups and extras") {
  const std::string text = R"([tool.poetry]
name = "sentiment"
version = "0.3.0"

[tool.poetry.dependencies]
python = "^3.11"
torch = "2.6.0"
transformers = "^4.46"
datasets = { version = "==3.1.0", extras = ["audio"] }
peft = { git = "https://github.com/huggingface/peft.git", branch = "main" }
trl = { git = "https://github.com/huggingface/trl.git", rev = "a1b2c3d" }
shared-utils = { path = "../shared", develop = true }
accelerate = [
  { version = "0.34.2", python = "<3.12" },
  { version = "^1.0", python = ">=3.12" },
]
wandb = { version = "0.18.5", optional = true }

[tool.poetry.extras]
tracking = ["wandb"]

[tool.poetry.dev-dependencies]
black = "^24.1"

[tool.poetry.group.test.dependencies]
pytest = "8.3.3"
)";
  auto read = manifests::read_pyproject(text);
  CHECK(read.errors.empty());
  CHECK_FALSE(find(read.requirements, "python"));
  const auto* torch = find(read.requirements, "torch");
  REQUIRE(torch);
  CHECK(torch->pinned);  // a bare version is exact in Poetry
  CHECK(torch->group == "main");
  CHECK(covered(text, torch->range) == "torch = \"2.6.0\"");
  CHECK_FALSE(find(read.requirements, "transformers")->pinned);
  const auto* datasets = find(read.requirements, "datasets");
  CHECK(datasets->pinned);
  CHECK(datasets->extras == std::vector<std::string>{"audio"});
  CHECK_FALSE(find(read.requirements, "peft")->pinned);  // a branch moves
  CHECK(find(read.requirements, "trl")->pinned);
  CHECK(find(read.requirements, "shared-utils")->editable);
  const auto* accelerate = find(read.requirements, "accelerate");
  REQUIRE(accelerate);
  CHECK_FALSE(accelerate->pinned);  // one of its constraints is a range
  CHECK(find(read.requirements, "wandb")->group == "optional:tracking");
  CHECK(find(read.requirements, "black")->group == "dev");
  CHECK(find(read.requirements, "pytest")->group == "group:test");
  CHECK(find(read.requirements, "pytest")->pinned);
}

TEST_CASE("manifests/pyproject: uv and PDM dev-dependencies") {
  auto read = manifests::read_pyproject(R"([project]
name = "x"
dependencies = ["openai>=1.50"]

[tool.uv]
dev-dependencies = ["pytest==8.3.3", "mypy>=1.11"]

[tool.pdm.dev-dependencies]
dev = ["ruff>=0.6"]
docs = ["mkdocs==1.6.1"]
)");
  CHECK(read.errors.empty());
  CHECK(find(read.requirements, "openai", "main"));
  CHECK(find(read.requirements, "pytest", "dev"));
  CHECK(find(read.requirements, "mypy", "dev"));
  CHECK(find(read.requirements, "ruff", "dev"));
  CHECK(find(read.requirements, "mkdocs", "group:docs"));
}

TEST_CASE("manifests/pyproject: a file without dependencies, and one of tool settings only") {
  CHECK(manifests::read_pyproject("[project]\nname = \"x\"\n").requirements.empty());
  auto read = manifests::read_pyproject("[tool.ruff]\nline-length = 120\n[tool.mlaudit]\ntarget-level = 3\n");
  CHECK(read.requirements.empty());
  CHECK(read.errors.empty());
}

TEST_CASE("manifests/pyproject: invalid TOML is an error at its line, never a throw") {
  const std::string text = "[project]\nname = \"x\"\ndependencies = [\n  \"torch>=2.4,\n  \"numpy\",\n]\n";
  auto read = manifests::read_pyproject(text);
  REQUIRE(read.errors.size() == 1);
  CHECK(read.errors[0].range.start.line == 3);
  CHECK(read.errors[0].message.find("invalid TOML at line 4") == 0);
  CHECK(read.requirements.empty());
}

TEST_CASE("manifests/pyproject: sections of the wrong type are errors; the rest is read") {
  const std::string text = R"([project]
dependencies = "torch>=2"
optional-dependencies = { dev = ["pytest", 42] }

[tool.poetry]
dependencies = ["torch"]

[tool.uv]
dev-dependencies = ["ruff==0.6.9"]
)";
  auto read = manifests::read_pyproject(text);
  REQUIRE(read.errors.size() == 3);
  CHECK(read.errors[0].range.start.line == 1);
  CHECK(read.errors[0].message.find("[project].dependencies must be an array") == 0);
  CHECK(read.errors[1].range.start.line == 2);  // 42 is not a string
  CHECK(read.errors[2].range.start.line == 5);
  CHECK(find(read.requirements, "pytest", "optional:dev"));
  CHECK(find(read.requirements, "ruff", "dev"));
}

// --- setup.cfg, setup.py --------------------------------------------------------------------

TEST_CASE("manifests/setup.cfg: install_requires and extras_require") {
  const std::string text =
      "[metadata]\nname = churn\n\n"
      "[options]\npackages = find:\ninstall_requires =\n    torch>=2.4\n    numpy==1.26.4\n"
      "    # a comment\n    pandas ; python_version>'3.9'\npython_requires = >=3.10\n\n"
      "[options.extras_require]\nserve = fastapi==0.115.0\ntest =\n    pytest>=8\n";
  auto read = manifests::read_setup_cfg(text);
  CHECK(read.errors.empty());
  REQUIRE(read.requirements.size() == 5);
  CHECK(read.requirements[0].name == "torch");
  CHECK(covered(text, read.requirements[0].range) == "torch>=2.4");
  CHECK(read.requirements[1].pinned);
  CHECK(read.requirements[2].marker == "python_version>'3.9'");
  CHECK(find(read.requirements, "fastapi", "optional:serve")->pinned);
  CHECK(find(read.requirements, "pytest", "optional:test"));
  CHECK_FALSE(find(read.requirements, "find:"));
}

TEST_CASE("manifests/setup.cfg: `file:` is an include; a broken line is an error") {
  auto read = manifests::read_setup_cfg("[options]\ninstall_requires = file: requirements.txt\n[bad\nnot a key line\n");
  REQUIRE(read.includes.size() == 1);
  CHECK(read.includes[0].path == "requirements.txt");
  REQUIRE(read.errors.size() == 2);
  CHECK(read.errors[0].range.start.line == 2);
  CHECK(read.errors[1].range.start.line == 3);
}

TEST_CASE("manifests/setup.py: a literal install_requires, directly or through a variable") {
  const std::string text =
      "from setuptools import setup, find_packages\n"
      "REQUIRES = [\"numpy==1.26.4\", \"scipy\"]\n"
      "setup(\n"
      "    name=\"churn\",\n"
      "    packages=find_packages(),\n"
      "    install_requires=[\"torch>=2.4\", 'transformers==4.48.0'],\n"
      "    extras_require={\"serve\": [\"fastapi\"]},\n"
      ")\n";
  auto f = analyze_text("/ws/setup.py", text);
  CHECK(f.kind == FileKind::Python);
  REQUIRE(f.requirements.size() == 3);
  CHECK(f.requirements[0].name == "torch");
  CHECK(covered(text, f.requirements[0].range) == "\"torch>=2.4\"");
  CHECK(f.requirements[1].pinned);
  CHECK(covered(text, f.requirements[1].range) == "'transformers==4.48.0'");
  CHECK(find(f.requirements, "fastapi", "optional:serve"));

  auto via_name = analyze_text("/ws/setup.py", "import setuptools\nREQS = ['torch', 'numpy==1.26.4']\nsetuptools.setup(install_requires=REQS)\n");
  CHECK(find(via_name.requirements, "torch"));
  CHECK(find(via_name.requirements, "numpy")->pinned);
  // Computed requirements are not guessed; a setup() of another module is not setuptools'.
  CHECK(analyze_text("/ws/setup.py", "from setuptools import setup\nsetup(install_requires=open('r.txt').read().split())\n").requirements.empty());
  CHECK(analyze_text("/ws/setup.py", "from mylib import setup\nsetup(install_requires=['torch'])\n").requirements.empty());
  CHECK(analyze_text("/ws/build.py", "from setuptools import setup\nsetup(install_requires=['torch'])\n").requirements.empty());
}

// --- Pipfile, conda, npm --------------------------------------------------------------------

TEST_CASE("manifests/Pipfile: packages and dev-packages") {
  const std::string text = R"([[source]]
url = "https://pypi.org/simple"
name = "pypi"

[packages]
torch = "*"
transformers = "==4.48.0"
datasets = {version = ">=3.0", extras = ["vision"]}
mylib = {editable = true, path = "."}

[dev-packages]
pytest = "==8.3.3"
)";
  auto read = manifests::read_pipfile(text);
  CHECK(read.errors.empty());
  const auto* torch = find(read.requirements, "torch");
  REQUIRE(torch);
  CHECK(torch->specifier == "");
  CHECK_FALSE(torch->pinned);
  CHECK(covered(text, torch->range) == "torch = \"*\"");
  CHECK(find(read.requirements, "transformers")->pinned);
  CHECK_FALSE(find(read.requirements, "datasets")->pinned);
  CHECK(find(read.requirements, "mylib")->editable);
  CHECK(find(read.requirements, "pytest", "dev")->pinned);
  CHECK(manifests::read_pipfile("[packages\ntorch = \"*\"\n").errors.size() == 1);
}

TEST_CASE("manifests/conda: environment.yml specs and the pip sub-list") {
  const std::string text =
      "name: churn\nchannels:\n  - pytorch\n  - conda-forge\ndependencies:\n"
      "  - python=3.11\n"
      "  - pytorch=2.5.1=py3.11_cuda12.1_cudnn9.1.0_0\n"
      "  - conda-forge::numpy=1.26.4\n"
      "  - scikit-learn>=1.4  # fitted models pickle across minor versions\n"
      "  - pandas=2.2\n"
      "  - cudatoolkit\n"
      "  - pip\n"
      "  - pip:\n"
      "      - transformers==4.48.0\n"
      "      - --extra-index-url https://download.pytorch.org/whl/cu121\n"
      "      - accelerate>=1.0\n";
  auto f = analyze_text("/ws/environment.yml", text);
  CHECK(f.kind == FileKind::Config);  // still config keys too
  CHECK_FALSE(f.config.empty());
  CHECK(f.parse_errors.empty());
  const auto* pytorch = find(f.requirements, "pytorch");
  REQUIRE(pytorch);
  CHECK(pytorch->ecosystem == "conda");
  CHECK(pytorch->pinned);  // version and build
  CHECK(covered(text, pytorch->range) == "pytorch=2.5.1=py3.11_cuda12.1_cudnn9.1.0_0");
  CHECK(find(f.requirements, "numpy")->pinned);  // three components, channel prefix dropped
  const auto* sklearn = find(f.requirements, "scikit-learn");
  CHECK_FALSE(sklearn->pinned);
  CHECK(covered(text, sklearn->range) == "scikit-learn>=1.4");
  CHECK_FALSE(find(f.requirements, "pandas")->pinned);  // conda reads =2.2 as 2.2.*
  CHECK_FALSE(find(f.requirements, "cudatoolkit")->pinned);
  const auto* tf = find(f.requirements, "transformers");
  REQUIRE(tf);
  CHECK(tf->ecosystem == "pypi");
  CHECK(tf->pinned);
  CHECK_FALSE(find(f.requirements, "accelerate")->pinned);
  CHECK_FALSE(find(f.requirements, "--extra-index-url"));
}

TEST_CASE("manifests/conda: spec notations") {
  auto spec = [](const char* s) { return manifests::parse_conda_spec(s); };
  CHECK(spec("numpy==1.26")->pinned);
  CHECK_FALSE(spec("numpy==1.26.*")->pinned);
  CHECK(spec("numpy 1.26.4 py311h_0")->pinned);
  CHECK_FALSE(spec("numpy >=1.26,<2")->pinned);
  CHECK(spec("pytorch::pytorch=2.5.1")->name == "pytorch");
  CHECK_FALSE(spec("").has_value());
}

TEST_CASE("manifests/conda: a malformed environment.yml is a parse error, not a skip") {
  auto f = analyze_text("/ws/environment.yml", "name: x\ndependencies:\n  - numpy\n  - [unclosed\n");
  CHECK(f.skipped.reason.empty());
  REQUIRE(f.parse_errors.size() == 1);
  CHECK(f.parse_errors[0].message.find("invalid YAML") == 0);
  auto wrong = analyze_text("/ws/environment.yml", "name: x\ndependencies: numpy\n");
  REQUIRE(wrong.parse_errors.size() == 1);
  CHECK(wrong.parse_errors[0].range.start.line == 1);
  // Any other YAML file keeps its old behaviour: an unreadable config is skipped.
  CHECK_FALSE(analyze_text("/ws/params.yaml", "a: [unclosed\n").skipped.reason.empty());
}

TEST_CASE("manifests/npm: package.json dependency sections") {
  const std::string text = R"({
  "name": "support-bot",
  "scripts": {"dev": "next dev"},
  "dependencies": {
    "openai": "^4.67.0",
    "@anthropic-ai/sdk": "0.32.1",
    "next": "15.0.3"
  },
  "devDependencies": {
    "typescript": "~5.6.3",
    "openai": "4.67.0"
  },
  "peerDependencies": {"react": ">=18"}
})";
  auto f = analyze_text("/ws/package.json", text);
  CHECK(f.kind == FileKind::Config);
  const auto* openai = find(f.requirements, "openai", "main");
  REQUIRE(openai);
  CHECK(openai->ecosystem == "npm");
  CHECK_FALSE(openai->pinned);
  CHECK(covered(text, openai->range) == "\"openai\": \"^4.67.0\"");
  CHECK(openai->range.start.line == 4);
  CHECK(find(f.requirements, "@anthropic-ai/sdk")->pinned);
  CHECK(find(f.requirements, "openai", "dev")->range.start.line == 10);
  CHECK(find(f.requirements, "react", "peer"));
  CHECK(manifests::npm_exact("4.1.0"));
  CHECK_FALSE(manifests::npm_exact("4.1"));
  CHECK_FALSE(manifests::npm_exact("latest"));
  CHECK(manifests::npm_exact("git+https://github.com/o/r.git#3f2a9c1e5b"));
  CHECK_FALSE(manifests::npm_exact("github:o/r#main"));
  auto broken = analyze_text("/ws/package.json", "{\n  \"dependencies\": {\n    \"openai\": \"^4\",\n  }\n}\n");
  REQUIRE(broken.parse_errors.size() == 1);
  CHECK(broken.parse_errors[0].range.start.line == 3);
  CHECK(broken.skipped.reason.empty());
}

// --- lock files -----------------------------------------------------------------------------

TEST_CASE("manifests/locks: poetry.lock, uv.lock and pdm.lock") {
  const std::string poetry = R"(# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.

[[package]]
name = "torch"
version = "2.6.0"
description = "Tensors and Dynamic neural networks in Python with strong GPU acceleration"
optional = false
python-versions = ">=3.9.0"
files = [
    {file = "torch-2.6.0-cp311-cp311-manylinux1_x86_64.whl", hash = "sha256:0123"},
]

[[package]]
name = "Scikit_Learn"
version = "1.5.2"

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "abc"
)";
  auto f = analyze_text("/ws/poetry.lock", poetry);
  CHECK(f.kind == FileKind::LockFile);
  CHECK(f.parse_errors.empty());
  REQUIRE(f.locked.size() == 2);
  CHECK(f.locked[0].name == "torch");
  CHECK(f.locked[0].version == "2.6.0");
  CHECK(f.locked[0].line == 2);
  CHECK(f.locked[1].name == "scikit-learn");
  CHECK(f.locked[1].line == 12);

  auto uv = analyze_text("/ws/uv.lock", R"(version = 1
requires-python = ">=3.11"

[[package]]
name = "openai"
version = "1.54.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "support-bot"
source = { editable = "." }
)");
  CHECK(uv.kind == FileKind::LockFile);
  REQUIRE(uv.locked.size() == 1);  // the project itself has no version
  CHECK(uv.locked[0].name == "openai");
  CHECK(analyze_text("/ws/pdm.lock", "[[package]]\nname = \"numpy\"\nversion = \"2.1.3\"\n").locked.size() == 1);
  CHECK(analyze_text("/ws/uv.lock", "version = 1\n").locked.empty());

  auto broken = analyze_text("/ws/poetry.lock", "[[package]]\nname = \"torch\nversion = \"2.6.0\"\n");
  REQUIRE(broken.parse_errors.size() == 1);
  CHECK(broken.parse_errors[0].range.start.line == 1);
  CHECK(analyze_text("/ws/uv.lock", "package = \"torch\"\n").parse_errors.size() == 1);
}

TEST_CASE("manifests/locks: Pipfile.lock, conda-lock.yml and package-lock.json") {
  auto pipfile = analyze_text("/ws/Pipfile.lock", R"({
    "_meta": {"hash": {"sha256": "abc"}, "pipfile-spec": 6},
    "default": {
        "torch": {"hashes": ["sha256:0123"], "index": "pypi", "version": "==2.5.1"},
        "mylib": {"editable": true, "path": "."}
    },
    "develop": {
        "pytest": {"version": "==8.3.3"}
    }
})");
  CHECK(pipfile.kind == FileKind::LockFile);
  REQUIRE(pipfile.locked.size() == 2);
  CHECK(pipfile.locked[0].name == "torch");
  CHECK(pipfile.locked[0].version == "2.5.1");
  CHECK(pipfile.locked[0].line == 3);
  CHECK(pipfile.locked[1].name == "pytest");

  auto conda = analyze_text("/ws/conda-lock.yml", R"(version: 1
metadata:
  platforms: [linux-64, osx-arm64]
package:
- name: pytorch
  version: 2.5.1
  manager: conda
  platform: linux-64
- name: pytorch
  version: 2.5.1
  manager: conda
  platform: osx-arm64
- name: Transformers
  version: 4.48.0
  manager: pip
  platform: linux-64
)");
  CHECK(conda.kind == FileKind::LockFile);
  REQUIRE(conda.locked.size() == 2);  // one per name and version, not per platform
  CHECK(conda.locked[0].ecosystem == "conda");
  CHECK(conda.locked[0].line == 4);
  CHECK(conda.locked[1].name == "transformers");
  CHECK(conda.locked[1].ecosystem == "pypi");

  auto npm = analyze_text("/ws/package-lock.json", R"({
  "name": "bot",
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "bot", "dependencies": {"openai": "^4.67.0"}},
    "node_modules/openai": {"version": "4.67.3"},
    "node_modules/@anthropic-ai/sdk": {"version": "0.32.1"},
    "node_modules/foo/node_modules/openai": {"version": "3.3.0"}
  }
})");
  CHECK(npm.kind == FileKind::LockFile);
  REQUIRE(npm.locked.size() == 2);
  CHECK(npm.locked[0].name == "@anthropic-ai/sdk");
  CHECK(npm.locked[1].name == "openai");
  CHECK(npm.locked[1].version == "4.67.3");
  CHECK(npm.locked[1].line == 5);
  CHECK(npm.locked[1].ecosystem == "npm");
  auto v1 = analyze_text("/ws/package-lock.json", R"({"lockfileVersion": 1, "dependencies": {"openai": {"version": "3.3.0"}}})");
  REQUIRE(v1.locked.size() == 1);
  CHECK(v1.locked[0].version == "3.3.0");

  CHECK(analyze_text("/ws/Pipfile.lock", "{\"default\": {").parse_errors.size() == 1);
  CHECK(analyze_text("/ws/conda-lock.yml", "package:\n- name: [x\n").parse_errors.size() == 1);
  CHECK(analyze_text("/ws/conda-lock.yml", "package: {}\n").parse_errors.size() == 1);
}

TEST_CASE("manifests: classify_path") {
  CHECK(classify_path("/ws/pyproject.toml") == FileKind::Manifest);
  CHECK(classify_path("/ws/setup.cfg") == FileKind::Manifest);
  CHECK(classify_path("/ws/Pipfile") == FileKind::Manifest);
  CHECK(classify_path("/ws/setup.py") == FileKind::Python);
  for (const char* lock : {"/ws/poetry.lock", "/ws/uv.lock", "/ws/pdm.lock", "/ws/Pipfile.lock", "/ws/conda-lock.yml",
                           "/ws/env/gpu.conda-lock.yml", "/ws/package-lock.json", "/ws/npm-shrinkwrap.json"}) {
    CAPTURE(lock);
    CHECK(classify_path(lock) == FileKind::LockFile);
  }
  CHECK(classify_path("/ws/pixi.lock") == FileKind::Other);  // not read: may pin anything
  CHECK(classify_path("/ws/yarn.lock") == FileKind::Other);
  CHECK(classify_path("/ws/environment.yml") == FileKind::Config);
  CHECK(classify_path("/ws/package.json") == FileKind::Config);
  CHECK(classify_path("/ws/Pipfile.bak") == FileKind::Other);
}
