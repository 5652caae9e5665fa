// The language server's state and handlers, one class whose members are defined in four files:
//   server.cpp           lifecycle, the message loop, replies and requests to the client
//   server_indexing.cpp  background crawls with progress, watched files, folders, settings
//   server_documents.cpp open documents: sync, analysis on the pool, publishing, refresh
//   server_requests.cpp  pull diagnostics, commands (the audit), code actions, hover
// Private to lsp/: everything else sees run_server (server.hpp).
//
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
#pragma once
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

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
#include "lsp/server.hpp"

namespace mlaudit::lsp::detail {

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

  int run(int in_fd);
  // ServerOptions::in_process, after the input ended: queued analyses still run (they are what a
  // fuzzer wants to reach), crawls are cancelled and a pending refresh dropped, then the workers
  // are joined.
  void drain();

 private:
  enum class State { Uninitialized, Running, ShutDown };

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

  // server.cpp: messages in and out, lifecycle.
  void send(const json& message);
  void send_error(const json& id, int code, const std::string& message);
  void notify(const std::string& method, json params);
  void send_request(const std::string& method, json params, std::function<void(bool)> done);
  void send_request_for_result(const std::string& method, json params, std::function<void(const json*)> done);
  void on_response(const json& id, const json& message);
  bool claim(const json& id);
  void reply(const json& id, json result);
  void reply_error(const json& id, int code, const std::string& message);
  bool is_open_request(const json& id);
  void handle_body(std::string body, FrameReader& reader);
  void on_request(const json& id, const std::string& method, const json& params);
  void on_notification(const std::string& method, const json& params);
  void on_initialize(const json& id, const json& params);
  void watch_process(int64_t pid);
  static bool process_gone(int64_t pid);
  void on_initialized();
  void on_cancel(const json& params);

  // server_indexing.cpp: the workspace model kept current.
  void progress(IndexJob& job, json value);
  void report_progress(IndexJob& job, bool final_report);
  void index_roots(std::vector<std::string> roots);
  void on_progress_cancel(const json& params);
  void on_watched_files(const json& params);
  void on_did_save(const json& params);
  void on_workspace_folders(const json& params);
  void pull_configuration();
  void on_did_change_configuration(const json& params);
  void reload_settings(const std::vector<std::string>& changed, bool recrawl = false);
  void publish_config_reports();
  facts::FileFactsPtr closed_file_facts(const std::string& path) const;
  std::vector<std::string> current_roots();

  // server_documents.cpp: open documents.
  std::set<std::string> open_paths();
  DocumentPtr find(const std::string& uri);
  void on_did_open(const json& params);
  void on_did_change(const json& params);
  void on_did_close(const json& params);
  void restore_disk_facts(const std::string& closed_path);
  void schedule_analysis(const DocumentPtr& doc);
  void analyze(const DocumentPtr& doc);
  void publish(const DocumentPtr& doc);
  void schedule_refresh();
  void refresh_all(const Document* except);
  void make_notebook_sync();

  // server_requests.cpp: questions about the workspace.
  void on_pull_diagnostics(const json& id, const json& params);
  void on_execute_command(const json& id, const json& params);
  rubric::AuditResult audit_folder(const std::string& folder);
  void on_workspace_diagnostics(const json& id, const json& params);
  std::vector<facts::FileFactsPtr> workspace_facts();
  void on_code_action(const json& id, const json& params, bool resolve);
  void on_hover(const json& id, const json& params);

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
};

}  // namespace mlaudit::lsp::detail
