// Open documents: didOpen/didChange/didClose, analysis on the pool (one strand per document),
// publishing diagnostics, and the debounced refresh of the other documents.
#include "lsp/server_state.hpp"

namespace mlaudit::lsp::detail {

std::set<std::string> Server::open_paths() {
  std::lock_guard lock(state_mu_);
  return open_paths_;
}

DocumentPtr Server::find(const std::string& uri) {
  std::lock_guard lock(state_mu_);
  auto it = documents_.find(uri);
  return it == documents_.end() ? nullptr : it->second;
}

void Server::on_did_open(const json& params) {
  const json& item = params.at("textDocument");
  std::string uri = item.at("uri").get<std::string>();
  std::string path = uri_to_path(uri);
  if (uri.rfind("file://", 0) == 0) path = index::absolute_path(path);
  auto doc = std::make_shared<Document>(asio::make_strand(pool_), uri, path, options_.max_file_bytes);
  {
    std::lock_guard lock(doc->mu);
    doc->text = DocumentText(item.at("text").get<std::string>());
    doc->version = item.value("version", 0);
    doc->generation = next_generation_++;
  }
  {
    std::lock_guard lock(state_mu_);
    if (auto old = documents_.find(uri); old != documents_.end()) {
      std::lock_guard old_lock(old->second->mu);
      old->second->closed = true;
    }
    documents_[uri] = doc;
    open_paths_.insert(path);
  }
  if (settings_->affects_settings(path)) {
    settings_->set_open_text(path, item.at("text").get<std::string>());
    reload_settings({path});
  }
  schedule_analysis(doc);
}

void Server::on_did_change(const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  DocumentPtr doc = find(uri);
  if (!doc) {
    spdlog::warn("didChange for a document that is not open: {}", uri);
    return;
  }
  {
    std::lock_guard lock(doc->mu);
    for (const auto& change : params.at("contentChanges")) doc->pending.push_back(doc->text.apply(change, caps_.encoding));
    doc->version = params.at("textDocument").value("version", doc->version + 1);
    doc->generation = next_generation_++;
  }
  if (settings_->affects_settings(doc->path)) {
    std::string text;
    {
      std::lock_guard lock(doc->mu);
      text = doc->text.text();
    }
    settings_->set_open_text(doc->path, std::move(text));
    reload_settings({doc->path});
  }
  schedule_analysis(doc);
}

void Server::on_did_close(const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  DocumentPtr doc;
  {
    std::lock_guard lock(state_mu_);
    auto it = documents_.find(uri);
    if (it == documents_.end()) return;
    doc = it->second;
    documents_.erase(it);
    open_paths_.erase(doc->path);
  }
  {
    std::lock_guard lock(doc->mu);
    doc->closed = true;
    doc->generation = next_generation_++;
    if (!caps_.pull_diagnostics) notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
  }
  if (settings_->affects_settings(doc->path)) {  // the file on disk counts again
    settings_->set_open_text(doc->path, std::nullopt);
    reload_settings({doc->path});
  }
  restore_disk_facts(doc->path);
}

// A document or notebook closed: the file on disk is what the workspace sees again.
void Server::restore_disk_facts(const std::string& closed_path) {
  asio::post(pool_, [this, path = closed_path] {
    std::string content, error;
    facts::FileFactsPtr disk;
    if (classify_path(path) != facts::FileKind::Other && index::read_file(path, content, error, options_.max_file_bytes))
      disk = closed_file_facts(path);
    bool changed;
    {
      std::lock_guard lock(state_mu_);
      if (open_paths_.count(path)) return;
      if (disk) closed_facts_[path] = disk; else closed_facts_.erase(path);
      changed = disk ? model_->update(*disk) : model_->remove(path);
    }
    if (changed) schedule_refresh();
  });
}

// Analysis ---------------------------------------------------------------------------------
void Server::schedule_analysis(const DocumentPtr& doc) {
  asio::post(doc->strand, [this, doc] { analyze(doc); });
}

// On the document's strand: brings facts and diagnostics up to date and publishes them.
void Server::analyze(const DocumentPtr& doc) {
  std::string text;
  uint64_t generation;
  int64_t version;
  std::vector<python::TextEdit> edits;
  {
    std::lock_guard lock(doc->mu);
    if (doc->closed || doc->generation == doc->analysed_generation) return;
    text = doc->text.text();
    generation = doc->generation;
    version = doc->version;
    edits.swap(doc->pending);
  }
  for (const auto& edit : edits) doc->analysis.edit(edit);
  facts::FileFactsPtr facts;
  try {
    facts::FileFacts f = doc->analysis.analyze(text);
    f.path = doc->path;
    facts = std::make_shared<const facts::FileFacts>(std::move(f));
  } catch (const std::exception& e) {
    spdlog::error("analysis of {} failed: {}", doc->uri, e.what());
    return;
  }
  if (options_.test_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options_.test_delay_ms));
  doc->facts = facts;
  {
    std::lock_guard lock(doc->mu);
    doc->current_facts = facts;
    doc->current_text = text;
    doc->current_facts_generation = generation;
  }
  doc->analysed_text = std::move(text);
  doc->analysed_generation = generation;
  doc->analysed_version = version;
  bool workspace_changed;
  {
    std::lock_guard lock(state_mu_);
    workspace_changed = model_->update(*facts);
  }
  publish(doc);
  if (workspace_changed) schedule_refresh();
}

// On the document's strand: diagnostics of its analysed text against the current workspace.
void Server::publish(const DocumentPtr& doc) {
  if (!doc->facts) return;
  std::shared_ptr<const rubric::Conclusions> conclusions;
  {
    std::lock_guard lock(state_mu_);
    conclusions = model_->conclusions();
  }
  json diagnostics = json::array();
  if (!doc->facts->skipped.reason.empty() && !rubric::is_settings_file(doc->path)) {
    if (!doc->facts->skipped.by_design) diagnostics.push_back(not_analysed_diagnostic(doc->facts->skipped.reason));
  } else {
    auto findings = rubric::check_file(*doc->facts, *rubric_, *conclusions);
    bool workspace = std::any_of(findings.begin(), findings.end(), fix_needs_workspace);
    rubric::fixes::FixContext fix_ctx{*doc->facts, doc->analysed_text, *rubric_, workspace ? workspace_facts() : std::vector<facts::FileFactsPtr>{}, current_roots()};
    diagnostics = settings_->diagnostics(doc->path, std::move(findings), doc->analysed_text, caps_.encoding, doc->facts.get(),
                                         [&](const rubric::Finding& finding, json& d) {
                                           if (auto fix = fix_data(fix_ctx, finding)) d["data"]["fix"] = std::move(*fix);  // Diagnostic.data.fix
                                         });
  }
  std::lock_guard lock(doc->mu);
  if (doc->closed || doc->generation != doc->analysed_generation) return;  // superseded
  if (doc->diagnostics_generation == doc->analysed_generation && doc->diagnostics == diagnostics) return;  // nothing new
  doc->diagnostics = diagnostics;
  doc->diagnostics_generation = doc->analysed_generation;
  if (!caps_.pull_diagnostics) {
    notify("textDocument/publishDiagnostics",
           {{"uri", doc->uri}, {"version", doc->analysed_version}, {"diagnostics", std::move(diagnostics)}});
  }
}

// Workspace conclusions changed: refresh every open document after an adaptive delay
// (150-500 ms, longer when refreshing took long), so a burst of changes costs one refresh.
void Server::schedule_refresh() {
  std::lock_guard lock(refresh_mu_);
  if (refresh_pending_ || draining_) return;
  refresh_pending_ = true;
  auto delay = std::chrono::milliseconds(std::clamp<int64_t>(150 + 2 * last_refresh_ms_, 150, 500));
  refresh_timer_.expires_after(delay);
  refresh_timer_.async_wait([this](const std::error_code& ec) {
    if (ec) return;
    {
      std::lock_guard lock(refresh_mu_);
      refresh_pending_ = false;
    }
    auto started = std::chrono::steady_clock::now();
    refresh_all(nullptr);
    last_refresh_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  });
}

void Server::refresh_all(const Document* except) {
  if (!caps_.pull_diagnostics) notebooks_->republish_all();
  if (caps_.pull_diagnostics) {
    if (caps_.diagnostic_refresh)
      send({{"jsonrpc", "2.0"}, {"id", "mlaudit/refresh/" + std::to_string(refresh_ids_++)},
            {"method", "workspace/diagnostic/refresh"}, {"params", nullptr}});
    return;
  }
  std::vector<DocumentPtr> docs;
  {
    std::lock_guard lock(state_mu_);
    for (const auto& [uri, doc] : documents_)
      if (doc.get() != except) docs.push_back(doc);
  }
  for (const auto& doc : docs) asio::post(doc->strand, [this, doc] { publish(doc); });
}

void Server::make_notebook_sync() {
  NotebookHost host;
  host.pool = &pool_;
  host.rubric = rubric_;
  host.encoding = caps_.encoding;
  host.pull = caps_.pull_diagnostics;
  host.max_file_bytes = options_.max_file_bytes;
  host.notify = [this](const std::string& method, json params) { notify(method, std::move(params)); };
  host.update = [this](const facts::FileFacts& facts) {
    std::lock_guard lock(state_mu_);
    open_paths_.insert(facts.path);
    return model_->update(facts);
  };
  host.release = [this](const std::string& path) {
    {
      std::lock_guard lock(state_mu_);
      open_paths_.erase(path);
    }
    restore_disk_facts(path);
  };
  host.conclusions = [this] {
    std::lock_guard lock(state_mu_);
    return model_->conclusions();
  };
  host.refresh = [this] { schedule_refresh(); };
  notebooks_ = std::make_unique<NotebookSync>(std::move(host));
}

}  // namespace mlaudit::lsp::detail
