// `mlaudit audit --fail-under LEVEL`: a merge gate on the overall maturity level.
#pragma once
#include "rubric/audit.hpp"

namespace mlaudit::cli {

// The exit status for `--fail-under level` (1..5; 0 disables the gate), saying why on stderr:
// - overall level below `level`: 1;
// - a relevant workspace with no overall level (no template area assessable): 1, since the
//   gate cannot show the level is reached;
// - a workspace that is not ML/LLM code: 0 (the checklist does not apply; a note says so),
//   so the gate can sit in a monorepo's shared CI without failing non-ML packages; use
//   `--relevance on` to gate such a workspace anyway;
// - otherwise 0.
int fail_under_status(const rubric::AuditResult& audit, int level);

}  // namespace mlaudit::cli
