// Configuration files (analyzers/config.cpp): YAML and JSON keys with their lines, the bounds
// that make hostile files cheap (alias bombs, deep nesting), errors as skip reasons, and what
// the keys feed: config-keys evidence in the audit and package.json dependencies in relevance.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "analyzers/config.hpp"
#include "rubric/audit.hpp"
#include "rubric/audit_rubric.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;

const facts::ConfigKey* key_of(const facts::FileFacts& f, const std::string& key) {
  for (const auto& k : f.config)
    if (k.key == key) return &k;
  return nullptr;
}

const std::string kWorkflow =
    "name: CI\n"                       // 0
    "on:\n"                            // 1
    "  push:\n"                        // 2
    "    branches: [main]\n"           // 3
    "  schedule:\n"                    // 4
    "    - cron: '0 3 * * 1'\n"        // 5
    "jobs:\n"                          // 6
    "  test:\n"                        // 7
    "    runs-on: ubuntu-latest\n"     // 8
    "    steps:\n"                     // 9
    "      - uses: actions/checkout@v4\n"  // 10
    "      - uses: actions/setup-python@v5\n"  // 11
    "        with:\n"                  // 12
    "          python-version: '3.11'\n"  // 13
    "      - run: pytest\n";           // 14

const std::string kPackageJson =
    "{\n"                                   // 0
    "  \"name\": \"chat-app\",\n"           // 1
    "  \"version\": \"1.0.0\",\n"           // 2
    "  \"private\": true,\n"                // 3
    "  \"workers\": 4,\n"                   // 4
    "  \"files\": [\"dist\",\n"             // 5
    "            \"lib\"],\n"               // 6
    "  \"dependencies\": {\n"               // 7
    "    \"@langchain/core\": \"^0.3.0\",\n"  // 8
    "    \"express\": \"^4.19.2\"\n"        // 9
    "  },\n"                                // 10
    "  \"devDependencies\": {\"typescript\": \"^5.4.0\"}\n"  // 11
    "}\n";

// 9 levels of 9 aliases: 9^9 (387 million) leaves once expanded.
std::string billion_laughs() {
  std::string text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    std::string prev(1, static_cast<char>(level - 1));
    text += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ",*" : "*") + prev;
    text += "]\n";
  }
  return text;
}

}  // namespace

TEST_CASE("config: classify_path reads YAML and JSON as config, not lock files; notebooks are notebooks") {
  using facts::FileKind;
  CHECK(classify_path("/ws/.github/workflows/ci.yml") == FileKind::Config);
  CHECK(classify_path("/ws/dvc.yaml") == FileKind::Config);
  CHECK(classify_path("/ws/package.json") == FileKind::Config);
  CHECK(classify_path("/ws/package-lock.json") == FileKind::LockFile);  // read as a lock file (test_manifests.cpp)
  CHECK(classify_path("/ws/pnpm-lock.yaml") == FileKind::Other);
  CHECK(classify_path("/ws/poetry.lock") == FileKind::LockFile);
  CHECK(classify_path("/ws/notebooks/explore.ipynb") == FileKind::Notebook);

  // A JSON file above 256 KiB is data: not read, and not refused either.
  std::string big = "[" + std::string(300 * 1024, ' ') + "1]";
  auto f = analyze_text("/ws/data/points.json", big);
  CHECK(f.kind == FileKind::Other);
  CHECK(f.skipped.reason.empty());
  CHECK(f.config.empty());
}

TEST_CASE("config: a GitHub workflow's keys, values and lines") {
  auto f = analyze_text("/ws/.github/workflows/ci.yml", kWorkflow);
  REQUIRE(f.kind == facts::FileKind::Config);
  REQUIRE(f.skipped.reason.empty());
  const auto* schedule = key_of(f, "on.schedule");
  REQUIRE(schedule);
  CHECK(schedule->value == "");
  CHECK(schedule->line == 4u);
  const auto* cron = key_of(f, "on.schedule[].cron");
  REQUIRE(cron);
  CHECK(cron->value == "0 3 * * 1");
  CHECK(cron->line == 5u);
  REQUIRE(key_of(f, "on.push.branches[]"));
  CHECK(key_of(f, "on.push.branches[]")->value == "main");
  CHECK(key_of(f, "jobs.test.runs-on")->line == 8u);

  std::vector<std::pair<std::string, uint32_t>> uses;
  for (const auto& k : f.config)
    if (k.key == "jobs.test.steps[].uses") uses.emplace_back(k.value, k.line);
  CHECK(uses == std::vector<std::pair<std::string, uint32_t>>{{"actions/checkout@v4", 10}, {"actions/setup-python@v5", 11}});
  CHECK(key_of(f, "jobs.test.steps[].with.python-version")->value == "3.11");
  CHECK(key_of(f, "jobs.test.steps[].with.python-version")->line == 13u);
  // Document order.
  CHECK(f.config.front().key == "name");
  CHECK(f.config.back().key == "jobs.test.steps[].run");
}

TEST_CASE("config: package.json keys, values and lines") {
  auto f = analyze_text("/ws/package.json", kPackageJson);
  REQUIRE(f.kind == facts::FileKind::Config);
  REQUIRE(f.skipped.reason.empty());
  REQUIRE(key_of(f, "name"));
  CHECK(key_of(f, "name")->value == "chat-app");
  CHECK(key_of(f, "name")->line == 1u);
  CHECK(key_of(f, "private")->value == "true");
  CHECK(key_of(f, "workers")->value == "4");
  CHECK(key_of(f, "workers")->line == 4u);
  CHECK(key_of(f, "dependencies")->value == "");
  CHECK(key_of(f, "dependencies")->line == 7u);
  REQUIRE(key_of(f, "dependencies.@langchain/core"));
  CHECK(key_of(f, "dependencies.@langchain/core")->value == "^0.3.0");
  CHECK(key_of(f, "dependencies.@langchain/core")->line == 8u);
  CHECK(key_of(f, "dependencies.express")->line == 9u);
  CHECK(key_of(f, "devDependencies.typescript")->line == 11u);
  std::vector<std::pair<std::string, uint32_t>> files;
  for (const auto& k : f.config)
    if (k.key == "files[]") files.emplace_back(k.value, k.line);
  CHECK(files == std::vector<std::pair<std::string, uint32_t>>{{"dist", 5}, {"lib", 6}});
}

TEST_CASE("config: a billion-laughs alias bomb stops at the node budget and is a skip reason") {
  // Only that it finishes and is refused: timings are never asserted.
  auto f = analyze_text("/ws/bomb.yaml", billion_laughs());
  CHECK(f.kind == facts::FileKind::Config);
  CHECK(f.skipped.reason.find("100000 nodes") != std::string::npos);
  CHECK(f.config.empty());

  // The same structure shallow enough to expand is read.
  auto small = analyze_text("/ws/small.yaml", "a: &a [x, y]\nb: [*a, *a]\n");
  CHECK(small.skipped.reason.empty());
  CHECK(std::count_if(small.config.begin(), small.config.end(), [](const auto& k) { return k.key == "b[][]"; }) == 4);
}

TEST_CASE("config: 100,000 nested JSON arrays and YAML flow sequences are refused without crashing") {
  const size_t n = 100000;
  auto json = analyze_text("/ws/deep.json", std::string(n, '[') + std::string(n, ']'));
  CHECK(json.kind == facts::FileKind::Config);
  CHECK(json.skipped.reason.find("deeper than 200") != std::string::npos);
  auto yaml = analyze_text("/ws/deep.yaml", std::string(n, '[') + std::string(n, ']'));
  CHECK(yaml.skipped.reason.find("deeper than 200") != std::string::npos);
  auto unclosed = analyze_text("/ws/open.yml", "key: " + std::string(n, '['));
  CHECK_FALSE(unclosed.skipped.reason.empty());

  // Deep block indentation: 300 nested maps.
  std::string indented;
  for (int i = 0; i < 300; ++i) indented += std::string(i, ' ') + "k:\n";
  auto block = analyze_text("/ws/indent.yaml", indented);
  CHECK(block.skipped.reason.find("deeper than 200") != std::string::npos);

  // 150 levels are fine.
  auto ok = analyze_text("/ws/ok.json", std::string(150, '[') + std::string(150, ']'));
  CHECK(ok.skipped.reason.empty());
}

TEST_CASE("config: invalid YAML and JSON give a reason with the line") {
  auto yaml = analyze_text("/ws/bad.yaml", "a: 1\nb: [1, 2\nc: 3\n");
  CHECK(yaml.skipped.reason.rfind("invalid YAML at line ", 0) == 0);
  CHECK(yaml.config.empty());
  auto tab = analyze_text("/ws/bad2.yml", "a:\n  b: 1\n c: 2\n");
  CHECK(tab.skipped.reason.rfind("invalid YAML at line 3", 0) == 0);
  CHECK_FALSE(tab.skipped.by_design);  // broken YAML is worth a diagnostic

  // A Helm template is YAML only once rendered: said so, and marked as not analysable by design
  // (coverage lists it; the editor shows no "not analysed" diagnostic on it).
  auto helm = analyze_text("/ws/chart/templates/deployment.yaml",
                           "kind: Deployment\nspec:\n  {{- if .Values.replicas }}\n  replicas: {{ .Values.replicas }}\n  {{- end }}\n");
  CHECK(helm.skipped.reason.find("Helm template") != std::string::npos);
  CHECK(helm.skipped.by_design);
  CHECK(helm.config.empty());

  auto json = analyze_text("/ws/bad.json", "{\n  \"a\": 1,\n  \"b\": tru\n}\n");
  CHECK(json.skipped.reason.rfind("invalid JSON at line 3: ", 0) == 0);
  CHECK(json.config.empty());
  auto truncated = analyze_text("/ws/cut.json", "{\"a\": [1,\n");
  CHECK(truncated.skipped.reason.rfind("invalid JSON at line ", 0) == 0);

  // Comments (tsconfig.json, .vscode/settings.json) are allowed.
  auto commented = analyze_text("/ws/tsconfig.json", "{\n  // strict\n  \"strict\": true\n}\n");
  CHECK(commented.skipped.reason.empty());
  CHECK(key_of(commented, "strict"));
}

TEST_CASE("config: every document of a multi-document YAML is read") {
  auto f = analyze_text("/ws/k8s.yaml",
                        "apiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\n---\n# empty\n");
  REQUIRE(f.skipped.reason.empty());
  std::vector<std::pair<std::string, uint32_t>> kinds;
  for (const auto& k : f.config)
    if (k.key == "kind") kinds.emplace_back(k.value, k.line);
  CHECK(kinds == std::vector<std::pair<std::string, uint32_t>>{{"Service", 1}, {"Deployment", 4}});
}

TEST_CASE("config: at most 5000 keys are kept; long values are capped") {
  std::string yaml;
  for (int i = 0; i < 6000; ++i) yaml += "k" + std::to_string(i) + ": v\n";
  yaml += "long: " + std::string(500, 'x') + "\n";
  auto f = analyze_text("/ws/many.yaml", yaml);
  CHECK(f.skipped.reason.empty());
  CHECK(f.config.size() == kConfigMaxKeys);
  auto g = analyze_text("/ws/long.yaml", "long: " + std::string(500, 'x') + "\n");
  REQUIRE(g.config.size() == 1);
  CHECK(g.config[0].value.size() == kConfigMaxValue);
}

TEST_CASE("config: config-keys evidence makes an item met in the audit") {
  const std::string train =
      "import torch\n\n\ndef main():\n    model = torch.nn.Linear(2, 1)\n"
      "    optimizer = torch.optim.Adam(model.parameters())\n    loss = model(torch.zeros(2)).sum()\n"
      "    loss.backward()\n    optimizer.step()\n\n\nif __name__ == \"__main__\":\n    main()\n";
  auto ws = test::build_workspace({{"train.py", train},
                                   {"requirements.txt", "torch==2.3.1\n"},
                                   {"dvc.yaml", "stages:\n  train:\n    cmd: python train.py\n    deps:\n      - data/raw\n"},
                                   {".github/workflows/retrain.yml", kWorkflow}});
  rubric::AuditInput input;
  input.root = ws.root;
  for (const auto& [relative, facts] : ws.files) {
    input.files.push_back(std::make_shared<const facts::FileFacts>(facts));
    input.present.push_back(ws.absolute(relative));
  }
  input.conclusions = ws.model->conclusions();
  static const auto items = rubric::load_audit_rubric(*test::the_rubric());
  auto audit = rubric::compute_audit(input, *test::the_rubric(), *items);
  REQUIRE(audit.relevance.relevant);

  auto find_item = [&](const std::string& id) -> const rubric::ItemResult& {
    for (const auto& area : audit.areas)
      for (const auto& item : area.items)
        if (item.id == id) return item;
    FAIL("no item " << id);
    throw std::logic_error("unreachable");
  };
  const auto& versioning = find_item("data.data-versioning");
  CHECK(versioning.status == rubric::Status::Met);
  REQUIRE_FALSE(versioning.evidence.empty());
  CHECK(versioning.evidence[0].path == "dvc.yaml");
  CHECK(versioning.evidence[0].detail == "config dvc.yaml: stages.train.deps");
  CHECK(versioning.evidence[0].line == 4u);

  const auto& ct = find_item("mlops.continuous-training");
  CHECK(ct.status == rubric::Status::Partial);
  REQUIRE_FALSE(ct.evidence.empty());
  // The workflow's schedule, read by the GitHub Actions reader (its job runs pytest, not training).
  CHECK(ct.evidence[0].detail == "on a schedule (cron 0 3 * * 1)");
  CHECK(ct.evidence[0].line == 5u);

  // A rubric item written with a value pattern.
  auto custom = rubric::parse_audit_rubric(*test::the_rubric(), R"(
areas:
  - id: mlops
    title: MLOps
    section: 5
    items:
      - id: mlops.argo
        title: Argo
        met:
          config-keys:
            - {file: "pipelines/*.yaml", key: kind, value: "(Cron)?Workflow"}
        absent: gap
        severity: Info
)");
  auto argo = test::build_workspace({{"train.py", train}, {"pipelines/train.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"},
                                     {"pipelines/svc.yaml", "kind: Service\n"}});
  rubric::AuditInput argo_input;
  argo_input.root = argo.root;
  for (const auto& [relative, facts] : argo.files) argo_input.files.push_back(std::make_shared<const facts::FileFacts>(facts));
  argo_input.conclusions = argo.model->conclusions();
  auto argo_audit = rubric::compute_audit(argo_input, *test::the_rubric(), *custom);
  REQUIRE(argo_audit.areas.size() == 1);
  const auto& it = argo_audit.areas[0].items.at(0);
  CHECK(it.status == rubric::Status::Met);
  REQUIRE(it.evidence.size() == 1);
  CHECK(it.evidence[0].detail == "config pipelines/train.yaml: kind = Workflow");

  CHECK_THROWS(rubric::parse_audit_rubric(*test::the_rubric(), R"(
areas:
  - id: mlops
    title: MLOps
    section: 5
    items:
      - id: mlops.argo
        title: Argo
        met:
          config-keys:
            - {file: "*.yaml", key: kind, values: Workflow}
        absent: gap
        severity: Info
)"));
}

TEST_CASE("config: a TS/JS project whose package.json depends on @langchain/core is relevant") {
  auto ws = test::build_workspace({{"package.json", kPackageJson},
                                   {"src/index.ts", "import { ChatPromptTemplate } from '@langchain/core/prompts';\n"}});
  const auto& relevance = ws.conclusions().relevance;
  CHECK(relevance.relevant);
  CHECK(std::find(relevance.signals.begin(), relevance.signals.end(), "package.json: dependency @langchain/core") !=
        relevance.signals.end());

  auto plain = test::build_workspace(
      {{"package.json", "{\"dependencies\": {\"express\": \"^4\"}, \"description\": \"openai\"}"}});
  CHECK_FALSE(plain.conclusions().relevance.relevant);
}
