// Where diagnostics' links point (cli/remediation_location.cpp, rubric::Rubric::remediation_base):
// MLAUDIT_DOCS_BASE first; else the first complete local copy of the pages that exists — --rubric
// DIR, the installed share folder next to the binary, the source tree — else the embedded pages
// written once to a per-version cache folder.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/remediation_location.hpp"
#include "rubric/rubric.hpp"
#include "support/embedded.hpp"

namespace fs = std::filesystem;
using namespace mlaudit;

namespace {

// A fresh, empty folder under the system temp folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("mlaudit-docs-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t embedded_pages() {
  size_t n = 0;
  for (const auto& r : embedded::all()) n += r.path.substr(0, 12) == "remediation/";
  return n;
}

}  // namespace

TEST_CASE("docs base: file URLs are absolute, end in '/', and percent-encode what is not a plain path character") {
  CHECK(cli::file_url("/usr/share/mlaudit/remediation") == "file:///usr/share/mlaudit/remediation/");
  CHECK(cli::file_url("/tmp/a b/é#1") == "file:///tmp/a%20b/%C3%A9%231/");
}

TEST_CASE("docs base: the embedded pages are written once, completely, to the per-version cache folder") {
  TempDir home;
  fs::path dir = cli::cache_pages_dir(home.path);
  CHECK(dir.parent_path().parent_path() == home.path / "mlaudit");
  CHECK(dir.filename() == "remediation");
  CHECK(dir.parent_path().filename().string().rfind(MLAUDIT_VERSION "-", 0) == 0);  // version-digest
  CHECK_FALSE(cli::is_complete_copy(dir));

  REQUIRE(cli::ensure_cached_pages(dir));
  CHECK(cli::is_complete_copy(dir));
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) files += entry.is_regular_file();
  CHECK(files == embedded_pages());
  for (const auto& r : embedded::all())
    if (r.path.substr(0, 12) == "remediation/") CHECK(read(dir / std::string(r.path.substr(12))) == r.content);
  // No staging folder is left behind.
  size_t siblings = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.parent_path())) ++siblings;
  CHECK(siblings == 1);

  // An incomplete copy (an interrupted writer) is replaced by a complete one.
  fs::remove(dir / "seed-not-set.md");
  CHECK_FALSE(cli::is_complete_copy(dir));
  REQUIRE(cli::ensure_cached_pages(dir));
  CHECK(read(dir / "seed-not-set.md").find("id: seed-not-set") != std::string::npos);
}

TEST_CASE("docs base: the installed share folder next to the binary wins over the source tree") {
  TempDir prefix;
  fs::path exe = prefix.path / "bin" / "mlaudit";
  fs::path share = (exe.parent_path() / MLAUDIT_SHARE_FROM_BIN).lexically_normal();
  cli::DocsSearch search = cli::default_docs_search();
  search.executable = exe;
  search.cache_home = prefix.path / "cache";

  // Nothing installed yet: the source tree this binary was built from (it exists in a build tree).
  REQUIRE(cli::is_complete_copy(search.source_dir));
  CHECK(cli::find_local_pages(search) == search.source_dir);
  CHECK(cli::local_remediation_base(search) == cli::file_url(search.source_dir));

  REQUIRE(cli::ensure_cached_pages(share));  // what `cmake --install` puts there
  CHECK(cli::find_local_pages(search) == share);
  CHECK(cli::local_remediation_base(search) == cli::file_url(share));
  CHECK_FALSE(fs::exists(search.cache_home));  // nothing written when a copy exists
}

TEST_CASE("docs base: with no installed copy and no source tree, the cache copy is written and used") {
  TempDir root;
  cli::DocsSearch search;
  search.executable = root.path / "bin" / "mlaudit";
  search.source_dir = root.path / "gone" / "rubric" / "remediation";
  search.cache_home = root.path / "cache";
  auto found = cli::find_local_pages(search);
  REQUIRE(found.has_value());
  CHECK(*found == cli::cache_pages_dir(search.cache_home));
  CHECK(fs::is_regular_file(*found / "items" / "data.data-versioning.md"));
  CHECK(cli::local_remediation_base(search) == cli::file_url(*found));
}

TEST_CASE("docs base: --rubric DIR's remediation folder wins when it is complete") {
  TempDir rubric;
  cli::DocsSearch search = cli::default_docs_search(rubric.path.string());
  fs::create_directories(rubric.path / "remediation");
  CHECK(cli::find_local_pages(search) != fs::absolute(rubric.path / "remediation"));  // empty: not a copy
  REQUIRE(cli::ensure_cached_pages(rubric.path / "remediation"));
  CHECK(cli::find_local_pages(search) == fs::absolute(rubric.path / "remediation"));
}

TEST_CASE("docs base: MLAUDIT_DOCS_BASE overrides the default, which the binary sets once") {
  rubric::set_default_remediation_base("file:///opt/mlaudit/share/remediation/");
  ::unsetenv("MLAUDIT_DOCS_BASE");
  CHECK(rubric::load_rubric()->remediation_base == "file:///opt/mlaudit/share/remediation/");
  ::setenv("MLAUDIT_DOCS_BASE", "https://docs.example.org/mlaudit", 1);
  CHECK(rubric::load_rubric()->remediation_base == "https://docs.example.org/mlaudit/");  // a '/' is added
  ::unsetenv("MLAUDIT_DOCS_BASE");
  // Restore the source-tree default other tests rely on.
  rubric::set_default_remediation_base(cli::file_url(cli::default_docs_search().source_dir));
}
