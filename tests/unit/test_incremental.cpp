// lsp/document + analyzers/analyzer: LSP edits applied to an open document, the incremental
// tree-sitter reparse, and facts that must equal a fresh analysis of the same text.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <unordered_set>
#include <string>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "lsp/document.hpp"
#include "support/text.hpp"

using mlaudit::DocumentAnalysis;
using mlaudit::Encoding;
using mlaudit::LineColumn;
using mlaudit::LineIndex;
using mlaudit::lsp::DocumentText;
using nlohmann::json;

namespace {

json change(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2, const std::string& text) {
  return {{"range", {{"start", {{"line", l1}, {"character", c1}}}, {"end", {{"line", l2}, {"character", c2}}}}},
          {"text", text}};
}

// An open document: its text, its analysis, and the didChange handling of the server.
struct OpenDocument {
  DocumentText text;
  DocumentAnalysis analysis;
  mlaudit::facts::FileFacts facts;

  OpenDocument(std::string path, std::string initial) : text(std::move(initial)), analysis(std::move(path)) {
    facts = analysis.analyze(text.text());
  }
  void did_change(const std::vector<json>& changes, Encoding encoding) {
    for (const auto& c : changes) analysis.edit(text.apply(c, encoding));
    facts = analysis.analyze(text.text());
  }
  mlaudit::facts::FileFacts fresh() const { return mlaudit::analyze_text(analysis.path(), text.text()); }
};

// Identities of every node of a tree. TSNode::id is the address of the node's subtree, which
// an incremental parse shares with the old tree wherever it reused a piece of it.
std::unordered_set<const void*> node_ids(const TSTree* tree) {
  std::unordered_set<const void*> out;
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  for (bool more = true; more;) {
    out.insert(ts_tree_cursor_current_node(&cursor).id);
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor))
      if (!ts_tree_cursor_goto_parent(&cursor)) { more = false; break; }
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

size_t shared_ids(const std::unordered_set<const void*>& old_ids, const TSTree* tree) {
  size_t n = 0;
  for (const void* id : node_ids(tree)) n += old_ids.count(id);
  return n;
}

uint64_t covered_bytes(const std::vector<TSRange>& ranges) {
  uint64_t n = 0;
  for (const auto& r : ranges) n += r.end_byte - r.start_byte;
  return n;
}

// ~2,000 lines of ordinary training code.
std::string big_file() {
  std::string out = "import torch\nimport numpy as np\nfrom transformers import AutoModel\n\n";
  for (int i = 0; i < 400; ++i) {
    std::string n = std::to_string(i);
    out += "def step_" + n + "(model, batch):\n";
    out += "    out = model(batch[\"x\"], scale=" + n + ")  # 第" + n + "步 😀\n";
    out += "    return torch.nn.functional.mse_loss(out, batch[\"y\"]) + np.float32(0." + n + ")\n";
    out += "\n\n";
  }
  out += "if __name__ == \"__main__\":\n    step_0(AutoModel.from_pretrained(\"m\"), {})\n";
  return out;
}

}  // namespace

TEST_CASE("document: several changes in one didChange apply in order (utf-16, multi-byte text)") {
  const std::string initial = "# 数据 😀 end\nimport torch as T\nx = \"é\"\n";
  OpenDocument doc("/ws/train.py", initial);
  doc.did_change(
      {
          change(0, 5, 0, 7, "🎉🎉"),                   // the emoji: utf-16 units 5..7
          change(1, 0, 1, 0, "import yaml\n"),          // a new line 1; "import torch" moves to 2
          change(3, 5, 3, 6, "中文"),                   // "é" on the (new) line 3
          change(2, 17, 2, 17, "\nT.load(p)"),          // end of "import torch as T"
      },
      Encoding::Utf16);
  CHECK(doc.text.text() == "# 数据 🎉🎉 end\nimport yaml\nimport torch as T\nT.load(p)\nx = \"中文\"\n");
  CHECK(doc.facts == doc.fresh());
  REQUIRE(doc.facts.python.calls.size() == 1);
  CHECK(doc.facts.python.calls[0].qualified == "torch.load");
  CHECK(doc.facts.python.calls[0].range.start.line == 3);
  CHECK(doc.facts.python.imports.size() == 2);
}

TEST_CASE("document: the same edits expressed in utf-8 columns") {
  const std::string initial = "# 数据 😀 end\nimport torch as T\nx = \"é\"\n";
  OpenDocument doc("/ws/train.py", initial);
  doc.did_change(
      {
          change(0, 9, 0, 13, "🎉🎉"),  // "# 数据 " is 9 bytes; 😀 is 4
          change(1, 0, 1, 0, "import yaml\n"),
          change(3, 5, 3, 7, "中文"),   // é is 2 bytes
          change(2, 17, 2, 17, "\nT.load(p)"),
      },
      Encoding::Utf8);
  CHECK(doc.text.text() == "# 数据 🎉🎉 end\nimport yaml\nimport torch as T\nT.load(p)\nx = \"中文\"\n");
  CHECK(doc.facts == doc.fresh());
}

TEST_CASE("document: deletions across lines, a reversed range, positions past the end, full replacement") {
  OpenDocument doc("/ws/a.py", "import pickle\n\npickle.load(f)\nz = 1\n");
  doc.did_change({change(1, 0, 2, 0, "")}, Encoding::Utf16);  // delete the empty line
  CHECK(doc.text.text() == "import pickle\npickle.load(f)\nz = 1\n");
  doc.did_change({change(2, 5, 2, 4, "2")}, Encoding::Utf16);  // end before start: swapped
  CHECK(doc.text.text() == "import pickle\npickle.load(f)\nz = 2\n");
  doc.did_change({change(2, 99, 50, 0, "\nw = pickle.loads(b)")}, Encoding::Utf16);  // clamps to the end
  CHECK(doc.text.text() == "import pickle\npickle.load(f)\nz = 2\nw = pickle.loads(b)");
  CHECK(doc.facts == doc.fresh());
  CHECK(doc.facts.python.calls.size() == 2);
  doc.did_change({json{{"text", "import os\n"}}}, Encoding::Utf16);  // no range: the whole text
  CHECK(doc.text.text() == "import os\n");
  CHECK(doc.facts == doc.fresh());
  CHECK(doc.facts.python.calls.empty());
}

TEST_CASE("document: malformed changes throw and leave the text alone") {
  DocumentText text("abc");
  CHECK_THROWS_AS(text.apply(json{{"range", {{"start", {{"line", 0}}}}}, {"text", "x"}}, Encoding::Utf16),
                  json::exception);
  json no_text = change(0, 0, 0, 1, "x");
  no_text.erase("text");
  CHECK_THROWS_AS(text.apply(no_text, Encoding::Utf16), json::exception);
  CHECK_THROWS_AS(text.apply(json{{"range", {{"start", {{"line", -1}, {"character", 0}}},
                                             {"end", {{"line", 0}, {"character", 0}}}}},
                                  {"text", "x"}},
                             Encoding::Utf16),
                  json::exception);
  CHECK(text.text() == "abc");
}

TEST_CASE("document: the tree-sitter edit carries byte offsets and '\\n'-rows of the old and new text") {
  DocumentText text("ab\nc😀d\n");
  auto edit = text.apply(change(1, 1, 1, 3, "x\ny"), Encoding::Utf16);  // replace 😀
  CHECK(edit.start_byte == 4);
  CHECK(edit.old_end_byte == 8);
  CHECK(edit.new_end_byte == 7);
  CHECK(edit.start == mlaudit::facts::Point{1, 1});
  CHECK(edit.old_end == mlaudit::facts::Point{1, 5});
  CHECK(edit.new_end == mlaudit::facts::Point{2, 1});
  CHECK(text.text() == "ab\ncx\nyd\n");
  CHECK(mlaudit::lsp::point_at("a\r\nb", 3) == mlaudit::facts::Point{1, 0});
  CHECK(mlaudit::lsp::point_at("a\rb", 2) == mlaudit::facts::Point{0, 2});  // tree-sitter rows split on \n only
}

TEST_CASE("incremental: a small edit in a 2,000-line file reparses a small region") {
  const std::string initial = big_file();
  LineIndex lines(initial);
  REQUIRE(lines.line_count() > 2000);
  OpenDocument doc("/ws/train.py", initial);
  CHECK(doc.analysis.last_changed_ranges().empty());  // the first parse has nothing to compare with
  const auto before = doc.facts;
  // A shallow copy keeps the old subtrees alive, so an address seen again after the edit is a
  // subtree the reparse reused, never a new one allocated where an old one was freed.
  mlaudit::python::TreePtr old_tree(ts_tree_copy(doc.analysis.tree()));
  const auto old_ids = node_ids(old_tree.get());
  REQUIRE(old_ids.size() > 10000);

  SUBCASE("a new statement inside one function") {
    // Line of "def step_200": insert a statement as the first line of its body.
    uint32_t line = 0;
    for (uint32_t l = 0; l < lines.line_count(); ++l) {
      auto [s, e] = lines.line_bounds(l);
      if (initial.compare(s, e - s, "def step_200(model, batch):") == 0) { line = l; break; }
    }
    REQUIRE(line > 900);
    const std::string inserted = "    state = torch.load(\"ckpt.pt\")\n";
    doc.did_change({change(line + 1, 0, line + 1, 0, inserted)}, Encoding::Utf16);
    CHECK(doc.facts == doc.fresh());
    CHECK(doc.facts.python.calls.size() == before.python.calls.size() + 1);
    const auto& changed = doc.analysis.last_changed_ranges();
    // tree-sitter reports where the syntactic structure changed: the new statement is there,
    // and nothing near the start or the end of the file is.
    REQUIRE_FALSE(changed.empty());
    const uint32_t at = static_cast<uint32_t>(doc.text.text().find(inserted));
    bool covers_insert = false;
    for (const auto& r : changed) {
      CHECK(r.start_byte <= r.end_byte);
      CHECK(r.end_byte <= doc.text.text().size());
      CHECK(r.start_byte > 1000);
      CHECK(r.end_byte + 1000 < doc.text.text().size());
      if (r.start_byte <= at + 4 && at + inserted.size() - 1 <= r.end_byte) covers_insert = true;
    }
    CHECK(covers_insert);
    CHECK(covered_bytes(changed) * 50 < doc.text.text().size());
    // The old tree was reused: a good part of the new tree's nodes are the very subtrees of
    // the old one (tree-sitter 0.20 with this grammar rebuilds the statements around reused
    // pieces rather than keeping whole definitions), while a parse from scratch shares none.
    CHECK(shared_ids(old_ids, doc.analysis.tree()) * 3 > old_ids.size());
    auto scratch = mlaudit::python::parse(doc.text.text());
    CHECK(shared_ids(old_ids, scratch.get()) == 0);
  }

  SUBCASE("an edit that keeps the structure: a number literal changes") {
    // "np.float32(0.200)" -> "np.float32(0.900)": same length, same node types.
    size_t at = initial.find("np.float32(0.200)") + 13;
    LineColumn position = lines.position_of(at, Encoding::Utf16);
    doc.did_change({change(position.line, position.column, position.line, position.column + 1, "9")}, Encoding::Utf16);
    CHECK(doc.text.text().find("np.float32(0.900)") != std::string::npos);
    CHECK(doc.facts == doc.fresh());
    CHECK(doc.facts.python.calls.size() == before.python.calls.size());
    // ts_tree_get_changed_ranges reports ranges whose *syntactic structure* changed. A token
    // whose text changed but whose kind, size and position did not is the same structure, so
    // the list is empty. (The facts still follow the new text: extraction reads token text
    // from the document, not from the tree.) Reuse shows in the node identities instead.
    CHECK(doc.analysis.last_changed_ranges().empty());
    CHECK(shared_ids(old_ids, doc.analysis.tree()) * 3 > old_ids.size());
  }

  SUBCASE("an edit that shifts everything after it") {
    // Lengthening a comment near the top moves every later byte. Nodes that only moved are
    // reused, not reported: a comment is the same single token before and after, so nothing
    // is reported at all, although 65 KB of nodes after it changed position.
    size_t at = initial.find("# 第0步 😀") + 2;
    LineColumn position = lines.position_of(at, Encoding::Utf16);
    doc.did_change({change(position.line, position.column, position.line, position.column, "很长的注释 ")},
                   Encoding::Utf16);
    CHECK(doc.facts == doc.fresh());
    CHECK(doc.facts.python.calls.back().range.start_byte == before.python.calls.back().range.start_byte + 16);
    CHECK(doc.analysis.last_changed_ranges().empty());
  }

  SUBCASE("a change that alters one call's arguments") {
    // `scale=200)` -> `scale=200, weights=None)`: one argument list changes shape.
    size_t at = initial.find("scale=200)") + 9;
    LineColumn position = lines.position_of(at, Encoding::Utf8);
    doc.did_change({change(position.line, position.column, position.line, position.column, ", weights=None")},
                   Encoding::Utf8);
    CHECK(doc.facts == doc.fresh());
    const auto& changed = doc.analysis.last_changed_ranges();
    REQUIRE_FALSE(changed.empty());
    CHECK(covered_bytes(changed) < 200);
    CHECK(changed.front().start_byte <= at + 14);
    CHECK(changed.back().end_byte >= at);
  }
}

TEST_CASE("incremental: ts_tree_get_changed_ranges reports the edited statement (API sanity check)") {
  // Sanity check of the changed-ranges API itself: comparing a tree with a fresh parse of a
  // text that differs in one statement reports a range at that statement.
  namespace py = mlaudit::python;
  std::string a = "x = 1\ny = 2\nz = 3\n";
  std::string b = "x = 1\ny = f(2)\nz = 3\n";
  auto old_tree = py::parse(a);
  TSInputEdit edit{10, 11, 14, {1, 4}, {1, 5}, {1, 8}};
  ts_tree_edit(old_tree.get(), &edit);
  auto new_tree = py::parse(b, old_tree.get());
  uint32_t count = 0;
  TSRange* ranges = ts_tree_get_changed_ranges(old_tree.get(), new_tree.get(), &count);
  REQUIRE(count >= 1);
  CHECK(ranges[0].start_byte >= 6);
  CHECK(ranges[count - 1].end_byte <= 15);
  std::free(ranges);
}

namespace {

// Random offsets at character boundaries, never between "\r" and "\n".
size_t random_boundary(const std::string& text, std::mt19937& rng) {
  std::uniform_int_distribution<size_t> pick(0, text.size());
  for (int attempt = 0; attempt < 100; ++attempt) {
    size_t at = pick(rng);
    if (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) continue;
    if (at > 0 && at < text.size() && text[at - 1] == '\r' && text[at] == '\n') continue;
    return at;
  }
  return text.size();
}

void randomized_differential(Encoding encoding, uint32_t seed) {
  const std::string base =
      "import torch as T\n"
      "from transformers import AutoModel\n"
      "import yaml\n"
      "# 数据加载 😀\n"
      "def load(path, **kwargs):\n"
      "    cfg = yaml.load(open(path), Loader=yaml.SafeLoader)\n"
      "    kw = {\"trust_remote_code\": True}\n"
      "    model = AutoModel.from_pretrained(\"é/中\", **kw)\n"
      "    return T.load(path, weights_only=True), cfg\n"
      "\n"
      "class Trainer:\n"
      "    def train(self):\n"
      "        key = \"sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z\"\n"
      "        self.optimizer.step()\n"
      "\n"
      "if __name__ == \"__main__\":\n"
      "    Trainer().train()\n";
  const std::vector<std::string> pool = {
      "", "", "x", "é", "中", "😀", "🎉x", "\n", "\r\n", "\r", "\t", " ", "    ", "(", ")", "\"", "'", ":", ",", "=",
      "import numpy as np\n", "np.random.seed(0)\n", "T.load(p)", "yaml.load(f, Loader=yaml.SafeLoader)\n",
      "def g():\n    ", "# 注释 😀\n", "AutoModel.from_pretrained(m, trust_remote_code=True)\n",
      "if __name__ == \"__main__\":\n    main()\n", "kw = dict(trust_remote_code=False)\n", "\"sk-", "'''",
      "\\\n", "from .utils import set_seed as s\n", "s(1)\n"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick_insert(0, pool.size() - 1);
  std::uniform_int_distribution<int> pick_count(1, 3);
  std::uniform_int_distribution<int> pick_span(0, 12);

  OpenDocument doc("/ws/pkg/train.py", base);
  std::string expected = base;
  size_t incremental_parses = 0, valid_steps = 0;
  for (int step = 0; step < 300; ++step) {
    CAPTURE(step);
    std::vector<json> changes;
    if (step % 12 == 11) {  // now and then the whole text, as some clients send it (and back to valid code)
      expected = base;
      changes.push_back(json{{"text", base}});
    } else {
      for (int n = pick_count(rng); n > 0; --n) {
        size_t start = random_boundary(expected, rng);
        size_t end = start;
        for (int span = pick_span(rng); span > 0 && end < expected.size(); --span) {
          ++end;
          while (end < expected.size() && (static_cast<unsigned char>(expected[end]) & 0xC0) == 0x80) ++end;
          if (end < expected.size() && expected[end - 1] == '\r' && expected[end] == '\n') ++end;
        }
        if (expected.size() > 3000) end = std::min(expected.size(), start + 200);  // keep it small
        std::string inserted = pool[pick_insert(rng)];
        LineIndex lines(expected);
        auto s = lines.position_of(start, encoding), e = lines.position_of(end, encoding);
        REQUIRE(lines.offset_of(s, encoding) == start);
        REQUIRE(lines.offset_of(e, encoding) == end);
        changes.push_back(change(s.line, s.column, e.line, e.column, inserted));
        expected = expected.substr(0, start) + inserted + expected.substr(end);
      }
    }
    doc.did_change(changes, encoding);
    REQUIRE(doc.text.text() == expected);
    incremental_parses += !doc.analysis.last_changed_ranges().empty();
    auto fresh = doc.fresh();
    valid_steps += !fresh.python.has_syntax_errors;
    if (!(doc.facts == fresh)) {
      INFO("text:\n" << expected);
      CHECK(doc.facts.python.imports == fresh.python.imports);
      CHECK(doc.facts.python.calls == fresh.python.calls);
      CHECK(doc.facts.python.bindings == fresh.python.bindings);
      CHECK(doc.facts.python.strings == fresh.python.strings);
      CHECK(doc.facts.python.has_main_guard == fresh.python.has_main_guard);
      CHECK(doc.facts.python.has_syntax_errors == fresh.python.has_syntax_errors);
      CHECK(doc.facts.suppressions == fresh.suppressions);
      FAIL("incremental facts differ from fresh facts");
    }
  }
  // Both regimes were exercised: valid code (incremental reuse) and broken code (error recovery).
  CHECK(valid_steps >= 20);
  CHECK(valid_steps < 270);
  CHECK(incremental_parses > 30);  // reparses that reported changed ranges against the old tree
}

}  // namespace

namespace {

// Random edits that keep the module valid Python: whole statements inserted and deleted, and
// string contents rewritten with multi-byte text. Exercises the facts of well-formed code,
// where the purely random edits above mostly produce syntax errors.
void randomized_valid_edits(Encoding encoding, uint32_t seed) {
  const std::vector<std::string> statements = {
      "import torch as T",
      "from transformers import AutoModel as AM",
      "import numpy.random as npr",
      "npr.seed(1)",
      "x = T.load(\"中.pt\")",
      "m = AM.from_pretrained(\"é\", trust_remote_code=True)",
      "kw = {\"trust_remote_code\": True, \"名\": \"😀😀😀😀😀😀😀😀\"}",
      "AM.from_pretrained(\"m\", **kw)",
      "key = \"sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z\"  # 😀 mlaudit: ignore[hardcoded-secret]",
      "import yaml",
      "y = yaml.load(f, Loader=yaml.SafeLoader)",
      "s = \"🎉 é 中\" + \"x\"",
      "# mlaudit: ignore",
      "z = dict(a=1, b=\"中\")",
      "from .utils import set_seed as ss",
      "ss(0)",
  };
  const std::vector<std::string> fragments = {"", "é", "中文", "😀", "🎉🎉", "ab", " ", "sk-"};
  std::mt19937 rng(seed);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const std::string guard = "if __name__ == \"__main__\":\n    T.manual_seed(0)\n";

  std::vector<std::string> lines = {statements[0], statements[4], statements[6]};
  auto render = [&] {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out + guard;
  };
  OpenDocument doc("/ws/pkg/run.py", render());
  size_t valid = 0;
  for (int step = 0; step < 200; ++step) {
    CAPTURE(step);
    std::vector<json> changes;
    for (size_t n = 1 + pick(3); n > 0; --n) {
      int action = static_cast<int>(pick(3));
      if (action == 1 && lines.size() > 1) {  // delete a line
        uint32_t i = static_cast<uint32_t>(pick(lines.size()));
        changes.push_back(change(i, 0, i + 1, 0, ""));
        lines.erase(lines.begin() + i);
      } else if (action == 2) {  // rewrite part of the first string literal of a line
        uint32_t i = static_cast<uint32_t>(pick(lines.size()));
        std::string& line = lines[i];
        size_t open = line.find('"'), close = open == std::string::npos ? open : line.find('"', open + 1);
        if (close == std::string::npos) continue;
        std::string content = line.substr(open + 1, close - open - 1);
        size_t a = 0, b = 0;  // whole characters of the content
        size_t chars = mlaudit::units_in(content, Encoding::Utf32);
        size_t ca = pick(chars + 1), cb = ca + pick(chars - ca + 1);
        LineIndex content_index(content);
        a = content_index.offset_of({0, static_cast<uint32_t>(ca)}, Encoding::Utf32);
        b = content_index.offset_of({0, static_cast<uint32_t>(cb)}, Encoding::Utf32);
        std::string inserted = fragments[pick(fragments.size())];
        auto column = [&](size_t byte) {
          return static_cast<uint32_t>(mlaudit::units_in(std::string_view(line).substr(0, open + 1 + byte), encoding));
        };
        changes.push_back(change(i, column(a), i, column(b), inserted));
        line.replace(open + 1 + a, b - a, inserted);
      } else {  // insert a statement
        uint32_t i = static_cast<uint32_t>(pick(lines.size() + 1));
        std::string statement = statements[pick(statements.size())];
        changes.push_back(change(i, 0, i, 0, statement + "\n"));
        lines.insert(lines.begin() + i, statement);
      }
    }
    doc.did_change(changes, encoding);
    REQUIRE(doc.text.text() == render());
    valid += !doc.facts.python.has_syntax_errors;
    REQUIRE(doc.facts == doc.fresh());
  }
  CHECK(valid == 200);
  CHECK(doc.facts.python.calls.size() >= 1);
  CHECK(doc.facts.python.has_main_guard);
}

}  // namespace

TEST_CASE("incremental: randomized edits of valid code, utf-16 and utf-8") {
  randomized_valid_edits(Encoding::Utf16, 99);
  randomized_valid_edits(Encoding::Utf8, 1234);
}

TEST_CASE("incremental: randomized differential against fresh analysis, utf-16") {
  randomized_differential(Encoding::Utf16, 12);
}

TEST_CASE("incremental: randomized differential against fresh analysis, utf-8") {
  randomized_differential(Encoding::Utf8, 14);
}

TEST_CASE("incremental: facts of a text with syntax errors do not depend on the edit history") {
  // tree-sitter's error recovery reuses what it can of the old tree, so after these two edits an
  // incremental reparse keeps the `if __name__ == "__main__":` block that a fresh parse of the
  // same text swallows into an ERROR node. (Found by the randomized test below; reproduced with
  // the bare tree-sitter API, so it is the runtime's behaviour, not our edit arithmetic.)
  const std::string initial =
      "import a\n"
      "def f(p):\n"
      "    x = g(p, k=1)\n"
      "    return x\n"
      "\n"
      "class C:\n"
      "    def t(self):\n"
      "        s = \"abc\"\n"
      "        self.o.step()\n"
      "\n"
      "if __name__ == \"__main__\":\n"
      "    C().t()\n";
  OpenDocument doc("/ws/c.py", initial);
  CHECK(doc.facts.python.has_main_guard);
  doc.did_change({change(8, 8, 8, 8, "'''")}, Encoding::Utf8);  // before self.o.step()
  CHECK(doc.facts == doc.fresh());
  doc.did_change({change(10, 11, 10, 12, "\\\n")}, Encoding::Utf8);  // `__name__ ==` -> `__name__\<newline>==`
  REQUIRE(doc.text.text().find("if __name__\\\n== \"__main__\":") != std::string::npos);
  CHECK(doc.facts.python.has_syntax_errors);
  CHECK(doc.facts == doc.fresh());
}

TEST_CASE("incremental: a document that grows past the size cap and shrinks back is parsed afresh") {
  DocumentText text("import torch\ntorch.load(p)\n");
  DocumentAnalysis analysis("/ws/a.py", 64);
  auto facts = analysis.analyze(text.text());
  CHECK(facts.python.calls.size() == 1);
  analysis.edit(text.apply(change(2, 0, 2, 0, "# " + std::string(80, 'x') + "\n"), Encoding::Utf16));
  facts = analysis.analyze(text.text());
  CHECK(facts.skipped.reason.find("size cap") != std::string::npos);
  CHECK(facts.python.calls.empty());
  CHECK(analysis.tree() == nullptr);  // the tree is dropped with the content
  analysis.edit(text.apply(change(2, 0, 3, 0, "x = pickle.loads(b)\n"), Encoding::Utf16));
  facts = analysis.analyze(text.text());
  CHECK(facts.skipped.reason.empty());
  CHECK(facts == mlaudit::analyze_text("/ws/a.py", text.text(), 64));
  CHECK(facts.python.calls.size() == 2);
}

TEST_CASE("incremental: a requirements document is re-read whole and matches a fresh analysis") {
  OpenDocument doc("/ws/requirements.txt", "torch==2.1.0\nnumpy\n");
  doc.did_change({change(0, 5, 0, 12, ">=2"), change(1, 5, 1, 5, "==1.26.4  # mlaudit: ignore")}, Encoding::Utf16);
  CHECK(doc.text.text() == "torch>=2\nnumpy==1.26.4  # mlaudit: ignore\n");
  CHECK(doc.facts == doc.fresh());
  REQUIRE(doc.facts.requirements.size() == 2);
  CHECK_FALSE(doc.facts.requirements[0].pinned);
  CHECK(doc.facts.requirements[1].pinned);
  CHECK(doc.facts.suppressions.size() == 1);
}
