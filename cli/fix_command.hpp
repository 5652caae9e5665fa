// `mlaudit check --fix`: the safe quick fixes (rubric/fixes) written to the files on disk.
#pragma once
#include <cstddef>

#include "cli/workspace_loader.hpp"

namespace mlaudit::cli {

struct FixSummary {
  size_t fixes = 0;  // fixes applied
  size_t files = 0;  // files written
  size_t failed = 0; // files that could not be written
};

// Applies every safe fix to the files of the loaded workspace (only the target file when a
// file was named) and writes them back. Each file is re-read and re-analysed first, so its
// edits always match the bytes they replace.
FixSummary apply_safe_fixes(const Loaded& loaded, uint64_t max_file_bytes);

}  // namespace mlaudit::cli
