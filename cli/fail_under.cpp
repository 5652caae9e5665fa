#include "cli/fail_under.hpp"

#include <iostream>

namespace mlaudit::cli {

int fail_under_status(const rubric::AuditResult& audit, int level) {
  if (level <= 0) return 0;
  if (!audit.relevance.relevant) {
    std::cerr << "mlaudit: --fail-under " << level << " not applied: " << audit.relevance.reason << "\n";
    return 0;
  }
  if (!audit.overall) {
    std::cerr << "mlaudit: overall maturity unknown (no checklist area is assessable), --fail-under " << level
              << " requires level " << level << "\n";
    return 1;
  }
  if (*audit.overall < level) {
    std::cerr << "mlaudit: overall maturity " << *audit.overall << " is below --fail-under " << level << "\n";
    return 1;
  }
  return 0;
}

}  // namespace mlaudit::cli
