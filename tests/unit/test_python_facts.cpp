// analyzers/python: imports with aliases resolved, qualified call names, argument values,
// bindings, string contexts, the main guard and call scopes.
#include <doctest/doctest.h>

#include <string>

#include "analyzers/analyzer.hpp"

using mlaudit::facts::Call;
using mlaudit::facts::PythonFacts;
using mlaudit::facts::Value;

namespace {

PythonFacts facts_of(const std::string& source) {
  auto f = mlaudit::analyze_text("/ws/t.py", source);
  REQUIRE(f.kind == mlaudit::facts::FileKind::Python);
  REQUIRE(f.skipped.reason.empty());
  return f.python;
}

// The first call whose callee text is `callee`.
const Call& call(const PythonFacts& py, const std::string& callee) {
  for (const auto& c : py.calls)
    if (c.callee == callee) return c;
  FAIL("no call " << callee);
  static Call none;
  return none;
}

const mlaudit::facts::Argument& keyword(const Call& c, const std::string& name) {
  for (const auto& a : c.args)
    if (a.keyword == name) return a;
  FAIL("no keyword " << name << " in " << c.callee);
  static mlaudit::facts::Argument none;
  return none;
}

}  // namespace

TEST_CASE("aliases: import torch as T; T.load(x) is torch.load") {
  auto py = facts_of("import torch as T\nT.load(x)\n");
  REQUIRE(py.imports.size() == 1);
  CHECK(py.imports[0].module == "torch");
  CHECK(py.imports[0].name == "");
  CHECK(py.imports[0].alias == "T");
  const auto& c = call(py, "T.load");
  CHECK(c.qualified == "torch.load");
  CHECK(c.method == "load");
  CHECK(c.receiver == "T");
  CHECK(c.scope == "");
  CHECK_FALSE(c.in_main_guard);
}

TEST_CASE("aliases: from torch import load as tl") {
  auto py = facts_of("from torch import load as tl\nstate = tl(path)\n");
  REQUIRE(py.imports.size() == 1);
  CHECK(py.imports[0].module == "torch");
  CHECK(py.imports[0].name == "load");
  CHECK(py.imports[0].alias == "tl");
  const auto& c = call(py, "tl");
  CHECK(c.qualified == "torch.load");
  CHECK(c.method == "tl");
  CHECK(c.receiver == "");
}

TEST_CASE("aliases: import numpy.random as npr; npr.seed(1) is numpy.random.seed") {
  auto py = facts_of("import numpy.random as npr\nnpr.seed(1)\n");
  REQUIRE(py.imports.size() == 1);
  CHECK(py.imports[0].module == "numpy.random");
  CHECK(py.imports[0].alias == "npr");
  CHECK(call(py, "npr.seed").qualified == "numpy.random.seed");
}

TEST_CASE("aliases: import numpy.random binds numpy; numpy.random.seed(1) stays numpy.random.seed") {
  auto py = facts_of("import numpy.random\nnumpy.random.seed(1)\nnumpy.zeros(3)\n");
  REQUIRE(py.imports.size() == 1);
  CHECK(py.imports[0].module == "numpy.random");
  CHECK(py.imports[0].alias == "numpy");
  CHECK(call(py, "numpy.random.seed").qualified == "numpy.random.seed");
  // `import numpy.random` binds the package, not the submodule: numpy.zeros is numpy.zeros,
  // not numpy.random.zeros.
  CHECK(call(py, "numpy.zeros").qualified == "numpy.zeros");
}

TEST_CASE("aliases: several names in one import statement, and import a, b") {
  auto py = facts_of("import os, numpy as np\nfrom yaml import load, SafeLoader as SL\nnp.load(p)\nload(f, SL)\n");
  REQUIRE(py.imports.size() == 4);
  CHECK(call(py, "np.load").qualified == "numpy.load");
  const auto& c = call(py, "load");
  CHECK(c.qualified == "yaml.load");
  REQUIRE(c.args.size() == 2);
  CHECK(c.args[1].value.kind == Value::Kind::Name);
  CHECK(c.args[1].value.text == "SL");
  CHECK(c.args[1].value.qualified == "yaml.SafeLoader");
}

TEST_CASE("aliases: relative imports keep their dots") {
  auto py = facts_of("from .utils import set_seed\nfrom .. import common as cm\nfrom .pkg.mod import *\nset_seed(1)\ncm.f()\n");
  REQUIRE(py.imports.size() == 3);
  CHECK(py.imports[0].module == ".utils");
  CHECK(py.imports[0].name == "set_seed");
  CHECK(py.imports[0].alias == "set_seed");
  CHECK(py.imports[1].module == "..");
  CHECK(py.imports[1].name == "common");
  CHECK(py.imports[1].alias == "cm");
  CHECK(py.imports[2].module == ".pkg.mod");
  CHECK(py.imports[2].name == "*");
  CHECK(py.imports[2].alias == "");
  CHECK(call(py, "set_seed").qualified == ".utils.set_seed");
  CHECK(call(py, "cm.f").qualified == "..common.f");
}

TEST_CASE("aliases: imports inside functions resolve calls anywhere, even before the import") {
  auto py = facts_of(
      "def restore(p):\n"
      "    return T.load(p)\n"
      "\n"
      "def setup():\n"
      "    import torch as T\n"
      "    from numpy import random as r\n"
      "    r.seed(0)\n");
  CHECK(call(py, "T.load").qualified == "torch.load");
  CHECK(call(py, "r.seed").qualified == "numpy.random.seed");
  CHECK(call(py, "T.load").scope == "restore");
  CHECK(call(py, "r.seed").scope == "setup");
}

TEST_CASE("aliases: unknown names and non-dotted callees") {
  auto py = facts_of("import torch\nhelper(1)\nget_model().load(p)\nmodels[0].fit(x)\n");
  CHECK(call(py, "helper").qualified == "helper");
  const auto& chained = call(py, "get_model().load");
  CHECK(chained.qualified == "");  // not a plain dotted chain
  CHECK(chained.method == "load");
  CHECK(chained.receiver == "get_model()");
  CHECK(call(py, "models[0].fit").qualified == "");
  CHECK(call(py, "models[0].fit").method == "fit");
}

TEST_CASE("values: Loader=SafeLoader imported from yaml has the qualified yaml.SafeLoader") {
  auto py = facts_of("import yaml\nfrom yaml import SafeLoader\ncfg = yaml.load(f, Loader=SafeLoader)\n");
  const auto& c = call(py, "yaml.load");
  CHECK(c.qualified == "yaml.load");
  const auto& loader = keyword(c, "Loader");
  CHECK(loader.value.kind == Value::Kind::Name);
  CHECK(loader.value.text == "SafeLoader");
  CHECK(loader.value.qualified == "yaml.SafeLoader");
  CHECK(c.args[0].keyword == "");
  CHECK(c.args[0].value.qualified == "f");
}

TEST_CASE("values: literal kinds of arguments") {
  auto py = facts_of("f(1, 2.5, 'a' \"b\", None, True, False, x.y, (True), [1], -1, k=\"v\")\n");
  const auto& c = call(py, "f");
  REQUIRE(c.args.size() == 11);
  CHECK(c.args[0].value.kind == Value::Kind::Number);
  CHECK(c.args[0].value.text == "1");
  CHECK(c.args[1].value.kind == Value::Kind::Number);
  CHECK(c.args[2].value.kind == Value::Kind::String);
  CHECK(c.args[2].value.text == "ab");
  CHECK(c.args[3].value.kind == Value::Kind::None);
  CHECK(c.args[4].value.kind == Value::Kind::True);
  CHECK(c.args[5].value.kind == Value::Kind::False);
  CHECK(c.args[6].value.kind == Value::Kind::Name);
  CHECK(c.args[6].value.text == "x.y");
  CHECK(c.args[7].value.kind == Value::Kind::True);  // parentheses are transparent
  CHECK(c.args[8].value.kind == Value::Kind::List);  // list literals keep their items
  REQUIRE(c.args[8].value.entries.size() == 1);
  CHECK(c.args[8].value.entries[0].value.text == "1");
  CHECK(c.args[9].value.kind == Value::Kind::Other);
  CHECK(c.args[10].keyword == "k");
  CHECK(c.args[10].value.text == "v");
}

TEST_CASE("values: **kwargs from a dict literal and from dict(...), and bindings") {
  auto py = facts_of(
      "from transformers import AutoModel\n"
      "flag = True\n"
      "opts = {\"trust_remote_code\": flag, \"revision\": \"main\", 3: 4}\n"
      "more = dict(trust_remote_code=True, device_map=\"auto\")\n"
      "AutoModel.from_pretrained(name, *extra, **opts)\n");
  REQUIRE(py.bindings.size() == 3);
  CHECK(py.bindings[0].name == "flag");
  CHECK(py.bindings[0].scope == "");
  CHECK(py.bindings[0].value.kind == Value::Kind::True);
  const auto& opts = py.bindings[1].value;
  REQUIRE(opts.kind == Value::Kind::Dict);
  REQUIRE(opts.entries.size() == 2);  // the non-string key is not an entry
  CHECK(opts.entries[0].key == "trust_remote_code");
  CHECK(opts.entries[0].value.kind == Value::Kind::Name);
  CHECK(opts.entries[0].value.text == "flag");
  CHECK(opts.entries[1].value.text == "main");
  const auto& more = py.bindings[2].value;
  REQUIRE(more.kind == Value::Kind::Dict);
  REQUIRE(more.entries.size() == 2);
  CHECK(more.entries[0].key == "trust_remote_code");
  CHECK(more.entries[0].value.kind == Value::Kind::True);
  CHECK(more.entries[1].key == "device_map");

  const auto& c = call(py, "AutoModel.from_pretrained");
  CHECK(c.qualified == "transformers.AutoModel.from_pretrained");
  REQUIRE(c.args.size() == 3);
  CHECK(c.args[1].list_splat);
  CHECK(c.args[1].value.text == "extra");
  CHECK(c.args[2].dict_splat);
  CHECK_FALSE(c.args[2].list_splat);
  CHECK(c.args[2].value.kind == Value::Kind::Name);
  CHECK(c.args[2].value.text == "opts");
}

TEST_CASE("values: an inline **dict(...) and **{...} are dict values") {
  auto py = facts_of("g(**dict(a=1), **{\"b\": False})\n");
  const auto& c = call(py, "g");
  REQUIRE(c.args.size() == 2);
  CHECK(c.args[0].dict_splat);
  CHECK(c.args[0].value.kind == Value::Kind::Dict);
  CHECK(c.args[0].value.entries.at(0).key == "a");
  CHECK(c.args[1].value.kind == Value::Kind::Dict);
  CHECK(c.args[1].value.entries.at(0).value.kind == Value::Kind::False);
}

TEST_CASE("bindings: scope of assignments in functions and methods; attribute targets are not bindings") {
  auto py = facts_of(
      "class Loader:\n"
      "    def run(self):\n"
      "        trc = False\n"
      "        self.model = None\n"
      "def main():\n"
      "    trc = True\n");
  REQUIRE(py.bindings.size() == 2);
  CHECK(py.bindings[0].scope == "Loader.run");
  CHECK(py.bindings[0].value.kind == Value::Kind::False);
  CHECK(py.bindings[1].scope == "main");
  CHECK(py.bindings[1].value.kind == Value::Kind::True);
}

TEST_CASE("main guard: detected in either order, calls inside it are marked, calls after it are not") {
  auto py = facts_of(
      "import torch\n"
      "def main():\n"
      "    train()\n"
      "if __name__ == \"__main__\":\n"
      "    main()\n"
      "    def inner():\n"
      "        nested()\n"
      "after()\n");
  CHECK(py.has_main_guard);
  CHECK(call(py, "main").in_main_guard);
  CHECK(call(py, "nested").in_main_guard);
  CHECK(call(py, "nested").scope == "inner");
  CHECK_FALSE(call(py, "train").in_main_guard);
  CHECK_FALSE(call(py, "after").in_main_guard);
  CHECK(facts_of("if '__main__' == __name__:\n    go()\n").has_main_guard);
  CHECK_FALSE(facts_of("if __name__ != '__main__':\n    go()\n").has_main_guard);
  CHECK_FALSE(facts_of("if name == 'main':\n    go()\n").has_main_guard);
}

TEST_CASE("call scope: nested classes and functions, decorators, and module level after them") {
  auto py = facts_of(
      "class Outer:\n"
      "    class Inner:\n"
      "        @staticmethod\n"
      "        def load(p):\n"
      "            return torch.load(p)\n"
      "    def fit(self):\n"
      "        def closure():\n"
      "            loss.backward()\n"
      "        return closure\n"
      "torch.save(x, p)\n");
  CHECK(call(py, "torch.load").scope == "Outer.Inner.load");
  CHECK(call(py, "loss.backward").scope == "Outer.fit.closure");
  CHECK(call(py, "torch.save").scope == "");
}

TEST_CASE("calls: nested calls are each recorded, with ranges of the call and of the callee") {
  const std::string src = "x = torch.load(open(path, 'rb'))\n";
  auto py = facts_of(src);
  REQUIRE(py.calls.size() == 2);
  const auto& outer = call(py, "torch.load");
  CHECK(src.substr(outer.range.start_byte, outer.range.end_byte - outer.range.start_byte) == "torch.load(open(path, 'rb'))");
  CHECK(src.substr(outer.callee_range.start_byte, outer.callee_range.end_byte - outer.callee_range.start_byte) == "torch.load");
  CHECK(outer.range.start == mlaudit::facts::Point{0, 4});
  CHECK(call(py, "open").args.size() == 2);
}

TEST_CASE("strings: literals keep the call, keyword, target or key around them") {
  auto py = facts_of(
      "import wandb, os\n"
      "wandb.login(key=\"0123456789abcdef0123456789abcdef01234567\")\n"
      "os.environ[\"WANDB_API_KEY\"] = \"0123456789abcdef0123456789abcdef01234567\"\n"
      "cfg = {\"api_key\": \"sk-proj-abcdefghijklmnopqrstuvwx\"}\n"
      "os.environ.setdefault(\"HF_TOKEN\", \"hf_abcdefghijklmnopqrstuvwxyz012345\")\n"
      "short = 'abc'\n");
  REQUIRE(py.strings.size() >= 5);
  auto context_of = [&](const std::string& value) {
    for (const auto& s : py.strings)
      if (s.value == value) return s.context;
    FAIL("no string " << value);
    return std::string();
  };
  CHECK(context_of("0123456789abcdef0123456789abcdef01234567").find("wandb.login key") == 0);
  size_t hex_literals = 0;
  for (const auto& s : py.strings)
    if (s.value == "0123456789abcdef0123456789abcdef01234567" && s.range.start.line == 2) {
      ++hex_literals;
      CHECK(s.context == "= os.environ[\"WANDB_API_KEY\"]");
    }
  CHECK(hex_literals == 1);
  CHECK(context_of("sk-proj-abcdefghijklmnopqrstuvwx") == "[] \"api_key\"");
  CHECK(context_of("hf_abcdefghijklmnopqrstuvwxyz012345").find("HF_TOKEN") != std::string::npos);
  for (const auto& s : py.strings) CHECK(s.value != "abc");  // too short to be a key
}

TEST_CASE("suppressions and syntax errors are facts of the file") {
  auto f = mlaudit::analyze_text("/ws/t.py",
                                 "import torch  # mlaudit: ignore[unsafe-deserialization, seed-not-set]\n"
                                 "# mlaudit: ignore\n"
                                 "# mlaudit ignore (not one)\n"
                                 "x = (\n");
  REQUIRE(f.suppressions.size() == 2);
  CHECK(f.suppressions[0].line == 0);
  CHECK(f.suppressions[0].rules == std::vector<std::string>{"unsafe-deserialization", "seed-not-set"});
  CHECK(f.suppressions[1].line == 1);
  CHECK(f.suppressions[1].rules.empty());
  CHECK(f.python.has_syntax_errors);
  CHECK_FALSE(mlaudit::analyze_text("/ws/t.py", "x = 1\n").python.has_syntax_errors);
}

TEST_CASE("deep nesting is walked without recursion") {
  std::string deep = "x = " + std::string(50000, '[') + std::string(50000, ']') + "\nf(1)\n";
  auto py = facts_of(deep);
  CHECK(call(py, "f").qualified == "f");
}

TEST_CASE("files are classified by name, not language id") {
  using mlaudit::classify_path;
  using mlaudit::facts::FileKind;
  CHECK(classify_path("/ws/train.py") == FileKind::Python);
  CHECK(classify_path("/ws/requirements.txt") == FileKind::Requirements);
  CHECK(classify_path("/ws/requirements-dev.txt") == FileKind::Requirements);
  CHECK(classify_path("/ws/requirements/base.txt") == FileKind::Requirements);
  CHECK(classify_path("/ws/constraints.in") == FileKind::Requirements);
  CHECK(classify_path("/ws/notes.txt") == FileKind::Other);
  CHECK(classify_path("/ws/train.py.bak") == FileKind::Other);
  auto binary = mlaudit::analyze_text("/ws/blob.py", std::string("x = 1\0\0", 7));
  CHECK(binary.skipped.reason.find("binary") != std::string::npos);
  CHECK(binary.python.calls.empty());
  auto big = mlaudit::analyze_text("/ws/big.py", std::string(2000, '#'), 1000);
  CHECK(big.skipped.reason.find("size cap") != std::string::npos);
}
