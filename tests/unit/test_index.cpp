// index: which workspace files an import refers to (ModuleMap), and the crawler's walk.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "index/crawler.hpp"
#include "index/module_map.hpp"

namespace fs = std::filesystem;
using mlaudit::facts::Import;
using mlaudit::index::ModuleMap;

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

Import imp(std::string module, std::string name = "") {
  std::string alias = name.empty() ? module.substr(0, module.find('.')) : name;
  return Import{std::move(module), std::move(name), std::move(alias), {}};
}

const std::vector<std::string> kPaths = {
    "/ws/train.py",
    "/ws/utils.py",
    "/ws/src/mypkg/__init__.py",
    "/ws/src/mypkg/utils.py",
    "/ws/src/mypkg/data/__init__.py",
    "/ws/src/mypkg/data/loader.py",
    "/ws/src/mypkg/models/net.py",
};

}  // namespace

TEST_CASE("module map: absolute imports, src layout and packages") {
  ModuleMap map(kPaths, {"/ws"});
  CHECK(map.resolve("/ws/train.py", imp("mypkg.utils")) == std::vector<std::string>{"/ws/src/mypkg/utils.py"});
  CHECK(map.resolve("/ws/train.py", imp("mypkg")) == std::vector<std::string>{"/ws/src/mypkg/__init__.py"});
  CHECK(map.resolve("/ws/train.py", imp("src.mypkg.data.loader")) ==
        std::vector<std::string>{"/ws/src/mypkg/data/loader.py"});
  // `from mypkg import utils`: the package and its submodule.
  CHECK(sorted(map.resolve("/ws/train.py", imp("mypkg", "utils"))) ==
        std::vector<std::string>{"/ws/src/mypkg/__init__.py", "/ws/src/mypkg/utils.py"});
  // `from mypkg.data import load_rows`: a name in the package's __init__.
  CHECK(map.resolve("/ws/train.py", imp("mypkg.data", "load_rows")) ==
        std::vector<std::string>{"/ws/src/mypkg/data/__init__.py"});
  // A namespace package (no __init__) still has its modules.
  CHECK(map.resolve("/ws/train.py", imp("mypkg.models", "net")) == std::vector<std::string>{"/ws/src/mypkg/models/net.py"});
  // An ambiguous short name may be either file.
  CHECK(sorted(map.resolve("/ws/train.py", imp("utils"))) ==
        std::vector<std::string>{"/ws/src/mypkg/utils.py", "/ws/utils.py"});
  // Third-party modules are not in the workspace.
  CHECK(map.resolve("/ws/train.py", imp("torch")).empty());
  CHECK(map.resolve("/ws/train.py", imp("torch.utils.data")).empty());
  CHECK(map.resolve("/ws/train.py", imp("mypkg.nothing")).empty());
}

TEST_CASE("module map: relative imports with . and ..") {
  ModuleMap map(kPaths, {"/ws"});
  const std::string loader = "/ws/src/mypkg/data/loader.py";
  CHECK(map.resolve(loader, imp("..utils", "set_seed")) == std::vector<std::string>{"/ws/src/mypkg/utils.py"});
  CHECK(sorted(map.resolve(loader, imp("..", "utils"))) ==
        std::vector<std::string>{"/ws/src/mypkg/__init__.py", "/ws/src/mypkg/utils.py"});
  CHECK(map.resolve(loader, imp(".", "helpers")) == std::vector<std::string>{"/ws/src/mypkg/data/__init__.py"});
  CHECK(map.resolve(loader, imp("..models.net", "Net")) == std::vector<std::string>{"/ws/src/mypkg/models/net.py"});
  CHECK(map.resolve(loader, imp("...", "utils")) == std::vector<std::string>{});  // /ws/src has no __init__ or utils
  CHECK(map.resolve(loader, imp("....", "utils")) == std::vector<std::string>{"/ws/utils.py"});
  // Relative imports resolve against the importing file's folder, not by name.
  CHECK(map.resolve("/ws/src/mypkg/__init__.py", imp(".utils", "x")) == std::vector<std::string>{"/ws/src/mypkg/utils.py"});
  CHECK(map.resolve("/ws/train.py", imp(".utils", "x")) == std::vector<std::string>{"/ws/utils.py"});
  // Far too many dots goes nowhere (and does not crash).
  CHECK(map.resolve("/ws/train.py", imp("..........", "x")).empty());
}

TEST_CASE("module map: several roots") {
  ModuleMap map({"/a/lib/core.py", "/b/app.py"}, {"/a", "/b"});
  CHECK(map.resolve("/b/app.py", imp("lib.core")) == std::vector<std::string>{"/a/lib/core.py"});
  CHECK(map.resolve("/b/app.py", imp("core")) == std::vector<std::string>{"/a/lib/core.py"});
  CHECK(map.resolve("/a/lib/core.py", imp("app")) == std::vector<std::string>{"/b/app.py"});
}

namespace {

// A temporary directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("mlaudit-unit-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& relative, const std::string& content) const {
    fs::path p = path / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
};

std::vector<std::string> relative_paths(const std::vector<std::string>& paths, const std::string& root) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.substr(root.size() + 1));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("crawler: excluded folders, symlink loops and files above the size cap") {
  TempDir dir;
  dir.write("train.py", "import torch\n");
  dir.write("requirements.txt", "torch\n");
  dir.write("README.md", "# readme\n");
  dir.write("pkg/mod.py", "x = 1\n");
  dir.write(".git/hooks/pre-commit.py", "import os\n");
  dir.write("venv/lib/site.py", "import os\n");
  dir.write(".venv/lib/site.py", "import os\n");
  dir.write("node_modules/pkg/x.py", "import os\n");
  dir.write("pkg/__pycache__/mod.cpython-311.py", "import os\n");
  dir.write("big.py", std::string(1536 * 1024, '#'));  // 1.5 MiB, above a 1 MiB cap
  fs::create_directory_symlink("..", dir.path / "pkg" / "loop");     // pkg/loop -> the root
  fs::create_directory_symlink("loop2", dir.path / "pkg" / "loop2");  // a link to itself
  fs::create_symlink(dir.path / "train.py", dir.path / "pkg" / "alias.py");
  fs::create_directory_symlink("/", dir.path / "escape");             // out of the workspace

  mlaudit::index::CrawlOptions options;
  options.max_file_bytes = 1024 * 1024;
  auto ws = mlaudit::index::load_workspace(dir.path.string(), options);
  CHECK(ws.root == fs::canonical(dir.path).generic_string());
  CHECK(relative_paths(ws.present, ws.root) ==
        std::vector<std::string>{"README.md", "big.py", "pkg/mod.py", "requirements.txt", "train.py"});
  std::vector<std::string> analysed;
  for (const auto& f : ws.analysed) analysed.push_back(f->path);
  // README.md is analysed too (analyzers/docs reads READMEs); big.py is above the cap.
  CHECK(relative_paths(analysed, ws.root) ==
        std::vector<std::string>{"README.md", "big.py", "pkg/mod.py", "requirements.txt", "train.py"});
  for (const auto& f : ws.analysed) {
    CAPTURE(f->path);
    if (f->path.size() >= 6 && f->path.substr(f->path.size() - 6) == "big.py") {
      CHECK(f->skipped.reason.find("size cap") != std::string::npos);
      CHECK(f->skipped.reason.find("1.5 MiB") != std::string::npos);
      CHECK(f->bytes == 1536 * 1024);
      CHECK(f->kind == mlaudit::facts::FileKind::Python);
    } else {
      CHECK(f->skipped.reason.empty());
    }
  }

  SUBCASE("the same result on several threads") {
    options.threads = 3;
    auto parallel = mlaudit::index::load_workspace(dir.path.string(), options);
    REQUIRE(parallel.analysed.size() == ws.analysed.size());
    for (size_t i = 0; i < ws.analysed.size(); ++i) CHECK(*parallel.analysed[i] == *ws.analysed[i]);
  }
}

TEST_CASE("crawler: the root itself may be a symlink, and a missing root is empty") {
  TempDir dir;
  dir.write("real/a.py", "import torch\n");
  fs::create_directory_symlink(dir.path / "real", dir.path / "link");
  auto ws = mlaudit::index::load_workspace((dir.path / "link").string(), {});
  REQUIRE(ws.analysed.size() == 1);
  CHECK(ws.analysed[0]->python.imports.size() == 1);
  auto missing = mlaudit::index::load_workspace((dir.path / "nope").string(), {});
  CHECK(missing.analysed.empty());
  CHECK(missing.present.empty());
}

TEST_CASE("crawler: read_file reads at most one byte past the cap") {
  TempDir dir;
  dir.write("f.txt", std::string(100, 'x'));
  std::string content, error;
  CHECK(mlaudit::index::read_file((dir.path / "f.txt").string(), content, error, 10));
  CHECK(content.size() == 11);
  CHECK(mlaudit::index::read_file((dir.path / "f.txt").string(), content, error, 1000));
  CHECK(content.size() == 100);
  CHECK_FALSE(mlaudit::index::read_file((dir.path / "missing.txt").string(), content, error, 1000));
  CHECK_FALSE(error.empty());
}

TEST_CASE("crawler: excluded directory names") {
  for (const char* name : {".git", "venv", ".venv", "node_modules", "__pycache__", "site-packages", ".tox"})
    CHECK(mlaudit::index::is_excluded_directory(name));
  for (const char* name : {"src", "git", "models", "ai", "venvs"}) CHECK_FALSE(mlaudit::index::is_excluded_directory(name));
}
