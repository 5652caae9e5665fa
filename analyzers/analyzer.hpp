// The analyzers' entry point: a file's name chooses its analyzer (never the editor's
// languageId), and text becomes FileFacts. Pure: no I/O, no LSP, no rubric.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"
#include "analyzers/python/python_facts.hpp"
#include "analyzers/python/python_parser.hpp"

namespace mlaudit {

inline constexpr uint64_t kDefaultMaxFileBytes = 2 * 1024 * 1024;

// Which analyzer reads a file, decided by its path.
facts::FileKind classify_path(std::string_view path);

// The skip reason of a file of `bytes` above the cap.
std::string too_large_reason(uint64_t bytes, uint64_t max_bytes);

// Why `text` is not analysed (too large, binary), or "" when it can be.
std::string skip_reason(std::string_view text, uint64_t max_bytes);

// Facts of a file read from disk or handed over whole.
facts::FileFacts analyze_text(const std::string& path, std::string_view text,
                              uint64_t max_bytes = kDefaultMaxFileBytes);

// Analysis of an open document across edits: Python documents keep their syntax tree and
// reparse incrementally; other kinds (JavaScript/TypeScript too) are parsed whole again.
class DocumentAnalysis {
 public:
  explicit DocumentAnalysis(std::string path, uint64_t max_bytes = kDefaultMaxFileBytes);
  const std::string& path() const { return path_; }
  facts::FileKind kind() const { return kind_; }
  // Tell the syntax tree about one edit (byte offsets and points of the text before it).
  void edit(const python::TextEdit& edit) { tree_.edit(edit); }
  // Facts of the current text; reparses incrementally when a tree exists.
  facts::FileFacts analyze(std::string_view text);
  // Byte ranges the last incremental reparse reported as changed.
  const std::vector<TSRange>& last_changed_ranges() const { return changed_; }
  const TSTree* tree() const { return tree_.tree(); }

 private:
  std::string path_;
  uint64_t max_bytes_;
  facts::FileKind kind_;
  python::IncrementalTree tree_;
  python::FactsCache facts_cache_;
  std::vector<TSRange> changed_;
};

}  // namespace mlaudit
