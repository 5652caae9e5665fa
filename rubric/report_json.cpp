// The audit as JSON, schema "mlaudit-audit/1" (documented field by field in docs/audit-json.md).
// Keys keep the documented order (ordered_json). Optional fields are omitted, never null, except
// overall.level, which is null when no template area is assessable.
#include <nlohmann/json.hpp>

#include "rubric/report.hpp"
#include "rubric/report_common.hpp"

namespace mlaudit::rubric {
namespace {

using Json = nlohmann::ordered_json;
using namespace report;

Json evidence_json(const Evidence& e) {
  Json j = Json::object();
  j["path"] = e.path;
  if (e.line) j["line"] = *e.line;
  if (e.cell) j["cell"] = *e.cell;
  j["detail"] = e.detail;
  return j;
}

Json item_json(const ItemResult& item) {
  Json j = Json::object();
  j["id"] = item.id;
  j["title"] = item.title;
  j["status"] = status_id(item.status);
  j["evidence"] = Json::array();
  for (const auto& e : item.evidence) j["evidence"].push_back(evidence_json(e));
  j["reason"] = item.reason;
  if (!item.question.empty()) j["question"] = item.question;
  if (item.status == Status::Gap) j["severity"] = severity_name(item.severity);
  if (!item.remediation.empty()) j["remediation"] = item.remediation;
  if (!item.remediation_url.empty()) j["remediationUrl"] = item.remediation_url;
  return j;
}

Json area_json(const AreaResult& area) {
  Json j = Json::object();
  j["id"] = area.id;
  j["title"] = area.title;
  j["level"] = area.level;
  j["assessable"] = area.assessable;
  j["explanation"] = area.explanation;
  j["extension"] = area.extension;
  j["items"] = Json::array();
  for (const auto& item : area.items) j["items"].push_back(item_json(item));
  return j;
}

Json finding_json(const LocatedFinding& f) {
  Json j = Json::object();
  j["rule"] = f.finding.rule;
  j["checklistId"] = f.finding.checklist_id;
  j["severity"] = severity_name(f.finding.severity);
  j["message"] = f.finding.message;
  j["path"] = f.path;
  j["line"] = f.line;
  j["column"] = f.column;
  j["endLine"] = f.end_line;
  j["endColumn"] = f.end_column;
  if (f.cell) j["cell"] = *f.cell;
  return j;
}

}  // namespace

std::string render_json(const AuditResult& audit) {
  const bool relevant = audit.relevance.relevant;
  Json root = Json::object();
  root["schema"] = audit.schema.empty() ? "mlaudit-audit/1" : audit.schema;
  root["relevant"] = relevant;
  root["relevance"] = {{"reason", audit.relevance.reason}, {"signals", audit.relevance.signals}};

  // A workspace the audit does not apply to gets no scores: no level, no areas.
  Json overall = Json::object();
  overall["level"] = relevant && audit.overall ? Json(*audit.overall) : Json(nullptr);
  overall["rule"] = audit.overall_rule;
  root["overall"] = std::move(overall);

  root["areas"] = Json::array();
  if (relevant) {
    // The template's eight in section order, then the extensions.
    for (const AreaResult* area : template_areas(audit)) root["areas"].push_back(area_json(*area));
    for (const AreaResult* area : extension_areas(audit)) root["areas"].push_back(area_json(*area));
  }

  root["findings"] = Json::array();
  for (const auto& f : audit.findings) root["findings"].push_back(finding_json(f));

  root["technology"] = Json::array();
  for (const auto& t : audit.technology) {
    Json j = Json::object();
    j["component"] = t.component;
    j["name"] = t.name;
    if (!t.version.empty()) j["version"] = t.version;
    if (!t.source.empty()) j["source"] = t.source;
    root["technology"].push_back(std::move(j));
  }

  root["models"] = Json::array();
  for (const auto& m : audit.models) {
    Json j = Json::object();
    j["what"] = m.what;
    j["name"] = m.name;
    j["path"] = m.path;
    if (m.line > 0) j["line"] = m.line;
    if (m.cell) j["cell"] = *m.cell;
    root["models"].push_back(std::move(j));
  }

  Json coverage = Json::object();
  coverage["analysed"] = audit.coverage.analysed;
  coverage["skipped"] = Json::array();
  for (const auto& [path, why] : audit.coverage.skipped) coverage["skipped"].push_back({{"path", path}, {"why", why}});
  root["coverage"] = std::move(coverage);

  root["system"] = {{"name", audit.system_name}, {"date", audit.date}};

  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace mlaudit::rubric
