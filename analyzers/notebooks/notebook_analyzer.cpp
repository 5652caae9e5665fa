#include "analyzers/notebooks/notebook_analyzer.hpp"

#include "analyzers/notebooks/ipython_syntax.hpp"
#include "analyzers/python/python_facts.hpp"
#include "analyzers/python/python_parser.hpp"

namespace mlaudit::notebooks {
namespace {

// Output lines are kept only when they hold a token long enough to be a credential (every
// key format the rules know is at least 20 such characters), and only so many bytes of them:
// outputs are data, and a closed notebook's facts stay small.
constexpr size_t kMinTokenRun = 16;
constexpr size_t kMaxOutputBytesKept = 256 * 1024;

bool has_long_token(std::string_view line) {
  size_t run = 0;
  for (char c : line) {
    bool token = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    run = token ? run + 1 : 0;
    if (run >= kMinTokenRun) return true;
  }
  return false;
}

bool is_python_cell(const Cell& cell, const Notebook& notebook) {
  if (cell.type != "code") return false;
  const std::string& language = cell.language.empty() ? notebook.language : cell.language;
  return language.empty() || language == "python";
}

// Byte offsets where the lines of `text` start (a final '\n' starts no line).
std::vector<size_t> line_starts(std::string_view text) {
  std::vector<size_t> starts;
  if (text.empty()) return starts;
  starts.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' && i + 1 < text.size()) starts.push_back(i + 1);
  return starts;
}

}  // namespace

void analyze_notebook(const Notebook& notebook, std::string_view json, facts::FileFacts& out) {
  facts::NotebookFacts nb;
  nb.cells = static_cast<uint32_t>(notebook.cells.size());
  std::vector<uint32_t> last_line(notebook.cells.size(), 0);
  for (size_t c = 0; c < notebook.cells.size(); ++c) {
    const Cell& cell = notebook.cells[c];
    std::vector<size_t> starts = line_starts(cell.source.text);
    if (!starts.empty()) last_line[c] = static_cast<uint32_t>(starts.size() - 1);
    if (cell.type == "code") ++nb.code_cells;
    if (cell.has_outputs) ++nb.cells_with_outputs;
    if (!is_python_cell(cell, notebook)) continue;
    std::string python = ipython_to_python(cell.source.text);
    for (uint32_t k = 0; k < starts.size(); ++k) {
      uint32_t json_offset = json.empty() ? 0 : cell.source.json_offset_of(json, starts[k]);
      nb.lines.push_back({cell.index, k, json_offset, false});
    }
    nb.code += python;
    if (!python.empty() && python.back() != '\n') nb.code += '\n';
    // A blank line between cells: a suppression comment on a cell's last line must not reach
    // the first line of the next cell ("the line above"). It maps one past the cell's end.
    nb.code += '\n';
    nb.lines.push_back({cell.index, static_cast<uint32_t>(starts.size()), 0, false});
  }
  python::TreePtr tree = python::parse(nb.code);
  out.python = python::extract_facts(tree.get(), nb.code, &out.suppressions);

  size_t kept = 0;
  uint32_t first_output_line = static_cast<uint32_t>(nb.lines.size());
  for (size_t c = 0; c < notebook.cells.size(); ++c) {
    const Cell& cell = notebook.cells[c];
    for (const JoinedText& output : cell.outputs) {
      for (size_t start : line_starts(output.text)) {
        size_t end = output.text.find('\n', start);
        std::string_view line = std::string_view(output.text).substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!has_long_token(line) || kept + line.size() > kMaxOutputBytesKept) continue;
        kept += line.size();
        uint32_t virtual_line = first_output_line + static_cast<uint32_t>(nb.outputs.size());
        facts::StringLiteral literal;
        literal.value = std::string(line);
        literal.context = literal.value;
        uint32_t at = static_cast<uint32_t>(nb.code.size() + nb.outputs.size());
        literal.range = {at, at, {virtual_line, 0}, {virtual_line, static_cast<uint32_t>(line.size())}};
        nb.outputs.push_back(std::move(literal));
        nb.lines.push_back({cell.index, last_line[c], json.empty() ? 0 : output.json_offset_of(json, start), true});
      }
    }
  }
  out.notebook = std::move(nb);
}

void analyze_notebook_json(std::string_view json, facts::FileFacts& out) {
  Notebook notebook = read_notebook(json);
  if (!notebook.error.empty()) {
    out.skipped.reason = notebook.error;
    return;
  }
  analyze_notebook(notebook, json, out);
}

}  // namespace mlaudit::notebooks
