// The CI formats of `mlaudit check` (sarif, github) from a finished workspace check.
#pragma once
#include <string>

#include "cli/workspace_loader.hpp"
#include "rubric/workspace_check.hpp"

namespace mlaudit::cli {

// `format` is "sarif" or "github". Paths follow cli/output_paths.hpp.
std::string render_check_for_ci(const std::string& format, const Loaded& loaded, const rubric::WorkspaceCheck& result,
                                const LoadOptions& options);

}  // namespace mlaudit::cli
