// Background crawls of the workspace folders (with $/progress), watched-file events, folder
// changes and settings reloads: the Server members that keep the workspace model current.
#include "lsp/server_state.hpp"

namespace mlaudit::lsp::detail {

void Server::progress(IndexJob& job, json value) {
  notify("$/progress", {{"token", job.token}, {"value", std::move(value)}});
}

// Under job.mu: sends begin once accepted, then reports at most every 100 ms.
void Server::report_progress(IndexJob& job, bool final_report) {
  if (!job.accepted || job.ended) return;
  auto now = std::chrono::steady_clock::now();
  int percentage = static_cast<int>((static_cast<double>(job.root) + job.root_fraction) * 100 / static_cast<double>(job.roots));
  std::string message = std::to_string(job.done) + "/" + std::to_string(job.total) + " files";
  if (job.roots > 1) message += " (folder " + std::to_string(job.root + 1) + " of " + std::to_string(job.roots) + ")";
  if (!job.begun) {
    job.begun = true;
    job.last_report = now;
    progress(job, {{"kind", "begin"}, {"title", "mlaudit: indexing"}, {"cancellable", true},
                   {"message", message}, {"percentage", percentage}});
  } else if (final_report || now - job.last_report > std::chrono::milliseconds(100)) {
    job.last_report = now;
    progress(job, {{"kind", "report"}, {"message", message}, {"percentage", percentage}});
  }
}

void Server::index_roots(std::vector<std::string> roots) {
  auto job = std::make_shared<IndexJob>();
  job->token = "mlaudit/indexing/" + std::to_string(next_token_++);
  // Known now: the client may accept the progress token (and get `begin`) before the crawl starts.
  job->roots = std::max<size_t>(roots.size(), 1);
  {
    std::lock_guard lock(state_mu_);
    jobs_[job->token] = job;
  }
  if (caps_.work_done_progress) {
    send_request("window/workDoneProgress/create", {{"token", job->token}}, [this, job](bool ok) {
      std::lock_guard lock(job->mu);
      job->accepted = ok;
      report_progress(*job, false);
    });
  }
  asio::post(pool_, [this, roots = std::move(roots), job] {
    auto started = std::chrono::steady_clock::now();
    std::vector<index::Workspace> loaded;
    for (size_t r = 0; r < roots.size(); ++r) {
      index::CrawlOptions options{settings_->max_file_bytes(), 1};
      options.exclude = settings_->exclude_filter();
      options.compact = [compactor = compactor_](facts::FileFacts& f) { compactor->compact(f); };
      options.cancel = &job->cancel;
      {
        std::lock_guard lock(job->mu);
        job->root = r;
        job->roots = roots.size();
        job->earlier_roots_files = job->done;  // the counts add up across folders
      }
      options.progress = [this, job](size_t done, size_t total) {
        std::lock_guard lock(job->mu);
        job->done = job->earlier_roots_files + done;
        job->total = job->earlier_roots_files + total;
        job->root_fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
        report_progress(*job, false);
      };
      loaded.push_back(index::load_workspace(roots[r], options));
    }
    bool changed = false;
    std::vector<std::function<void()>> deferred;
    size_t files = 0;
    {
      std::lock_guard lock(state_mu_);
      model_->begin_batch();
      for (auto& ws : loaded) {
        // A re-scan also learns what disappeared (unless it was cancelled half-way).
        if (!ws.cancelled) {
          std::set<std::string> seen(ws.present.begin(), ws.present.end());
          for (auto it = closed_facts_.begin(); it != closed_facts_.end();) {
            bool gone = it->first.rfind(ws.root + "/", 0) == 0 && !seen.count(it->first) && !open_paths_.count(it->first);
            if (gone) { changed |= model_->remove(it->first); it = closed_facts_.erase(it); }
            else ++it;
          }
          for (const auto& path : model_->present_under(ws.root))
            if (!seen.count(path) && !open_paths_.count(path)) changed |= model_->remove(path);
        }
        for (const auto& path : ws.present) changed |= model_->add_present(path);
        for (auto& f : ws.analysed) {
          ++files;
          closed_facts_[f->path] = f;
          if (open_paths_.count(f->path)) continue;  // the editor's text wins
          changed |= model_->update(*f);
        }
      }
      changed |= model_->end_batch();
      loaded_ = true;
      deferred.swap(deferred_);
      jobs_.erase(job->token);
    }
    {
      std::lock_guard lock(job->mu);
      if (job->begun && !job->ended)
        progress(*job, {{"kind", "end"}, {"message", std::to_string(files) + " files indexed" +
                                                         (job->cancel ? " (cancelled)" : "")}});
      job->ended = true;
    }
    spdlog::info("workspace facts loaded: {} files in {} ms{}", files,
                 std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count(),
                 job->cancel ? " (cancelled)" : "");
    for (auto& task : deferred) task();
    if (changed) schedule_refresh();
    if (!caps_.pull_diagnostics) publish_config_reports();  // broken configuration files the crawl met
  });
}

void Server::on_progress_cancel(const json& params) {
  std::string token = params.at("token").is_string() ? params["token"].get<std::string>() : params["token"].dump();
  std::lock_guard lock(state_mu_);
  if (auto it = jobs_.find(token); it != jobs_.end()) it->second->cancel = true;
}

// Files changed on disk (client file watching): re-read what is not open.
void Server::on_watched_files(const json& params) {
  std::vector<std::pair<std::string, int>> changes;
  for (const auto& change : params.at("changes"))
    changes.emplace_back(index::absolute_path(uri_to_path(change.at("uri").get<std::string>())), change.at("type").get<int>());
  std::vector<std::string> settings_changed;
  for (const auto& [path, type] : changes)
    if (settings_->affects_settings(path)) settings_changed.push_back(path);
  if (!settings_changed.empty()) reload_settings(settings_changed);
  asio::post(pool_, [this, changes] {
    bool changed = false;
    for (const auto& [path, type] : changes) {
      facts::FileFactsPtr disk;
      std::string content, error;
      bool deleted = type == 3 || !index::read_file(path, content, error, options_.max_file_bytes + 1);
      if (!deleted && classify_path(path) != facts::FileKind::Other)
        disk = closed_file_facts(path);
      std::lock_guard lock(state_mu_);
      if (open_paths_.count(path)) continue;
      if (deleted) {
        closed_facts_.erase(path);
        changed |= model_->remove(path);
      } else if (disk) {
        closed_facts_[path] = disk;
        changed |= model_->update(*disk);
      } else {
        changed |= model_->add_present(path);
      }
    }
    if (changed) schedule_refresh();
  });
}

// Clients that cannot watch files (Neovim on Linux) get a re-scan when a file is saved.
void Server::on_did_save(const json& params) {
  if (!caps_.watch_files) {  // configuration files may have changed on disk too
    std::string path = index::absolute_path(uri_to_path(params.at("textDocument").at("uri").get<std::string>()));
    reload_settings({path}, true);
  }
}

void Server::on_workspace_folders(const json& params) {
  const json& event = params.at("event");
  std::vector<std::string> added;
  for (const auto& folder : event.value("added", json::array())) added.push_back(index::absolute_path(uri_to_path(folder.at("uri").get<std::string>())));
  for (const auto& folder : event.value("removed", json::array())) {
    std::string root = index::absolute_path(uri_to_path(folder.at("uri").get<std::string>()));
    roots_.erase(std::remove(roots_.begin(), roots_.end(), root), roots_.end());
    std::lock_guard lock(state_mu_);
    model_->begin_batch();
    for (auto it = closed_facts_.begin(); it != closed_facts_.end();) {
      if (it->first.rfind(root + "/", 0) == 0 && !open_paths_.count(it->first)) it = closed_facts_.erase(it);
      else ++it;
    }
    // Everything the model knows under that folder goes, lock files and other unanalysed files too.
    for (const auto& path : model_->present_under(root))
      if (!open_paths_.count(path)) model_->remove(path);
    model_->end_batch();
  }
  for (const auto& root : added)
    if (std::find(roots_.begin(), roots_.end(), root) == roots_.end()) roots_.push_back(root);
  {
    std::lock_guard lock(state_mu_);
    model_->set_roots(roots_);
  }
  settings_->set_roots(roots_);
  if (!added.empty()) index_roots(added);
  else schedule_refresh();
}

// Settings (lsp/settings_service.hpp) ---------------------------------------------------------
void Server::pull_configuration() {
  send_request_for_result("workspace/configuration", settings_->configuration_request(), [this](const json* result) {
    if (!result) return;  // the client declined: initializationOptions and the files stay
    settings_->apply_configuration_result(*result);
    reload_settings({});
  });
}

void Server::on_did_change_configuration(const json& params) {
  if (settings_->on_did_change_configuration(params)) pull_configuration();
  else reload_settings({});
}

// On the reader thread, after the editor's settings or a configuration/baseline file changed:
// re-read them, crawl again when the crawl's own settings changed, then republish (push) or
// ask the client to pull again.
void Server::reload_settings(const std::vector<std::string>& changed, bool recrawl) {
  settings_->reload(changed);
  std::optional<bool> relevance = settings_->relevance();
  {
    std::lock_guard lock(state_mu_);
    relevance_override_ = relevance;
    model_->set_relevance_override(relevance);
  }
  if (std::string signature = settings_->crawl_signature(); recrawl || signature != crawl_signature_) {
    crawl_signature_ = signature;
    index_roots(roots_);
  }
  refresh_all(nullptr);
  if (!caps_.pull_diagnostics) publish_config_reports();
}

// Push clients: the problems of configuration files that are not open (pull clients get them
// from workspace/diagnostic).
void Server::publish_config_reports() {
  for (auto& [path, diagnostics] : settings_->config_file_reports(open_paths(), caps_.encoding))
    notify("textDocument/publishDiagnostics", {{"uri", path_to_uri(path)}, {"diagnostics", std::move(diagnostics)}});
}

// A file that is not open keeps only the Facts the rubric can ask for (rubric/facts_compactor.hpp).
facts::FileFactsPtr Server::closed_file_facts(const std::string& path) const {
  facts::FileFacts f = index::analyze_file(path, settings_->max_file_bytes());  // artifacts: streamed, own cap
  compactor_->compact(f);
  return std::make_shared<const facts::FileFacts>(std::move(f));
}

std::vector<std::string> Server::current_roots() {
  std::lock_guard lock(state_mu_);
  return model_->roots();
}

}  // namespace mlaudit::lsp::detail
