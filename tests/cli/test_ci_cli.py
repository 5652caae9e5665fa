#!/usr/bin/env python3
"""`mlaudit audit` and `mlaudit check` on workspaces with CI files (analyzers/ci).

Usage: test_ci_cli.py MLAUDIT REPO_ROOT. The MLOps items the CI files decide flip from
gap/not-assessable to met/partial; `tests-not-run-in-ci` reports each CI file of a workspace
whose tests no job runs, goes away when a job runs them, stays quiet for a non-ML project, and a
broken workflow is a malformed-file finding at its line (never a silent skip).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MLAUDIT, REPO = sys.argv[1], sys.argv[2]
FIXTURES = os.path.join(REPO, "tests", "fixtures")
results = []


def run(*args):
    return subprocess.run([MLAUDIT, *args], capture_output=True, text=True, timeout=120)


def check(name, condition, detail=""):
    results.append(condition)
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"\n    {detail}"))


def audit(path):
    r = run("audit", path, "--format", "json")
    return json.loads(r.stdout)


def items_of(report):
    return {i["id"]: i for a in report["areas"] for i in a["items"]}


def findings(path, rule=None):
    r = run("check", path, "--format", "json", "--fail-on", "never")
    found = json.loads(r.stdout)["findings"]
    return [f for f in found if rule is None or f["rule"] == rule]


# --- A workspace whose CI tests, retrains on a schedule and deploys behind an environment gate.
mlops = os.path.join(FIXTURES, "ci-mlops")
items = items_of(audit(mlops))
expect = {
    "mlops.ci-cd": "met",
    "mlops.continuous-training": "met",
    "mlops.automatic-retraining": "partial",
    "mlops.automated-deployment": "met",
    "mlops.model-validation": "partial",
    "governance.approval-process": "partial",
}
for item_id, status in expect.items():
    check(f"ci-mlops: {item_id} is {status}", items[item_id]["status"] == status, items[item_id])
ct = items["mlops.continuous-training"]["evidence"]
check("ci-mlops: continuous training's evidence is the training step of the scheduled workflow",
      any(e["path"] == ".github/workflows/retrain.yml" and e.get("line") == 15 for e in ct), ct)
check("ci-mlops: no tests-not-run-in-ci (ci.yml runs pytest)", not findings(mlops, "tests-not-run-in-ci"))

# Without its CI folder the same workspace has no CI evidence: the items fall back.
with tempfile.TemporaryDirectory() as tmp:
    bare = os.path.join(tmp, "ws")
    shutil.copytree(mlops, bare, ignore=shutil.ignore_patterns(".github"))
    bare_items = items_of(audit(bare))
    check("ci-mlops without .github: mlops.ci-cd is a gap", bare_items["mlops.ci-cd"]["status"] == "gap", bare_items["mlops.ci-cd"])
    check("ci-mlops without .github: automated deployment is not assessable",
          bare_items["mlops.automated-deployment"]["status"] == "not-assessable", bare_items["mlops.automated-deployment"])
    check("ci-mlops without .github: continuous training is not assessable",
          bare_items["mlops.continuous-training"]["status"] == "not-assessable")

# --- Tests that no CI job runs.
not_run = os.path.join(FIXTURES, "ci-tests-not-run")
found = findings(not_run, "tests-not-run-in-ci")
where = sorted((f["path"], f["line"], f["severity"], f["checklistId"]) for f in found)
check("ci-tests-not-run: one finding per CI file, at its jobs:/stages: line",
      where == [(".github/workflows/lint.yml", 3, "Medium", "mlops.model-tests"), (".gitlab-ci.yml", 1, "Medium", "mlops.model-tests")],
      where)
check("ci-tests-not-run: the message names a test file", all("tests/test_train.py" in f["message"] for f in found), found)
not_run_items = items_of(audit(not_run))
check("ci-tests-not-run: lint/build-only CI makes mlops.ci-cd partial",
      not_run_items["mlops.ci-cd"]["status"] == "partial", not_run_items["mlops.ci-cd"])
check("ci-tests-not-run: tests no CI job runs make mlops.model-tests a gap",
      not_run_items["mlops.model-tests"]["status"] == "gap", not_run_items["mlops.model-tests"])
check("ci-tests-not-run: no model is served, so automated deployment does not apply (docker push or not)",
      not_run_items["mlops.automated-deployment"]["status"] == "not-assessable", not_run_items["mlops.automated-deployment"])

with tempfile.TemporaryDirectory() as tmp:
    ws = os.path.join(tmp, "ws")
    shutil.copytree(not_run, ws)
    # A broken workflow: a malformed-file finding at the error's line; the rule cannot tell any more.
    broken = os.path.join(ws, ".github", "workflows", "test.yml")
    with open(broken, "w") as f:
        f.write("name: test\non: push\njobs:\n  test:\n    steps: [\n      - run: pytest\n")
    all_found = findings(ws)
    malformed = [f for f in all_found if f["rule"] == "malformed-file"]
    check("broken workflow: a malformed-file finding on that file",
          len(malformed) == 1 and malformed[0]["path"] == ".github/workflows/test.yml" and malformed[0]["line"] >= 5, malformed)
    check("broken workflow: tests-not-run-in-ci stays quiet (the broken file may run them)",
          not [f for f in all_found if f["rule"] == "tests-not-run-in-ci"], all_found)
    r = run("check", ws, "--fail-on", "never")
    check("broken workflow: not reported as 'not analysed'", "not analysed" not in r.stderr, r.stderr)

    # Fixed, running pytest: the finding is gone from both CI files.
    with open(broken, "w") as f:
        f.write("name: test\non: push\njobs:\n  test:\n    steps:\n      - run: uv run pytest -q\n")
    check("a job that runs pytest clears tests-not-run-in-ci", not findings(ws, "tests-not-run-in-ci"))
    fixed = items_of(audit(ws))
    check("...and makes mlops.ci-cd met", fixed["mlops.ci-cd"]["status"] == "met", fixed["mlops.ci-cd"])
    check("...and mlops.model-tests no longer a gap", fixed["mlops.model-tests"]["status"] in ("met", "partial"), fixed["mlops.model-tests"])

with tempfile.TemporaryDirectory() as tmp:
    # The same files in a project that is not ML: nothing at all.
    ws = os.path.join(tmp, "ws")
    shutil.copytree(not_run, ws)
    for path in ("train.py", os.path.join("tests", "test_train.py")):
        with open(os.path.join(ws, path), "w") as f:
            f.write("import json\n\n\ndef test_x():\n    assert json.dumps(1) == '1'\n")
    check("non-ML project with tests and lint-only CI: no findings", findings(ws) == [], findings(ws))

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
