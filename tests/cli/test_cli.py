#!/usr/bin/env python3
"""End-to-end tests of `mlaudit check` and `mlaudit audit` through the real binary.

Usage: test_cli.py MLAUDIT REPO_ROOT. Prints one line per check and `N passed, N failed`.
"""
import json
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
    return subprocess.run([MLAUDIT, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


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

passed, failed = results.count(True), results.count(False)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
