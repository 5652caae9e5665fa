#!/usr/bin/env python3
"""`mlaudit check` and `mlaudit audit` on a workspace whose code is in a Jupyter notebook.

Usage: test_notebooks_cli.py MLAUDIT REPO_ROOT. Findings carry `cell` (0-based index into the
notebook's `cells`) and lines counted within that cell; text output says `path:cell N:line:col`
with N counted from 1; a broken notebook is reported as not analysed, never a crash.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MLAUDIT, REPO = sys.argv[1], sys.argv[2]
FIXTURE = os.path.join(REPO, "tests", "fixtures", "notebook-project")
NB = "notebooks/explore.ipynb"
results = []


def run(*args):
    r = subprocess.run([MLAUDIT, *args], capture_output=True, text=True, timeout=120)
    # Under `make test-asan` a sanitizer report aborts the binary: fail even where a check reads
    # only the output and the report came after it.
    if r.returncode < 0:
        check(f"mlaudit {' '.join(map(str, args))} died of signal {-r.returncode}", False, r.stderr[-4000:])
    return r


def check(name, condition, detail=""):
    results.append(condition)
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"\n    {detail}"))


r = run("check", FIXTURE, "--format", "json", "--fail-on", "never")
findings = json.loads(r.stdout)["findings"]
by_rule = {f["rule"]: f for f in findings if f["path"] == NB}

# Cell 2 uses `T`, imported as `import torch as T` in cell 1 (cell 0 is markdown).
load = by_rule.get("unsafe-deserialization", {})
check("json: T.load in cell 2 resolves the alias of cell 1",
      (load.get("cell"), load.get("line"), load.get("column"), load.get("endColumn")) == (2, 2, 9, 15), load)
remote = by_rule.get("trust-remote-code", {})
check("json: trust_remote_code=True located in cell 2, line 1", (remote.get("cell"), remote.get("line")) == (2, 1), remote)
secret = by_rule.get("hardcoded-secret", {})
check("json: the key printed in cell 3's output is a hardcoded-secret on the cell's last line",
      (secret.get("cell"), secret.get("line"), secret.get("column")) == (3, 2, 1), secret)
check("json: the secret is masked", "Q7vLm2XcR9tKp4WbN8sJd3HfA6yZe1Uo" not in r.stdout and "committed output" in secret.get("message", ""),
      secret.get("message"))
check("json: findings outside notebooks carry no cell", all("cell" not in f for f in findings if not f["path"].endswith(".ipynb")))
check("json: the magic and shell lines produce nothing", all(not (f.get("cell") == 1) for f in findings), findings)

r = run("check", FIXTURE, "--fail-on", "never")
check("text: path:cell N:line:col with N counted from 1",
      f"{NB}:cell 3:2:9: unsafe-deserialization [High]" in r.stdout and f"{NB}:cell 4:2:1: hardcoded-secret [Critical]" in r.stdout,
      r.stdout)

audit = json.loads(run("audit", FIXTURE, "--format", "json").stdout)
items = {i["id"]: i for a in audit["areas"] for i in a["items"]}
secrets = items["security.secrets"]
check("audit: security.secrets is a gap with the notebook cell as evidence",
      secrets["status"] == "gap" and {"path": NB, "cell": 3, "line": 2} in
      [{k: e.get(k) for k in ("path", "cell", "line")} for e in secrets["evidence"]], secrets)
check("audit: findings carry cell as in check",
      any(f.get("cell") == 2 and f["rule"] == "unsafe-deserialization" for f in audit["findings"]), audit["findings"])
r = run("audit", FIXTURE)
check("audit md: evidence locations say `path:cell N:line`", f"{NB}:cell 4:2" in r.stdout, r.stdout[-3000:])

with tempfile.TemporaryDirectory() as tmp:
    ws = os.path.join(tmp, "ws")
    shutil.copytree(FIXTURE, ws)
    for name, text in {"broken.ipynb": '{"cells": [', "v3.ipynb": '{"nbformat": 3, "worksheets": []}',
                       "deep.ipynb": '{"nbformat": 4, "cells": [], "metadata": ' + "[" * 100000 + "]" * 100000 + "}"}.items():
        with open(os.path.join(ws, "notebooks", name), "w") as f:
            f.write(text)
    r = run("check", ws, "--format", "json", "--fail-on", "never")
    check("broken notebooks: check still succeeds with the good notebook's findings",
          r.returncode == 0 and any(f.get("cell") == 2 for f in json.loads(r.stdout)["findings"]), r.stderr)
    check("broken notebooks: each is reported as not analysed with its reason",
          "not analysed: notebooks/broken.ipynb: not valid JSON (line 1)" in r.stderr and
          "not analysed: notebooks/v3.ipynb: nbformat 3 notebooks are not supported" in r.stderr and
          "not analysed: notebooks/deep.ipynb: not a valid nbformat 4 notebook: the JSON nests deeper" in r.stderr, r.stderr)

passed, failed = results.count(True), results.count(False)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
