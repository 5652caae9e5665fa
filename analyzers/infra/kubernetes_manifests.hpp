// Kubernetes manifests and the custom resources of ML serving, rollout, GitOps and training
// operators, read from the keys of any YAML file (out.config; the documents of a stream are told
// apart by their `---` lines). A document counts only when it has both `apiVersion` and `kind`,
// and custom kinds only under their own API group, so a Helm values.yaml or a compose file that
// happens to say `kind:` is not a manifest. Signals (detail names the kind and metadata.name):
//   k8s.autoscaler        HorizontalPodAutoscaler (autoscaling/*), KEDA ScaledObject (keda.sh)
//   k8s.gpu               a container limit/request of nvidia.com/gpu, amd.com/gpu or google.com/tpu above 0
//   k8s.spot              a node selector / Karpenter requirement for spot or preemptible nodes
//   k8s.compute-autoscaling  Karpenter NodePool/Provisioner, RayCluster with enableInTreeAutoscaling
//   k8s.training-job      Kubeflow PyTorchJob/TFJob/MPIJob/XGBoostJob/PaddleJob/JAXJob/TrainJob, RayJob
//   katib.experiment      Katib Experiment (hyperparameter search)
//   kserve.inference-service  KServe InferenceService (serving.kserve.io)
//   kserve.canary         canaryTrafficPercent on an InferenceService
//   kserve.autoscaling    an InferenceService with maxReplicas above minReplicas
//   kserve.logger         an InferenceService component with a `logger:` (prediction logging)
//   kserve.explainer      an InferenceService with an `explainer:`
//   seldon.deployment     SeldonDeployment (machinelearning.seldon.io)
//   seldon.traffic-split  two or more Seldon predictors with traffic > 0; Seldon v2 Experiment
//   seldon.shadow         a Seldon predictor with shadow: true; a Seldon v2 Experiment with a mirror
//   rollout.canary        Argo Rollouts Rollout with a canary strategy; Flagger Canary
//   rollout.blue-green    Argo Rollouts Rollout with a blueGreen strategy
//   rollout.analysis      a Rollout step or strategy that runs an analysis (automatic abort)
//   istio.mirror          Istio VirtualService that mirrors traffic (shadow)
//   istio.traffic-split   Istio VirtualService with weighted routes (weights between 0 and 100)
//   gitops.argocd         Argo CD Application / ApplicationSet (argoproj.io)
//   gitops.flux           a Flux resource (*.toolkit.fluxcd.io: Kustomization, HelmRelease, GitRepository...)
//   argo.workflow         Argo Workflow / WorkflowTemplate / ClusterWorkflowTemplate (argoproj.io)
//   argo.cron-workflow    Argo CronWorkflow, detail with its schedule
//   kubeflow.pipeline     an Argo Workflow compiled by Kubeflow Pipelines v1 (pipelines.kubeflow.org annotations)
#pragma once
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::infra {

bool reads_kubernetes_manifest(std::string_view path);
void read_kubernetes_manifest(std::string_view path, std::string_view text, facts::FileFacts& out);

}  // namespace mlaudit::infra
