// The readers of facts::Signal: analyzers of files that are not code (Dockerfiles, CI
// workflows, pipeline and infrastructure definitions, governance documents). Each reader says
// which paths it reads (by name and folder only: it is asked for every file of the workspace)
// and adds signals, parse errors and whatever other facts to the file's FileFacts. A YAML/JSON
// file is still a Config file (its keys are read first); any other file a reader wants is a
// FileKind::Text file. Readers run only on text that passed the size and binary checks.
#pragma once
#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"

namespace mlaudit {

struct SignalReader {
  const char* name;                                   // "dockerfile", "github-actions" (for logs and tests)
  bool (*reads)(std::string_view path);               // path as given: absolute or workspace-relative, '/' separators
  void (*read)(std::string_view path, std::string_view text, facts::FileFacts& out);
  // Looks at every file of a type (any YAML) for content it recognises (a Kubernetes `kind`),
  // rather than claiming files by name: a broken file of that type is not its to report.
  bool sniffs_content = false;
};

// Every reader, in a fixed order (analyzers/signal_readers.cpp: one line per reader).
const std::vector<SignalReader>& signal_readers();

// Whether some reader reads `path`.
bool read_by_signal_reader(std::string_view path);
// Whether a reader claims `path` by its name or folder (not only sniffing content): a file it
// cannot parse is then a malformed-file finding rather than a skip.
bool claimed_by_signal_reader(std::string_view path);

// Runs every reader that reads `out.path` over `text`.
void read_signals(std::string_view text, facts::FileFacts& out);

// Path helpers for readers. `path_in_folder(".github/workflows/ci.yml", ".github/workflows")`
// and the same for "/ws/.github/workflows/ci.yml": the folder is the file's parent.
std::string_view path_file_name(std::string_view path);
bool path_in_folder(std::string_view path, std::string_view folder);
// Whether a folder of the path (any ancestor) is named `folder` ("k8s", "helm", "docs/adr").
bool path_under(std::string_view path, std::string_view folder);

}  // namespace mlaudit
