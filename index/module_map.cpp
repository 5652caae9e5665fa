#include "index/module_map.hpp"

namespace mlaudit::index {
namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// "/root/src/pkg/mod.py" -> "/root/src/pkg/mod"; "/root/pkg/__init__.py" -> "/root/pkg".
std::string stem_of(const std::string& path) {
  std::string stem = path.substr(0, path.rfind('.'));
  const std::string init = "/__init__";
  if (stem.size() > init.size() && stem.compare(stem.size() - init.size(), init.size(), init) == 0)
    stem.resize(stem.size() - init.size());
  return stem;
}

}  // namespace

ModuleMap::ModuleMap(const std::vector<std::string>& paths, const std::vector<std::string>& roots) {
  for (const auto& path : paths) {
    std::string stem = stem_of(path);
    by_stem_[stem] = path;
    std::string relative = stem;
    for (const auto& root : roots) {
      std::string prefix = root.back() == '/' ? root : root + "/";
      if (starts_with(stem, prefix)) { relative = stem.substr(prefix.size()); break; }
    }
    // Every dotted suffix: a/b/c -> "a.b.c", "b.c", "c" (covers src/ layouts and sys.path tweaks).
    std::string dotted = relative;
    for (char& c : dotted) if (c == '/') c = '.';
    for (size_t start = 0;;) {
      by_module_.emplace(dotted.substr(start), path);
      size_t dot = dotted.find('.', start);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  }
}

std::vector<std::string> ModuleMap::lookup(const std::string& dotted) const {
  std::vector<std::string> out;
  auto [first, last] = by_module_.equal_range(dotted);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::vector<std::string> ModuleMap::lookup_path(const std::string& stem) const {
  auto it = by_stem_.find(stem);
  if (it == by_stem_.end()) return {};
  return {it->second};
}

std::vector<std::string> ModuleMap::resolve(const std::string& importer, const facts::Import& imp) const {
  std::vector<std::string> out;
  auto add = [&](std::vector<std::string> found) { out.insert(out.end(), found.begin(), found.end()); };
  if (!imp.module.empty() && imp.module[0] == '.') {
    size_t dots = imp.module.find_first_not_of('.');
    if (dots == std::string::npos) dots = imp.module.size();
    std::string base = importer.substr(0, importer.rfind('/'));
    for (size_t up = 1; up < dots && base.find('/') != std::string::npos; ++up) base = base.substr(0, base.rfind('/'));
    std::string rest = imp.module.substr(dots);
    for (char& c : rest) if (c == '.') c = '/';
    std::string stem = rest.empty() ? base : base + "/" + rest;
    add(lookup_path(stem));
    if (!imp.name.empty() && imp.name != "*") add(lookup_path(stem + "/" + imp.name));
  } else {
    add(lookup(imp.module));
    if (!imp.name.empty() && imp.name != "*") add(lookup(imp.module + "." + imp.name));
  }
  return out;
}

}  // namespace mlaudit::index
