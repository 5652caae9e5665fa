#include "cli/workspace_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "index/crawler.hpp"

namespace fs = std::filesystem;

namespace mlaudit::cli {

std::optional<std::string> read_text(const std::string& path, uint64_t max_bytes) {
  std::string content, error;
  if (!index::read_file(path, content, error, max_bytes)) return std::nullopt;
  return content;
}

std::optional<Loaded> load(const LoadOptions& options) {
  std::error_code ec;
  if (!fs::exists(options.path, ec)) {
    std::cerr << "mlaudit: no such file or directory: " << options.path << "\n";
    return std::nullopt;
  }
  Loaded out;
  try {
    out.rubric = rubric::load_rubric(options.rubric_dir);
  } catch (const std::exception& e) {
    std::cerr << "mlaudit: " << e.what() << "\n";
    return std::nullopt;
  }
  out.target = index::absolute_path(options.path);
  out.single_file = fs::is_regular_file(out.target, ec);
  std::string root = out.single_file ? out.target.substr(0, out.target.rfind('/')) : out.target;
  index::CrawlOptions crawl;
  crawl.max_file_bytes = options.max_file_bytes;
  crawl.max_artifact_bytes = options.max_artifact_bytes;
  crawl.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  index::Workspace ws = index::load_workspace(root, crawl);
  if (out.single_file && std::none_of(ws.analysed.begin(), ws.analysed.end(), [&](const auto& f) { return f->path == out.target; })) {
    // Named on the command line but left out by the crawl (.gitignore, an excluded folder):
    // the user asked for it, so it is analysed anyway.
    std::string content, error;
    if (classify_path(out.target) == facts::FileKind::Artifact)
      ws.analysed.push_back(std::make_shared<const facts::FileFacts>(index::analyze_file(out.target, options.max_file_bytes, options.max_artifact_bytes)));
    else if (index::read_file(out.target, content, error, options.max_file_bytes))
      ws.analysed.push_back(std::make_shared<const facts::FileFacts>(analyze_text(out.target, content, options.max_file_bytes)));
    ws.present.push_back(out.target);
  }
  out.snapshot.root = ws.root;
  if (options.relevance == "on") out.snapshot.relevance = true;
  if (options.relevance == "off") out.snapshot.relevance = false;
  out.snapshot.files = std::move(ws.analysed);
  out.snapshot.present = std::move(ws.present);
  out.snapshot.skipped = std::move(ws.skipped);
  return out;
}

}  // namespace mlaudit::cli
