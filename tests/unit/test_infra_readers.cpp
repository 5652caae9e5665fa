// The infrastructure readers (analyzers/infra/): Kubernetes manifests and ML operators' custom
// resources from any YAML's keys, and Terraform through the HCL block scanner. Positive,
// negative (look-alikes) and malformed inputs, through analyze_text as the crawler calls it.
#include <doctest/doctest.h>

#include <string>

#include "analyzers/analyzer.hpp"
#include "analyzers/infra/hcl_blocks.hpp"

namespace {

using namespace mlaudit;

const facts::Signal* find(const facts::FileFacts& f, const std::string& id) {
  for (const auto& s : f.signals)
    if (s.id == id) return &s;
  return nullptr;
}

const char* kInferenceService = R"(apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: churn
spec:
  predictor:
    canaryTrafficPercent: 10
    minReplicas: 1
    maxReplicas: 5
    logger:
      mode: all
    sklearn:
      storageUri: gs://models/churn/v3
      resources:
        limits:
          nvidia.com/gpu: 1
)";

}  // namespace

TEST_CASE("KServe InferenceService: serving, canary, autoscaling, logger, GPU") {
  auto f = analyze_text("/ws/deploy/isvc.yaml", kInferenceService);
  REQUIRE(find(f, "kserve.inference-service"));
  CHECK(find(f, "kserve.inference-service")->detail == "KServe InferenceService churn");
  CHECK(find(f, "kserve.inference-service")->range.start.line == 1);
  REQUIRE(find(f, "kserve.canary"));
  CHECK(find(f, "kserve.canary")->detail == "InferenceService churn sends 10% of traffic to the canary");
  CHECK(find(f, "kserve.canary")->range.start.line == 6);
  REQUIRE(find(f, "kserve.autoscaling"));
  CHECK(find(f, "kserve.logger"));
  REQUIRE(find(f, "k8s.gpu"));
  CHECK(find(f, "k8s.gpu")->detail == "InferenceService churn requests 1 nvidia.com/gpu");
  CHECK_FALSE(find(f, "kserve.explainer"));
}

TEST_CASE("manifests need apiVersion and kind in the same document, and custom kinds their API group") {
  // A Helm values file and a compose file that say `kind:` are not manifests.
  CHECK(analyze_text("/ws/chart/values.yaml", "kind: InferenceService\ncanaryTrafficPercent: 10\n").signals.empty());
  // The same kind under another API group (a CRD of someone else) is not KServe's.
  CHECK(analyze_text("/ws/x.yaml", "apiVersion: example.com/v1\nkind: InferenceService\nmetadata: {name: a}\n").signals.empty());
  // kustomize's own Kustomization is not Flux's.
  CHECK(analyze_text("/ws/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n").signals.empty());
  // A zero GPU limit requests no GPU; a single replica does not autoscale.
  auto f = analyze_text("/ws/d.yaml",
                        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: a}\n"
                        "spec:\n  predictor:\n    maxReplicas: 1\n    containers:\n      - resources:\n"
                        "          limits:\n            nvidia.com/gpu: 0\n");
  CHECK(find(f, "kserve.inference-service"));
  CHECK_FALSE(find(f, "k8s.gpu"));
  CHECK_FALSE(find(f, "kserve.autoscaling"));
  CHECK_FALSE(find(f, "kserve.canary"));
}

TEST_CASE("documents of a stream are read apart: each kind gets its own keys") {
  auto f = analyze_text("/ws/k8s/serving.yaml",
                        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n"
                        "---\n"
                        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api-hpa\n"
                        "spec:\n  scaleTargetRef:\n    kind: Deployment\n    name: api\n  maxReplicas: 8\n"
                        "---\n"
                        "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: model\n"
                        "spec:\n  http:\n    - route:\n        - destination: {host: model-v1}\n          weight: 90\n"
                        "        - destination: {host: model-v2}\n          weight: 10\n"
                        "      mirror:\n        host: model-v3\n");
  REQUIRE(find(f, "k8s.autoscaler"));
  CHECK(find(f, "k8s.autoscaler")->detail == "HorizontalPodAutoscaler api-hpa scales api up to 8 replicas");
  CHECK(find(f, "k8s.autoscaler")->range.start.line == 6);
  REQUIRE(find(f, "istio.traffic-split"));
  CHECK(find(f, "istio.traffic-split")->detail == "VirtualService model splits traffic by weight (90%)");
  REQUIRE(find(f, "istio.mirror"));
  CHECK(find(f, "istio.mirror")->detail == "VirtualService model mirrors traffic (shadow)");
}

TEST_CASE("rollouts, Seldon, GitOps, Argo Workflows and training operators") {
  auto rollout = analyze_text("/ws/rollout.yaml",
                              "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: model}\nspec:\n"
                              "  strategy:\n    canary:\n      steps:\n        - setWeight: 20\n"
                              "        - analysis:\n            templates: [{templateName: success-rate}]\n");
  CHECK(find(rollout, "rollout.canary"));
  CHECK(find(rollout, "rollout.analysis"));
  CHECK_FALSE(find(rollout, "rollout.blue-green"));
  auto blue_green = analyze_text("/ws/bg.yaml",
                                 "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: m}\nspec:\n"
                                 "  strategy:\n    blueGreen:\n      activeService: m\n");
  CHECK(find(blue_green, "rollout.blue-green"));
  CHECK_FALSE(find(blue_green, "rollout.analysis"));

  auto seldon = analyze_text("/ws/seldon.yaml",
                             "apiVersion: machinelearning.seldon.io/v1\nkind: SeldonDeployment\nmetadata: {name: m}\n"
                             "spec:\n  predictors:\n    - name: a\n      traffic: 75\n    - name: b\n      traffic: 25\n"
                             "    - name: shadow\n      shadow: true\n");
  CHECK(find(seldon, "seldon.deployment"));
  CHECK(find(seldon, "seldon.traffic-split"));
  CHECK(find(seldon, "seldon.shadow"));
  auto one_predictor = analyze_text("/ws/s1.yaml",
                                    "apiVersion: machinelearning.seldon.io/v1\nkind: SeldonDeployment\nmetadata: {name: m}\n"
                                    "spec:\n  predictors:\n    - name: a\n      traffic: 100\n");
  CHECK_FALSE(find(one_predictor, "seldon.traffic-split"));

  CHECK(find(analyze_text("/ws/app.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: m}\n"),
             "gitops.argocd"));
  CHECK(find(analyze_text("/ws/hr.yaml", "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: m}\n"),
             "gitops.flux"));
  auto cron = analyze_text("/ws/cron.yaml",
                           "apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: retrain}\n"
                           "spec:\n  schedule: \"0 2 * * 1\"\n");
  REQUIRE(find(cron, "argo.cron-workflow"));
  CHECK(find(cron, "argo.cron-workflow")->detail == "Argo CronWorkflow retrain runs on schedule '0 2 * * 1'");
  auto kfp_v1 = analyze_text("/ws/wf.yaml",
                             "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: pipe\n  annotations:\n"
                             "    pipelines.kubeflow.org/pipeline_spec: '{}'\n");
  CHECK(find(kfp_v1, "argo.workflow"));
  CHECK(find(kfp_v1, "kubeflow.pipeline"));
  CHECK(find(analyze_text("/ws/job.yaml", "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: t}\n"),
             "k8s.training-job"));
  auto spot = analyze_text("/ws/np.yaml",
                           "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: gpu}\nspec:\n  template:\n"
                           "    spec:\n      requirements:\n        - key: karpenter.sh/capacity-type\n"
                           "          operator: In\n          values: [spot]\n");
  CHECK(find(spot, "k8s.compute-autoscaling"));
  CHECK(find(spot, "k8s.spot"));
  auto on_demand = analyze_text("/ws/np2.yaml",
                                "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: gpu}\nspec:\n  template:\n"
                                "    spec:\n      requirements:\n        - key: karpenter.sh/capacity-type\n"
                                "          operator: In\n          values: [on-demand]\n");
  CHECK_FALSE(find(on_demand, "k8s.spot"));
}

TEST_CASE("Terraform: managed ML resources, spot, autoscaling, GPUs, endpoint rollout settings") {
  auto f = analyze_text("/ws/infra/main.tf", R"(# SageMaker { in a comment } is ignored
resource "aws_sagemaker_endpoint_configuration" "cfg" {
  name = "churn-${var.env}"
  production_variants {
    variant_name           = "a"
    instance_type          = "ml.g5.xlarge"
    initial_variant_weight = 0.9
  }
  production_variants {
    variant_name           = "b"
    instance_type          = "ml.m5.large"
    initial_variant_weight = 0.1
  }
  data_capture_config {
    enable_capture = true
  }
}

resource "aws_sagemaker_endpoint" "main" {
  deployment_config {
    blue_green_update_policy {
      traffic_routing_configuration { type = "CANARY" }
    }
    auto_rollback_configuration {
      alarms { alarm_name = "errors" }
    }
  }
}

resource "aws_appautoscaling_target" "variant" {
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  policy = <<EOT
{ "not": "a block" }
EOT
}

resource "aws_eks_node_group" "gpu" {
  capacity_type  = "SPOT"
  instance_types = ["p4d.24xlarge"]
}

resource "google_container_node_pool" "train" {
  autoscaling {
    min_node_count = 0
    max_node_count = 4
  }
}
)");
  CHECK(f.kind == facts::FileKind::Text);
  CHECK(f.parse_errors.empty());
  REQUIRE(find(f, "terraform.ml-service"));
  CHECK(find(f, "terraform.ml-service")->detail == "resource aws_sagemaker_endpoint_configuration.cfg");
  CHECK(find(f, "terraform.ml-service")->range.start.line == 1);
  CHECK(find(f, "terraform.ml-endpoint"));
  REQUIRE(find(f, "terraform.gpu"));
  CHECK(find(f, "terraform.gpu")->detail == "aws_sagemaker_endpoint_configuration.cfg: instance_type = ml.g5.xlarge");
  CHECK(find(f, "terraform.traffic-split"));
  CHECK(find(f, "terraform.data-capture"));
  CHECK(find(f, "terraform.canary"));
  CHECK(find(f, "terraform.auto-rollback"));
  CHECK(find(f, "terraform.endpoint-autoscaling"));
  REQUIRE(find(f, "terraform.spot"));
  CHECK(find(f, "terraform.spot")->detail == "aws_eks_node_group.gpu: capacity_type = SPOT");
  CHECK(find(f, "terraform.spot")->range.start.line == 37);
  REQUIRE(find(f, "terraform.autoscaling"));
  CHECK(find(f, "terraform.autoscaling")->detail == "google_container_node_pool.train: autoscaling block");
  CHECK_FALSE(find(f, "terraform.shadow-variant"));
}

TEST_CASE("Terraform look-alikes: variables, data sources, CPU types, on-demand capacity say nothing") {
  auto f = analyze_text("/ws/main.tf", R"(variable "preemptible" {
  default = true
}
data "aws_sagemaker_prebuilt_ecr_image" "img" {
  repository_name = "sagemaker-scikit-learn"
}
resource "aws_instance" "web" {
  instance_type = "m5.large"
  tags = {
    Note = "spot = true is only text"
  }
}
resource "google_compute_instance" "vm" {
  machine_type = "n2-standard-4"
  scheduling {
    preemptible = false
    provisioning_model = "STANDARD"
  }
}
resource "aws_s3_bucket" "ml_data" {}
)");
  CHECK(f.parse_errors.empty());
  CHECK(f.signals.empty());
}

TEST_CASE("broken HCL is a parse error at the line, never a crash") {
  auto unclosed = analyze_text("/ws/main.tf", "resource \"aws_sagemaker_model\" \"m\" {\n  name = \"x\"\n");
  REQUIRE(unclosed.parse_errors.size() == 1);
  CHECK(unclosed.parse_errors[0].range.start.line == 0);
  CHECK(unclosed.parse_errors[0].message.find("never closed") != std::string::npos);

  auto extra = analyze_text("/ws/main.tf", "locals {}\n}\n");
  REQUIRE(extra.parse_errors.size() == 1);
  CHECK(extra.parse_errors[0].range.start.line == 1);

  auto string = analyze_text("/ws/main.tf", "locals {\n  a = \"unterminated\n}\n");
  REQUIRE_FALSE(string.parse_errors.empty());
  CHECK(string.parse_errors[0].range.start.line == 1);

  auto heredoc = analyze_text("/ws/main.tf", "locals {\n  a = <<EOT\n  text\n");
  REQUIRE_FALSE(heredoc.parse_errors.empty());
  CHECK(heredoc.parse_errors[0].message.find("heredoc") != std::string::npos);

  auto comment = analyze_text("/ws/main.tf", "/* open\nresource \"a\" \"b\" {}\n");
  REQUIRE(comment.parse_errors.size() == 1);
  CHECK(comment.parse_errors[0].message.find("comment") != std::string::npos);
}

TEST_CASE("HCL scanner: templates with nested strings and braces do not open blocks") {
  struct Count : infra::HclVisitor {
    int blocks = 0;
    std::vector<infra::HclAttribute> attributes;
    void block(const std::vector<infra::HclBlock>&) override { ++blocks; }
    void attribute(const std::vector<infra::HclBlock>&, const infra::HclAttribute& a) override { attributes.push_back(a); }
  } count;
  auto errors = infra::scan_hcl(
      "locals {\n  name = \"${lookup(var.m, \"k}\", \"{\")}-x\"\n  cond = var.a == \"b\"\n  n = 1 // { comment\n}\n", count);
  CHECK(errors.empty());
  CHECK(count.blocks == 1);
  REQUIRE(count.attributes.size() == 3);
  CHECK(count.attributes[0].name == "name");
  CHECK(count.attributes[1].name == "cond");
  CHECK(count.attributes[1].value == "var.a == \"b\"");
  CHECK(count.attributes[2].value == "1");
  CHECK(count.attributes[2].line == 3);
}
