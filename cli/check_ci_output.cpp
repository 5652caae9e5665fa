#include "cli/check_ci_output.hpp"

#include <map>
#include <vector>

#include "cli/format_github.hpp"
#include "cli/format_sarif.hpp"

namespace mlaudit::cli {

namespace {

// Line `line` (1-based) of the file, read once per file.
class LineReader {
 public:
  LineReader(std::string root, uint64_t max_bytes) : root_(std::move(root)), max_bytes_(max_bytes) {}

  std::string line(const std::string& path, uint32_t line) {
    auto it = lines_.find(path);
    if (it == lines_.end()) {
      std::vector<std::string> split;
      if (auto text = read_text(root_ + "/" + path, max_bytes_)) {
        size_t start = 0;
        while (start <= text->size()) {
          size_t end = text->find('\n', start);
          if (end == std::string::npos) end = text->size();
          split.push_back(text->substr(start, end - start));
          start = end + 1;
        }
      }
      it = lines_.emplace(path, std::move(split)).first;
    }
    return line >= 1 && line <= it->second.size() ? it->second[line - 1] : "";
  }

 private:
  std::string root_;
  uint64_t max_bytes_;
  std::map<std::string, std::vector<std::string>> lines_;
};

}  // namespace

std::string render_check_for_ci(const std::string& format, const Loaded& loaded, const rubric::WorkspaceCheck& result,
                                const LoadOptions& options) {
  OutputBase base = output_base(loaded.snapshot.root);
  if (format == "github") return render_github(result.findings, base);

  LineReader reader(loaded.snapshot.root, options.max_file_bytes);
  SarifInput input;
  input.rubric = loaded.rubric.get();
  input.findings = &result.findings;
  input.base = base;
  input.line_text = [&](const std::string& path, uint32_t line) { return reader.line(path, line); };
  input.skipped = result.coverage.skipped;
  if (!result.conclusions->relevance.relevant) input.not_relevant = result.conclusions->relevance.reason;
  input.version = MLAUDIT_VERSION;
  return render_sarif(input).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace mlaudit::cli
