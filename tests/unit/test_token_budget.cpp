// The token budget of Python files (analyzers/python/token_budget.hpp): dense generated lines
// are skipped with a reason before tree-sitter builds a huge tree; ordinary code is not.
#include <doctest/doctest.h>

#include <string>

#include "analyzers/analyzer.hpp"
#include "analyzers/python/token_budget.hpp"

using mlaudit::python::estimate_tokens;
using mlaudit::python::kMaxTokens;

TEST_CASE("token budget: the estimate counts words, punctuation and runs of one character") {
  CHECK(estimate_tokens("") == 0);
  CHECK(estimate_tokens("x = torch.load(path)") == 8);  // x = torch . load ( path )
  CHECK(estimate_tokens("# ----------------------------------------") == 2);
  CHECK(estimate_tokens("((((((1))))))") == 3);
  CHECK(estimate_tokens("1+1+1") == 5);
  CHECK(estimate_tokens("naïve_名前 = 1") == 3);  // non-ASCII letters belong to words
  CHECK(estimate_tokens(std::string(1000, '+') + "x", 10) == 2);
  CHECK(estimate_tokens("a b c d e f", 3) == 3);  // stops at the limit
}

TEST_CASE("token budget: a dense 1.8 MB line is skipped, 2 MB of ordinary code is analysed") {
  std::string dense = "import torch\nx = ";
  for (int i = 0; i < 900000; ++i) dense += "1+";
  dense += "1\n";
  auto skipped = mlaudit::analyze_text("/ws/dense.py", dense, 2 * 1024 * 1024);
  CHECK(skipped.skipped.reason.find("too many tokens") != std::string::npos);
  CHECK(skipped.python.imports.empty());

  std::string ordinary;
  while (ordinary.size() < 2000000)
    ordinary += "def train(model, data, epochs=3):\n    state = torch.load(path)  # a comment\n"
                "    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)\n    return model\n\n";
  CHECK(estimate_tokens(ordinary) < kMaxTokens);
  auto analysed = mlaudit::analyze_text("/ws/big.py", "import torch\n" + ordinary, 2 * 1024 * 1024);
  CHECK(analysed.skipped.reason.empty());
  CHECK_FALSE(analysed.python.imports.empty());
}
