// Lifecycle and the message loop: initialize/shutdown/exit, framing, dispatch, replies, requests
// to the client, cancellation, the editor-process watch (see server_state.hpp for the map).
#include "lsp/server_state.hpp"

#include <signal.h>
#include <unistd.h>

namespace mlaudit::lsp {
namespace detail {

int Server::run(int in_fd) {
  FrameReader reader;
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(in_fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reader.append(buffer, static_cast<size_t>(n));
    // One frame at a time: handle_body may put bytes back (see FrameReader::unread).
    while (auto frame = reader.next()) {
      if (frame->error) {
        spdlog::warn("framing: {}", *frame->error);
        send_error(json(nullptr), error_code::kParseError, "bad frame: " + *frame->error);
        continue;
      }
      handle_body(std::move(frame->body), reader);
      if (exit_code_) return *exit_code_;
    }
  }
  spdlog::info("end of input: exiting");
  return state_ == State::ShutDown ? 0 : 1;
}

// Output -----------------------------------------------------------------------------------
void Server::send(const json& message) {
  std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string data = frame(body);
  std::lock_guard lock(write_mu_);
  for (size_t written = 0; written < data.size();) {
    ssize_t n = ::write(out_fd_, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client is gone; reading stdin will end us
    written += static_cast<size_t>(n);
  }
}

void Server::send_error(const json& id, int code, const std::string& message) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void Server::notify(const std::string& method, json params) {
  send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

// A server-to-client request; `done(ok)` runs on the reader thread when the reply arrives.
void Server::send_request(const std::string& method, json params, std::function<void(bool)> done) {
  std::string id = "mlaudit/" + std::to_string(next_token_++);
  if (done) {
    std::lock_guard lock(requests_mu_);
    if (outgoing_.size() < 100) outgoing_[id] = std::move(done);  // a silent client must not grow this
  }
  send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
}

// A server-to-client request whose result matters; `done` gets it (nullptr on an error reply).
void Server::send_request_for_result(const std::string& method, json params, std::function<void(const json*)> done) {
  std::string id = "mlaudit/" + std::to_string(next_token_++);
  {
    std::lock_guard lock(requests_mu_);
    if (outgoing_results_.size() < 100) outgoing_results_[id] = std::move(done);
  }
  send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
}

void Server::on_response(const json& id, const json& message) {
  bool ok = !message.contains("error");
  std::function<void(bool)> done;
  std::function<void(const json*)> with_result;
  {
    std::lock_guard lock(requests_mu_);
    if (!id.is_string()) return;
    if (auto it = outgoing_results_.find(id.get<std::string>()); it != outgoing_results_.end()) {
      with_result = std::move(it->second);
      outgoing_results_.erase(it);
    } else if (auto it = outgoing_.find(id.get<std::string>()); it != outgoing_.end()) {
      done = std::move(it->second);
      outgoing_.erase(it);
    } else {
      return;
    }
  }
  if (with_result) {
    json result = ok ? message.value("result", json()) : json();
    with_result(ok ? &result : nullptr);
  } else {
    done(ok);
  }
}

// Exactly one reply per request: the first of result, error or cancellation wins.
bool Server::claim(const json& id) {
  std::lock_guard lock(requests_mu_);
  return open_requests_.erase(id.dump()) > 0;
}

void Server::reply(const json& id, json result) {
  if (claim(id)) send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Server::reply_error(const json& id, int code, const std::string& message) {
  if (claim(id)) send_error(id, code, message);
}

bool Server::is_open_request(const json& id) {
  std::lock_guard lock(requests_mu_);
  return open_requests_.count(id.dump()) > 0;
}

// Input ------------------------------------------------------------------------------------
void Server::handle_body(std::string body, FrameReader& reader) {
  if (!is_valid_utf8(body)) {
    spdlog::warn("message with invalid UTF-8: replaced with U+FFFD");
    body = repair_utf8(body);
  }
  constexpr size_t kMaxNesting = 1000;  // LSP messages nest a few dozen levels
  if (json_nesting_depth(body, kMaxNesting) > kMaxNesting) {
    send_error(json(nullptr), error_code::kParseError, "message nests deeper than 1000 levels");
    return;
  }
  json message = json::parse(body, nullptr, false);
  if (message.is_discarded()) {
    // A Content-Length that was too long swallowed the next frame's header: read it again.
    size_t inner = find_frame_header(body, 1);
    if (inner != std::string::npos) {
      reader.unread(std::string_view(body).substr(inner));
      message = json::parse(body.substr(0, inner), nullptr, false);
    }
  }
  if (message.is_discarded()) {
    send_error(json(nullptr), error_code::kParseError, "message is not valid JSON");
    return;
  }
  if (!message.is_object()) {
    send_error(json(nullptr), error_code::kInvalidRequest, "a JSON-RPC message must be an object");
    return;
  }
  auto method = message.find("method");
  auto id = message.find("id");
  bool has_id = id != message.end();
  if (has_id && !id->is_number_integer() && !id->is_string() && !id->is_null()) {
    send_error(json(nullptr), error_code::kInvalidRequest, "invalid id");
    return;
  }
  if (method == message.end()) {  // a response to a request of ours
    if (has_id) on_response(*id, message);
    return;
  }
  if (!method->is_string()) {
    send_error(has_id ? *id : json(nullptr), error_code::kInvalidRequest, "method must be a string");
    return;
  }
  json params = message.contains("params") ? std::move(message["params"]) : json(nullptr);
  if (has_id) on_request(*id, method->get<std::string>(), params);
  else on_notification(method->get<std::string>(), params);
}

void Server::on_request(const json& id, const std::string& method, const json& params) {
  {
    std::lock_guard lock(requests_mu_);
    if (!open_requests_.insert(id.dump()).second) {
      send_error(id, error_code::kInvalidRequest, "duplicate request id");
      return;
    }
  }
  if (state_ == State::Uninitialized && method != "initialize") {
    reply_error(id, error_code::kServerNotInitialized, "the server is not initialized");
    return;
  }
  if (state_ == State::ShutDown) {
    reply_error(id, error_code::kInvalidRequest, "the server is shut down");
    return;
  }
  try {
    if (method == "initialize") on_initialize(id, params);
    else if (method == "shutdown") { state_ = State::ShutDown; reply(id, nullptr); }
    else if (method == "textDocument/diagnostic") on_pull_diagnostics(id, params);
    else if (method == "textDocument/hover") on_hover(id, params);
    else if (method == "workspace/executeCommand") on_execute_command(id, params);
    else if (method == "workspace/diagnostic") on_workspace_diagnostics(id, params);
    else if (method == "textDocument/codeAction") on_code_action(id, params, false);
    else if (method == "codeAction/resolve") on_code_action(id, params, true);
    else reply_error(id, error_code::kMethodNotFound, "method not found: " + method);
  } catch (const json::exception& e) {
    reply_error(id, error_code::kInvalidParams, std::string("invalid params: ") + e.what());
  } catch (const RpcError& e) {
    reply_error(id, e.code, e.message);
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", method, e.what());
    reply_error(id, error_code::kInternalError, e.what());
  }
}

void Server::on_notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exit_code_ = state_ == State::ShutDown ? 0 : 1;
    return;
  }
  if (state_ != State::Running) return;  // before initialize (or after shutdown): dropped
  try {
    if (method == "initialized") on_initialized();
    else if (method == "textDocument/didOpen") on_did_open(params);
    else if (method == "textDocument/didChange") on_did_change(params);
    else if (method == "textDocument/didClose") on_did_close(params);
    else if (method == "$/cancelRequest") on_cancel(params);
    else if (method == "textDocument/didSave") on_did_save(params);
    else if (method == "window/workDoneProgress/cancel") on_progress_cancel(params);
    else if (method == "workspace/didChangeWatchedFiles") on_watched_files(params);
    else if (method == "workspace/didChangeWorkspaceFolders") on_workspace_folders(params);
    else if (method == "workspace/didChangeConfiguration") on_did_change_configuration(params);
    else if (method == "notebookDocument/didOpen") notebooks_->did_open(params);
    else if (method == "notebookDocument/didChange") notebooks_->did_change(params);
    else if (method == "notebookDocument/didSave") on_did_save(params);
    else if (method == "notebookDocument/didClose") notebooks_->did_close(params);
    else spdlog::debug("ignored notification {}", method);
  } catch (const std::exception& e) {
    spdlog::warn("{}: invalid params: {}", method, e.what());
  }
}

// Lifecycle --------------------------------------------------------------------------------
void Server::on_initialize(const json& id, const json& params) {
  if (state_ != State::Uninitialized) throw RpcError{error_code::kInvalidRequest, "initialize was already called"};
  if (!params.is_object()) throw RpcError{error_code::kInvalidParams, "initialize needs params"};
  caps_ = read_capabilities(params);
  action_caps_ = read_code_action_capabilities(params);
  if (auto pid = params.find("processId"); pid != params.end() && pid->is_number_integer()) watch_process(pid->get<int64_t>());
  if (auto folders = params.find("workspaceFolders"); folders != params.end() && folders->is_array()) {
    for (const auto& folder : *folders) roots_.push_back(index::absolute_path(uri_to_path(folder.at("uri").get<std::string>())));
  }
  if (roots_.empty()) {
    if (auto uri = params.find("rootUri"); uri != params.end() && uri->is_string())
      roots_.push_back(index::absolute_path(uri_to_path(uri->get<std::string>())));
    else if (auto path = params.find("rootPath"); path != params.end() && path->is_string())
      roots_.push_back(index::absolute_path(path->get<std::string>()));
  }
  rubric_ = options_.rubric ? options_.rubric : rubric::load_rubric(options_.rubric_dir);
  model_ = std::make_unique<rubric::WorkspaceModel>(rubric_, roots_);
  try {
    items_ = options_.items ? options_.items : rubric::load_audit_rubric(*rubric_, options_.rubric_dir);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());  // diagnostics still work; the audit commands report the error
  }
  compactor_ = std::make_shared<const rubric::FactsCompactor>(*rubric_, items_.get());
  // initializationOptions (settings; `relevance` among them), then the configuration files.
  settings_ = std::make_unique<SettingsService>(rubric_, items_.get(), roots_, options_.max_file_bytes);
  settings_->read_initialize(params);
  relevance_override_ = settings_->relevance();
  model_->set_relevance_override(relevance_override_);
  crawl_signature_ = settings_->crawl_signature();
  make_notebook_sync();
  json capabilities = {
      {"positionEncoding", encoding_name(caps_.encoding)},
      {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"notebookDocumentSync", {{"notebookSelector", {{{"notebook", {{"notebookType", "jupyter-notebook"}}},
                                                       {"cells", {{{"language", "python"}}}}}}},
                                {"save", true}}},
      {"hoverProvider", true},
      {"executeCommandProvider", {{"commands", {"mlaudit.audit", "mlaudit.maturity", kOpenGuideCommand}}}},
      {"codeActionProvider", code_action_provider()},
      {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}},
  };
  if (caps_.pull_diagnostics)
    capabilities["diagnosticProvider"] = {{"identifier", "mlaudit"}, {"interFileDependencies", true}, {"workspaceDiagnostics", true}};
  state_ = State::Running;
  reply(id, {{"capabilities", capabilities}, {"serverInfo", {{"name", "mlaudit"}, {"version", MLAUDIT_VERSION}}}});
  spdlog::info("initialized: encoding {}, {} diagnostics, {} root(s)", encoding_name(caps_.encoding),
               caps_.pull_diagnostics ? "pull" : "push", roots_.size());
}

// Exits when the editor process dies (LSP: initialize.processId), within ~0.5 s of it.
void Server::watch_process(int64_t pid) {
  if (pid <= 0 || options_.in_process) return;
  std::thread([pid] {
    while (true) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      if (process_gone(pid)) {
        spdlog::info("client process {} is gone: exiting", pid);
        spdlog::shutdown();
        std::_Exit(1);
      }
    }
  }).detach();
}

// kill(pid, 0) still succeeds for a zombie: an editor that died but that its parent has not
// reaped yet is gone too (Linux: its state in /proc is Z).
bool Server::process_gone(int64_t pid) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

// Loads the Facts of every workspace file in the background, so cross-file rules see files
// that are not open. Pulls that arrive earlier wait for it (deferred_).
void Server::on_initialized() {
  index_roots(roots_);
  if (settings_->client_has_configuration()) pull_configuration();
  if (caps_.watch_files) {
    json watchers = json::array();
    for (const char* glob : {"**/*.py", "**/*.ipynb", "**/requirements*.txt", "**/constraints*.txt", "**/*.lock", "**/conda-lock.yml",
                             "**/*.conda-lock.yml", "**/pyproject.toml", "**/setup.cfg", "**/Pipfile",
                             "**/environment*.{yml,yaml}", "**/package.json", "**/package-lock.json",
                             "**/.mlaudit.yaml", "**/.mlaudit.yml", "**/.mlaudit-baseline.json"})
      watchers.push_back({{"globPattern", glob}});
    send_request("client/registerCapability",
                 {{"registrations", {{{"id", "mlaudit/watch"}, {"method", "workspace/didChangeWatchedFiles"},
                                      {"registerOptions", {{"watchers", watchers}}}}}}},
                 nullptr);
  }
}

void Server::on_cancel(const json& params) {
  const json& id = params.at("id");
  reply_error(id, error_code::kRequestCancelled, "request cancelled");
}

void Server::drain() {
  {
    std::lock_guard lock(refresh_mu_);
    draining_ = true;
    refresh_timer_.cancel();
  }
  {
    std::lock_guard lock(state_mu_);
    for (auto& [token, job] : jobs_) job->cancel = true;
  }
  pool_.join();
}

}  // namespace detail

using detail::Server;

int run_server(const ServerOptions& options, int in_fd, int out_fd) {
  signal(SIGPIPE, SIG_IGN);
  if (options.in_process) {
    Server server(options, out_fd);
    int status = server.run(in_fd);
    server.drain();
    return status;
  }
  // Deliberately not destroyed: the process ends right after this returns, and joining
  // workers that are mid-analysis would only delay the exit the client is waiting for.
  auto* server = new Server(options, out_fd);
  return server->run(in_fd);
}

}  // namespace mlaudit::lsp
