#include "lsp/code_actions.hpp"

#include "lsp/protocol.hpp"
#include "rubric/engine.hpp"

namespace mlaudit::lsp {

using json = nlohmann::json;
namespace fixes = rubric::fixes;

CodeActionCapabilities read_code_action_capabilities(const json& params) {
  CodeActionCapabilities caps;
  const json caps_json = params.value("capabilities", json::object());
  if (!caps_json.is_object()) return caps;
  json resolve = caps_json.value("/textDocument/codeAction/resolveSupport/properties"_json_pointer, json::array());
  if (resolve.is_array())
    for (const auto& p : resolve) caps.resolve_edit |= p.is_string() && p.get<std::string>() == "edit";
  json changes = caps_json.value("/workspace/workspaceEdit/documentChanges"_json_pointer, json(false));
  caps.document_changes = changes.is_boolean() && changes.get<bool>();
  return caps;
}

json code_action_provider() {
  return {{"codeActionKinds", {"quickfix", kFixAllKind}}, {"resolveProvider", true}};
}

bool fix_needs_workspace(const rubric::Finding& finding) {
  return finding.rule == "seed-not-set" || finding.rule == "split-without-random-state";
}

std::optional<json> fix_data(const fixes::FixContext& ctx, const rubric::Finding& finding) {
  auto fix = fixes::code_fix(ctx, finding);
  if (!fix) return std::nullopt;
  return json{{"title", fix->title}, {"safe", fix->safe}};
}

namespace {

fixes::FixContext context_of(const DocumentSnapshot& doc) {
  return {doc.facts, doc.text, doc.rubric, doc.workspace_files, doc.roots};
}

json range_json(const LineIndex& lines, uint32_t start, uint32_t end, Encoding encoding) {
  return {{"start", to_position(lines.position_of(start, encoding))}, {"end", to_position(lines.position_of(end, encoding))}};
}

json workspace_edit(const DocumentSnapshot& doc, const std::vector<fixes::Edit>& edits, const CodeActionCapabilities& caps) {
  LineIndex lines(doc.text);
  json text_edits = json::array();
  for (const auto& e : edits) text_edits.push_back({{"range", range_json(lines, e.start, e.end, doc.encoding)}, {"newText", e.text}});
  if (caps.document_changes)
    return {{"documentChanges", {{{"textDocument", {{"uri", doc.uri}, {"version", doc.version}}}, {"edits", text_edits}}}}};
  return {{"changes", {{doc.uri, text_edits}}}};
}

bool wanted(const json& only, const std::string& kind) {
  if (!only.is_array()) return true;
  for (const auto& o : only) {
    if (!o.is_string()) continue;
    std::string k = o.get<std::string>();
    if (kind == k || kind.rfind(k + ".", 0) == 0) return true;
  }
  return false;
}

// The current finding a diagnostic stands for: same rule, same range in the current text.
const rubric::Finding* finding_for(const json& diagnostic, const std::vector<rubric::Finding>& findings,
                                   const LineIndex& lines, Encoding encoding) {
  if (!diagnostic.is_object() || diagnostic.value("source", "") != "mlaudit" || !diagnostic.contains("code") ||
      !diagnostic["code"].is_string() || !diagnostic.contains("range"))
    return nullptr;
  std::string rule = diagnostic["code"].get<std::string>();
  for (const auto& f : findings)
    if (f.rule == rule && range_json(lines, f.range.start_byte, f.range.end_byte, encoding) == diagnostic["range"]) return &f;
  return nullptr;
}

const rubric::Finding* finding_at(const std::vector<rubric::Finding>& findings, const json& data) {
  std::string rule = data.value("rule", "");
  uint32_t start = data.value("start", 0u), end = data.value("end", 0u);
  for (const auto& f : findings)
    if (f.rule == rule && f.range.start_byte == start && f.range.end_byte == end) return &f;
  return nullptr;
}

// The edits an action stands for, computed now (nullopt: the action no longer applies).
std::optional<std::vector<fixes::Edit>> edits_of(const json& data, const DocumentSnapshot& doc,
                                                 const std::vector<rubric::Finding>& findings) {
  auto ctx = context_of(doc);
  std::string action = data.value("action", "");
  if (action == "all") {
    auto edits = fixes::fix_all(ctx, findings);
    if (edits.empty()) return std::nullopt;
    return edits;
  }
  const rubric::Finding* finding = finding_at(findings, data);
  if (!finding) return std::nullopt;
  if (action == "line") return fixes::suppress_on_line(ctx, *finding).edits;
  if (action == "file") return fixes::suppress_in_file(ctx, *finding).edits;
  if (action == "fix") {
    if (auto fix = fixes::code_fix(ctx, *finding)) return fix->edits;
  }
  return std::nullopt;
}

json action_data(const DocumentSnapshot& doc, const char* action, const rubric::Finding* f) {
  json data = {{"uri", doc.uri}, {"version", doc.version}, {"action", action}};
  if (f) {
    data["rule"] = f->rule;
    data["start"] = f->range.start_byte;
    data["end"] = f->range.end_byte;
  }
  return data;
}

}  // namespace

json code_actions(const json& params, const DocumentSnapshot& doc, const CodeActionCapabilities& caps) {
  json only = params.contains("context") ? params["context"].value("only", json()) : json();
  json diagnostics = params.contains("context") ? params["context"].value("diagnostics", json::array()) : json::array();
  auto findings = rubric::check_file(doc.facts, doc.rubric, doc.conclusions);
  LineIndex lines(doc.text);
  auto ctx = context_of(doc);
  json actions = json::array();
  auto add = [&](json action) {
    // Without resolve support for `edit` the client needs the edit now.
    if (!caps.resolve_edit && action.contains("data")) {
      auto edits = edits_of(action["data"], doc, findings);
      if (!edits) return;
      action["edit"] = workspace_edit(doc, *edits, caps);
    }
    actions.push_back(std::move(action));
  };
  if (wanted(only, "quickfix") && diagnostics.is_array()) {
    for (const auto& d : diagnostics) {
      const rubric::Finding* f = finding_for(d, findings, lines, doc.encoding);
      if (!f) continue;
      json diag = json::array({d});
      if (auto fix = fixes::code_fix(ctx, *f))
        add({{"title", fix->title}, {"kind", "quickfix"}, {"diagnostics", diag}, {"isPreferred", true},
             {"data", action_data(doc, "fix", f)}});
      add({{"title", "Suppress " + f->rule + " on this line"}, {"kind", "quickfix"}, {"diagnostics", diag},
           {"data", action_data(doc, "line", f)}});
      add({{"title", "Suppress " + f->rule + " in this file"}, {"kind", "quickfix"}, {"diagnostics", diag},
           {"data", action_data(doc, "file", f)}});
      const rubric::RuleSpec* rule = doc.rubric.rule(f->rule);
      std::string title = "Open remediation guide: " + (rule ? rule->title : f->rule);
      actions.push_back({{"title", title}, {"kind", "quickfix"}, {"diagnostics", diag},
                         {"command", {{"title", title}, {"command", kOpenGuideCommand}, {"arguments", {f->href}}}}});
    }
  }
  // Fix-all when asked for (source actions), or offered beside the quick fixes when there is something to fix.
  bool asked = only.is_array() && wanted(only, kFixAllKind);
  if (asked || (!only.is_array() && !actions.empty())) {
    size_t applied = 0;
    fixes::fix_all(ctx, findings, &applied);
    if (applied > 0)
      add({{"title", "Fix all safe mlaudit issues (" + std::to_string(applied) + ")"}, {"kind", kFixAllKind},
           {"data", action_data(doc, "all", nullptr)}});
  }
  return actions;
}

json resolve_code_action(json action, const DocumentSnapshot& doc, const CodeActionCapabilities& caps) {
  if (!action.contains("data") || !action["data"].is_object()) return action;  // nothing of ours to resolve
  const json& data = action["data"];
  if (data.value("version", int64_t{-1}) != doc.version)
    throw StaleRequest{"the document changed since the code action was offered"};
  auto findings = rubric::check_file(doc.facts, doc.rubric, doc.conclusions);
  auto edits = edits_of(data, doc, findings);
  if (!edits) throw StaleRequest{"the finding this action fixes is gone"};
  action["edit"] = workspace_edit(doc, *edits, caps);
  return action;
}

std::string guide_uri(const json& params) {
  if (!params.contains("arguments") || !params["arguments"].is_array() || params["arguments"].empty()) return "";
  const json& arg = params["arguments"][0];
  if (arg.is_string()) return arg.get<std::string>();
  if (arg.is_object() && arg.contains("href") && arg["href"].is_string()) return arg["href"].get<std::string>();
  return "";
}

}  // namespace mlaudit::lsp
