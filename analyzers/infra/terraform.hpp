// Terraform (*.tf): the resources and settings that decide ML infrastructure items, read with
// the HCL block scanner (hcl_blocks.hpp). Details name the resource as `type.name`.
// Signals:
//   terraform.ml-service     a resource of a managed ML service: aws_sagemaker_*, google_vertex_ai_*,
//                            azurerm_machine_learning_*, databricks_job/cluster/model_serving/mlflow_*
//   terraform.ml-compute     managed training compute: azurerm_machine_learning_compute_cluster,
//                            databricks_cluster, aws_sagemaker_cluster (HyperPod)
//   terraform.notebook       managed notebooks: aws_sagemaker_notebook_instance, aws_sagemaker_domain,
//                            azurerm_machine_learning_compute_instance, google_workbench_instance, google_notebooks_instance
//   terraform.ml-endpoint    managed model serving: aws_sagemaker_endpoint, google_vertex_ai_endpoint,
//                            azurerm_machine_learning_inference_cluster, databricks_model_serving
//   terraform.spot           spot/preemptible capacity: preemptible = true, spot = true, provisioning_model = "SPOT",
//                            capacity_type = "SPOT", priority = "Spot", vm_priority = "LowPriority", spot_price,
//                            market_type = "spot", aws_spot_instance_request / aws_spot_fleet_request
//   terraform.autoscaling    compute autoscaling: aws_autoscaling_group, google_compute_(region_)autoscaler,
//                            azurerm_monitor_autoscale_setting, aws_appautoscaling_target (not SageMaker),
//                            an `autoscaling`/`cluster_autoscaling`/`scale_settings` block, (enable_)auto_scaling(_enabled) = true
//   terraform.endpoint-autoscaling  aws_appautoscaling_target on sagemaker:variant:DesiredInstanceCount
//   terraform.gpu            GPU machine types (ml.p*/ml.g*, EC2 p*/g*, GCP a2-/a3-/g2-, Azure Standard_NC/ND/NV),
//                            a guest_accelerator block, an accelerator_type naming NVIDIA or TPU
//   terraform.shadow-variant an endpoint configuration with shadow_production_variants
//   terraform.traffic-split  an endpoint configuration with two or more weighted production_variants
//   terraform.canary         a SageMaker deployment_config routing traffic CANARY or LINEAR
//   terraform.auto-rollback  a SageMaker deployment_config with auto_rollback_configuration
//   terraform.data-capture   data_capture_config with enable_capture = true (prediction logging)
// Unbalanced braces, unterminated strings/comments/heredocs are ParseErrors at their line.
#pragma once
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::infra {

bool reads_terraform(std::string_view path);
void read_terraform(std::string_view path, std::string_view text, facts::FileFacts& out);

}  // namespace mlaudit::infra
