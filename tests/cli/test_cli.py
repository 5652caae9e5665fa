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
