// Files that are not what the crawl saw: a FIFO, a folder, a dangling link or nothing where a
// .py or a model file was. Every read must fail at once with a reason (a blocking open(2) on a
// FIFO would hang the indexer), and the crawl must name such entries in its coverage.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "analyzers/artifacts/artifact_analyzer.hpp"
#include "analyzers/artifacts/byte_source.hpp"
#include "index/crawler.hpp"
#include "support/open_regular.hpp"

namespace fs = std::filesystem;

namespace {

struct SpecialDir {
  fs::path path;
  SpecialDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("mlaudit-special-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
    std::ofstream(path / "train.py") << "import torch\n";
    REQUIRE(::mkfifo((path / "pipe.py").c_str(), 0644) == 0);
    REQUIRE(::mkfifo((path / "model.pt").c_str(), 0644) == 0);
    REQUIRE(::mkfifo((path / "notes.txt").c_str(), 0644) == 0);  // not a name any analyzer claims
    fs::create_directory(path / "folder.py");
    fs::create_symlink(path / "gone.py", path / "dangling.py");
  }
  ~SpecialDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string at(const char* name) const { return (path / name).string(); }
};

}  // namespace

TEST_CASE("open_regular_file: regular files only, never blocking on a FIFO") {
  SpecialDir dir;
  std::string error;
  int fd = mlaudit::open_regular_file(dir.at("train.py"), error);
  CHECK(fd >= 0);
  if (fd >= 0) ::close(fd);
  CHECK(mlaudit::open_regular_file(dir.at("pipe.py"), error) == -1);
  CHECK(error == "not a regular file (a FIFO)");
  CHECK(mlaudit::open_regular_file(dir.at("folder.py"), error) == -1);
  CHECK(error == "not a regular file (a folder)");
  CHECK(mlaudit::open_regular_file(dir.at("dangling.py"), error) == -1);
  CHECK(error == "No such file or directory");
  CHECK(mlaudit::open_regular_file(dir.at("missing.py"), error) == -1);
}

TEST_CASE("read_file and analyze_file: a FIFO, a folder or a vanished file is a skip reason") {
  SpecialDir dir;
  std::string content, error;
  CHECK_FALSE(mlaudit::index::read_file(dir.at("pipe.py"), content, error, 1 << 20));
  CHECK(error.find("FIFO") != std::string::npos);
  auto fifo = mlaudit::index::analyze_file(dir.at("pipe.py"), 1 << 20);
  CHECK(fifo.skipped.reason == "unreadable: not a regular file (a FIFO)");
  auto folder = mlaudit::index::analyze_file(dir.at("folder.py"), 1 << 20);
  CHECK(folder.skipped.reason.rfind("unreadable: ", 0) == 0);
  auto gone = mlaudit::index::analyze_file(dir.at("missing.py"), 1 << 20);
  CHECK(gone.skipped.reason == "unreadable: No such file or directory");
  auto fine = mlaudit::index::analyze_file(dir.at("train.py"), 1 << 20);
  CHECK(fine.skipped.reason.empty());
}

TEST_CASE("artifacts: a model file that became a FIFO is not opened for reading") {
  SpecialDir dir;
  mlaudit::artifacts::FileSource source(dir.at("model.pt"), 1 << 20);
  CHECK_FALSE(source.ok());
  CHECK(source.error() == "not a regular file (a FIFO)");
  auto facts = mlaudit::artifacts::analyze_artifact(dir.at("model.pt"), {});
  CHECK(facts.skipped.reason.rfind("unreadable: ", 0) == 0);
}

TEST_CASE("crawler: entries named like code that are not regular files are named in coverage") {
  SpecialDir dir;
  auto ws = mlaudit::index::load_workspace(dir.path.string(), {});
  std::map<std::string, std::string> skipped;
  for (const auto& [path, why] : ws.skipped) skipped[path.substr(ws.root.size() + 1)] = why;
  CHECK(skipped["pipe.py"] == "not a regular file (a FIFO)");
  CHECK(skipped["model.pt"] == "not a regular file (a FIFO)");
  CHECK(skipped.count("notes.txt") == 0);  // no analyzer would read it: not a coverage gap
  CHECK(skipped.count("train.py") == 0);
  REQUIRE(ws.analysed.size() == 1);  // folder.py/ is an (empty) folder, dangling.py a link: not followed
  CHECK(ws.analysed[0]->path == ws.root + "/train.py");
}
