#include "cli/format_github.hpp"

#include "cli/finding_cell.hpp"

namespace mlaudit::cli {

std::string escape_github_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string escape_github_property(std::string_view text) {
  std::string out;
  for (char c : escape_github_data(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* github_command(rubric::Severity severity) {
  switch (severity) {
    case rubric::Severity::Critical:
    case rubric::Severity::High: return "error";
    case rubric::Severity::Medium: return "warning";
    case rubric::Severity::Low:
    case rubric::Severity::Info: return "notice";
  }
  return "notice";
}

std::string render_github(const std::vector<rubric::LocatedFinding>& findings, const OutputBase& base) {
  std::string out;
  for (const auto& located : findings) {
    const rubric::Finding& f = located.finding;
    std::string title = "mlaudit " + f.rule + " (" + f.checklist_id + ")";
    std::string message = f.message;
    // A notebook's lines count within a cell; GitHub cannot point into one, so the
    // annotation names the cell and stays on the file.
    auto cell = finding_cell(located);
    if (cell) message = "cell " + std::to_string(*cell) + ", line " + std::to_string(located.line) + ": " + message;
    out += "::";
    out += github_command(f.severity);
    out += " file=" + escape_github_property(base.prefix + located.path);
    if (!cell) {
      out += ",line=" + std::to_string(located.line) + ",col=" + std::to_string(located.column);
      if (located.end_line >= located.line) {
        out += ",endLine=" + std::to_string(located.end_line);
        if (located.end_column > 0) out += ",endColumn=" + std::to_string(located.end_column);
      }
    }
    out += ",title=" + escape_github_property(title);
    out += "::" + escape_github_data(message) + "\n";
  }
  return out;
}

}  // namespace mlaudit::cli
