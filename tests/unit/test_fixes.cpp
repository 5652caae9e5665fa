// rubric/fixes: every quick fix applied to tricky inputs; the result must re-parse without
// syntax errors (tree-sitter, through analyze_text), have the expected text, and no longer
// produce the finding it fixed.
#include <doctest/doctest.h>

#include <string>

#include "rubric/fixes/fix.hpp"
#include "test_support.hpp"

using namespace mlaudit;
using mlaudit::test::build_workspace;
using Files = std::map<std::string, std::string>;

namespace {

struct Applied {
  std::optional<rubric::fixes::Fix> fix;
  std::string text;      // the file after the fix ("" when no fix)
  size_t remaining = 0;  // findings of the rule in the file afterwards
};

std::vector<facts::FileFactsPtr> all_facts(const test::MemoryWorkspace& ws) {
  std::vector<facts::FileFactsPtr> out;
  for (const auto& [rel, f] : ws.files) out.push_back(std::make_shared<const facts::FileFacts>(f));
  return out;
}

// The fix of the `index`-th finding of `rule` in `file` (which must exist), applied.
Applied apply_fix(Files files, const std::string& file, const std::string& rule, size_t index = 0,
                  const char* kind = "code") {
  auto ws = build_workspace(files);
  auto findings = ws.of(file, rule);
  REQUIRE(findings.size() > index);
  rubric::fixes::FixContext ctx{ws.files.at(file), files.at(file), *test::the_rubric(), all_facts(ws), {ws.root}};
  Applied out;
  if (std::string(kind) == "code") out.fix = rubric::fixes::code_fix(ctx, findings[index]);
  else if (std::string(kind) == "line") out.fix = rubric::fixes::suppress_on_line(ctx, findings[index]);
  else out.fix = rubric::fixes::suppress_in_file(ctx, findings[index]);
  if (!out.fix) return out;
  out.text = rubric::fixes::apply_edits(files.at(file), out.fix->edits);
  auto reparsed = analyze_text(ws.absolute(file), out.text);
  CHECK_MESSAGE(!reparsed.python.has_syntax_errors, "syntax errors in:\n" << out.text);
  files[file] = out.text;
  out.remaining = build_workspace(files).of(file, rule).size();
  return out;
}

const std::string kTrain =
    "    for x, y in data:\n"
    "        loss = model(x)\n"
    "        loss.backward()\n"
    "\n"
    "if __name__ == \"__main__\":\n"
    "    main()\n";

}  // namespace

TEST_CASE("torch.load gets weights_only=True: single line, multi-line with a trailing comma and a comment, alias, kwarg False") {
  auto a = apply_fix({{"m.py", "import torch\nstate = torch.load(\"x.pt\")\n"}}, "m.py", "unsafe-deserialization");
  REQUIRE(a.fix);
  CHECK(a.fix->safe);
  CHECK(a.text == "import torch\nstate = torch.load(\"x.pt\", weights_only=True)\n");
  CHECK(a.remaining == 0);

  auto b = apply_fix({{"m.py", "import torch as T\nstate = T.load(\n    path,\n    map_location=\"cpu\",  # on CPU\n)\n"}},
                     "m.py", "unsafe-deserialization");
  REQUIRE(b.fix);
  CHECK(b.text == "import torch as T\nstate = T.load(\n    path,\n    map_location=\"cpu\",  # on CPU\n    weights_only=True,\n)\n");
  CHECK(b.remaining == 0);

  auto c = apply_fix({{"m.py", "from torch import load\nstate = load(path, weights_only=False)\n"}}, "m.py", "unsafe-deserialization");
  REQUIRE(c.fix);
  CHECK(c.text == "from torch import load\nstate = load(path, weights_only=True)\n");

  // CRLF and non-ASCII text before the edit: offsets are bytes, the line ending is kept.
  auto d = apply_fix({{"m.py", "import torch\r\n# é 日本 🙂\r\ns = torch.load(\r\n    \"é.pt\",\r\n)\r\n"}}, "m.py",
                     "unsafe-deserialization");
  REQUIRE(d.fix);
  CHECK(d.text == "import torch\r\n# é 日本 🙂\r\ns = torch.load(\r\n    \"é.pt\",\r\n    weights_only=True,\r\n)\r\n");
  CHECK(d.remaining == 0);

  // **kwargs could already hold weights_only: no fix rather than a duplicate keyword.
  auto e = apply_fix({{"m.py", "import torch\nkw = dict(map_location='cpu')\ns = torch.load(p, **kw)\n"}}, "m.py",
                     "unsafe-deserialization");
  CHECK_FALSE(e.fix);
}

TEST_CASE("yaml.load becomes yaml.safe_load through the file's own binding, the Loader dropped") {
  auto a = apply_fix({{"m.py", "import yaml\nimport torch\nc = yaml.load(f, Loader=yaml.Loader)\n"}}, "m.py", "unsafe-deserialization");
  REQUIRE(a.fix);
  CHECK(a.fix->safe);
  CHECK(a.text == "import yaml\nimport torch\nc = yaml.safe_load(f)\n");
  CHECK(a.remaining == 0);

  auto b = apply_fix({{"m.py", "import yaml as y\nimport torch\nc = y.load(f, y.FullLoader)  # keep\n"}}, "m.py", "unsafe-deserialization");
  REQUIRE(b.fix);
  CHECK(b.text == "import yaml as y\nimport torch\nc = y.safe_load(f)  # keep\n");

  auto c = apply_fix({{"m.py", "from yaml import load\nimport torch\n\nc = load(\n    f,\n)\n"}}, "m.py", "unsafe-deserialization");
  REQUIRE(c.fix);
  CHECK(c.text == "from yaml import load\nimport torch\nfrom yaml import safe_load\n\nc = safe_load(\n    f,\n)\n");
  CHECK(c.remaining == 0);

  auto d = apply_fix({{"m.py", "import yaml\nfrom yaml import load_all\nimport torch\nc = load_all(f)\n"}}, "m.py", "unsafe-deserialization");
  REQUIRE(d.fix);
  CHECK(d.text == "import yaml\nfrom yaml import load_all\nimport torch\nc = yaml.safe_load_all(f)\n");
}

TEST_CASE("numpy.load(allow_pickle=True) and trust_remote_code=True: the argument removed with clean commas, not safe") {
  auto a = apply_fix({{"m.py", "import numpy as np\nimport torch\nx = np.load(p, allow_pickle=True)\n"}}, "m.py", "unsafe-deserialization");
  REQUIRE(a.fix);
  CHECK_FALSE(a.fix->safe);
  CHECK(a.text == "import numpy as np\nimport torch\nx = np.load(p)\n");
  CHECK(a.remaining == 0);

  auto b = apply_fix({{"m.py", "from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    name,\n    trust_remote_code=True,\n    revision=\"abc\",\n)\n"}},
                     "m.py", "trust-remote-code");
  REQUIRE(b.fix);
  CHECK_FALSE(b.fix->safe);
  CHECK(b.text == "from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    name,\n    revision=\"abc\",\n)\n");
  CHECK(b.remaining == 0);

  auto c = apply_fix({{"m.py", "import transformers\np = transformers.pipeline(trust_remote_code=True, model=name)\n"}}, "m.py", "trust-remote-code");
  REQUIRE(c.fix);
  CHECK(c.text == "import transformers\np = transformers.pipeline(model=name)\n");

  auto d = apply_fix({{"m.py", "import transformers\np = transformers.pipeline(\n    trust_remote_code=True,\n)\n"}}, "m.py", "trust-remote-code");
  REQUIRE(d.fix);
  CHECK(d.text == "import transformers\np = transformers.pipeline()\n");

  // Through **extra (a dict literal): nothing in the call to remove.
  auto e = apply_fix({{"m.py", "from transformers import AutoModel\nextra = {'trust_remote_code': True}\nm = AutoModel.from_pretrained(n, **extra)\n"}},
                     "m.py", "trust-remote-code");
  CHECK_FALSE(e.fix);
}

TEST_CASE("splits get random_state: the project's seed constant (own or imported), else 42; KFold positional") {
  auto a = apply_fix({{"m.py", "from sklearn.model_selection import train_test_split\nX1, X2 = train_test_split(X, test_size=0.2)\n"}},
                     "m.py", "split-without-random-state");
  REQUIRE(a.fix);
  CHECK(a.fix->safe);
  CHECK(a.text == "from sklearn.model_selection import train_test_split\nX1, X2 = train_test_split(X, test_size=0.2, random_state=42)\n");
  CHECK(a.remaining == 0);

  auto b = apply_fix({{"m.py", "from sklearn import model_selection as ms\nRANDOM_SEED = 7\nkf = ms.KFold(5, shuffle=True)\n"}},
                     "m.py", "split-without-random-state");
  REQUIRE(b.fix);
  CHECK(b.text == "from sklearn import model_selection as ms\nRANDOM_SEED = 7\nkf = ms.KFold(5, shuffle=True, random_state=RANDOM_SEED)\n");

  auto c = apply_fix({{"m.py", "from sklearn.model_selection import KFold\nkf = KFold(5, True, None)\n"}}, "m.py", "split-without-random-state");
  REQUIRE(c.fix);
  CHECK(c.text == "from sklearn.model_selection import KFold\nkf = KFold(5, True, 42)\n");
  CHECK(c.remaining == 0);

  auto d = apply_fix({{"m.py", "from sklearn.model_selection import train_test_split\nfrom config import SEED\ndef f(X):\n    return train_test_split(X, random_state=None)\n"},
                      {"config.py", "SEED = 1234\n"}},
                     "m.py", "split-without-random-state");
  REQUIRE(d.fix);
  CHECK(d.text == "from sklearn.model_selection import train_test_split\nfrom config import SEED\ndef f(X):\n    return train_test_split(X, random_state=SEED)\n");
}

TEST_CASE("seed-not-set: a block after the imports seeding exactly the imported libraries through their aliases") {
  std::string script = "\"\"\"Trains.\"\"\"\nimport numpy as np\nimport torch as T\nfrom random import shuffle\n\ndef main():\n" + kTrain;
  auto a = apply_fix({{"train.py", script}}, "train.py", "seed-not-set");
  REQUIRE(a.fix);
  CHECK(a.fix->safe);
  CHECK(a.text == "\"\"\"Trains.\"\"\"\nimport numpy as np\nimport torch as T\nfrom random import shuffle\n"
                  "import random\n\nSEED = 42\nrandom.seed(SEED)\nnp.random.seed(SEED)\nT.manual_seed(SEED)\nT.cuda.manual_seed_all(SEED)\n"
                  "\ndef main():\n" + kTrain);
  CHECK(a.remaining == 0);

  // tensorflow only, an existing SEED constant, a multi-line parenthesized import, CRLF.
  std::string tf = "import tensorflow as tf\r\nfrom tensorflow.keras import (\r\n    layers,\r\n    models,\r\n)\r\nSEED = 3\r\n"
                   "def main():\r\n    model.fit(x, y)\r\n\r\nif __name__ == \"__main__\":\r\n    main()\r\n";
  auto b = apply_fix({{"train.py", tf}}, "train.py", "seed-not-set");
  REQUIRE(b.fix);
  CHECK(b.text == "import tensorflow as tf\r\nfrom tensorflow.keras import (\r\n    layers,\r\n    models,\r\n)\r\n"
                  "SEED = 3\r\n\r\ntf.random.set_seed(SEED)\r\n"
                  "def main():\r\n    model.fit(x, y)\r\n\r\nif __name__ == \"__main__\":\r\n    main()\r\n");
  CHECK(b.remaining == 0);

  // `from torch import nn` binds nn, not torch: `import torch` is added.
  auto c = apply_fix({{"train.py", "from torch import nn\n\ndef main():\n" + kTrain}}, "train.py", "seed-not-set");
  REQUIRE(c.fix);
  CHECK(c.text == "from torch import nn\nimport torch\n\nSEED = 42\ntorch.manual_seed(SEED)\ntorch.cuda.manual_seed_all(SEED)\n"
                  "\ndef main():\n" + kTrain);
  CHECK(c.remaining == 0);
}

TEST_CASE("seed-not-set: the workspace's seed helper is imported and called instead") {
  Files files = {{"src/train.py", "import torch\n\ndef main():\n" + kTrain},
                 {"src/common/seeding.py", "import random\nimport torch\n\ndef set_seed(seed):\n    random.seed(seed)\n    torch.manual_seed(seed)\n"}};
  auto a = apply_fix(files, "src/train.py", "seed-not-set");
  REQUIRE(a.fix);
  CHECK(a.text == "import torch\nfrom common.seeding import set_seed\n\nSEED = 42\nset_seed(SEED)\n\ndef main():\n" + kTrain);
  CHECK(a.remaining == 0);

  files["src/common/seeding.py"] = "import numpy as np\nFIXED = 5\n\ndef seed_all():\n    np.random.seed(FIXED)\n";
  auto b = apply_fix(files, "src/train.py", "seed-not-set");
  REQUIRE(b.fix);
  CHECK(b.text == "import torch\nfrom common.seeding import seed_all\n\nseed_all()\n\ndef main():\n" + kTrain);
}

TEST_CASE("hardcoded-secret: os.environ[NAME] from the variable, keyword or the provider's convention; import os added once") {
  const std::string key = "sk-proj-4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u";
  auto a = apply_fix({{"m.py", "import openai\nOPENAI_KEY = \"" + key + "\"\n"}}, "m.py", "hardcoded-secret");
  REQUIRE(a.fix);
  CHECK_FALSE(a.fix->safe);
  CHECK(a.fix->title.find(".env") != std::string::npos);
  CHECK(a.text == "import openai\nimport os\nOPENAI_KEY = os.environ[\"OPENAI_KEY\"]\n");
  CHECK(a.remaining == 0);

  auto b = apply_fix({{"m.py", "import os\nimport openai\nclient = openai.OpenAI(api_key='" + key + "')\n"}}, "m.py", "hardcoded-secret");
  REQUIRE(b.fix);
  CHECK(b.text == "import os\nimport openai\nclient = openai.OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n");

  auto c = apply_fix({{"m.py", "import openai\ncfg = {\"hf_token\": \"hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\"}\n"}}, "m.py", "hardcoded-secret");
  REQUIRE(c.fix);
  CHECK(c.text == "import openai\nimport os\ncfg = {\"hf_token\": os.environ[\"HF_TOKEN\"]}\n");

  // Part of a longer string, or an f-string: replacing the literal would change its meaning.
  auto d = apply_fix({{"m.py", "import openai\nh = \"Bearer " + key + "\"\n"}}, "m.py", "hardcoded-secret");
  CHECK_FALSE(d.fix);
}

TEST_CASE("suppress on the line: appended, merged into an existing ignore, above a line ending in a string; requirements") {
  auto a = apply_fix({{"m.py", "import torch\ns = torch.load(p)  # a note\n"}}, "m.py", "unsafe-deserialization", 0, "line");
  CHECK(a.text == "import torch\ns = torch.load(p)  # a note  # mlaudit: ignore[unsafe-deserialization]\n");
  CHECK(a.remaining == 0);

  auto b = apply_fix({{"m.py", "import torch\ns = torch.load(p)  # mlaudit: ignore[hardcoded-secret]\r\n"}}, "m.py",
                     "unsafe-deserialization", 0, "line");
  CHECK(b.text == "import torch\ns = torch.load(p)  # mlaudit: ignore[hardcoded-secret, unsafe-deserialization]\r\n");
  CHECK(b.remaining == 0);

  const std::string key = "sk-proj-4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u";
  auto c = apply_fix({{"m.py", "import openai\ndef f():\n    k = \"\"\"" + key + "\"\"\"\n"}}, "m.py", "hardcoded-secret", 0, "line");
  CHECK(c.text == "import openai\ndef f():\n    k = \"\"\"" + key + "\"\"\"  # mlaudit: ignore[hardcoded-secret]\n");
  auto d = apply_fix({{"m.py", "import openai\ndef f():\n    k = \"\"\"" + key + "\n\"\"\"\n"}}, "m.py", "hardcoded-secret", 0, "line");
  REQUIRE(d.fix);
  CHECK(d.text == "import openai\ndef f():\n    # mlaudit: ignore[hardcoded-secret]\n    k = \"\"\"" + key + "\n\"\"\"\n");
  CHECK(d.remaining == 0);

  auto e = apply_fix({{"requirements.txt", "torch>=2\n"}, {"m.py", "import torch\n"}}, "requirements.txt", "unpinned-dependency", 0, "line");
  CHECK(e.text == "torch>=2  # mlaudit: ignore[unpinned-dependency]\n");
  CHECK(e.remaining == 0);
}

TEST_CASE("suppress in the file: after the shebang and encoding lines, merged into an existing ignore-file") {
  auto a = apply_fix({{"m.py", "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport torch\ns = torch.load(p)\nt = torch.load(q)\n"}},
                     "m.py", "unsafe-deserialization", 0, "file");
  CHECK(a.text == "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# mlaudit: ignore-file[unsafe-deserialization]\nimport torch\n"
                  "s = torch.load(p)\nt = torch.load(q)\n");
  CHECK(a.remaining == 0);

  auto b = apply_fix({{"m.py", "import torch\n# mlaudit: ignore-file[trust-remote-code]\ns = torch.load(p)\n"}}, "m.py",
                     "unsafe-deserialization", 0, "file");
  CHECK(b.text == "import torch\n# mlaudit: ignore-file[trust-remote-code, unsafe-deserialization]\ns = torch.load(p)\n");
  CHECK(b.remaining == 0);

  auto c = apply_fix({{"requirements.txt", "torch>=2\ntransformers\n"}, {"m.py", "import torch\n"}}, "requirements.txt",
                     "unpinned-dependency", 0, "file");
  CHECK(c.text == "# mlaudit: ignore-file[unpinned-dependency]\ntorch>=2\ntransformers\n");
  CHECK(c.remaining == 0);
}

TEST_CASE("ignore-file comments: parsed apart from line ignores, honoured for their rules only") {
  auto ws = build_workspace({{"m.py", "import torch\n# mlaudit: ignore-file[trust-remote-code]\ns = torch.load(p)\n"}});
  CHECK(ws.of("m.py", "unsafe-deserialization").size() == 1);  // not a bare `ignore` for its own line or the next
  auto all = build_workspace({{"m.py", "import torch\ns = torch.load(p)\n\n\n# mlaudit: ignore-file\n"}});
  CHECK(all.of("m.py").empty());
}

TEST_CASE("fix-all: only safe fixes, one combined edit without overlaps, shared imports once") {
  const std::string key = "sk-proj-4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u";
  Files files = {{"train.py", "import torch\nimport yaml\nimport numpy as np\nfrom sklearn.model_selection import train_test_split\n"
                              "K = \"" + key + "\"\n"
                              "a = torch.load(p)\nb = torch.load(q, map_location='cpu')\nc = yaml.load(f)\n"
                              "d = np.load(r, allow_pickle=True)\ne = train_test_split(X)\n\ndef main():\n" + kTrain}};
  auto ws = build_workspace(files);
  rubric::fixes::FixContext ctx{ws.files.at("train.py"), files.at("train.py"), *test::the_rubric(), all_facts(ws), {ws.root}};
  size_t applied = 0;
  auto edits = rubric::fixes::fix_all(ctx, ws.of("train.py"), &applied);
  CHECK(applied == 5);  // 2 torch.load, yaml, split, seed; not numpy, not the secret
  std::string text = rubric::fixes::apply_edits(files.at("train.py"), edits);
  CHECK_FALSE(analyze_text("/ws/train.py", text).python.has_syntax_errors);
  files["train.py"] = text;
  auto after = build_workspace(files);
  std::multiset<std::string> left;
  for (const auto& f : after.of("train.py")) left.insert(f.rule);
  CHECK(left == std::multiset<std::string>{"hardcoded-secret", "no-experiment-tracking", "unsafe-deserialization"});
  CHECK(text.find("np.load(r, allow_pickle=True)") != std::string::npos);
  CHECK(text.find("b = torch.load(q, map_location='cpu', weights_only=True)") != std::string::npos);
}

TEST_CASE("fixes at module level never rely on an import inside a function or try:, and new lines follow the call's layout") {
  // `import numpy as np` inside try: binds np only when it succeeds, after the seed block's place.
  std::string script = "\"\"\"Doc.\"\"\"\ntry:\n    import numpy as np\nexcept ImportError:\n    np = None\n\ndef main():\n"
                       "    import torch\n" + kTrain;
  auto a = apply_fix({{"train.py", script}}, "train.py", "seed-not-set");
  REQUIRE(a.fix);
  CHECK(a.text == "\"\"\"Doc.\"\"\"\nimport numpy\nimport torch\n\nSEED = 42\nnumpy.random.seed(SEED)\ntorch.manual_seed(SEED)\n"
                  "torch.cuda.manual_seed_all(SEED)\ntry:\n    import numpy as np\nexcept ImportError:\n    np = None\n\ndef main():\n"
                  "    import torch\n" + kTrain);
  CHECK(a.remaining == 0);

  // `import os` inside a function does not serve a module-level os.environ.
  const std::string key = "sk-proj-4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u";
  auto b = apply_fix({{"m.py", "import openai\ndef f():\n    import os\nKEY = \"" + key + "\"\n"}}, "m.py", "hardcoded-secret");
  REQUIRE(b.fix);
  CHECK(b.text == "import openai\nimport os\ndef f():\n    import os\nKEY = os.environ[\"OPENAI_API_KEY\"]\n");

  // Arguments on the call's first line with the parenthesis closing below: appended, not on a new line.
  auto c = apply_fix({{"m.py", "import torch\ns = torch.load(p, map_location=\"cpu\",\n)\n"}}, "m.py", "unsafe-deserialization");
  REQUIRE(c.fix);
  CHECK(c.text == "import torch\ns = torch.load(p, map_location=\"cpu\", weights_only=True,\n)\n");
}

TEST_CASE("fix-all: two fixes adding the same import add it once; keras safe_mode=False is dropped (not safe)") {
  Files files = {{"m.py", "from yaml import load\nimport torch\n\na = load(f)\nb = load(g)\n"}};
  auto ws = build_workspace(files);
  REQUIRE(ws.of("m.py", "unsafe-deserialization").size() == 2);
  rubric::fixes::FixContext ctx{ws.files.at("m.py"), files.at("m.py"), *test::the_rubric(), {}, {ws.root}};
  size_t applied = 0;
  auto edits = rubric::fixes::fix_all(ctx, ws.of("m.py"), &applied);
  CHECK(applied == 2);
  CHECK(rubric::fixes::apply_edits(files.at("m.py"), edits) ==
        "from yaml import load\nimport torch\nfrom yaml import safe_load\n\na = safe_load(f)\nb = safe_load(g)\n");

  auto k = apply_fix({{"m.py", "import keras\nm = keras.models.load_model(\"m.keras\", safe_mode=False, compile=False)\n"}}, "m.py",
                     "unsafe-deserialization");
  REQUIRE(k.fix);
  CHECK_FALSE(k.fix->safe);
  CHECK(k.text == "import keras\nm = keras.models.load_model(\"m.keras\", compile=False)\n");
  CHECK(k.remaining == 0);
}
