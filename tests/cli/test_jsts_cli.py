#!/usr/bin/env python3
"""`mlaudit check` and `mlaudit audit` on JavaScript/TypeScript workspaces, through the real binary.

Usage: test_jsts_cli.py MLAUDIT REPO_ROOT. tests/fixtures/js-llm-app is a small TypeScript LLM
service (openai, the Vercel AI SDK, LangChain prompts, Langfuse, p-retry): its llm.* items are
decided by the .ts files alone (no Python in it), and the key hard-coded in src/client.ts is
reported masked. tests/fixtures/js-web-app (express, React, a secret-looking string) is not an
LLM workspace and gets nothing.
"""
import json
import subprocess
import sys
import os

MLAUDIT, REPO = sys.argv[1], sys.argv[2]
LLM_APP = os.path.join(REPO, "tests", "fixtures", "js-llm-app")
WEB_APP = os.path.join(REPO, "tests", "fixtures", "js-web-app")
KEY = "sk-proj-T4vQm8XcR2tKp7WbN5sJd9HfA3yZe6Uo"
results = []


def run(*args):
    return subprocess.run([MLAUDIT, *args], capture_output=True, text=True, timeout=120)


def check(name, condition, detail=""):
    results.append(condition)
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"\n    {detail}"))


r = run("check", LLM_APP, "--format", "json", "--fail-on", "never")
findings = json.loads(r.stdout)["findings"]
secrets = [f for f in findings if f["rule"] == "hardcoded-secret"]
check("check: the key in src/client.ts is a hardcoded-secret at its line",
      [(f["path"], f["line"]) for f in secrets] == [("src/client.ts", 4)], secrets)
check("check: the key never appears in the output, masked instead",
      KEY not in r.stdout and KEY not in r.stderr and "sk-p********" in (secrets[0]["message"] if secrets else ""), r.stdout)
r = run("check", LLM_APP, "--fail-on", "never")
check("check (text): path:line:col of the finding", "src/client.ts:4:" in r.stdout and KEY not in r.stdout, r.stdout)

audit = json.loads(run("audit", LLM_APP, "--format", "json").stdout)
check("audit: the workspace is LLM code because of its .ts imports and package.json",
      audit["relevant"], audit["relevance"])
items = {i["id"]: i for a in audit["areas"] for i in a["items"]}
expected = {
    "llm.model-pinning": "met",          # model: "gpt-4o-2024-08-06" in create({...})
    "llm.prompt-management": "met",      # prompts/system.md (ChatPromptTemplate is partial evidence too)
    "llm.evaluation": "met",             # evals/promptfooconfig.yaml
    "llm.tracing": "met",                # import { Langfuse } from "langfuse"
    "llm.output-handling": "partial",    # generateObject from "ai"
    "llm.resilience": "partial",         # p-retry
    "llm.guardrails": "met",             # openai.moderations.create
    "security.secrets": "gap",           # the hard-coded key
}
for item_id, status in expected.items():
    got = items.get(item_id, {})
    check(f"audit: {item_id} is {status}", got.get("status") == status, got)


def evidence_paths(item_id):
    return {e["path"] for e in items.get(item_id, {}).get("evidence", [])}


check("audit: model pinning's evidence is the .ts call", "src/answer.ts" in evidence_paths("llm.model-pinning"),
      items.get("llm.model-pinning"))
check("audit: tracing's evidence is the langfuse import in src/answer.ts", "src/answer.ts" in evidence_paths("llm.tracing"),
      items.get("llm.tracing"))
check("audit: the llm area is assessed", any(a["id"] == "llm" and a["assessable"] for a in audit["areas"]),
      [a for a in audit["areas"] if a["id"] == "llm"])

# Without the .ts files the LLM items are not applicable: they flip because of the JS/TS facts.
import shutil
import tempfile

with tempfile.TemporaryDirectory() as tmp:
    bare = os.path.join(tmp, "ws")
    shutil.copytree(LLM_APP, bare, ignore=shutil.ignore_patterns("src"))
    with open(os.path.join(bare, "package.json"), "w") as f:  # no LLM dependency either
        f.write('{"name": "x", "dependencies": {"express": "4.21.2"}}\n')
    bare_audit = json.loads(run("audit", bare, "--format", "json").stdout)
    check("audit without the .ts sources: not an LLM workspace", not bare_audit["relevant"], bare_audit["relevance"])

r = run("check", WEB_APP, "--format", "json", "--fail-on", "never")
check("non-LLM JS project: no findings", json.loads(r.stdout)["findings"] == [], r.stdout)
web_audit = json.loads(run("audit", WEB_APP, "--format", "json").stdout)
check("non-LLM JS project: not relevant", not web_audit["relevant"], web_audit["relevance"])

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
