// LSP types the server needs, to and from JSON, kept apart from the handlers (like clangd's
// Protocol.h): error codes, the client capabilities flattened to what we act on, and the
// conversion of rubric findings to LSP diagnostics.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rubric/finding.hpp"
#include "support/text.hpp"

namespace mlaudit::lsp {

namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerNotInitialized = -32002;
inline constexpr int kRequestCancelled = -32800;
inline constexpr int kContentModified = -32801;
inline constexpr int kServerCancelled = -32802;
}  // namespace error_code

// What the client can do, read once from `initialize` (flattened: this is not LSP's shape).
struct ClientCapabilities {
  Encoding encoding = Encoding::Utf16;  // negotiated positionEncoding
  bool pull_diagnostics = false;        // textDocument.diagnostic
  bool diagnostic_refresh = false;      // workspace.diagnostics.refreshSupport
  bool versioned_publish = true;
  bool work_done_progress = false;      // window.workDoneProgress: server-initiated $/progress
  bool watch_files = false;             // workspace.didChangeWatchedFiles.dynamicRegistration
  bool hover_markdown = true;           // textDocument.hover.contentFormat has "markdown", or is not given
};

ClientCapabilities read_capabilities(const nlohmann::json& params);
const char* encoding_name(Encoding encoding);

// A file:// URI to a path (percent-decoded); other schemes keep their path part.
std::string uri_to_path(const std::string& uri);
std::string path_to_uri(const std::string& path);

nlohmann::json to_position(LineColumn position);

// LSP severity from the template's scale: Critical/High -> Error, Medium -> Warning,
// Low -> Information, Info -> Hint.
int lsp_severity(rubric::Severity severity);

// A finding as an LSP Diagnostic; ranges converted with `lines` (the document's text).
nlohmann::json to_diagnostic(const rubric::Finding& finding, const LineIndex& lines, Encoding encoding);

// The Info diagnostic of a document that was not analysed (too large, binary).
nlohmann::json not_analysed_diagnostic(const std::string& reason);

}  // namespace mlaudit::lsp
