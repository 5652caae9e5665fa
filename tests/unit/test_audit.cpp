// The workspace audit: rubric/items.yaml against the fixed checklist ids and the template, then
// rubric::compute_audit on in-memory workspaces and on the fixture workspaces tests/fixtures/audit-*.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "index/crawler.hpp"
#include "rubric/audit.hpp"
#include "rubric/audit_rubric.hpp"
#include "support/embedded.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;
using Files = std::map<std::string, std::string>;
using rubric::Status;

const rubric::AuditRubric& items() {
  static const auto loaded = rubric::load_audit_rubric(*test::the_rubric());
  return *loaded;
}

std::string embedded_text(std::string_view path) {
  for (const auto& resource : embedded::all())
    if (resource.path == path) return std::string(resource.content);
  FAIL("not embedded: " << path);
  return "";
}

rubric::LocatedFinding located(const rubric::Finding& f, const std::string& relative) {
  rubric::LocatedFinding l;
  l.finding = f;
  l.path = relative;
  l.line = f.range.start.line + 1;
  l.column = f.range.start.column + 1;
  l.end_line = f.range.end.line + 1;
  l.end_column = f.range.end.column + 1;
  return l;
}

// The audit of in-memory files (relative path -> text) plus files that only exist (`present`).
rubric::AuditResult audit_memory(const Files& files, const std::vector<std::string>& present = {}) {
  auto ws = test::build_workspace(files, present);
  rubric::AuditInput input;
  input.root = ws.root;
  for (const auto& [relative, facts] : ws.files) {
    input.files.push_back(std::make_shared<const facts::FileFacts>(facts));
    input.present.push_back(ws.absolute(relative));
  }
  for (const auto& p : present) input.present.push_back(ws.absolute(p));
  input.conclusions = ws.model->conclusions();
  for (const auto& [relative, found] : ws.findings)
    for (const auto& f : found) input.findings.push_back(located(f, relative));
  return rubric::compute_audit(input, *test::the_rubric(), items());
}

// The audit of a fixture folder, loaded from disk as `mlaudit audit` loads it.
rubric::AuditResult audit_fixture(const std::string& name) {
  auto ws = index::load_workspace(std::string(MLAUDIT_TEST_FIXTURES) + "/" + name, {});
  rubric::WorkspaceModel model(test::the_rubric(), {ws.root});
  for (const auto& p : ws.present) model.add_present(p);
  for (const auto& f : ws.analysed) model.update(*f);
  rubric::AuditInput input;
  input.root = ws.root;
  input.files = ws.analysed;
  input.present = ws.present;
  input.conclusions = model.conclusions();
  for (const auto& f : ws.analysed)
    for (const auto& finding : rubric::check_file(*f, *test::the_rubric(), *input.conclusions))
      input.findings.push_back(located(finding, f->path.substr(ws.root.size() + 1)));
  return rubric::compute_audit(input, *test::the_rubric(), items());
}

const rubric::AreaResult& area(const rubric::AuditResult& audit, const std::string& id) {
  for (const auto& a : audit.areas)
    if (a.id == id) return a;
  FAIL("no area " << id);
  throw std::logic_error("unreachable");
}

const rubric::ItemResult& item(const rubric::AuditResult& audit, const std::string& id) {
  const auto& a = area(audit, id.substr(0, id.find('.')));
  for (const auto& i : a.items)
    if (i.id == id) return i;
  FAIL("no item " << id);
  throw std::logic_error("unreachable");
}

Status status(const rubric::AuditResult& audit, const std::string& id) { return item(audit, id).status; }

uint32_t line_of(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return static_cast<uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1);
}

// The overall score is the lowest level of the assessed template areas; extensions never count.
void check_overall_rule(const rubric::AuditResult& audit) {
  std::optional<int> lowest;
  for (const auto& a : audit.areas)
    if (!a.extension && a.assessable) lowest = std::min(lowest.value_or(5), a.level);
  CHECK(audit.overall == lowest);
}

// Every area's explanation names the next rung and each of its unmet requirements.
void check_explanations(const rubric::AuditResult& audit) {
  for (const auto& spec : items().areas) {
    const auto& a = area(audit, spec.id);
    CAPTURE(a.id);
    CAPTURE(a.explanation);
    const rubric::LevelSpec* next = nullptr;
    for (const auto& level : spec.levels)
      if (level.level == a.level + 1) next = &level;
    if (!next) {
      CHECK(a.explanation.find("every requirement") != std::string::npos);
      continue;
    }
    CHECK(a.explanation.rfind("Level " + std::to_string(a.level) + ": Level " + std::to_string(next->level) + " needs ", 0) == 0);
    for (const auto& id : next->required)
      if (status(audit, id) != Status::Met) CHECK(a.explanation.find(item(audit, id).title) != std::string::npos);
    for (const auto& id : next->partial_ok)
      if (status(audit, id) != Status::Met && status(audit, id) != Status::Partial)
        CHECK(a.explanation.find(item(audit, id).title) != std::string::npos);
  }
}

// A research training script: PyTorch, a DataLoader, no tracker, no seed, saves a checkpoint.
const std::string kTrain =
    "import torch\n"
    "from torch.utils.data import DataLoader\n"
    "\n"
    "from data import dataset\n"
    "from model import Net\n"
    "\n"
    "\n"
    "def main():\n"
    "    model = Net()\n"
    "    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)\n"
    "    for x, y in DataLoader(dataset(), batch_size=64, shuffle=True):\n"
    "        loss = torch.nn.functional.cross_entropy(model(x), y)\n"
    "        optimizer.zero_grad()\n"
    "        loss.backward()\n"
    "        optimizer.step()\n"
    "    torch.save(model.state_dict(), \"model.pt\")\n"
    "\n"
    "\n"
    "if __name__ == \"__main__\":\n"
    "    main()\n";
const std::string kModel = "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n";
const std::vector<std::string> kResearchPresent = {".gitignore", "notebooks/explore.ipynb"};

Files research_files() {
  return {{"train.py", kTrain}, {"model.py", kModel}, {"requirements.txt", "torch>=2.1\nnumpy\n"}};
}

// The same repository with `import mlflow` added and the requirements pinned.
Files tracked_files() {
  std::string train = kTrain;
  train.insert(train.find("from torch.utils.data"), "import mlflow\n");
  return {{"train.py", train}, {"model.py", kModel}, {"requirements.txt", "torch==2.3.1\nnumpy==1.26.4\n"}};
}

const std::string kLlmApp =
    "from openai import OpenAI\n"
    "\n"
    "client = OpenAI()\n"
    "\n"
    "\n"
    "def ask(question):\n"
    "    response = client.chat.completions.create(model=\"gpt-4o\", messages=[{\"role\": \"user\", \"content\": question}])\n"
    "    return response.choices[0].message.content\n";

}  // namespace

// ---------------------------------------------------------------------------------------------
// (a) rubric/items.yaml itself

TEST_CASE("items.yaml: loads, and lists exactly the checklist ids of shared/checklist-ids.yaml in order") {
  namespace fs = std::filesystem;
  fs::path ids_file = fs::path(MLAUDIT_TEST_FIXTURES) / ".." / ".." / ".." / "shared" / "checklist-ids.yaml";
  if (!fs::exists(ids_file))
    FAIL("checklist ids not found at " << ids_file.lexically_normal().string()
                                       << ": the shared/ folder must sit beside the repository clone");
  YAML::Node ids = YAML::LoadFile(ids_file.string());

  struct Expected {
    std::string id;
    bool extension;
    std::vector<std::string> items;
  };
  std::vector<Expected> expected;
  for (const char* group : {"areas", "extensions"})
    for (const auto& kv : ids[group]) {
      Expected e{kv.first.as<std::string>(), std::string(group) == "extensions", {}};
      for (const auto& id : kv.second) e.items.push_back(id.as<std::string>());
      expected.push_back(std::move(e));
    }
  REQUIRE(expected.size() == 10);

  const auto& rubric = items();
  REQUIRE(rubric.areas.size() == expected.size());
  for (size_t a = 0; a < expected.size(); ++a) {
    const auto& spec = rubric.areas[a];
    CAPTURE(spec.id);
    CHECK(spec.id == expected[a].id);
    CHECK(spec.extension == expected[a].extension);
    CHECK(spec.section == static_cast<int>(a + 1));
    std::vector<std::string> got;
    for (const auto& i : spec.items) got.push_back(i.id);
    CHECK(got == expected[a].items);
  }
}

TEST_CASE("items.yaml: area and item titles are the template's headings and checkbox labels") {
  const std::string tmpl = embedded_text("template/ai-ml-infrastructure-audit.md");
  for (const auto& spec : items().areas) {
    CAPTURE(spec.id);
    CHECK_FALSE(spec.title.empty());
    for (const auto& i : spec.items) CHECK_FALSE(i.title.empty());
    if (spec.extension) continue;
    std::string heading = "### " + std::to_string(spec.section) + ". " + spec.title + "\n";
    size_t at = tmpl.find(heading);
    REQUIRE_MESSAGE(at != std::string::npos, "template heading not found: " << heading);
    size_t end = tmpl.find("\n### ", at + heading.size());
    std::string section = tmpl.substr(at, end == std::string::npos ? std::string::npos : end - at);
    // The checkbox labels, in order: "- [ ] **Label**..." inside the area's Checklist.
    std::vector<std::string> labels;
    for (size_t pos = section.find("- [ ] **"); pos != std::string::npos; pos = section.find("- [ ] **", pos + 1)) {
      size_t start = pos + 8;
      labels.push_back(section.substr(start, section.find("**", start) - start));
    }
    std::vector<std::string> titles;
    for (const auto& i : spec.items) titles.push_back(i.title);
    CHECK(titles == labels);
  }
}

TEST_CASE("items.yaml: remediation pages exist, every rule is linked from its checklist item") {
  std::set<std::string> embedded_paths;
  for (const auto& r : embedded::all()) embedded_paths.insert(std::string(r.path));
  size_t pages = 0;
  for (const auto& spec : items().areas)
    for (const auto& i : spec.items) {
      if (i.remediation.empty()) continue;
      CAPTURE(i.id);
      CHECK(embedded_paths.count(i.remediation) == 1);
      ++pages;
    }
  CHECK(pages == 90);  // every item has its own page (test_guides.cpp checks their content)
  // Each rule's own checklist id (rules.yaml `checklist:`) is an item that names the rule.
  for (const auto& rule : test::the_rubric()->rules) {
    CAPTURE(rule.id);
    const rubric::ItemSpec* linked = items().item(rule.checklist);
    REQUIRE(linked != nullptr);
    CHECK(std::find(linked->rules.begin(), linked->rules.end(), rule.id) != linked->rules.end());
    CHECK(linked->remediation == "remediation/items/" + rule.checklist + ".md");
    if (linked->rule == rule.id)  // the item's first rule gives its gap's severity
      CHECK(linked->severity == rule.severity);  // the gap a rule makes is as severe as the rule
  }
}

TEST_CASE("items.yaml: absence is at most a Medium gap; questions; ladders; team never assessed") {
  for (const auto& spec : items().areas) {
    CAPTURE(spec.id);
    for (const auto& i : spec.items) {
      CAPTURE(i.id);
      if (i.absent == rubric::Absent::Gap)
        CHECK((i.severity == rubric::Severity::Medium || i.severity == rubric::Severity::Low ||
               i.severity == rubric::Severity::Info));
      if (i.absent == rubric::Absent::NotAssessable) CHECK_FALSE(i.question.empty());
      if (i.absent == rubric::Absent::Met) CHECK((!i.rule.empty() || !i.partial.empty()));
      if (!i.applies_when.empty()) CHECK_FALSE(i.not_applicable.empty());
    }
    // Rungs 2..5, each asking for something (monitoring's level 2 is the template's "No
    // monitoring": it asks for nothing beyond the area being assessable).
    std::vector<int> rungs;
    for (const auto& level : spec.levels) {
      rungs.push_back(level.level);
      CHECK_FALSE(level.description.empty());
      if (!(spec.id == "monitoring" && level.level == 2)) CHECK((!level.required.empty() || !level.partial_ok.empty()));
    }
    CHECK(rungs == std::vector<int>{2, 3, 4, 5});
  }
  // Team & Skills: fewer than half its items can ever have evidence, so it is never assessed.
  for (const auto& spec : items().areas) {
    if (spec.id != "team") continue;
    size_t with_evidence = std::count_if(spec.items.begin(), spec.items.end(), [](const rubric::ItemSpec& i) {
      return !i.met.empty() || !i.partial.empty() || i.absent != rubric::Absent::NotAssessable;
    });
    CHECK(with_evidence * 2 < spec.items.size());
  }
}

// ---------------------------------------------------------------------------------------------
// (b) the engine on in-memory workspaces

TEST_CASE("items.yaml: the one set of every file glob answers as each glob alone does") {
  // Each workspace path is matched against one RE2::Set of all the items' globs; a set that
  // anchored differently, or ids mixed up between items, would change which files count.
  const auto& rubric = items();
  REQUIRE(rubric.file_glob_set != nullptr);
  REQUIRE(rubric.file_glob_patterns.size() > 50);
  const std::vector<std::string> paths = {
      "Dockerfile", "docker/Dockerfile", "Dockerfile.dev", ".github/workflows/ci.yml", ".github/workflows/deploy-prod.yaml",
      "models/model_card.md", "MODEL_CARD.md", "docs/model_cards/bert.md", "requirements.txt", "requirements/dev.txt",
      "requirements-dev.txt", "src/requirements.txt.bak", "test_train_model.py", "tests/test_model_predict.py",
      "dvc.yaml", "data/raw.dvc", ".dvc/config", "k8s/api-hpa.yaml", "deploy/canary-rollout.yml", "notebooks/eda.ipynb",
      "prompts/system.txt", "src/app/prompts/a/b.j2", "infra/main.tf", "main.tf.json", ".env", ".env.example", "weights.pt",
      "model.safetensors", "src/train.py", "README.md", "x/y/z/very/deep/path/name_with_things.py", "", "a b/c d.yml"};
  std::vector<int> ids;
  size_t hits = 0;
  for (const auto& path : paths) {
    rubric.matching_file_globs(path, ids);
    std::set<int> from_set(ids.begin(), ids.end());
    std::set<int> one_by_one;
    for (size_t id = 0; id < rubric.file_glob_patterns.size(); ++id)
      if (RE2::FullMatch(path, *rubric.file_glob_patterns[id])) one_by_one.insert(static_cast<int>(id));
    CHECK_MESSAGE(from_set == one_by_one, path);
    hits += one_by_one.size();
  }
  CHECK(hits > 20);
  // Every glob of every item has an id, and the id's pattern is that glob's.
  for (const auto& area : rubric.areas)
    for (const auto& item : area.items)
      for (const auto* spec : {&item.met, &item.partial, &item.applies_when}) {
        REQUIRE(spec->file_glob_ids.size() == spec->file_globs.size());
        for (size_t g = 0; g < spec->file_globs.size(); ++g)
          CHECK(rubric.file_glob_patterns.at(spec->file_glob_ids[g])->pattern() == rubric::glob_to_regex(spec->file_globs[g]));
      }
}

TEST_CASE("audit: a research repository (training, no tracking, unpinned torch) scores low") {
  Files files = research_files();
  auto audit = audit_memory(files, kResearchPresent);
  REQUIRE(audit.relevance.relevant);
  REQUIRE(audit.areas.size() == 10);

  const auto& tracking = item(audit, "infrastructure.experiment-tracking");
  CHECK(tracking.status == Status::Gap);
  CHECK(tracking.severity == rubric::Severity::Medium);
  CHECK(tracking.remediation == "remediation/items/infrastructure.experiment-tracking.md");
  REQUIRE(tracking.evidence.size() == 1);
  CHECK(tracking.evidence[0].detail == "no-experiment-tracking");
  CHECK(tracking.evidence[0].path == "train.py");
  CHECK(tracking.evidence[0].line == line_of(files["train.py"], "loss.backward()"));
  CHECK(tracking.reason.find("no-experiment-tracking") != std::string::npos);

  const auto& env = item(audit, "infrastructure.reproducible-environments");
  CHECK(env.status == Status::Gap);
  REQUIRE(env.evidence.size() == 1);
  CHECK(env.evidence[0].detail == "unpinned-dependency");
  CHECK(env.evidence[0].path == "requirements.txt");
  CHECK(env.evidence[0].line == 1u);

  CHECK(status(audit, "development.reproducible-training") == Status::Gap);  // seed-not-set
  CHECK(status(audit, "infrastructure.training-infrastructure") == Status::Partial);  // local training only
  CHECK(status(audit, "infrastructure.version-control") == Status::Met);     // .gitignore
  CHECK(status(audit, "infrastructure.dev-environments") == Status::Met);    // a notebook
  CHECK(status(audit, "deployment.model-registry") == Status::Gap);          // torch.save, no registry
  CHECK(status(audit, "mlops.ci-cd") == Status::Gap);

  const auto& infra = area(audit, "infrastructure");
  CHECK(infra.assessable);
  CHECK(infra.level == 2);
  CHECK(infra.explanation == "Level 2: Level 3 needs Experiment tracking (a gap) and Reproducible environments (a gap).");
  CHECK(area(audit, "mlops").level == 1);
  // Nothing is served: deployment and monitoring cannot be judged from this code.
  CHECK_FALSE(area(audit, "deployment").assessable);
  CHECK_FALSE(area(audit, "monitoring").assessable);
  CHECK(item(audit, "monitoring.latency-monitoring").reason == "no model is served from this workspace");
  REQUIRE(audit.overall.has_value());
  CHECK(*audit.overall == 1);
  check_overall_rule(audit);
  check_explanations(audit);
}

TEST_CASE("audit: importing mlflow and pinning torch flips those items to met and the level rises") {
  auto before = audit_memory(research_files(), kResearchPresent);
  auto after = audit_memory(tracked_files(), kResearchPresent);

  const auto& tracking = item(after, "infrastructure.experiment-tracking");
  CHECK(tracking.status == Status::Met);
  REQUIRE_FALSE(tracking.evidence.empty());
  CHECK(tracking.evidence[0].detail == "import mlflow");
  CHECK(tracking.evidence[0].path == "train.py");
  CHECK(tracking.evidence[0].line == 2u);
  const auto& env = item(after, "infrastructure.reproducible-environments");
  CHECK(env.status == Status::Met);
  REQUIRE_FALSE(env.evidence.empty());
  CHECK(env.evidence[0].detail == "requirement torch");
  CHECK(status(after, "security.supply-chain") == Status::Partial);  // pinned, but no lock file

  CHECK(area(before, "infrastructure").level == 2);
  CHECK(area(after, "infrastructure").level == 3);
  CHECK(area(after, "infrastructure").explanation.rfind("Level 3: Level 4 needs Training infrastructure (partial)", 0) == 0);
  // Nothing else got worse, and the overall score still follows the weakest area.
  for (size_t a = 0; a < before.areas.size(); ++a) CHECK(after.areas[a].level >= before.areas[a].level);
  REQUIRE(after.overall.has_value());
  CHECK(*after.overall >= *before.overall);
  check_overall_rule(after);
  check_explanations(after);
}

TEST_CASE("audit: the overall score is the weakest assessed template area; extensions do not count") {
  Files files = tracked_files();
  files["config.py"] = "OPENAI_API_KEY = \"sk-proj-4fJ9xQ2LmZ7vB1nR8tY3wK6pD0sH5gCe\"\n";
  auto audit = audit_memory(files, {".gitignore", "notebooks/explore.ipynb", "Makefile"});
  CHECK(status(audit, "security.secrets") == Status::Gap);
  CHECK(status(audit, "mlops.ci-cd") == Status::Partial);  // a Makefile: local automation only
  const auto& security = area(audit, "security");
  CHECK(security.extension);
  CHECK(security.assessable);
  CHECK(security.level == 1);
  REQUIRE(audit.overall.has_value());
  CHECK(*audit.overall == 2);  // development, data and MLOps are at level 2; security's 1 is beside it
  CHECK(*audit.overall > security.level);
  check_overall_rule(audit);
  CHECK(audit.overall_rule.find("extension areas") != std::string::npos);
  check_explanations(audit);
}

TEST_CASE("audit: a workspace that is not ML code gets no areas and no score") {
  auto audit = audit_memory({{"app.py", "import json\n\nprint(json.dumps({'ok': True}))\n"},
                             {"requirements.txt", "requests==2.32.3\n"}},
                            {".github/workflows/ci.yml", "Dockerfile"});
  CHECK_FALSE(audit.relevance.relevant);
  CHECK(audit.areas.empty());
  CHECK_FALSE(audit.overall.has_value());
  CHECK(audit.technology.empty());
  CHECK(audit.models.empty());
}

TEST_CASE("audit: the LLM items are assessable in an LLM application, not in a research repository") {
  auto app = audit_memory({{"app.py", kLlmApp}});
  REQUIRE(app.relevance.relevant);
  const auto& llm = area(app, "llm");
  CHECK(llm.extension);
  CHECK(llm.assessable);
  for (const auto& i : llm.items) {
    CAPTURE(i.id);
    CHECK(i.reason != "no LLM client or framework is used");
  }
  CHECK(status(app, "llm.prompt-management") == Status::Gap);
  CHECK(status(app, "llm.evaluation") == Status::Gap);
  CHECK(item(app, "llm.evaluation").severity == rubric::Severity::Medium);
  CHECK(status(app, "llm.tracing") == Status::Gap);
  CHECK(status(app, "llm.guardrails") == Status::Gap);
  // "gpt-4o" is an alias, not a dated snapshot: llm-model-alias makes the item a gap.
  CHECK(status(app, "llm.model-pinning") == Status::Gap);
  CHECK(area(app, "llm").level == 1);
  // Training-centred areas do not apply to an application calling a hosted model.
  CHECK_FALSE(area(app, "development").assessable);
  CHECK_FALSE(area(app, "infrastructure").assessable);
  CHECK(item(app, "development.hyperparameter-tuning").reason == "no training code in this workspace");

  Files pinned = {{"app.py", kLlmApp}, {"prompts/answer.md", "Answer: {question}\n"}};
  pinned["app.py"].replace(pinned["app.py"].find("\"gpt-4o\""), 8, "\"gpt-4o-2024-08-06\"");
  pinned["app.py"].insert(0, "from langsmith import traceable\n");
  auto better = audit_memory(pinned);
  CHECK(status(better, "llm.model-pinning") == Status::Met);
  CHECK(status(better, "llm.prompt-management") == Status::Met);
  CHECK(status(better, "llm.tracing") == Status::Met);
  CHECK(area(better, "llm").level == 3);  // level 4 also needs evaluation
  CHECK(area(better, "llm").explanation.rfind("Level 3: Level 4 needs LLM evaluation (a gap)", 0) == 0);

  // A Hugging Face text-generation pipeline is an LLM too.
  auto hf = audit_memory({{"gen.py", "from transformers import pipeline\n\ngen = pipeline(task=\"text-generation\", model=\"gpt2\")\n"}});
  CHECK(area(hf, "llm").assessable);

  auto research = audit_memory(research_files(), kResearchPresent);
  const auto& none = area(research, "llm");
  CHECK_FALSE(none.assessable);
  for (const auto& i : none.items) {
    CAPTURE(i.id);
    CHECK(i.status == Status::NotAssessable);
    CHECK(i.reason == "no LLM client or framework is used");
  }
  check_overall_rule(app);
  check_explanations(app);
}

TEST_CASE("audit: Team & Skills is not assessable, and says what to ask") {
  for (const auto& audit : {audit_memory(research_files(), kResearchPresent), audit_memory({{"app.py", kLlmApp}})}) {
    const auto& team = area(audit, "team");
    CHECK_FALSE(team.assessable);
    CHECK_FALSE(team.extension);
    for (const auto& i : team.items) {
      CAPTURE(i.id);
      CHECK(i.status == Status::NotAssessable);
      CHECK_FALSE(i.question.empty());
    }
    CHECK(team.explanation == "Level 1: Level 2 needs Data scientists (not assessable).");
  }
}

TEST_CASE("audit: negative security items are met without findings, gaps with them") {
  auto clean = audit_memory(tracked_files(), kResearchPresent);
  CHECK(status(clean, "security.unsafe-deserialization") == Status::Met);
  CHECK(status(clean, "security.remote-code") == Status::Met);
  CHECK(status(clean, "security.secrets") == Status::Met);
  CHECK(status(clean, "security.model-artifacts") == Status::Met);

  Files risky = tracked_files();
  risky["load.py"] =
      "import torch\n"
      "from transformers import AutoModel\n"
      "\n"
      "state = torch.load(\"model.pt\")\n"
      "model = AutoModel.from_pretrained(\"org/model\", trust_remote_code=True)\n";
  auto audit = audit_memory(risky, {".gitignore", "notebooks/explore.ipynb", "weights/model.pkl", ".env"});
  const auto& deser = item(audit, "security.unsafe-deserialization");
  CHECK(deser.status == Status::Gap);
  REQUIRE(deser.evidence.size() == 1);
  CHECK(deser.evidence[0].path == "load.py");
  CHECK(deser.evidence[0].line == 4u);
  CHECK(status(audit, "security.remote-code") == Status::Gap);
  CHECK(status(audit, "security.secrets") == Status::Partial);          // a committed .env file
  CHECK(status(audit, "security.model-artifacts") == Status::Partial);  // a committed pickle
  CHECK(area(audit, "security").level == 1);
}

TEST_CASE("audit: technology and model inventory rows") {
  auto audit = audit_memory(tracked_files(), kResearchPresent);
  auto row = std::find_if(audit.technology.begin(), audit.technology.end(),
                          [](const rubric::Technology& t) { return t.name == "PyTorch"; });
  REQUIRE(row != audit.technology.end());
  CHECK(row->component == "ML Framework");
  CHECK(row->version == "2.3.1");
  CHECK(row->source == "requirements.txt:1");
  CHECK(std::any_of(audit.technology.begin(), audit.technology.end(),
                    [](const rubric::Technology& t) { return t.component == "Experiment Tracking" && t.name == "MLflow"; }));
  auto saved = std::find_if(audit.models.begin(), audit.models.end(), [](const rubric::ModelUse& m) { return m.what == "saved"; });
  REQUIRE(saved != audit.models.end());
  CHECK(saved->path == "train.py");
  CHECK(saved->name == "model.pt");  // the call's first string argument
}

// ---------------------------------------------------------------------------------------------
// (c) fixture workspaces on disk

TEST_CASE("audit fixtures: research, production and LLM application are told apart") {
  auto research = audit_fixture("audit-research");
  auto production = audit_fixture("audit-production");
  auto llm_app = audit_fixture("audit-llm-app");
  for (const auto* audit : {&research, &production, &llm_app}) {
    REQUIRE(audit->relevance.relevant);
    REQUIRE(audit->areas.size() == 10);
    check_overall_rule(*audit);
    check_explanations(*audit);
    CHECK_FALSE(area(*audit, "team").assessable);
  }

  SUBCASE("research: the gaps of a course project") {
    CHECK(status(research, "infrastructure.experiment-tracking") == Status::Gap);
    CHECK(status(research, "infrastructure.reproducible-environments") == Status::Gap);
    CHECK(status(research, "development.reproducible-training") == Status::Gap);
    CHECK(status(research, "data.split-strategy-documented") == Status::Gap);
    CHECK(status(research, "security.unsafe-deserialization") == Status::Gap);  // torch.load of --resume
    CHECK(status(research, "infrastructure.gpu-tpu") == Status::Partial);          // torch.cuda.is_available
    CHECK(status(research, "infrastructure.dev-environments") == Status::Met);     // the notebook
    CHECK(status(research, "mlops.ci-cd") == Status::Gap);
    CHECK(status(research, "mlops.model-tests") == Status::Gap);
    CHECK_FALSE(area(research, "llm").assessable);
    CHECK(area(research, "infrastructure").level == 2);
    REQUIRE(research.overall.has_value());
    CHECK(*research.overall == 1);
  }

  SUBCASE("production: pipeline, registry, serving, monitoring") {
    CHECK(production.findings.empty());
    CHECK(status(production, "infrastructure.experiment-tracking") == Status::Met);
    CHECK(status(production, "infrastructure.reproducible-environments") == Status::Met);
    CHECK(status(production, "development.hyperparameter-tuning") == Status::Met);
    CHECK(status(production, "development.baseline-models") == Status::Met);
    CHECK(status(production, "data.data-versioning") == Status::Met);
    CHECK(status(production, "data.feature-engineering-pipeline") == Status::Met);
    CHECK(status(production, "deployment.deployment-method") == Status::Met);
    CHECK(status(production, "deployment.serving-framework") == Status::Partial);  // a hand-rolled FastAPI service
    CHECK(status(production, "deployment.model-registry") == Status::Met);
    CHECK(status(production, "deployment.model-versioning") == Status::Met);
    CHECK(status(production, "mlops.ci-cd") == Status::Met);
    CHECK(status(production, "mlops.model-tests") == Status::Met);
    CHECK(status(production, "mlops.model-validation") == Status::Met);
    CHECK(status(production, "mlops.pipeline-orchestration") == Status::Met);
    CHECK(status(production, "mlops.automated-deployment") == Status::Met);  // deploy.yml: kubectl set image
    CHECK(status(production, "monitoring.latency-monitoring") == Status::Met);
    CHECK(status(production, "monitoring.performance-monitoring") == Status::Met);
    CHECK(status(production, "monitoring.degradation-alerts") == Status::Met);
    CHECK(status(production, "governance.lineage") == Status::Met);
    // MODEL_CARD.md covers intended use, training data, evaluation and limitations (analyzers/docs)
    CHECK(status(production, "governance.model-documentation") == Status::Met);
    CHECK(area(production, "security").level == 5);
    CHECK_FALSE(area(production, "llm").assessable);
    REQUIRE(production.overall.has_value());
    CHECK(*production.overall == 3);
  }

  SUBCASE("production scores higher than research where it matters") {
    for (const char* id : {"mlops", "deployment", "monitoring", "infrastructure", "development", "data"}) {
      CAPTURE(id);
      CHECK(area(production, id).level > area(research, id).level);
    }
    CHECK(area(production, "mlops").assessable);
    CHECK(area(production, "deployment").assessable);
    CHECK(area(production, "monitoring").assessable);
    CHECK(area(production, "mlops").level == 4);
    CHECK(area(production, "deployment").level == 4);
    CHECK(area(production, "monitoring").level == 4);
    CHECK(*production.overall > *research.overall);
  }

  SUBCASE("LLM application: the LLM area is assessed") {
    CHECK(llm_app.findings.empty());
    const auto& llm = area(llm_app, "llm");
    CHECK(llm.assessable);
    CHECK(status(llm_app, "llm.model-pinning") == Status::Met);
    CHECK(status(llm_app, "llm.prompt-management") == Status::Met);
    CHECK(status(llm_app, "llm.evaluation") == Status::Met);
    CHECK(status(llm_app, "llm.tracing") == Status::Met);
    CHECK(status(llm_app, "llm.guardrails") == Status::Met);
    CHECK(status(llm_app, "llm.output-handling") == Status::Partial);
    CHECK(status(llm_app, "llm.resilience") == Status::Partial);
    CHECK(llm.level == 4);
    CHECK(area(research, "llm").level < llm.level);
    // No training here: the training-centred areas are not assessed.
    CHECK_FALSE(area(llm_app, "development").assessable);
    CHECK_FALSE(area(llm_app, "infrastructure").assessable);
    CHECK(area(llm_app, "monitoring").assessable);
  }
}
