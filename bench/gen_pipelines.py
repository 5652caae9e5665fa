"""Pipeline and infrastructure files of the audit workspace (analyzers/pipelines, analyzers/infra):
a handful per 10,000 files, as in real repositories: dvc.lock, a Terraform module per 5,000 files,
and Kubernetes manifests (a Deployment with its HPA, a KServe InferenceService). dvc.yaml and
params.yaml are written by generate_workspace.py itself."""

DVC_LOCK = """schema: '2.0'
stages:
  train:
    cmd: python -m projx.train
    deps:
    - path: data/prepared
      md5: 0b1d9c1c53d2a2e0f4d6b7a16a4f2b6e.dir
    outs:
    - path: models/model.pt
      md5: 6a4f2b6e0b1d9c1c53d2a2e0f4d6b7a1
"""

TERRAFORM = """variable "env" {
  default = "staging"
}

resource "aws_sagemaker_endpoint_configuration" "model_%(k)d" {
  name = "projx-${var.env}-%(k)d"
  production_variants {
    variant_name  = "primary"
    model_name    = "projx-%(k)d"
    instance_type = "ml.g5.xlarge"
  }
  data_capture_config {
    enable_capture     = true
    destination_s3_uri = "s3://projx-capture/%(k)d"
  }
}

resource "aws_appautoscaling_target" "model_%(k)d" {
  service_namespace  = "sagemaker"
  resource_id        = "endpoint/projx-%(k)d/variant/primary"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = 1
  max_capacity       = 4
}

resource "aws_eks_node_group" "training_%(k)d" {
  cluster_name   = "projx"
  capacity_type  = "SPOT"
  instance_types = ["g5.2xlarge"]
}
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: projx-api
spec:
  replicas: 2
  selector:
    matchLabels: {app: projx-api}
  template:
    metadata:
      labels: {app: projx-api}
    spec:
      containers:
        - name: api
          image: registry.example.com/projx-api:1.4.2
          resources:
            limits:
              nvidia.com/gpu: 1
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: projx-api
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: projx-api}
  minReplicas: 2
  maxReplicas: 10
"""

INFERENCE_SERVICE = """apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: projx
spec:
  predictor:
    canaryTrafficPercent: 10
    minReplicas: 1
    maxReplicas: 4
    pytorch:
      storageUri: s3://projx-models/v7
"""


def pipeline_infra_files(files):
    """(workspace-relative path, text) pairs for a workspace of `files` files."""
    out = [("dvc.lock", DVC_LOCK), ("k8s/api.yaml", DEPLOYMENT), ("k8s/inference-service.yaml", INFERENCE_SERVICE)]
    out += [(f"infra/module_{k}/main.tf", TERRAFORM % {"k": k}) for k in range(max(1, files // 5000))]
    return out
