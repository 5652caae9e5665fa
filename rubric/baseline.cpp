#include "rubric/baseline.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>

namespace mlaudit::rubric {
namespace {

constexpr const char* kSchema = "mlaudit-baseline/1";
constexpr size_t kMaxCodeBytes = 1000;  // a long call is identified well enough by its start

// Whitespace carries no meaning a reformatter (black, ruff format) would keep, so none is kept.
void collapse_into(std::string& out, std::string_view text) {
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
}

uint64_t fnv1a(std::string_view data) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

std::string finding_digest(const Finding& finding, std::string_view text) {
  size_t start = std::min<size_t>(finding.range.start_byte, text.size());
  size_t end = std::clamp<size_t>(finding.range.end_byte, start, text.size());
  size_t newline = start == 0 ? std::string_view::npos : text.rfind('\n', start - 1);
  size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  size_t line_end = text.find('\n', start);
  if (line_end == std::string_view::npos) line_end = text.size();
  std::string key = finding.rule;
  key += '\x1f';
  collapse_into(key, text.substr(start, std::min(end - start, kMaxCodeBytes)));
  key += '\x1f';
  collapse_into(key, text.substr(line_start, line_end - line_start));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
  return hex;
}

std::optional<Baseline> Baseline::parse(std::string_view json, std::string& error) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  if (doc.value("schema", "") != kSchema) {
    error = std::string("schema is not ") + kSchema;
    return std::nullopt;
  }
  auto findings = doc.find("findings");
  if (findings == doc.end() || !findings->is_array()) {
    error = "no findings list";
    return std::nullopt;
  }
  Baseline out;
  for (const auto& f : *findings) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("digest") || !f["digest"].is_string()) {
      error = "a finding needs a path and a digest";
      return std::nullopt;
    }
    Entry e;
    e.path = f["path"].get<std::string>();
    e.digest = f["digest"].get<std::string>();
    if (f.contains("rule") && f["rule"].is_string()) e.rule = f["rule"].get<std::string>();
    if (f.contains("message") && f["message"].is_string()) e.message = f["message"].get<std::string>();
    e.count = f.contains("count") && f["count"].is_number_unsigned() ? f["count"].get<size_t>() : 1;
    auto& slot = out.entries_[{e.path, e.digest}];
    size_t before = slot.count;
    slot = e;
    slot.count += before;
  }
  return out;
}

std::string Baseline::dump() const {
  std::vector<const Entry*> sorted;
  for (const auto& [key, e] : entries_) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) {
    return std::tie(a->path, a->rule, a->digest) < std::tie(b->path, b->rule, b->digest);
  });
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Entry* e : sorted)
    findings.push_back({{"path", e->path}, {"rule", e->rule}, {"digest", e->digest}, {"count", e->count}, {"message", e->message}});
  nlohmann::ordered_json doc = {{"schema", kSchema}, {"findings", findings}};
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void Baseline::add(const std::string& path, const Finding& finding, std::string_view text) {
  std::string digest = finding_digest(finding, text);
  Entry& e = entries_[{path, digest}];
  if (e.count == 0) e = {path, finding.rule, digest, finding.message, 0};
  ++e.count;
}

size_t Baseline::remove_known(const std::string& path, std::vector<Finding>& findings, std::string_view text) const {
  if (entries_.empty()) return 0;
  std::map<std::string, size_t> left;  // digest -> how many more this file may still match
  size_t removed = 0;
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Finding& f) {
                                  std::string digest = finding_digest(f, text);
                                  auto it = entries_.find({path, digest});
                                  if (it == entries_.end()) return false;
                                  auto [slot, fresh] = left.emplace(digest, it->second.count);
                                  if (slot->second == 0) return false;
                                  --slot->second;
                                  ++removed;
                                  return true;
                                }),
                 findings.end());
  return removed;
}

}  // namespace mlaudit::rubric
