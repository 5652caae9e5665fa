// Remediation links of an installed mlaudit. The rubric's default link base is the source tree
// it was built from (file://<source>/rubric/remediation/), which does not exist on a machine the
// package was installed on. When the binary sits in <prefix>/bin and the guides were installed
// beside it (<prefix>/share/mlaudit/rubric/remediation, cmake/packaging.cmake), links point
// there instead. MLAUDIT_DOCS_BASE, when set, still wins.
#pragma once
#include <string>

namespace mlaudit::cli {

// The installed guides' folder for an executable at `executable` ("" when not installed so).
std::string installed_remediation_dir(const std::string& executable);

// Sets MLAUDIT_DOCS_BASE to the installed guides (file:// URI) when it is unset and they exist.
void use_installed_remediation_links();

}  // namespace mlaudit::cli
