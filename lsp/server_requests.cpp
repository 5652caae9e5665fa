// Requests about the workspace: pull diagnostics, workspace/executeCommand (the audit), code
// actions and hover.
#include "lsp/server_state.hpp"

namespace mlaudit::lsp::detail {

// Pull diagnostics: answered on the document's strand once its analysis is current and the
// workspace facts are loaded.
void Server::on_pull_diagnostics(const json& id, const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  std::string previous = params.value("previousResultId", "");
  DocumentPtr doc = find(uri);
  if (!doc) {
    auto pulled = [this, id, previous](json items) {
      if (!is_open_request(id)) return;
      std::string result_id = std::to_string(std::hash<std::string>{}(items.dump(-1, ' ', false, json::error_handler_t::replace)));
      if (!previous.empty() && previous == result_id) reply(id, {{"kind", "unchanged"}, {"resultId", result_id}});
      else reply(id, {{"kind", "full"}, {"resultId", result_id}, {"items", std::move(items)}});
    };
    if (!notebooks_->pull(uri, pulled)) reply(id, {{"kind", "full"}, {"items", json::array()}});
    return;
  }
  auto answer = [this, id, doc, previous] {
    asio::post(doc->strand, [this, id, doc, previous] {
      if (!is_open_request(id)) return;  // cancelled meanwhile
      analyze(doc);
      publish(doc);  // against the current workspace and settings (pull clients get no republish)
      json items;
      {
        std::lock_guard lock(doc->mu);
        if (doc->closed) { reply(id, {{"kind", "full"}, {"items", json::array()}}); return; }
        items = doc->diagnostics;
      }
      std::string result_id = std::to_string(std::hash<std::string>{}(items.dump(-1, ' ', false, json::error_handler_t::replace)));
      if (!previous.empty() && previous == result_id) reply(id, {{"kind", "unchanged"}, {"resultId", result_id}});
      else reply(id, {{"kind", "full"}, {"resultId", result_id}, {"items", std::move(items)}});
    });
  };
  {
    std::lock_guard lock(state_mu_);
    if (!loaded_) { deferred_.push_back(answer); return; }
  }
  answer();
}

// mlaudit.audit [{"folder", "format", "output"?}] -> {"content", "path"};
// mlaudit.maturity [{"folder"?}] -> {"overall", "areas": {id: level}}. Whole-workspace work,
// so it runs on the pool; open documents count with their editor text.
void Server::on_execute_command(const json& id, const json& params) {
  std::string command = params.at("command").get<std::string>();
  if (command == kOpenGuideCommand) {
    std::string uri = guide_uri(params);
    if (uri.empty()) throw RpcError{error_code::kInvalidParams, "mlaudit.openGuide needs the guide's URI"};
    // A local guide opens in the editor; a published one in the browser.
    send_request("window/showDocument", {{"uri", uri}, {"external", uri.rfind("file:", 0) != 0}, {"takeFocus", true}}, nullptr);
    reply(id, nullptr);
    return;
  }
  if (command != "mlaudit.audit" && command != "mlaudit.maturity")
    throw RpcError{error_code::kInvalidParams, "unknown command: " + command};
  json argument = params.contains("arguments") && params["arguments"].is_array() && !params["arguments"].empty()
                      ? params["arguments"][0] : json::object();
  if (!argument.is_object()) throw RpcError{error_code::kInvalidParams, "the argument must be an object"};
  std::string folder = argument.contains("folder") ? index::absolute_path(uri_to_path(argument.at("folder").get<std::string>()))
                       : !roots_.empty() ? roots_.front() : "";
  if (folder.empty()) throw RpcError{error_code::kInvalidParams, "no folder given and no workspace folder open"};
  std::string format = argument.value("format", "md");
  if (format != "md" && format != "json" && format != "html") throw RpcError{error_code::kInvalidParams, "format must be md, json or html"};
  std::string output = argument.value("output", "");
  asio::post(pool_, [this, id, command, folder, format, output] {
    try {
      rubric::AuditResult audit = audit_folder(folder);
      if (command == "mlaudit.maturity") {
        json areas = json::object();
        for (const auto& area : audit.areas) areas[area.id] = area.assessable ? json(area.level) : json(nullptr);
        reply(id, {{"overall", audit.overall ? json(*audit.overall) : json(nullptr)}, {"areas", areas}});
        return;
      }
      std::string content = format == "json"   ? rubric::render_json(audit)
                            : format == "html" ? rubric::render_html(audit)
                                               : rubric::render_markdown(audit, rubric_->template_markdown);
      if (!output.empty()) {
        std::ofstream out(output, std::ios::binary);
        if (!(out << content)) { reply_error(id, error_code::kInternalError, "cannot write " + output); return; }
      }
      reply(id, {{"content", content}, {"path", output.empty() ? json(nullptr) : json(output)}});
    } catch (const std::exception& e) {
      reply_error(id, error_code::kInternalError, std::string("audit failed: ") + e.what());
    }
  });
}

rubric::AuditResult Server::audit_folder(const std::string& folder) {
  if (!items_) throw std::runtime_error("the audit rubric (items.yaml) could not be loaded; see the log");
  index::CrawlOptions crawl{settings_->max_file_bytes(), 1};
  crawl.exclude = settings_->exclude_filter();
  crawl.compact = [compactor = compactor_](facts::FileFacts& f) { compactor->compact(f); };
  index::Workspace ws = index::load_workspace(folder, crawl);
  std::map<std::string, std::pair<facts::FileFactsPtr, std::string>> open;
  {
    std::lock_guard lock(state_mu_);
    for (const auto& [uri, doc] : documents_) {
      std::lock_guard doc_lock(doc->mu);
      if (doc->current_facts && doc->current_facts_generation == doc->generation) {
        open[doc->path] = {doc->current_facts, doc->current_text};
      } else {  // edited since its last analysis: the audit reads the newest text
        std::string text = doc->text.text();
        open[doc->path] = {std::make_shared<const facts::FileFacts>(analyze_text(doc->path, text, options_.max_file_bytes)), text};
      }
    }
  }
  for (auto& [path, facts] : notebooks_->open_facts()) open[path] = {facts, ""};  // located from their facts
  rubric::WorkspaceSnapshot snapshot;
  snapshot.root = ws.root;
  snapshot.present = std::move(ws.present);
  snapshot.skipped = std::move(ws.skipped);
  snapshot.relevance = settings_->relevance();
  for (auto& f : ws.analysed) {
    auto it = open.find(f->path);
    snapshot.files.push_back(it != open.end() ? it->second.first : f);
  }
  auto reader = [&](const std::string& path) -> std::optional<std::string> {
    if (auto it = open.find(path); it != open.end()) return it->second.second;
    std::string content, error;
    if (!index::read_file(path, content, error, options_.max_file_bytes)) return std::nullopt;
    return content;
  };
  std::string name = ws.root.substr(ws.root.rfind('/') + 1);
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &utc);
  return rubric::audit_workspace(snapshot, rubric_, *items_, reader, name, date,
                                 [this](const std::string& path, std::vector<rubric::Finding>& findings,
                                        const std::optional<std::string>&) { settings_->apply_to_audit(path, findings); });
}

// workspace/diagnostic: reports for files that are not open (open ones are pulled one by one).
// A file whose report did not change since the client's previousResultIds gets "unchanged".
void Server::on_workspace_diagnostics(const json& id, const json& params) {
  std::map<std::string, std::string> previous;
  for (const auto& p : params.value("previousResultIds", json::array())) previous[p.at("uri").get<std::string>()] = p.at("value").get<std::string>();
  auto answer = [this, id, previous] {
    asio::post(pool_, [this, id, previous] {
      if (!is_open_request(id)) return;
      std::vector<facts::FileFactsPtr> files;
      std::shared_ptr<const rubric::Conclusions> conclusions;
      {
        std::lock_guard lock(state_mu_);
        conclusions = model_->conclusions();
        for (const auto& [path, f] : closed_facts_)
          if (!open_paths_.count(path)) files.push_back(f);
      }
      json items = json::array();
      for (const auto& file : files) {
        std::string uri = path_to_uri(file->path);
        auto findings = rubric::check_file(*file, *rubric_, *conclusions);
        auto before = previous.find(uri);
        if (findings.empty() && before == previous.end() && !rubric::is_settings_file(file->path)) continue;
        std::string content, error;
        index::read_file(file->path, content, error, options_.max_file_bytes);
        json diagnostics = settings_->diagnostics(file->path, std::move(findings), content, caps_.encoding, file.get());
        if (diagnostics.empty() && before == previous.end()) continue;
        std::string result_id = std::to_string(std::hash<std::string>{}(diagnostics.dump(-1, ' ', false, json::error_handler_t::replace)));
        if (before != previous.end() && before->second == result_id)
          items.push_back({{"kind", "unchanged"}, {"uri", uri}, {"version", nullptr}, {"resultId", result_id}});
        else
          items.push_back({{"kind", "full"}, {"uri", uri}, {"version", nullptr}, {"resultId", result_id}, {"items", std::move(diagnostics)}});
      }
      // Configuration files that are not analysed (pyproject.toml) and have problems.
      std::set<std::string> listed;
      for (const auto& item : items) listed.insert(item["uri"].get<std::string>());
      for (auto& [path, diagnostics] : settings_->config_file_reports(open_paths(), caps_.encoding)) {
        std::string uri = path_to_uri(path);
        if (listed.count(uri)) continue;
        std::string result_id = std::to_string(std::hash<std::string>{}(diagnostics.dump()));
        items.push_back({{"kind", "full"}, {"uri", uri}, {"version", nullptr}, {"resultId", result_id}, {"items", std::move(diagnostics)}});
      }
      reply(id, {{"items", std::move(items)}});
    });
  };
  {
    std::lock_guard lock(state_mu_);
    if (!loaded_) { deferred_.push_back(answer); return; }
  }
  answer();
}

// Facts of every workspace file, open ones with their editor text (seed helpers, seed constants).
std::vector<facts::FileFactsPtr> Server::workspace_facts() {
  std::vector<facts::FileFactsPtr> out;
  std::vector<DocumentPtr> docs;
  {
    std::lock_guard lock(state_mu_);
    for (const auto& [path, f] : closed_facts_)
      if (!open_paths_.count(path)) out.push_back(f);
    for (const auto& [uri, doc] : documents_) docs.push_back(doc);
  }
  for (const auto& doc : docs) {
    std::lock_guard lock(doc->mu);
    if (doc->current_facts) out.push_back(doc->current_facts);
  }
  return out;
}

// textDocument/codeAction and codeAction/resolve: on the document's strand, against its
// current analysis; an edit made since (the analysis is not of the newest text) is answered
// ContentModified rather than with edits for old text.
void Server::on_code_action(const json& id, const json& params, bool resolve) {
  std::string uri = resolve ? params.at("data").at("uri").get<std::string>() : params.at("textDocument").at("uri").get<std::string>();
  DocumentPtr doc = find(uri);
  if (!doc) {
    if (resolve) reply_error(id, error_code::kContentModified, "the document is not open");
    else reply(id, json::array());
    return;
  }
  auto answer = [this, id, doc, params, resolve] {
    asio::post(doc->strand, [this, id, doc, params, resolve] {
      if (!is_open_request(id)) return;
      analyze(doc);
      if (!doc->facts) { reply(id, resolve ? params : json::array()); return; }
      {
        std::lock_guard lock(doc->mu);
        if (doc->closed || doc->generation != doc->analysed_generation) {
          reply_error(id, error_code::kContentModified, "the document changed");
          return;
        }
      }
      std::shared_ptr<const rubric::Conclusions> conclusions;
      {
        std::lock_guard lock(state_mu_);
        conclusions = model_->conclusions();
      }
      DocumentSnapshot snapshot{doc->uri, doc->analysed_version, doc->analysed_text, *doc->facts, *rubric_, *conclusions,
                                workspace_facts(), current_roots(), caps_.encoding};
      try {
        reply(id, resolve ? resolve_code_action(params, snapshot, action_caps_) : code_actions(params, snapshot, action_caps_));
      } catch (const StaleRequest& e) {
        reply_error(id, error_code::kContentModified, e.message);
      } catch (const std::exception& e) {
        reply_error(id, error_code::kInternalError, e.what());
      }
    });
  };
  {
    std::lock_guard lock(state_mu_);
    if (!loaded_) { deferred_.push_back(answer); return; }
  }
  answer();
}

void Server::on_hover(const json& id, const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  uint32_t line = params.at("position").at("line").get<uint32_t>();
  uint32_t character = params.at("position").at("character").get<uint32_t>();
  DocumentPtr doc = find(uri);
  if (!doc) { reply(id, nullptr); return; }
  std::vector<HoverSubject> subjects;
  {
    std::lock_guard lock(doc->mu);
    for (const auto& d : doc->diagnostics) {
      const auto& r = d["range"];
      uint32_t sl = r["start"]["line"], sc = r["start"]["character"], el = r["end"]["line"], ec = r["end"]["character"];
      bool inside = (line > sl || (line == sl && character >= sc)) && (line < el || (line == el && character <= ec));
      if (!inside || !d.contains("data")) continue;
      subjects.push_back({d["code"].get<std::string>(), d["data"].value("checklistId", ""),
                          d.contains("codeDescription") ? d["codeDescription"].value("href", "") : ""});
    }
  }
  std::string text;  // built outside the lock: it may read guides from --rubric DIR
  for (const auto& subject : subjects) {
    if (!text.empty()) text += caps_.hover_markdown ? "\n\n---\n\n" : "\n\n";
    text += hover_text(subject, *rubric_, items_.get(), options_.rubric_dir, caps_.hover_markdown);
  }
  if (text.empty()) reply(id, nullptr);
  else reply(id, {{"contents", {{"kind", caps_.hover_markdown ? "markdown" : "plaintext"}, {"value", text}}}});
}

}  // namespace mlaudit::lsp::detail
