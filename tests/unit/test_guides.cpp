// Remediation guides (rubric/remediation/): one embedded page per rule and per checklist item,
// every page's front matter names an id that exists, every page has the required sections, and
// items.yaml's remediation paths resolve to embedded pages.
#include <doctest/doctest.h>

#include "rubric/settings.hpp"
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "rubric/audit_rubric.hpp"
#include "rubric/guides.hpp"
#include "support/embedded.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;

const rubric::AuditRubric& items() {
  static const auto loaded = rubric::load_audit_rubric(*test::the_rubric());
  return *loaded;
}

const embedded::Resource* resource(const std::string& path) {
  for (const auto& r : embedded::all())
    if (r.path == path) return &r;
  return nullptr;
}

bool has(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The sections every page has, in this order (others may sit between them).
const std::vector<std::string> kRequired = {"Why it matters", "How to fix", "Example", "Level it unlocks", "References"};

void check_common_shape(const rubric::Guide& guide) {
  CHECK(guide.body.substr(0, 2) == "# ");
  CHECK(!rubric::first_paragraph(guide.body).empty());
  auto sections = rubric::section_titles(guide.body);
  size_t last = 0;
  for (const auto& title : kRequired) {
    CAPTURE(title);
    auto it = std::find(sections.begin(), sections.end(), title);
    REQUIRE(it != sections.end());
    size_t at = static_cast<size_t>(it - sections.begin());
    CHECK(at >= last);  // in order
    last = at;
  }
  // A before/after example, and links to official documentation.
  CHECK(guide.body.find("Before") != std::string::npos);
  CHECK(guide.body.find("After") != std::string::npos);
  CHECK(guide.body.find("```") != std::string::npos);
  CHECK(guide.body.find("<https://") != std::string::npos);
}

std::string level_text(int level) { return level == 0 ? "none" : std::to_string(level); }

}  // namespace

TEST_CASE("guides: every checklist item has an embedded page with its id, title, area and ladder level") {
  size_t count = 0;
  for (const auto& area : items().areas)
    for (const auto& item : area.items) {
      CAPTURE(item.id);
      ++count;
      const auto* page = resource(rubric::guide_path(item.id));
      REQUIRE(page != nullptr);
      CHECK(rubric::guide_path(item.id) == "remediation/items/" + item.id + ".md");
      auto guide = rubric::parse_guide(page->content);
      REQUIRE(guide.has_value());
      CHECK(guide->id == item.id);
      CHECK(guide->title == item.title);
      CHECK(guide->area == area.id);
      CHECK(guide->level == level_text(rubric::level_needing(items(), item.id)));
      CHECK(guide->body.substr(0, item.title.size() + 3) == "# " + item.title + "\n");
      check_common_shape(*guide);
      auto sections = rubric::section_titles(guide->body);
      CHECK(has(sections, "What mlaudit looks for"));
      // Items that code cannot decide say what an auditor must check.
      if (item.absent == rubric::Absent::NotAssessable) CHECK(has(sections, "What an auditor checks"));
      // An item decided by a rule links to the rule's page.
      if (!item.rule.empty()) CHECK(guide->body.find("../" + item.rule + ".md") != std::string::npos);
    }
  CHECK(count == 90);
}

TEST_CASE("guides: every checklist id of shared/checklist-ids.yaml has a page (when shared/ sits beside the clone)") {
  namespace fs = std::filesystem;
  fs::path ids_file = fs::path(MLAUDIT_TEST_FIXTURES) / ".." / ".." / ".." / "shared" / "checklist-ids.yaml";
  if (!fs::exists(ids_file)) return;  // items.yaml's ids are checked above; test_audit checks they are these
  YAML::Node ids = YAML::LoadFile(ids_file.string());
  for (const char* group : {"areas", "extensions"})
    for (const auto& area : ids[group])
      for (const auto& id : area.second) {
        CAPTURE(id.as<std::string>());
        CHECK(resource(rubric::guide_path(id.as<std::string>())) != nullptr);
      }
}

TEST_CASE("guides: every rule has an embedded page naming its rule, item, severity and how to suppress it") {
  auto rules = test::the_rubric();
  REQUIRE(rules->rules.size() >= 7);
  for (const auto& rule : rules->rules) {
    CAPTURE(rule.id);
    const auto* page = resource(rubric::guide_path(rule.id));
    REQUIRE(page != nullptr);
    CHECK(rubric::guide_path(rule.id) == "remediation/" + rule.id + ".md");
    auto guide = rubric::parse_guide(page->content);
    REQUIRE(guide.has_value());
    CHECK(guide->id == rule.id);
    CHECK(guide->title == rule.title);
    CHECK(guide->checklist == rule.checklist);
    CHECK(guide->severity == rubric::severity_name(rule.severity));
    check_common_shape(*guide);
    auto sections = rubric::section_titles(guide->body);
    CHECK(has(sections, "What mlaudit reports"));
    CHECK(has(sections, "When the finding is wrong"));
    CHECK(guide->body.find("mlaudit: ignore[" + rule.id + "]") != std::string::npos);
    CHECK(guide->body.find("items/" + rule.checklist + ".md") != std::string::npos);  // links its item
  }
}

TEST_CASE("guides: every embedded page's front-matter id is a rule or a checklist item, at its own path") {
  auto rules = test::the_rubric();
  size_t pages = 0;
  for (const auto& r : embedded::all()) {
    if (r.path.substr(0, 12) != "remediation/") continue;
    CAPTURE(r.path);
    ++pages;
    auto guide = rubric::parse_guide(r.content);
    REQUIRE(guide.has_value());
    // invalid-config is mlaudit's own (settings.hpp), not a rules.yaml rule, and has a page too.
    CHECK((rules->rule(guide->id) != nullptr || items().item(guide->id) != nullptr || guide->id == rubric::kInvalidConfigRule));
    if (guide->id == rubric::kInvalidConfigRule) check_common_shape(*guide);
    CHECK(rubric::guide_path(guide->id) == r.path);
  }
  size_t item_count = 0;
  for (const auto& area : items().areas) item_count += area.items.size();
  CHECK(pages == rules->rules.size() + item_count + 1);  // + invalid-config
}

TEST_CASE("guides: every item's remediation in items.yaml is its own embedded page") {
  for (const auto& area : items().areas)
    for (const auto& item : area.items) {
      CAPTURE(item.id);
      CHECK(item.remediation == rubric::guide_path(item.id));
      CHECK(resource(item.remediation) != nullptr);
    }
}

TEST_CASE("guides: front matter, first paragraph and sections are read from the text") {
  std::string page =
      "---\nid: data.data-versioning\ntitle: Data versioning\narea: data\nlevel: 4\n---\n"
      "# Data versioning\n\nFirst line of the summary\ncontinues here.\n\nSecond paragraph.\n\n"
      "## Why it matters\n\n```python\n## not a section\n```\n\n## How to fix\n";
  auto guide = rubric::parse_guide(page);
  REQUIRE(guide.has_value());
  CHECK(guide->id == "data.data-versioning");
  CHECK(guide->level == "4");
  CHECK(rubric::first_paragraph(guide->body) == "First line of the summary continues here.");
  CHECK(rubric::section_titles(guide->body) == std::vector<std::string>{"Why it matters", "How to fix"});
  CHECK_FALSE(rubric::parse_guide("# no front matter\n").has_value());
  CHECK_FALSE(rubric::parse_guide("---\ntitle: no id\n---\n# x\n").has_value());
  // Ids are names: a path never reaches the file system or the embedded table.
  CHECK_FALSE(rubric::guide_text("../rules").has_value());
  CHECK_FALSE(rubric::guide_text("items/x").has_value());
  CHECK(rubric::guide_text("seed-not-set").has_value());
}

TEST_CASE("guides: the level an item blocks is the lowest rung that names it") {
  const rubric::AreaSpec* area = nullptr;
  CHECK(rubric::level_needing(items(), "infrastructure.training-infrastructure", &area) == 2);  // partial-ok at 2, required at 4
  REQUIRE(area != nullptr);
  CHECK(area->id == "infrastructure");
  CHECK(rubric::level_needing(items(), "security.secrets") == 2);
  CHECK(rubric::level_needing(items(), "development.framework-version-current") == 0);
  CHECK(rubric::level_needing(items(), "no.such-item") == 0);
}
