#include "cli/explain_command.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "rubric/audit_rubric.hpp"
#include "rubric/guides.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::cli {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

struct Entry {
  std::string id, title;
};

}  // namespace

std::vector<std::string> closest_ids(std::string_view query, const std::vector<std::string>& ids, size_t count) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& id : ids) {
    std::string_view name = id;
    if (size_t dot = name.find('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
    size_t distance = std::min(edit_distance(query, id), edit_distance(query, name));
    bool contains = query.size() >= 3 && id.find(query) != std::string::npos;
    size_t limit = std::max<size_t>(2, query.size() / 3);
    if (contains) distance = std::min<size_t>(distance, 1);
    if (distance <= limit) scored.emplace_back(distance, id);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(scored[i].second);
  return out;
}

int run_explain(const ExplainOptions& options) {
  std::shared_ptr<const rubric::Rubric> rules;
  std::shared_ptr<const rubric::AuditRubric> items;
  try {
    rules = rubric::load_rubric(options.rubric_dir);
    items = rubric::load_audit_rubric(*rules, options.rubric_dir);
  } catch (const std::exception& e) {
    std::cerr << "mlaudit: " << e.what() << "\n";
    return 2;
  }
  std::vector<Entry> entries;
  for (const auto& rule : rules->rules) entries.push_back({rule.id, rule.title});
  for (const auto& area : items->areas)
    for (const auto& item : area.items) entries.push_back({item.id, item.title});

  if (options.list) {
    for (const auto& e : entries) std::printf("%-44s %s\n", e.id.c_str(), e.title.c_str());
    return 0;
  }
  bool known = std::any_of(entries.begin(), entries.end(), [&](const Entry& e) { return e.id == options.id; });
  if (!known) {
    std::vector<std::string> ids;
    for (const auto& e : entries) ids.push_back(e.id);
    std::cerr << "mlaudit explain: no rule or checklist item '" << options.id << "'";
    auto near = closest_ids(options.id, ids);
    for (size_t i = 0; i < near.size(); ++i) std::cerr << (i ? ", " : "; did you mean: ") << near[i];
    std::cerr << "\n(`mlaudit explain --list` lists every id)\n";
    return 2;
  }
  if (options.url) {
    std::cout << rules->remediation_base << rubric::guide_page(options.id) << "\n";
    return 0;
  }
  auto text = rubric::guide_text(options.id, options.rubric_dir);
  auto guide = text ? rubric::parse_guide(*text) : std::nullopt;
  if (!guide) {
    std::cerr << "mlaudit explain: the rubric has no readable page " << rubric::guide_path(options.id) << "\n";
    return 2;
  }
  std::cout << guide->body;
  return 0;
}

}  // namespace mlaudit::cli
