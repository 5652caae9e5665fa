// A rule's verdict on one place in one file, before any output format.
#pragma once
#include <string>

#include "analyzers/facts.hpp"
#include "rubric/rubric.hpp"

namespace mlaudit::rubric {

struct Finding {
  std::string rule;
  std::string checklist_id;
  Severity severity = Severity::Info;
  std::string message;  // never holds a secret: rules mask before they write
  std::string path;
  facts::Range range;
  std::string href;     // remediation page
  bool below_target = false;  // no level up to the `target-level` setting needs it: a hint, report-only
};

}  // namespace mlaudit::rubric
