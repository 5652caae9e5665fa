#include "cli/workspace_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/project_settings.hpp"
#include "index/crawler.hpp"
#include "rubric/facts_compactor.hpp"

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
    out.items = rubric::load_audit_rubric(*out.rubric, options.rubric_dir);
  } catch (const std::exception& e) {
    std::cerr << "mlaudit: " << e.what() << "\n";
    return std::nullopt;
  }
  out.target = index::absolute_path(options.path);
  out.single_file = fs::is_regular_file(out.target, ec);
  std::string root = out.single_file ? out.target.substr(0, out.target.rfind('/')) : out.target;
  // Settings files first: they may change the size cap, the relevance decision and what the
  // crawl leaves out. Flags given on the command line win.
  out.settings = disk_settings(out.rubric, root);
  const rubric::Settings at_root = out.settings->settings_at(root)->settings();
  out.max_file_bytes = options.max_file_bytes_set || !at_root.max_file_size ? options.max_file_bytes : *at_root.max_file_size;
  std::optional<bool> relevance;
  if (options.relevance_set || !at_root.relevance) relevance = *rubric::parse_relevance(options.relevance);
  else relevance = *at_root.relevance;
  index::CrawlOptions crawl;
  crawl.max_file_bytes = out.max_file_bytes;
  crawl.exclude = [settings = out.settings](const std::string& path, bool is_dir) {
    return settings->settings_for(path)->excluded(path, is_dir);
  };
  crawl.max_artifact_bytes = options.max_artifact_bytes;
  crawl.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  rubric::FactsCompactor compactor(*out.rubric, out.items.get());
  crawl.compact = [&](facts::FileFacts& f) { compactor.compact(f); };
  index::Workspace ws = index::load_workspace(root, crawl);
  if (out.single_file && std::none_of(ws.analysed.begin(), ws.analysed.end(), [&](const auto& f) { return f->path == out.target; })) {
    // Named on the command line but left out by the crawl (.gitignore, an excluded folder):
    // the user asked for it, so it is analysed anyway.
    std::string content, error;
    if (classify_path(out.target) == facts::FileKind::Artifact)
      ws.analysed.push_back(std::make_shared<const facts::FileFacts>(index::analyze_file(out.target, out.max_file_bytes, options.max_artifact_bytes)));
    else if (index::read_file(out.target, content, error, out.max_file_bytes))
      ws.analysed.push_back(std::make_shared<const facts::FileFacts>(analyze_text(out.target, content, out.max_file_bytes)));
    ws.present.push_back(out.target);
  }
  out.snapshot.root = ws.root;
  out.snapshot.relevance = relevance;
  out.snapshot.files = std::move(ws.analysed);
  out.snapshot.present = std::move(ws.present);
  out.snapshot.skipped = std::move(ws.skipped);
  return out;
}

}  // namespace mlaudit::cli
