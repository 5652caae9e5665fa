// Per-rule fix builders (one file each); fixes.cpp routes findings to them.
#pragma once
#include <optional>
#include <string>

#include "rubric/fixes/fix.hpp"

namespace mlaudit::rubric::fixes {

// Fixes of findings on a call (unsafe-deserialization, trust-remote-code, split-without-random-state).
std::optional<Fix> call_fix(const FixContext& ctx, const Finding& finding);

// seed-not-set: a seeding block after the imports, or a call of the project's seed helper.
std::optional<Fix> seed_fix(const FixContext& ctx, const Finding& finding);

// hardcoded-secret: the literal read from os.environ instead.
std::optional<Fix> secret_fix(const FixContext& ctx, const Finding& finding);

// The project's seed constant usable before byte `before` (a module-level SEED = 42, or one
// imported from a workspace module), "" when there is none.
std::string seed_constant(const FixContext& ctx, uint32_t before);

}  // namespace mlaudit::rubric::fixes
