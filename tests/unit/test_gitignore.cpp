// index/gitignore: the matcher against git itself (`git check-ignore` is the oracle, for every
// file and folder of a realistic tree), and the crawler's use of it: ignored folders are not
// entered, skipped files are reported with their reason, cancellation and progress.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "index/crawler.hpp"
#include "index/gitignore.hpp"

namespace fs = std::filesystem;
namespace idx = mlaudit::index;

namespace {

// A temporary directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("mlaudit-gitignore-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);  // undo chmod 000
    fs::remove_all(path, ec);
  }
  void write(const std::string& relative, const std::string& content = "") const {
    fs::path p = path / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  void mkdir(const std::string& relative) const { fs::create_directories(path / relative); }
};

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The paths git ignores among `paths` (relative to `root`, a git repository). --no-index: judge
// by the rules alone; core.excludesFile=/dev/null: the user's global ignore file is not ours.
std::set<std::string> git_ignored(const fs::path& root, const std::vector<std::string>& paths) {
  fs::path in = root.parent_path() / (root.filename().string() + ".paths");
  fs::path out = root.parent_path() / (root.filename().string() + ".ignored");
  {
    std::ofstream f(in, std::ios::binary);
    for (const auto& p : paths) f << p << '\0';  // -z: names with spaces or '#' pass unquoted
  }
  std::string command = "git -C '" + root.string() + "' -c core.excludesFile=/dev/null check-ignore --no-index -z --stdin < '" +
                        in.string() + "' > '" + out.string() + "'";
  int status = std::system(command.c_str());
  // check-ignore exits 0 when some path is ignored, 1 when none is, 128 on a fatal error.
  REQUIRE_MESSAGE((status == 0 || WEXITSTATUS(status) == 1), "git check-ignore failed: " << command);
  std::string output = read_all(out);
  std::set<std::string> ignored;
  for (size_t start = 0, nul; (nul = output.find('\0', start)) != std::string::npos; start = nul + 1)
    ignored.insert(output.substr(start, nul - start));
  fs::remove(in);
  fs::remove(out);
  return ignored;
}

// A repository with the patterns of a real ML project and git's corner cases.
void write_fixture(const TempDir& dir) {
  REQUIRE_MESSAGE(std::system(("git init -q '" + dir.path.string() + "'").c_str()) == 0, "git is needed for this test");
  dir.write(".gitignore",
            "# experiment artefacts\n"
            "data/\n"
            "*.pt\n"
            "!keep.pt\n"
            "/build\n"
            "logs/**/debug.log\n"
            "**/cache\n"
            "\\#literal\n"
            "foo/*.txt\n"
            "\n"
            "   \n"
            "spaces.log   \n"            // trailing spaces trimmed
            "keep\\ \n"                   // ... unless escaped: matches "keep "
            "[a-c]?.tmp\n"
            "out/**\n"
            "!out/keep.md\n"              // out/ itself is not ignored: this re-includes
            "vendor/\n"
            "!vendor/lib.py\n"            // vendor/ is ignored: this cannot re-include
            "docs/**/*.html\n"
            "a/**/b/\n"                   // folders named b below a/, at any depth
            "*.py[co]\n"
            "[!a]x.cls\n"
            "[]]y.cls\n"
            "[[:digit:]]z.cls\n"
            "\\!bang\n"
            "?.q\n"
            "q/foo**/bar\n"               // git: `**` right after the literal head counts as after '/'
            "nested/deep/\n"
            "!public.env\n"              // undoes .git/info/exclude's *.env
            "unterminated[ab\n"           // never matches
            "[z-a]w.rng\n"                // a reversed range: only its first character
            "*/mid/*.x\n"
            "deep/**\n"                   // everything below deep/ ...
            "!deep/**/\n"                 // ... but its folders ...
            "!deep/**/*.keep\n"           // ... and the .keep files in them
            "*.ckpt");                    // no final newline
  dir.write(".git/info/exclude", "*.env\n!model2.pt\n");  // lowest precedence: cannot undo *.pt
  dir.write("src/.gitignore",
            "generated.py\n"
            "/local_only.py\n"
            "!special.pt\n"               // a deeper .gitignore wins over the root's *.pt
            "crlf.txt\r\n"
            "sub/*.log\n");
  dir.write("data/.gitignore", "!*\n");  // inside an ignored folder: never read
  for (const char* f : {
           "train.py", "data/train.csv", "data/keep.py", "data/sub/x.py", "src/data", "src/models/data/w.bin",
           "model.pt", "keep.pt", "model2.pt", "weights/model.pt", "weights/keep.pt", "build/out.py",
           "src/build/x.py", "logs/debug.log", "logs/a/debug.log", "logs/a/b/debug.log", "logs/info.log",
           "other/logs/debug.log", "cache/x", "src/cache/y", "src/deep/cache", "#literal", "src/#literal",
           "notliteral", "foo/a.txt", "foo/b.py", "foo/sub/c.txt", "src/foo/a.txt", "spaces.log", "spaces.log  ",
           "keep ", "keep", "ab.tmp", "d1.tmp", "abc.tmp", "out/keep.md", "out/other.md", "out/sub/keep.md",
           "vendor/lib.py", "vendor/x.py", "docs/a.html", "docs/x/a.html", "docs/x/y/a.html", "docs/a.md",
           "a/b/f", "a/x/b/f", "a/y/b", "a/x/y/b/f", "x.pyc", "x.pyo", "x.py", "ax.cls", "bx.cls", "]y.cls",
           "1z.cls", "az.cls", "!bang", "bang", "a.q", "ab.q", "q/foobar", "q/fooz/bar", "q/fooz/w/bar", "q/bar",
           "nested/deep/f", "x/nested/deep/f", "secret.env", "public.env", "src/special.pt",
           "src/x.pt", "src/generated.py", "src/pkg/generated.py", "src/local_only.py", "src/pkg/local_only.py",
           "local_only.py", "generated.py", "src/crlf.txt", "src/sub/a.log", "src/sub/s/a.log", "sub/a.log",
           "unterminated[ab", "unterminateda", "m.ckpt", "src/m.ckpt", "zw.rng", "aw.rng", "mw.rng",
           "p/mid/a.x", "p/q/mid/a.x", "mid/a.x", "deep/x", "deep/a/b.keep", "deep/a/c.txt", "deep/a/b/c/d.keep"})
    dir.write(f);
  dir.mkdir("empty/cache");
}

std::vector<std::pair<std::string, bool>> every_path(const fs::path& root) {
  std::vector<std::pair<std::string, bool>> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string relative = fs::relative(it->path(), root).generic_string();
    if (relative == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    out.emplace_back(relative, it->is_directory());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("gitignore: the matcher agrees with git check-ignore on every file and folder") {
  TempDir dir;
  write_fixture(dir);
  auto paths = every_path(dir.path);
  std::vector<std::string> names;
  for (const auto& [p, is_dir] : paths) names.push_back(p);
  std::set<std::string> by_git = git_ignored(dir.path, names);
  REQUIRE(by_git.size() > 20);  // the oracle did answer
  size_t disagreements = 0;
  for (const auto& entry : paths) {
    // Not a structured binding: clang 14 (the sanitizer build) cannot capture one in CHECK_MESSAGE.
    const auto& p = entry.first;
    const bool is_dir = entry.second;
    bool ours = idx::ignored_in_tree(dir.path.string(), p, is_dir);
    bool git = by_git.count(p) > 0;
    if (ours != git) ++disagreements;
    auto verdict = [](bool ignored) { return std::string(ignored ? "ignored" : "not ignored"); };
    CHECK_MESSAGE(ours == git, (std::string(is_dir ? "folder '" : "file '") + p + "': git says " + verdict(git) +
                                ", mlaudit says " + verdict(ours)));
  }
  CHECK(disagreements == 0);
  // Spot checks that the fixture exercises what it claims (git could be wrong about nothing, but
  // a fixture can silently stop testing a case).
  for (const char* p : {"data", "data/keep.py", "model.pt", "vendor/lib.py", "src/generated.py", "src/local_only.py",
                        "logs/a/b/debug.log", "src/deep/cache", "#literal", "out/sub/keep.md", "q/foobar", "secret.env",
                        "model2.pt", "src/crlf.txt", "keep ", "spaces.log", "zw.rng", "deep/a/c.txt"})
    CHECK_MESSAGE(by_git.count(p), p);
  for (const char* p : {"keep.pt", "src/data", "src/build", "other/logs/debug.log", "notliteral", "foo/sub/c.txt",
                        "out/keep.md", "src/pkg/local_only.py", "src/special.pt", "public.env", "a/y/b", "unterminateda",
                        "spaces.log  ", "keep", "deep/a/b.keep", "deep/a/b/c/d.keep", "deep/a"})
    CHECK_MESSAGE(!by_git.count(p), p);
}

TEST_CASE("gitignore: compiled lines") {
  CHECK(idx::compile_gitignore_line("").regex.empty());
  CHECK(idx::compile_gitignore_line("# comment").regex.empty());
  CHECK(idx::compile_gitignore_line("    ").regex.empty());
  CHECK(idx::compile_gitignore_line("trailing\\").regex.empty());  // never matches
  CHECK(idx::compile_gitignore_line("a[bc").regex.empty());        // unterminated class: git aborts
  CHECK(idx::compile_gitignore_line("[[:nope:]]").regex.empty());  // unknown class: git aborts
  // As in git, a range's first character is also taken alone: [z-a] matches "z" and nothing else.
  CHECK(idx::compile_gitignore_line("[z-a]").regex == "(?:.*/)?[\\x7a]");
  auto negated_dir = idx::compile_gitignore_line("!build/");
  CHECK(negated_dir.negated);
  CHECK(negated_dir.dir_only);
  CHECK(idx::compile_gitignore_line("/a/**/b").regex == "a/(?:.*/)?b");

  idx::IgnoreFile file("*.log\n!keep.log\ndir/\n", "sub");
  using V = idx::IgnoreFile::Verdict;
  CHECK(file.match("sub/x.log", false) == V::Ignored);
  CHECK(file.match("sub/deep/keep.log", false) == V::Included);
  CHECK(file.match("x.log", false) == V::None);  // not below the file's folder
  CHECK(file.match("subx/x.log", false) == V::None);
  CHECK(file.match("sub/dir", true) == V::Ignored);
  CHECK(file.match("sub/dir", false) == V::None);  // dir/ matches folders only
}

TEST_CASE("crawler: ignored folders are not entered; skipped files are listed with their reason") {
  TempDir dir;
  dir.write(".gitignore", "data/\n*.pt\n!data/keep.py\n");
  dir.write("train.py", "import torch\n");
  // Would be analysed (and its import seen) if the crawler entered data/.
  dir.write("data/loader.py", "import mlflow\n");
  dir.write("data/keep.py", "import wandb\n");
  dir.write("data/deep/more.py", "import os\n");
  dir.write("model.pt", std::string(10, '\0'));
  dir.write("node_modules/x.py", "import os\n");
  dir.write("big.py", std::string(4096, '#'));
  dir.write("requirements.txt", std::string("torch\0\0==1.0\n", 13));  // binary
  dir.write("bin.py", std::string("import os\0\0\1\2", 13));
  dir.write("locked.py", "import os\n");
  fs::permissions(dir.path / "locked.py", fs::perms::none);
  fs::create_symlink(dir.path / "train.py", dir.path / "alias.py");

  idx::CrawlOptions options;
  options.max_file_bytes = 1024;
  auto ws = idx::load_workspace(dir.path.string(), options);
  std::vector<std::string> present;
  for (const auto& p : ws.present) present.push_back(p.substr(ws.root.size() + 1));
  CHECK(present == std::vector<std::string>{".gitignore", "big.py", "bin.py", "locked.py", "requirements.txt", "train.py"});
  CHECK(ws.ignored[idx::kIgnoredByGitignore] == 2);  // data/ (once, as a folder) and model.pt
  CHECK(ws.ignored[idx::kExcludedFolder] == 1);      // node_modules/
  CHECK(ws.ignored[idx::kSymlinkNotFollowed] == 1);
  CHECK_FALSE(ws.truncated);
  CHECK_FALSE(ws.cancelled);

  std::map<std::string, std::string> why;
  for (const auto& [path, reason] : ws.skipped) why[path.substr(ws.root.size() + 1)] = reason;
  CHECK(why["big.py"].find("size cap") != std::string::npos);
  CHECK(why["bin.py"] == "binary file (NUL bytes)");
  CHECK(why["requirements.txt"] == "binary file (NUL bytes)");
  CHECK(why.count("train.py") == 0);
  // As root (the usual container), chmod 000 does not stop reading: the file is analysed, and
  // there is nothing honest to check about "unreadable" then.
  if (::geteuid() != 0) CHECK(why["locked.py"] == "unreadable: Permission denied");
  else CHECK(why.count("locked.py") == 0);

  // `skipped` is exactly the analysed entries that carry a reason, whichever path skipped them.
  std::vector<std::pair<std::string, std::string>> from_facts;
  for (const auto& f : ws.analysed)
    if (!f->skipped.reason.empty()) from_facts.emplace_back(f->path, f->skipped.reason);
  std::sort(from_facts.begin(), from_facts.end());
  CHECK(from_facts == ws.skipped);

  SUBCASE("without .gitignore rules, data/ is walked") {
    options.respect_gitignore = false;
    auto all = idx::load_workspace(dir.path.string(), options);
    CHECK(all.present.size() == present.size() + 4);  // data/*.py x3, model.pt
    CHECK(all.ignored.count(idx::kIgnoredByGitignore) == 0);
  }
}

TEST_CASE("crawler: an unreadable folder is reported") {
  if (::geteuid() == 0) return;  // root reads a chmod 000 folder anyway: nothing to observe
  TempDir dir;
  dir.write("secret/a.py", "import os\n");
  fs::permissions(dir.path / "secret", fs::perms::none);
  auto ws = idx::load_workspace(dir.path.string(), {});
  REQUIRE(ws.skipped.size() == 1);
  CHECK(ws.skipped[0].second.rfind("unreadable folder:", 0) == 0);
}

TEST_CASE("crawler: progress, cancellation and the max_files bound") {
  TempDir dir;
  for (int i = 0; i < 120; ++i) dir.write("pkg/m" + std::to_string(1000 + i) + ".py", "import os\n");

  SUBCASE("progress rises to the total, at most every ~50 files") {
    idx::CrawlOptions options;
    options.threads = 3;
    std::vector<std::pair<size_t, size_t>> calls;  // serialized by the crawler
    options.progress = [&](size_t done, size_t total) { calls.emplace_back(done, total); };
    auto ws = idx::load_workspace(dir.path.string(), options);
    CHECK(ws.analysed.size() == 120);
    REQUIRE(!calls.empty());
    CHECK(calls.size() <= 3);  // 50, 100, 120
    CHECK(calls.back() == std::pair<size_t, size_t>{120, 120});
    for (size_t i = 1; i < calls.size(); ++i) CHECK(calls[i].first > calls[i - 1].first);
  }

  SUBCASE("a cancel flag set before the crawl stops it at once") {
    std::atomic<bool> cancel{true};
    idx::CrawlOptions options;
    options.cancel = &cancel;
    auto ws = idx::load_workspace(dir.path.string(), options);
    CHECK(ws.cancelled);
    CHECK(ws.analysed.empty());
  }

  SUBCASE("a cancel flag set while loading stops between files") {
    std::atomic<bool> cancel{false};
    idx::CrawlOptions options;
    options.cancel = &cancel;
    options.progress = [&](size_t done, size_t) {
      if (done >= 50) cancel = true;
    };
    auto ws = idx::load_workspace(dir.path.string(), options);
    CHECK(ws.cancelled);
    CHECK(ws.analysed.size() == 50);  // one thread: exactly the files loaded before the flag
    CHECK(ws.present.size() == 120);  // the walk had finished
  }

  SUBCASE("max_files") {
    idx::CrawlOptions options;
    options.max_files = 10;
    auto ws = idx::load_workspace(dir.path.string(), options);
    CHECK(ws.truncated);
    CHECK(ws.present.size() == 10);
    CHECK(ws.analysed.size() == 10);
  }
}
