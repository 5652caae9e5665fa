// analyzers/docs: which documentation and governance files are read, and what they tell —
// Hugging Face model and dataset cards from README front matter, card completeness (template
// placeholders do not count), README setup/training sections (code blocks are no headings),
// CODEOWNERS with owners, PR templates, ADRs; malformed front matter as a parse error.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "analyzers/docs/markdown_outline.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;

std::vector<std::string> ids(const facts::FileFacts& f) {
  std::vector<std::string> out;
  for (const auto& s : f.signals) out.push_back(s.id);
  return out;
}

bool has(const facts::FileFacts& f, const std::string& id) {
  for (const auto& s : f.signals)
    if (s.id == id) return true;
  return false;
}

const facts::Signal& get(const facts::FileFacts& f, const std::string& id) {
  for (const auto& s : f.signals)
    if (s.id == id) return s;
  FAIL("no signal " << id);
  throw std::logic_error("unreachable");
}

const std::string kCard =
    "---\n"
    "license: apache-2.0\n"
    "base_model: bert-base-uncased\n"
    "datasets: [imdb]\n"
    "model-index:\n"
    "  - name: sentiment\n"
    "    results: []\n"
    "---\n"
    "# sentiment-bert\n\n"
    "## Intended uses & limitations\n\n"
    "Classifies English movie reviews as positive or negative. Not for medical or legal text.\n\n"
    "## Bias, Risks, and Limitations\n\n"
    "Reviews in dialects underrepresented in IMDB are misclassified more often.\n";

}  // namespace

TEST_CASE("doc signals: which files are read (and not every Markdown file)") {
  for (const char* path : {"/ws/README.md", "/ws/pkg/README.rst", "/ws/MODEL_CARD.md", "/ws/models/model_card_v2.md",
                           "/ws/DATASHEET.md", "/ws/data/data_card.md", "/ws/CODEOWNERS", "/ws/.github/CODEOWNERS",
                           "/ws/.github/pull_request_template.md", "/ws/.github/PULL_REQUEST_TEMPLATE/feature.md",
                           "/ws/CONTRIBUTING.md", "/ws/SECURITY.md", "/ws/docs/adr/0001-use-dvc.md",
                           "/ws/docs/decisions/adr-0002-mlflow.md"}) {
    CAPTURE(path);
    CHECK(classify_path(path) == facts::FileKind::Text);
  }
  for (const char* path : {"/ws/docs/guide.md", "/ws/docs/adr/template.md", "/ws/notes/0001-idea.md", "/ws/codeowners",
                           "/ws/CHANGELOG.md", "/ws/prompts/system.md"}) {
    CAPTURE(path);
    CHECK(classify_path(path) == facts::FileKind::Other);
  }
}

TEST_CASE("doc signals: a Hugging Face model card in a README, complete when its sections say something") {
  auto f = analyze_text("/ws/README.md", kCard);
  CHECK(f.parse_errors.empty());
  CHECK(get(f, "docs.model-card").detail == "README.md: Hugging Face model card (model-index, base_model, datasets)");
  // intended use and limitations from the sections, training data from `datasets`, evaluation from model-index
  CHECK(get(f, "docs.model-card-complete").detail == "README.md covers intended use, training data, evaluation, limitations");
  CHECK(get(f, "docs.bias-section").range.start.line == 14);
  CHECK_FALSE(has(f, "docs.dataset-card"));

  // The Hub's template with its placeholders is a card, but not a complete one.
  const std::string templated =
      "---\nlibrary_name: transformers\ntags: []\n---\n# Model Card for Model ID\n\n<!-- Provide a quick summary. -->\n\n"
      "## Uses\n\n### Direct Use\n\n[More Information Needed]\n\n### Out-of-Scope Use\n\n[More Information Needed]\n\n"
      "## Bias, Risks, and Limitations\n\n<!-- This section is meant to convey both technical and sociotechnical limitations. -->\n\n"
      "[More Information Needed]\n\n## Evaluation\n\n### Testing Data\n\n[More Information Needed]\n";
  auto t = analyze_text("/ws/README.md", templated);
  CHECK(has(t, "docs.model-card"));
  CHECK_FALSE(has(t, "docs.model-card-complete"));
  CHECK_FALSE(has(t, "docs.bias-section"));

  // A MODEL_CARD.md is a card by name; without a limitations section it is not complete.
  auto named = analyze_text("/ws/MODEL_CARD.md",
                            "# Churn model\n\n## Intended use\nRanks subscribers by churn risk for the retention team.\n\n"
                            "## Training data\nMonthly billing snapshots since 2022, tracked with DVC.\n\n"
                            "## Evaluation\nROC AUC 0.84 on a time-ordered hold-out month.\n");
  CHECK(get(named, "docs.model-card").detail == "MODEL_CARD.md: model card");
  CHECK_FALSE(has(named, "docs.model-card-complete"));
}

TEST_CASE("doc signals: dataset cards, Spaces and other front matter") {
  auto dataset = analyze_text("/ws/data/README.md",
                              "---\nlicense: cc-by-4.0\ntask_categories: [text-classification]\nsize_categories: [10K<n<100K]\n"
                              "dataset_info:\n  features: []\n  splits:\n    - name: train\n      num_examples: 9000\n---\n# Reviews\n");
  CHECK(get(dataset, "docs.dataset-card").detail == "README.md: Hugging Face dataset card (task_categories, size_categories, dataset_info)");
  CHECK(get(dataset, "docs.data-splits").detail == "README.md: split metadata in the front matter");
  CHECK_FALSE(has(dataset, "docs.model-card"));

  auto sheet = analyze_text("/ws/DATASHEET.md",
                            "# Datasheet\n\n## Motivation\nWhy the data was collected.\n\n## Data splits\n"
                            "Train and test are split by customer id so no customer appears in both.\n");
  CHECK(has(sheet, "docs.dataset-card"));
  CHECK(get(sheet, "docs.data-splits").detail == "DATASHEET.md: ## Data splits");

  auto space = analyze_text("/ws/README.md", "---\ntitle: Demo\nsdk: gradio\nlicense: mit\ndatasets: [imdb]\n---\n# Demo\n");
  CHECK_FALSE(has(space, "docs.model-card"));
  auto jekyll = analyze_text("/ws/README.md", "---\nlayout: default\ntitle: Home\n---\n# Project\n");
  CHECK(jekyll.parse_errors.empty());
  CHECK(ids(jekyll) == std::vector<std::string>{"docs.readme"});
  // `---` lines around prose are horizontal rules, not metadata: no parse error.
  auto rules = analyze_text("/ws/README.md", "---\nWelcome! This project: trains models, [and] more {stuff\n---\n");
  CHECK(rules.parse_errors.empty());
}

TEST_CASE("doc signals: malformed front matter is a parse error at its line, and a malformed-file finding") {
  const std::string broken = "---\nlicense: mit\nbase_model: [bert\ntags: x\n---\n# Model\n";
  auto f = analyze_text("/ws/README.md", broken);
  REQUIRE(f.parse_errors.size() == 1);
  CHECK(f.parse_errors[0].message.find("invalid YAML front matter at line") == 0);
  CHECK(f.parse_errors[0].range.start.line >= 2);
  CHECK_FALSE(has(f, "docs.model-card"));
  CHECK(has(f, "docs.readme"));  // the rest of the file is still read
  auto ws = test::build_workspace({{"train.py", "import torch\n"}, {"README.md", broken}});
  CHECK(ws.of("README.md", "malformed-file").size() == 1);
  // Alias-heavy front matter is bounded: read, not expanded.
  std::string bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n";
  CHECK(analyze_text("/ws/README.md", bomb).parse_errors.empty());
}

TEST_CASE("doc signals: README sections on reproducing, set-up and training; code blocks are not headings") {
  auto both = analyze_text("/ws/README.md",
                           "# churn\n\n## Installation\n\nInstall the locked environment with `uv sync`.\n\n"
                           "## Training\n\nRun `dvc repro` to prepare the data and train the model.\n");
  CHECK(get(both, "docs.reproduce-steps").detail == "README.md: ## Installation, ## Training");
  CHECK(get(both, "docs.reproduce-steps").range.start.line == 2);
  auto setup = analyze_text("/ws/README.md",
                            "Project\n=======\n\nGetting started\n---------------\n\nInstall with pip and run the app locally.\n\n"
                            "```sh\n# Training\npython train.py\n```\n");
  CHECK(get(setup, "docs.setup-steps").detail == "README.md: ## Getting started");
  CHECK_FALSE(has(setup, "docs.reproduce-steps"));  // "# Training" sits in a code block
  auto empty = analyze_text("/ws/README.md", "# x\n\n## Installation\n\nTODO\n\n## Training\n\nTBD\n");
  CHECK_FALSE(has(empty, "docs.setup-steps"));
  CHECK_FALSE(has(empty, "docs.reproduce-steps"));
  auto rst = analyze_text("/ws/README.rst", "Reproducing the paper\n=====================\n\nRun make all to rebuild every table.\n");
  CHECK(has(rst, "docs.reproduce-steps"));
}

TEST_CASE("doc signals: CODEOWNERS, PR templates, CONTRIBUTING, ADRs and SECURITY.md") {
  auto owners = analyze_text("/ws/.github/CODEOWNERS", "# owners\n\n/models/  @acme/ml\n*.py @alice bob@example.com\n/vendor/\n");
  CHECK(get(owners, "docs.codeowners").detail == "CODEOWNERS assigns owners to 2 paths");
  CHECK(get(owners, "docs.codeowners").range.start.line == 2);
  CHECK(analyze_text("/ws/CODEOWNERS", "# nobody yet\n/docs/\n").signals.empty());

  auto pr = analyze_text("/ws/.github/pull_request_template.md",
                         "## What changed\n\n- [ ] Tests pass\n- [ ] Model card updated\n- [x] Metrics compared with the champion\n");
  CHECK(get(pr, "docs.pr-template").detail == "pull request template with 3 checklist items");
  CHECK(analyze_text("/ws/.github/pull_request_template.md", "\n").signals.empty());
  CHECK(has(analyze_text("/ws/CONTRIBUTING.md", "# Contributing\n\nOpen a pull request; one review is required.\n"), "docs.contributing"));
  CHECK(get(analyze_text("/ws/docs/adr/0001-use-dvc.md", "# 1. Use DVC\n"), "docs.adr").detail ==
        "architecture decision record 0001-use-dvc.md");
  CHECK(has(analyze_text("/ws/SECURITY.md", "# Security\n\nReport vulnerabilities to security@example.com.\n"), "docs.security-policy"));
}

TEST_CASE("markdown outline: headings, levels, closing hashes, sections with content") {
  auto outline = docs::read_outline("# Title #\n\nintro text that is long enough\n\n## A\n### A.1\nsome real words in a sub section\n## B\n");
  REQUIRE(outline.headings.size() == 4);
  CHECK(outline.headings[0].title == "Title");
  CHECK(outline.headings[1].title == "A");
  CHECK(outline.headings[1].has_content);  // its subsection's text is its text
  CHECK(outline.headings[2].level == 3);
  CHECK_FALSE(outline.headings[3].has_content);
  CHECK_FALSE(docs::read_outline("---\na: 1\n").front_matter.present);  // never closed
  for (const std::string text : {std::string(""), std::string("---"), std::string("#"), std::string("```\n# x"), std::string("x\n===")})
    CHECK_NOTHROW(docs::read_outline(text));
}
