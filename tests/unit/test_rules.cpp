// rubric: every rule through rubric::check_file with the embedded rubric, on in-memory
// workspaces (WorkspaceModel built from {path: text} under a fake root /ws).
#include <doctest/doctest.h>

#include <string>

#include "test_support.hpp"

using mlaudit::test::build_workspace;
using mlaudit::test::covered;
using Files = std::map<std::string, std::string>;

namespace {

// A training entry script: imports a framework, trains (loss.backward / optimizer.step), has
// a main guard. `header` is inserted after the imports.
std::string train_script(const std::string& header = "") {
  return "import torch\n"
         "from model import Net\n" +
         header +
         "\n"
         "def main():\n"
         "    model = Net()\n"
         "    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
         "    for x, y in loader:\n"
         "        loss = (model(x) - y).pow(2).mean()\n"
         "        loss.backward()\n"
         "        optimizer.step()\n"
         "\n"
         "if __name__ == \"__main__\":\n"
         "    main()\n";
}

const std::string kModel = "import torch\nclass Net(torch.nn.Module):\n    pass\n";

}  // namespace

// ---------------------------------------------------------------------------------------------
// rubric loading

TEST_CASE("rubric: the embedded rubric loads with every rule and the template's scale") {
  auto rubric = mlaudit::test::the_rubric();
  for (const char* id : {"seed-not-set", "unsafe-deserialization", "trust-remote-code", "split-without-random-state",
                         "hardcoded-secret", "no-experiment-tracking", "unpinned-dependency"}) {
    CAPTURE(id);
    REQUIRE(rubric->rule(id) != nullptr);
    CHECK_FALSE(rubric->rule(id)->checklist.empty());
  }
  CHECK(rubric->severity_scale == std::vector<std::string>{"Critical", "High", "Medium", "Low", "Info"});
  CHECK(rubric->rule("no-such-rule") == nullptr);
  CHECK(rubric->rule("hardcoded-secret")->severity == mlaudit::rubric::Severity::Critical);
  CHECK(rubric->rule("seed-not-set")->checklist == "development.reproducible-training");
}

TEST_CASE("rubric: an invalid rubric is refused with the reason") {
  const std::string front = "---\nrelevance:\n  keywords: []\nseverity-scale: \"Critical|High\"\n---\n# T\n";
  CHECK_THROWS_WITH_AS(mlaudit::rubric::parse_rubric("rules: []\n", front), doctest::Contains("training"),
                       std::runtime_error);
  const std::string bad_kind =
      "training: {methods: [fit]}\nrules:\n  - {id: x, kind: magic, checklist: a.b, title: t, severity: High}\n";
  CHECK_THROWS_WITH_AS(mlaudit::rubric::parse_rubric(bad_kind, front), doctest::Contains("unknown kind"),
                       std::runtime_error);
  const std::string bad_severity =
      "training: {methods: [fit]}\nrules:\n  - {id: x, kind: calls, checklist: a.b, title: t, severity: Urgent}\n";
  CHECK_THROWS_WITH_AS(mlaudit::rubric::parse_rubric(bad_severity, front), doctest::Contains("unknown severity"),
                       std::runtime_error);
  const std::string bad_regex =
      "training: {methods: [fit]}\nrules:\n  - {id: x, kind: calls, checklist: a.b, title: t, severity: High,"
      " matchers: [{patterns: [\"(unclosed\"]}]}\n";
  CHECK_THROWS_WITH_AS(mlaudit::rubric::parse_rubric(bad_regex, front), doctest::Contains("invalid pattern"),
                       std::runtime_error);
}

// ---------------------------------------------------------------------------------------------
// seed-not-set

TEST_CASE("seed-not-set: a training script that never seeds") {
  Files files = {{"train.py", train_script()}, {"model.py", kModel}};
  auto ws = build_workspace(files);
  auto found = ws.of("train.py", "seed-not-set");
  REQUIRE(found.size() == 1);
  CHECK(covered(files, "train.py", found[0]) == "loss.backward");
  CHECK(found[0].checklist_id == "development.reproducible-training");
  CHECK(found[0].severity == mlaudit::rubric::Severity::Medium);
  CHECK(found[0].path == "/ws/train.py");
  CHECK(found[0].href.size() > std::string("seed-not-set.md").size());
  CHECK(found[0].href.find("seed-not-set.md") == found[0].href.size() - std::string("seed-not-set.md").size());
  CHECK(ws.of("model.py", "seed-not-set").empty());  // not an entry script
}

TEST_CASE("seed-not-set: seeded in the script itself, through any alias") {
  for (std::string seed : {"torch.manual_seed(0)\n", "import numpy.random as npr\nnpr.seed(0)\n",
                           "import random\nrandom.seed(0)\n", "from transformers import set_seed\nset_seed(42)\n",
                           "import lightning as L\nL.seed_everything(7)\n",
                           "import numpy as np\nrng = np.random.default_rng(0)\n"}) {
    CAPTURE(seed);
    auto ws = build_workspace({{"train.py", train_script(seed)}, {"model.py", kModel}});
    CHECK(ws.of("train.py", "seed-not-set").empty());
  }
}

TEST_CASE("seed-not-set: seeded in a helper module the script imports") {
  const std::string helper = "import random, torch\ndef set_seed(s):\n    random.seed(s)\n    torch.manual_seed(s)\n";
  SUBCASE("absolute import of a sibling module") {
    auto ws = build_workspace({{"train.py", train_script("from utils import set_seed\n")},
                               {"utils.py", helper}, {"model.py", kModel}});
    CHECK(ws.of("train.py", "seed-not-set").empty());
  }
  SUBCASE("relative import inside a package") {
    auto ws = build_workspace({{"pkg/train.py", train_script("from .utils import set_seed\n")},
                               {"pkg/utils.py", helper}, {"pkg/__init__.py", ""}, {"model.py", kModel}});
    CHECK(ws.of("pkg/train.py", "seed-not-set").empty());
  }
  SUBCASE("a package whose __init__ seeds") {
    auto ws = build_workspace({{"train.py", train_script("from common import set_seed\n")},
                               {"common/__init__.py", helper}, {"model.py", kModel}});
    CHECK(ws.of("train.py", "seed-not-set").empty());
  }
  SUBCASE("transitively, through a module that imports the seeding one") {
    auto ws = build_workspace({{"train.py", train_script("import setup_env\n")},
                               {"setup_env.py", "from src.seeding import set_seed\n"},
                               {"src/seeding.py", helper}, {"model.py", kModel}});
    CHECK(ws.of("train.py", "seed-not-set").empty());
    CHECK(ws.conclusions().seeding_files.count("/ws/setup_env.py") == 1);
  }
  SUBCASE("a helper that seeds but is not imported does not count") {
    auto ws = build_workspace({{"train.py", train_script()}, {"utils.py", helper}, {"model.py", kModel}});
    CHECK(ws.of("train.py", "seed-not-set").size() == 1);
  }
  SUBCASE("an imported helper that does not seed does not count") {
    auto ws = build_workspace({{"train.py", train_script("from utils import set_seed\n")},
                               {"utils.py", "def set_seed(s):\n    pass\n"}, {"model.py", kModel}});
    CHECK(ws.of("train.py", "seed-not-set").size() == 1);
  }
}

TEST_CASE("seed-not-set: only entry scripts that train count") {
  SUBCASE("a library module with training code but no main guard and no module-level training") {
    const std::string lib = "import torch\ndef fit(model, loss, opt):\n    loss.backward()\n    opt.step()\n";
    auto ws = build_workspace({{"lib.py", lib}});
    CHECK(ws.of("lib.py", "seed-not-set").empty());
  }
  SUBCASE("module-level training counts without a main guard") {
    const std::string script = "from sklearn.linear_model import LogisticRegression\nclf = LogisticRegression()\nclf.fit(X, y)\n";
    auto ws = build_workspace({{"fit.py", script}});
    CHECK(ws.of("fit.py", "seed-not-set").size() == 1);
  }
  SUBCASE("a .fit() in a file that imports no training framework") {
    const std::string script = "import requests\nif __name__ == '__main__':\n    layout.fit(page)\n";
    auto ws = build_workspace({{"ui.py", script}, {"requirements.txt", "torch==2.1.0\n"}});
    CHECK(ws.conclusions().relevance.relevant);
    CHECK(ws.of("ui.py", "seed-not-set").empty());
  }
}

// ---------------------------------------------------------------------------------------------
// unsafe-deserialization

TEST_CASE("unsafe-deserialization: torch.load and weights_only") {
  struct Case { std::string code; bool finding; };
  for (const auto& c : {Case{"torch.load(path)", true},
                        Case{"torch.load(path, map_location='cpu')", true},
                        Case{"torch.load(path, weights_only=False)", true},
                        Case{"torch.load(path, weights_only=True)", false},
                        Case{"T.load(path)", true},
                        Case{"tl(path)", true},
                        Case{"safe = True\ntorch.load(path, weights_only=safe)", false},
                        Case{"torch.load(path, weights_only=flag)", false},  // unknown: never reported
                        Case{"torch.load(path, **{'weights_only': True})", false},
                        Case{"torch.save(model, path)", false},
                        Case{"model.load(path)", false}}) {
    CAPTURE(c.code);
    std::string source = "import torch\nimport torch as T\nfrom torch import load as tl\n" + c.code + "\n";
    Files files = {{"load.py", source}};
    auto ws = build_workspace(files);
    auto found = ws.of("load.py", "unsafe-deserialization");
    CHECK(found.size() == (c.finding ? 1u : 0u));
    if (!found.empty()) {
      CHECK(found[0].checklist_id == "security.unsafe-deserialization");
      CHECK(found[0].severity == mlaudit::rubric::Severity::High);
      CHECK(found[0].message.find("weights_only=True") != std::string::npos);
    }
  }
}

TEST_CASE("unsafe-deserialization: pickle, joblib, pandas.read_pickle") {
  Files files = {{"io.py",
                  "import torch, pickle, joblib\nimport pandas as pd\nfrom pickle import loads\n"
                  "a = pickle.load(f)\nb = loads(data)\nc = joblib.load('m.joblib')\nd = pd.read_pickle('x.pkl')\n"
                  "pickle.dump(a, f)\n"}};
  auto ws = build_workspace(files);
  auto found = ws.of("io.py", "unsafe-deserialization");
  REQUIRE(found.size() == 4);
  CHECK(covered(files, "io.py", found[0]) == "pickle.load");
  CHECK(covered(files, "io.py", found[1]) == "loads");
  CHECK(covered(files, "io.py", found[2]) == "joblib.load");
  CHECK(covered(files, "io.py", found[3]) == "pd.read_pickle");
  CHECK(found[3].message.find("pd.read_pickle") != std::string::npos);  // the callee as written
}

TEST_CASE("unsafe-deserialization: yaml.load and its Loader") {
  struct Case { std::string code; bool finding; };
  for (const auto& c : {Case{"yaml.load(f)", true},
                        Case{"yaml.load(f, Loader=yaml.Loader)", true},
                        Case{"yaml.load(f, Loader=yaml.FullLoader)", true},
                        Case{"yaml.load(f, Loader=yaml.UnsafeLoader)", true},
                        Case{"yaml.load(f, Loader=yaml.SafeLoader)", false},
                        Case{"yaml.load(f, Loader=yaml.CSafeLoader)", false},
                        Case{"yaml.load(f, Loader=SafeLoader)", false},  // from yaml import SafeLoader
                        Case{"yaml.load(f, SafeLoader)", false},         // positional
                        Case{"yaml.load(f, yaml.SafeLoader)", false},
                        Case{"yaml.load(f, yaml.Loader)", true},
                        Case{"yaml.load_all(f, Loader=yaml.BaseLoader)", false},
                        Case{"yaml.safe_load(f)", false},
                        Case{"yaml.unsafe_load(f)", true},
                        Case{"y.load(f, Loader=y.SafeLoader)", false},    // import yaml as y
                        Case{"y.load(f)", true}}) {
    CAPTURE(c.code);
    std::string source = "import torch\nimport yaml\nimport yaml as y\nfrom yaml import SafeLoader\n" + c.code + "\n";
    auto ws = build_workspace({{"cfg.py", source}});
    CHECK(ws.of("cfg.py", "unsafe-deserialization").size() == (c.finding ? 1u : 0u));
  }
}

TEST_CASE("unsafe-deserialization: a Loader that cannot be followed is unknown, and unknown never reports") {
  // `loader` is a parameter: nothing says what it holds.
  auto ws = build_workspace({{"cfg.py", "import torch, yaml\ndef read(f, loader):\n    return yaml.load(f, Loader=loader)\n"}});
  CHECK(ws.of("cfg.py", "unsafe-deserialization").empty());
  // The same name bound to a known unsafe loader is followed and reported.
  auto ws2 = build_workspace({{"cfg.py", "import torch, yaml\nloader = yaml.FullLoader\nyaml.load(f, Loader=loader)\n"}});
  CHECK(ws2.of("cfg.py", "unsafe-deserialization").size() == 1);
}

TEST_CASE("unsafe-deserialization: numpy.load only with allow_pickle=True") {
  Files files = {{"arr.py",
                  "import numpy as np\nimport torch\n"
                  "a = np.load('a.npy')\n"
                  "b = np.load('b.npy', allow_pickle=False)\n"
                  "c = np.load('c.npz', allow_pickle=True)\n"}};
  auto ws = build_workspace(files);
  auto found = ws.of("arr.py", "unsafe-deserialization");
  REQUIRE(found.size() == 1);
  CHECK(covered(files, "arr.py", found[0]) == "allow_pickle=True");  // anchored on the argument
  CHECK(found[0].range.start.line == 4);
}

TEST_CASE("unsafe-deserialization: keras load_model with safe_mode=False") {
  auto ws = build_workspace({{"k.py",
                              "import keras\nfrom tensorflow import keras as tk\n"
                              "keras.models.load_model('m.keras')\n"
                              "keras.saving.load_model('m.keras', safe_mode=False)\n"
                              "tk.models.load_model('m.keras', safe_mode=False)\n"}});
  CHECK(ws.of("k.py", "unsafe-deserialization").size() == 2);
}

// ---------------------------------------------------------------------------------------------
// trust-remote-code

TEST_CASE("trust-remote-code: literal, variable, **kwargs dict literal and dict(...)") {
  struct Case { std::string code; bool finding; };
  for (const auto& c : {
           Case{"AutoModel.from_pretrained(name, trust_remote_code=True)", true},
           Case{"AutoModel.from_pretrained(name, trust_remote_code=False)", false},
           Case{"AutoModel.from_pretrained(name)", false},
           Case{"AutoTokenizer.from_pretrained(name, trust_remote_code=True)", true},
           Case{"MyModel.from_pretrained(name, trust_remote_code=True)", true},  // any from_pretrained
           Case{"transformers.pipeline('text-generation', model=name, trust_remote_code=True)", true},
           Case{"load_dataset('org/ds', trust_remote_code=True)", true},
           Case{"AutoConfig(trust_remote_code=True)", true},
           Case{"trc = True\nAutoModel.from_pretrained(name, trust_remote_code=trc)", true},
           Case{"trc = False\nAutoModel.from_pretrained(name, trust_remote_code=trc)", false},
           Case{"kw = {'trust_remote_code': True, 'revision': 'main'}\nAutoModel.from_pretrained(name, **kw)", true},
           Case{"kw = {'trust_remote_code': False}\nAutoModel.from_pretrained(name, **kw)", false},
           Case{"kw = dict(trust_remote_code=True)\nAutoModel.from_pretrained(name, **kw)", true},
           Case{"AutoModel.from_pretrained(name, **dict(trust_remote_code=True))", true},
           Case{"flag = True\nkw = {'trust_remote_code': flag}\nAutoModel.from_pretrained(name, **kw)", true},
           Case{"def f(flag):\n    kw = {'trust_remote_code': flag}\n    AutoModel.from_pretrained(name, **kw)", false},
           Case{"def load(name, **kwargs):\n    return AutoModel.from_pretrained(name, **kwargs)", false},
           Case{"def load(name, trc):\n    return AutoModel.from_pretrained(name, trust_remote_code=trc)", false},
           Case{"def f():\n    trc = True\ndef g(trc):\n    return AutoModel.from_pretrained(n, trust_remote_code=trc)", false},
           Case{"from_pretrained_cache(name, trust_remote_code=True)", false},
       }) {
    CAPTURE(c.code);
    std::string source = "import transformers\nfrom transformers import AutoModel, AutoTokenizer, AutoConfig\n"
                         "from datasets import load_dataset\n" + c.code + "\n";
    Files files = {{"load.py", source}};
    auto ws = build_workspace(files);
    auto found = ws.of("load.py", "trust-remote-code");
    CHECK(found.size() == (c.finding ? 1u : 0u));
    for (const auto& f : found) {
      CHECK(f.checklist_id == "security.remote-code");
      CHECK(f.severity == mlaudit::rubric::Severity::High);
    }
  }
}

TEST_CASE("trust-remote-code: the finding is on the keyword argument when there is one") {
  Files files = {{"m.py", "from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    'x',\n    trust_remote_code=True,\n)\n"}};
  auto ws = build_workspace(files);
  auto found = ws.of("m.py", "trust-remote-code");
  REQUIRE(found.size() == 1);
  CHECK(covered(files, "m.py", found[0]) == "trust_remote_code=True");
  CHECK(found[0].range.start.line == 3);
}

// ---------------------------------------------------------------------------------------------
// split-without-random-state

TEST_CASE("split-without-random-state: train_test_split, KFold and ShuffleSplit") {
  struct Case { std::string code; bool finding; };
  for (const auto& c : {
           Case{"train_test_split(X, y, test_size=0.2)", true},
           Case{"train_test_split(X, y, test_size=0.2, random_state=42)", false},
           Case{"train_test_split(X, y, random_state=None)", true},
           Case{"train_test_split(X, y, random_state=SEED)", false},
           Case{"ms.train_test_split(X, y)", true},
           Case{"model_selection.train_test_split(X)", true},
           Case{"KFold(n_splits=5, shuffle=True)", true},
           Case{"KFold(n_splits=5, shuffle=True, random_state=0)", false},
           Case{"KFold(shuffle=False)", false},
           Case{"KFold(5)", false},
           Case{"KFold(5, True)", true},
           Case{"KFold(5, True, 42)", false},  // positional random_state
           Case{"StratifiedKFold(5, shuffle=True)", true},
           Case{"ShuffleSplit(n_splits=3)", true},
           Case{"ShuffleSplit(n_splits=3, random_state=1)", false},
           Case{"my_split(X)", false},
       }) {
    CAPTURE(c.code);
    std::string source = "import sklearn.model_selection as ms\nfrom sklearn import model_selection\n"
                         "from sklearn.model_selection import train_test_split, KFold, StratifiedKFold, ShuffleSplit\n" +
                         c.code + "\n";
    auto ws = build_workspace({{"split.py", source}});
    auto found = ws.of("split.py", "split-without-random-state");
    CHECK(found.size() == (c.finding ? 1u : 0u));
    for (const auto& f : found) CHECK(f.checklist_id == "data.split-strategy-documented");
  }
}

TEST_CASE("split-without-random-state: a project's own train_test_split is not sklearn's") {
  auto ws = build_workspace({{"split.py", "import torch\ndef train_test_split(rows):\n    return rows[:8], rows[8:]\ntrain_test_split(data)\n"}});
  CHECK(ws.of("split.py", "split-without-random-state").empty());
}

// ---------------------------------------------------------------------------------------------
// hardcoded-secret

namespace {

struct SecretCase {
  std::string code;
  std::string secret;  // "" for negatives
  std::string kind;    // the secret's name in the message
};

void check_secret_case(const SecretCase& c) {
  CAPTURE(c.code);
  Files files = {{"keys.py", "import os, openai, wandb\nfrom transformers import AutoModel\n" + c.code + "\n"}};
  auto ws = build_workspace(files);
  auto found = ws.of("keys.py", "hardcoded-secret");
  if (c.secret.empty()) {
    CHECK(found.empty());
    return;
  }
  REQUIRE(found.size() == 1);
  CHECK(found[0].checklist_id == "security.secrets");
  CHECK(found[0].severity == mlaudit::rubric::Severity::Critical);
  CHECK(found[0].message.find(c.kind) != std::string::npos);
  CHECK(covered(files, "keys.py", found[0]).find(c.secret) != std::string::npos);
  // At most the first four characters of the secret appear in the message.
  CHECK(found[0].message.find(c.secret.substr(0, 4)) != std::string::npos);
  for (size_t i = 0; i + 5 <= c.secret.size(); ++i) {
    CAPTURE(i);
    CHECK(found[0].message.find(c.secret.substr(i, 5)) == std::string::npos);
  }
}

const std::string kOpenAI = "sk-proj-Q7fT2mZ9xLk4Wb8nRp3sHv6yJc1dGe5aUo0iNt";
const std::string kAnthropic = "sk-ant-api03-Zx9Kq2Lm7Np4Rt8Vw3Yb6Cd1Fg5Hj0Ks";
const std::string kHF = "hf_QwErTyUiOpAsDfGhJkLzXcVbNm1234567";
const std::string kAWS = "AKIAZ7QW3ERT5YUI9OPL";
const std::string kHex40 = "3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e2b4d6f01";

}  // namespace

TEST_CASE("hardcoded-secret: API keys of OpenAI, Anthropic, Hugging Face and AWS") {
  for (const auto& c : {SecretCase{"openai.api_key = \"" + kOpenAI + "\"", kOpenAI, "OpenAI API key"},
                        SecretCase{"client = openai.OpenAI(api_key='" + kOpenAI + "')", kOpenAI, "OpenAI API key"},
                        SecretCase{"KEY = \"" + kAnthropic + "\"", kAnthropic, "Anthropic API key"},
                        SecretCase{"settings = {\"token\": \"" + kHF + "\"}", kHF, "Hugging Face token"},
                        SecretCase{"AWS_ACCESS_KEY_ID = '" + kAWS + "'", kAWS, "AWS access key id"},
                        SecretCase{"url = f\"https://api.example.com/?key=" + kOpenAI + "\"", kOpenAI, "OpenAI API key"}}) {
    check_secret_case(c);
  }
}

TEST_CASE("hardcoded-secret: a 40-hex string is a W&B key only where W&B is around it") {
  check_secret_case({"wandb.login(key=\"" + kHex40 + "\")", kHex40, "W&B API key"});
  check_secret_case({"os.environ[\"WANDB_API_KEY\"] = \"" + kHex40 + "\"", kHex40, "W&B API key"});
  check_secret_case({"os.environ.setdefault(\"WANDB_API_KEY\", \"" + kHex40 + "\")", kHex40, "W&B API key"});
  // A pinned model revision is a commit hash, not a key.
  check_secret_case({"AutoModel.from_pretrained(\"bert-base-uncased\", revision=\"" + kHex40 + "\")", "", ""});
  check_secret_case({"COMMIT = \"" + kHex40 + "\"", "", ""});
  // A model published by the W&B organisation is still a revision, not a key.
  check_secret_case({"AutoModel.from_pretrained(\"wandb/some-model\", revision=\"" + kHex40 + "\")", "", ""});
}

TEST_CASE("hardcoded-secret: placeholders, references and partial matches are not secrets") {
  for (const std::string& code : std::vector<std::string>{"openai.api_key = \"sk-xxxxxxxxxxxxxxxxxxxxxxxx\"",
                           "openai.api_key = \"sk-...\"",
                           "openai.api_key = os.environ[\"OPENAI_API_KEY\"]",
                           "name = \"task-" + kOpenAI.substr(3) + "\"",     // "sk-" inside a longer word
                           "token = \"hf_short\"",
                           "# key = \"" + kOpenAI + "\"",                    // a comment is not a string
                           "desc = \"AKIA is the prefix of AWS access keys\""}) {
    check_secret_case({code, "", ""});
  }
}

// ---------------------------------------------------------------------------------------------
// no-experiment-tracking

TEST_CASE("no-experiment-tracking: a training script in a workspace without any tracker") {
  Files files = {{"train.py", train_script("torch.manual_seed(0)\n")}, {"model.py", kModel}};
  auto ws = build_workspace(files);
  auto found = ws.of("train.py", "no-experiment-tracking");
  REQUIRE(found.size() == 1);
  CHECK(covered(files, "train.py", found[0]) == "loss.backward");
  CHECK(found[0].checklist_id == "infrastructure.experiment-tracking");
  CHECK(ws.conclusions().tracking.empty());
  CHECK(ws.of("train.py", "seed-not-set").empty());
}

TEST_CASE("no-experiment-tracking: any file that uses a tracker clears it everywhere") {
  struct Case { std::string path, code, evidence; };
  for (const auto& c : {Case{"log.py", "import mlflow\n", "log.py: import mlflow"},
                        Case{"utils/log.py", "import wandb as wb\n", "utils/log.py: import wandb"},
                        Case{"log.py", "from torch.utils.tensorboard import SummaryWriter\n",
                             "log.py: import torch.utils.tensorboard.SummaryWriter"},
                        Case{"log.py", "from torch.utils import tensorboard\n", "log.py: import torch.utils.tensorboard"},
                        Case{"args.py", "from transformers import TrainingArguments\nargs = TrainingArguments(output_dir='o', report_to=\"wandb\")\n",
                             "args.py: report_to=\"wandb\""},
                        Case{"args.py", "from transformers import TrainingArguments\nargs = TrainingArguments(output_dir='o', report_to=[\"tensorboard\", \"wandb\"])\n",
                             "args.py: report_to=[…]"},
                        Case{"tf.py", "import tensorflow as tf\nw = tf.summary.create_file_writer('logs')\n",
                             "tf.py: tensorflow.summary.create_file_writer"}}) {
    CAPTURE(c.code);
    auto ws = build_workspace({{"train.py", train_script("torch.manual_seed(0)\n")}, {"model.py", kModel}, {c.path, c.code}});
    CHECK(ws.of("train.py", "no-experiment-tracking").empty());
    CHECK(ws.conclusions().tracking == c.evidence);
  }
}

TEST_CASE("no-experiment-tracking: look-alikes do not count as tracking") {
  for (std::string code : {"import mlflow_utils\n", "import torch.utils.data\n",
                           "from transformers import TrainingArguments\nTrainingArguments(output_dir='o', report_to='none')\n",
                           "# import wandb\n", "x = 'import mlflow'\n"}) {
    CAPTURE(code);
    auto ws = build_workspace({{"train.py", train_script("torch.manual_seed(0)\n")}, {"model.py", kModel}, {"other.py", code}});
    CHECK(ws.of("train.py", "no-experiment-tracking").size() == 1);
  }
}

// ---------------------------------------------------------------------------------------------
// unpinned-dependency

TEST_CASE("unpinned-dependency: ML frameworks without an exact pin") {
  Files files = {{"requirements.txt", "torch>=2.0\nnumpy\nTransformers\nscikit_learn==1.3.2\nrequests\ndatasets==2.*\n"}};
  auto ws = build_workspace(files);
  auto found = ws.of("requirements.txt", "unpinned-dependency");
  REQUIRE(found.size() == 3);
  CHECK(covered(files, "requirements.txt", found[0]) == "torch>=2.0");
  CHECK(found[0].message.find("`torch`") != std::string::npos);
  CHECK(covered(files, "requirements.txt", found[1]) == "Transformers");
  CHECK(found[1].message.find("`transformers`") != std::string::npos);
  CHECK(covered(files, "requirements.txt", found[2]) == "datasets==2.*");
  CHECK(found[0].checklist_id == "infrastructure.reproducible-environments");
}

TEST_CASE("unpinned-dependency: pinned requirements are fine") {
  auto ws = build_workspace({{"requirements.txt", "torch==2.1.0\ntransformers==4.36.2 --hash=sha256:abc\n"}});
  CHECK(ws.conclusions().relevance.relevant);
  CHECK(ws.of("requirements.txt").empty());
}

TEST_CASE("unpinned-dependency: a lock file pins everything") {
  for (std::string lock : {"poetry.lock", "uv.lock", "sub/Pipfile.lock"}) {
    CAPTURE(lock);
    auto ws = build_workspace({{"requirements.txt", "torch>=2.0\n"}}, {lock});
    CHECK(ws.of("requirements.txt", "unpinned-dependency").empty());
    CHECK_FALSE(ws.conclusions().lock_files.empty());
  }
  auto ws = build_workspace({{"requirements.txt", "torch>=2.0\n"}}, {"poetry.lock.bak", "README.md"});
  CHECK(ws.of("requirements.txt", "unpinned-dependency").size() == 1);
}

TEST_CASE("unpinned-dependency: the lock file arriving later clears the finding") {
  auto rubric = mlaudit::test::the_rubric();
  mlaudit::rubric::WorkspaceModel model(rubric, {"/ws"});
  auto req = mlaudit::analyze_text("/ws/requirements.txt", "torch\n");
  model.update(req);
  CHECK(mlaudit::rubric::check_file(req, *rubric, *model.conclusions()).size() == 1);
  CHECK(model.add_present("/ws/poetry.lock"));   // the conclusions changed
  CHECK_FALSE(model.add_present("/ws/poetry.lock"));
  CHECK(mlaudit::rubric::check_file(req, *rubric, *model.conclusions()).empty());
  CHECK(model.remove("/ws/poetry.lock"));
  CHECK(mlaudit::rubric::check_file(req, *rubric, *model.conclusions()).size() == 1);
}

// ---------------------------------------------------------------------------------------------
// suppressions

TEST_CASE("suppressions: same line, line above, all rules, other rules") {
  struct Case { std::string code; bool suppressed; };
  for (const auto& c : {Case{"torch.load(p)  # mlaudit: ignore[unsafe-deserialization]", true},
                        Case{"# mlaudit: ignore[unsafe-deserialization]\ntorch.load(p)", true},
                        Case{"torch.load(p)  # mlaudit: ignore", true},
                        Case{"# mlaudit: ignore\ntorch.load(p)", true},
                        Case{"torch.load(p)  # mlaudit: ignore[seed-not-set, unsafe-deserialization]", true},
                        Case{"torch.load(p)  # mlaudit:ignore[ unsafe-deserialization ]", true},
                        Case{"torch.load(p)  # mlaudit: ignore[hardcoded-secret]", false},
                        Case{"# mlaudit: ignore[unsafe-deserialization]\n\ntorch.load(p)", false},  // two lines above
                        Case{"torch.load(p)\n# mlaudit: ignore[unsafe-deserialization]", false},    // the line below
                        Case{"torch.load(p)  # mlaudit: ignore[unsafe-deserialization-extra]", false},
                        Case{"torch.load(p)  # noqa", false},
                        Case{"s = '# mlaudit: ignore'\ntorch.load(p)", false},  // a string, not a comment
                        Case{"torch.load(p, '# mlaudit: ignore')", false}}) {
    CAPTURE(c.code);
    auto ws = build_workspace({{"load.py", "import torch\n" + c.code + "\n"}});
    CHECK(ws.of("load.py", "unsafe-deserialization").size() == (c.suppressed ? 0u : 1u));
  }
}

TEST_CASE("suppressions: one suppression does not hide another rule's finding on the same line") {
  auto ws = build_workspace({{"load.py",
                              "import torch\nfrom transformers import AutoModel\n"
                              "m = AutoModel.from_pretrained(torch.load(p), trust_remote_code=True)  # mlaudit: ignore[unsafe-deserialization]\n"}});
  CHECK(ws.of("load.py", "unsafe-deserialization").empty());
  CHECK(ws.of("load.py", "trust-remote-code").size() == 1);
}

TEST_CASE("suppressions: in requirements files") {
  auto ws = build_workspace({{"requirements.txt",
                              "torch>=2  # mlaudit: ignore[unpinned-dependency]\n"
                              "# mlaudit: ignore\n"
                              "transformers\n"
                              "datasets\n"}});
  CHECK(ws.of("requirements.txt").size() == 1);
  REQUIRE(ws.of("requirements.txt", "unpinned-dependency").size() == 1);
  CHECK(ws.of("requirements.txt", "unpinned-dependency")[0].range.start.line == 3);
}

// ---------------------------------------------------------------------------------------------
// engine behaviour common to all rules

TEST_CASE("engine: findings are sorted by position, and skipped files get none") {
  Files files = {{"x.py", "import torch, pickle\npickle.load(f)\ntorch.load(p)\nK = 'sk-proj-Q7fT2mZ9xLk4Wb8nRp3sHv6yJc1dGe5'\n"}};
  auto ws = build_workspace(files);
  const auto& found = ws.of("x.py");
  REQUIRE(found.size() == 3);
  CHECK(found[0].rule == "unsafe-deserialization");
  CHECK(found[1].rule == "unsafe-deserialization");
  CHECK(found[2].rule == "hardcoded-secret");
  CHECK(found[0].range.start_byte < found[1].range.start_byte);
  CHECK(found[1].range.start_byte < found[2].range.start_byte);

  auto skipped = mlaudit::analyze_text("/ws/big.py", "import torch\ntorch.load(p)\n", 10);
  REQUIRE_FALSE(skipped.skipped.reason.empty());
  CHECK(mlaudit::rubric::check_file(skipped, *mlaudit::test::the_rubric(), ws.conclusions()).empty());
}

TEST_CASE("engine: a workspace that is not ML code gets no findings at all") {
  Files files = {{"app.py", "import pickle\nobj = pickle.loads(blob)\nKEY = 'sk-proj-Q7fT2mZ9xLk4Wb8nRp3sHv6yJc1dGe5'\n"}};
  auto ws = build_workspace(files);
  CHECK_FALSE(ws.conclusions().relevance.relevant);
  CHECK(ws.findings.empty());
  // The same file in a workspace that is ML code.
  files["ml.py"] = "import sklearn\n";
  auto ml = build_workspace(files);
  CHECK(ml.conclusions().relevance.relevant);
  CHECK(ml.of("app.py").size() == 2);
}

TEST_CASE("workspace model: update reports whether conclusions changed; removing a file re-derives") {
  auto rubric = mlaudit::test::the_rubric();
  mlaudit::rubric::WorkspaceModel model(rubric, {"/ws"});
  CHECK_FALSE(model.conclusions()->relevance.relevant);
  auto app = mlaudit::analyze_text("/ws/app.py", "import os\n");
  CHECK_FALSE(model.update(app));
  auto ml = mlaudit::analyze_text("/ws/ml.py", "import torch\n");
  CHECK(model.update(ml));
  CHECK(model.conclusions()->relevance.relevant);
  CHECK(model.conclusions()->relevance.signals == std::vector<std::string>{"ml.py: import torch"});
  CHECK_FALSE(model.update(mlaudit::analyze_text("/ws/ml.py", "import torch\nx = 1\n")));  // same signals
  CHECK(model.remove("/ws/ml.py"));
  CHECK_FALSE(model.conclusions()->relevance.relevant);
}
