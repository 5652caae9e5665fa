#!/usr/bin/env python3
"""`mlaudit audit` and `mlaudit check` on a workspace whose containers and documents decide items.

Usage: test_docker_docs_cli.py MLAUDIT REPO_ROOT. The fixture tests/fixtures/container-docs has a
CUDA Dockerfile pinned by digest, a Triton serving image, a compose file reserving a GPU, a README
that is a Hugging Face model card, a dataset card, CODEOWNERS, a PR template, CONTRIBUTING and an
ADR. The same workspace without those files shows what they decided: each item flips back to a
gap or to not-assessable. A floating base image is an `unpinned-base-image` finding that makes
the environment a gap; in a project that is not ML, the same files report nothing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MLAUDIT, REPO = sys.argv[1], sys.argv[2]
FIXTURE = os.path.join(REPO, "tests", "fixtures", "container-docs")
results = []


def run(*args):
    return subprocess.run([MLAUDIT, *args], capture_output=True, text=True, timeout=120)


def check(name, condition, detail=""):
    results.append(condition)
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"\n    {detail}"))


def audit(path):
    r = run("audit", path, "--format", "json")
    return json.loads(r.stdout)


def items(report):
    return {i["id"]: i for a in report["areas"] for i in a["items"]}


def evidence_paths(item):
    return {e["path"] for e in item["evidence"]}


full = audit(FIXTURE)
got = items(full)
check("the fixture is an ML workspace", full["relevant"], full.get("relevance"))
expected = {
    "infrastructure.gpu-tpu": ("partial", {"Dockerfile", "deploy/serve.Dockerfile", "docker-compose.yml"}),
    "deployment.serving-framework": ("met", {"deploy/serve.Dockerfile"}),
    "development.model-documentation": ("met", {"README.md"}),
    "governance.model-documentation": ("met", {"README.md", "data/README.md"}),
    "governance.reproducibility-docs": ("met", {"README.md"}),
    "governance.bias-fairness": ("partial", {"README.md"}),
    "data.split-strategy-documented": ("partial", {"data/README.md"}),
    "team.knowledge-sharing": ("partial", {"CODEOWNERS", ".github/pull_request_template.md", "CONTRIBUTING.md",
                                           "docs/adr/0001-serve-with-triton.md"}),
    "governance.approval-process": ("partial", {"CODEOWNERS"}),
    "security.supply-chain": ("partial", {"Dockerfile"}),
}
for item_id, (status, paths) in expected.items():
    item = got[item_id]
    check(f"{item_id} is {status} from {sorted(paths)}", item["status"] == status and paths <= evidence_paths(item), item)
gpu_details = [e.get("detail", "") for e in got["infrastructure.gpu-tpu"]["evidence"]]
check("evidence names what was seen (the ARG-resolved CUDA image, the GPU service)",
      any("CUDA base image `nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04@sha256:" in d for d in gpu_details) and
      any("service `trainer` reserves GPUs" == d for d in gpu_details), gpu_details)
check("no unpinned-base-image or malformed-file finding in a pinned workspace",
      not [f for f in full["findings"] if f["rule"] in ("unpinned-base-image", "malformed-file")], full["findings"])

with tempfile.TemporaryDirectory() as tmp:
    bare = os.path.join(tmp, "bare")
    shutil.copytree(FIXTURE, bare)
    for relative in ["Dockerfile", "deploy/serve.Dockerfile", "docker-compose.yml", "README.md", "data/README.md",
                     "CODEOWNERS", ".github/pull_request_template.md", "CONTRIBUTING.md", "docs/adr/0001-serve-with-triton.md"]:
        os.remove(os.path.join(bare, relative))
    before = items(audit(bare))
    flips = {
        "infrastructure.gpu-tpu": "not-assessable",
        "deployment.serving-framework": "not-assessable",
        "development.model-documentation": "gap",
        "governance.model-documentation": "gap",
        "governance.reproducibility-docs": "not-assessable",
        "governance.bias-fairness": "not-assessable",
        "data.split-strategy-documented": "not-assessable",
        "team.knowledge-sharing": "not-assessable",
        "governance.approval-process": "not-assessable",
    }
    for item_id, status in flips.items():
        check(f"without the files, {item_id} is {status}", before[item_id]["status"] == status, before[item_id])

    # A floating base image: a finding at the image, and the environment and supply chain become gaps.
    floating = os.path.join(tmp, "floating")
    shutil.copytree(FIXTURE, floating)
    with open(os.path.join(floating, "Dockerfile"), "w", encoding="utf-8") as f:
        f.write("FROM nvidia/cuda\nRUN pip install torch\n")
    r = run("check", floating, "--format", "json", "--fail-on", "never")
    findings = json.loads(r.stdout)["findings"]
    image = [f for f in findings if f["rule"] == "unpinned-base-image"]
    check("FROM nvidia/cuda is reported at the image",
          len(image) == 1 and (image[0]["path"], image[0]["line"], image[0]["column"], image[0]["endColumn"]) ==
          ("Dockerfile", 1, 6, 17) and image[0]["severity"] == "Medium" and
          image[0]["checklistId"] == "infrastructure.reproducible-environments", image)
    torch = [f for f in findings if f["rule"] == "unpinned-dependency" and f["path"] == "Dockerfile"]
    check("RUN pip install torch is an unpinned ML framework", len(torch) == 1 and torch[0]["line"] == 2, findings)
    after = items(audit(floating))
    check("the floating image makes reproducible-environments and supply-chain gaps",
          after["infrastructure.reproducible-environments"]["status"] == "gap" and
          after["security.supply-chain"]["status"] == "gap", (after["infrastructure.reproducible-environments"],
                                                              after["security.supply-chain"]))

    # Not an ML project: the same kind of files report nothing.
    web = os.path.join(tmp, "web")
    shutil.copytree(os.path.join(REPO, "tests", "fixtures", "non-ml-project"), web)
    with open(os.path.join(web, "Dockerfile"), "w", encoding="utf-8") as f:
        f.write("FROM python\nRUN pip install flask\nBOGUS line\n")
    with open(os.path.join(web, "compose.yaml"), "w", encoding="utf-8") as f:
        f.write("services:\n  db:\n    image: postgres:latest\n")
    r = run("check", web, "--format", "json", "--fail-on", "never")
    check("a non-ML project with a floating image and a broken Dockerfile gets no findings",
          r.returncode == 0 and json.loads(r.stdout)["findings"] == [], r.stdout)

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
