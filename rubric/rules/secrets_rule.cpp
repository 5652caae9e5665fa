// kind: secrets — API keys in string literals, matched with RE2 (linear time on any input).
// The message shows at most the first four characters of the secret: the raw value never
// leaves this function.
#include <set>

#include "rubric/engine.hpp"

namespace mlaudit::rubric {
namespace {

std::string mask(const std::string& secret) {
  // Four characters at most, and never more than a quarter of a short value.
  size_t shown = std::min<size_t>(4, secret.size() / 4);
  return secret.substr(0, shown) + std::string(8, '*');
}

size_t distinct(const std::string& s) { return std::set<char>(s.begin(), s.end()).size(); }

void check_literals(const RuleContext& ctx, const std::vector<facts::StringLiteral>& literals, const std::string& message,
                    std::vector<Finding>& out) {
  for (const auto& literal : literals) {
    for (const auto& secret : ctx.rule.secrets) {
      re2::StringPiece match;
      if (!secret.pattern->Match(literal.value, 0, literal.value.size(), RE2::UNANCHORED, &match, 1)) continue;
      std::string value(match.data(), match.size());
      // Whole tokens only: "sk-..." inside a longer identifier-like run is not a key.
      size_t at = static_cast<size_t>(match.data() - literal.value.data());
      auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
      if ((at > 0 && word(literal.value[at - 1])) ||
          (at + value.size() < literal.value.size() && word(literal.value[at + value.size()])))
        continue;
      if (secret.exclude && RE2::PartialMatch(value, *secret.exclude)) continue;
      if (secret.context && !RE2::PartialMatch(literal.context, *secret.context)) continue;
      if (distinct(value) < ctx.rule.min_distinct_characters) continue;
      report(ctx, literal.range, format_message(message, {{"secret", secret.name}, {"masked", mask(value)}}), out);
      break;
    }
  }
}

}  // namespace

void check_secrets(const RuleContext& ctx, std::vector<Finding>& out) {
  check_literals(ctx, ctx.file.python.strings, ctx.rule.message, out);
  if (ctx.file.notebook)
    check_literals(ctx, ctx.file.notebook->outputs,
                   ctx.rule.output_message.empty() ? ctx.rule.message : ctx.rule.output_message, out);
}

}  // namespace mlaudit::rubric
