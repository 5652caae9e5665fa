#include "analyzers/analyzer.hpp"

#include <cstdio>

#include "analyzers/artifacts/artifact_analyzer.hpp"
#include "analyzers/config.hpp"
#include "analyzers/javascript/js_analyzer.hpp"
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/source_lines.hpp"
#include "analyzers/notebooks/notebook_analyzer.hpp"
#include "analyzers/python/python_facts.hpp"
#include "analyzers/python/token_budget.hpp"
#include "analyzers/requirements.hpp"
#include "analyzers/signal_readers.hpp"
#include "analyzers/suppressions.hpp"

namespace mlaudit {
namespace {

std::string_view file_name(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string human_size(uint64_t bytes) {
  char buffer[32];
  if (bytes < 1024 * 1024) std::snprintf(buffer, sizeof buffer, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  else std::snprintf(buffer, sizeof buffer, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buffer;
}

bool has_lone_cr(std::string_view text) {
  for (size_t at = text.find('\r'); at != std::string_view::npos; at = text.find('\r', at + 1))
    if (at + 1 == text.size() || text[at + 1] != '\n') return true;
  return false;
}

void take_manifest(facts::FileFacts& out, manifests::ManifestRead read) {
  out.requirements = std::move(read.requirements);
  out.includes = std::move(read.includes);
  out.locked = std::move(read.locked);
  out.parse_errors = std::move(read.errors);
}

facts::FileFacts facts_for(const std::string& path, facts::FileKind kind, std::string_view text,
                           uint64_t max_bytes, python::IncrementalTree* tree,
                           std::vector<TSRange>* changed, python::FactsCache* cache) {
  facts::FileFacts out;
  out.path = path;
  out.kind = kind;
  out.bytes = text.size();
  out.skipped.reason = skip_reason(text, max_bytes);
  if (kind == facts::FileKind::Config && out.skipped.reason.empty() && is_json_config_path(path) &&
      text.size() > kConfigMaxJsonBytes) {
    out.kind = facts::FileKind::Other;  // a large JSON file is data, not configuration
    return out;
  }
  if (!out.skipped.reason.empty()) {
    if (tree) tree->reset();
    return out;
  }
  // tree-sitter and line-based readers split lines on '\n' only, but LSP (and old Mac files)
  // also end lines with a lone '\r'. Replacing it by '\n' keeps every byte offset the same.
  std::string normalized;
  if (has_lone_cr(text)) {
    normalized.assign(text);
    for (size_t i = 0; i < normalized.size(); ++i)
      if (normalized[i] == '\r' && (i + 1 == normalized.size() || normalized[i + 1] != '\n')) normalized[i] = '\n';
    text = normalized;
    if (tree) tree->reset();  // its points were counted on the other line ends: parse afresh
  }
  std::unique_lock<std::mutex> large_parse;  // held to the end: parse and extraction
  if (kind == facts::FileKind::Python) {  // a bound on the syntax tree's memory (token_budget.hpp)
    // A token takes at least one byte: a file below the smaller bound needs no count (most do not).
    static_assert(python::kLargeParseTokens <= python::kMaxTokens);
    size_t tokens = text.size() <= python::kLargeParseTokens ? text.size() : python::estimate_tokens(text);
    out.skipped.reason = python::token_budget_reason(tokens);
    if (!out.skipped.reason.empty()) {
      if (tree) tree->reset();
      return out;
    }
    if (tokens > python::kLargeParseTokens) large_parse = std::unique_lock(python::large_parse_mutex());
  }
  switch (kind) {
    case facts::FileKind::Python: {
      if (tree) {
        auto ranges = tree->reparse(text);
        if (changed) *changed = std::move(ranges);
        out.python = python::extract_facts(tree->tree(), text, &out.suppressions, cache);
      } else {
        python::TreePtr parsed = python::parse(text);
        out.python = python::extract_facts(parsed.get(), text, &out.suppressions);
      }
      if (manifests::format_of(file_name(path)) == manifests::Format::SetupPy)
        take_manifest(out, manifests::read_setup_py(out.python, text));
      break;
    }
    case facts::FileKind::Requirements:
      take_manifest(out, manifests::read_requirements_txt(text));
      out.suppressions = scan_hash_comment_suppressions(text);
      break;
    case facts::FileKind::Manifest:
    case facts::FileKind::LockFile:
      take_manifest(out, manifests::read_manifest(manifests::format_of(file_name(path)), text));
      if (kind == facts::FileKind::Manifest) out.suppressions = scan_hash_comment_suppressions(text);
      break;
    case facts::FileKind::Config: {
      ConfigRead read = is_json_config_path(path) ? read_json_config(text) : read_yaml_config(text);
      out.config = std::move(read.keys);
      out.skipped.reason = std::move(read.error);
      out.skipped.by_design = read.template_text;
      if (!is_json_config_path(path)) out.suppressions = scan_hash_comment_suppressions(text);
      // package.json and conda environment files are manifests too. Their own reader reports a
      // malformed file as a finding at the error's line, so it is analysed, not skipped.
      if (auto format = manifests::format_of(file_name(path)); format != manifests::Format::None) {
        take_manifest(out, manifests::read_manifest(format, text));
        if (!out.parse_errors.empty()) out.skipped.reason.clear();
      }
      // A file a signal reader reads (a CI workflow, ...) that is not valid YAML: a finding at
      // the error's line (rule malformed-file), not a silent skip. No reader runs on it.
      if (!out.skipped.reason.empty() && !out.skipped.by_design && out.parse_errors.empty() && claimed_by_signal_reader(path)) {
        out.parse_errors.push_back(manifests::error_at_line(manifests::SourceLines(text), read.error_line, out.skipped.reason));
        out.skipped.reason.clear();
        return out;
      }
      break;
    }
    case facts::FileKind::Notebook:
      notebooks::analyze_notebook_json(text, out);
      break;
    case facts::FileKind::JavaScript:  // parsed whole on every change (no incremental tree kept)
      javascript::analyze_javascript(path, text, out);
      break;
    case facts::FileKind::Text:  // only the signal readers below read it
      out.suppressions = scan_hash_comment_suppressions(text);
      break;
    case facts::FileKind::Other:
    case facts::FileKind::Artifact:  // read from disk, streamed: artifacts::analyze_artifact
      break;
  }
  if (out.skipped.reason.empty()) read_signals(text, out);
  return out;
}

}  // namespace

facts::FileKind classify_path(std::string_view path) {
  std::string_view name = file_name(path);
  if (ends_with(name, ".py") || ends_with(name, ".pyw")) return facts::FileKind::Python;
  if (javascript::is_javascript_path(name)) return facts::FileKind::JavaScript;
  if (artifacts::is_artifact_name(name)) return facts::FileKind::Artifact;
  switch (manifests::format_of(name)) {
    case manifests::Format::Pyproject:
    case manifests::Format::SetupCfg:
    case manifests::Format::Pipfile: return facts::FileKind::Manifest;
    case manifests::Format::PoetryLock:
    case manifests::Format::UvLock:
    case manifests::Format::PdmLock:
    case manifests::Format::PipfileLock:
    case manifests::Format::CondaLock:
    case manifests::Format::PackageLock: return facts::FileKind::LockFile;
    default: break;  // package.json and conda environments are Config below
  }
  if (ends_with(name, ".ipynb")) return facts::FileKind::Notebook;
  // Configuration, except files that are data: lock files (package-lock.json, pnpm-lock.yaml,
  // conda-lock.yml, x.lock.json; *.lock never is config). JSON files above kConfigMaxJsonBytes
  // are data too, which only their size tells (facts_for).
  if (ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".json")) {
    std::string_view stem = name.substr(0, name.rfind('.'));
    if (stem == "lock" || ends_with(stem, "-lock") || ends_with(stem, ".lock") || ends_with(stem, "_lock") ||
        name == "npm-shrinkwrap.json")
      return facts::FileKind::Other;
    return facts::FileKind::Config;
  }
  if (ends_with(name, ".txt") || ends_with(name, ".in")) {
    if (name.rfind("requirements", 0) == 0 || name.rfind("constraints", 0) == 0) return facts::FileKind::Requirements;
    std::string_view dir = path.substr(0, path.size() - name.size());
    if (ends_with(dir, "requirements/") || ends_with(dir, "requirements\\")) return facts::FileKind::Requirements;
  }
  if (read_by_signal_reader(path)) return facts::FileKind::Text;
  return facts::FileKind::Other;
}

std::string too_large_reason(uint64_t bytes, uint64_t max_bytes) {
  return "file is " + human_size(bytes) + ", above the " + human_size(max_bytes) + " size cap";
}

std::string skip_reason(std::string_view text, uint64_t max_bytes) {
  if (text.size() > max_bytes) return too_large_reason(text.size(), max_bytes);
  if (text.substr(0, 8192).find('\0') != std::string_view::npos) return "binary file (NUL bytes)";
  return "";
}

facts::FileFacts analyze_text(const std::string& path, std::string_view text, uint64_t max_bytes) {
  return facts_for(path, classify_path(path), text, max_bytes, nullptr, nullptr, nullptr);
}

DocumentAnalysis::DocumentAnalysis(std::string path, uint64_t max_bytes)
    : path_(std::move(path)), max_bytes_(max_bytes), kind_(classify_path(path_)) {}

facts::FileFacts DocumentAnalysis::analyze(std::string_view text) {
  changed_.clear();
  bool python = kind_ == facts::FileKind::Python;
  return facts_for(path_, kind_, text, max_bytes_, python ? &tree_ : nullptr, &changed_, python ? &facts_cache_ : nullptr);
}

}  // namespace mlaudit
