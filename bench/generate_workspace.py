#!/usr/bin/env python3
"""Deterministic generator of a synthetic ML workspace for the mlaudit benchmarks.

    generate_workspace.py OUT --files 200 [--seed 1]     a workspace of N Python files + requirements.txt
    generate_workspace.py OUT --audit --files 10000 [--seed 1]
                                                         a whole repository of N files (see below)
    generate_workspace.py --single-file OUT.py [--lines 3000] [--seed 1]
                                                         one Python file of exactly that many lines

The workspace looks like a real training repository: a package with data modules, model modules,
utilities (seed helpers, checkpoint I/O) and training entry scripts with main guards; imports of
torch / numpy / sklearn / transformers with aliases; some torch.load / pickle calls (safe and unsafe);
some train_test_split calls with and without random_state; classes, functions, docstrings and strings.
Files are 100-1000 lines (several MB for N=200). The same seed always gives byte-identical output.

With --audit (the workspace of the audit benchmark), N is the number of files mlaudit's crawl sees:
a package tree of sub-packages (each with an __init__.py) of mostly small and some medium modules
(30-150 lines for 65 %, 150-450 for 30 %, 450-1200 for 5 %), tests beside them (15-150 lines),
training scripts, four requirements files and a few non-Python files (.gitignore, README.md,
Dockerfile, .github/workflows/ci.yml, retrain.yml and deploy.yml (bench/gen_ci.py), dvc.yaml, params.yaml, pyproject.toml with PEP 621
dependencies, extras and a dev group, uv.lock pinning them and ~180 transitive packages,
configs/*.yaml, docs/*.md, a TypeScript service per 2,500 files under web/ from gen_jsts.py): about 5 KB per .py file on average, median 3.3 KB (about 52 MB of Python for
N=10,000). On top of the N files, a `data/` folder that the root .gitignore ignores (`/data/`)
holds N/20 files, about 13 MB for N=10,000 (CSV, JSON lines, .npy blobs, a 4 MB CSV, and what
mlaudit would analyse if it entered the folder: Python dataset scripts, a requirements.txt, JSON and
YAML metadata): none of them may be read.
Python 3 standard library only.
"""
import argparse
import os
import random
import sys

import gen_jsts
import gen_pipelines
import gen_containers_docs
import gen_ci
import gen_llm

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


# --- The audit workspace: a whole repository (generate_audit_workspace) --------------------------

# (folder under the package, generator role): the role picks the imports and the ML calls.
AREAS = (("data", "data"), ("features", "data"), ("models", "models"), ("layers", "models"),
         ("utils", "utils"), ("metrics", "utils"), ("training", "train"))
IGNORED_FOLDER = "data"  # at the workspace root, in .gitignore: never read

GITIGNORE = """# Python
__pycache__/
*.py[cod]
*.egg-info/
.venv/
.pytest_cache/

# Data and artefacts: tracked with DVC, not git
/data/
/outputs/
*.ckpt
*.pt
wandb/
mlruns/
.ipynb_checkpoints/
"""

DOCKERFILE = """FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime
WORKDIR /app
COPY requirements.txt requirements/serving.txt ./
RUN pip install --no-cache-dir -r requirements.txt -r serving.txt
COPY projx/ projx/
COPY scripts/ scripts/
ENV PYTHONUNBUFFERED=1
ENTRYPOINT ["python", "-m", "projx.serving"]
"""

CI_YML = """name: ci
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
      - run: pip install -r requirements.txt -r requirements-dev.txt
      - run: ruff check projx tests
      - run: pytest -q -x tests
"""

DVC_YAML = """stages:
  prepare:
    cmd: python scripts/prepare.py data/raw data/processed
    deps:
      - data/raw
      - scripts/prepare.py
    outs:
      - data/processed
  train:
    cmd: python scripts/train.py --config configs/experiment_000.yaml
    deps:
      - data/processed
      - projx
    params:
      - train
    outs:
      - outputs/model.ckpt
    metrics:
      - outputs/metrics.json:
          cache: false
"""

PARAMS_YAML = """train:
  epochs: 20
  lr: 0.0003
  batch_size: 64
  seed: 1234
eval:
  split: validation
"""

PYPROJECT = """[project]
name = "projx"
version = "0.7.2"
requires-python = ">=3.10"
dependencies = [
    "torch>=2.1",
    "numpy==1.26.4",
    "scikit-learn>=1.4",
    "transformers==4.41.2",
    "pandas>=2.0",
    "datasets>=2.19",
    "accelerate==0.30.1",
]

[project.optional-dependencies]
serving = ["fastapi==0.111.0", "uvicorn[standard]==0.30.1", "onnxruntime==1.18.0"]

[dependency-groups]
dev = ["pytest==8.2.2", "ruff==0.4.8", "mypy==1.10.0"]

[tool.ruff]
line-length = 110

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

REQUIREMENTS_DEV = ["pytest==8.2.2", "ruff==0.4.8", "mypy==1.10.0", "pre-commit"]
REQUIREMENTS_SERVING = ["fastapi==0.111.0", "uvicorn[standard]==0.30.1", "onnxruntime==1.18.0"]
REQUIREMENTS_GPU = ["torch==2.3.1+cu121", "nvidia-ml-py"]


# The versions uv.lock pins for the direct dependencies (torch 2.3.1: below 2.6, so torch.load
# without weights_only stays High); transitive ones are generated.
LOCKED = {"torch": "2.3.1", "numpy": "1.26.4", "scikit-learn": "1.5.0", "transformers": "4.41.2", "pandas": "2.2.2",
          "datasets": "2.19.2", "accelerate": "0.30.1", "fastapi": "0.111.0", "uvicorn": "0.30.1",
          "onnxruntime": "1.18.0", "pytest": "8.2.2", "ruff": "0.4.8", "mypy": "1.10.0"}


def uv_lock(seed, transitive=180):
    """A uv.lock of the direct dependencies and `transitive` generated ones, each with a wheel
    hash, as uv writes them. Its own generator, so the rest of the workspace stays as before."""
    rng = random.Random(seed * 7919 + 17)
    names = dict(LOCKED)
    while len(names) < len(LOCKED) + transitive:
        names["%s-%s" % (rng.choice(WORDS), rng.choice(WORDS))] = "%d.%d.%d" % (rng.randint(0, 9), rng.randint(0, 30), rng.randint(0, 20))
    out = ["version = 1", 'requires-python = ">=3.10"', ""]
    for name in sorted(names):
        digest = "".join(rng.choice("0123456789abcdef") for _ in range(64))
        wheel = name.replace("-", "_")
        out += ["[[package]]", f'name = "{name}"', f'version = "{names[name]}"',
                'source = { registry = "https://pypi.org/simple" }',
                "wheels = [",
                f'    {{ url = "https://files.pythonhosted.org/packages/{digest[:2]}/{digest[2:4]}/{wheel}-{names[name]}-py3-none-any.whl", '
                f'hash = "sha256:{digest}", size = {rng.randint(10_000, 900_000_000)} }},',
                "]", ""]
    out += ["[[package]]", 'name = "projx"', 'version = "0.7.2"', 'source = { editable = "." }', ""]
    return "\n".join(out)


def module_lines(rng):
    """Mostly small modules, some medium, a few large."""
    p = rng.random()
    if p < 0.65:
        return rng.randint(30, 150)
    if p < 0.95:
        return rng.randint(150, 450)
    return rng.randint(450, 1200)


def test_file(rng, package_path, module, target_lines):
    """A pytest module for `package_path.module`: about `target_lines` lines."""
    w = Writer(rng)
    head = [f'"""Tests for {package_path}.{module}."""', "import numpy as np", "import pytest", "import torch", "",
            f"from {package_path} import {module}"]
    w.imported = "\n".join(head)
    w.add(head)
    while True:
        block, params = [], ["tmp_path"] if rng.random() < 0.2 else []
        if rng.random() < 0.3:
            params.insert(0, w.name(1))
            block.append(f'@pytest.mark.parametrize("{params[0]}", [{", ".join(str(rng.randint(0, 99)) for _ in range(rng.randint(2, 5)))}])')
        block.append(f"def test_{w.name(rng.randint(1, 3))}({', '.join(params)}):")
        for _ in range(rng.randint(1, 4)):
            block += statement(w, 1)
        block.append(f"    assert {module}.{w.name(1)} is not None")
        if len(w.lines) + len(block) + 2 > target_lines:
            break
        w.add(block)
    return "\n".join(w.lines).rstrip("\n") + "\n"


def readme(rng, files):
    return "\n".join([
        "# projx", "", "Training and serving code of the projx models (%s)." % " ".join(rng.sample(WORDS, 5)), "",
        "## Layout", "", "- `projx/`: the package (data, features, models, layers, utils, metrics, training)",
        "- `scripts/`: training entry points", "- `tests/`: pytest suites", "- `configs/`: experiment configurations",
        "- `data/`: datasets, managed by DVC (`dvc pull`), not in git", "",
        "## Usage", "", "```sh", "pip install -r requirements.txt", "dvc pull", "dvc repro", "pytest -q", "```", "",
        "About %d files." % files, ""])


def experiment_config(rng, k):
    return "\n".join([
        f"name: experiment_{k:03d}", f"seed: {rng.randint(0, 9999)}", "model:",
        f"  hidden: {rng.choice([128, 256, 512, 768])}", f"  layers: {rng.randint(2, 24)}",
        f"  dropout: {rng.random() / 2:.2f}", "optimizer:", f"  name: {rng.choice(['adamw', 'sgd', 'adam'])}",
        f"  lr: {rng.choice(['1.0e-3', '3.0e-4', '5.0e-5'])}", "data:",
        f"  path: data/processed/{rng.choice(WORDS)}", f"  batch_size: {rng.choice([16, 32, 64, 128])}", ""])


def write_ignored_folder(out, files, seed):
    """The `data/` folder the root .gitignore ignores: about files/20 files, a few MB. Returns
    (count, bytes). Its own generator, so the counted workspace does not depend on it."""
    rng = random.Random(seed * 7919 + 17)
    root = os.path.join(out, IGNORED_FOLDER)
    rows = [",".join([str(rng.randint(0, 10 ** 6)), rng.choice(WORDS), f"{rng.random():.6f}", f"{rng.random():.6f}",
                      rng.choice(WORDS) + "_" + rng.choice(WORDS)]) for _ in range(500)]
    header = "id,label,score,weight,text\n"
    count, nbytes = 0, 0

    def put(rel, data):
        nonlocal count, nbytes
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        count, nbytes = count + 1, nbytes + len(data)

    # One large raw dump (4 MB): cheap to write, expensive if anything read it.
    block = (header + "\n".join(rows) + "\n").encode()
    put("raw/full_dump.csv", block * max(1, (4 * 10 ** 6) // len(block)))
    put("external/hub_cache/requirements.txt", b"torch\nnumpy\ndatasets\n")
    for k in range(max(10, files // 20) - 2):
        p, word = rng.random(), rng.choice(WORDS)
        if p < 0.55:
            put(f"raw/{word}_{k:05d}.csv", (header + "\n".join(rng.choices(rows, k=rng.randint(100, 800))) + "\n").encode())
        elif p < 0.75:
            put(f"interim/{word}_{k:05d}.jsonl", "".join(
                '{"id": %d, "text": "%s", "label": %d}\n' % (rng.randint(0, 10 ** 6), " ".join(rng.sample(WORDS, 8)), rng.randint(0, 9))
                for _ in range(rng.randint(50, 300))).encode())
        elif p < 0.90:
            put(f"processed/{word}_{k:05d}.npy", b"\x93NUMPY\x01\x00v\x00" + rng.randbytes(rng.randint(4096, 32768)))
        elif p < 0.95:  # dataset metadata: JSON and YAML, which mlaudit reads as configuration files
            meta = {"name": word, "rows": rng.randint(10, 10 ** 6), "columns": rng.sample(WORDS, 5), "license": "cc-by-4.0"}
            put(f"processed/{word}_{k:05d}.json" if rng.random() < 0.5 else f"processed/{word}_{k:05d}.yaml",
                (repr(meta).replace("'", '"') + "\n").encode())
        else:  # a dataset loading script (as Hugging Face datasets ship them), with an unsafe load
            text = python_file(rng, "data", "hub", rng.randint(80, 200))
            put(f"external/hub_cache/{word}_{k:05d}/{word}_{k:05d}.py",
                (text + "\n\ndef load_cached(path):\n    return torch.load(path)\n").encode())
    return count, nbytes


def model_artifacts(rng, k):
    """Committed model files as (path, bytes): a PyTorch-style ZIP (a small data.pkl beside a
    2 MiB tensor entry the scanner must never read), a zlib joblib pickle and a safetensors file.
    Deterministic: fixed ZIP timestamps, seeded bytes."""
    import collections, io, json, pickle, struct, zipfile, zlib
    layers = collections.OrderedDict((f"layer{i}.weight", i) for i in range(rng.randint(50, 500)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data, method in ((f"checkpoint_{k:02d}/data.pkl", pickle.dumps(layers, protocol=2), zipfile.ZIP_STORED),
                                   (f"checkpoint_{k:02d}/data/0", rng.randbytes(2 << 20), zipfile.ZIP_STORED),
                                   (f"checkpoint_{k:02d}/version", b"3\n", zipfile.ZIP_STORED)):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)
    header = json.dumps({"w": {"dtype": "F32", "shape": [256], "data_offsets": [0, 1024]}}).encode()
    return [(f"models/checkpoint_{k:02d}.pt", buffer.getvalue()),
            (f"models/classifier_{k:02d}.joblib", zlib.compress(pickle.dumps({"coef": [rng.random() for _ in range(64)]}, protocol=4))),
            (f"models/encoder_{k:02d}.safetensors", struct.pack("<Q", len(header)) + header + rng.randbytes(1024))]


def generate_audit_workspace(out, files, seed):
    """A whole repository of exactly `files` files that mlaudit's crawl sees, plus the ignored
    data/ folder. Returns a manifest: counts and bytes per kind."""
    if files < 50:
        raise ValueError("an audit workspace needs at least 50 files")
    rng = random.Random(seed)
    package = "projx"
    written = []  # workspace-relative paths, in writing order

    def put(rel, text):
        write(os.path.join(out, rel), text)
        written.append(rel)

    def room():
        return files - len(written)

    put(".gitignore", GITIGNORE)
    put("README.md", readme(rng, files))
    put("Dockerfile", DOCKERFILE)
    put(".github/workflows/ci.yml", CI_YML)
    for rel, text in gen_containers_docs.container_and_doc_files(): put(rel, text)
    for rel, text in gen_ci.ci_workflows(seed): put(rel, text)
    put("dvc.yaml", DVC_YAML)
    put("params.yaml", PARAMS_YAML)
    for rel, text in gen_pipelines.pipeline_infra_files(files): put(rel, text)
    put("pyproject.toml", PYPROJECT)
    put("uv.lock", uv_lock(seed))
    put("requirements.txt", "\n".join(REQUIREMENTS) + "\n")
    put("requirements-dev.txt", "\n".join(REQUIREMENTS_DEV) + "\n")
    put("requirements/serving.txt", "\n".join(REQUIREMENTS_SERVING) + "\n")
    put("requirements/gpu.txt", "\n".join(REQUIREMENTS_GPU) + "\n")
    for k in range(max(1, files // 250)):
        put(f"configs/experiment_{k:03d}.yaml", experiment_config(rng, k))
    for k in range(max(1, files // 1000)):
        put(f"docs/{rng.choice(WORDS)}_{k:02d}.md", "# %s\n\n%s.\n" % (rng.choice(WORDS).capitalize(), " ".join(rng.sample(WORDS, 12))))
    # Committed model artifacts (N/2000 sets of three): scanned by content, streamed.
    for k in range(max(1, files // 2000)):
        for rel, data in model_artifacts(rng, k):
            path = os.path.join(out, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            written.append(rel)
    for rel, text in gen_jsts.js_files(rng, files, WORDS): put(rel, text)  # a TypeScript service
    for rel, text in gen_llm.llm_files(random.Random(seed), package, files):  # an LLM assistant feature
        put(rel, text)
    # The package root and the seed helper every training script imports.
    put(f"{package}/__init__.py", f'"""The {package} package."""\n__version__ = "0.7.2"\n')
    put(f"{package}/utils/__init__.py", "")
    put(f"{package}/utils/seeding.py", python_file(rng, "utils", package, 120))
    areas_started = {"utils"}

    group = 0
    while room() > 0:
        area, role = AREAS[group % len(AREAS)]
        if area not in areas_started:
            put(f"{package}/{area}/__init__.py", "")
            areas_started.add(area)
            continue
        folder = f"{package}/{area}/{rng.choice(WORDS)}_{group:03d}"
        modules = []
        for _ in range(rng.randint(8, 30)):
            if room() <= 1:  # keep one for the group's __init__.py
                break
            module = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}_{len(written):05d}"
            put(f"{folder}/{module}.py", python_file(rng, role, package, module_lines(rng)))
            modules.append(module)
            if rng.random() < 0.35 and room() > 1:
                put(f"tests/{area}/{folder.rsplit('/', 1)[1]}/test_{module}.py",
                    test_file(rng, folder.replace("/", "."), module, rng.randint(15, 150)))
        if rng.random() < 0.25 and room() > 1:
            put(f"scripts/train_{folder.rsplit('/', 1)[1]}.py", python_file(rng, "train", package, module_lines(rng)))
        if room() > 0:
            init = "" if rng.random() < 0.6 or not modules else \
                '"""%s."""\nfrom . import %s\n' % (" ".join(rng.sample(WORDS, 4)).capitalize(), ", ".join(modules[:5]))
            put(f"{folder}/__init__.py", init)
        group += 1

    ignored_count, ignored_bytes = write_ignored_folder(out, files, seed)
    py = [p for p in written if p.endswith(".py")]
    requirements = [p for p in written if p.endswith(".txt")]  # all of them are requirements files
    artifacts = [p for p in written if p.startswith("models/")]
    size = lambda paths: sum(os.path.getsize(os.path.join(out, p)) for p in paths)
    return {"files": len(written), "py_files": len(py), "py_bytes": size(py),
            "requirements_files": len(requirements), "artifact_files": len(artifacts), "artifact_bytes": size(artifacts),
            "other_files": len(written) - len(py) - len(requirements) - len(artifacts),
            "bytes": size(written), "ignored_folder": IGNORED_FOLDER, "ignored_files": ignored_count,
            "ignored_bytes": ignored_bytes, "seed": seed}


def latency_file(seed, lines=3000):
    """The large training script of the latency test (exactly `lines` lines)."""
    return python_file(random.Random(seed), "train", "projx", lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", help="workspace folder to create")
    parser.add_argument("--files", type=int, default=200, help="number of .py files (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--audit", action="store_true",
                        help="the audit workspace: --files counts every file the crawl sees, plus an ignored data/")
    parser.add_argument("--single-file", metavar="PATH", help="write one training script to PATH instead")
    parser.add_argument("--lines", type=int, default=3000, help="line count of --single-file (default 3000)")
    args = parser.parse_args()
    if args.single_file:
        write(args.single_file, latency_file(args.seed, args.lines))
    elif args.out and args.audit:
        manifest = generate_audit_workspace(args.out, args.files, args.seed)
        print(", ".join(f"{k}: {v}" for k, v in manifest.items()))
    elif args.out:
        generate_workspace(args.out, args.files, args.seed)
    else:
        parser.error("give OUT or --single-file PATH")
    return 0


if __name__ == "__main__":
    sys.exit(main())
