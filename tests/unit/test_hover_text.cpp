// The hover over a diagnostic (lsp/hover_text.cpp) and `mlaudit explain`'s suggestions.
#include <doctest/doctest.h>

#include "cli/explain_command.hpp"
#include "lsp/hover_text.hpp"
#include "rubric/guides.hpp"
#include "test_support.hpp"

using namespace mlaudit;

namespace {
const rubric::AuditRubric& items() {
  static const auto loaded = rubric::load_audit_rubric(*test::the_rubric());
  return *loaded;
}
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("hover: rule, checklist item and area, the level it blocks, the guide's first paragraph, the link") {
  lsp::HoverSubject subject{"seed-not-set", "development.reproducible-training", "https://docs.example/seed-not-set.md"};
  std::string md = lsp::hover_text(subject, *test::the_rubric(), &items(), "", true);
  CHECK(md.rfind("**mlaudit seed-not-set** — Random seed never set (Medium)", 0) == 0);
  CHECK(contains(md, "Checklist item: `development.reproducible-training` Reproducible training — area: Model Development & Training"));
  CHECK(contains(md, "Blocks level 3 of Model Development & Training (Functional ML: defined evaluation metrics, reproducible training)"));
  auto guide = rubric::parse_guide(*rubric::guide_text("seed-not-set"));
  std::string summary = rubric::first_paragraph(guide->body);
  REQUIRE(summary.size() > 40);
  CHECK(contains(md, summary));
  CHECK(contains(md, "[Remediation guide](https://docs.example/seed-not-set.md)"));

  std::string plain = lsp::hover_text(subject, *test::the_rubric(), &items(), "", false);
  CHECK(plain.rfind("mlaudit seed-not-set — Random seed never set (Medium)", 0) == 0);
  CHECK(contains(plain, "Checklist item: development.reproducible-training Reproducible training"));
  CHECK(contains(plain, "Remediation guide: https://docs.example/seed-not-set.md"));
  CHECK_FALSE(contains(plain, "**"));
  CHECK_FALSE(contains(plain, "`"));
}

TEST_CASE("hover: an extension area's rung; without items.yaml the item's area and level are left out") {
  lsp::HoverSubject subject{"hardcoded-secret", "security.secrets", ""};
  std::string md = lsp::hover_text(subject, *test::the_rubric(), &items(), "", true);
  CHECK(contains(md, "area: Security & Supply Chain"));
  CHECK(contains(md, "Blocks level 2 of Security & Supply Chain"));
  CHECK_FALSE(contains(md, "Remediation guide"));  // no href, no link

  std::string bare = lsp::hover_text(subject, *test::the_rubric(), nullptr, "", true);
  CHECK(contains(bare, "Checklist item: `security.secrets`"));
  CHECK_FALSE(contains(bare, "Blocks level"));
}

TEST_CASE("explain: suggestions are the closest ids, and nothing for a far-off query") {
  std::vector<std::string> ids = {"seed-not-set", "data.data-versioning", "deployment.model-versioning",
                                  "infrastructure.version-control", "security.secrets"};
  CHECK(cli::closest_ids("seed-not-sett", ids) == std::vector<std::string>{"seed-not-set"});
  CHECK(cli::closest_ids("data.data-versoning", ids).at(0) == "data.data-versioning");
  auto versioning = cli::closest_ids("versioning", ids);
  CHECK(versioning.size() == 2);  // both *-versioning items, not version-control
  CHECK(cli::closest_ids("secrets", ids) == std::vector<std::string>{"security.secrets"});
  CHECK(cli::closest_ids("kubernetes-operator", ids).empty());
}
