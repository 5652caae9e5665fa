#!/usr/bin/env python3
"""`mlaudit check` and `mlaudit audit` on tests/fixtures/llm-rules: one instance of each LLM rule
where it belongs and silence on the tricky lines beside it, through the real binary (closed
files compacted, as in CI), and the llm.* items the rules and the new evidence decide.

Usage: test_llm_rules_cli.py MLAUDIT REPO_ROOT.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MLAUDIT, REPO = sys.argv[1], sys.argv[2]
FIXTURE = os.path.join(REPO, "tests", "fixtures", "llm-rules")
LLM_RULES = {"llm-model-alias", "llm-retired-model", "llm-call-unbounded", "llm-output-to-sink", "agent-dangerous-tool"}
results = []


def run(*args):
    return subprocess.run([MLAUDIT, *args], capture_output=True, text=True, timeout=120)


def check(name, condition, detail=""):
    results.append(condition)
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"\n    {detail}"))


def line_of(path, needle):
    with open(os.path.join(FIXTURE, path), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if needle in line:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


r = run("check", FIXTURE, "--format", "json", "--fail-on", "never")
findings = [f for f in json.loads(r.stdout)["findings"] if f["rule"] in LLM_RULES]
got = sorted((f["path"], f["line"], f["rule"]) for f in findings)
expected = sorted([
    ("app/clients.py", line_of("app/clients.py", "model=MODEL"), "llm-model-alias"),
    ("app/clients.py", line_of("app/clients.py", "model=MODEL"), "llm-call-unbounded"),
    ("app/clients.py", line_of("app/clients.py", "text-davinci-003"), "llm-retired-model"),
    ("app/sql_agent.py", line_of("app/sql_agent.py", "cursor.execute(sql)"), "llm-output-to-sink"),
    ("app/sql_agent.py", line_of("app/sql_agent.py", "shell=True"), "llm-output-to-sink"),
    ("app/agents.py", line_of("app/agents.py", "allow_dangerous_code=True"), "agent-dangerous-tool"),
    ("app/agents.py", line_of("app/agents.py", "PythonREPLTool()"), "agent-dangerous-tool"),
])
check("check: exactly the expected LLM findings (none on snapshots, bound parameters, stripe, safe flags)",
      got == expected, f"got {got}\n    expected {expected}")
by = {(f["path"], f["rule"]): f for f in findings}
unbounded = by.get(("app/clients.py", "llm-call-unbounded"), {})
check("check: llm-call-unbounded names only max_tokens (the client sets timeout and retries)",
      "no `max_tokens`" in unbounded.get("message", "") and "timeout" not in unbounded.get("message", ""), unbounded)
sink = by.get(("app/sql_agent.py", "llm-output-to-sink"), {})
check("check: llm-output-to-sink names its source", "chat.completions.create" in sink.get("message", ""), sink)
check("check: severities", by.get(("app/clients.py", "llm-retired-model"), {}).get("severity") == "High" and
      by.get(("app/clients.py", "llm-model-alias"), {}).get("severity") == "Low", findings)

audit = json.loads(run("audit", FIXTURE, "--format", "json").stdout)
items = {i["id"]: i for a in audit["areas"] for i in a["items"]}
expected_status = {
    "llm.model-pinning": "gap",       # alias and retired model (a snapshot elsewhere is not enough)
    "llm.output-handling": "gap",     # output into SQL and a shell, a REPL tool
    "llm.resilience": "gap",          # a call without max_tokens
    "llm.prompt-management": "met",   # prompts/sql.txt
    "llm.tracing": "met",             # langfuse
    "llm.evaluation": "met",          # deepeval declared in requirements.txt
}
for item, want in expected_status.items():
    check(f"audit: {item} is {want}", items.get(item, {}).get("status") == want, items.get(item))

# The same files without the findings' causes: the items the rules decided are no longer gaps.
with tempfile.TemporaryDirectory() as tmp:
    clean = os.path.join(tmp, "clean")
    shutil.copytree(FIXTURE, clean)
    for name in ("clients.py", "sql_agent.py", "agents.py"):
        os.remove(os.path.join(clean, "app", name))
    with open(os.path.join(clean, "app", "clients.py"), "w", encoding="utf-8") as f:
        f.write("from openai import OpenAI\n\nclient = OpenAI(timeout=20, max_retries=2)\n\n\n"
                "def ask(q):\n    return client.chat.completions.create(model=\"gpt-4o-2024-08-06\", max_tokens=300,\n"
                "                                          messages=[{\"role\": \"user\", \"content\": q}])\n")
    audit = json.loads(run("audit", clean, "--format", "json").stdout)
    items = {i["id"]: i for a in audit["areas"] for i in a["items"]}
    check("audit (fixed): llm.model-pinning is met by the dated snapshot",
          items["llm.model-pinning"]["status"] == "met", items["llm.model-pinning"])
    check("audit (fixed): llm.output-handling and llm.resilience are no longer gaps",
          items["llm.output-handling"]["status"] != "gap" and items["llm.resilience"]["status"] != "gap",
          (items["llm.output-handling"], items["llm.resilience"]))
    check("audit (fixed): no LLM finding", not [f for f in audit["findings"] if f["rule"] in LLM_RULES], audit["findings"])

# A project without LLM or ML libraries: `chain.invoke` into a shell is somebody else's API.
with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "tool.py"), "w", encoding="utf-8") as f:
        f.write("import subprocess\n\nr = chain.invoke('x')\nsubprocess.run(r, shell=True)\n"
                "client.chat.completions.create(model='gpt-4o', messages=[])\n")
    r = run("check", tmp, "--format", "json", "--fail-on", "never")
    check("check: a non-ML project stays quiet", json.loads(r.stdout)["findings"] == [], r.stdout)

passed, failed = results.count(True), results.count(False)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
