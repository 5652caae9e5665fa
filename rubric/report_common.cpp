#include "rubric/report_common.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace mlaudit::rubric::report {

const char* status_id(Status status) { return status_name(status); }

const char* status_label(Status status) {
  switch (status) {
    case Status::Met: return "Met";
    case Status::Partial: return "Partial";
    case Status::Gap: return "Gap";
    case Status::NotAssessable: return "Not assessable";
  }
  return "Not assessable";
}

std::string level_description(int level) {
  switch (level) {
    case 1: return "No ML capabilities";
    case 2: return "Ad-hoc ML experiments";
    case 3: return "Functional ML";
    case 4: return "Mature ML operations";
    case 5: return "Production ML platform";
  }
  return "";
}

std::string area_of(std::string_view checklist_id) {
  return std::string(checklist_id.substr(0, checklist_id.find('.')));
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\r') continue;
    out += (c == '\n' || c == '\t') ? ' ' : c;
  }
  return out;
}

namespace {

std::vector<const AreaResult*> areas_where(const AuditResult& audit, bool extension) {
  std::vector<const AreaResult*> out;
  for (const auto& area : audit.areas)
    if (area.extension == extension) out.push_back(&area);
  std::stable_sort(out.begin(), out.end(), [](const AreaResult* a, const AreaResult* b) {
    // Areas without a section number keep their position, after the numbered ones.
    int sa = a->section > 0 ? a->section : 1000, sb = b->section > 0 ? b->section : 1000;
    return sa < sb;
  });
  return out;
}

}  // namespace

std::vector<const AreaResult*> template_areas(const AuditResult& audit) { return areas_where(audit, false); }
std::vector<const AreaResult*> extension_areas(const AuditResult& audit) { return areas_where(audit, true); }

int section_of(const AuditResult& audit, const AreaResult& area) {
  if (area.section > 0) return area.section;
  auto list = areas_where(audit, area.extension);
  int base = area.extension ? static_cast<int>(template_areas(audit).size()) : 0;
  if (area.extension && base < 8) base = 8;
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i] == &area) return base + static_cast<int>(i) + 1;
  return 0;
}

const AreaResult* template_area(const AuditResult& audit, int section) {
  for (const AreaResult* area : template_areas(audit))
    if (section_of(audit, *area) == section) return area;
  return nullptr;
}

std::string short_name(const AreaResult& area) {
  static const std::map<std::string, std::string> names = {
      {"infrastructure", "Infrastructure"}, {"development", "Development"}, {"data", "Data"},
      {"deployment", "Deployment"},         {"mlops", "MLOps"},             {"monitoring", "Monitoring"},
      {"governance", "Governance"},         {"team", "Team"},               {"security", "Security"},
      {"llm", "LLM"}};
  auto it = names.find(area.id);
  if (it != names.end()) return it->second;
  return area.title.empty() ? area.id : area.title;
}

std::string explanation_body(const AreaResult& area) {
  std::string text = one_line(area.explanation);
  // Strip "Level N:" / "Level N." / "Level N -" at the start.
  if (text.rfind("Level ", 0) == 0) {
    size_t i = 6;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i > 6 && i < text.size() && (text[i] == ':' || text[i] == '.' || text[i] == '-')) {
      ++i;
      while (i < text.size() && text[i] == ' ') ++i;
      return text.substr(i);
    }
  }
  return text;
}

std::string location(const std::string& path, uint32_t line, std::optional<uint32_t> cell) {
  std::string out = path;
  if (cell) out.append(":cell ").append(std::to_string(*cell + 1));
  if (line > 0) out.append(":").append(std::to_string(line));
  return out;
}

std::string location(const Evidence& evidence) { return location(evidence.path, evidence.line.value_or(0), evidence.cell); }

Counts count(const AreaResult& area) {
  Counts c;
  for (const auto& item : area.items) {
    switch (item.status) {
      case Status::Met: ++c.met; break;
      case Status::Partial: ++c.partial; break;
      case Status::Gap: ++c.gap; break;
      case Status::NotAssessable: ++c.not_assessable; break;
    }
  }
  return c;
}

int severity_rank(Severity severity) { return static_cast<int>(severity); }

std::optional<Severity> most_severe(const AuditResult& audit) {
  std::optional<Severity> out;
  auto consider = [&](Severity s) {
    if (!out || severity_rank(s) < severity_rank(*out)) out = s;
  };
  for (const auto& area : audit.areas)
    for (const auto& item : area.items)
      if (item.status == Status::Gap) consider(item.severity);
  for (const auto& f : audit.findings) consider(f.finding.severity);
  return out;
}

std::vector<const LocatedFinding*> findings_of(const AuditResult& audit, const std::string& area_id) {
  std::vector<const LocatedFinding*> out;
  for (const auto& f : audit.findings)
    if (area_of(f.finding.checklist_id) == area_id) out.push_back(&f);
  return out;
}

std::string remediation_path(const LocatedFinding& finding) {
  const std::string& href = finding.finding.href;
  if (href.empty()) return "";
  size_t slash = href.rfind('/');
  std::string page = slash == std::string::npos ? href : href.substr(slash + 1);
  if (page.empty()) return "";
  return "remediation/" + page;
}

std::optional<int> blocked_level(const AreaResult&, const ItemResult& item) {
  if (item.status != Status::Gap) return std::nullopt;
  return item.blocks_level;
}

std::string primary_framework(const AuditResult& audit) {
  for (const auto& t : audit.technology) {
    if (lower(t.component) != "ml framework") continue;
    return t.version.empty() ? t.name : t.name + " " + t.version;
  }
  return "";
}

std::string use_cases(const AuditResult& audit) {
  std::vector<std::string> out;
  auto add = [&](const std::string& what) {
    if (std::find(out.begin(), out.end(), what) == out.end()) out.push_back(what);
  };
  for (const char* kind : {"trained", "served", "loaded"}) {
    for (const auto& m : audit.models) {
      if (m.what != kind) continue;
      if (m.what == "trained") add("model training");
      else if (m.what == "served") add("model serving");
      else add("inference with pre-trained models");
      break;
    }
  }
  for (const auto& t : audit.technology)
    if (lower(t.component).find("llm") != std::string::npos) add("LLM application");
  std::string text;
  for (const auto& u : out) text += (text.empty() ? "" : ", ") + u;
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string current_state_sentence(const AuditResult& audit) {
  if (!audit.overall) return "Not assessable from the repository alone: no area has enough evidence either way.";
  std::string out = "Level " + std::to_string(*audit.overall) + " of 5 (" + level_description(*audit.overall) + ")";
  const AreaResult *best = nullptr, *worst = nullptr;
  for (const AreaResult* area : template_areas(audit)) {
    if (!area->assessable) continue;
    if (!best || area->level > best->level) best = area;
    if (!worst || area->level < worst->level) worst = area;
  }
  if (best && worst && best->level != worst->level) {
    out += "; strongest area: " + best->title + " (level " + std::to_string(best->level) + "), weakest: " +
           worst->title + " (level " + std::to_string(worst->level) + ")";
  }
  return out + ".";
}

std::vector<QuotedEvidence> strongest_evidence(const AuditResult& audit, size_t limit) {
  // One item per area and round, met before partial, so the summary quotes several areas.
  std::vector<QuotedEvidence> out;
  for (Status wanted : {Status::Met, Status::Partial}) {
    for (size_t round = 0; round < 2; ++round) {
      for (const AreaResult* area : template_areas(audit)) {
        size_t seen = 0;
        for (const auto& item : area->items) {
          if (item.status != wanted || item.evidence.empty()) continue;
          if (seen++ != round) continue;
          if (out.size() >= limit) return out;
          out.push_back({area, &item, &item.evidence.front()});
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace mlaudit::rubric::report
