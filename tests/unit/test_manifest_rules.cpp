// The manifest facts in the rubric: workspace conclusions (locked versions, pins, who declares
// what), unpinned-dependency across manifests with per-package lock suppression, the
// lock-aware severity of torch.load, and malformed-file.
#include <doctest/doctest.h>

#include "test_support.hpp"

using mlaudit::rubric::Severity;
using mlaudit::test::build_workspace;
using mlaudit::test::covered;

namespace {

const char* kPoetryLockTorch26 = R"([[package]]
name = "torch"
version = "2.6.0"

[[package]]
name = "numpy"
version = "2.1.3"
)";

const char* kTrainLoad = "import torch\n\nstate = torch.load(\"checkpoints/last.pt\")\n";

}  // namespace

TEST_CASE("manifest conclusions: locked versions, exact pins and who declares what") {
  auto ws = build_workspace({{"pyproject.toml", "[project]\ndependencies = [\"torch>=2.4\", \"numpy==2.1.3\"]\n"},
                             {"requirements.txt", "torch==2.5.1\n"},
                             {"poetry.lock", kPoetryLockTorch26},
                             {"sub/uv.lock", "[[package]]\nname = \"torch\"\nversion = \"2.4.1+cu121\"\n"}});
  const auto& c = ws.conclusions();
  REQUIRE(c.locked.count("torch"));
  CHECK(c.locked.at("torch").version == "2.4.1+cu121");  // the lowest of two lock files
  CHECK(c.locked.at("torch").source == "sub/uv.lock:1");
  CHECK(c.locked.at("torch").locked);
  CHECK(c.locked.at("numpy").version == "2.1.3");
  CHECK(c.pinned.at("torch").version == "2.5.1");
  CHECK(c.pinned.at("torch").source == "requirements.txt");
  CHECK(c.declared_by.at("torch") == std::vector<std::string>{"pyproject.toml", "requirements.txt"});
  CHECK(c.unread_lock_files.empty());
  CHECK(c.lock_files == std::vector<std::string>{"poetry.lock", "sub/uv.lock"});
}

TEST_CASE("unpinned-dependency: every manifest format") {
  std::map<std::string, std::string> files = {
      {"pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\"torch>=2.4\", \"numpy\"]\n"
                         "[tool.poetry.group.dev.dependencies]\ntransformers = \"^4.46\"\n"},
      {"setup.cfg", "[options]\ninstall_requires =\n    scikit-learn>=1.4\n"},
      {"setup.py", "from setuptools import setup\nsetup(install_requires=[\"xgboost\"])\n"},
      {"Pipfile", "[packages]\nlightgbm = \"*\"\n"},
      {"environment.yml", "dependencies:\n  - pytorch=2.5\n  - pip:\n    - accelerate>=1\n"},
      {"package.json", "{\n  \"dependencies\": {\"openai\": \"^4.67.0\", \"next\": \"^15\"}\n}\n"}};
  auto ws = build_workspace(files);
  auto only = [&](const std::string& path) {
    auto found = ws.of(path, "unpinned-dependency");
    REQUIRE(found.size() == 1);
    return covered(files, path, found[0]);
  };
  CHECK(ws.of("pyproject.toml", "unpinned-dependency").size() == 2);  // torch and transformers; numpy is no framework
  CHECK(covered(files, "pyproject.toml", ws.of("pyproject.toml", "unpinned-dependency")[0]) == "\"torch>=2.4\"");
  CHECK(ws.of("pyproject.toml", "unpinned-dependency")[0].message.find("`>=2.4`") != std::string::npos);
  CHECK(only("setup.cfg") == "scikit-learn>=1.4");
  CHECK(only("setup.py") == "\"xgboost\"");
  CHECK(only("Pipfile") == "lightgbm = \"*\"");
  CHECK(ws.of("Pipfile", "unpinned-dependency")[0].message.find("any version") != std::string::npos);
  CHECK(ws.of("environment.yml", "unpinned-dependency").size() == 2);  // pytorch=2.5 is 2.5.*; accelerate
  CHECK(only("package.json") == "\"openai\": \"^4.67.0\"");
}

TEST_CASE("unpinned-dependency: a lock file excuses only the packages it pins") {
  std::map<std::string, std::string> files = {
      {"pyproject.toml", "[project]\ndependencies = [\"torch>=2.4\", \"transformers>=4.46\"]\n"},
      {"poetry.lock", kPoetryLockTorch26}};
  auto ws = build_workspace(files);
  auto found = ws.of("pyproject.toml", "unpinned-dependency");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message.find("`transformers`") != std::string::npos);
  // npm and PyPI are different namespaces: a Python lock of openai does not pin the npm package.
  auto npm = build_workspace({{"package.json", "{\"dependencies\": {\"openai\": \"^4.67.0\"}}"},
                              {"uv.lock", "[[package]]\nname = \"openai\"\nversion = \"1.54.3\"\n"}});
  CHECK(npm.of("package.json", "unpinned-dependency").size() == 1);
  auto locked = build_workspace({{"package.json", "{\"dependencies\": {\"openai\": \"^4.67.0\"}}"},
                                 {"package-lock.json", "{\"packages\": {\"node_modules/openai\": {\"version\": \"4.67.3\"}}}"}});
  CHECK(locked.of("package.json", "unpinned-dependency").empty());
}

TEST_CASE("unpinned-dependency: a constraints file pins; an unreadable lock file may pin anything") {
  auto constrained = build_workspace({{"requirements.txt", "-c constraints.txt\ntorch>=2.4\ntransformers\n"},
                                      {"constraints.txt", "torch==2.6.0\n"}});
  auto found = constrained.of("requirements.txt", "unpinned-dependency");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message.find("`transformers`") != std::string::npos);

  auto malformed = build_workspace({{"requirements.txt", "torch>=2.4\n"}, {"uv.lock", "[[package]\nname = \"torch\"\n"}});
  CHECK(malformed.of("requirements.txt", "unpinned-dependency").empty());
  CHECK(malformed.conclusions().unread_lock_files == std::vector<std::string>{"uv.lock"});
  auto pixi = build_workspace({{"requirements.txt", "torch>=2.4\n"}}, {"pixi.lock"});
  CHECK(pixi.of("requirements.txt", "unpinned-dependency").empty());
  auto empty_lock = build_workspace({{"requirements.txt", "torch>=2.4\n"}, {"uv.lock", "version = 1\n"}});
  CHECK(empty_lock.of("requirements.txt", "unpinned-dependency").size() == 1);
}

TEST_CASE("unpinned-dependency: a non-ML project's manifests stay quiet") {
  auto ws = build_workspace({{"pyproject.toml", "[project]\ndependencies = [\"requests>=2\", \"flask\"]\n"},
                             {"app.py", "import requests\n"}});
  CHECK_FALSE(ws.conclusions().relevance.relevant);
  CHECK(ws.findings.empty());
}

TEST_CASE("lock-aware severity: torch.load without weights_only under torch >= 2.6") {
  SUBCASE("locked at 2.6.0: Info, and the message says why") {
    std::map<std::string, std::string> files = {{"train.py", kTrainLoad}, {"poetry.lock", kPoetryLockTorch26}};
    auto ws = build_workspace(files);
    auto found = ws.of("train.py", "unsafe-deserialization");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::Info);
    CHECK(found[0].message.find("torch 2.6.0 (poetry.lock:1) defaults to weights_only=True since 2.6") != std::string::npos);
  }
  SUBCASE("an exact pin counts when no lock file says otherwise") {
    auto ws = build_workspace({{"train.py", kTrainLoad}, {"requirements.txt", "torch==2.7.1\n"}});
    REQUIRE(ws.of("train.py", "unsafe-deserialization").size() == 1);
    CHECK(ws.of("train.py", "unsafe-deserialization")[0].severity == Severity::Info);
  }
  SUBCASE("the lock file wins over a pin") {
    auto ws = build_workspace({{"train.py", kTrainLoad},
                               {"requirements.txt", "torch==2.7.1\n"},
                               {"uv.lock", "[[package]]\nname = \"torch\"\nversion = \"2.5.1\"\n"}});
    CHECK(ws.of("train.py", "unsafe-deserialization")[0].severity == Severity::High);
  }
  SUBCASE("older, pre-release, ranged or unknown torch: High") {
    for (const char* req : {"torch==2.5.1\n", "torch==2.6.0rc1\n", "torch>=2.6\n", "numpy==2.1.3\n"}) {
      CAPTURE(req);
      auto ws = build_workspace({{"train.py", kTrainLoad}, {"requirements.txt", req}});
      REQUIRE(ws.of("train.py", "unsafe-deserialization").size() == 1);
      CHECK(ws.of("train.py", "unsafe-deserialization")[0].severity == Severity::High);
    }
  }
  SUBCASE("an explicit weights_only=False stays High, whatever the lock says") {
    auto ws = build_workspace({{"train.py", "import torch\ntorch.load(\"a.pt\", weights_only=False)\n"},
                               {"poetry.lock", kPoetryLockTorch26}});
    REQUIRE(ws.of("train.py", "unsafe-deserialization").size() == 1);
    CHECK(ws.of("train.py", "unsafe-deserialization")[0].severity == Severity::High);
    CHECK(ws.of("train.py", "unsafe-deserialization")[0].message.find("defaults to") == std::string::npos);
  }
  SUBCASE("conda's pytorch counts as torch") {
    auto ws = build_workspace({{"train.py", kTrainLoad},
                               {"conda-lock.yml", "package:\n- name: pytorch\n  version: 2.6.0\n  manager: conda\n"}});
    CHECK(ws.of("train.py", "unsafe-deserialization")[0].severity == Severity::Info);
  }
  SUBCASE("other loaders are not affected") {
    auto ws = build_workspace({{"train.py", "import pickle\nimport torch\npickle.load(open('m.pkl', 'rb'))\n"}, {"poetry.lock", kPoetryLockTorch26}});
    REQUIRE(ws.of("train.py", "unsafe-deserialization").size() == 1);
    CHECK(ws.of("train.py", "unsafe-deserialization")[0].severity == Severity::High);
  }
}

TEST_CASE("lock-aware severity: the conclusions change when the lock file changes") {
  auto rubric = mlaudit::test::the_rubric();
  mlaudit::rubric::WorkspaceModel model(rubric, {"/ws"});
  auto train = mlaudit::analyze_text("/ws/train.py", kTrainLoad);
  model.update(train);
  CHECK(mlaudit::rubric::check_file(train, *rubric, *model.conclusions())[0].severity == Severity::High);
  CHECK(model.update(mlaudit::analyze_text("/ws/poetry.lock", kPoetryLockTorch26)));
  CHECK(mlaudit::rubric::check_file(train, *rubric, *model.conclusions())[0].severity == Severity::Info);
  CHECK(model.update(mlaudit::analyze_text("/ws/poetry.lock", "[[package]]\nname = \"torch\"\nversion = \"2.4.0\"\n")));
  CHECK(mlaudit::rubric::check_file(train, *rubric, *model.conclusions())[0].severity == Severity::High);
}

TEST_CASE("malformed-file: at the error's line, for every format, Low") {
  std::map<std::string, std::string> files = {
      {"train.py", "import torch\n"},
      {"pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\"torch>=2.4\",\n"},
      {"poetry.lock", "[[package]]\nname = \"torch\nversion = \"2.6.0\"\n"},
      {"package.json", "{\n  \"dependencies\": {\n    \"openai\": \"^4\",\n  }\n}\n"},
      {"environment.yml", "dependencies:\n  - numpy\n - bad indent\n"},
      {"requirements.txt", "torch==2.6.0\ntorch 2.1\n"}};
  auto ws = build_workspace(files);
  for (const auto& expected : std::vector<std::pair<std::string, uint32_t>>{
           {"pyproject.toml", 2}, {"poetry.lock", 1}, {"package.json", 3}, {"environment.yml", 2}, {"requirements.txt", 1}}) {
    const auto& [path, line] = expected;
    CAPTURE(expected.first);  // not `path`: clang 14 (the sanitizer build) cannot capture a structured binding
    auto found = ws.of(path, "malformed-file");
    REQUIRE(found.size() == 1);
    CHECK(found[0].range.start.line == line);
    CHECK(found[0].severity == Severity::Low);
    CHECK(found[0].checklist_id == "infrastructure.reproducible-environments");
    CHECK(found[0].message.rfind(path + " cannot be read: ", 0) == 0);
  }
  CHECK(ws.of("train.py", "malformed-file").empty());
  // Suppressed like any other rule, in formats with comments.
  auto quiet = build_workspace({{"train.py", "import torch\n"},
                                {"pyproject.toml", "# mlaudit: ignore[malformed-file]\n[project\n"}});
  CHECK(quiet.of("pyproject.toml", "malformed-file").empty());
}

TEST_CASE("package versions: comparison and the version an exact pin fixes") {
  using mlaudit::rubric::compare_versions;
  using mlaudit::rubric::pinned_version;
  CHECK(compare_versions("2.6.0", "2.6") == 0);
  // Absurd digit runs saturate instead of overflowing (UBSan caught it through fuzz_manifests).
  CHECK(compare_versions("17777777777777777777777.1", "2.6") > 0);
  CHECK(compare_versions("2.17777777777777777777777", "2.6") > 0);
  CHECK(compare_versions("2.6.0+cu124", "2.6") == 0);  // a local label is not a version step
  CHECK(compare_versions("2.10.0", "2.6") > 0);        // numeric, not lexical
  CHECK(compare_versions("2.5.1", "2.6") < 0);
  CHECK(compare_versions("2.6.0rc1", "2.6") < 0);      // a pre-release precedes its release
  CHECK(compare_versions("2.6.0.dev20241112", "2.6.0") < 0);
  CHECK(compare_versions("1!1.0", "2.0") < 0);         // the epoch is ignored
  CHECK(compare_versions("v2.7", "2.6.9") > 0);
  CHECK(pinned_version("==2.6.0") == "2.6.0");
  CHECK(pinned_version("===2.6.0") == "2.6.0");
  CHECK(pinned_version("==2.6.0,<3") == "2.6.0");
  CHECK(pinned_version("2.6.0") == "2.6.0");                    // Poetry
  CHECK(pinned_version("=2.5.1=py3.11_cuda12.1_0") == "2.5.1");  // conda
  CHECK(pinned_version(">=2.6") == "");
  CHECK(pinned_version("==2.*") == "");
  CHECK(pinned_version("@ https://example.com/torch-2.6.0.whl") == "");
}
