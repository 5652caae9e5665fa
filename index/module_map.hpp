// Which workspace files a Python import refers to. Pure path logic over the workspace's .py
// files: `import utils` finds `<root>/utils.py`, `<root>/src/utils.py` (src layouts) or a
// package `utils/__init__.py`; relative imports resolve against the importing file's folder.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit::index {

class ModuleMap {
 public:
  // `paths` are absolute, '/'-separated paths of Python files; `roots` the workspace folders.
  ModuleMap(const std::vector<std::string>& paths, const std::vector<std::string>& roots);

  // Files that `imp`, written in `importer`, may refer to (a module or, for
  // `from pkg import mod`, a submodule). Empty for third-party imports.
  std::vector<std::string> resolve(const std::string& importer, const facts::Import& imp) const;

 private:
  std::vector<std::string> lookup(const std::string& dotted) const;
  std::vector<std::string> lookup_path(const std::string& path_without_ext) const;
  std::multimap<std::string, std::string> by_module_;  // every dotted suffix -> file
  std::map<std::string, std::string> by_stem_;          // "/abs/dir/mod" and "/abs/pkg" -> file
};

}  // namespace mlaudit::index
