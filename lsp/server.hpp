// The LSP binding (JSON-RPC over stdio): lifecycle, document sync, diagnostics push or pull,
// cancellation. The logic it calls (analyzers, rubric) knows nothing of JSON-RPC.
#pragma once
#include <cstdint>
#include <string>

namespace mlaudit::lsp {

struct ServerOptions {
  unsigned threads = 0;  // analysis workers; 0: min(hardware concurrency, 4)
  std::string rubric_dir;
  uint64_t max_file_bytes = 2 * 1024 * 1024;
  int test_delay_ms = 0;  // MLAUDIT_TEST_DELAY_MS: lets tests make work overlap with new input
};

// Serves LSP on `in_fd` / `out_fd` until exit or end of input; returns the exit status.
int run_server(const ServerOptions& options, int in_fd, int out_fd);

}  // namespace mlaudit::lsp
