// Where CI formats (SARIF, GitHub annotations) say a finding is. GitHub resolves both against
// the repository root, which is the job's working directory; `check` and `json` speak relative
// to PATH. So when PATH lies inside the working directory, CI paths are relative to the working
// directory (`mlaudit check src --format github` says `src/train.py`), else relative to PATH.
#pragma once
#include <string>

namespace mlaudit::cli {

struct OutputBase {
  std::string root;    // absolute folder the paths below are relative to (no trailing '/')
  std::string prefix;  // prepended to a PATH-relative path: "" or "sub/dir/"
};

// `checked_root`: the absolute folder the findings' paths are relative to.
// `working_directory`: absolute; the current directory when empty.
OutputBase output_base(const std::string& checked_root, std::string working_directory = "");

// file:// URI of an absolute path, percent-encoded (RFC 3986), ending in '/' for a folder.
std::string file_uri(const std::string& absolute_path, bool folder);

// Percent-encodes a relative path for a URI reference ('/' kept).
std::string uri_path(const std::string& relative_path);

}  // namespace mlaudit::cli
