// Files compiled into the binary (rubric YAML, audit template, remediation pages), so an
// installed `mlaudit` needs nothing from the source tree at run time.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit::embedded {

struct Resource {
  std::string_view path;  // relative to rubric/, with '/' separators
  std::string_view content;
};

// Every embedded file, sorted by path. Defined in the generated embedded_resources.cpp.
const std::vector<Resource>& all();

}  // namespace mlaudit::embedded
