// A notebook -> one FileFacts: the Python facts of its code cells read as one program (so a
// later cell's `np.load` resolves the `import numpy as np` of cell 1), a line map from that
// program back to (cell, line), and the output lines that may hold a secret. The same code
// serves an .ipynb file on disk and the cells an editor syncs (LSP notebookDocument/*).
#pragma once
#include <string_view>

#include "analyzers/facts.hpp"
#include "analyzers/notebooks/notebook_json.hpp"

namespace mlaudit::notebooks {

// Fills out.python, out.suppressions and out.notebook from `notebook` (read from `json`, or
// built from an editor's cells with `json` empty). A cell is Python when it is a code cell whose
// language (its own, else the notebook's) is Python or unset.
void analyze_notebook(const Notebook& notebook, std::string_view json, facts::FileFacts& out);

// An .ipynb text: read_notebook, then analyze_notebook; a broken file sets out.skipped.
void analyze_notebook_json(std::string_view json, facts::FileFacts& out);

}  // namespace mlaudit::notebooks
