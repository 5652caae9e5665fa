// Findings of a notebook as LSP diagnostics, in the two ways editors show notebooks:
// - per cell document (clients with notebook sync: VS Code): cell index -> diagnostics whose
//   ranges count lines and columns within that cell; a secret in a cell's outputs (which are
//   not text an editor shows) sits on the cell's last line;
// - on the .ipynb file itself (clients without notebook support, e.g. Neovim, see the JSON):
//   the range covers the finding's characters inside the JSON string that holds the source
//   line (for outputs: the whole output line's string).
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"
#include "rubric/finding.hpp"
#include "support/text.hpp"

namespace mlaudit::lsp {

// Cell index -> its diagnostics (cells without findings are absent).
std::map<uint32_t, nlohmann::json> cell_diagnostics(const std::vector<rubric::Finding>& findings,
                                                    const facts::NotebookFacts& notebook, Encoding encoding);

// The diagnostics of a file's findings on its own text: notebooks as above, other files by
// byte range.
nlohmann::json file_diagnostics(const std::vector<rubric::Finding>& findings, const facts::FileFacts& file,
                                std::string_view text, Encoding encoding);

}  // namespace mlaudit::lsp
