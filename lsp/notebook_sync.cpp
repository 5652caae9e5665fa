#include "lsp/notebook_sync.hpp"

#include <asio/post.hpp>
#include <asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "analyzers/analyzer.hpp"
#include "analyzers/notebooks/notebook_analyzer.hpp"
#include "index/crawler.hpp"
#include "lsp/notebook_diagnostics.hpp"
#include "lsp/notebook_document.hpp"
#include "lsp/protocol.hpp"
#include "rubric/engine.hpp"

namespace mlaudit::lsp {

using json = nlohmann::json;

struct NotebookSync::Open {
  Open(asio::strand<asio::thread_pool::executor_type> s, NotebookDocument d, std::string p)
      : strand(std::move(s)), document(std::move(d)), path(std::move(p)) {}
  asio::strand<asio::thread_pool::executor_type> strand;

  // Guarded by mu (the reader thread edits, the strand reads).
  std::mutex mu;
  NotebookDocument document;
  const std::string path;
  uint64_t generation = 0;
  bool closed = false;
  std::map<std::string, json> published;  // cell URI -> the non-empty set last published
  std::map<std::string, json> pulled;     // pull clients: cell URI -> current diagnostics

  // Owned by the strand.
  uint64_t analysed_generation = 0;
  facts::FileFactsPtr facts;
  std::vector<NotebookDocument::Cell> cells;       // the cells `facts` were computed from
  std::map<std::string, int64_t> versions;         // their text documents' versions
};

NotebookSync::NotebookSync(NotebookHost host) : host_(std::move(host)) {}
NotebookSync::~NotebookSync() = default;

std::shared_ptr<NotebookSync::Open> NotebookSync::find(const std::string& notebook_uri) {
  std::lock_guard lock(mu_);
  auto it = notebooks_.find(notebook_uri);
  return it == notebooks_.end() ? nullptr : it->second;
}

void NotebookSync::did_open(const json& params) {
  NotebookDocument document(params);
  std::string path = uri_to_path(document.uri());
  if (document.uri().rfind("file://", 0) == 0) path = index::absolute_path(path);
  auto notebook = std::make_shared<Open>(asio::make_strand(*host_.pool), std::move(document), path);
  notebook->generation = next_generation_++;
  {
    std::lock_guard lock(mu_);
    if (auto old = notebooks_.find(notebook->document.uri()); old != notebooks_.end()) {
      std::lock_guard old_lock(old->second->mu);
      old->second->closed = true;
    }
    notebooks_[notebook->document.uri()] = notebook;
  }
  schedule(notebook);
}

void NotebookSync::did_change(const json& params) {
  std::string uri = params.at("notebookDocument").at("uri").get<std::string>();
  auto notebook = find(uri);
  if (!notebook) {
    spdlog::warn("notebookDocument/didChange for a notebook that is not open: {}", uri);
    return;
  }
  {
    std::lock_guard lock(notebook->mu);
    notebook->document.change(params, host_.encoding);
    notebook->generation = next_generation_++;
  }
  schedule(notebook);
}

void NotebookSync::did_close(const json& params) {
  std::string uri = params.at("notebookDocument").at("uri").get<std::string>();
  std::shared_ptr<Open> notebook;
  {
    std::lock_guard lock(mu_);
    auto it = notebooks_.find(uri);
    if (it == notebooks_.end()) return;
    notebook = it->second;
    notebooks_.erase(it);
  }
  {
    std::lock_guard lock(notebook->mu);
    notebook->closed = true;
    notebook->generation = next_generation_++;
    for (const auto& [cell_uri, diagnostics] : notebook->published)
      host_.notify("textDocument/publishDiagnostics", {{"uri", cell_uri}, {"diagnostics", json::array()}});
    notebook->published.clear();
  }
  host_.release(notebook->path);
}

void NotebookSync::schedule(const std::shared_ptr<Open>& notebook) {
  asio::post(notebook->strand, [this, notebook] { analyze(notebook); });
}

void NotebookSync::republish_all() {
  std::vector<std::shared_ptr<Open>> open;
  {
    std::lock_guard lock(mu_);
    for (const auto& [uri, notebook] : notebooks_) open.push_back(notebook);
  }
  for (const auto& notebook : open) asio::post(notebook->strand, [this, notebook] { publish(notebook); });
}

// On the notebook's strand.
void NotebookSync::analyze(const std::shared_ptr<Open>& notebook) {
  notebooks::Notebook cells;
  uint64_t generation;
  size_t bytes;
  {
    std::lock_guard lock(notebook->mu);
    if (notebook->closed || notebook->generation == notebook->analysed_generation) return;
    generation = notebook->generation;
    cells = notebook->document.to_notebook();
    bytes = notebook->document.bytes();
    notebook->cells = notebook->document.cells();
    notebook->versions.clear();
    for (const auto& cell : notebook->cells)
      if (const auto* text = notebook->document.text_of(cell.uri)) notebook->versions[cell.uri] = text->version;
  }
  auto facts = std::make_shared<facts::FileFacts>();
  facts->path = notebook->path;
  facts->kind = facts::FileKind::Notebook;
  facts->bytes = bytes;
  try {
    if (bytes > host_.max_file_bytes) facts->skipped.reason = too_large_reason(bytes, host_.max_file_bytes);
    else notebooks::analyze_notebook(cells, "", *facts);
  } catch (const std::exception& e) {
    spdlog::error("analysis of notebook {} failed: {}", notebook->path, e.what());
    return;
  }
  notebook->facts = facts;
  notebook->analysed_generation = generation;
  {
    std::lock_guard lock(notebook->mu);
    if (notebook->closed) return;  // the workspace has gone back to the file on disk
  }
  bool workspace_changed = host_.update(*facts);
  publish(notebook);
  if (workspace_changed) host_.refresh();
}

// On the notebook's strand: per-cell diagnostics of the analysed cells against the current
// workspace conclusions; cells whose set changed are published, emptied cells included.
void NotebookSync::publish(const std::shared_ptr<Open>& notebook) {
  if (!notebook->facts) return;
  const facts::FileFacts& facts = *notebook->facts;
  std::map<std::string, json> by_uri;
  if (!facts.skipped.reason.empty()) {
    if (!notebook->cells.empty()) by_uri[notebook->cells.front().uri] = json::array({not_analysed_diagnostic(facts.skipped.reason)});
  } else if (facts.notebook) {
    auto findings = rubric::check_file(facts, *host_.rubric, *host_.conclusions());
    for (auto& [cell, diagnostics] : cell_diagnostics(findings, *facts.notebook, host_.encoding))
      if (cell < notebook->cells.size()) by_uri[notebook->cells[cell].uri] = std::move(diagnostics);
  }
  bool changed = false;
  std::lock_guard lock(notebook->mu);
  if (notebook->closed || notebook->generation != notebook->analysed_generation) return;  // superseded
  if (host_.pull) {
    changed = notebook->pulled != by_uri;
    notebook->pulled = std::move(by_uri);
  } else {
    for (const auto& cell : notebook->cells) {
      auto now = by_uri.find(cell.uri);
      auto before = notebook->published.find(cell.uri);
      bool had = before != notebook->published.end();
      if (now == by_uri.end() && !had) continue;
      if (now != by_uri.end() && had && before->second == now->second) continue;
      json params = {{"uri", cell.uri}, {"diagnostics", now == by_uri.end() ? json::array() : now->second}};
      if (auto version = notebook->versions.find(cell.uri); version != notebook->versions.end()) params["version"] = version->second;
      host_.notify("textDocument/publishDiagnostics", std::move(params));
    }
    // Cells that left the notebook lose their diagnostics too.
    for (const auto& [uri, diagnostics] : notebook->published)
      if (!notebook->document.has_cell(uri) && !by_uri.count(uri))
        host_.notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
    notebook->published = std::move(by_uri);
  }
  if (changed) host_.refresh();
}

bool NotebookSync::pull(const std::string& cell_uri, std::function<void(json items)> reply) {
  std::shared_ptr<Open> owner;
  {
    std::lock_guard lock(mu_);
    for (const auto& [uri, notebook] : notebooks_) {
      std::lock_guard notebook_lock(notebook->mu);
      if (notebook->document.has_cell(cell_uri)) { owner = notebook; break; }
    }
  }
  if (!owner) return false;
  asio::post(owner->strand, [this, owner, cell_uri, reply = std::move(reply)] {
    analyze(owner);
    json items = json::array();
    {
      std::lock_guard lock(owner->mu);
      if (auto it = owner->pulled.find(cell_uri); it != owner->pulled.end()) items = it->second;
    }
    reply(std::move(items));
  });
  return true;
}

std::map<std::string, facts::FileFactsPtr> NotebookSync::open_facts() {
  std::vector<std::shared_ptr<Open>> open;
  {
    std::lock_guard lock(mu_);
    for (const auto& [uri, notebook] : notebooks_) open.push_back(notebook);
  }
  std::map<std::string, facts::FileFactsPtr> out;
  for (const auto& notebook : open) {
    notebooks::Notebook cells;
    {
      std::lock_guard lock(notebook->mu);
      cells = notebook->document.to_notebook();
    }
    auto analysed = std::make_shared<facts::FileFacts>();
    analysed->path = notebook->path;
    analysed->kind = facts::FileKind::Notebook;
    notebooks::analyze_notebook(cells, "", *analysed);  // the newest text, whatever the strand has done
    out[notebook->path] = analysed;
  }
  return out;
}

}  // namespace mlaudit::lsp
