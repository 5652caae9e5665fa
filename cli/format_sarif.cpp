#include "cli/format_sarif.hpp"

#include <map>

#include "cli/finding_cell.hpp"
#include "cli/fingerprint.hpp"
#include "support/embedded.hpp"

namespace mlaudit::cli {

namespace {

using json = nlohmann::ordered_json;

std::string area_of(const std::string& checklist_id) { return checklist_id.substr(0, checklist_id.find('.')); }

// GitHub ranks security alerts by `security-severity` (a CVSS-like score as a string).
const char* security_severity(rubric::Severity severity) {
  switch (severity) {
    case rubric::Severity::Critical: return "9.5";
    case rubric::Severity::High: return "8.0";
    case rubric::Severity::Medium: return "5.5";
    case rubric::Severity::Low: return "3.0";
    case rubric::Severity::Info: return "1.0";
  }
  return "1.0";
}

// The first paragraph under "## What mlaudit reports" of the rule's embedded remediation page
// (joined into one line), "" when the page or the section is absent.
std::string what_it_reports(const std::string& rule_id) {
  std::string wanted = "remediation/" + rule_id + ".md";
  for (const auto& resource : embedded::all()) {
    if (resource.path != wanted) continue;
    std::string_view page = resource.content;
    size_t heading = page.find("## What mlaudit reports");
    if (heading == std::string_view::npos) return "";
    size_t start = page.find('\n', heading);
    if (start == std::string_view::npos) return "";
    while (start < page.size() && page[start] == '\n') ++start;
    size_t end = page.find("\n\n", start);
    std::string paragraph(page.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    for (char& c : paragraph)
      if (c == '\n') c = ' ';
    return paragraph;
  }
  return "";
}

// Markdown emphasis and code marks removed, for the plain-text variant.
std::string plain(const std::string& markdown) {
  std::string out;
  for (char c : markdown)
    if (c != '`' && c != '*') out += c;
  return out;
}

json rule_descriptor(const rubric::Rubric& rubric, const rubric::RuleSpec& rule) {
  std::string area = area_of(rule.checklist);
  std::string full = what_it_reports(rule.id);
  // Tags must be unique (the SARIF schema says so; the Multitool reports JSON1020). GitHub treats
  // the tag "security" as a security query: the security area already is that tag.
  json tags = json::array({"mlaudit", rule.checklist, area});
  json properties = {{"tags", tags}, {"checklistId", rule.checklist}, {"area", area},
                     {"severity", rubric::severity_name(rule.severity)}};
  if (area == "security") properties["security-severity"] = security_severity(rule.severity);
  json descriptor = {
      {"id", rule.id},
      {"name", pascal_case(rule.id)},
      {"shortDescription", {{"text", rule.title}}},
      {"fullDescription", full.empty() ? json{{"text", rule.title + "."}} : json{{"text", plain(full)}, {"markdown", full}}},
      {"helpUri", rubric.remediation_base + rule.id + ".md"},
      {"help", {{"text", "Remediation guide: " + rubric.remediation_base + rule.id + ".md"},
                {"markdown", "[Remediation guide for `" + rule.id + "`](" + rubric.remediation_base + rule.id + ".md)"}}},
      {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}},
      {"properties", properties}};
  return descriptor;
}

}  // namespace

const char* sarif_level(rubric::Severity severity) {
  switch (severity) {
    case rubric::Severity::Critical:
    case rubric::Severity::High: return "error";
    case rubric::Severity::Medium: return "warning";
    case rubric::Severity::Low:
    case rubric::Severity::Info: return "note";
  }
  return "note";
}

std::string pascal_case(const std::string& rule_id) {
  std::string out;
  bool upper = true;
  for (char c : rule_id) {
    if (c == '-' || c == '_' || c == '.') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

json render_sarif(const SarifInput& input) {
  const rubric::Rubric& rubric = *input.rubric;
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  for (const auto& rule : rubric.rules) {
    rule_index[rule.id] = rules.size();
    rules.push_back(rule_descriptor(rubric, rule));
  }

  FingerprintCounter fingerprints;
  json results = json::array();
  for (const auto& located : *input.findings) {
    const rubric::Finding& f = located.finding;
    std::string path = input.base.prefix + located.path;
    json region = {{"startLine", located.line}, {"startColumn", located.column}};
    if (located.end_line >= located.line) {
      region["endLine"] = located.end_line;
      if (located.end_column > 0 && (located.end_line > located.line || located.end_column > located.column))
        region["endColumn"] = located.end_column;
    }
    std::string line = input.line_text ? input.line_text(located.path, located.line) : "";
    json properties = {{"checklistId", f.checklist_id}, {"severity", rubric::severity_name(f.severity)}};
    if (auto cell = finding_cell(located)) properties["cell"] = *cell;
    json result = {
        {"ruleId", f.rule},
        {"level", sarif_level(f.severity)},
        {"message", {{"text", f.message}}},
        {"locations", json::array({{{"physicalLocation",
                                     {{"artifactLocation", {{"uri", uri_path(path)}, {"uriBaseId", "SRCROOT"}}},
                                      {"region", region}}}}})},
        {"partialFingerprints", {{"mlaudit/v1", fingerprints.next(path, f.rule, line)}}},
        {"properties", properties}};
    if (auto it = rule_index.find(f.rule); it != rule_index.end()) result["ruleIndex"] = it->second;
    results.push_back(std::move(result));
  }

  json notifications = json::array();
  if (!input.not_relevant.empty())
    notifications.push_back({{"level", "note"}, {"message", {{"text", "skipped: " + input.not_relevant}}}});
  for (const auto& [path, why] : input.skipped)
    notifications.push_back({{"level", "note"}, {"message", {{"text", "not analysed: " + path + ": " + why}}}});
  json invocation = {{"executionSuccessful", true}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  json driver = {{"name", "mlaudit"},
                 {"version", input.version},
                 {"semanticVersion", input.version},
                 {"rules", rules}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({{{"tool", {{"driver", driver}}},
                                 {"originalUriBaseIds", {{"SRCROOT", {{"uri", file_uri(input.base.root, true)}}}}},
                                 {"columnKind", "unicodeCodePoints"},
                                 {"invocations", json::array({invocation})},
                                 {"results", results}}})}};
}

}  // namespace mlaudit::cli
