// rubric/remediation/*.md: one embedded guide per rule, and no guide without a rule.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "rubric/settings.hpp"
#include "support/embedded.hpp"
#include "test_support.hpp"

namespace {

constexpr std::string_view kPrefix = "remediation/";
constexpr std::string_view kSuffix = ".md";

bool is_page(std::string_view path) {
  return path.size() > kPrefix.size() + kSuffix.size() && path.substr(0, kPrefix.size()) == kPrefix &&
         path.substr(path.size() - kSuffix.size()) == kSuffix;
}

std::string id_of(std::string_view path) {
  return std::string(path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size()));
}

const mlaudit::embedded::Resource* page_of(const std::string& rule) {
  std::string path = std::string(kPrefix) + rule + std::string(kSuffix);
  for (const auto& resource : mlaudit::embedded::all())
    if (resource.path == path) return &resource;
  return nullptr;
}

}  // namespace

TEST_CASE("remediation: every rule of the rubric has an embedded guide") {
  auto rubric = mlaudit::test::the_rubric();
  REQUIRE(rubric->rules.size() >= 7);
  for (const auto& rule : rubric->rules) {
    CAPTURE(rule.id);
    const auto* page = page_of(rule.id);
    REQUIRE(page != nullptr);
    std::string_view text = page->content;
    CHECK(text.substr(0, 2) == "# ");                                         // a title
    CHECK(text.find("`" + rule.id + "`") != std::string_view::npos);           // names its rule
    CHECK(text.find("`" + rule.checklist + "`") != std::string_view::npos);    // and its checklist item
    CHECK(text.find(mlaudit::rubric::severity_name(rule.severity)) != std::string_view::npos);
    CHECK(text.find("## Why it matters") != std::string_view::npos);
    CHECK(text.find("## How to fix") != std::string_view::npos);
    CHECK((text.find("```python") != std::string_view::npos || text.find("```text") != std::string_view::npos));
    CHECK(text.find("## References") != std::string_view::npos);
    CHECK(text.find("<https://") != std::string_view::npos);
    CHECK(text.find("mlaudit: ignore[" + rule.id + "]") != std::string_view::npos);  // how to suppress it
  }
}

TEST_CASE("remediation: every embedded guide belongs to a rule of the rubric") {
  auto rubric = mlaudit::test::the_rubric();
  std::set<std::string> pages;
  for (const auto& resource : mlaudit::embedded::all()) {
    if (!is_page(resource.path)) continue;
    std::string id = id_of(resource.path);
    CAPTURE(id);
    if (id == mlaudit::rubric::kInvalidConfigRule) continue;  // a configuration problem, not a rule of rules.yaml
    CHECK(rubric->rule(id) != nullptr);
    pages.insert(id);
  }
  CHECK(pages.size() == rubric->rules.size());
  CHECK(page_of(mlaudit::rubric::kInvalidConfigRule) != nullptr);
}

TEST_CASE("remediation: a finding's href points at its rule's guide") {
  auto ws = mlaudit::test::build_workspace({{"a.py", "import torch\ntorch.load(p)\n"}});
  REQUIRE(ws.of("a.py").size() == 1);
  const auto& href = ws.of("a.py")[0].href;
  const std::string tail = "remediation/unsafe-deserialization.md";
  REQUIRE(href.size() > tail.size());
  CHECK(href.substr(href.size() - tail.size()) == tail);
}
