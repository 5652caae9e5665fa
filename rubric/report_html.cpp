// The audit as one self-contained HTML page: inline CSS, an inline SVG radar chart, no scripts and
// no external resources, so it reads the same offline, attached to a CI run or mailed around.
// Every piece of text from the workspace goes through esc().
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "rubric/report.hpp"
#include "rubric/report_common.hpp"

namespace mlaudit::rubric {
namespace {

using namespace report;

constexpr size_t kEvidencePerItem = 5;
constexpr size_t kFindingRows = 1000;
constexpr size_t kModelRows = 200;

std::string esc(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

const char* kStyle = R"css(
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--soft:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--fg);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:32px 24px 48px}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:20px;margin:40px 0 8px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0 0 8px}
.sub{color:var(--muted);margin:0 0 24px}
.summary{display:grid;grid-template-columns:260px 1fr 240px;gap:24px;align-items:start;border:1px solid var(--line);border-radius:8px;padding:20px;background:var(--soft)}
.score .big{font-size:56px;font-weight:600;line-height:1}
.score .big span{font-size:22px;color:var(--muted);font-weight:400}
.score .desc{font-weight:600;margin:6px 0 10px}
.score p{margin:6px 0;color:var(--muted)}
.radar svg{width:100%;height:auto;max-height:380px}
.ext .bar{margin:8px 0 12px}
.ext .name{display:flex;justify-content:space-between;font-size:13px}
.ext .track{display:flex;gap:3px;margin-top:4px}
.ext .seg{flex:1;height:10px;border-radius:2px;background:#e1e4e8}
.ext .seg.on{background:var(--accent)}
.ext .na .seg.on{background:#afb8c1}
.note{font-size:12px;color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.st{white-space:nowrap;width:1%}
table.items{table-layout:fixed}
table.items th:nth-child(1){width:30%}
table.items th:nth-child(2){width:130px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:1px 4px;border-radius:4px;word-break:break-all}
.id{color:var(--muted);font-size:12px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.s-met{background:#dafbe1;color:#1a7f37}
.s-partial{background:#fff8c5;color:#9a6700}
.s-gap{background:#ffebe9;color:#cf222e}
.s-not-assessable{background:#eaeef2;color:#57606a}
.v-Critical{background:#82071e;color:#fff}
.v-High{background:#cf222e;color:#fff}
.v-Medium{background:#bc4c00;color:#fff}
.v-Low{background:#0969da;color:#fff}
.v-Info{background:#6e7781;color:#fff}
.lvl{background:#ddf4ff;color:#0550ae}
.lvl.na{background:#eaeef2;color:#57606a}
.meta{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:0 0 6px}
.meta .counts{color:var(--muted);font-size:12px}
.expl{margin:4px 0 8px}
ul.ev{margin:4px 0 0;padding-left:18px}
.ask{margin-top:4px;color:#0550ae}
dl.info{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.info dt{color:var(--muted)}
dl.info dd{margin:0}
.notice{border:1px solid var(--line);border-left:4px solid #bf8700;border-radius:6px;padding:16px 20px;background:#fff8c5}
footer{margin-top:40px;color:var(--muted);font-size:12px}
@media (max-width:900px){.summary{grid-template-columns:1fr}}
@media print{main{max-width:none;padding:0}.summary{break-inside:avoid}tr{break-inside:avoid}}
)css";

class HtmlRenderer {
 public:
  explicit HtmlRenderer(const AuditResult& audit) : audit_(audit) {}

  std::string render() {
    std::string name = audit_.system_name.empty() ? "workspace" : audit_.system_name;
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>AI/ML Infrastructure Audit — " << esc(name) << "</title>\n<style>" << kStyle
         << "</style>\n</head>\n<body>\n<main>\n";
    out_ << "<h1>AI/ML Infrastructure Audit</h1>\n<p class=\"sub\">" << esc(name);
    if (!audit_.date.empty()) out_ << " · " << esc(audit_.date);
    out_ << " · mlaudit (static analysis)</p>\n";
    if (!audit_.relevance.relevant) {
      not_relevant();
    } else {
      summary();
      system_info();
      areas_overview();
      for (const AreaResult* area : template_areas(audit_)) area_section(*area);
      for (const AreaResult* area : extension_areas(audit_)) area_section(*area);
      findings();
      technology();
      models();
    }
    coverage();
    out_ << "<footer>Generated by mlaudit from the repository alone (static analysis): nothing was run. "
            "Items marked not assessable need an answer from the team.</footer>\n";
    out_ << "</main>\n</body>\n</html>\n";
    return out_.str();
  }

 private:
  static std::string status_badge(Status status) {
    return std::string("<span class=\"badge s-") + status_id(status) + "\">" + status_label(status) + "</span>";
  }
  static std::string severity_badge(Severity severity) {
    return std::string("<span class=\"badge v-") + severity_name(severity) + "\">" + severity_name(severity) + "</span>";
  }
  static std::string level_badge(const AreaResult& area) {
    return std::string("<span class=\"badge lvl") + (area.assessable ? "" : " na") + "\">Level " +
           std::to_string(area.level) + (area.assessable ? "" : " · not assessable") + "</span>";
  }

  void not_relevant() {
    out_ << "<div class=\"notice\"><h3>Not an ML/LLM workspace</h3>\n<p>"
         << esc(audit_.relevance.reason.empty() ? "Nothing in the workspace matched the audit's relevance signals."
                                                : audit_.relevance.reason)
         << "</p>\n<p>The AI/ML Infrastructure Audit does not apply, so no maturity score is given.</p>\n";
    if (audit_.relevance.signals.empty()) {
      out_ << "<p class=\"note\">No relevance signal was found (ML libraries in imports or dependencies, the "
              "template's file patterns, keywords and configuration keys).</p>\n";
    } else {
      out_ << "<p>Signals found, not enough to make it one:</p>\n<ul>\n";
      for (const auto& s : audit_.relevance.signals) out_ << "<li><code>" << esc(s) << "</code></li>\n";
      out_ << "</ul>\n";
    }
    out_ << "</div>\n";
  }

  void summary() {
    out_ << "<section class=\"summary\">\n<div class=\"score\">\n<h3>Overall AI/ML maturity</h3>\n";
    if (audit_.overall) {
      out_ << "<div class=\"big\">" << *audit_.overall << "<span> / 5</span></div>\n<div class=\"desc\">"
           << esc(level_description(*audit_.overall)) << "</div>\n";
    } else {
      out_ << "<div class=\"big\">–<span> / 5</span></div>\n<div class=\"desc\">Not assessable</div>\n";
    }
    if (!audit_.overall_rule.empty()) out_ << "<p>" << esc(audit_.overall_rule) << "</p>\n";
    auto worst = most_severe(audit_);
    out_ << "<p>Most severe: " << (worst ? severity_badge(*worst) : std::string("none")) << "</p>\n</div>\n";
    out_ << "<div class=\"radar\">" << radar() << "</div>\n";
    out_ << "<div class=\"ext\">\n<h3>Beside the score</h3>\n";
    auto ext = extension_areas(audit_);
    if (ext.empty()) out_ << "<p class=\"note\">No extension area.</p>\n";
    for (const AreaResult* area : ext) {
      out_ << "<div class=\"bar" << (area->assessable ? "" : " na") << "\"><div class=\"name\"><span>"
           << esc(area->title) << "</span><span>" << (area->assessable ? "Level " : "n/a · ") << area->level
           << "</span></div><div class=\"track\">";
      for (int n = 1; n <= 5; ++n) out_ << "<span class=\"seg" << (n <= area->level ? " on" : "") << "\"></span>";
      out_ << "</div></div>\n";
    }
    out_ << "<p class=\"note\">Extension areas (beyond the template) are shown beside the overall score, not inside "
            "it. Dashed radar axes are not assessable from the repository.</p>\n</div>\n</section>\n";
  }

  // The template areas as axes 0..5; not-assessable axes dashed and grey, their point at the centre.
  std::string radar() {
    auto areas = template_areas(audit_);
    const double cx = 230, cy = 190, r = 130, pi = std::acos(-1.0);
    const size_t n = areas.size();
    std::ostringstream svg;
    svg << "<svg viewBox=\"0 0 460 380\" role=\"img\" aria-label=\"Maturity level per area, 0 to 5\">\n";
    if (n == 0) {
      svg << "<text x=\"230\" y=\"190\" text-anchor=\"middle\" fill=\"#656d76\">No areas</text></svg>";
      return svg.str();
    }
    auto point = [&](size_t k, double radius) {
      double a = -pi / 2 + 2 * pi * static_cast<double>(k) / static_cast<double>(n);
      return std::pair<double, double>{cx + radius * std::cos(a), cy + radius * std::sin(a)};
    };
    for (int ring = 1; ring <= 5; ++ring) {
      svg << "<polygon fill=\"none\" stroke=\"#d0d7de\" stroke-width=\"1\" points=\"";
      for (size_t k = 0; k < n; ++k) {
        auto [x, y] = point(k, r * ring / 5);
        svg << num(x) << "," << num(y) << " ";
      }
      svg << "\"/>\n";
      auto [lx, ly] = point(0, r * ring / 5);
      svg << "<text x=\"" << num(lx + 4) << "\" y=\"" << num(ly + 4) << "\" font-size=\"10\" fill=\"#8c959f\">" << ring
          << "</text>\n";
    }
    for (size_t k = 0; k < n; ++k) {
      auto [x, y] = point(k, r);
      bool ok = areas[k]->assessable;
      svg << "<line x1=\"" << num(cx) << "\" y1=\"" << num(cy) << "\" x2=\"" << num(x) << "\" y2=\"" << num(y)
          << "\" stroke=\"" << (ok ? "#8c959f" : "#c5ccd3") << "\" stroke-width=\"1\""
          << (ok ? "" : " stroke-dasharray=\"4 4\"") << "/>\n";
    }
    svg << "<polygon fill=\"#0969da\" fill-opacity=\"0.22\" stroke=\"#0969da\" stroke-width=\"2\" "
           "stroke-linejoin=\"round\" points=\"";
    for (size_t k = 0; k < n; ++k) {
      auto [x, y] = point(k, areas[k]->assessable ? r * std::clamp(areas[k]->level, 0, 5) / 5 : 0);
      svg << num(x) << "," << num(y) << " ";
    }
    svg << "\"/>\n";
    for (size_t k = 0; k < n; ++k) {
      if (!areas[k]->assessable) continue;
      auto [x, y] = point(k, r * std::clamp(areas[k]->level, 0, 5) / 5);
      svg << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"3.5\" fill=\"#0969da\"/>\n";
    }
    for (size_t k = 0; k < n; ++k) {
      const AreaResult& area = *areas[k];
      auto [x, y] = point(k, r + 16);
      double dx = x - cx;
      const char* anchor = dx > 10 ? "start" : dx < -10 ? "end" : "middle";
      double base = y < cy - r ? y - 10 : y > cy + r ? y + 6 : y - 2;
      const char* colour = area.assessable ? "#1f2328" : "#8c959f";
      svg << "<text x=\"" << num(x) << "\" y=\"" << num(base) << "\" text-anchor=\"" << anchor
          << "\" font-size=\"12\" fill=\"" << colour << "\">" << esc(short_name(area)) << "</text>\n";
      svg << "<text x=\"" << num(x) << "\" y=\"" << num(base + 14) << "\" text-anchor=\"" << anchor
          << "\" font-size=\"11\" fill=\"" << (area.assessable ? "#0550ae" : "#8c959f") << "\">"
          << (area.assessable ? "Level " + std::to_string(area.level) : std::string("not assessable")) << "</text>\n";
    }
    svg << "</svg>";
    return svg.str();
  }

  void system_info() {
    out_ << "<h2>System information</h2>\n<dl class=\"info\">\n";
    auto row = [&](const char* key, const std::string& value) {
      out_ << "<dt>" << key << "</dt><dd>" << (value.empty() ? "<span class=\"note\">unknown</span>" : esc(value))
           << "</dd>\n";
    };
    row("System name", audit_.system_name);
    row("Audit date", audit_.date);
    row("Auditor", "mlaudit (static analysis)");
    row("AI/ML use cases", use_cases(audit_));
    row("Primary ML framework", primary_framework(audit_));
    row("Current state", current_state_sentence(audit_));
    out_ << "</dl>\n";
  }

  static std::string anchor(const AreaResult& area) { return "area-" + esc(area.id); }

  void areas_overview() {
    out_ << "<h2>Areas</h2>\n<table>\n<thead><tr><th>Area</th><th>Level</th><th>Met</th><th>Partial</th><th>Gap</th>"
            "<th>Not assessable</th></tr></thead>\n<tbody>\n";
    auto row = [&](const AreaResult& area) {
      Counts c = count(area);
      out_ << "<tr><td><a href=\"#" << anchor(area) << "\">" << section_of(audit_, area) << ". " << esc(area.title)
           << "</a>" << (area.extension ? " <span class=\"note\">(extension)</span>" : "") << "</td><td class=\"st\">"
           << level_badge(area) << "</td><td>" << c.met << "</td><td>" << c.partial << "</td><td>" << c.gap
           << "</td><td>" << c.not_assessable << "</td></tr>\n";
    };
    for (const AreaResult* area : template_areas(audit_)) row(*area);
    for (const AreaResult* area : extension_areas(audit_)) row(*area);
    out_ << "</tbody>\n</table>\n";
  }

  void area_section(const AreaResult& area) {
    Counts c = count(area);
    out_ << "<section id=\"" << anchor(area) << "\">\n<h2>" << section_of(audit_, area) << ". " << esc(area.title)
         << "</h2>\n<div class=\"meta\">" << level_badge(area) << "<span class=\"counts\">" << c.met << " met · "
         << c.partial << " partial · " << c.gap << " gap · " << c.not_assessable << " not assessable</span>";
    if (area.extension) out_ << "<span class=\"note\">extension area: beside, not inside, the overall score</span>";
    out_ << "</div>\n";
    std::string body = explanation_body(area);
    if (!body.empty()) out_ << "<p class=\"expl\">" << esc(body) << "</p>\n";
    out_ << "<table class=\"items\">\n<thead><tr><th>Item</th><th>Status</th><th>Why, and the evidence</th></tr></thead>\n<tbody>\n";
    for (const auto& item : area.items) {
      out_ << "<tr><td>" << esc(item.title.empty() ? item.id : item.title) << "<br><span class=\"id\">"
           << esc(item.id) << "</span></td><td class=\"st\">" << status_badge(item.status);
      if (item.status == Status::Gap) out_ << "<br>" << severity_badge(item.severity);
      out_ << "</td><td>" << esc(item.reason);
      if (item.status == Status::Gap) {
        if (auto blocks = blocked_level(area, item)) out_ << " <span class=\"note\">Blocks level " << *blocks << ".</span>";
      }
      if (!item.evidence.empty()) {
        out_ << "<ul class=\"ev\">";
        for (size_t k = 0; k < item.evidence.size(); ++k) {
          if (k == kEvidencePerItem) {
            out_ << "<li>… and " << item.evidence.size() - k << " more</li>";
            break;
          }
          const Evidence& e = item.evidence[k];
          out_ << "<li><code>" << esc(location(e)) << "</code>";
          if (!e.detail.empty()) out_ << ' ' << esc(e.detail);
          out_ << "</li>";
        }
        out_ << "</ul>";
      }
      if (!item.question.empty()) out_ << "<div class=\"ask\">Ask: " << esc(item.question) << "</div>";
      if (!item.remediation.empty() && item.status != Status::Met)
        out_ << "<div class=\"note\">Remediation: "
             << (item.remediation_url.empty() ? "<code>" + esc(item.remediation) + "</code>"
                                              : "<a href=\"" + esc(item.remediation_url) + "\"><code>" + esc(item.remediation) + "</code></a>")
             << "</div>";
      out_ << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n</section>\n";
  }

  void findings() {
    out_ << "<h2>Findings</h2>\n";
    if (audit_.findings.empty()) {
      out_ << "<p class=\"note\">No per-file findings.</p>\n";
      return;
    }
    out_ << "<table>\n<thead><tr><th>Severity</th><th>Location</th><th>Rule</th><th>Checklist item</th>"
            "<th>Message</th></tr></thead>\n<tbody>\n";
    for (size_t k = 0; k < audit_.findings.size(); ++k) {
      if (k == kFindingRows) {
        out_ << "<tr><td colspan=\"5\">… and " << audit_.findings.size() - k
             << " more (<code>mlaudit check</code> lists them all)</td></tr>\n";
        break;
      }
      const LocatedFinding& f = audit_.findings[k];
      std::string where = location(f.path, f.line, f.cell);
      if (f.line > 0 && f.column > 0) where.append(":").append(std::to_string(f.column));
      out_ << "<tr><td class=\"st\">" << severity_badge(f.finding.severity) << "</td><td><code>" << esc(where)
           << "</code></td><td><code>" << esc(f.finding.rule) << "</code></td><td><span class=\"id\">"
           << esc(f.finding.checklist_id) << "</span></td><td>" << esc(f.finding.message) << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n";
  }

  void technology() {
    if (audit_.technology.empty()) return;
    out_ << "<h2>Current technology</h2>\n<table>\n<thead><tr><th>Component</th><th>Technology</th><th>Version</th>"
            "<th>Seen at</th></tr></thead>\n<tbody>\n";
    for (const auto& t : audit_.technology) {
      out_ << "<tr><td>" << esc(t.component) << "</td><td>" << esc(t.name) << "</td><td>" << esc(t.version)
           << "</td><td>" << (t.source.empty() ? "" : "<code>" + esc(t.source) + "</code>") << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n";
  }

  void models() {
    if (audit_.models.empty()) return;
    out_ << "<h2>Model inventory</h2>\n<table>\n<thead><tr><th>Model</th><th>Use</th><th>Where</th></tr></thead>\n"
            "<tbody>\n";
    for (size_t k = 0; k < audit_.models.size(); ++k) {
      if (k == kModelRows) {
        out_ << "<tr><td colspan=\"3\">… and " << audit_.models.size() - k << " more</td></tr>\n";
        break;
      }
      const ModelUse& m = audit_.models[k];
      out_ << "<tr><td><code>" << esc(m.name) << "</code></td><td>" << esc(m.what) << "</td><td><code>"
           << esc(location(m.path, m.line, m.cell)) << "</code></td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n";
  }

  void coverage() {
    const Coverage& c = audit_.coverage;
    out_ << "<h2>Coverage</h2>\n<p>" << c.analysed << " files analysed, " << c.skipped.size() << " skipped.</p>\n";
    if (!c.skipped.empty()) {
      out_ << "<details" << (c.skipped.size() <= 10 ? " open" : "") << "><summary>Skipped files</summary>\n<table>\n"
           << "<thead><tr><th>Path</th><th>Why</th></tr></thead>\n<tbody>\n";
      for (const auto& [path, why] : c.skipped)
        out_ << "<tr><td><code>" << esc(path) << "</code></td><td>" << esc(why) << "</td></tr>\n";
      out_ << "</tbody>\n</table>\n</details>\n";
    }
  }

  const AuditResult& audit_;
  std::ostringstream out_;
};

}  // namespace

std::string render_html(const AuditResult& audit) { return HtmlRenderer(audit).render(); }

}  // namespace mlaudit::rubric
