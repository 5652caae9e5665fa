#!/usr/bin/env python3
"""Deterministic generator of a synthetic ML workspace for the mlaudit benchmarks.

    generate_workspace.py OUT --files 200 [--seed 1]     a workspace of N Python files + requirements.txt
    generate_workspace.py --single-file OUT.py [--lines 3000] [--seed 1]
                                                         one Python file of exactly that many lines

The workspace looks like a real training repository: a package with data modules, model modules,
utilities (seed helpers, checkpoint I/O) and training entry scripts with main guards; imports of
torch / numpy / sklearn / transformers with aliases; some torch.load / pickle calls (safe and unsafe);
some train_test_split calls with and without random_state; classes, functions, docstrings and strings.
Files are 100-1000 lines (several MB for N=200). The same seed always gives byte-identical output.
Python 3 standard library only.
"""
import argparse
import os
import random
import sys

WORDS = ("feature label batch token embed hidden layer score weight bias sample metric loss grad "
         "epoch window stride scale shift mask query key value head block stage cache index shard "
         "record frame image text audio vocab input output target logit prob anchor margin").split()
MODULE_ROLES = ("data", "models", "utils", "train")  # cycled through: one role per file
REQUIREMENTS = ["torch>=2.1", "numpy==1.26.4", "scikit-learn", "transformers==4.41.2", "pandas>=2.0",
                "pyyaml==6.0.1", "tqdm", "datasets", "accelerate==0.30.1"]


class Writer:
    """Accumulates lines; blocks are lists of lines so callers can check sizes before adding."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.imported = ""  # the file's import block, so calls only use what is imported
        self.torch = "torch"

    def add(self, block):  # a top-level block, then two blank lines (PEP 8)
        self.lines.extend(block)
        self.lines += ["", ""]

    def name(self, parts=2):
        return "_".join(self.rng.choice(WORDS) for _ in range(parts))

    def camel(self, parts=2):
        return "".join(self.rng.choice(WORDS).capitalize() for _ in range(parts))


# --- Blocks: each returns a list of lines (no trailing blank line). ------------------------------

def imports_block(w, role, package, seed_module):
    r = w.rng
    w.torch = "torch" if r.random() < 0.6 else "T"  # the name torch is bound to in this file
    lines = ['"""%s module of the %s project: %s."""' % (role.capitalize(), package, " ".join(r.sample(WORDS, 6))),
             "import argparse" if role == "train" else "import functools",
             "import json",
             "import logging",
             "import math",
             "import os",
             "import random",
             "",
             "import numpy as np",
             "import torch" if w.torch == "torch" else "import torch as T",
             "from torch import nn",
             "import torch.nn.functional as F"]
    if role in ("data", "train") or r.random() < 0.3:
        lines += ["import pandas as pd",
                  "from sklearn.model_selection import train_test_split",
                  "from sklearn import metrics as skm"]
    if role in ("models", "train") or r.random() < 0.3:
        lines.append("from transformers import AutoModel, AutoTokenizer" if r.random() < 0.7
                     else "import transformers as hf")
    if role in ("utils", "data") and r.random() < 0.5:
        lines.append("import pickle")
    if role == "train":
        lines += ["", "from %s.%s import set_seed, save_checkpoint" % (package, seed_module)]
    lines += ["", "LOG = logging.getLogger(__name__)",
              "%s = %d" % (w.name(2).upper(), r.randint(1, 4096)),
              '%s = "%s"' % (w.name(2).upper(), "/".join(r.sample(WORDS, 3))),
              "%s = %r" % (w.name(1).upper(), r.sample(WORDS, 4))]
    return lines


def torch_name(w):
    return w.torch


def statement(w, depth):
    """One or a few lines of plausible function body at indentation `depth`."""
    r, ind = w.rng, "    " * depth
    a, b, c = w.name(1), w.name(2), w.name(1)
    k = r.randrange(14)
    if k == 0:
        return [f"{ind}{b} = {a} * {r.uniform(0.01, 3):.3f} + {c}"]
    if k == 1:
        return [f"{ind}{b} = [{a} ** 2 for {a} in range({r.randint(2, 64)}) if {a} % {r.randint(2, 5)}]"]
    if k == 2:
        return [f"{ind}{b} = {{", f'{ind}    "{a}": {r.randint(0, 999)},', f'{ind}    "{c}": "{w.name(3)}",',
                f'{ind}    "{w.name(1)}": [{r.random():.4f}, {r.random():.4f}],', f"{ind}}}"]
    if k == 3:
        return [f'{ind}msg = f"{a} {{{a}!r}} reached {{{b}:.3f}} after {r.randint(1, 100)} steps"']
    if k == 4:
        return [f"{ind}if {a} > {r.randint(0, 100)}:", f"{ind}    {b} = min({a}, {c})",
                f"{ind}else:", f"{ind}    {b} = max({a}, {c}) - {r.randint(1, 9)}"]
    if k == 5:
        return [f"{ind}for {a} in range({r.randint(2, 128)}):", f"{ind}    {b} += {a} * {r.randint(1, 5)}",
                f"{ind}    if {b} > {r.randint(100, 10000)}:", f"{ind}        break"]
    if k == 6:
        return [f"{ind}try:", f'{ind}    {b} = json.loads(open("{a}.json").read())',
                f"{ind}except (OSError, ValueError) as exc:", f'{ind}    raise RuntimeError("cannot read {a}") from exc']
    if k == 7:
        return [f"{ind}{b} = {torch_name(w)}.tensor([{', '.join(str(r.randint(0, 9)) for _ in range(r.randint(2, 8)))}])",
                f"{ind}{b} = F.{r.choice(['relu', 'gelu', 'softmax', 'dropout'])}({b}.float())"]
    if k == 8:
        return [f"{ind}{b} = np.{r.choice(['mean', 'std', 'max', 'sum'])}(np.asarray({a}), axis={r.randint(0, 1)})"]
    if k == 9:
        return [f"{ind}with open(os.path.join({a}, \"{c}.txt\"), \"w\") as handle:",
                f"{ind}    handle.write(str({b}))"]
    if k == 10:
        return [f"{ind}{b} = sorted({a}, key=lambda item: (item[{r.randint(0, 3)}], -item[{r.randint(0, 3)}]))"]
    if k == 11:
        return [f"{ind}# {' '.join(r.sample(WORDS, r.randint(4, 10)))}"]
    if k == 12:
        return [f"{ind}{b} = {{{a}: {c} for {a}, {c} in zip({w.name(1)}, {w.name(1)})}}"]
    return [f"{ind}assert {a} is not None, \"{' '.join(r.sample(WORDS, 4))}\""]


def function_block(w, depth=0, name=None, params=None, role=None):
    r, ind = w.rng, "    " * depth
    name = name or w.name(r.randint(1, 3))
    if params is None:  # distinct names; parameters with defaults after those without
        names = r.sample(WORDS, r.randint(0, 4))
        cut = r.randint(0, len(names))
        params = ", ".join([n + r.choice(["", ": int", ": float", ": str"]) for n in names[:cut]] +
                           [n + r.choice(["=None", f"={r.randint(0, 9)}", ": float = 0.5"]) for n in names[cut:]])
    lines = []
    if r.random() < 0.15:
        lines.append(f"{ind}@{r.choice([w.torch + '.no_grad()', 'functools.lru_cache(maxsize=None)'])}")
    lines.append(f"{ind}def {name}({'self, ' if depth and params else 'self' if depth else ''}{params}):")
    if r.random() < 0.6:
        lines.append(f'{ind}    """{" ".join(r.sample(WORDS, r.randint(3, 9))).capitalize()}."""')
    for _ in range(r.randint(2, 9)):
        lines += statement(w, depth + 1)
    # ML-specific calls, sprinkled so that every rule has something to look at.
    p = r.random()
    tn = torch_name(w)
    if p < 0.05:
        lines.append(f'{ind}    state = {tn}.load(path)')  # unsafe: no weights_only
    elif p < 0.10:
        lines.append(f'{ind}    state = {tn}.load(path, map_location="cpu", weights_only=True)')
    elif p < 0.13 and role in ("data", "utils"):
        lines.append(f'{ind}    blob = pickle.load(open("{w.name(1)}.pkl", "rb"))' if "pickle" in w.imported
                     else f'{ind}    blob = np.load("{w.name(1)}.npz", allow_pickle=True)')
    elif p < 0.17 and "train_test_split" in w.imported:
        extra = ", random_state=%d" % r.randint(0, 99) if r.random() < 0.5 else ""
        lines.append(f"{ind}    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.{r.randint(1, 3)}{extra})")
    elif p < 0.20 and "AutoModel" in w.imported:
        lines.append(f'{ind}    encoder = AutoModel.from_pretrained("{w.name(1)}-base", revision="main")')
    lines.append(f"{ind}    return {w.name(1)}")
    return lines


def class_block(w, role):
    r = w.rng
    base = "nn.Module" if role == "models" else r.choice(["object", w.torch + ".utils.data.Dataset", "nn.Module"])
    name = w.camel(r.randint(2, 3))
    lines = [f"class {name}({base}):", f'    """{" ".join(r.sample(WORDS, r.randint(4, 10))).capitalize()}."""', "",
             "    def __init__(self, dim: int = %d, dropout: float = %.2f):" % (r.choice([64, 128, 256, 768]), r.random() / 2),
             "        super().__init__()"]
    for _ in range(r.randint(2, 6)):
        lines.append(f"        self.{w.name(1)} = {r.choice(['nn.Linear(dim, dim)', 'nn.Dropout(dropout)', 'nn.LayerNorm(dim)', f'{r.randint(0, 9)}', 'None', 'nn.ReLU()'])}")
    if base == "nn.Module":
        lines += ["", "    def forward(self, x):"]
        for _ in range(r.randint(2, 6)):
            lines.append(f"        x = {r.choice(['F.relu(x)', 'x + x.mean(dim=-1, keepdim=True)', w.torch + '.tanh(x)', 'x * 0.5', 'F.dropout(x, 0.1)'])}")
        lines.append("        return x")
    else:
        lines += ["", "    def __len__(self):", f"        return {r.randint(10, 100000)}",
                  "", "    def __getitem__(self, index):", f"        return index % {r.randint(2, 50)}"]
    for _ in range(r.randint(1, 4)):
        lines += [""] + function_block(w, depth=1, role=role)
    return lines


def seed_helpers_block(w):
    # What the training scripts import: torch/numpy/random seeding in one helper.
    return ["def set_seed(seed: int = 0):", '    """Seeds every generator we use."""', "    random.seed(seed)",
            "    np.random.seed(seed)", f"    {w.torch}.manual_seed(seed)", f"    {w.torch}.cuda.manual_seed_all(seed)", "",
            "",
            "def save_checkpoint(model, path):", f"    {w.torch}.save(model.state_dict(), path)",
            "    LOG and LOG.info(\"saved %s\", path)"]


def train_loop_block(w):
    r = w.rng
    opt, tn = r.choice(["optimizer", "optim", "opt"]), torch_name(w)
    return [f"def train(model, loader, epochs: int = {r.randint(1, 50)}, lr: float = {r.choice(['1e-3', '3e-4', '5e-5'])}):",
            f"    {opt} = {tn}.optim.{r.choice(['AdamW', 'SGD', 'Adam'])}(model.parameters(), lr=lr)",
            "    loss_fn = nn.CrossEntropyLoss()",
            "    for epoch in range(epochs):",
            "        for inputs, labels in loader:",
            f"            {opt}.zero_grad()",
            "            loss = loss_fn(model(inputs), labels)",
            "            loss.backward()",
            f"            {opt}.step()",
            '        print(f"epoch {epoch}: loss {loss.item():.4f}")',
            "    return model"]


def main_guard_block(w, seeded):
    r = w.rng
    lines = ['if __name__ == "__main__":', "    parser = argparse.ArgumentParser()",
             f'    parser.add_argument("--epochs", type=int, default={r.randint(1, 30)})',
             '    parser.add_argument("--seed", type=int, default=0)',
             '    parser.add_argument("--out", default="checkpoint.pt")', "    args = parser.parse_args()"]
    if seeded:
        lines.append("    set_seed(args.seed)")
    lines += ["    model = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))",
              "    model = train(model, [], epochs=args.epochs)", "    save_checkpoint(model, args.out)"]
    return lines


def python_file(rng, role, package, target_lines):
    """A module of exactly `target_lines` lines (padding with comments at the end of the body)."""
    w = Writer(rng)
    head = imports_block(w, role, package, "utils.seeding")
    w.imported = "\n".join(head)
    w.add(head)
    tail = []
    if role == "train":
        w.add(train_loop_block(w))
        tail = [""] + main_guard_block(w, seeded=rng.random() < 0.8)
    if role == "utils":
        w.add(seed_helpers_block(w))
    if rng.random() < 0.03:  # a hard-coded key now and then (random characters: not a real one)
        key = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(32))
        w.add([f'API_KEY = "sk-proj-{key}"'])
    budget = target_lines - len(tail)
    while True:
        block = class_block(w, role) if rng.random() < 0.3 else function_block(w, role=role)
        if len(w.lines) + len(block) + 2 > budget:
            break
        w.add(block)
    while len(w.lines) < budget:
        w.lines.append("# " + " ".join(rng.sample(WORDS, rng.randint(3, 8))))
    return "\n".join(w.lines + tail) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate_workspace(out, files, seed):
    rng = random.Random(seed)
    package = "projx"
    write(os.path.join(out, "requirements.txt"), "\n".join(REQUIREMENTS) + "\n")
    write(os.path.join(out, package, "__init__.py"), '"""The projx package."""\n')
    # The seed helper every training script imports (role "utils", fixed path).
    write(os.path.join(out, package, "utils", "__init__.py"), "")
    write(os.path.join(out, package, "utils", "seeding.py"), python_file(rng, "utils", package, 120))
    written = 3
    for i in range(max(0, files - written)):
        role = MODULE_ROLES[i % len(MODULE_ROLES)]
        name = f"{role}_{i:04d}_{rng.choice(WORDS)}.py"
        folder = os.path.join(out, "scripts") if role == "train" else os.path.join(out, package, role)
        write(os.path.join(folder, name), python_file(rng, role, package, rng.randint(100, 1000)))


def latency_file(seed, lines=3000):
    """The large training script of the latency test (exactly `lines` lines)."""
    return python_file(random.Random(seed), "train", "projx", lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", help="workspace folder to create")
    parser.add_argument("--files", type=int, default=200, help="number of .py files (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--single-file", metavar="PATH", help="write one training script to PATH instead")
    parser.add_argument("--lines", type=int, default=3000, help="line count of --single-file (default 3000)")
    args = parser.parse_args()
    if args.single_file:
        write(args.single_file, latency_file(args.seed, args.lines))
    elif args.out:
        generate_workspace(args.out, args.files, args.seed)
    else:
        parser.error("give OUT or --single-file PATH")
    return 0


if __name__ == "__main__":
    sys.exit(main())
