#include "index/crawler.hpp"

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

namespace fs = std::filesystem;

namespace mlaudit::index {

bool is_excluded_directory(const std::string& name) {
  static const std::set<std::string> excluded = {".git", ".hg", ".svn", ".venv", "venv", "site-packages",
                                                 "node_modules", "build", "dist", "__pycache__", ".tox",
                                                 ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints"};
  return excluded.count(name) > 0;
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  std::string out = p.lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool read_file(const std::string& path, std::string& content, std::string& error, uint64_t max_bytes) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (ec) { error = ec.message(); return false; }
  std::ifstream in(path, std::ios::binary);
  if (!in) { error = "cannot open"; return false; }
  // Read at most one byte past the cap: enough for the analyzer to say the file is too large
  // without holding a 50 MB file in memory.
  uint64_t want = std::min<uint64_t>(size, max_bytes + 1);
  content.resize(want);
  in.read(content.data(), static_cast<std::streamsize>(want));
  content.resize(static_cast<size_t>(in.gcount()));
  if (size > max_bytes) content.resize(std::min<uint64_t>(content.size(), max_bytes + 1));
  return true;
}

Workspace load_workspace(const std::string& root_arg, const CrawlOptions& options) {
  Workspace ws;
  ws.root = absolute_path(root_arg);
  std::vector<std::string> to_analyse;
  std::error_code ec;
  fs::recursive_directory_iterator it(ws.root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code entry_ec;
    if (entry.is_symlink(entry_ec)) {  // never followed: no loops, no escape from the folder
      if (entry.is_directory(entry_ec)) it.disable_recursion_pending();
      continue;
    }
    if (entry.is_directory(entry_ec)) {
      if (is_excluded_directory(entry.path().filename().string())) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(entry_ec)) continue;
    std::string path = entry.path().generic_string();
    ws.present.push_back(path);
    if (classify_path(path) != facts::FileKind::Other) to_analyse.push_back(path);
    if (ws.present.size() >= options.max_files) break;
  }

  std::vector<facts::FileFactsPtr> results(to_analyse.size());
  auto analyse = [&](size_t i) {
    std::string content, error;
    facts::FileFacts f;
    std::error_code size_ec;
    uint64_t size = fs::file_size(to_analyse[i], size_ec);
    if (!size_ec && size > options.max_file_bytes) {  // not read at all
      f.path = to_analyse[i];
      f.kind = classify_path(f.path);
      f.bytes = size;
      f.skipped.reason = too_large_reason(size, options.max_file_bytes);
    } else if (!read_file(to_analyse[i], content, error, options.max_file_bytes)) {
      f.path = to_analyse[i];
      f.kind = classify_path(f.path);
      f.skipped.reason = "unreadable: " + error;
    } else {
      f = analyze_text(to_analyse[i], content, options.max_file_bytes);
    }
    results[i] = std::make_shared<const facts::FileFacts>(std::move(f));
  };
  if (options.threads <= 1) {
    for (size_t i = 0; i < to_analyse.size(); ++i) analyse(i);
  } else {
    asio::thread_pool pool(options.threads);
    for (size_t i = 0; i < to_analyse.size(); ++i) asio::post(pool, [&, i] { analyse(i); });
    pool.join();
  }
  ws.analysed = std::move(results);
  return ws;
}

}  // namespace mlaudit::index
