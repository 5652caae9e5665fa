#include "rubric/settings.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "index/gitignore.hpp"
#include "rubric/audit_rubric.hpp"

namespace mlaudit::rubric {
namespace {

// `path` relative to `base` ('/'-separated), nullopt when it is not inside it.
std::optional<std::string> relative_to(const std::string& path, const std::string& base) {
  if (base.empty()) return std::nullopt;
  if (base == "/") return path.size() > 1 && path[0] == '/' ? std::optional(path.substr(1)) : std::nullopt;
  if (path.size() <= base.size() + 1 || path.compare(0, base.size(), base) != 0 || path[base.size()] != '/')
    return std::nullopt;
  return path.substr(base.size() + 1);
}

// git's rule: a path is ignored when it, or a folder on the way to it, is.
bool ignored_with_parents(const index::IgnoreFile& rules, const std::string& relative, bool is_dir) {
  for (size_t slash = relative.find('/'); slash != std::string::npos; slash = relative.find('/', slash + 1))
    if (rules.match(std::string_view(relative).substr(0, slash), true) == index::IgnoreFile::Verdict::Ignored) return true;
  return rules.match(relative, is_dir) == index::IgnoreFile::Verdict::Ignored;
}

std::unique_ptr<index::IgnoreFile> compile(const std::vector<std::string>& globs) {
  std::string text;
  for (const auto& g : globs) text += g + "\n";
  return std::make_unique<index::IgnoreFile>(text, "");
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

Settings layer(const Settings& under, const Settings& over) {
  Settings out = under;
  if (over.select) out.select = over.select;
  if (over.ignore) out.ignore = over.ignore;
  if (over.severity) out.severity = over.severity;
  if (over.exclude) out.exclude = over.exclude;
  if (over.per_file_ignores) {
    out.per_file_ignores = over.per_file_ignores;
    out.per_file_ignores_base = over.per_file_ignores_base;
  }
  if (over.target_level) out.target_level = over.target_level;
  if (over.relevance) out.relevance = over.relevance;
  if (over.max_file_size) out.max_file_size = over.max_file_size;
  if (over.remediation_url_base) out.remediation_url_base = over.remediation_url_base;
  if (over.baseline) out.baseline = over.baseline;
  return out;
}

std::optional<uint64_t> parse_size(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t digits = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == digits) return std::nullopt;
  std::string number(text.substr(digits, i - digits));
  if (std::count(number.begin(), number.end(), '.') > 1 || number.front() == '.' || number.back() == '.') return std::nullopt;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string unit;
  for (; i < text.size(); ++i) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) break;
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i != text.size()) return std::nullopt;
  static const std::map<std::string, double> units = {{"", 1},     {"b", 1},          {"kb", 1e3},
                                                       {"mb", 1e6}, {"gb", 1e9},       {"kib", 1024.0},
                                                       {"mib", 1048576.0}, {"gib", 1073741824.0}};
  auto it = units.find(unit);
  if (it == units.end()) return std::nullopt;
  double bytes = std::stod(number) * it->second;
  if (!(bytes >= 1) || bytes > 1e15) return std::nullopt;
  return static_cast<uint64_t>(std::llround(bytes));
}

std::optional<std::optional<bool>> parse_relevance(std::string_view text) {
  if (text == "auto") return std::optional<bool>();
  if (text == "always" || text == "on") return std::optional<bool>(true);
  if (text == "never" || text == "off") return std::optional<bool>(false);
  return std::nullopt;
}

std::map<std::string, int> levels_needing(const AuditRubric& items) {
  std::map<std::string, int> out;
  for (const auto& area : items.areas)
    for (const auto& level : area.levels)
      for (const auto* ids : {&level.required, &level.partial_ok})
        for (const auto& id : *ids) {
          auto [it, inserted] = out.emplace(id, level.level);
          if (!inserted) it->second = std::min(it->second, level.level);
        }
  return out;
}

EffectiveSettings::EffectiveSettings(Settings settings) : settings_(std::move(settings)) {
  if (settings_.exclude && !settings_.exclude->globs.empty()) exclude_ = compile(settings_.exclude->globs);
  if (settings_.per_file_ignores)
    for (const auto& entry : *settings_.per_file_ignores) per_file_.emplace_back(compile({entry.glob}), entry.rules);
}

EffectiveSettings::~EffectiveSettings() = default;

bool EffectiveSettings::excluded(const std::string& path, bool is_dir) const {
  if (!exclude_) return false;
  auto relative = relative_to(path, settings_.exclude->base);
  return relative && ignored_with_parents(*exclude_, *relative, is_dir);
}

bool EffectiveSettings::rule_enabled(const std::string& path, const std::string& rule) const {
  if (settings_.select && !contains(*settings_.select, rule)) return false;
  if (settings_.ignore && contains(*settings_.ignore, rule)) return false;
  if (per_file_.empty()) return true;
  auto relative = relative_to(path, settings_.per_file_ignores_base);
  if (!relative) return true;
  for (const auto& [glob, rules] : per_file_)
    if ((contains(rules, rule) || contains(rules, "all")) && ignored_with_parents(*glob, *relative, false)) return false;
  return true;
}

void EffectiveSettings::apply(const std::string& path, std::vector<Finding>& findings,
                              const std::map<std::string, int>* levels) const {
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Finding& f) { return !rule_enabled(path, f.rule); }),
                 findings.end());
  for (auto& f : findings) {
    if (settings_.severity)
      if (auto it = settings_.severity->find(f.rule); it != settings_.severity->end()) f.severity = it->second;
    if (settings_.remediation_url_base) f.href = *settings_.remediation_url_base + f.rule + ".md";
    if (levels && settings_.target_level) {
      auto needed = levels->find(f.checklist_id);
      f.below_target = needed == levels->end() || needed->second > *settings_.target_level;
    }
  }
}

}  // namespace mlaudit::rubric
