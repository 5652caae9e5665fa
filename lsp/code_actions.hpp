// Code actions (textDocument/codeAction, codeAction/resolve) over rubric/fixes: quick fixes,
// suppression comments, the remediation guide, and source.fixAll.mlaudit. The handlers in
// server.cpp hand over a consistent snapshot of one document (text, facts, version); this file
// turns findings and fixes into LSP JSON and back, and nothing else.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/facts.hpp"
#include "rubric/finding.hpp"
#include "rubric/fixes/fix.hpp"
#include "rubric/rubric.hpp"
#include "rubric/workspace_model.hpp"
#include "support/text.hpp"

namespace mlaudit::lsp {

inline constexpr const char* kFixAllKind = "source.fixAll.mlaudit";
inline constexpr const char* kOpenGuideCommand = "mlaudit.openGuide";

// What the client can do with code actions, read from `initialize`.
struct CodeActionCapabilities {
  bool resolve_edit = false;      // textDocument.codeAction.resolveSupport.properties has "edit"
  bool document_changes = false;  // workspace.workspaceEdit.documentChanges
};
CodeActionCapabilities read_code_action_capabilities(const nlohmann::json& initialize_params);

// The server capability `codeActionProvider`.
nlohmann::json code_action_provider();

// One document as the analysis last saw it, with what fixes consult.
struct DocumentSnapshot {
  std::string uri;
  int64_t version = 0;
  std::string_view text;
  const facts::FileFacts& facts;
  const rubric::Rubric& rubric;
  const rubric::Conclusions& conclusions;
  std::vector<facts::FileFactsPtr> workspace_files;
  std::vector<std::string> roots;
  Encoding encoding = Encoding::Utf16;
};

// A request the snapshot cannot answer correctly (the document changed): ContentModified.
struct StaleRequest {
  std::string message;
};

// Diagnostic.data.fix for a finding: {"title", "safe"} when a code fix exists.
std::optional<nlohmann::json> fix_data(const rubric::fixes::FixContext& ctx, const rubric::Finding& finding);

// Whether a finding's fix may depend on other files (seed helpers, imported seed constants).
bool fix_needs_workspace(const rubric::Finding& finding);

// The actions for the diagnostics of a textDocument/codeAction request (params as sent).
// Diagnostics that no longer match a current finding get none: never an edit for old text.
nlohmann::json code_actions(const nlohmann::json& params, const DocumentSnapshot& doc, const CodeActionCapabilities& caps);

// codeAction/resolve: the action with its `edit`. Throws StaleRequest when the document is no
// longer the version the action was made for.
nlohmann::json resolve_code_action(nlohmann::json action, const DocumentSnapshot& doc, const CodeActionCapabilities& caps);

// The URI of the mlaudit.openGuide command's argument ([href] or [{"href"}]), "" when none.
std::string guide_uri(const nlohmann::json& execute_params);

}  // namespace mlaudit::lsp
