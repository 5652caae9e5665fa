// kind: malformed — a file the analyzers could not read as its format (invalid TOML, JSON or
// YAML; a manifest section of the wrong type; a requirement line pip rejects), at the error's
// position. Whatever could be read before the error was still analysed; this finding says the
// rest was not, so a broken file is never mistaken for a clean one.
#include "rubric/engine.hpp"

namespace mlaudit::rubric {

void check_malformed(const RuleContext& ctx, std::vector<Finding>& out) {
  std::string name = ctx.file.path.substr(ctx.file.path.rfind('/') + 1);
  for (const auto& error : ctx.file.parse_errors)
    report(ctx, error.range, format_message(ctx.rule.message, {{"file", name}, {"error", error.message}}), out);
}

}  // namespace mlaudit::rubric
