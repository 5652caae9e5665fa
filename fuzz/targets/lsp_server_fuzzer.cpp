// The transport and the dispatcher: arbitrary bytes as the server's whole input stream, through
// the real message loop of lsp/server.cpp (framing, JSON, lifecycle, every handler, the analyses
// and publishes on its worker pool), run until the end of input, as clangd's fuzzer does.
// ServerOptions::in_process makes run_server join its workers before it returns, so no thread
// outlives an input, and keeps it from watching initialize.processId (which would end us); the
// rubric is loaded once for all inputs.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz/fuzz_support.hpp"
#include "lsp/server.hpp"
#include "rubric/audit_rubric.hpp"

namespace {
int input_fd = -1;
int output_fd = -1;
std::shared_ptr<const mlaudit::rubric::AuditRubric> items;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  mlaudit::fuzz::initialise();
  input_fd = memfd_create("mlaudit-fuzz-input", 0);
  output_fd = open("/dev/null", O_WRONLY);
  if (input_fd < 0 || output_fd < 0) mlaudit::fuzz::fail("cannot create the input memfd or open /dev/null");
  items = mlaudit::rubric::load_audit_rubric(mlaudit::fuzz::the_rubric());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The input as a file the server reads to its end: read() returns the bytes, then EOF.
  if (ftruncate(input_fd, 0) != 0 || pwrite(input_fd, data, size, 0) != static_cast<ssize_t>(size) ||
      lseek(input_fd, 0, SEEK_SET) != 0)
    mlaudit::fuzz::fail("cannot write the input memfd");
  mlaudit::lsp::ServerOptions options;
  options.threads = 2;  // more than one worker, so strands and the pool really interleave
  options.in_process = true;
  // Loaded once (initialize would spend most of an input's time parsing the embedded YAML).
  options.rubric = mlaudit::fuzz::rubric_ptr();
  options.items = items;
  mlaudit::lsp::run_server(options, input_fd, output_fd);
  return 0;
}
