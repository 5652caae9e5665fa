#include "index/crawler.hpp"

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

#include <atomic>
#include <filesystem>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

#include "index/gitignore.hpp"
#include "support/open_regular.hpp"

namespace fs = std::filesystem;

namespace mlaudit::index {
namespace {
constexpr size_t kProgressEvery = 50;

std::string special_file_reason(const fs::file_status& status) {
  switch (status.type()) {
    case fs::file_type::fifo: return "not a regular file (a FIFO)";
    case fs::file_type::socket: return "not a regular file (a socket)";
    case fs::file_type::block:
    case fs::file_type::character: return "not a regular file (a device)";
    default: return "not a regular file";
  }
}
}  // namespace

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
  // Opened first, then measured: the path may have become a FIFO or a folder since the crawl.
  int fd = open_regular_file(path, error);
  if (fd < 0) return false;
  struct stat st {};
  uint64_t size = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  // Read at most one byte past the cap: enough for the analyzer to say the file is too large
  // without holding a 50 MB file in memory.
  uint64_t want = std::min<uint64_t>(size, max_bytes + 1);
  content.clear();
  content.resize(want);
  size_t got = 0;
  while (got < content.size()) {
    ssize_t n = ::read(fd, content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  content.resize(got);
  return true;
}

facts::FileFacts analyze_file(const std::string& path, uint64_t max_file_bytes, uint64_t max_artifact_bytes) {
  facts::FileFacts f;
  f.path = path;
  f.kind = classify_path(path);
  if (f.kind == facts::FileKind::Artifact) {
    artifacts::ArtifactLimits limits;
    limits.max_file_bytes = max_artifact_bytes;
    return artifacts::analyze_artifact(path, limits);
  }
  std::string content, error;
  std::error_code size_ec;
  uint64_t size = fs::file_size(path, size_ec);
  if (!size_ec && size > max_file_bytes) {  // not read at all
    f.bytes = size;
    f.skipped.reason = too_large_reason(size, max_file_bytes);
  } else if (!read_file(path, content, error, max_file_bytes)) {
    f.skipped.reason = "unreadable: " + error;
  } else {
    f = analyze_text(path, content, max_file_bytes);  // binary: a skip reason too
  }
  return f;
}

Workspace load_workspace(const std::string& root_arg, const CrawlOptions& options) {
  Workspace ws;
  ws.root = absolute_path(root_arg);
  auto cancelled = [&] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };

  // The walk: depth first, entries in name order (so results do not depend on the file
  // system's order). Each folder carries the .gitignore rules in effect in it; an ignored or
  // excluded folder is never entered, which is what keeps a repository with a huge ignored
  // data/ folder fast.
  struct Folder {
    fs::path path;
    std::string relative;  // "" for the root
    std::shared_ptr<const GitIgnore> rules;  // in effect in the parent until the folder is opened
  };
  std::vector<Folder> stack;
  stack.push_back({ws.root, "", options.respect_gitignore ? GitIgnore::for_root(ws.root) : nullptr});
  std::vector<std::string> to_analyse;
  while (!stack.empty() && !ws.truncated && !ws.cancelled) {
    Folder folder = std::move(stack.back());
    stack.pop_back();
    if (folder.rules && !folder.relative.empty()) folder.rules = folder.rules->descend(ws.root, folder.relative);
    std::vector<fs::directory_entry> entries;
    std::error_code ec;
    for (fs::directory_iterator it(folder.path, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) ws.skipped.emplace_back(folder.path.generic_string(), "unreadable folder: " + ec.message());
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    std::vector<Folder> children;
    for (const fs::directory_entry& entry : entries) {
      if (cancelled()) {
        ws.cancelled = true;
        break;
      }
      std::string name = entry.path().filename().string();
      std::string relative = folder.relative.empty() ? name : folder.relative + "/" + name;
      std::error_code entry_ec;
      fs::file_status status = entry.symlink_status(entry_ec);
      if (entry_ec) continue;
      if (fs::is_symlink(status)) {  // never followed: no loops, no escape from the folder
        ++ws.ignored[kSymlinkNotFollowed];
        continue;
      }
      bool is_dir = fs::is_directory(status);
      bool special = !is_dir && !fs::is_regular_file(status);  // FIFOs, sockets, devices: never read
      if (is_dir && is_excluded_directory(name)) {
        ++ws.ignored[kExcludedFolder];
        continue;
      }
      if (folder.rules && folder.rules->ignored(relative, is_dir)) {
        ++ws.ignored[kIgnoredByGitignore];
        continue;
      }
      if (options.exclude && options.exclude(entry.path().generic_string(), is_dir)) {
        ++ws.ignored[kExcludedBySettings];
        continue;
      }
      if (is_dir) {
        children.push_back({entry.path(), std::move(relative), folder.rules});
        continue;
      }
      std::string path = entry.path().generic_string();
      if (special) {  // a FIFO named train.py would block a read forever; coverage still names it
        if (classify_path(path) != facts::FileKind::Other) ws.skipped.emplace_back(path, special_file_reason(status));
        continue;
      }
      if (classify_path(path) != facts::FileKind::Other) to_analyse.push_back(path);
      ws.present.push_back(std::move(path));
      if (ws.present.size() >= options.max_files) {
        ws.truncated = true;
        break;
      }
    }
    // Pushed last-first so that they are opened in name order.
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(std::move(*it));
  }

  std::vector<facts::FileFactsPtr> results(to_analyse.size());
  std::atomic<size_t> done{0};
  std::mutex progress_mutex;
  size_t reported = 0;
  auto report = [&](size_t n) {
    // Serialized and monotonic: with several threads, the counts may finish out of order.
    std::lock_guard lock(progress_mutex);
    if (n <= reported) return;
    reported = n;
    options.progress(n, to_analyse.size());
  };
  auto analyse = [&](size_t i) {
    if (cancelled()) return;  // results[i] stays empty
    facts::FileFacts f = analyze_file(to_analyse[i], options.max_file_bytes, options.max_artifact_bytes);
    if (options.compact) options.compact(f);
    results[i] = std::make_shared<const facts::FileFacts>(std::move(f));
    size_t n = done.fetch_add(1) + 1;
    if (options.progress && (n % kProgressEvery == 0 || n == to_analyse.size())) report(n);
  };
  if (options.threads <= 1) {
    for (size_t i = 0; i < to_analyse.size(); ++i) analyse(i);
  } else {
    asio::thread_pool pool(options.threads);
    for (size_t i = 0; i < to_analyse.size(); ++i) asio::post(pool, [&, i] { analyse(i); });
    pool.join();
  }
  if (done.load() < to_analyse.size()) ws.cancelled = true;

  // One source for `skipped`: every analysed file's own reason, whichever path set it.
  for (auto& f : results) {
    if (!f) continue;
    if (!f->skipped.reason.empty()) ws.skipped.emplace_back(f->path, f->skipped.reason);
    ws.analysed.push_back(std::move(f));
  }
  std::sort(ws.skipped.begin(), ws.skipped.end());
  return ws;
}

}  // namespace mlaudit::index
