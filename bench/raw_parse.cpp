// mlaudit_raw_parse: the ceiling for `mlaudit check` throughput. Parses every .py file under a
// folder with the same tree-sitter parser mlaudit uses (mlaudit::python::parse), on one thread,
// with every file read into memory first so that only parsing is timed. Repeats the whole pass
// R times and reports the median as JSON: {"files","bytes","seconds","mb_per_s","repeats",
// "cpu_seconds","files_with_syntax_errors"} (MB = 10^6 bytes; seconds are wall-clock, cpu_seconds
// the process CPU time of the same passes).
//
//   mlaudit_raw_parse FOLDER [--repeat R] [--exclude DIR]...
//
// --exclude DIR: a folder (relative to FOLDER) not entered, e.g. the audit workspace's data/ that
// its .gitignore ignores, so that both sides of the comparison parse the same bytes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>
#include <time.h>

#include "analyzers/python/python_parser.hpp"

namespace fs = std::filesystem;

static double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int main(int argc, char** argv) {
  std::string root;
  int repeats = 5;
  std::vector<std::string> excluded;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--exclude" && i + 1 < argc) excluded.push_back(argv[++i]);
    else if (root.empty() && arg.rfind("--", 0) != 0) root = arg;
    else {
      std::cerr << "usage: mlaudit_raw_parse FOLDER [--repeat R] [--exclude DIR]...\n";
      return 2;
    }
  }
  for (auto& dir : excluded) dir = (fs::path(root) / dir).lexically_normal().string();
  if (root.empty() || !fs::is_directory(root)) {
    std::cerr << "usage: mlaudit_raw_parse FOLDER [--repeat R] [--exclude DIR]...\n";
    return 2;
  }

  // Read everything first (sorted, so runs are comparable); symlinks are not followed.
  std::vector<std::string> paths;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied), end;
  for (; it != end; ++it) {
    const auto& entry = *it;
    if (entry.is_directory() && !entry.is_symlink() &&
        std::find(excluded.begin(), excluded.end(), entry.path().lexically_normal().string()) != excluded.end()) {
      it.disable_recursion_pending();
      continue;
    }
    if (entry.is_regular_file() && !entry.is_symlink() && entry.path().extension() == ".py")
      paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    texts.push_back(content.str());
    bytes += texts.back().size();
  }

  std::vector<double> seconds, cpu_seconds;
  size_t nodes_with_errors = 0;  // keeps the trees observable, and tells if the input is sane
  for (int r = 0; r < repeats; ++r) {
    nodes_with_errors = 0;
    auto start = std::chrono::steady_clock::now();
    double cpu_start = cpu_now();
    for (const auto& text : texts) {
      mlaudit::python::TreePtr tree = mlaudit::python::parse(text);
      nodes_with_errors += ts_node_has_error(ts_tree_root_node(tree.get())) ? 1 : 0;
    }  // each tree is freed inside the timed loop, as mlaudit does
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    cpu_seconds.push_back(cpu_now() - cpu_start);
  }
  double wall = median(seconds), cpu = median(cpu_seconds);
  std::printf("{\"files\": %zu, \"bytes\": %zu, \"seconds\": %.6f, \"mb_per_s\": %.3f, \"repeats\": %d, "
              "\"cpu_seconds\": %.6f, \"files_with_syntax_errors\": %zu}\n",
              texts.size(), bytes, wall, wall > 0 ? bytes / wall / 1e6 : 0.0, repeats, cpu, nodes_with_errors);
  return 0;
}
