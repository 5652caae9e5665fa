// The audit template filled in place. The template is walked line by line; every line is copied
// unless it is one of the blanks this renderer knows how to fill (system information, scores,
// "Current State" boxes, checklist boxes, the tables). Anything it does not recognise stays as the
// user wrote it, so an edited template still renders.
//
// The front matter is dropped from the report: it is configuration for mlaudit (relevance,
// severity scale), not part of the document a reader wants to see.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "rubric/report.hpp"
#include "rubric/report_common.hpp"

namespace mlaudit::rubric {
namespace {

using namespace report;

constexpr size_t kEvidencePerItem = 5;
constexpr size_t kFindingsPerArea = 25;
constexpr size_t kModelRows = 30;
constexpr size_t kSkippedRows = 50;

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string trim(std::string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  return std::string(text.substr(b, e - b));
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line(text.substr(start, nl - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    start = nl + 1;
  }
  return out;
}

// The YAML front matter (without its fences) and the document after it.
std::pair<std::string_view, std::string_view> split_front_matter(std::string_view md) {
  if (!starts_with(md, "---\n") && !starts_with(md, "---\r\n")) return {{}, md};
  size_t end = md.find("\n---", 3);
  if (end == std::string_view::npos) return {{}, md};
  std::string_view front = md.substr(md.find('\n') + 1, end - md.find('\n'));
  size_t after = md.find('\n', end + 4);
  std::string_view body = after == std::string_view::npos ? std::string_view{} : md.substr(after + 1);
  while (starts_with(body, "\n") || starts_with(body, "\r\n")) body.remove_prefix(body[0] == '\n' ? 1 : 2);
  return {front, body};
}

// Prose in a bullet: one line; '<' escaped so that a message never becomes HTML when rendered.
std::string text(std::string_view raw) {
  std::string out;
  for (char c : one_line(raw)) {
    if (c == '<') out += "&lt;";
    else out += c;
  }
  return out;
}

// A table cell: prose, with '|' escaped.
std::string cell(std::string_view raw) {
  std::string out;
  for (char c : text(raw)) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

// Inline code; a value containing a backtick gets a longer fence.
std::string code(std::string_view raw) {
  std::string value = one_line(raw);
  if (value.find('`') == std::string::npos) return "`" + value + "`";
  return "`` " + value + " ``";
}

std::string code_cell(std::string_view raw) {
  std::string out;
  for (char c : code(raw)) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

std::vector<std::string> cells_of(std::string_view row) {
  std::vector<std::string> out;
  std::string current;
  bool started = false;
  for (size_t i = 0; i < row.size(); ++i) {
    char c = row[i];
    if (c == '\\' && i + 1 < row.size()) {
      current += c;
      current += row[++i];
    } else if (c == '|') {
      if (started) out.push_back(trim(current));
      started = true;
      current.clear();
    } else {
      current += c;
    }
  }
  if (!trim(current).empty()) out.push_back(trim(current));
  return out;
}

std::string row_of(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const auto& c : cells) out += c.empty() ? " |" : " " + c + " |";
  return out;
}

bool blank_row(std::string_view row) {
  for (const auto& c : cells_of(row))
    if (!c.empty()) return false;
  return true;
}

std::string level_boxes(int level) {
  std::string out;
  for (int n = 1; n <= 5; ++n) out += std::string(n == 1 ? "" : " ") + (n == level ? "[x]" : "[ ]") + " Level " + std::to_string(n);
  return out;
}

std::string level_name(int level) { return "Level " + std::to_string(std::clamp(level, 1, 5)); }

const char* box(Status status) {
  switch (status) {
    case Status::Met: return "[x]";
    case Status::Partial: return "[~]";
    default: return "[ ]";
  }
}

const ItemResult* find_item(const AuditResult& audit, std::string_view id) {
  for (const auto& area : audit.areas)
    for (const auto& item : area.items)
      if (item.id == id) return &item;
  return nullptr;
}

std::string evidence_text(const Evidence& e) {
  std::string out = code(location(e));
  if (!e.detail.empty()) out += " — " + text(e.detail);
  return out;
}

class MarkdownRenderer {
 public:
  explicit MarkdownRenderer(const AuditResult& audit) : audit_(audit) {}

  std::string render(std::string_view template_markdown) {
    auto [front, body] = split_front_matter(template_markdown);
    if (!audit_.relevance.relevant) return not_relevant(front, body);
    lines_ = split_lines(body);
    for (i_ = 0; i_ < lines_.size(); ++i_) step(lines_[i_]);
    flush_level_line();
    if (in_areas_ && !extensions_done_) extensions();
    if (!coverage_done_) {
      emit("");
      coverage();
    }
    return out_;
  }

 private:
  void emit(std::string_view line) {
    out_ += line;
    out_ += '\n';
  }

  void step(const std::string& l) {
    if (skip_blanks_) {
      if (trim(l).empty()) return;
      skip_blanks_ = false;
    }
    if (skip_dashes_) {
      if (trim(l) == "-") return;
      skip_dashes_ = false;
    }
    if (starts_with(l, "## ")) return heading2(l);
    if (starts_with(l, "### ")) return heading3(l);
    if (starts_with(l, "#### ")) return heading4(l);
    if (l == "---") flush_level_line();
    if (starts_with(l, "|")) return table();
    if (h2_ == "System Information" && system_line(l)) return;
    if (h2_ == "Executive Summary" && summary_line(l)) return;
    if (h2_ == "Maturity Level Assessment" && assessment_line(l)) return;
    if (area_ && area_line(l)) return;
    if (h2_ == "Modernization Roadmap" && starts_with(l, "- [ ] ")) return roadmap_line(l);
    if (starts_with(l, "**Last Updated**:")) return emit("**Last Updated**: " + text(audit_.date));
    emit(l);
  }

  // --- headings

  void heading2(const std::string& l) {
    flush_level_line();
    if (in_areas_ && !extensions_done_) extensions();
    if (starts_with(l, "## Appendix") && !coverage_done_) coverage();
    h2_ = trim(std::string_view(l).substr(3));
    in_areas_ = h2_ == "Detailed Assessment Areas";
    area_ = nullptr;
    h4_.clear();
    emit(l);
  }

  void heading3(const std::string& l) {
    flush_level_line();
    area_ = nullptr;
    h4_.clear();
    std::string title = trim(std::string_view(l).substr(4));
    if (in_areas_) {
      int n = 0;
      size_t k = 0;
      while (k < title.size() && std::isdigit(static_cast<unsigned char>(title[k]))) n = n * 10 + (title[k++] - '0');
      if (k > 0 && k < title.size() && title[k] == '.') area_ = template_area(audit_, n);
      checklist_index_ = 0;
      return emit(l);
    }
    if (h2_ == "Maturity Level Assessment" && starts_with(title, "Current Maturity Score")) return emit(with_score(l));
    if (starts_with(h2_, "Recommendations") && audit_.overall && starts_with(title, "From Level ")) {
      if (std::atoi(title.c_str() + 11) == *audit_.overall) return emit(l + " ← you are here");
    }
    emit(l);
  }

  void heading4(const std::string& l) {
    flush_level_line();
    h4_ = trim(std::string_view(l).substr(5));
    if (area_ && h4_ == "Checklist") level_line_pending_ = true;
    emit(l);
  }

  // "*Level N: explanation*" after an area's checklist.
  void flush_level_line() {
    if (!level_line_pending_) return;
    level_line_pending_ = false;
    if (!area_) return;
    emit(level_line(*area_));
    emit("");
  }

  std::string level_line(const AreaResult& area) {
    std::string body = explanation_body(area);
    std::string out = "*" + level_name(area.level) + (area.assessable ? "" : " (not assessable statically)");
    return out + (body.empty() ? "" : ": " + text(body)) + "*";
  }

  std::string with_score(const std::string& l) {
    std::string score = audit_.overall ? "[" + std::to_string(*audit_.overall) + "]" : "[not assessable]";
    size_t at = l.find("[ ]");
    if (at == std::string::npos) return l;
    return l.substr(0, at) + score + l.substr(at + 3);
  }

  // --- System Information, Executive Summary, Maturity Level Assessment

  bool system_line(const std::string& l) {
    static const std::vector<std::string> keys = {"System Name", "Audit Date", "Auditor", "AI/ML Use Cases",
                                                  "Primary ML Framework"};
    for (const auto& key : keys) {
      std::string prefix = "- **" + key + "**:";
      if (!starts_with(l, prefix)) continue;
      std::string value;
      if (key == "System Name") value = text(audit_.system_name);
      else if (key == "Audit Date") value = text(audit_.date);
      else if (key == "Auditor") value = "mlaudit (static analysis)";
      else if (key == "AI/ML Use Cases") value = text(use_cases(audit_));
      else value = text(primary_framework(audit_));
      emit(prefix + " " + value);
      return true;
    }
    return false;
  }

  bool summary_line(const std::string& l) {
    if (starts_with(l, "**Overall AI/ML Maturity Score**:")) {
      emit(with_score(l));
      if (!trim(audit_.overall_rule).empty()) {
        emit("");
        emit("*How the score is derived*: " + text(audit_.overall_rule));
      }
      std::string beside;
      for (const AreaResult* area : extension_areas(audit_))
        beside += (beside.empty() ? "" : "; ") + text(area->title) + ": " + level_name(area->level) +
                  (area->assessable ? "" : " (not assessable)");
      if (!beside.empty()) {
        emit("");
        emit("*Beside the score (extension areas, not part of it)*: " + beside);
      }
      return true;
    }
    if (starts_with(l, "- Current State:")) {
      emit("- Current State: " + text(current_state_sentence(audit_)));
      return true;
    }
    if (starts_with(l, "- Priority Level:")) {
      std::optional<Severity> worst = most_severe(audit_);
      std::string pick = "Low";
      if (worst && severity_rank(*worst) <= severity_rank(Severity::Medium)) pick = severity_name(*worst);
      std::string line = l;
      size_t at = line.find("[ ] " + pick);
      if (at != std::string::npos) line.replace(at, 3, "[x]");
      emit(line);
      return true;
    }
    return false;
  }

  bool assessment_line(const std::string& l) {
    if (l == "**Justification**:") {
      emit(l);
      emit("");
      for (const AreaResult* area : template_areas(audit_)) emit(justification(*area, false));
      for (const AreaResult* area : extension_areas(audit_)) emit(justification(*area, true));
      emit("");
      skip_blanks_ = true;
      return true;
    }
    if (l == "**Evidence**:") {
      emit(l);
      auto quoted = strongest_evidence(audit_, 5);
      if (quoted.empty()) emit("- No checklist item of the template areas is met with evidence in the repository.");
      for (const auto& q : quoted) {
        emit("- " + text(q.area->title) + " — " + text(q.item->title) + " (" + status_id(q.item->status) +
             "): " + evidence_text(*q.evidence));
      }
      skip_dashes_ = true;
      return true;
    }
    return false;
  }

  std::string justification(const AreaResult& area, bool extension) {
    std::string body = explanation_body(area);
    std::string out = "- " + text(area.title) + ": level " + std::to_string(area.level);
    if (!area.assessable) out += " (not assessable)";
    if (extension) out += " (extension, beside the score)";
    return out + (body.empty() ? "" : " — " + text(body));
  }

  // --- the areas

  bool area_line(const std::string& l) {
    if (starts_with(l, "**Current State**:")) {
      emit(current_state(*area_));
      return true;
    }
    if (h4_ == "Checklist" && (starts_with(l, "- [ ] ") || starts_with(l, "- [x] ") || starts_with(l, "- [X] "))) {
      size_t k = checklist_index_++;
      if (k >= area_->items.size()) {
        emit(l);
        return true;
      }
      const ItemResult& item = area_->items[k];
      emit("- " + std::string(box(item.status)) + l.substr(5));
      item_details(item);
      return true;
    }
    return false;
  }

  std::string current_state(const AreaResult& area) {
    std::string out = "**Current State**: " + level_boxes(area.level);
    if (!area.assessable) out += " *(not assessable statically)*";
    return out;
  }

  void item_details(const ItemResult& item) {
    std::string status = "  - **" + std::string(status_label(item.status)) + "**";
    emit(item.reason.empty() ? status : status + " — " + text(item.reason));
    size_t shown = 0;
    for (const auto& e : item.evidence) {
      if (shown++ == kEvidencePerItem) {
        emit("  - … and " + std::to_string(item.evidence.size() - kEvidencePerItem) + " more");
        break;
      }
      emit("  - Evidence: " + evidence_text(e));
    }
    if (!item.question.empty()) emit("  - Ask: " + text(item.question));
    if (!item.remediation.empty() && item.status != Status::Met) emit("  - Remediation: " + (item.remediation_url.empty() ? code(item.remediation)
                                                             : "[" + code(item.remediation) + "](" + item.remediation_url + ")"));
  }

  void extensions() {
    extensions_done_ = true;
    for (const AreaResult* area : extension_areas(audit_)) {
      emit("### " + std::to_string(section_of(audit_, *area)) + ". " + text(area->title));
      emit("");
      emit("*An extension of the template: this area's level is shown beside, not inside, the overall score.*");
      emit("");
      emit(current_state(*area));
      emit("");
      emit("#### Checklist");
      emit("");
      for (const auto& item : area->items) {
        emit("- " + std::string(box(item.status)) + " **" + text(item.title.empty() ? item.id : item.title) + "**");
        item_details(item);
      }
      emit("");
      emit(level_line(*area));
      emit("");
      emit("#### Findings");
      emit("");
      emit("| Finding | Severity | Impact | Current Level | Recommended Level |");
      emit("|---------|----------|--------|---------------|-------------------|");
      for (const auto& row : finding_rows(*area)) emit(row);
      emit("");
      emit("---");
      emit("");
    }
  }

  // --- tables

  void table() {
    size_t end = i_;
    while (end < lines_.size() && starts_with(lines_[end], "|")) ++end;
    std::vector<std::string> rows(lines_.begin() + i_, lines_.begin() + end);
    i_ = end - 1;
    std::vector<std::string> filled = rows;
    if (area_ && rows.size() >= 2) {
      if (h4_ == "Findings") filled = replace_blank_rows(rows, finding_rows(*area_));
      else if (h4_ == "Current Technology") filled = technology_table(rows);
      else if (h4_ == "Model Inventory") filled = replace_blank_rows(rows, model_rows());
      else if (h4_ == "Monitoring Metrics") filled = monitoring_table(rows);
    }
    for (const auto& row : filled) emit(row);
  }

  // The header and separator, the template's non-blank rows, then `generated` (or the blank rows
  // when nothing was generated).
  static std::vector<std::string> replace_blank_rows(const std::vector<std::string>& rows,
                                                     const std::vector<std::string>& generated) {
    std::vector<std::string> out(rows.begin(), rows.begin() + 2);
    std::vector<std::string> blanks;
    for (size_t r = 2; r < rows.size(); ++r) (blank_row(rows[r]) ? blanks : out).push_back(rows[r]);
    const auto& tail = generated.empty() ? blanks : generated;
    out.insert(out.end(), tail.begin(), tail.end());
    return out;
  }

  // Gaps and per-file findings together, most severe first (a gap before a finding of the same
  // severity).
  std::vector<std::string> finding_rows(const AreaResult& area) {
    std::string current = level_name(area.level), next = level_name(std::min(area.level + 1, 5));
    struct Row {
      int rank;
      std::string text;
    };
    std::vector<Row> rows;
    Counts counts = count(area);
    for (const auto& item : area.items) {
      if (item.status != Status::Gap) continue;
      std::string finding = "**" + cell(item.title.empty() ? item.id : item.title) + "**";
      if (!item.reason.empty()) finding += ": " + cell(item.reason);
      // Impact: the level this gap holds the area back from, when known, and the guide.
      std::optional<int> blocks = blocked_level(area, item);
      std::string impact = blocks ? "blocks level " + std::to_string(*blocks) : "";
      if (!item.remediation.empty()) impact += (impact.empty() ? "see " : "; see ") + code_cell(item.remediation);
      rows.push_back({severity_rank(item.severity) * 2,
                      row_of({finding, severity_name(item.severity), impact, current,
                              blocks ? level_name(*blocks) : next})});
    }
    auto located = findings_of(audit_, area.id);
    std::stable_sort(located.begin(), located.end(), [](const LocatedFinding* a, const LocatedFinding* b) {
      return severity_rank(a->finding.severity) < severity_rank(b->finding.severity);
    });
    for (size_t k = 0; k < located.size() && k < kFindingsPerArea; ++k) {
      const LocatedFinding& f = *located[k];
      std::string finding = code_cell(location(f.path, f.line, f.cell)) + " " + code_cell(f.finding.rule) + ": " +
                            cell(f.finding.message);
      std::string page = remediation_path(f);
      rows.push_back({severity_rank(f.finding.severity) * 2 + 1,
                      row_of({finding, severity_name(f.finding.severity),
                              page.empty() ? "" : "see " + code_cell(page), current, next})});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.rank < b.rank; });
    std::vector<std::string> out;
    for (auto& row : rows) out.push_back(std::move(row.text));
    if (located.size() > kFindingsPerArea) {
      out.push_back(row_of({"… and " + std::to_string(located.size() - kFindingsPerArea) +
                                " more findings in this area (`mlaudit check` lists them all)",
                            "", "", "", ""}));
    }
    if (out.empty()) {
      std::string none = "No gaps found by static analysis";
      if (counts.not_assessable > 0)
        none += " (" + std::to_string(counts.not_assessable) + " of " + std::to_string(area.items.size()) +
                " items not assessable: see the checklist)";
      out.push_back(row_of({none, "", "", current, ""}));
    }
    return out;
  }

  std::vector<std::string> technology_table(const std::vector<std::string>& rows) {
    std::vector<bool> used(audit_.technology.size(), false);
    auto fill = [&](const Technology& t, const std::string& component) {
      return row_of({component, cell(t.name), cell(t.version), "Detected", t.source.empty() ? "" : code_cell(t.source)});
    };
    std::vector<std::string> out(rows.begin(), rows.begin() + 2);
    for (size_t r = 2; r < rows.size(); ++r) {
      auto cells = cells_of(rows[r]);
      if (cells.empty() || cells[0].empty()) continue;  // a blank row: extra technologies go below
      bool filled = false;
      for (size_t t = 0; t < audit_.technology.size() && !filled; ++t) {
        if (used[t] || lower(audit_.technology[t].component) != lower(cells[0])) continue;
        used[t] = filled = true;
        out.push_back(fill(audit_.technology[t], cells[0]));
      }
      if (!filled) out.push_back(rows[r]);
    }
    for (size_t t = 0; t < audit_.technology.size(); ++t)
      if (!used[t]) out.push_back(fill(audit_.technology[t], cell(audit_.technology[t].component)));
    return out;
  }

  std::vector<std::string> model_rows() {
    std::vector<std::string> out;
    for (size_t k = 0; k < audit_.models.size(); ++k) {
      if (k == kModelRows) {
        out.push_back(row_of({"… and " + std::to_string(audit_.models.size() - k) + " more", "", "", "", "", "", ""}));
        break;
      }
      const ModelUse& m = audit_.models[k];
      std::string status = cell(m.what) + " at " + code_cell(location(m.path, m.line, m.cell));
      out.push_back(row_of({code_cell(m.name), "", m.what == "served" ? "Served" : "", "", "", status, ""}));
    }
    return out;
  }

  std::vector<std::string> monitoring_table(const std::vector<std::string>& rows) {
    static const std::map<std::string, std::string> items = {
        {"model accuracy", "monitoring.performance-monitoring"},
        {"inference latency", "monitoring.latency-monitoring"},
        {"data drift", "monitoring.data-drift-detection"},
        {"request volume", "monitoring.prediction-logging"},
    };
    std::vector<std::string> out(rows.begin(), rows.begin() + 2);
    for (size_t r = 2; r < rows.size(); ++r) {
      auto cells = cells_of(rows[r]);
      auto it = cells.empty() ? items.end() : items.find(lower(cells[0]));
      const ItemResult* item = it == items.end() ? nullptr : find_item(audit_, it->second);
      if (!item || cells.size() < 6) {
        out.push_back(rows[r]);
        continue;
      }
      // Current and Threshold stay empty: values are not measurable from the repository.
      cells[4] = status_label(item->status);
      std::string notes;
      if (item->status == Status::Met || item->status == Status::Partial) {
        for (size_t e = 0; e < item->evidence.size() && e < 2; ++e)
          notes += (notes.empty() ? "" : ", ") + code_cell(location(item->evidence[e]));
      }
      cells[5] = notes;
      out.push_back(row_of(cells));
    }
    return out;
  }

  // --- Modernization Roadmap: a step is ticked only when the checklist item it names is met.
  void roadmap_line(const std::string& l) {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> steps = {
        {"establish data pipeline", {"data.pipeline-automated"}},
        {"automate training pipelines", {"mlops.continuous-training"}},
        {"implement model registry", {"deployment.model-registry"}},
        {"add experiment tracking", {"infrastructure.experiment-tracking"}},
        {"ci/cd for models", {"mlops.ci-cd"}},
        {"feature store implementation", {"data.feature-store"}},
        {"drift detection", {"monitoring.data-drift-detection", "data.drift-detection"}},
        {"automated retraining", {"mlops.automatic-retraining"}},
        {"a/b testing", {"deployment.ab-testing"}},
    };
    std::string step = lower(trim(std::string_view(l).substr(6)));
    for (const auto& [name, ids] : steps) {
      if (step != name) continue;
      for (const auto& id : ids) {
        const ItemResult* item = find_item(audit_, id);
        if (item && item->status == Status::Met) return emit("- [x] " + l.substr(6) + " *(met: " + code(id) + ")*");
      }
    }
    emit(l);
  }

  // --- Coverage

  void coverage() {
    coverage_done_ = true;
    emit("## Coverage");
    emit("");
    coverage_body();
    emit("");
    emit("---");
    emit("");
  }

  void coverage_body() {
    const Coverage& c = audit_.coverage;
    emit("- **Files analysed**: " + std::to_string(c.analysed));
    emit("- **Files skipped**: " + std::to_string(c.skipped.size()));
    for (size_t k = 0; k < c.skipped.size(); ++k) {
      if (k == kSkippedRows) {
        emit("  - … and " + std::to_string(c.skipped.size() - k) + " more");
        break;
      }
      emit("  - " + code(c.skipped[k].first) + ": " + text(c.skipped[k].second));
    }
    emit("");
    std::string note = "This audit is static analysis: mlaudit read the repository's code, notebooks, dependency "
                       "manifests, configuration and CI files, and ran nothing.";
    if (audit_.relevance.relevant)
      note += " Items marked *not assessable* cannot be decided from the repository; each says what to ask.";
    emit(note);
  }

  // --- the short report for a workspace the audit does not apply to

  std::string not_relevant(std::string_view front, std::string_view body) {
    std::string title = "# AI/ML Infrastructure Audit";
    for (const auto& l : split_lines(body))
      if (starts_with(l, "# ")) {
        title = l;
        break;
      }
    emit(title);
    emit("");
    emit("## System Information");
    emit("");
    emit("- **System Name**: " + text(audit_.system_name));
    emit("- **Audit Date**: " + text(audit_.date));
    emit("- **Auditor**: mlaudit (static analysis)");
    emit("");
    emit("## Not an ML/LLM workspace");
    emit("");
    emit(audit_.relevance.reason.empty() ? "Nothing in the workspace matched the audit's relevance signals."
                                         : text(audit_.relevance.reason));
    emit("");
    emit("The AI/ML Infrastructure Audit does not apply, so no maturity score is given and no checklist is filled.");
    emit("");
    looked_for(front);
    emit("**Signals found**:" + std::string(audit_.relevance.signals.empty() ? " none" : ""));
    if (!audit_.relevance.signals.empty()) {
      emit("");
      for (const auto& s : audit_.relevance.signals) emit("- " + text(s));
    }
    emit("");
    emit("## Coverage");
    emit("");
    coverage_body();
    return out_;
  }

  // The template's `relevance:` front matter, as the list of what was looked for.
  void looked_for(std::string_view front) {
    if (front.empty()) return;
    YAML::Node relevance;
    try {
      relevance = YAML::Load(std::string(front))["relevance"];
    } catch (const std::exception&) {
      return;
    }
    if (!relevance || !relevance.IsMap()) return;
    emit("**Signals looked for** (the template's `relevance` settings, plus ML libraries in imports and dependencies):");
    emit("");
    auto list = [&](const char* key, const char* label) {
      const YAML::Node& node = relevance[key];
      if (!node || !node.IsSequence() || node.size() == 0) return;
      std::string values;
      for (const auto& v : node) values += (values.empty() ? "" : ", ") + code(v.as<std::string>(""));
      emit(std::string("- ") + label + ": " + values);
    };
    list("file-patterns", "File patterns");
    list("keywords", "Keywords");
    list("config-keys", "Configuration keys and dependencies");
    emit("");
  }

  const AuditResult& audit_;
  std::string out_;
  std::vector<std::string> lines_;
  size_t i_ = 0;
  std::string h2_, h4_;
  const AreaResult* area_ = nullptr;
  size_t checklist_index_ = 0;
  bool in_areas_ = false, extensions_done_ = false, coverage_done_ = false;
  bool level_line_pending_ = false, skip_blanks_ = false, skip_dashes_ = false;
};

}  // namespace

std::string render_markdown(const AuditResult& audit, std::string_view template_markdown) {
  return MarkdownRenderer(audit).render(template_markdown);
}

}  // namespace mlaudit::rubric
