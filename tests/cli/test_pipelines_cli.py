#!/usr/bin/env python3
"""`mlaudit audit` on a training project with its ML pipeline and infrastructure files
(tests/fixtures/pipelines-infra: DVC, MLproject, Hydra, Feast, Great Expectations, Terraform,
KServe, Argo Rollouts, Istio, Argo CD) against the same project with train.py alone: the items
these files decide flip from gap / not-assessable to met, with the files' lines as evidence.
Then: a broken Terraform file is a malformed-file finding at its line, and a non-ML project with
the same kinds of files stays quiet.

Usage: test_pipelines_cli.py MLAUDIT REPO_ROOT.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MLAUDIT, REPO = sys.argv[1], sys.argv[2]
FIXTURE = os.path.join(REPO, "tests", "fixtures", "pipelines-infra")
results = []


def run(*args):
    return subprocess.run([MLAUDIT, *args], capture_output=True, text=True, timeout=120)


def check(name, condition, detail=""):
    results.append(condition)
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"\n    {detail}"))


def audit(path):
    r = run("audit", path, "--format", "json")
    if r.returncode != 0:
        print(r.stderr)
    return json.loads(r.stdout)


def items(report):
    return {i["id"]: i for a in report["areas"] for i in a["items"]}


tmp = tempfile.mkdtemp()
try:
    with_files = os.path.join(tmp, "with")
    shutil.copytree(FIXTURE, with_files)
    alone = os.path.join(tmp, "alone")
    os.makedirs(alone)
    shutil.copy(os.path.join(FIXTURE, "train.py"), alone)

    before, after = items(audit(alone)), items(audit(with_files))
    flips = [
        "data.data-versioning", "data.pipeline-automated", "data.feature-store", "data.quality-checks",
        "development.hyperparameter-tuning", "development.evaluation-metrics", "mlops.pipeline-orchestration",
        "mlops.infrastructure-as-code", "mlops.gitops", "governance.lineage",
        "infrastructure.gpu-tpu", "infrastructure.spot-instances", "infrastructure.compute-autoscaling",
        "deployment.serving-framework", "deployment.canary", "deployment.shadow-mode", "deployment.rollback",
        "deployment.inference-autoscaling", "monitoring.prediction-logging",
    ]
    for item in flips:
        b, a = before[item]["status"], after[item]["status"]
        check(f"{item}: {b} -> met", b in ("gap", "not-assessable") and a == "met", (b, a, after[item].get("evidence")))
    # No traffic split between two live versions in the fixture: A/B testing stays undecided.
    check("deployment.ab-testing: unchanged", after["deployment.ab-testing"]["status"] == before["deployment.ab-testing"]["status"])

    def evidence(item):
        return [(e.get("path"), e.get("line"), e.get("detail")) for e in after[item]["evidence"]]

    check("canary evidence: KServe canaryTrafficPercent at its line",
          ("k8s/inference-service.yaml", 7, "InferenceService churn sends 10% of traffic to the canary") in evidence("deployment.canary"),
          evidence("deployment.canary"))
    check("shadow evidence: the Istio mirror in the second document of rollout.yaml",
          any(p == "k8s/rollout.yaml" and d == "VirtualService churn-api mirrors traffic (shadow)" for p, _, d in evidence("deployment.shadow-mode")),
          evidence("deployment.shadow-mode"))
    check("spot evidence: the EKS node group's capacity_type",
          ("infra/main.tf", 29, "aws_eks_node_group.training: capacity_type = SPOT") in evidence("infrastructure.spot-instances"),
          evidence("infrastructure.spot-instances"))
    # The remote's URL (s3://churn-data/dvc) may hold credentials: no output carries it.
    check("the DVC remote's URL appears nowhere in the audit",
          "churn-data" not in run("audit", with_files, "--format", "json").stdout)
    check("gitops evidence: an Argo CD Application outside any argocd/ folder",
          ("deploy/application.yaml", 2, "Argo CD Application churn") in evidence("mlops.gitops"), evidence("mlops.gitops"))
    check("hyperparameter tuning: the Hydra sweeper",
          any(p == "conf/config.yaml" and d == "Hydra sweeper: optuna" for p, _, d in evidence("development.hyperparameter-tuning")),
          evidence("development.hyperparameter-tuning"))

    # A broken Terraform file in an ML workspace: malformed-file at the block that never closes.
    with open(os.path.join(with_files, "infra", "broken.tf"), "w") as f:
        f.write('resource "aws_sagemaker_model" "m" {\n  name = "x"\n')
    r = run("check", with_files, "--format", "json", "--fail-on", "never")
    findings = json.loads(r.stdout)["findings"]
    broken = [f for f in findings if f["path"] == "infra/broken.tf"]
    check("broken .tf: one malformed-file finding on line 1",
          [(f["rule"], f["line"]) for f in broken] == [("malformed-file", 1)], broken)
    check("no findings from the readers' other files", all(f["path"] == "infra/broken.tf" or f["path"] == "train.py" for f in findings),
          findings)

    # A web project (no ML library anywhere) with Terraform, an HPA and a broken .tf: quiet.
    web = os.path.join(tmp, "web")
    os.makedirs(os.path.join(web, "k8s"))
    with open(os.path.join(web, "app.py"), "w") as f:
        f.write("import os\n\nprint(os.environ.get('PORT', '8080'))\n")
    shutil.copy(os.path.join(FIXTURE, "infra", "main.tf"), web)
    with open(os.path.join(web, "broken.tf"), "w") as f:
        f.write("locals {\n")
    with open(os.path.join(web, "k8s", "hpa.yaml"), "w") as f:
        f.write("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
                "spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 3}\n")
    r = run("check", web, "--format", "json", "--fail-on", "Low")
    check("non-ML project: no findings, exit 0", r.returncode == 0 and json.loads(r.stdout)["findings"] == [], r.stdout)
    check("non-ML project: the audit says it is not ML", audit(web)["relevant"] is False)
finally:
    shutil.rmtree(tmp)

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
