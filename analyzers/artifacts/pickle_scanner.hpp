// Reads a pickle opcode stream WITHOUT unpickling it and reports the globals that unpickling
// would import (GLOBAL, INST, STACK_GLOBAL, EXT*) and whether it would call them (REDUCE,
// NEWOBJ, OBJ, INST, BUILD). Protocols 0-5. It simulates just enough of the unpickler's stack
// and memo to know which strings feed STACK_GLOBAL; a stream it cannot follow is reported, never
// guessed. Streamed through a bounded buffer; truncated or garbage input ends the scan with a
// reason. Knows joblib's inline array data (skipped, never read into memory) and legacy
// PyTorch files (several pickles one after another).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "analyzers/artifacts/byte_source.hpp"
#include "analyzers/facts.hpp"

namespace mlaudit::artifacts {

struct ScanLimits {
  size_t max_stack = 1u << 20;   // values on the unpickler's stack
  size_t max_memo = 1u << 20;    // memo entries remembered (beyond: later lookups are unresolved)
  size_t max_globals = 1000;     // distinct globals per stream
  size_t max_pickles = 16;       // pickles one after another (legacy torch files hold five)
  size_t max_string = 1024;      // longer strings are skipped, not kept (no module name is that long)
};

struct PickleScan {
  std::vector<facts::PickleGlobal> globals;  // in stream order, one per (module, name)
  std::string error;      // why the scan stopped early: "truncated at offset 812"; "" for a clean end
  uint64_t bytes = 0;     // bytes consumed
  size_t pickles = 0;     // pickles read to their STOP
  bool opened = false;    // the first byte is a pickle opcode (else this is not a pickle at all)
};

// Scans every pickle of `source` (one after another while the next starts with PROTO).
// `stream` names the stream in the globals (a ZIP entry, or "").
PickleScan scan_pickles(ByteSource& source, const std::string& stream, const ScanLimits& limits = {});

}  // namespace mlaudit::artifacts
