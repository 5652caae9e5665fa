// analyzers/notebooks: IPython syntax neutralised line for line, .ipynb reading (source as a
// string or a list, outputs, broken files), one FileFacts per notebook with cross-cell aliases,
// and positions mapped back to (cell, line, column) and into the JSON text.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "analyzers/notebooks/ipython_syntax.hpp"
#include "analyzers/notebooks/notebook_json.hpp"
#include "analyzers/notebooks/notebook_positions.hpp"
#include "test_support.hpp"

using namespace mlaudit;
using mlaudit::test::build_workspace;
using nlohmann::json;

namespace {

// A code cell; `source` as Jupyter writes it: a list of lines, each but the last ending in \n.
json code_cell(const std::string& source, json outputs = json::array()) {
  json lines = json::array();
  size_t start = 0;
  while (start < source.size()) {
    size_t nl = source.find('\n', start);
    size_t end = nl == std::string::npos ? source.size() : nl + 1;
    lines.push_back(source.substr(start, end - start));
    start = end;
  }
  return {{"cell_type", "code"}, {"execution_count", nullptr}, {"metadata", json::object()},
          {"outputs", std::move(outputs)}, {"source", lines}};
}

json markdown_cell(const std::string& text) {
  return {{"cell_type", "markdown"}, {"metadata", json::object()}, {"source", json::array({text})}};
}

// A vector, not a json: `notebook({code_cell(...)})` with one cell would be a copy of that cell
// under clang (CWG 1467) and an array under gcc.
std::string notebook(const std::vector<json>& cells, const std::string& language = "python") {
  json nb = {{"cells", json(cells)},
             {"metadata", {{"kernelspec", {{"display_name", "k"}, {"language", language}, {"name", "k"}}}}},
             {"nbformat", 4}, {"nbformat_minor", 5}};
  return nb.dump(1);  // Jupyter's own indentation: one source line per JSON line
}

// The findings of one notebook in a workspace, located in cells (as `check` does).
struct Located {
  rubric::Finding finding;
  notebooks::CellSpan span;
};

std::vector<Located> located(const test::MemoryWorkspace& ws, const std::string& path, const std::string& rule) {
  std::vector<Located> out;
  const auto& facts = ws.files.at(path);
  REQUIRE(facts.notebook);
  notebooks::NotebookPositions positions(*facts.notebook);
  for (const auto& f : ws.of(path, rule)) {
    auto span = positions.cell_span(f.range, Encoding::Utf32);
    REQUIRE(span);
    out.push_back({f, *span});
  }
  return out;
}

const std::string kSecret = "sk-proj-4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u";

}  // namespace

TEST_CASE("notebooks: IPython magics, shell escapes and help lines become `pass`, line for line") {
  std::string cell =
      "%matplotlib inline\n"
      "!pip install torch\n"
      "files = !ls data\n"
      "np.load?\n"
      "??np\n"
      "for f in files:\n"
      "    !echo {f}\n"
      "x = (a\n"
      "     % b)\n"       // a modulo on a continuation line, not a magic
      "doc = \"\"\"\n"
      "!not a shell escape inside a string\n"
      "\"\"\"\n"
      "y = x != 2  # is this right?\n";
  std::string python = notebooks::ipython_to_python(cell);
  CHECK(python ==
        "pass\n"
        "pass\n"
        "pass\n"
        "pass\n"
        "pass\n"
        "for f in files:\n"
        "    pass\n"
        "x = (a\n"
        "     % b)\n"
        "doc = \"\"\"\n"
        "!not a shell escape inside a string\n"
        "\"\"\"\n"
        "y = x != 2  # is this right?\n");
}

TEST_CASE("notebooks: cell magics keep a Python body and empty any other cell") {
  CHECK(notebooks::ipython_to_python("%%time\nimport torch\nm = torch.load('x')") == "pass\nimport torch\nm = torch.load('x')");
  CHECK(notebooks::ipython_to_python("\n%%capture out\nx = 1\n") == "\npass\nx = 1\n");
  CHECK(notebooks::ipython_to_python("%%bash\npip install torch\necho done\n") == "\n\n\n");
  CHECK(notebooks::ipython_to_python("%%writefile train.py\nimport torch\n") == "\n\n");
  CHECK(notebooks::is_python_cell_magic("timeit"));
  CHECK_FALSE(notebooks::is_python_cell_magic("sql"));
}

TEST_CASE("notebooks: an alias imported in cell 0 resolves in a later cell, located by cell and line") {
  std::string nb = notebook({code_cell("import torch as T\nimport numpy as np\n"),
                             markdown_cell("Load the weights: `T.load(path)`"),
                             code_cell("%matplotlib inline\npath = 'w.pt'\nstate = T.load(path)\n")});
  auto ws = build_workspace({{"nb.ipynb", nb}});
  const auto& facts = ws.files.at("nb.ipynb");
  CHECK(facts.kind == facts::FileKind::Notebook);
  CHECK(facts.skipped.reason.empty());
  auto found = located(ws, "nb.ipynb", "unsafe-deserialization");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.cell == 2);  // the markdown cell counts: indices are into `cells`
  CHECK(found[0].span.start == LineColumn{2, 8});
  CHECK(found[0].span.end == LineColumn{2, 14});  // the callee `T.load`
  CHECK_FALSE(found[0].span.output);
  // The markdown cell's `T.load(path)` is prose, not code.
  CHECK(facts.python.calls.size() == 1);
}

TEST_CASE("notebooks: shell escapes and magics produce no facts, and later lines keep their numbers") {
  std::string nb = notebook({code_cell("!pip install transformers\n%pip install torch\n"
                                       "from transformers import AutoModel\n"
                                       "m = AutoModel.from_pretrained('x', trust_remote_code=True)\n")});
  auto ws = build_workspace({{"nb.ipynb", nb}});
  const auto& facts = ws.files.at("nb.ipynb");
  REQUIRE(facts.python.calls.size() == 1);
  CHECK(facts.python.calls[0].qualified == "transformers.AutoModel.from_pretrained");
  auto found = located(ws, "nb.ipynb", "trust-remote-code");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.cell == 0);
  CHECK(found[0].span.start.line == 3);
}

TEST_CASE("notebooks: a source written as one string maps like a list of lines") {
  json as_string = json::parse(notebook({code_cell("import torch\n\nx = torch.load('a.pt')\n")}));
  as_string["cells"][0]["source"] = "import torch\n\nx = torch.load('a.pt')\n";
  std::string list_text = notebook({code_cell("import torch\n\nx = torch.load('a.pt')\n")});
  for (const std::string& text : {as_string.dump(1), list_text}) {
    auto ws = build_workspace({{"nb.ipynb", text}});
    auto found = located(ws, "nb.ipynb", "unsafe-deserialization");
    REQUIRE(found.size() == 1);
    CHECK(found[0].span.cell == 0);
    CHECK(found[0].span.start == LineColumn{2, 4});
    // In the JSON text the range lies inside the string holding that line, on its characters.
    notebooks::NotebookPositions positions(*ws.files.at("nb.ipynb").notebook);
    auto span = positions.json_span(found[0].finding.range, text);
    REQUIRE(span);
    CHECK(text.substr(span->first, span->second - span->first) == "torch.load");
  }
}

TEST_CASE("notebooks: JSON positions step over escapes before the finding") {
  // `"é\"` before the call: \u00e9 is 6 bytes in the file for 2 in the source, \" 2 for 1.
  json nb = json::parse(notebook({code_cell("import torch\n")}));
  nb["cells"][0]["source"] = json::array({"import torch\n", "t = \"\xC3\xA9\\\"\"; x = torch.load('a')\n"});
  std::string text = nb.dump(1, ' ', true);  // ensure_ascii: é written as \u00e9
  REQUIRE(text.find("\\u00e9") != std::string::npos);
  auto ws = build_workspace({{"nb.ipynb", text}});
  auto found = located(ws, "nb.ipynb", "unsafe-deserialization");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.start == LineColumn{1, 15});  // code points: t = "é\""; x = ...
  notebooks::NotebookPositions positions(*ws.files.at("nb.ipynb").notebook);
  auto span = positions.json_span(found[0].finding.range, text);
  REQUIRE(span);
  CHECK(text.substr(span->first, span->second - span->first) == "torch.load");
}

TEST_CASE("notebooks: a secret in a committed output is a masked hardcoded-secret on the cell's last line") {
  json outputs = json::array({{{"output_type", "stream"}, {"name", "stdout"}, {"text", json::array({"connecting\n", "key=" + kSecret + "\n"})}},
                              {{"output_type", "execute_result"}, {"execution_count", 1}, {"metadata", json::object()},
                               {"data", {{"text/plain", json::array({"'ok'"})}}}}});
  std::string nb = notebook({code_cell("import openai\nprint(openai.api_key)\n", outputs), code_cell("x = 1\n")});
  auto ws = build_workspace({{"nb.ipynb", nb}});
  const auto& facts = ws.files.at("nb.ipynb");
  CHECK(facts.notebook->cells_with_outputs == 1);
  auto found = located(ws, "nb.ipynb", "hardcoded-secret");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.output);
  CHECK(found[0].span.cell == 0);
  CHECK(found[0].span.start == LineColumn{1, 0});
  CHECK(found[0].span.end == LineColumn{1, 21});  // print(openai.api_key)
  CHECK(found[0].finding.message.find("committed output") != std::string::npos);
  CHECK(found[0].finding.message.find(kSecret.substr(8)) == std::string::npos);  // masked
  notebooks::NotebookPositions positions(*facts.notebook);
  auto span = positions.json_span(found[0].finding.range, nb);
  REQUIRE(span);
  CHECK(nb.substr(span->first, span->second - span->first) == "key=" + kSecret);
}

TEST_CASE("notebooks: outputs of an error traceback and text/html are scanned; a clean notebook notes no outputs") {
  json outputs = json::array({{{"output_type", "error"}, {"ename", "E"}, {"evalue", "x"},
                               {"traceback", json::array({"\u001b[0;31mAuthError\u001b[0m: bad key hf_" + std::string("aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z")})}},
                              {{"output_type", "display_data"}, {"metadata", json::object()},
                               {"data", {{"text/html", "<td>AKIA" + std::string("Q3ZKX7M2PLR4W8NB") + "</td>"}}}}});
  auto ws = build_workspace({{"nb.ipynb", notebook({code_cell("import torch\n", outputs)})},
                             {"clean.ipynb", notebook({code_cell("import torch\n")})}});
  CHECK(ws.of("nb.ipynb", "hardcoded-secret").size() == 2);
  CHECK(ws.files.at("clean.ipynb").notebook->cells_with_outputs == 0);
  CHECK(ws.files.at("clean.ipynb").notebook->code_cells == 1);
}

TEST_CASE("notebooks: a notebook whose kernel is not Python has no Python facts") {
  auto ws = build_workspace({{"r.ipynb", notebook({code_cell("library(torch)\nx <- torch_load('a')\n")}, "R")},
                             {"train.py", "import torch\n"}});
  CHECK(ws.files.at("r.ipynb").python.calls.empty());
  CHECK(ws.files.at("r.ipynb").skipped.reason.empty());
}

TEST_CASE("notebooks: broken notebooks are skipped with the reason, never a crash") {
  auto reason = [](const std::string& text) { return analyze_text("/ws/nb.ipynb", text).skipped.reason; };
  CHECK(reason("{\"cells\": [").find("not valid JSON (line 1)") == 0);
  CHECK(reason("not json at all").find("not valid JSON") == 0);
  CHECK(reason(R"({"nbformat": 3, "worksheets": []})").find("nbformat 3 notebooks are not supported") == 0);
  CHECK(reason(R"({"nbformat": 4, "cells": {}})") == "not a valid nbformat 4 notebook: `cells` must be a list");
  CHECK(reason(R"({"nbformat": 4, "cells": [{"cell_type": "code", "source": 7}]})") ==
        "not a valid nbformat 4 notebook: cells[0].source must be a string or a list of strings");
  CHECK(reason(R"({"nbformat": 4, "cells": [{"cell_type": "code", "source": ["x", 1]}]})") ==
        "not a valid nbformat 4 notebook: cells[0].source must be a string or a list of strings");
  CHECK(reason(R"({"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": {}}]})") ==
        "not a valid nbformat 4 notebook: cells[0].outputs must be a list");
  CHECK(reason(R"({"nbformat": 4, "cells": [1]})") == "not a valid nbformat 4 notebook: cells[0] must be an object");
  CHECK(reason("[]") == "not a valid nbformat 4 notebook: the top level must be an object");
  std::string deep = R"({"nbformat": 4, "cells": [], "metadata": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK(reason(deep).find("nests deeper than") != std::string::npos);
  // A broken notebook has no findings, but the workspace still sees it.
  auto ws = build_workspace({{"nb.ipynb", "{"}, {"train.py", "import torch\nx = torch.load('a')\n"}});
  CHECK(ws.of("nb.ipynb").empty());
  CHECK(ws.of("train.py", "unsafe-deserialization").size() == 1);
}

TEST_CASE("notebooks: a seed set in the notebook's first cell counts for its training cell") {
  std::string training = "for x, y in loader:\n    loss = model(x).sum()\n    loss.backward()\n    optimizer.step()\n";
  auto unseeded = build_workspace({{"nb.ipynb", notebook({code_cell("import torch\nmodel = torch.nn.Linear(2, 1)\n"), code_cell(training)})}});
  auto seeded = build_workspace({{"nb.ipynb", notebook({code_cell("import torch\ntorch.manual_seed(0)\nmodel = torch.nn.Linear(2, 1)\n"),
                                                        code_cell(training)})}});
  auto found = located(unseeded, "nb.ipynb", "seed-not-set");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.cell == 1);
  CHECK(seeded.of("nb.ipynb", "seed-not-set").empty());
}

TEST_CASE("notebooks: a suppression comment applies within its cell and not to the next cell's first line") {
  std::string nb = notebook({code_cell("import torch\nx = torch.load('a')  # mlaudit: ignore[unsafe-deserialization]\n"
                                       "# mlaudit: ignore[unsafe-deserialization]\ny = torch.load('b')\n# mlaudit: ignore"),
                             code_cell("z = torch.load('c')\n")});
  auto ws = build_workspace({{"nb.ipynb", nb}});
  auto found = located(ws, "nb.ipynb", "unsafe-deserialization");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.cell == 1);
  CHECK(found[0].span.start == LineColumn{0, 4});
}

TEST_CASE("notebooks: every truncation and byte flip of a real notebook is analysed or skipped with a reason") {
  std::ifstream in(std::string(MLAUDIT_TEST_FIXTURES) + "/notebook-project/notebooks/explore.ipynb", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(text.size() > 1000);
  CHECK(analyze_text("/ws/nb.ipynb", text).skipped.reason.empty());
  size_t skipped = 0;
  for (size_t cut = 0; cut + 2 < text.size(); cut += 3) {  // the last bytes are "}\n": every shorter prefix is broken
    facts::FileFacts facts;
    CHECK_NOTHROW(facts = analyze_text("/ws/nb.ipynb", text.substr(0, cut)));
    skipped += !facts.skipped.reason.empty();
  }
  CHECK(skipped == (text.size() - 2 + 2) / 3);
  for (size_t at = 0; at < text.size(); at += 5) {
    for (char c : {'"', '\\', '{', ']', '\x01', '7'}) {
      std::string flipped = text;
      flipped[at] = c;
      facts::FileFacts facts;
      CHECK_NOTHROW(facts = analyze_text("/ws/nb.ipynb", flipped));
      if (facts.skipped.reason.empty()) {  // still a notebook: its positions must stay in range
        REQUIRE(facts.notebook);
        notebooks::NotebookPositions positions(*facts.notebook);
        for (const auto& call : facts.python.calls) {
          auto span = positions.json_span(call.range, flipped);
          if (span) CHECK(span->second <= flipped.size());
        }
      }
    }
  }
}
