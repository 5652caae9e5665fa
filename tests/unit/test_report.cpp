// rubric/report_*.cpp: the audit rendered as the filled template (Markdown), as JSON and as HTML,
// from an AuditResult built by hand (the engine is tested elsewhere).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "rubric/audit.hpp"
#include "rubric/report.hpp"
#include "support/embedded.hpp"

namespace {

using namespace mlaudit::rubric;

std::string_view the_template() {
  for (const auto& resource : mlaudit::embedded::all())
    if (resource.path == "template/ai-ml-infrastructure-audit.md") return resource.content;
  FAIL("the template is not embedded");
  return {};
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    out.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

size_t occurrences(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// shared/checklist-ids.yaml, in its order, with the template's bold label of each item.
struct AreaSpec {
  const char* id;
  const char* title;
  int section;
  std::vector<std::pair<const char*, const char*>> items;  // id, label
};

const std::vector<AreaSpec>& area_specs() {
  static const std::vector<AreaSpec> specs = {
      {"infrastructure", "ML Infrastructure & Compute", 1,
       {{"infrastructure.training-infrastructure", "Training infrastructure"},
        {"infrastructure.gpu-tpu", "GPU/TPU availability"},
        {"infrastructure.distributed-training", "Distributed training"},
        {"infrastructure.automl", "AutoML"},
        {"infrastructure.experiment-tracking", "Experiment tracking"},
        {"infrastructure.compute-autoscaling", "Compute autoscaling"},
        {"infrastructure.spot-instances", "Spot/preemptible instances"},
        {"infrastructure.dev-environments", "Development environments"},
        {"infrastructure.version-control", "Version control"},
        {"infrastructure.reproducible-environments", "Reproducible environments"}}},
      {"development", "Model Development & Training", 2,
       {{"development.ml-frameworks", "ML frameworks"},
        {"development.framework-version-current", "Framework version"},
        {"development.hyperparameter-tuning", "Hyperparameter tuning"},
        {"development.cross-validation", "Cross-validation"},
        {"development.evaluation-metrics", "Model evaluation metrics"},
        {"development.baseline-models", "Baseline models"},
        {"development.interpretability", "Model interpretability"},
        {"development.bias-detection", "Bias detection"},
        {"development.model-documentation", "Model documentation"},
        {"development.reproducible-training", "Reproducible training"}}},
      {"data", "Data Pipeline & Feature Engineering", 3,
       {{"data.pipeline-automated", "Data pipeline"},
        {"data.feature-store", "Feature store"},
        {"data.data-versioning", "Data versioning"},
        {"data.quality-checks", "Data quality checks"},
        {"data.feature-engineering-pipeline", "Feature engineering"},
        {"data.preprocessing-reproducible", "Data preprocessing"},
        {"data.split-strategy-documented", "Train/test split"},
        {"data.drift-detection", "Data drift detection"},
        {"data.label-quality-monitoring", "Label quality"},
        {"data.synthetic-data", "Synthetic data"}}},
      {"deployment", "Model Deployment & Serving", 4,
       {{"deployment.deployment-method", "Deployment method"},
        {"deployment.serving-framework", "Model serving framework"},
        {"deployment.model-registry", "Model registry"},
        {"deployment.model-versioning", "Model versioning"},
        {"deployment.ab-testing", "A/B testing"},
        {"deployment.canary", "Canary deployments"},
        {"deployment.shadow-mode", "Shadow mode"},
        {"deployment.rollback", "Model rollback"},
        {"deployment.inference-latency", "Inference latency"},
        {"deployment.inference-autoscaling", "Auto-scaling"}}},
      {"mlops", "MLOps & CI/CD/CT", 5,
       {{"mlops.ci-cd", "CI/CD for ML"},
        {"mlops.continuous-training", "Continuous Training"},
        {"mlops.automatic-retraining", "Model retraining"},
        {"mlops.model-tests", "Automated testing"},
        {"mlops.model-validation", "Model validation"},
        {"mlops.pipeline-orchestration", "Pipeline orchestration"},
        {"mlops.experiment-tracking-integrated", "Experiment tracking"},
        {"mlops.automated-deployment", "Automated deployment"},
        {"mlops.infrastructure-as-code", "Infrastructure as Code"},
        {"mlops.gitops", "GitOps"}}},
      {"monitoring", "Model Monitoring & Observability", 6,
       {{"monitoring.prediction-logging", "Prediction logging"},
        {"monitoring.performance-monitoring", "Model performance monitoring"},
        {"monitoring.latency-monitoring", "Inference latency"},
        {"monitoring.data-drift-detection", "Data drift detection"},
        {"monitoring.concept-drift-detection", "Concept drift detection"},
        {"monitoring.feature-importance-tracking", "Feature importance"},
        {"monitoring.outlier-detection", "Outlier detection"},
        {"monitoring.degradation-alerts", "Model degradation alerts"},
        {"monitoring.explainability", "Explainability"},
        {"monitoring.business-metrics", "Business metrics"}}},
      {"governance", "Model Governance & Compliance", 7,
       {{"governance.registry-metadata", "Model registry"},
        {"governance.approval-process", "Model approval process"},
        {"governance.model-documentation", "Model documentation"},
        {"governance.bias-fairness", "Bias and fairness"},
        {"governance.regulatory-compliance", "Regulatory compliance"},
        {"governance.lineage", "Model lineage"},
        {"governance.reproducibility-docs", "Reproducibility"},
        {"governance.right-to-explanation", "Right to explanation"},
        {"governance.audit-trail", "Model audit trail"},
        {"governance.data-privacy", "Data privacy"}}},
      {"team", "Team & Skills", 8,
       {{"team.data-scientists", "Data scientists"},
        {"team.ml-engineers", "ML engineers"},
        {"team.mlops-engineers", "MLOps engineers"},
        {"team.domain-experts", "Domain experts"},
        {"team.production-skills", "Skills in production ML"},
        {"team.knowledge-sharing", "Knowledge sharing"},
        {"team.training-program", "Training program"},
        {"team.cross-functional", "Cross-functional collaboration"}}},
      {"security", "Security & Supply Chain", 9,
       {{"security.unsafe-deserialization", "Safe model deserialization"},
        {"security.remote-code", "No remote code from models"},
        {"security.secrets", "No secrets in the repository"},
        {"security.supply-chain", "Pinned supply chain"},
        {"security.model-artifacts", "Safe model artifacts"}}},
      {"llm", "LLM Applications", 10,
       {{"llm.model-pinning", "Model snapshots pinned"},
        {"llm.prompt-management", "Prompt management"},
        {"llm.evaluation", "LLM evaluation"},
        {"llm.tracing", "LLM tracing"},
        {"llm.output-handling", "Output handling"},
        {"llm.resilience", "Client resilience"},
        {"llm.guardrails", "Guardrails"}}},
  };
  return specs;
}

const Status kCycle[] = {Status::Met, Status::Partial, Status::Gap, Status::NotAssessable};
const int kLevels[] = {3, 2, 2, 1, 2, 1, 2, 1, 2, 3};

// An audit with every area and item, statuses cycling met/partial/gap/not-assessable (team all
// not-assessable), evidence on met and partial items, and per-file findings with hostile text.
AuditResult sample_audit() {
  AuditResult audit;
  audit.root = "/ws/fraud-model";
  audit.system_name = "fraud-model";
  audit.date = "2024-05-17";
  audit.relevance.relevant = true;
  audit.relevance.reason = "ML libraries are imported (torch, sklearn).";
  audit.relevance.signals = {"train.py: import torch", "requirements.txt: requirement scikit-learn"};
  size_t a = 0;
  for (const auto& spec : area_specs()) {
    AreaResult area;
    area.id = spec.id;
    area.title = spec.title;
    area.section = spec.section;
    area.extension = spec.section > 8;
    area.assessable = area.id != "team";
    area.level = kLevels[a];
    area.explanation = "Level " + std::to_string(area.level) + ": Level " + std::to_string(area.level + 1) +
                       " needs the gaps below closed.";
    if (area.id == "development")  // the engine's wording (rubric/audit.cpp)
      area.explanation = "Level 2: Level 3 needs Framework version (a gap) and Hyperparameter tuning (not assessable).";
    size_t k = 0;
    for (const auto& [id, label] : spec.items) {
      ItemResult item;
      item.id = id;
      item.title = label;
      item.status = area.id == "team" ? Status::NotAssessable : kCycle[(k + a) % 4];
      item.reason = std::string("Reason for ") + id + ".";
      if (item.status == Status::Met || item.status == Status::Partial) {
        item.evidence.push_back({"src/train.py", 12 + static_cast<uint32_t>(k), std::nullopt, "import mlflow"});
        item.evidence.push_back({"MLproject", std::nullopt, std::nullopt, "file MLproject"});
      }
      if (item.status == Status::NotAssessable) item.question = std::string("Who owns ") + label + "?";
      if (item.status == Status::Gap) {
        if (id == "development.framework-version-current") item.blocks_level = 3;  // as the explanation says
        item.severity = k % 2 ? Severity::Medium : Severity::High;
        item.remediation = "remediation/seed-not-set.md";
      }
      area.items.push_back(std::move(item));
      ++k;
    }
    audit.areas.push_back(std::move(area));
    ++a;
  }
  audit.overall = 2;
  audit.overall_rule = "The median of the assessable template areas' levels, rounded down.";

  LocatedFinding pipe;
  pipe.finding = {"unsafe-deserialization", "security.unsafe-deserialization", Severity::Critical,
                  "torch.load(path) | pickle runs <script>alert(1)</script> code", "models/load.py", {},
                  "file:///src/rubric/remediation/unsafe-deserialization.md"};
  pipe.path = "models/load.py";
  pipe.line = 7, pipe.column = 5, pipe.end_line = 7, pipe.end_column = 21;
  LocatedFinding seed;
  seed.finding = {"seed-not-set", "development.reproducible-training", Severity::Medium,
                  "Training runs without a seed", "src/train.py", {}, "file:///src/rubric/remediation/seed-not-set.md"};
  seed.path = "src/train.py";
  seed.line = 30, seed.column = 1, seed.end_line = 30, seed.end_column = 12;
  audit.findings = {pipe, seed};

  audit.technology = {{"ML Framework", "PyTorch", "2.1.0", "requirements.txt:2"},
                      {"ML Framework", "scikit-learn", "", "requirements.txt:3"},
                      {"Experiment Tracking", "MLflow", "2.9.2", "src/train.py:3"},
                      {"LLM Client", "OpenAI", "", "app/chat.py:1"}};
  audit.models = {{"trained", "RandomForestClassifier", "src/train.py", 40},
                  {"loaded", "bert-base-uncased", "app/serve.py", 9}};
  audit.coverage.analysed = 42;
  audit.coverage.skipped = {{"data/big.csv", "larger than 10 MB"}, {"weights.bin", "binary"}};
  return audit;
}

// The lines of `markdown` from the heading that starts with `heading` to the next "---" line.
std::vector<std::string> section(const std::string& markdown, const std::string& heading) {
  std::vector<std::string> out;
  bool in = false;
  for (const auto& l : lines_of(markdown)) {
    if (!in && starts_with(l, heading)) in = true;
    else if (in && l == "---") break;
    if (in) out.push_back(l);
  }
  return out;
}

// The rows of the first table under the "#### <name>" heading in `lines`.
std::vector<std::string> table_under(const std::vector<std::string>& lines, const std::string& name) {
  std::vector<std::string> out;
  bool after = false;
  for (const auto& l : lines) {
    if (l == "#### " + name) after = true;
    else if (after && starts_with(l, "|")) out.push_back(l);
    else if (after && !out.empty()) break;
  }
  return out;
}

// "[2] / 5" and "[ ] / 5" both become "[] / 5".
std::string without_brackets(std::string_view text) {
  std::string out;
  bool inside = false;
  for (char c : text) {
    if (c == ']') inside = false;
    if (!inside) out += c;
    if (c == '[') inside = true;
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("report: the template's checklist order is shared/checklist-ids.yaml's order") {
  std::vector<std::string> lines = lines_of(the_template());
  for (const auto& spec : area_specs()) {
    if (spec.section > 8) continue;
    std::vector<std::string> labels;
    bool in = false;
    for (const auto& l : lines) {
      if (starts_with(l, "### " + std::to_string(spec.section) + ". ")) in = true;
      else if (in && (starts_with(l, "### ") || starts_with(l, "## "))) break;
      else if (in && starts_with(l, "- [ ] **")) labels.push_back(l.substr(8, l.find("**", 8) - 8));
    }
    CAPTURE(spec.id);
    REQUIRE(labels.size() == spec.items.size());
    for (size_t k = 0; k < labels.size(); ++k) CHECK(labels[k] == spec.items[k].second);
  }
}

TEST_CASE("report: Markdown keeps every template heading, in order") {
  std::string md = render_markdown(sample_audit(), the_template());
  std::vector<std::string> out = lines_of(md);
  size_t at = 0;
  for (const auto& l : lines_of(the_template())) {
    if (!starts_with(l, "#")) continue;
    CAPTURE(l);
    // Verbatim, except for the blanks the report fills ("[ ] / 5" -> "[2] / 5") and a marker
    // appended to the recommendation that applies.
    while (at < out.size() && !starts_with(without_brackets(out[at]), without_brackets(l))) ++at;
    REQUIRE(at < out.size());
    ++at;
  }
  CHECK(md.find("severity-scale") == std::string::npos);  // the front matter is configuration
  CHECK(md.find("<!-- analysis: static -->") != std::string::npos);
  // The extension areas come after area 8 and before the recommendations; coverage is there too.
  size_t team = md.find("### 8. Team & Skills"), security = md.find("### 9. Security & Supply Chain"),
         llm = md.find("### 10. LLM Applications"), recommendations = md.find("## Recommendations by Maturity Level");
  CHECK(team < security);
  CHECK(security < llm);
  CHECK(llm < recommendations);
  CHECK(md.find("## Coverage") != std::string::npos);
  CHECK(md.find("beside, not inside, the overall score") != std::string::npos);
}

TEST_CASE("report: Markdown fills system information, summary and scores") {
  std::string md = render_markdown(sample_audit(), the_template());
  CHECK(md.find("- **System Name**: fraud-model\n") != std::string::npos);
  CHECK(md.find("- **Audit Date**: 2024-05-17\n") != std::string::npos);
  CHECK(md.find("- **Auditor**: mlaudit (static analysis)\n") != std::string::npos);
  CHECK(md.find("- **Primary ML Framework**: PyTorch 2.1.0\n") != std::string::npos);
  CHECK(md.find("**Overall AI/ML Maturity Score**: [2] / 5") != std::string::npos);
  CHECK(md.find("### Current Maturity Score: [2] / 5") != std::string::npos);
  CHECK(md.find("The median of the assessable template areas") != std::string::npos);
  // The most severe finding is Critical.
  CHECK(md.find("- Priority Level: [x] Critical [ ] High [ ] Medium [ ] Low") != std::string::npos);
  CHECK(md.find("- Current State: Level 2 of 5 (Ad-hoc ML experiments)") != std::string::npos);
  CHECK(md.find("- ML Infrastructure & Compute: level 3 — Level 4 needs the gaps below closed.") != std::string::npos);
  CHECK(md.find("- Model Development & Training: level 2 — Level 3 needs Framework version (a gap) and") !=
        std::string::npos);
  CHECK(md.find("### From Level 2 to Level 3 (Productionize ML) ← you are here") != std::string::npos);
  CHECK(occurrences(md, "← you are here") == 1);
  CHECK(md.find("**Last Updated**: 2024-05-17") != std::string::npos);
  // Current Technology: the template's rows filled, extras appended.
  CHECK(md.find("| ML Framework | PyTorch | 2.1.0 | Detected | `requirements.txt:2` |") != std::string::npos);
  CHECK(md.find("| ML Framework | scikit-learn |") != std::string::npos);
  CHECK(md.find("| Experiment Tracking | MLflow | 2.9.2 |") != std::string::npos);
  CHECK(md.find("| LLM Client | OpenAI |") != std::string::npos);
  CHECK(md.find("| Training Infrastructure | | | | |") != std::string::npos);  // unknown stays empty
  // Model Inventory and Monitoring Metrics.
  CHECK(md.find("| `RandomForestClassifier` |") != std::string::npos);
  CHECK(md.find("loaded at `app/serve.py:9`") != std::string::npos);
  CHECK(md.find("| Model Accuracy | | | |") != std::string::npos);
  // Coverage.
  CHECK(md.find("- **Files analysed**: 42") != std::string::npos);
  CHECK(md.find("`data/big.csv`: larger than 10 MB") != std::string::npos);
}

TEST_CASE("report: Markdown Current State boxes and checklist boxes follow the audit") {
  AuditResult audit = sample_audit();
  std::string md = render_markdown(audit, the_template());
  for (const auto& area : audit.areas) {
    CAPTURE(area.id);
    auto lines = section(md, "### " + std::to_string(area.section) + ". " + area.title);
    REQUIRE(!lines.empty());
    // Exactly one ticked level, the area's.
    size_t states = 0;
    for (const auto& l : lines) {
      if (!starts_with(l, "**Current State**:")) continue;
      ++states;
      CHECK(occurrences(l, "[x]") == 1);
      CHECK(l.find("[x] Level " + std::to_string(area.level)) != std::string::npos);
    }
    CHECK(states == 1);
    // The checklist: one box per item, in order, ticked by status; sub-bullets say why.
    std::vector<std::string> boxes;
    for (const auto& l : lines)
      if (starts_with(l, "- [")) boxes.push_back(l);
    REQUIRE(boxes.size() == area.items.size());
    for (size_t k = 0; k < boxes.size(); ++k) {
      const ItemResult& item = area.items[k];
      CAPTURE(item.id);
      const char* expected = item.status == Status::Met ? "- [x] **" : item.status == Status::Partial ? "- [~] **" : "- [ ] **";
      CHECK(starts_with(boxes[k], expected));
      CHECK(boxes[k].find("**" + item.title) != std::string::npos);
    }
    std::string text = joined(lines);
    for (const auto& item : area.items) {
      CHECK(text.find(item.reason) != std::string::npos);
      if (item.status == Status::NotAssessable) CHECK(text.find("  - Ask: " + item.question) != std::string::npos);
    }
    CHECK(text.find("*Level " + std::to_string(area.level)) != std::string::npos);
    if (area.id == "team") CHECK(text.find("not assessable statically") != std::string::npos);
  }
  // The template's line text is kept after the box.
  CHECK(md.find("**Experiment tracking**: MLflow / Weights & Biases / Neptune / Other: ______") != std::string::npos);
  CHECK(md.find("  - Evidence: `src/train.py:12` — import mlflow") != std::string::npos);
  CHECK(md.find("  - Evidence: `MLproject` — file MLproject") != std::string::npos);
}

TEST_CASE("report: Markdown Findings tables hold each area's gaps and per-file findings") {
  AuditResult audit = sample_audit();
  std::string md = render_markdown(audit, the_template());
  for (const auto& area : audit.areas) {
    CAPTURE(area.id);
    auto rows = table_under(section(md, "### " + std::to_string(area.section) + ". " + area.title), "Findings");
    REQUIRE(rows.size() >= 3);
    CHECK(starts_with(rows[0], "| Finding | Severity | Impact | Current Level | Recommended Level |"));
    std::string table = joined(rows);
    size_t gaps = 0;
    for (const auto& item : area.items) {
      if (item.status != Status::Gap) continue;
      ++gaps;
      CHECK(table.find("| **" + item.title + "**: " + item.reason + " | " + severity_name(item.severity) + " |") !=
            std::string::npos);
    }
    if (gaps) CHECK(table.find("`remediation/seed-not-set.md`") != std::string::npos);
    if (area.id == "security") {
      // '|' escaped in the cell, '<' never raw HTML.
      CHECK(table.find("torch.load(path) \\| pickle runs &lt;script>") != std::string::npos);
      CHECK(table.find("`models/load.py:7`") != std::string::npos);
      CHECK(table.find("`remediation/unsafe-deserialization.md`") != std::string::npos);
    }
    if (area.id == "development") {
      CHECK(table.find("Training runs without a seed") != std::string::npos);
      // The engine's explanation names the gaps the next level needs: the Impact says so.
      CHECK(table.find("| **Framework version**: Reason for development.framework-version-current. | Medium | "
                       "blocks level 3; see `remediation/seed-not-set.md` | Level 2 | Level 3 |") != std::string::npos);
      CHECK(table.find("| **Baseline models**: Reason for development.baseline-models. | Medium | "
                       "see `remediation/seed-not-set.md` | Level 2 | Level 3 |") != std::string::npos);
    }
    if (area.id == "team") CHECK(table.find("No gaps found") != std::string::npos);
  }
  CHECK(md.find("<script>") == std::string::npos);
}

TEST_CASE("report: JSON has the documented shape") {
  AuditResult audit = sample_audit();
  auto j = nlohmann::json::parse(render_json(audit));
  CHECK(j["schema"] == "mlaudit-audit/1");
  CHECK(j["relevant"] == true);
  CHECK(j["relevance"]["reason"].is_string());
  CHECK(j["relevance"]["signals"].size() == 2);
  CHECK(j["overall"]["level"] == 2);
  CHECK(j["overall"]["rule"].is_string());
  CHECK(j["system"]["name"] == "fraud-model");
  CHECK(j["system"]["date"] == "2024-05-17");
  const std::set<std::string> statuses = {"met", "partial", "gap", "not-assessable"};
  const std::set<std::string> severities = {"Critical", "High", "Medium", "Low", "Info"};
  REQUIRE(j["areas"].size() == area_specs().size());
  for (size_t a = 0; a < area_specs().size(); ++a) {
    const auto& spec = area_specs()[a];
    const auto& area = j["areas"][a];
    CAPTURE(spec.id);
    CHECK(area["id"] == spec.id);
    CHECK(area["title"] == spec.title);
    CHECK(area["level"].is_number_integer());
    CHECK(area["assessable"].is_boolean());
    CHECK(area["explanation"].is_string());
    CHECK(area["extension"] == (spec.section > 8));
    REQUIRE(area["items"].size() == spec.items.size());
    for (size_t k = 0; k < spec.items.size(); ++k) {
      const auto& item = area["items"][k];
      CHECK(item["id"] == spec.items[k].first);
      CHECK(item["title"] == spec.items[k].second);
      CHECK(statuses.count(item["status"].get<std::string>()) == 1);
      CHECK(item["reason"].is_string());
      CHECK(item["evidence"].is_array());
      for (const auto& e : item["evidence"]) {
        CHECK(e["path"].is_string());
        CHECK(e["detail"].is_string());
        if (e.contains("line")) CHECK(e["line"].is_number_unsigned());
      }
      bool gap = item["status"] == "gap";
      CHECK(item.contains("severity") == gap);
      if (gap) CHECK(severities.count(item["severity"].get<std::string>()) == 1);
      CHECK(item.contains("question") == (item["status"] == "not-assessable"));
    }
  }
  REQUIRE(j["findings"].size() == 2);
  const auto& f = j["findings"][0];
  for (const char* key : {"rule", "checklistId", "severity", "message", "path", "line", "column", "endLine", "endColumn"})
    CHECK(f.contains(key));
  CHECK(f["checklistId"] == "security.unsafe-deserialization");
  CHECK(f["severity"] == "Critical");
  CHECK(f["line"] == 7);
  CHECK(f["endColumn"] == 21);
  CHECK(f["message"].get<std::string>().find("<script>") != std::string::npos);  // JSON carries text as is
  CHECK(j["technology"].size() == 4);
  CHECK(j["technology"][1].contains("version") == false);
  CHECK(j["models"][0]["line"] == 40);
  CHECK(j["coverage"]["analysed"] == 42);
  CHECK(j["coverage"]["skipped"][0]["path"] == "data/big.csv");
  CHECK(j["coverage"]["skipped"][0]["why"] == "larger than 10 MB");
}

TEST_CASE("report: JSON survives invalid UTF-8 and has a null level when nothing is assessable") {
  AuditResult audit = sample_audit();
  audit.overall.reset();
  audit.findings[1].finding.message = "bad \xff\xfe bytes";
  std::string text = render_json(audit);
  auto j = nlohmann::json::parse(text);
  CHECK(j["overall"]["level"].is_null());
  CHECK(j["findings"][1]["message"].get<std::string>().find("bad ") == 0);
  CHECK(text.find("\n  \"relevant\": true,") != std::string::npos);  // two-space indent
}

TEST_CASE("report: HTML is one self-contained, escaped page") {
  std::string html = render_html(sample_audit());
  CHECK(starts_with(html, "<!DOCTYPE html>"));
  CHECK(occurrences(html, "<svg") == 1);
  CHECK(occurrences(html, "</svg>") == 1);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  // Areas, statuses, the score, the not-assessable axis, coverage.
  for (const auto& spec : area_specs()) {
    std::string title;
    for (const char* c = spec.title; *c; ++c) title += *c == '&' ? std::string("&amp;") : std::string(1, *c);
    CHECK(html.find(title) != std::string::npos);
  }
  CHECK(html.find("class=\"badge s-met\"") != std::string::npos);
  CHECK(html.find("class=\"badge s-not-assessable\"") != std::string::npos);
  CHECK(html.find("stroke-dasharray") != std::string::npos);
  CHECK(html.find("LLM Applications") != std::string::npos);
  CHECK(html.find("42 files analysed, 2 skipped") != std::string::npos);
  // Tags balance for the elements the page opens.
  for (const char* tag : {"table", "section", "tr", "td", "ul", "li", "div", "p"}) {
    CAPTURE(tag);
    CHECK(occurrences(html, std::string("<") + tag + ">") + occurrences(html, std::string("<") + tag + " ") ==
          occurrences(html, std::string("</") + tag + ">"));
  }
}

TEST_CASE("report: a workspace that is not ML/LLM code gets the short report") {
  AuditResult audit;
  audit.system_name = "todo-app";
  audit.date = "2024-05-17";
  audit.relevance.relevant = false;
  audit.relevance.reason = "No ML library, model file or LLM client was found.";
  audit.coverage.analysed = 7;
  std::string md = render_markdown(audit, the_template());
  CHECK(md.find("Not an ML/LLM workspace") != std::string::npos);
  CHECK(md.find("No ML library, model file or LLM client was found.") != std::string::npos);
  CHECK(md.find("`**/ml/**`") != std::string::npos);   // the template's relevance signals
  CHECK(md.find("`langchain`") != std::string::npos);
  CHECK(md.find("Maturity Score") == std::string::npos);
  CHECK(md.find("Current State") == std::string::npos);
  CHECK(md.find("- **Files analysed**: 7") != std::string::npos);

  auto j = nlohmann::json::parse(render_json(audit));
  CHECK(j["relevant"] == false);
  CHECK(j["overall"]["level"].is_null());
  CHECK(j["areas"].empty());
  CHECK(j["relevance"]["reason"] == audit.relevance.reason);

  std::string html = render_html(audit);
  CHECK(starts_with(html, "<!DOCTYPE html>"));
  CHECK(html.find("Not an ML/LLM workspace") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
}

// Writes the sample audit in every format when MLAUDIT_REPORT_SAMPLES names a directory.
TEST_CASE("report: samples") {
  const char* dir = std::getenv("MLAUDIT_REPORT_SAMPLES");
  if (!dir) return;
  AuditResult audit = sample_audit();
  std::ofstream(std::string(dir) + "/report-sample.md") << render_markdown(audit, the_template());
  std::ofstream(std::string(dir) + "/report-sample.json") << render_json(audit);
  std::ofstream(std::string(dir) + "/report-sample.html") << render_html(audit);
  AuditResult other;
  other.system_name = "todo-app";
  other.date = "2024-05-17";
  other.relevance.reason = "No ML library, model file or LLM client was found.";
  other.coverage.analysed = 7;
  std::ofstream(std::string(dir) + "/report-not-relevant.md") << render_markdown(other, the_template());
  std::ofstream(std::string(dir) + "/report-not-relevant.html") << render_html(other);
}
