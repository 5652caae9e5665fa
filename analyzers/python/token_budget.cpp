#include "analyzers/python/token_budget.hpp"

namespace mlaudit::python {
namespace {

bool word_char(unsigned char c) { return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
bool space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

size_t estimate_tokens(std::string_view text, size_t limit) {
  size_t tokens = 0;
  unsigned char previous = ' ';
  for (unsigned char c : text) {
    if (space(c)) {
      previous = ' ';
      continue;
    }
    bool continues = word_char(c) ? word_char(previous) : c == previous;
    if (!continues && ++tokens >= limit) return tokens;
    previous = c;
  }
  return tokens;
}

std::mutex& large_parse_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::string token_budget_reason(size_t tokens) {
  if (tokens <= kMaxTokens) return "";
  return "too many tokens to parse (more than " + std::to_string(kMaxTokens) + ", e.g. a generated or minified file)";
}

}  // namespace mlaudit::python
