#include "cli/installed_docs.hpp"

#include <cstdlib>
#include <filesystem>

#include "cli/output_paths.hpp"

namespace mlaudit::cli {

namespace fs = std::filesystem;

std::string installed_remediation_dir(const std::string& executable) {
  std::error_code ec;
  fs::path bin = fs::path(executable).parent_path();
  if (bin.filename() != "bin") return "";
  fs::path guides = bin.parent_path() / "share" / "mlaudit" / "rubric" / "remediation";
  return fs::is_directory(guides, ec) ? guides.string() : "";
}

void use_installed_remediation_links() {
  if (const char* set = std::getenv("MLAUDIT_DOCS_BASE"); set && *set) return;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return;
  std::string guides = installed_remediation_dir(self.string());
  if (!guides.empty()) setenv("MLAUDIT_DOCS_BASE", file_uri(guides, true).c_str(), 0);
}

}  // namespace mlaudit::cli
