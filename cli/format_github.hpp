// `mlaudit check --format github`: GitHub Actions workflow commands, one annotation per finding:
//   ::error file=src/train.py,line=10,col=5,endLine=10,endColumn=30,title=mlaudit hardcoded-secret (security.secrets)::message
// Critical/High are `error`, Medium `warning`, Low/Info `notice`. Paths are relative to the job's
// working directory when PATH lies inside it (cli/output_paths.hpp).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "cli/output_paths.hpp"
#include "rubric/audit.hpp"

namespace mlaudit::cli {

// Escaping of the runner (actions/toolkit, command.ts): the message escapes % \r \n;
// a property value escapes those and also : and , (which separate properties).
std::string escape_github_data(std::string_view text);
std::string escape_github_property(std::string_view text);

const char* github_command(rubric::Severity severity);

// One line per finding, each ending in '\n'.
std::string render_github(const std::vector<rubric::LocatedFinding>& findings, const OutputBase& base);

}  // namespace mlaudit::cli
