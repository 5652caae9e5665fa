// Quick fixes: a finding + its file's Facts + the file's text -> text edits in bytes. Pure: no
// syntax trees, no LSP, no file system. The LSP layer converts the edits to positions in the
// negotiated encoding; `mlaudit check --fix` applies the safe ones to files on disk.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"
#include "rubric/finding.hpp"
#include "rubric/rubric.hpp"
#include "rubric/workspace_model.hpp"

namespace mlaudit::rubric::fixes {

// Replace bytes [start, end) of the original text with `text` (start == end: an insertion).
struct Edit {
  uint32_t start = 0, end = 0;
  std::string text;
  bool operator==(const Edit&) const = default;
};

struct Fix {
  std::string title;
  std::vector<Edit> edits;  // against the same original text, not overlapping, ascending
  bool safe = false;        // part of fix-all / `check --fix`: keeps behaviour the user relies on
};

// What a fix may consult besides the finding's own file.
struct FixContext {
  const facts::FileFacts& file;
  std::string_view text;  // the text `file` was computed from
  const Rubric& rubric;
  std::vector<facts::FileFactsPtr> workspace_files;  // other files: seed helpers, seed constants
  std::vector<std::string> roots;                    // workspace folders (absolute), for module names
};

// The code fix for a finding, or nullopt when none is offered (unpinned requirements, pickle,
// a keyword hidden in **kwargs, ...).
std::optional<Fix> code_fix(const FixContext& ctx, const Finding& finding);

// "Suppress <rule> on this line": `# mlaudit: ignore[rule]` at the end of the finding's line,
// merged into an ignore comment already there (on the line above when the line cannot take a
// comment: it ends inside a string or with a backslash).
Fix suppress_on_line(const FixContext& ctx, const Finding& finding);

// "Suppress <rule> in this file": `# mlaudit: ignore-file[rule]` at the top (after a shebang
// and an encoding line), merged into an ignore-file comment already in the file.
Fix suppress_in_file(const FixContext& ctx, const Finding& finding);

// The safe fixes of `findings` as one edit list without overlaps (a fix that would overlap one
// taken earlier is left out); `applied` counts the fixes taken.
std::vector<Edit> fix_all(const FixContext& ctx, const std::vector<Finding>& findings, size_t* applied = nullptr);

// `text` with `edits` applied (edits against the original text, as in Fix).
std::string apply_edits(std::string_view text, std::vector<Edit> edits);

}  // namespace mlaudit::rubric::fixes
