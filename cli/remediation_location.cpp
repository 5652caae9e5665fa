#include "cli/remediation_location.hpp"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "support/embedded.hpp"

#ifndef MLAUDIT_SOURCE_DIR
#define MLAUDIT_SOURCE_DIR ""
#endif
#ifndef MLAUDIT_SHARE_FROM_BIN
#define MLAUDIT_SHARE_FROM_BIN "../share/mlaudit/remediation"
#endif
#ifndef MLAUDIT_VERSION
#define MLAUDIT_VERSION "0"
#endif

namespace fs = std::filesystem;

namespace mlaudit::cli {
namespace {

constexpr std::string_view kPrefix = "remediation/";

template <class F>
void for_each_page(F&& f) {
  for (const auto& resource : embedded::all())
    if (resource.path.substr(0, kPrefix.size()) == kPrefix) f(resource.path.substr(kPrefix.size()), resource.content);
}

bool usable(const fs::path& dir) { return !dir.empty() && is_complete_copy(dir); }

}  // namespace

DocsSearch default_docs_search(const std::string& rubric_dir) {
  DocsSearch search;
  std::string source = MLAUDIT_SOURCE_DIR;
  if (!source.empty()) search.source_dir = fs::path(source) / "rubric" / "remediation";
  if (!rubric_dir.empty()) search.rubric_dir = fs::path(rubric_dir) / "remediation";
  return search;
}

bool is_complete_copy(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  bool complete = true;
  for_each_page([&](std::string_view page, std::string_view) {
    if (complete && !fs::is_regular_file(dir / std::string(page), ec)) complete = false;
  });
  return complete;
}

fs::path cache_pages_dir(const fs::path& cache_home) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a over every page's name and text
  auto mix = [&](std::string_view bytes) {
    for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
    hash = (hash ^ 0xff) * 1099511628211ull;
  };
  for_each_page([&](std::string_view page, std::string_view text) { mix(page); mix(text); });
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(hash));
  return cache_home / "mlaudit" / (std::string(MLAUDIT_VERSION) + "-" + std::string(digest, 12)) / "remediation";
}

bool ensure_cached_pages(const fs::path& dir) {
  if (is_complete_copy(dir)) return true;
  std::error_code ec;
  fs::create_directories(dir.parent_path(), ec);
  if (ec) return false;
  fs::path staging = dir.parent_path() / (".remediation-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  bool ok = true;
  for_each_page([&](std::string_view page, std::string_view text) {
    if (!ok) return;
    fs::path file = staging / std::string(page);
    fs::create_directories(file.parent_path(), ec);
    std::ofstream out(file, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    ok = !ec && out.good();
  });
  if (ok) {
    fs::remove_all(dir, ec);  // an incomplete copy left by an older, interrupted writer
    fs::rename(staging, dir, ec);
    // Another process may have renamed its complete copy into place first: that is as good.
    if (ec) ok = is_complete_copy(dir);
  }
  fs::remove_all(staging, ec);
  return ok && is_complete_copy(dir);
}

std::optional<fs::path> find_local_pages(const DocsSearch& search) {
  if (usable(search.rubric_dir)) return fs::absolute(search.rubric_dir);
  fs::path exe = search.executable;
  std::error_code ec;
  if (exe.empty()) exe = fs::read_symlink("/proc/self/exe", ec);
  if (!exe.empty()) {
    fs::path installed = (exe.parent_path() / MLAUDIT_SHARE_FROM_BIN).lexically_normal();
    if (usable(installed)) return installed;
  }
  if (usable(search.source_dir)) return search.source_dir;
  fs::path home = search.cache_home;
  if (home.empty()) {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* user_home = std::getenv("HOME");
    if (xdg && *xdg == '/') home = xdg;  // the XDG spec ignores relative values
    else if (user_home && *user_home) home = fs::path(user_home) / ".cache";
    else return std::nullopt;
  }
  fs::path cached = cache_pages_dir(home);
  if (ensure_cached_pages(cached)) return cached;
  return std::nullopt;
}

std::string file_url(const fs::path& dir) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : fs::absolute(dir).lexically_normal().generic_string()) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                 c == '_' || c == '~' || c == '/';
    if (plain) out += static_cast<char>(c);
    else out += {'%', hex[c >> 4], hex[c & 15]};
  }
  if (out.back() != '/') out += '/';
  return out;
}

std::string local_remediation_base(const DocsSearch& search) {
  auto dir = find_local_pages(search);
  return dir ? file_url(*dir) : std::string();
}

}  // namespace mlaudit::cli
