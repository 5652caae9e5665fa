// A bound on how much syntax tree one Python file may cost. tree-sitter's tree (and its parse
// stack) grows with the number of tokens, not bytes: ordinary code has a token every 4-6 bytes,
// but a 2 MiB line such as `x = 1+1+1+...` has one per byte and needed ~340 MB to parse. Such a
// file is skipped with a reason instead, decided by a cheap pass over the text.
#pragma once
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace mlaudit::python {

// Above this many (estimated) tokens a file is not parsed: ~200 MB of tree at worst, while a
// 2 MiB file of ordinary code (~450,000 tokens) still parses.
inline constexpr size_t kMaxTokens = 750000;

// An upper-bound estimate of the tokens tree-sitter will see: every run of identifier
// characters (letters, digits, '_', non-ASCII) is one token, every punctuation character one
// too, except that a run of the same character ("-----", "((((") counts once. Stops counting
// at `limit`.
size_t estimate_tokens(std::string_view text, size_t limit = kMaxTokens + 1);

// The skip reason for a file of `tokens` (estimated) tokens, or "" when it may be parsed.
std::string token_budget_reason(size_t tokens);

// Files above this many tokens (~400 KB of ordinary code, tens of MB of tree) are parsed one at a
// time across the process (lock large_parse_mutex() around parse and extraction), so several
// threads (the crawl, the audit command, open documents) never hold several such trees at once.
inline constexpr size_t kLargeParseTokens = 100000;
std::mutex& large_parse_mutex();

}  // namespace mlaudit::python
