#include "analyzers/infra/terraform.hpp"

#include <re2/re2.h>

#include <map>
#include <set>
#include <string>

#include "analyzers/infra/hcl_blocks.hpp"
#include "analyzers/signal_lines.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::infra {
namespace {

using manifests::SourceLines;
using signal_lines::starts_with;

bool one_of(std::string_view s, std::initializer_list<std::string_view> options) {
  for (auto o : options)
    if (s == o) return true;
  return false;
}

bool ml_service_type(std::string_view type) {
  return starts_with(type, "aws_sagemaker_") || starts_with(type, "google_vertex_ai_") ||
         starts_with(type, "azurerm_machine_learning_") || starts_with(type, "databricks_mlflow_") ||
         one_of(type, {"databricks_job", "databricks_cluster", "databricks_model_serving"});
}

class TerraformSignals : public HclVisitor {
 public:
  TerraformSignals(const SourceLines& lines, facts::FileFacts& out) : lines_(lines), out_(out) {}

  void block(const std::vector<HclBlock>& path) override {
    const HclBlock& b = path.back();
    if (b.labels.empty()) return;
    if (path.size() == 1 && b.labels[0] == "resource" && b.labels.size() >= 3) return resource(b);
    const std::string& name = b.labels[0];
    std::string owner = resource_of(path);
    if (owner.empty()) return;
    if (one_of(name, {"autoscaling", "cluster_autoscaling", "scale_settings"}))
      once("terraform.autoscaling", owner + ": " + name + " block", b.line);
    else if (name == "guest_accelerator") once("terraform.gpu", owner + ": guest_accelerator", b.line);
    else if (name == "shadow_production_variants") once("terraform.shadow-variant", owner + ": shadow_production_variants", b.line);
    else if (name == "auto_rollback_configuration") once("terraform.auto-rollback", owner + ": auto_rollback_configuration", b.line);
    else if (name == "production_variants" && ++variants_[owner] == 2)
      once("terraform.traffic-split", owner + ": two or more production_variants", b.line);
  }

  void attribute(const std::vector<HclBlock>& path, const HclAttribute& a) override {
    std::string owner = resource_of(path);
    if (owner.empty()) return;
    std::string value = hcl_unquote(a.value);
    std::string said = owner + ": " + a.name + " = " + value.substr(0, 60);
    bool spot = (one_of(a.name, {"preemptible", "spot", "use_spot_instances"}) && value == "true") ||
                (one_of(a.name, {"provisioning_model", "capacity_type", "scheduling_strategy"}) && value == "SPOT") ||
                (a.name == "priority" && value == "Spot") || (a.name == "vm_priority" && value == "LowPriority") ||
                (a.name == "market_type" && value == "spot") || a.name == "spot_price";
    if (spot) once("terraform.spot", said, a.line);
    if (one_of(a.name, {"enable_auto_scaling", "auto_scaling_enabled"}) && value == "true")
      once("terraform.autoscaling", said, a.line);
    if (a.name == "scalable_dimension" && value == "sagemaker:variant:DesiredInstanceCount")
      once("terraform.endpoint-autoscaling", owner + " scales a SageMaker endpoint variant", a.line);
    else if (a.name == "scalable_dimension" && starts_with(owner, "aws_appautoscaling_target."))
      once("terraform.autoscaling", said, a.line);
    if (one_of(a.name, {"instance_type", "instance_types", "machine_type", "vm_size", "node_vm_size", "accelerator_type"}) &&
        gpu_value(value))
      once("terraform.gpu", said, a.line);
    if (a.name == "type" && (value == "CANARY" || value == "LINEAR") && inside(path, "traffic_routing_configuration"))
      once("terraform.canary", owner + ": traffic routing " + value, a.line);
    if (a.name == "enable_capture" && value == "true" && inside(path, "data_capture_config"))
      once("terraform.data-capture", owner + ": data_capture_config enabled", a.line);
  }

 private:
  void resource(const HclBlock& b) {
    const std::string& type = b.labels[1];
    std::string label = type + "." + b.labels[2];
    if (ml_service_type(type)) once("terraform.ml-service", "resource " + label, b.line);
    if (one_of(type, {"azurerm_machine_learning_compute_cluster", "databricks_cluster", "aws_sagemaker_cluster"}))
      once("terraform.ml-compute", "resource " + label, b.line);
    if (one_of(type, {"aws_sagemaker_notebook_instance", "aws_sagemaker_domain", "azurerm_machine_learning_compute_instance",
                      "google_workbench_instance", "google_notebooks_instance"}))
      once("terraform.notebook", "resource " + label, b.line);
    if (one_of(type, {"aws_sagemaker_endpoint", "google_vertex_ai_endpoint", "azurerm_machine_learning_inference_cluster",
                      "databricks_model_serving"}))
      once("terraform.ml-endpoint", "resource " + label, b.line);
    if (one_of(type, {"aws_spot_instance_request", "aws_spot_fleet_request"})) once("terraform.spot", "resource " + label, b.line);
    if (one_of(type, {"aws_autoscaling_group", "google_compute_autoscaler", "google_compute_region_autoscaler",
                      "azurerm_monitor_autoscale_setting"}))
      once("terraform.autoscaling", "resource " + label, b.line);
  }

  static bool gpu_value(const std::string& value) {
    static const RE2 kGpu(
        R"re((^|["\s\[,])(ml\.(p[2-5]|g[4-6])[a-z0-9]*\.|(p[2-5]|g[3-6])[a-z0-9]*\.[0-9]*x?large|(a2|a3|g2)-(highgpu|megagpu|ultragpu|standard)|Standard_N[CDV]|NVIDIA_|TPU_))re");
    return RE2::PartialMatch(value, kGpu);
  }

  static bool inside(const std::vector<HclBlock>& path, std::string_view name) {
    for (const auto& b : path)
      if (!b.labels.empty() && b.labels[0] == name) return true;
    return false;
  }

  // `type.name` of the resource around this point; "" outside resources (variables, locals, data).
  static std::string resource_of(const std::vector<HclBlock>& path) {
    if (path.empty() || path[0].labels.size() < 3 || path[0].labels[0] != "resource") return "";
    return path[0].labels[1] + "." + path[0].labels[2];
  }

  // One signal per id and file: the first is the evidence; more add nothing to the audit.
  void once(const char* id, std::string detail, uint32_t line) {
    if (emitted_.insert(id).second) signal_lines::add(out_, lines_, id, std::move(detail), line);
  }

  const SourceLines& lines_;
  facts::FileFacts& out_;
  std::set<std::string> emitted_;
  std::map<std::string, int> variants_;
};

}  // namespace

bool reads_terraform(std::string_view path) { return signal_lines::ends_with(path_file_name(path), ".tf"); }

void read_terraform(std::string_view, std::string_view text, facts::FileFacts& out) {
  SourceLines lines(text);
  TerraformSignals signals(lines, out);
  for (auto& error : scan_hcl(text, signals)) out.parse_errors.push_back(manifests::error_at_line(lines, error.line, error.message));
}

}  // namespace mlaudit::infra
