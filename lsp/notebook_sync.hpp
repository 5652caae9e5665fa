// LSP 3.17 notebook sync (notebookDocument/didOpen, didChange, didSave, didClose): each open
// notebook is analysed as a whole, so cell 3's `T.load` resolves cell 1's `import torch as T`,
// and diagnostics are published per cell document, positions within the cell in the
// negotiated encoding. A cell that no longer has findings (or left the notebook) gets an empty
// set. The server lends what the workspace needs through NotebookHost; threading follows the
// server's: edits apply on the reader thread in order, analysis runs on one strand per
// notebook, and a result is published only if no newer edit arrived meanwhile.
#pragma once
#include <asio/thread_pool.hpp>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "analyzers/facts.hpp"
#include "rubric/rubric.hpp"
#include "rubric/workspace_model.hpp"
#include "support/text.hpp"

namespace mlaudit::lsp {

struct NotebookHost {
  asio::thread_pool* pool = nullptr;
  std::shared_ptr<const rubric::Rubric> rubric;
  Encoding encoding = Encoding::Utf16;
  bool pull = false;  // the client pulls diagnostics: store them for textDocument/diagnostic
  uint64_t max_file_bytes = 2 * 1024 * 1024;
  std::function<void(const std::string& method, nlohmann::json params)> notify;
  // The open notebook's facts replace the file's in the workspace; true when conclusions changed.
  std::function<bool(const facts::FileFacts& facts)> update;
  // The notebook closed: the workspace goes back to the file on disk.
  std::function<void(const std::string& path)> release;
  std::function<std::shared_ptr<const rubric::Conclusions>()> conclusions;
  // Workspace conclusions changed (other documents must be refreshed), or, for pull clients,
  // this notebook's cells changed and must be pulled again.
  std::function<void()> refresh;
};

class NotebookSync {
 public:
  explicit NotebookSync(NotebookHost host);
  ~NotebookSync();

  // Reader thread. Malformed params throw nlohmann::json::exception.
  void did_open(const nlohmann::json& params);
  void did_change(const nlohmann::json& params);
  void did_close(const nlohmann::json& params);

  // Republish every open notebook against the current workspace conclusions.
  void republish_all();

  // textDocument/diagnostic for a cell document: `reply(items)` runs once the notebook's
  // analysis is current. False when `cell_uri` is no cell of an open notebook.
  bool pull(const std::string& cell_uri, std::function<void(nlohmann::json items)> reply);

  // The facts of the open notebooks (path -> facts), for the audit commands.
  std::map<std::string, facts::FileFactsPtr> open_facts();

 private:
  struct Open;
  std::shared_ptr<Open> find(const std::string& notebook_uri);
  void schedule(const std::shared_ptr<Open>& notebook);
  void analyze(const std::shared_ptr<Open>& notebook);
  void publish(const std::shared_ptr<Open>& notebook);

  NotebookHost host_;
  std::mutex mu_;  // guards notebooks_
  std::map<std::string, std::shared_ptr<Open>> notebooks_;  // by notebook URI
  std::atomic<uint64_t> next_generation_{1};
};

}  // namespace mlaudit::lsp
