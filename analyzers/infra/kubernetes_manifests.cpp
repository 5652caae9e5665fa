#include "analyzers/infra/kubernetes_manifests.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "analyzers/signal_lines.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::infra {
namespace {

using manifests::SourceLines;
using signal_lines::ends_with;
using signal_lines::starts_with;

struct Document {
  std::vector<const facts::ConfigKey*> keys;
  std::string api, kind, name;
  uint32_t kind_line = 0;

  const facts::ConfigKey* find(std::string_view key) const {
    for (const auto* k : keys)
      if (k->key == key) return k;
    return nullptr;
  }
  const facts::ConfigKey* with_prefix(std::string_view prefix) const {
    for (const auto* k : keys)
      if (starts_with(k->key, prefix)) return k;
    return nullptr;
  }
  bool group(std::string_view api_group) const {  // "argoproj.io" matches "argoproj.io/v1alpha1"
    return starts_with(api, api_group) && api.size() > api_group.size() && api[api_group.size()] == '/';
  }
  std::string label() const { return kind + (name.empty() ? "" : " " + name); }
};

// The first line of each document: 0 and every line after a `---` separator.
std::vector<uint32_t> document_starts(std::string_view text) {
  std::vector<uint32_t> starts{0};
  uint32_t line = 0;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    std::string_view content = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (starts_with(content, "---") && (content.size() == 3 || content[3] == ' ' || content[3] == '\t' || content[3] == '\r'))
      starts.push_back(line + 1);
    if (end == std::string_view::npos) break;
    at = end + 1;
    ++line;
  }
  return starts;
}

std::vector<Document> documents_of(std::string_view text, const std::vector<facts::ConfigKey>& keys) {
  auto starts = document_starts(text);
  std::vector<Document> docs(starts.size());
  for (const auto& k : keys) {
    size_t index = std::upper_bound(starts.begin(), starts.end(), k.line) - starts.begin() - 1;
    Document& doc = docs[index];
    doc.keys.push_back(&k);
    if (k.key == "apiVersion") doc.api = k.value;
    else if (k.key == "kind") doc.kind = k.value, doc.kind_line = k.line;
    else if (k.key == "metadata.name") doc.name = k.value;
  }
  std::erase_if(docs, [](const Document& d) { return d.api.empty() || d.kind.empty(); });
  return docs;
}

double number(const facts::ConfigKey* k) { return k ? std::strtod(k->value.c_str(), nullptr) : 0; }

class Reader {
 public:
  Reader(const SourceLines& lines, facts::FileFacts& out) : lines_(lines), out_(out) {}

  void read(const Document& d) {
    autoscaling(d);
    accelerators(d);
    spot_nodes(d);
    serving(d);
    rollouts(d);
    gitops_and_workflows(d);
    training(d);
  }

 private:
  void add(const char* id, std::string detail, uint32_t line) { signal_lines::add(out_, lines_, id, std::move(detail), line); }

  void autoscaling(const Document& d) {
    if (d.kind == "HorizontalPodAutoscaler" && d.group("autoscaling")) {
      const auto* target = d.find("spec.scaleTargetRef.name");
      const auto* max = d.find("spec.maxReplicas");
      add("k8s.autoscaler",
          d.label() + (target ? " scales " + target->value : std::string()) + (max ? " up to " + max->value + " replicas" : ""),
          d.kind_line);
    } else if (d.kind == "ScaledObject" && d.group("keda.sh")) {
      add("k8s.autoscaler", "KEDA " + d.label(), d.kind_line);
    } else if ((d.kind == "NodePool" || d.kind == "Provisioner") && d.group("karpenter.sh")) {
      add("k8s.compute-autoscaling", "Karpenter " + d.label(), d.kind_line);
    } else if (d.kind == "RayCluster" && d.group("ray.io")) {
      const auto* on = d.find("spec.enableInTreeAutoscaling");
      if (on && on->value == "true") add("k8s.compute-autoscaling", d.label() + " autoscales its workers", on->line);
    }
  }

  void accelerators(const Document& d) {
    static const char* kDevices[] = {"nvidia.com/gpu", "amd.com/gpu", "google.com/tpu"};
    for (const auto* k : d.keys) {
      for (const char* device : kDevices) {
        std::string limit = std::string(".limits.") + device, request = std::string(".requests.") + device;
        if ((ends_with(k->key, limit) || ends_with(k->key, request)) && number(k) > 0) {
          add("k8s.gpu", d.label() + " requests " + k->value + " " + device, k->line);
          return;
        }
      }
    }
  }

  void spot_nodes(const Document& d) {
    bool karpenter_capacity = false;
    for (const auto* k : d.keys) {
      std::string_view key = k->key, value = k->value;
      bool spot = (ends_with(key, "cloud.google.com/gke-spot") || ends_with(key, "cloud.google.com/gke-preemptible")) &&
                  value == "true";
      spot = spot || (ends_with(key, "eks.amazonaws.com/capacityType") && value == "SPOT");
      spot = spot || (ends_with(key, "karpenter.sh/capacity-type") && value == "spot");
      spot = spot || (ends_with(key, "kubernetes.azure.com/scalesetpriority") && value == "spot");
      if (value == "karpenter.sh/capacity-type" || value == "kubernetes.azure.com/scalesetpriority") karpenter_capacity = true;
      spot = spot || (karpenter_capacity && ends_with(key, ".values[]") && value == "spot");
      if (spot) {
        add("k8s.spot", d.label() + " runs on spot/preemptible nodes", k->line);
        return;
      }
    }
  }

  void serving(const Document& d) {
    if (d.kind == "InferenceService" && (d.group("serving.kserve.io") || d.group("serving.kubeflow.org"))) {
      add("kserve.inference-service", "KServe " + d.label(), d.kind_line);
      const auto* canary = d.find("spec.predictor.canaryTrafficPercent");
      if (!canary) canary = d.find("spec.canaryTrafficPercent");
      if (canary) add("kserve.canary", d.label() + " sends " + canary->value + "% of traffic to the canary", canary->line);
      const auto* min = d.find("spec.predictor.minReplicas");
      const auto* max = d.find("spec.predictor.maxReplicas");
      if (max && number(max) > std::max(1.0, number(min)))
        add("kserve.autoscaling", d.label() + " scales " + (min ? min->value : std::string("1")) + "–" + max->value + " replicas",
            max->line);
      for (const auto* k : d.keys)
        if (k->key.find(".logger.mode") != std::string::npos || ends_with(k->key, ".logger")) {
          add("kserve.logger", d.label() + " logs requests/responses", k->line);
          break;
        }
      if (const auto* explainer = d.with_prefix("spec.explainer")) add("kserve.explainer", d.label() + " has an explainer", explainer->line);
    } else if (d.kind == "SeldonDeployment" && d.group("machinelearning.seldon.io")) {
      add("seldon.deployment", "Seldon " + d.label(), d.kind_line);
      int weighted = 0;
      for (const auto* k : d.keys) {
        if (k->key == "spec.predictors[].traffic" && number(k) > 0 && ++weighted == 2)
          add("seldon.traffic-split", d.label() + " splits traffic between predictors", k->line);
        if (k->key == "spec.predictors[].shadow" && k->value == "true")
          add("seldon.shadow", d.label() + " has a shadow predictor", k->line);
      }
    } else if (d.kind == "Experiment" && d.group("mlops.seldon.io")) {
      add("seldon.traffic-split", "Seldon " + d.label() + " splits traffic between candidates", d.kind_line);
      if (const auto* mirror = d.with_prefix("spec.mirror")) add("seldon.shadow", "Seldon " + d.label() + " mirrors traffic", mirror->line);
    } else if (d.kind == "VirtualService" && d.group("networking.istio.io")) {
      if (const auto* mirror = d.with_prefix("spec.http[].mirror"))
        add("istio.mirror", d.label() + " mirrors traffic (shadow)", mirror->line);
      for (const auto* k : d.keys)
        if (k->key == "spec.http[].route[].weight" && number(k) > 0 && number(k) < 100) {
          add("istio.traffic-split", d.label() + " splits traffic by weight (" + k->value + "%)", k->line);
          break;
        }
    }
  }

  void rollouts(const Document& d) {
    if (d.kind == "Canary" && d.group("flagger.app")) add("rollout.canary", "Flagger " + d.label(), d.kind_line);
    if (d.kind != "Rollout" || !d.group("argoproj.io")) return;
    if (const auto* canary = d.with_prefix("spec.strategy.canary")) add("rollout.canary", "Argo " + d.label() + " (canary)", canary->line);
    if (const auto* bg = d.with_prefix("spec.strategy.blueGreen")) add("rollout.blue-green", "Argo " + d.label() + " (blue-green)", bg->line);
    for (const auto* k : d.keys)
      if (starts_with(k->key, "spec.strategy.") &&
          (k->key.find(".analysis") != std::string::npos || k->key.find("PromotionAnalysis") != std::string::npos)) {
        add("rollout.analysis", "Argo " + d.label() + " runs an analysis before promoting", k->line);
        break;
      }
  }

  void gitops_and_workflows(const Document& d) {
    if ((d.kind == "Application" || d.kind == "ApplicationSet") && d.group("argoproj.io"))
      add("gitops.argocd", "Argo CD " + d.label(), d.kind_line);
    if (d.api.find(".toolkit.fluxcd.io/") != std::string::npos) add("gitops.flux", "Flux " + d.label(), d.kind_line);
    if (!d.group("argoproj.io")) return;
    if (d.kind == "Workflow" || d.kind == "WorkflowTemplate" || d.kind == "ClusterWorkflowTemplate") {
      if (const auto* kfp = d.with_prefix("metadata.annotations.pipelines.kubeflow.org/"))
        add("kubeflow.pipeline", "Kubeflow pipeline " + d.name + " (compiled Argo " + d.kind + ")", kfp->line);
      add("argo.workflow", "Argo " + d.label(), d.kind_line);
    } else if (d.kind == "CronWorkflow") {
      const auto* schedule = d.find("spec.schedule");
      if (!schedule) schedule = d.with_prefix("spec.schedules[]");
      add("argo.cron-workflow", "Argo " + d.label() + (schedule ? " runs on schedule '" + schedule->value + "'" : ""), d.kind_line);
    }
  }

  void training(const Document& d) {
    static const char* kJobs[] = {"PyTorchJob", "TFJob", "MPIJob", "XGBoostJob", "PaddleJob", "JAXJob"};
    bool job = d.group("kubeflow.org") && std::find_if(std::begin(kJobs), std::end(kJobs), [&](const char* j) { return d.kind == j; }) != std::end(kJobs);
    job = job || (d.kind == "TrainJob" && d.group("trainer.kubeflow.org")) || (d.kind == "RayJob" && d.group("ray.io"));
    if (job) add("k8s.training-job", d.label(), d.kind_line);
    if (d.kind == "Experiment" && d.group("kubeflow.org")) add("katib.experiment", "Katib " + d.label(), d.kind_line);
  }

  const SourceLines& lines_;
  facts::FileFacts& out_;
};

}  // namespace

bool reads_kubernetes_manifest(std::string_view path) { return signal_lines::is_yaml_name(path_file_name(path)); }

void read_kubernetes_manifest(std::string_view, std::string_view text, facts::FileFacts& out) {
  if (!signal_lines::find_key(out.config, "kind")) return;  // the cheap test first: most YAML is no manifest
  SourceLines lines(text);
  Reader reader(lines, out);
  for (const auto& doc : documents_of(text, out.config)) reader.read(doc);
}

}  // namespace mlaudit::infra
