// A block scanner for HCL (Terraform *.tf): no HCL library is packaged for Debian, so this reads
// just the structure the infrastructure reader needs, and nothing more: block headers
// (`resource "aws_sagemaker_endpoint" "main" {`, `autoscaling {`, `tags = {`) with their nesting,
// and single-line attributes (`capacity_type = "SPOT"`) with their raw value. Strings (with
// `${...}`/`%{...}` templates holding nested strings and braces), comments (`#`, `//`, `/* */`)
// and heredocs (`<<EOF`, `<<-EOF`) are skipped so their braces never count. Unbalanced braces,
// unterminated strings, comments and heredocs are errors at the line they start (or stop) on.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit::infra {

struct HclBlock {
  std::vector<std::string> labels;  // header words unquoted: {"resource", "aws_x", "name"}; {"tags", "="} for an object value
  uint32_t line = 0;                // 0-based line of the `{`
};

struct HclAttribute {
  std::string name;
  std::string value;  // the raw text after '=' on its line, trimmed ("\"SPOT\"", "true", "[\"a\"]")
  uint32_t line = 0;
};

struct HclError {
  std::string message;
  uint32_t line = 0;
};

// Receives the structure in text order; `path` is the enclosing blocks, outermost first.
class HclVisitor {
 public:
  virtual ~HclVisitor() = default;
  virtual void block(const std::vector<HclBlock>& path) = 0;  // path.back() just opened
  virtual void attribute(const std::vector<HclBlock>& path, const HclAttribute& attribute) = 0;
};

// Scans `text`; returns the errors (empty for a well-formed file). Never throws.
std::vector<HclError> scan_hcl(std::string_view text, HclVisitor& visitor);

// `"SPOT"` -> `SPOT`; other values unchanged.
std::string hcl_unquote(std::string_view value);

}  // namespace mlaudit::infra
