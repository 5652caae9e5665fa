#include "lsp/protocol.hpp"

#include <cctype>

namespace mlaudit::lsp {

using json = nlohmann::json;

namespace {
const json* at_path(const json& root, std::initializer_list<const char*> keys) {
  const json* node = &root;
  for (const char* key : keys) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return node;
}
}  // namespace

ClientCapabilities read_capabilities(const json& params) {
  ClientCapabilities caps;
  const json* capabilities = at_path(params, {"capabilities"});
  if (!capabilities) return caps;
  if (const json* encodings = at_path(*capabilities, {"general", "positionEncodings"}); encodings && encodings->is_array()) {
    for (const auto& e : *encodings)
      if (e.is_string() && e.get<std::string>() == "utf-8") caps.encoding = Encoding::Utf8;
  }
  if (const json* diagnostic = at_path(*capabilities, {"textDocument", "diagnostic"}); diagnostic && diagnostic->is_object())
    caps.pull_diagnostics = true;
  if (const json* refresh = at_path(*capabilities, {"workspace", "diagnostics", "refreshSupport"}); refresh && refresh->is_boolean())
    caps.diagnostic_refresh = refresh->get<bool>();
  if (const json* progress = at_path(*capabilities, {"window", "workDoneProgress"}); progress && progress->is_boolean())
    caps.work_done_progress = progress->get<bool>();
  if (const json* watch = at_path(*capabilities, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});
      watch && watch->is_boolean())
    caps.watch_files = watch->get<bool>();
  // A client that lists its hover formats gets Markdown only when it lists it; one that says
  // nothing gets Markdown, which every mainstream client renders.
  if (const json* formats = at_path(*capabilities, {"textDocument", "hover", "contentFormat"}); formats && formats->is_array()) {
    caps.hover_markdown = false;
    for (const auto& f : *formats)
      if (f.is_string() && f.get<std::string>() == "markdown") caps.hover_markdown = true;
  }
  return caps;
}

const char* encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::Utf8: return "utf-8";
    case Encoding::Utf16: return "utf-16";
    case Encoding::Utf32: return "utf-32";
  }
  return "utf-16";
}

std::string uri_to_path(const std::string& uri) {
  std::string rest = uri;
  if (rest.rfind("file://", 0) == 0) {
    rest = rest.substr(7);
    if (!rest.empty() && rest[0] != '/') rest = rest.substr(rest.find('/') == std::string::npos ? rest.size() : rest.find('/'));
  } else if (size_t colon = rest.find(':'); colon != std::string::npos) {
    rest = rest.substr(colon + 1);
  }
  std::string out;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && std::isxdigit(static_cast<unsigned char>(rest[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(rest[i + 2]))) {
      out += static_cast<char>(std::stoi(rest.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += rest[i];
    }
  }
  return out;
}

std::string path_to_uri(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else { out += '%'; out += hex[c >> 4]; out += hex[c & 15]; }
  }
  return out;
}

json to_position(LineColumn position) { return {{"line", position.line}, {"character", position.column}}; }

int lsp_severity(rubric::Severity severity) {
  switch (severity) {
    case rubric::Severity::Critical:
    case rubric::Severity::High: return 1;
    case rubric::Severity::Medium: return 2;
    case rubric::Severity::Low: return 3;
    case rubric::Severity::Info: return 4;
  }
  return 4;
}

json to_diagnostic(const rubric::Finding& finding, const LineIndex& lines, Encoding encoding) {
  return {{"range", {{"start", to_position(lines.position_of(finding.range.start_byte, encoding))},
                     {"end", to_position(lines.position_of(finding.range.end_byte, encoding))}}},
          {"severity", lsp_severity(finding.severity)},
          {"code", finding.rule},
          {"codeDescription", {{"href", finding.href}}},
          {"source", "mlaudit"},
          {"message", finding.message},
          {"data", {{"checklistId", finding.checklist_id}, {"rule", finding.rule}}}};
}

json not_analysed_diagnostic(const std::string& reason) {
  return {{"range", {{"start", to_position({0, 0})}, {"end", to_position({0, 0})}}},
          {"severity", 3},
          {"code", "not-analysed"},
          {"source", "mlaudit"},
          {"message", "mlaudit did not analyse this file: " + reason}};
}

}  // namespace mlaudit::lsp
