// Helpers shared by the unit tests (a header: tests/CMakeLists.txt compiles tests/unit/*.cpp only).
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "rubric/engine.hpp"
#include "rubric/rubric.hpp"
#include "rubric/workspace_model.hpp"

namespace mlaudit::test {

// The embedded rubric, loaded once.
inline std::shared_ptr<const rubric::Rubric> the_rubric() {
  static const auto rubric = rubric::load_rubric();
  return rubric;
}

// A workspace of in-memory files under a fake absolute root, checked like `mlaudit check` does:
// every file analysed, the model updated with all of them, then each file's findings.
struct MemoryWorkspace {
  std::string root = "/ws";
  std::map<std::string, facts::FileFacts> files;  // relative path -> facts
  std::unique_ptr<rubric::WorkspaceModel> model;
  std::map<std::string, std::vector<rubric::Finding>> findings;  // relative path -> findings

  std::string absolute(const std::string& relative) const { return root + "/" + relative; }

  // Findings of one file (relative path); empty when none.
  const std::vector<rubric::Finding>& of(const std::string& relative) const {
    static const std::vector<rubric::Finding> none;
    auto it = findings.find(relative);
    return it == findings.end() ? none : it->second;
  }
  // Findings of one rule in one file.
  std::vector<rubric::Finding> of(const std::string& relative, const std::string& rule) const {
    std::vector<rubric::Finding> out;
    for (const auto& f : of(relative))
      if (f.rule == rule) out.push_back(f);
    return out;
  }
  size_t count(const std::string& rule) const {
    size_t n = 0;
    for (const auto& [path, list] : findings)
      for (const auto& f : list) n += f.rule == rule;
    return n;
  }
  const rubric::Conclusions& conclusions() const { return *model->conclusions(); }
};

// `files` maps relative paths to their text; `present` lists files that exist but are not
// analysed (lock files).
inline MemoryWorkspace build_workspace(const std::map<std::string, std::string>& files,
                                       const std::vector<std::string>& present = {}) {
  MemoryWorkspace ws;
  ws.model = std::make_unique<rubric::WorkspaceModel>(the_rubric(), std::vector<std::string>{ws.root});
  for (const auto& p : present) ws.model->add_present(ws.absolute(p));
  for (const auto& [relative, text] : files) {
    ws.files[relative] = analyze_text(ws.absolute(relative), text);
    ws.model->add_present(ws.absolute(relative));
  }
  for (const auto& [relative, facts] : ws.files) ws.model->update(facts);
  auto conclusions = ws.model->conclusions();
  for (const auto& [relative, facts] : ws.files) {
    auto found = rubric::check_file(facts, *the_rubric(), *conclusions);
    if (!found.empty()) ws.findings[relative] = std::move(found);
  }
  return ws;
}

// The source text a finding's range covers.
inline std::string covered(const std::map<std::string, std::string>& files, const std::string& relative,
                           const rubric::Finding& f) {
  const std::string& text = files.at(relative);
  return text.substr(f.range.start_byte, f.range.end_byte - f.range.start_byte);
}

}  // namespace mlaudit::test
