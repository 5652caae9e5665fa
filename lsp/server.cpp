// Threading model. One thread (the caller of run_server) reads stdin, parses frames and
// dispatches. Handlers that only touch document text run right there, in arrival order, so
// several didChange notifications apply in order. Analysis (parse, facts, rules) runs on a
// thread pool; each document has an asio strand, so its analyses run one at a time, in order,
// and own its syntax tree without locks.
//
// Staleness: every edit bumps the document's generation. An analysis snapshots the text and
// the generation; it publishes only if the generation is still current when it is done
// (checked under the document's mutex, which didClose and didChange also take), so a newer
// edit always supersedes older work and a stale result is never published.
//
// Replies: every request id is registered when it arrives and removed by the one reply it
// gets; $/cancelRequest answers RequestCancelled at once and the late result is dropped.
#include "lsp/server.hpp"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/thread_pool.hpp>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "analyzers/analyzer.hpp"
#include "index/crawler.hpp"
#include "lsp/code_actions.hpp"
#include "lsp/document.hpp"
#include "lsp/hover_text.hpp"
#include "lsp/notebook_diagnostics.hpp"
#include "lsp/notebook_sync.hpp"
#include "lsp/protocol.hpp"
#include "lsp/settings_service.hpp"
#include "lsp/transport.hpp"
#include "rubric/audit_rubric.hpp"
#include "rubric/engine.hpp"
#include "rubric/facts_compactor.hpp"
#include "rubric/report.hpp"
#include "rubric/settings_reader.hpp"
#include "rubric/workspace_check.hpp"
#include "rubric/workspace_model.hpp"

namespace mlaudit::lsp {
namespace {

using json = nlohmann::json;
using Strand = asio::strand<asio::thread_pool::executor_type>;

// Thrown by handlers for a JSON-RPC error reply.
struct RpcError {
  int code;
  std::string message;
};

struct Document {
  explicit Document(Strand s, std::string uri_, std::string path_, uint64_t max_bytes)
      : strand(std::move(s)), uri(std::move(uri_)), path(std::move(path_)), analysis(path, max_bytes) {}
  Strand strand;
  const std::string uri, path;

  // Guarded by mu (reader thread writes, workers read).
  std::mutex mu;
  DocumentText text;
  int64_t version = 0;
  uint64_t generation = 0;
  std::vector<python::TextEdit> pending;  // edits not yet given to the syntax tree
  bool closed = false;
  json diagnostics = json::array();       // last computed, for hover and pull
  uint64_t diagnostics_generation = 0;
  facts::FileFactsPtr current_facts;      // the last analysed facts, for the audit command
  uint64_t current_facts_generation = 0;
  std::string current_text;               // the text they were computed from

  // Owned by the strand.
  DocumentAnalysis analysis;
  uint64_t analysed_generation = 0;
  int64_t analysed_version = 0;
  std::string analysed_text;
  facts::FileFactsPtr facts;
};
using DocumentPtr = std::shared_ptr<Document>;

class Server {
 public:
  Server(const ServerOptions& options, int out_fd)
      : options_(options),
        out_fd_(out_fd),
        pool_(options.threads ? options.threads : std::max(1u, std::min(4u, std::thread::hardware_concurrency()))) {}

  ~Server() { pool_.stop(); }

  int run(int in_fd) {
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

 private:
  enum class State { Uninitialized, Running, ShutDown };

  // Output -----------------------------------------------------------------------------------
  void send(const json& message) {
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
  void send_error(const json& id, int code, const std::string& message) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }
  void notify(const std::string& method, json params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }
  // A server-to-client request; `done(ok)` runs on the reader thread when the reply arrives.
  void send_request(const std::string& method, json params, std::function<void(bool)> done) {
    std::string id = "mlaudit/" + std::to_string(next_token_++);
    if (done) {
      std::lock_guard lock(requests_mu_);
      if (outgoing_.size() < 100) outgoing_[id] = std::move(done);  // a silent client must not grow this
    }
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
  }
  // A server-to-client request whose result matters; `done` gets it (nullptr on an error reply).
  void send_request_for_result(const std::string& method, json params, std::function<void(const json*)> done) {
    std::string id = "mlaudit/" + std::to_string(next_token_++);
    {
      std::lock_guard lock(requests_mu_);
      if (outgoing_results_.size() < 100) outgoing_results_[id] = std::move(done);
    }
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
  }
  void on_response(const json& id, const json& message) {
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
  bool claim(const json& id) {
    std::lock_guard lock(requests_mu_);
    return open_requests_.erase(id.dump()) > 0;
  }
  void reply(const json& id, json result) {
    if (claim(id)) send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
  }
  void reply_error(const json& id, int code, const std::string& message) {
    if (claim(id)) send_error(id, code, message);
  }
  bool is_open_request(const json& id) {
    std::lock_guard lock(requests_mu_);
    return open_requests_.count(id.dump()) > 0;
  }

  // Input ------------------------------------------------------------------------------------
  void handle_body(std::string body, FrameReader& reader) {
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

  void on_request(const json& id, const std::string& method, const json& params) {
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

  void on_notification(const std::string& method, const json& params) {
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
  void on_initialize(const json& id, const json& params) {
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
  void watch_process(int64_t pid) {
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
  static bool process_gone(int64_t pid) {
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    size_t paren = line.rfind(')');
    return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
  }

  // Loads the Facts of every workspace file in the background, so cross-file rules see files
  // that are not open. Pulls that arrive earlier wait for it (deferred_).
  void on_initialized() {
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

  // One background crawl of `roots`, reported as $/progress when the client allows it and
  // cancellable from the editor (window/workDoneProgress/cancel).
  struct IndexJob {
    std::string token;
    std::atomic<bool> cancel{false};
    std::mutex mu;
    bool accepted = false, begun = false, ended = false;
    size_t done = 0, total = 0;  // files, summed over the folders indexed so far
    // Multi-root: folders are indexed one after another and a folder's file count is known only
    // once it is walked, so the percentage is (finished folders + this one's fraction) / folders.
    size_t root = 0, roots = 1, earlier_roots_files = 0;
    double root_fraction = 0;
    std::chrono::steady_clock::time_point last_report;
  };

  void progress(IndexJob& job, json value) {
    notify("$/progress", {{"token", job.token}, {"value", std::move(value)}});
  }

  // Under job.mu: sends begin once accepted, then reports at most every 100 ms.
  void report_progress(IndexJob& job, bool final_report) {
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

  void index_roots(std::vector<std::string> roots) {
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

  void on_progress_cancel(const json& params) {
    std::string token = params.at("token").is_string() ? params["token"].get<std::string>() : params["token"].dump();
    std::lock_guard lock(state_mu_);
    if (auto it = jobs_.find(token); it != jobs_.end()) it->second->cancel = true;
  }

  // Files changed on disk (client file watching): re-read what is not open.
  void on_watched_files(const json& params) {
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
  void on_did_save(const json& params) {
    if (!caps_.watch_files) {  // configuration files may have changed on disk too
      std::string path = index::absolute_path(uri_to_path(params.at("textDocument").at("uri").get<std::string>()));
      reload_settings({path}, true);
    }
  }

  void on_workspace_folders(const json& params) {
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
  void pull_configuration() {
    send_request_for_result("workspace/configuration", settings_->configuration_request(), [this](const json* result) {
      if (!result) return;  // the client declined: initializationOptions and the files stay
      settings_->apply_configuration_result(*result);
      reload_settings({});
    });
  }

  void on_did_change_configuration(const json& params) {
    if (settings_->on_did_change_configuration(params)) pull_configuration();
    else reload_settings({});
  }

  // On the reader thread, after the editor's settings or a configuration/baseline file changed:
  // re-read them, crawl again when the crawl's own settings changed, then republish (push) or
  // ask the client to pull again.
  void reload_settings(const std::vector<std::string>& changed, bool recrawl = false) {
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
  void publish_config_reports() {
    for (auto& [path, diagnostics] : settings_->config_file_reports(open_paths(), caps_.encoding))
      notify("textDocument/publishDiagnostics", {{"uri", path_to_uri(path)}, {"diagnostics", std::move(diagnostics)}});
  }

  std::set<std::string> open_paths() {
    std::lock_guard lock(state_mu_);
    return open_paths_;
  }

  // Documents --------------------------------------------------------------------------------
  DocumentPtr find(const std::string& uri) {
    std::lock_guard lock(state_mu_);
    auto it = documents_.find(uri);
    return it == documents_.end() ? nullptr : it->second;
  }

  void on_did_open(const json& params) {
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

  void on_did_change(const json& params) {
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

  void on_did_close(const json& params) {
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
  void restore_disk_facts(const std::string& closed_path) {
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

  void on_cancel(const json& params) {
    const json& id = params.at("id");
    reply_error(id, error_code::kRequestCancelled, "request cancelled");
  }

  // Analysis ---------------------------------------------------------------------------------
  void schedule_analysis(const DocumentPtr& doc) {
    asio::post(doc->strand, [this, doc] { analyze(doc); });
  }

  // On the document's strand: brings facts and diagnostics up to date and publishes them.
  void analyze(const DocumentPtr& doc) {
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
  void publish(const DocumentPtr& doc) {
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
  void schedule_refresh() {
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

  // ServerOptions::in_process, after the input ended: queued analyses still run (they are what a
  // fuzzer wants to reach), crawls are cancelled and a pending refresh dropped, then the workers
  // are joined.
 public:
  void drain() {
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

 private:
  void refresh_all(const Document* except) {
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

  // Pull diagnostics: answered on the document's strand once its analysis is current and the
  // workspace facts are loaded.
  void on_pull_diagnostics(const json& id, const json& params) {
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
  void on_execute_command(const json& id, const json& params) {
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

  // A file that is not open keeps only the Facts the rubric can ask for (rubric/facts_compactor.hpp).
  facts::FileFactsPtr closed_file_facts(const std::string& path) const {
    facts::FileFacts f = index::analyze_file(path, settings_->max_file_bytes());  // artifacts: streamed, own cap
    compactor_->compact(f);
    return std::make_shared<const facts::FileFacts>(std::move(f));
  }

  rubric::AuditResult audit_folder(const std::string& folder) {
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
  void on_workspace_diagnostics(const json& id, const json& params) {
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

  std::vector<std::string> current_roots() {
    std::lock_guard lock(state_mu_);
    return model_->roots();
  }

  // Facts of every workspace file, open ones with their editor text (seed helpers, seed constants).
  std::vector<facts::FileFactsPtr> workspace_facts() {
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
  void on_code_action(const json& id, const json& params, bool resolve) {
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

  void on_hover(const json& id, const json& params) {
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

  const ServerOptions options_;
  const int out_fd_;
  asio::thread_pool pool_;
  std::mutex write_mu_;
  std::mutex requests_mu_;
  std::set<std::string> open_requests_;
  State state_ = State::Uninitialized;
  std::optional<int> exit_code_;
  ClientCapabilities caps_;
  CodeActionCapabilities action_caps_;
  std::vector<std::string> roots_;
  std::shared_ptr<const rubric::Rubric> rubric_;
  std::optional<bool> relevance_override_;
  std::shared_ptr<const rubric::AuditRubric> items_;  // null when items.yaml is invalid
  std::shared_ptr<const rubric::FactsCompactor> compactor_;  // what closed files' Facts keep
  std::atomic<uint64_t> next_generation_{1};
  std::atomic<uint64_t> refresh_ids_{0};

  std::mutex state_mu_;  // guards what follows
  std::unique_ptr<rubric::WorkspaceModel> model_;
  std::map<std::string, DocumentPtr> documents_;
  std::set<std::string> open_paths_;
  std::map<std::string, facts::FileFactsPtr> closed_facts_;  // facts of files on disk, for workspace/diagnostic
  std::map<std::string, std::shared_ptr<IndexJob>> jobs_;     // running crawls by progress token
  std::map<std::string, std::function<void(bool)>> outgoing_; // our requests awaiting a reply (requests_mu_)
  std::map<std::string, std::function<void(const json*)>> outgoing_results_;  // the same, wanting the result
  std::unique_ptr<SettingsService> settings_;  // lsp/settings_service.hpp
  std::string crawl_signature_;                // the settings the last crawl ran with (reader thread)
  std::atomic<uint64_t> next_token_{1};
  std::mutex refresh_mu_;
  bool refresh_pending_ = false;
  bool draining_ = false;  // drain(): no more refreshes (refresh_mu_)
  std::atomic<int64_t> last_refresh_ms_{0};
  asio::steady_timer refresh_timer_{pool_};
  bool loaded_ = false;
  std::vector<std::function<void()>> deferred_;
  std::unique_ptr<NotebookSync> notebooks_;  // notebookDocument/* (lsp/notebook_sync.cpp)

  void make_notebook_sync() {
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
};

}  // namespace

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
