#include "cli/output_paths.hpp"

#include <filesystem>

namespace mlaudit::cli {

namespace fs = std::filesystem;

OutputBase output_base(const std::string& checked_root, std::string working_directory) {
  std::error_code ec;
  if (working_directory.empty()) working_directory = fs::current_path(ec).string();
  fs::path cwd = fs::weakly_canonical(working_directory, ec);
  fs::path root = fs::weakly_canonical(checked_root, ec);
  fs::path relative = root.lexically_relative(cwd);
  auto first = relative.begin();
  bool inside = !relative.empty() && !(first != relative.end() && *first == "..");
  if (!inside) return {root.generic_string(), ""};
  std::string prefix = relative.generic_string();
  if (prefix == ".") prefix.clear();
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  return {cwd.generic_string(), prefix};
}

std::string uri_path(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~' || c == '/';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string file_uri(const std::string& absolute_path, bool folder) {
  std::string uri = "file://" + uri_path(absolute_path);
  if (folder && uri.back() != '/') uri += '/';
  return uri;
}

}  // namespace mlaudit::cli
