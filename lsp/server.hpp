// The LSP binding (JSON-RPC over stdio): lifecycle, document sync, diagnostics push or pull,
// cancellation. The logic it calls (analyzers, rubric) knows nothing of JSON-RPC.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace mlaudit::rubric {
struct Rubric;
struct AuditRubric;
}  // namespace mlaudit::rubric

namespace mlaudit::lsp {

struct ServerOptions {
  unsigned threads = 0;  // analysis workers; 0: min(hardware concurrency, 4)
  std::string rubric_dir;
  uint64_t max_file_bytes = 2 * 1024 * 1024;
  int test_delay_ms = 0;  // MLAUDIT_TEST_DELAY_MS: lets tests make work overlap with new input
  // For a host that runs many servers in one process (the LSP fuzzer, fuzz/): no thread watches
  // initialize.processId (it would end the host), and run_server returns only once the queued
  // work is done and every worker joined, instead of leaving them to the process exit.
  bool in_process = false;
  // Such a host may load the rubric once for all of them (loading it is most of what
  // `initialize` costs); null: each server loads its own from rubric_dir.
  std::shared_ptr<const rubric::Rubric> rubric;
  std::shared_ptr<const rubric::AuditRubric> items;
};

// Serves LSP on `in_fd` / `out_fd` until exit or end of input; returns the exit status.
int run_server(const ServerOptions& options, int in_fd, int out_fd);

}  // namespace mlaudit::lsp
