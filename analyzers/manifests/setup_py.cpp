// setup.py: the requirements a literal `install_requires=[...]` (and `extras_require={extra:
// [...]}`) passes to setup(), read from the Python facts. A list held in a module-level
// variable is followed one step; anything computed (read from a file, built in a loop) is not
// guessed at.
#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/source_lines.hpp"

namespace mlaudit::manifests {
namespace {

using facts::Value;

bool is_setup_call(const facts::Call& call) {
  if (call.qualified == "setuptools.setup" || call.qualified == "distutils.core.setup") return true;
  return call.qualified.empty() && call.callee == "setup";
}

const Value* followed(const facts::PythonFacts& py, const Value& v, facts::Range& where) {
  if (v.kind != Value::Kind::Name || v.text.find('.') != std::string::npos) return &v;
  const facts::Binding* found = nullptr;
  for (const auto& b : py.bindings)
    if (b.name == v.text && b.scope.empty()) found = &b;
  if (!found) return &v;
  where = found->range;
  return &found->value;
}

// The byte range of the string literal holding `value` inside `within` (its first quote to
// its last), or `within` itself when it cannot be found.
facts::Range literal_range(const SourceLines& lines, const facts::Range& within, const std::string& value) {
  std::string_view text = lines.text();
  size_t end = std::min<size_t>(within.end_byte, text.size());
  for (char quote : {'"', '\''}) {
    std::string needle = quote + value + quote;
    size_t at = text.substr(0, end).find(needle, within.start_byte);
    if (at != std::string_view::npos) return lines.range_at(at, needle.size());
  }
  return within;
}

void add_list(const SourceLines& lines, const Value& list, const facts::Range& where, const std::string& group, ManifestRead& out) {
  if (list.kind != Value::Kind::List) return;
  for (const auto& item : list.entries) {
    if (item.value.kind != Value::Kind::String) continue;
    auto req = parse_pep508(item.value.text);
    if (!req) continue;
    req->group = group;
    req->range = literal_range(lines, where, item.value.text);
    out.requirements.push_back(std::move(*req));
  }
}

}  // namespace

ManifestRead read_setup_py(const facts::PythonFacts& python, std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  for (const auto& call : python.calls) {
    if (!is_setup_call(call)) continue;
    for (const auto& arg : call.args) {
      facts::Range where = arg.range;
      if (arg.keyword == "install_requires") {
        const Value* v = followed(python, arg.value, where);
        add_list(lines, *v, where, "main", out);
      } else if (arg.keyword == "extras_require") {
        const Value* v = followed(python, arg.value, where);
        if (v->kind != Value::Kind::Dict) continue;
        for (const auto& entry : v->entries) add_list(lines, entry.value, where, "optional:" + entry.key, out);
      }
    }
  }
  return out;
}

}  // namespace mlaudit::manifests
