#!/usr/bin/env python3
"""End-to-end tests of the settings files, their flags and the baseline through `mlaudit check`
and `mlaudit audit` (the real binary).

Usage: test_cli_config.py MLAUDIT REPO_ROOT. Prints one line per check and `N passed, N failed`.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MLAUDIT, REPO = sys.argv[1], sys.argv[2]
RESEARCH = os.path.join(REPO, "examples", "research-project")
NON_ML = os.path.join(REPO, "tests", "fixtures", "non-ml-project")
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


def findings(ws, *flags):
    r = run("check", ws, "--format", "json", "--fail-on", "never", *flags)
    try:
        return json.loads(r.stdout)["findings"], r
    except ValueError:
        return [], r


def rules(found):
    return sorted({f["rule"] for f in found})


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def fresh(tmp, name, source=RESEARCH):
    ws = os.path.join(tmp, name)
    shutil.copytree(source, ws)
    return ws


with tempfile.TemporaryDirectory() as tmp:
    ws = fresh(tmp, "plain")
    base, _ = findings(ws)
    check("without settings every rule reports", len(rules(base)) == 7, rules(base))

    # select / ignore / severity, from .mlaudit.yaml.
    ws = fresh(tmp, "select")
    write(os.path.join(ws, ".mlaudit.yaml"), "select: [unsafe-deserialization, seed-not-set]\nignore: [seed-not-set]\n")
    found, r = findings(ws)
    check(".mlaudit.yaml select + ignore", rules(found) == ["unsafe-deserialization"], (rules(found), r.stderr))

    ws = fresh(tmp, "severity")
    write(os.path.join(ws, "pyproject.toml"),
          "[project]\nname = 'x'\n\n[tool.mlaudit.severity]\nhardcoded-secret = \"Low\"\ntrust-remote-code = \"Info\"\n")
    found, _ = findings(ws)
    sev = {f["rule"]: f["severity"] for f in found}
    check("[tool.mlaudit.severity] overrides", sev.get("hardcoded-secret") == "Low" and sev.get("trust-remote-code") == "Info", sev)
    r = run("check", ws, "--fail-on", "Critical")
    check("a lowered severity no longer fails --fail-on Critical", r.returncode == 0, r.stdout)

    # exclude (gitignore-like, relative to the file) and per-file-ignores.
    ws = fresh(tmp, "exclude")
    write(os.path.join(ws, ".mlaudit.yaml"), "exclude: [src/data.py]\nper-file-ignores:\n  \"src/*.py\": [hardcoded-secret]\n")
    found, _ = findings(ws)
    paths = {f["path"] for f in found}
    check("exclude leaves the file out of the crawl", "src/data.py" not in paths and "src/train.py" in paths, paths)
    check("per-file-ignores drops a rule for matching files", "hardcoded-secret" not in rules(found), rules(found))
    r = run("audit", ws, "--format", "json")
    audit = json.loads(r.stdout)
    audited_paths = [f["path"] for f in audit["findings"]]
    check("audit honours exclude and per-file-ignores too",
          "src/data.py" not in audited_paths and not any(f["rule"] == "hardcoded-secret" for f in audit["findings"]),
          audit["findings"][:3])

    # Nearest file wins: a nested .mlaudit.yaml governs its folder.
    ws = fresh(tmp, "nearest")
    write(os.path.join(ws, ".mlaudit.yaml"), "ignore: [unsafe-deserialization]\n")
    write(os.path.join(ws, "src", ".mlaudit.yaml"), "ignore: [hardcoded-secret]\n")
    found, _ = findings(ws)
    src_rules = {f["rule"] for f in found if f["path"].startswith("src/")}
    top_rules = {f["rule"] for f in found if not f["path"].startswith("src/")}
    check("nearest: src/ uses its own file (unsafe-deserialization back, secret gone)",
          "unsafe-deserialization" in src_rules and "hardcoded-secret" not in src_rules, src_rules)
    check("nearest: the root file still governs the root", "unpinned-dependency" in top_rules, top_rules)

    # target-level: only what the target needs stays; the rest is report-only.
    ws = fresh(tmp, "target")
    write(os.path.join(ws, ".mlaudit.yaml"), "target-level: 2\n")
    found, _ = findings(ws)
    check("target-level 2 keeps only the level-2 gap (hard-coded secret)", rules(found) == ["hardcoded-secret"], rules(found))
    r = run("check", ws, "--fail-on", "never")
    check("the text summary says how many are below the target", "below the target level not shown" in r.stdout, r.stdout)
    found, _ = findings(ws, "--target-level", "3")
    check("--target-level overrides the file", len(rules(found)) == 7, rules(found))
    r = run("audit", ws, "--format", "json")
    check("the audit still reports findings below the target",
          len({f["rule"] for f in json.loads(r.stdout)["findings"]}) == 7)

    # relevance and max-file-size; flags win over files.
    ws = fresh(tmp, "relevance")
    write(os.path.join(ws, ".mlaudit.yaml"), "relevance: never\n")
    r = run("check", ws)
    check("relevance: never silences the project", r.returncode == 0 and "skipped" in r.stdout, r.stdout)
    found, _ = findings(ws, "--relevance", "on")
    check("--relevance on wins over the file", len(found) > 0)
    non_ml = fresh(tmp, "nonml", NON_ML)
    write(os.path.join(non_ml, "pyproject.toml"), "[tool.mlaudit]\nrelevance = \"always\"\n")
    found, _ = findings(non_ml)
    check("relevance = \"always\" forces the rules on a non-ML project", "unsafe-deserialization" in rules(found), rules(found))

    ws = fresh(tmp, "size")
    write(os.path.join(ws, ".mlaudit.yaml"), "max-file-size: 100B\n")
    r = run("check", ws, "--format", "json", "--fail-on", "never")
    check("max-file-size from the file skips larger files", "above the 100 B size cap" in r.stderr
          or "size cap" in r.stderr, r.stderr)
    r2 = run("check", ws, "--format", "json", "--fail-on", "never", "--max-file-size", "1000000")
    check("--max-file-size wins over the file", "size cap" not in r2.stderr and json.loads(r2.stdout)["findings"], r2.stderr)

    ws = fresh(tmp, "invalid")
    write(os.path.join(ws, ".mlaudit.yaml"), "ignore: [seed-not-set]\ntarget-level: 9\nselect: [no-such-rule]\n")
    found, r = findings(ws)
    bad = [f for f in found if f["rule"] == "invalid-config"]
    check("invalid config: one finding per problem, at its line",
          sorted((f["path"], f["line"]) for f in bad) == [(".mlaudit.yaml", 2), (".mlaudit.yaml", 3)], bad)
    check("invalid config: the valid keys still apply", "seed-not-set" not in rules(found), rules(found))
    r = run("check", ws)
    check("invalid config fails check at the default --fail-on", r.returncode == 1 and "invalid-config [High]" in r.stdout, r.stdout)
    r = run("audit", ws, "--format", "json")
    check("audit says the configuration is invalid (stderr) and still reports",
          r.returncode == 0 and ".mlaudit.yaml:2:" in r.stderr and json.loads(r.stdout)["schema"] == "mlaudit-audit/1", r.stderr)
    ws = fresh(tmp, "invalid-toml")
    write(os.path.join(ws, "pyproject.toml"), "[tool.mlaudit]\nselect = [\"seed-not-set\"\nignore = 3\n")
    found, _ = findings(ws)
    bad = [f for f in found if f["rule"] == "invalid-config"]
    check("unparsable [tool.mlaudit] is an invalid-config finding", len(bad) == 1 and bad[0]["path"] == "pyproject.toml"
          and "invalid TOML" in bad[0]["message"], bad)

    # Baseline: written, then used by default; new findings still reported; stable under edits.
    ws = fresh(tmp, "baseline")
    r = run("check", ws, "--write-baseline")
    path = os.path.join(ws, ".mlaudit-baseline.json")
    check("--write-baseline writes .mlaudit-baseline.json at PATH", r.returncode == 0 and os.path.exists(path), r.stderr)
    data = json.load(open(path)) if os.path.exists(path) else {}
    check("the baseline's format", data.get("schema") == "mlaudit-baseline/1" and
          all({"path", "rule", "digest", "count"} <= set(f) for f in data.get("findings", [])), data)
    check("the baseline never holds the secret", "sk-proj-4fJq" not in open(path).read() if os.path.exists(path) else False)
    r = run("check", ws)
    check("check with the default baseline: nothing new, exit 0", r.returncode == 0 and "0 findings" in r.stdout
          and "in the baseline" in r.stdout, r.stdout)
    train = os.path.join(ws, "src", "train.py")
    text = open(train).read()
    text = text.replace('"""Fine-tunes', '"""Fine-tunes\n\n\n', 1)  # lines inserted above everything
    text += "\n\ndef again(p):\n    return torch.load(p)\n"
    write(train, text)
    found, _ = findings(ws)
    check("after inserting lines, only the genuinely new finding is reported",
          [(f["rule"], f["path"]) for f in found] == [("unsafe-deserialization", "src/train.py")], found)
    r = run("check", ws, "--baseline", os.path.join(tmp, "missing.json"))
    check("--baseline FILE that does not exist is a usage error", r.returncode == 2, r.stderr)
    other = os.path.join(tmp, "other-baseline.json")
    r = run("check", ws, "--write-baseline", other)
    check("--write-baseline FILE writes there", r.returncode == 0 and os.path.exists(other), r.stderr)
    found, _ = findings(ws, "--baseline", other)
    check("--baseline FILE is used", found == [], found)
    write(os.path.join(ws, ".mlaudit.yaml"), "baseline: ci/none.json\n")
    found, _ = findings(ws)
    check("the baseline setting points elsewhere (missing: nothing is baselined)", len(found) > 5, len(found))

passed, failed = results.count(True), results.count(False)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
