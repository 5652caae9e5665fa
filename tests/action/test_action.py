#!/usr/bin/env python3
"""action.yml's script (scripts/github_action.sh) run locally as GitHub would run it: the
runner's files ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT, $RUNNER_TEMP) are temp files, the
workspace a fresh copy of a fixture. Also checks that action.yml passes every input the script
reads and uploads the SARIF the script writes, and that the pre-commit hooks run.

    tests/action/test_action.py PATH/TO/mlaudit REPO
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

mlaudit, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
script = os.path.join(repo, "scripts", "github_action.sh")
failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def run_action(workspace, cwd, **inputs):
    """Runs the script from `cwd` (the repository root in CI); returns (status, stdout, summary, outputs)."""
    with tempfile.TemporaryDirectory() as runner:
        summary, outputs = os.path.join(runner, "summary.md"), os.path.join(runner, "output.txt")
        env = dict(os.environ, MLAUDIT=mlaudit, INPUT_PATH=workspace, GITHUB_STEP_SUMMARY=summary,
                   GITHUB_OUTPUT=outputs, RUNNER_TEMP=runner)
        env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
        proc = subprocess.run(["bash", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        text = open(summary, encoding="utf-8").read() if os.path.exists(summary) else ""
        values = {}
        if os.path.exists(outputs):
            for line in open(outputs, encoding="utf-8"):
                key, _, value = line.rstrip("\n").partition("=")
                values[key] = value
        sarif = None
        if values.get("sarif-file") and os.path.exists(values["sarif-file"]):
            sarif = json.load(open(values["sarif-file"], encoding="utf-8"))
        return proc, text, values, sarif


with tempfile.TemporaryDirectory() as tmp:
    for name in ("research-project", "clean-project"):
        shutil.copytree(os.path.join(repo, "examples", name), os.path.join(tmp, name))
    shutil.copytree(os.path.join(repo, "tests", "fixtures", "non-ml-project"), os.path.join(tmp, "non-ml"))

    # 1. A project with High findings: exit 1, SARIF written, annotations printed, summary filled.
    proc, summary, outputs, sarif = run_action("research-project", tmp)
    expect(proc.returncode == 1, f"research-project: exit {proc.returncode}, expected 1 (High findings)\n{proc.stderr}")
    expect(sarif is not None and len(sarif["runs"][0]["results"]) >= 5, f"research-project: no SARIF results: {outputs}")
    if sarif:
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
        expect("research-project/src/train.py" in uris, f"SARIF URIs are not relative to the repository root: {uris}")
    expect("::error file=research-project/src/train.py,line=" in proc.stdout,
           f"no error annotation for train.py on stdout:\n{proc.stdout[:1500]}")
    expect("## mlaudit: AI/ML maturity" in summary and "Overall maturity: **" in summary and "| data |" in summary,
           f"research-project: the job summary has no maturity table:\n{summary}")
    expect(outputs.get("overall-level", "").isdigit(), f"overall-level output: {outputs}")
    expect(outputs.get("exit-code") == "1" and int(outputs.get("findings", "0")) >= 5, f"outputs: {outputs}")
    expect("4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u" not in proc.stdout + summary + json.dumps(sarif),
           "the secret of research-project appears unmasked")

    # 2. A clean project passes; a maturity gate above its level fails it, saying why.
    proc, summary, outputs, sarif = run_action("clean-project", tmp, annotations="false")
    expect(proc.returncode == 0, f"clean-project: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    expect("::" not in proc.stdout, f"annotations printed although annotations=false:\n{proc.stdout}")
    expect(sarif is not None and sarif["runs"][0]["results"] == [], "clean-project: SARIF has results")
    level = outputs.get("overall-level", "")
    expect(level.isdigit(), f"clean-project: overall-level {level!r}")
    if level.isdigit() and int(level) < 5:
        proc, summary, outputs, _ = run_action("clean-project", tmp, annotations="false", fail_under=str(int(level) + 1))
        expect(proc.returncode == 1 and "is below --fail-under" in proc.stderr,
               f"fail-under {int(level) + 1} on level {level}: exit {proc.returncode}, stderr {proc.stderr!r}")
        expect(outputs.get("exit-code") == "1", f"fail-under: outputs {outputs}")
        proc, *_ = run_action("clean-project", tmp, annotations="false", fail_under=level)
        expect(proc.returncode == 0, f"fail-under {level} on level {level}: exit {proc.returncode} {proc.stderr}")

    # 3. Not an ML workspace: passes, and the summary says why nothing was audited.
    proc, summary, outputs, sarif = run_action("non-ml", tmp, fail_under="3")
    expect(proc.returncode == 0, f"non-ml: exit {proc.returncode}: {proc.stderr}")
    expect("Not an ML/LLM workspace" in summary and outputs.get("overall-level") == "", f"non-ml: {summary!r} {outputs}")

    # 4. A binary that is not there: a clear error, exit 2.
    env_bad = dict(os.environ, MLAUDIT="/nonexistent/mlaudit", GITHUB_OUTPUT=os.path.join(tmp, "bad-out"))
    proc = subprocess.run(["bash", script], cwd=tmp, env=env_bad, capture_output=True, text=True, timeout=60)
    expect(proc.returncode == 2 and "mlaudit not found" in proc.stdout, f"missing binary: {proc.returncode} {proc.stdout}")

    # 5. action.yml wires what the script reads and uploads what it writes.
    action = yaml.safe_load(open(os.path.join(repo, "action.yml"), encoding="utf-8"))
    steps = action["runs"]["steps"]
    expect(action["runs"]["using"] == "composite", "action.yml is not a composite action")
    env = steps[0]["env"]
    for variable in ("MLAUDIT", "INPUT_PATH", "INPUT_FAIL_ON", "INPUT_FAIL_UNDER", "INPUT_ANNOTATIONS"):
        expect(variable in env and variable in open(script, encoding="utf-8").read(), f"{variable} not wired")
    for variable, value in env.items():
        input_name = value.split("inputs.")[1].split()[0]
        expect(input_name in action["inputs"], f"{variable} refers to an undeclared input {input_name}")
    upload = steps[1]
    expect(upload["uses"].startswith("github/codeql-action/upload-sarif@"), "no upload-sarif step")
    expect("steps.mlaudit.outputs.sarif-file" in upload["with"]["sarif_file"], "upload-sarif does not upload our file")
    expect("always()" in upload["if"], "upload-sarif must run even when the check fails")

    # 6. The pre-commit hooks: run each entry + args as pre-commit would (no file names), in a workspace.
    hooks = yaml.safe_load(open(os.path.join(repo, ".pre-commit-hooks.yaml"), encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    expect(set(by_id) == {"mlaudit", "mlaudit-maturity"}, f"hooks: {sorted(by_id)}")
    for hook in hooks:
        expect(hook["language"] == "system" and hook["pass_filenames"] is False, f"hook {hook['id']}: {hook}")
    def run_hook(hook_id, cwd):
        hook = by_id[hook_id]
        argv = hook["entry"].split() + [str(a) for a in hook.get("args", [])]
        argv[0] = mlaudit
        return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120)
    expect(run_hook("mlaudit", os.path.join(tmp, "research-project")).returncode == 1, "hook mlaudit passes research-project")
    expect(run_hook("mlaudit", os.path.join(tmp, "clean-project")).returncode == 0, "hook mlaudit fails clean-project")
    expect(run_hook("mlaudit-maturity", os.path.join(tmp, "non-ml")).returncode == 0, "maturity hook fails a non-ML project")
    import re
    pattern = re.compile(by_id["mlaudit"]["files"])
    for path, wanted in [("src/train.py", True), ("requirements.txt", True), ("req/requirements-dev.in", True),
                         ("pyproject.toml", True), ("nb/a.ipynb", True), ("README.md", False), ("notes.txt", False)]:
        expect(bool(pattern.search(path)) == wanted, f"hook files pattern on {path}: expected {wanted}")

if failures:
    print("action: FAILED", *failures, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print("action: PASSED (script on 3 fixture workspaces, action.yml wiring, pre-commit hooks)")
