#include "fuzz/facts_difference.hpp"

#include <vector>

namespace mlaudit::fuzz {
namespace {

template <typename T>
std::string list_difference(const char* name, const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size())
    return std::string(name) + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " entries";
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) return std::string(name) + "[" + std::to_string(i) + "]";
  return "";
}

}  // namespace

std::string facts_difference(const facts::FileFacts& a, const facts::FileFacts& b) {
  std::vector<std::string> found;
  auto note = [&](std::string what) {
    if (!what.empty()) found.push_back(std::move(what));
  };
  if (a.kind != b.kind) note("kind");
  if (a.bytes != b.bytes) note("bytes");
  if (!(a.skipped == b.skipped)) note("skipped: '" + a.skipped.reason + "' vs '" + b.skipped.reason + "'");
  note(list_difference("python.imports", a.python.imports, b.python.imports));
  note(list_difference("python.calls", a.python.calls, b.python.calls));
  note(list_difference("python.bindings", a.python.bindings, b.python.bindings));
  note(list_difference("python.strings", a.python.strings, b.python.strings));
  if (a.python.has_main_guard != b.python.has_main_guard) note("python.has_main_guard");
  if (a.python.has_syntax_errors != b.python.has_syntax_errors) note("python.has_syntax_errors");
  note(list_difference("requirements", a.requirements, b.requirements));
  note(list_difference("config", a.config, b.config));
  note(list_difference("suppressions", a.suppressions, b.suppressions));
  note(list_difference("includes", a.includes, b.includes));
  note(list_difference("locked", a.locked, b.locked));
  note(list_difference("parse_errors", a.parse_errors, b.parse_errors));
  if (!(a.artifact == b.artifact)) note("artifact");
  if (!(a.notebook == b.notebook)) note("notebook");
  if (found.empty()) return "(no member differs: operator== and this list are out of step)";
  std::string out;
  for (const auto& f : found) out += (out.empty() ? "" : ", ") + f;
  return out;
}

}  // namespace mlaudit::fuzz
