#!/usr/bin/env python3
"""End-to-end tests of `mlaudit check` and `mlaudit audit` through the real binary.

Usage: test_cli.py MLAUDIT REPO_ROOT. Prints one line per check and `N passed, N failed`.
"""
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile

MLAUDIT, REPO = sys.argv[1], sys.argv[2]
EXAMPLES = os.path.join(REPO, "examples")
NON_ML = os.path.join(REPO, "tests", "fixtures", "non-ml-project")
results = []


def run(*args, cwd=None):
    r = subprocess.run([MLAUDIT, *args], capture_output=True, text=True, timeout=120, cwd=cwd)
    # Under `make test-asan` a sanitizer report aborts the binary: fail even where a check reads
    # only the output and the report came after it.
    if r.returncode < 0:
        check(f"mlaudit {' '.join(map(str, args))} died of signal {-r.returncode}", False, r.stderr[-4000:])
    return r


def check(name, condition, detail=""):
    results.append(condition)
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"\n    {detail}"))


research = os.path.join(EXAMPLES, "research-project")
clean = os.path.join(EXAMPLES, "clean-project")

# check: text, exit codes, JSON shape.
r = run("check", research)
check("check research-project exits 1 (a High finding exists)", r.returncode == 1, r.stdout + r.stderr)
for rule in ("seed-not-set", "unsafe-deserialization", "trust-remote-code", "split-without-random-state",
             "hardcoded-secret", "no-experiment-tracking", "unpinned-dependency"):
    check(f"check reports {rule}", f" {rule} [" in r.stdout, r.stdout)
check("the secret is masked", "sk-proj-4fJq" not in r.stdout and "sk-p****" in r.stdout, r.stdout)
check("text lines are path:line:col: rule [Severity] message",
      any(line.startswith("src/train.py:") and line.count(":") >= 3 for line in r.stdout.splitlines()), r.stdout)

r = run("check", research, "--fail-on", "Critical")
check("--fail-on Critical still fails on the hard-coded key", r.returncode == 1)
r = run("check", research, "--fail-on", "never")
check("--fail-on never exits 0", r.returncode == 0)
r = run("check", clean)
check("clean-project: no findings, exit 0", r.returncode == 0 and "0 findings" in r.stdout, r.stdout)
r = run("check", "/nonexistent/path")
check("a missing path is a usage error (exit 2)", r.returncode == 2, r.stderr)
r = run("check", research, "--format", "yaml")
check("an unknown format is a usage error (exit 2)", r.returncode == 2, r.stderr)

r = run("check", research, "--format", "json", "--fail-on", "never")
data = json.loads(r.stdout)
keys = {"rule", "checklistId", "severity", "message", "path", "line", "column", "endLine", "endColumn"}
check("json: every finding has the documented fields", all(keys <= set(f) for f in data["findings"]), r.stdout[:500])
check("json: paths are relative with '/'", all(not f["path"].startswith("/") for f in data["findings"]))
secret = [f for f in data["findings"] if f["rule"] == "hardcoded-secret"][0]
check("json: 1-based line and code-point column of the secret", (secret["line"], secret["column"]) == (10, 18), secret)

r = run("check", os.path.join(research, "src", "data.py"), "--format", "json", "--fail-on", "never")
paths = {f["path"] for f in json.loads(r.stdout)["findings"]}
check("a file argument reports that file only", paths == {"data.py"}, paths)

# Relevance: a non-ML project gets nothing and says why; the setting forces it.
r = run("check", NON_ML)
check("non-ML project: skipped with the reason", r.returncode == 0 and "skipped" in r.stdout and "not an ML/LLM workspace" in r.stdout, r.stdout)
r = run("check", NON_ML, "--relevance", "on", "--fail-on", "never")
check("--relevance on forces the rules to run", "unsafe-deserialization" in r.stdout, r.stdout)
r = run("check", research, "--relevance", "off")
check("--relevance off silences an ML project", r.returncode == 0 and "skipped" in r.stdout, r.stdout)

# audit: the three formats, the file output, the JSON shape.
r = run("audit", research, "--format", "json")
audit = json.loads(r.stdout)
check("audit json: schema and relevance", audit.get("schema") == "mlaudit-audit/1" and audit.get("relevant") is True)
ids = [a["id"] for a in audit["areas"]]
check("audit json: ten areas in order", ids == ["infrastructure", "development", "data", "deployment", "mlops",
                                               "monitoring", "governance", "team", "security", "llm"], ids)
statuses = {i["status"] for a in audit["areas"] for i in a["items"]}
check("audit json: statuses are met|partial|gap|not-assessable", statuses <= {"met", "partial", "gap", "not-assessable"}, statuses)
items = {i["id"]: i for a in audit["areas"] for i in a["items"]}
check("audit json: experiment tracking is a gap decided by the rule",
      items["infrastructure.experiment-tracking"]["status"] == "gap", items["infrastructure.experiment-tracking"])
check("audit json: overall is the weakest assessable area",
      audit["overall"]["level"] == min(a["level"] for a in audit["areas"] if a["assessable"] and a["id"] not in ("security", "llm")),
      audit["overall"])
check("audit json: findings as in check", all(keys <= set(f) for f in audit["findings"]) and audit["findings"])

r = run("audit", research)
check("audit md: the template's title and sections", "# AI/ML Infrastructure Audit" in r.stdout and
      "### 8. Team & Skills" in r.stdout and "## Modernization Roadmap" in r.stdout, r.stdout[:300])
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "report.html")
    r = run("audit", research, "--format", "html", "-o", out)
    html = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
    check("audit html -o FILE writes a self-contained page", r.returncode == 0 and html.startswith("<!DOCTYPE html>") and "<svg" in html)
    # Adding tracking and pins anywhere raises the infrastructure items.
    ws = os.path.join(tmp, "ws")
    shutil.copytree(research, ws)
    with open(os.path.join(ws, "src", "tracking.py"), "w") as f:
        f.write("import mlflow\n")
    items = {i["id"]: i for a in json.loads(run("audit", ws, "--format", "json").stdout)["areas"] for i in a["items"]}
    check("audit: `import mlflow` anywhere makes experiment tracking met",
          items["infrastructure.experiment-tracking"]["status"] == "met", items["infrastructure.experiment-tracking"])

r = run("audit", NON_ML, "--format", "json")
na = json.loads(r.stdout)
check("audit of a non-ML project: relevant false, no areas", na["relevant"] is False and not na["areas"], r.stdout[:300])

# explain: guides from the embedded copy (or --rubric DIR), suggestions for unknown ids, links.
def run_env(env_changes, *args, exe=None):
    env = dict(os.environ)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    r = subprocess.run([exe or MLAUDIT, *args], capture_output=True, text=True, timeout=120, env=env)
    if r.returncode < 0:
        check(f"mlaudit {' '.join(map(str, args))} died of signal {-r.returncode}", False, r.stderr[-4000:])
    return r


def url_path(url):
    from urllib.parse import unquote, urlparse
    return unquote(urlparse(url).path)


r = run("explain", "seed-not-set")
check("explain a rule prints its guide without front matter", r.returncode == 0 and
      r.stdout.startswith("# Random seed never set") and "## How to fix" in r.stdout and "\nid: " not in r.stdout, r.stdout[:300])
r = run("explain", "data.data-versioning")
check("explain a checklist item prints its guide", r.returncode == 0 and r.stdout.startswith("# Data versioning\n") and
      "## What mlaudit looks for" in r.stdout and "## Level it unlocks" in r.stdout, r.stdout[:300])
r = run("explain", "data.data-versoning")
check("explain an unknown id exits 2 and suggests the closest ids", r.returncode == 2 and r.stdout == "" and
      "did you mean: data.data-versioning" in r.stderr, r.stderr)
r = run("explain", "kubernetes-operator")
check("explain a far-off id suggests nothing", r.returncode == 2 and "did you mean" not in r.stderr, r.stderr)
r = run("explain", "--list")
listed = [line.split()[0] for line in r.stdout.splitlines()]
# The rules are rules.yaml's `  - id:` entries after `rules:`; the checklist has 90 items.
_rules_yaml = open(os.path.join(REPO, "rubric", "rules.yaml"), encoding="utf-8").read()
rule_ids = re.findall(r"^  - id: ([a-z0-9-]+)$", _rules_yaml[_rules_yaml.index("\nrules:"):], re.M)
check("explain --list lists every rule and the 90 checklist items once each", r.returncode == 0 and len(rule_ids) >= 8 and
      len(listed) == len(rule_ids) + 90 and len(set(listed)) == len(listed) and set(rule_ids) <= set(listed) and
      "seed-not-set" in listed and "llm.guardrails" in listed and
      "team.cross-functional" in listed, r.stdout[:300])
with tempfile.TemporaryDirectory() as tmp:
    rubric_copy = os.path.join(tmp, "rubric")
    shutil.copytree(os.path.join(REPO, "rubric"), rubric_copy)
    page = os.path.join(rubric_copy, "remediation", "items", "data.data-versioning.md")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("# Data versioning\n", "# Data versioning (site edition)\n"))
    r = run("explain", "data.data-versioning", "--rubric", rubric_copy)
    check("explain --rubric DIR prints DIR's page", r.returncode == 0 and r.stdout.startswith("# Data versioning (site edition)"), r.stdout[:200])
    r = run_env({"MLAUDIT_DOCS_BASE": None}, "explain", "data.data-versioning", "--url", "--rubric", rubric_copy)
    check("with --rubric DIR, links open DIR's pages", r.stdout.strip() == "file://" + rubric_copy + "/remediation/items/data.data-versioning.md", r.stdout)

r = run_env({"MLAUDIT_DOCS_BASE": "https://docs.example.org/mlaudit"}, "explain", "seed-not-set", "--url")
check("MLAUDIT_DOCS_BASE sets the links' base", r.stdout.strip() == "https://docs.example.org/mlaudit/seed-not-set.md", r.stdout)
r = run_env({"MLAUDIT_DOCS_BASE": "https://docs.example.org/mlaudit/"}, "audit", research, "--format", "json")
all_items = [i for a in json.loads(r.stdout)["areas"] for i in a["items"]]
check("audit json: every item links its own guide under the link base",
      len(all_items) == 90 and all(i["remediation"] == "remediation/items/" + i["id"] + ".md" and
                                   i["remediationUrl"] == "https://docs.example.org/mlaudit/items/" + i["id"] + ".md"
                                   for i in all_items), all_items[:2])
r = run_env({"MLAUDIT_DOCS_BASE": "https://docs.example.org/mlaudit/"}, "audit", research)
check("audit md: remediation bullets are links to the guides",
      "  - Remediation: [`remediation/items/development.reproducible-training.md`]"
      "(https://docs.example.org/mlaudit/items/development.reproducible-training.md)" in r.stdout, r.stdout[:300])
r = run_env({"MLAUDIT_DOCS_BASE": None}, "explain", "data.data-versioning", "--url")
check("by default links open a local copy that exists", r.stdout.startswith("file://") and
      os.path.isfile(url_path(r.stdout.strip())), r.stdout)
with tempfile.TemporaryDirectory() as prefix:
    build_dir = os.path.dirname(os.path.abspath(MLAUDIT))
    inst = subprocess.run(["cmake", "--install", build_dir, "--prefix", prefix], capture_output=True, text=True, timeout=120)
    installed = os.path.join(prefix, "bin", "mlaudit")
    check("cmake --install puts the binary and the pages under the prefix", inst.returncode == 0 and os.path.isfile(installed) and
          os.path.isfile(os.path.join(prefix, "share", "mlaudit", "remediation", "items", "llm.tracing.md")), inst.stdout + inst.stderr)
    if os.path.isfile(installed):
        r = run_env({"MLAUDIT_DOCS_BASE": None}, "explain", "seed-not-set", "--url", exe=installed)
        expected = os.path.join(prefix, "share", "mlaudit", "remediation", "seed-not-set.md")
        check("an installed binary links to its installed pages", url_path(r.stdout.strip()) == expected, r.stdout)

# check --fix: the safe fixes written to disk (torch.load weights_only, yaml.safe_load, the split's
# random_state, the seed block), not the unsafe ones (trust_remote_code, the secret); then the report
# lists what remains, and a second run has nothing left to fix.
with tempfile.TemporaryDirectory() as tmp:
    ws = os.path.join(tmp, "ws")
    shutil.copytree(research, ws)
    before_requirements = open(os.path.join(ws, "requirements.txt"), encoding="utf-8").read()
    r = run("check", ws, "--fix", "--format", "json", "--fail-on", "never")
    train = open(os.path.join(ws, "src", "train.py"), encoding="utf-8").read()
    data_py = open(os.path.join(ws, "src", "data.py"), encoding="utf-8").read()
    check("check --fix: says what it applied (stderr with --format json)", "mlaudit: applied 4 fixes in 2 files" in r.stderr, r.stderr)
    check("check --fix: torch.load gets weights_only=True", "state = torch.load(checkpoint, weights_only=True)" in train, train)
    check("check --fix: yaml.load becomes yaml.safe_load", "return yaml.safe_load(f)  # unsafe: no Loader" in data_py, data_py)
    check("check --fix: train_test_split gets random_state=42",
          'train_test_split(frame["text"], frame["label"], test_size=0.2, random_state=42)' in data_py, data_py)
    check("check --fix: the seed block after the imports",
          "from data import load_config, load_features, split\n\nSEED = 42\ntorch.manual_seed(SEED)\n"
          "torch.cuda.manual_seed_all(SEED)\n" in train, train)
    check("check --fix: unsafe fixes are not applied (secret, trust_remote_code)",
          "sk-proj-4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u" in train and '{"trust_remote_code": True}' in train, train)
    check("check --fix: requirements are never rewritten", open(os.path.join(ws, "requirements.txt"), encoding="utf-8").read()
          == before_requirements)
    remaining = sorted(f["rule"] for f in json.loads(r.stdout)["findings"])
    check("check --fix: reports what remains", remaining == ["hardcoded-secret", "no-experiment-tracking", "trust-remote-code",
                                                            "unpinned-dependency", "unpinned-dependency",
                                                            "unsafe-deserialization"], remaining)
    r = run("check", ws, "--fix", "--fail-on", "never")
    check("check --fix twice: nothing left to fix, files unchanged", "mlaudit: applied 0 fixes in 0 files" in r.stdout and
          open(os.path.join(ws, "src", "train.py"), encoding="utf-8").read() == train, r.stdout)

# Dependency manifests and lock files (tests/fixtures/manifests-*): findings, the lock-aware
# severity, and the checklist items that flip when the lock file goes or a manifest breaks.
FIXTURES = os.path.join(REPO, "tests", "fixtures")


def check_json(path):
    return json.loads(run("check", path, "--format", "json", "--fail-on", "never").stdout)["findings"]


def audit_items(path):
    audit = json.loads(run("audit", path, "--format", "json").stdout)
    return {i["id"]: i for a in audit["areas"] for i in a["items"]}


poetry = os.path.join(FIXTURES, "manifests-poetry")
found = check_json(poetry)
check("poetry + lock: no unpinned-dependency (poetry.lock pins torch and transformers)",
      not [f for f in found if f["rule"] == "unpinned-dependency"], found)
loads = [f for f in found if f["rule"] == "unsafe-deserialization"]
check("poetry + lock: torch.load without weights_only is Info under the locked torch 2.6.0, and says why",
      len(loads) == 1 and loads[0]["severity"] == "Info" and "torch 2.6.0 (poetry.lock:" in loads[0]["message"]
      and "defaults to weights_only=True" in loads[0]["message"], loads)
r = run("check", poetry)
check("poetry + lock: exit 0 with only an Info finding", r.returncode == 0, r.stdout)
items = audit_items(poetry)
for item, status in (("infrastructure.reproducible-environments", "met"), ("security.supply-chain", "met"),
                     ("development.framework-version-current", "met"), ("security.unsafe-deserialization", "partial")):
    check(f"poetry + lock: {item} is {status}", items[item]["status"] == status, items[item])
audit = json.loads(run("audit", poetry, "--format", "json").stdout)
md = run("audit", poetry).stdout
check("poetry + lock: the Current Technology table has the locked framework versions",
      "| ML Framework | PyTorch | 2.6.0 | Detected | `poetry.lock:" in md and "| Transformers | 4.48.0 |" in md,
      [l for l in md.splitlines() if "ML Framework |" in l])

with tempfile.TemporaryDirectory() as tmp:
    ws = os.path.join(tmp, "poetry")
    shutil.copytree(poetry, ws)
    os.remove(os.path.join(ws, "poetry.lock"))
    found = check_json(ws)
    unpinned = sorted((f["path"], f["line"]) for f in found if f["rule"] == "unpinned-dependency")
    check("poetry without its lock: torch (^2.5) and transformers (^4.46) are unpinned, on their pyproject lines",
          unpinned == [("pyproject.toml", 10), ("pyproject.toml", 11)], found)
    loads = [f for f in found if f["rule"] == "unsafe-deserialization"]
    check("poetry without its lock: torch.load is High again", [f["severity"] for f in loads] == ["High"], loads)
    items = audit_items(ws)
    for item, status in (("infrastructure.reproducible-environments", "gap"), ("security.supply-chain", "gap"),
                         ("security.unsafe-deserialization", "gap")):
        check(f"poetry without its lock: {item} flips to {status}", items[item]["status"] == status, items[item])
    # A broken manifest is a finding at the error's line, never a crash or a silent skip.
    with open(os.path.join(ws, "pyproject.toml"), "a") as f:
        f.write('\n[tool.poetry.group.docs.dependencies]\nmkdocs = "1.6\n')
    r = run("check", ws, "--format", "json", "--fail-on", "never")
    malformed = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "malformed-file"]
    check("a malformed pyproject.toml: malformed-file (Low) at the error's line",
          r.returncode == 0 and len(malformed) == 1 and malformed[0]["path"] == "pyproject.toml"
          and malformed[0]["line"] == 24 and malformed[0]["severity"] == "Low"
          and malformed[0]["checklistId"] == "infrastructure.reproducible-environments", malformed)
    items = audit_items(ws)
    check("a malformed pyproject.toml: reproducible environments names malformed-file",
          any(e["detail"] == "malformed-file" for e in items["infrastructure.reproducible-environments"]["evidence"]),
          items["infrastructure.reproducible-environments"])

# unpinned-model-revision (tests/fixtures/hub-revision/load.py) in a workspace whose poetry.lock
# made security.supply-chain met: the unpinned Hub downloads flip it to a gap, pinning them
# flips it back.
with tempfile.TemporaryDirectory() as tmp:
    ws = os.path.join(tmp, "hub")
    shutil.copytree(poetry, ws)
    check("hub: security.supply-chain is met with poetry.lock before any Hub download",
          audit_items(ws)["security.supply-chain"]["status"] == "met")
    shutil.copy(os.path.join(FIXTURES, "hub-revision", "load.py"), os.path.join(ws, "load.py"))
    found = [f for f in check_json(ws) if f["rule"] == "unpinned-model-revision"]
    check("hub: the branch-pinned tokenizer and the unpinned hf_hub_download are reported; the commit-pinned, "
          "local and argv ones are not",
          sorted(f["line"] for f in found if f["path"] == "load.py") == [9, 13] and
          all(f["severity"] == "Medium" and f["checklistId"] == "security.supply-chain" for f in found), found)
    item = audit_items(ws)["security.supply-chain"]
    check("hub: security.supply-chain flips to gap", item["status"] == "gap", item)
    with open(os.path.join(ws, "load.py")) as f:
        text = f.read()
    text = text.replace('revision="main"', "revision=REVISION").replace(
        'filename="adapter.safetensors")', 'filename="adapter.safetensors", revision=REVISION)')
    with open(os.path.join(ws, "load.py"), "w") as f:
        f.write(text)
    check("hub: pinned by commit, no finding", not [f for f in check_json(ws) if f["rule"] == "unpinned-model-revision"])
    check("hub: security.supply-chain is met again", audit_items(ws)["security.supply-chain"]["status"] == "met")

uv = os.path.join(FIXTURES, "manifests-uv")
found = check_json(uv)
check("uv: torch>=2.4 is unpinned (uv.lock does not list it); openai is locked, not reported",
      [(f["path"], f["line"]) for f in found if f["rule"] == "unpinned-dependency"] == [("pyproject.toml", 8)], found)
check("uv: torch.load is High (no torch version known)",
      [f["severity"] for f in found if f["rule"] == "unsafe-deserialization"] == ["High"], found)
md = run("audit", uv).stdout
check("uv: locked versions of the LLM SDK in the technology table", "| OpenAI SDK | 1.54.3 | Detected | `uv.lock:" in md,
      [l for l in md.splitlines() if "OpenAI" in l])
items = audit_items(uv)
check("uv: reproducible environments is a gap from the unpinned torch",
      items["infrastructure.reproducible-environments"]["status"] == "gap", items["infrastructure.reproducible-environments"])

conda = os.path.join(FIXTURES, "manifests-conda")
found = check_json(conda)
check("conda: scikit-learn>=1.4 (conda) and xgboost>=2.1 (pip:) are unpinned; pytorch=2.5.1=build is pinned",
      sorted(f["line"] for f in found if f["rule"] == "unpinned-dependency") == [12, 16], found)
items = audit_items(conda)
fv = items["development.framework-version-current"]
check("conda: torch pinned at 2.5.1 makes framework-version-current a gap, with the reason",
      fv["status"] == "gap" and "2.5.1" in fv["reason"] and "2.6" in fv["reason"], fv)
check("conda: the technology table reads conda's pytorch pin", "| PyTorch | 2.5.1 |" in run("audit", conda).stdout)

# Committed model artifacts: fixtures written now with the standard library (no binary blobs
# in the repository). A malicious pickle inside a PyTorch-style ZIP is a Critical finding and
# makes security.model-artifacts a gap; benign pickles are partial; safetensors alone is met.
import io
import pickle
import struct
import zipfile
import zlib


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def _artifact_item(ws):
    audit = json.loads(run("audit", ws, "--format", "json").stdout)
    items = {i["id"]: i for a in audit["areas"] for i in a["items"]}
    return audit, items["security.model-artifacts"]


def _safetensors():
    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\0\0\0\0"


with tempfile.TemporaryDirectory() as tmp:
    ws = os.path.join(tmp, "artifacts")
    os.makedirs(os.path.join(ws, "models"))
    with open(os.path.join(ws, "train.py"), "w") as f:
        f.write("import torch\n")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("archive/data.pkl", pickle.dumps(_Evil(), protocol=2))
        z.writestr("archive/data/0", b"\xff" * 64)
        z.writestr("archive/version", "3\n")
    with open(os.path.join(ws, "models", "model.pt"), "wb") as f:
        f.write(buffer.getvalue())
    with open(os.path.join(ws, "models", "clf.joblib"), "wb") as f:
        f.write(zlib.compress(pickle.dumps({"weights": [1.0, 2.0]}, protocol=4)))

    r = run("check", ws, "--format", "json", "--fail-on", "never")
    found = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "dangerous-model-artifact"]
    check("artifact: a torch ZIP whose data.pkl calls os.system is one Critical finding on the file",
          len(found) == 1 and found[0]["path"] == "models/model.pt" and found[0]["severity"] == "Critical" and
          found[0]["line"] == 1 and "system" in found[0]["message"] and "archive/data.pkl" in found[0]["message"], r.stdout)
    r = run("check", ws)
    check("artifact: check exits 1 and prints the finding",
          r.returncode == 1 and "models/model.pt:1:1: dangerous-model-artifact [Critical]" in r.stdout, r.stdout)
    audit, item = _artifact_item(ws)
    check("artifact: security.model-artifacts is a Critical gap by the rule",
          item["status"] == "gap" and item["evidence"][0]["path"] == "models/model.pt", item)

    capped = json.loads(run("audit", ws, "--format", "json", "--max-artifact-size", "100").stdout)
    check("artifact: --max-artifact-size skips a larger artifact with its reason, and no finding is invented",
          any(s["path"] == "models/model.pt" and "above the 100 bytes artifact size cap" in s["why"]
              for s in capped["coverage"]["skipped"]) and
          not [f for f in capped["findings"] if f["rule"] == "dangerous-model-artifact"], capped["coverage"])

    os.remove(os.path.join(ws, "models", "model.pt"))
    audit, item = _artifact_item(ws)
    check("artifact: only a benign zlib joblib pickle left: partial",
          item["status"] == "partial" and item["evidence"][0]["path"] == "models/clf.joblib", item)
    check("artifact: nothing left unscanned in coverage",
          not [s for s in audit["coverage"]["skipped"] if s["path"].startswith("models/")], audit["coverage"])

    os.remove(os.path.join(ws, "models", "clf.joblib"))
    with open(os.path.join(ws, "models", "model.safetensors"), "wb") as f:
        f.write(_safetensors())
    audit, item = _artifact_item(ws)
    check("artifact: a .safetensors file is evidence of a safe format: met",
          item["status"] == "met" and item["evidence"][0]["path"] == "models/model.safetensors", item)

    # A pickle renamed .safetensors is no evidence: it is scanned as what it is.
    with open(os.path.join(ws, "models", "model.safetensors"), "wb") as f:
        f.write(pickle.dumps(_Evil(), protocol=0))
    audit, item = _artifact_item(ws)
    check("artifact: a protocol-0 pickle named .safetensors is found and is a gap", item["status"] == "gap", item)

    # Compressors that are not scanned are listed in coverage, not silently passed.
    os.remove(os.path.join(ws, "models", "model.safetensors"))
    import lzma
    with open(os.path.join(ws, "models", "clf.joblib"), "wb") as f:
        f.write(lzma.compress(pickle.dumps([1, 2]), format=lzma.FORMAT_ALONE))
    audit, item = _artifact_item(ws)
    check("artifact: an lzma joblib is 'not scanned' in coverage and partial",
          {"path": "models/clf.joblib", "why": "not scanned: lzma-compressed"} in audit["coverage"]["skipped"] and
          item["status"] == "partial", (audit["coverage"], item))

    # A truncated pickle: what was read is reported, and coverage says the rest was not.
    evil = pickle.dumps(_Evil(), protocol=4)
    with open(os.path.join(ws, "models", "cut.pkl"), "wb") as f:
        f.write(evil[:-3])
    audit, item = _artifact_item(ws)
    check("artifact: a truncated pickle still shows its dangerous global, and is 'partly scanned' in coverage",
          item["status"] == "gap" and
          any(s["path"] == "models/cut.pkl" and s["why"].startswith("partly scanned: truncated at offset")
              for s in audit["coverage"]["skipped"]), (audit["coverage"], item))

passed, failed = results.count(True), results.count(False)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
