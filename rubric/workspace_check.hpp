// One pass of every rule over every file of a loaded workspace: the conclusions, the findings
// located in code-point columns, and the coverage. Shared by `mlaudit check`, `mlaudit audit`
// and the LSP audit command. File contents come through a reader the caller provides, so the
// rubric never touches the file system.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/facts.hpp"
#include "rubric/audit.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::rubric {

struct WorkspaceSnapshot {
  std::string root;                                          // absolute
  std::vector<facts::FileFactsPtr> files;                    // analysed files
  std::vector<std::string> present;                          // every file seen
  std::vector<std::pair<std::string, std::string>> skipped;  // absolute path, why (not analysed)
  std::optional<bool> relevance;  // the `relevance` setting: forced on/off, nullopt = derive
};

// The text of a file (for line/column conversion), or nullopt when it cannot be read.
using TextReader = std::function<std::optional<std::string>(const std::string& path)>;

struct WorkspaceCheck {
  std::shared_ptr<const Conclusions> conclusions;
  std::vector<LocatedFinding> findings;  // sorted by path, line, column
  Coverage coverage;
};

// Changes one file's findings before they are located (settings, baseline): absolute path,
// the findings, the file's text (nullopt when unreadable).
using FindingFilter = std::function<void(const std::string& path, std::vector<Finding>& findings,
                                         const std::optional<std::string>& text)>;

// `only`: when set, findings of that one file (absolute path) only.
WorkspaceCheck check_workspace(const WorkspaceSnapshot& workspace, std::shared_ptr<const Rubric> rubric,
                               const TextReader& read, const std::string& only = "",
                               const FindingFilter& filter = {});

struct AuditRubric;

// check_workspace, then the audit of its results (statuses, levels, tables).
AuditResult audit_workspace(const WorkspaceSnapshot& workspace, std::shared_ptr<const Rubric> rubric,
                            const AuditRubric& items, const TextReader& read, std::string system_name,
                            std::string date, const FindingFilter& filter = {});

}  // namespace mlaudit::rubric
