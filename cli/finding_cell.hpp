// The notebook cell of a located finding, when the finding type carries one. Written against
// the field by detection (a requires-expression) so the output formats need no change when
// notebook support adds `cell` to LocatedFinding (design.md: `cell`, 0-based index into `cells`).
#pragma once
#include <cstdint>
#include <optional>

namespace mlaudit::cli {

template <class Located>
std::optional<uint32_t> finding_cell(const Located& located) {
  if constexpr (requires { located.cell.has_value(); }) {
    if (located.cell) return static_cast<uint32_t>(*located.cell);
  } else if constexpr (requires { located.finding.cell.has_value(); }) {
    if (located.finding.cell) return static_cast<uint32_t>(*located.finding.cell);
  }
  return std::nullopt;
}

}  // namespace mlaudit::cli
