#include "rubric/workspace_model.hpp"

#include <algorithm>

#include "analyzers/ci/ci_readers.hpp"
#include "analyzers/requirements.hpp"
#include "rubric/engine.hpp"
#include "index/module_map.hpp"

namespace mlaudit::rubric {
namespace {

// Whole-name match against a list whose entries may end in '*' (prefix).
bool listed(const std::vector<std::string>& list, const std::string& name) {
  for (const auto& entry : list) {
    if (!entry.empty() && entry.back() == '*') {
      if (name.rfind(entry.substr(0, entry.size() - 1), 0) == 0) return true;
    } else if (entry == name) {
      return true;
    }
  }
  return false;
}

std::string first_segment(const std::string& dotted) { return dotted.substr(0, dotted.find('.')); }

// The npm package of a JS module specifier: "@langchain/openai/chat" -> "@langchain/openai",
// "langchain/chains" -> "langchain".
std::string npm_package(const std::string& module) {
  size_t slash = module.find('/');
  if (!module.empty() && module[0] == '@' && slash != std::string::npos) slash = module.find('/', slash + 1);
  return module.substr(0, slash);
}

// "a.b.c" is "a.b.c" or within "a.b" / "a" as whole segments.
bool within(const std::string& name, const std::string& module) {
  return name == module || (name.size() > module.size() && name.rfind(module, 0) == 0 && name[module.size()] == '.');
}

const RuleSpec* rule_of_kind(const Rubric& rubric, const char* kind) {
  for (const auto& rule : rubric.rules)
    if (rule.kind == kind) return &rule;
  return nullptr;
}

std::string file_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// Glob of the template's front matter ("**/ai/**"): only the "**/<dir>/**" shape is used
// there, which means "a folder named <dir> anywhere".
bool matches_file_pattern(const std::string& pattern, const std::string& relative) {
  const std::string prefix = "**/", suffix = "/**";
  if (pattern.rfind(prefix, 0) == 0 && pattern.size() > prefix.size() + suffix.size() &&
      pattern.compare(pattern.size() - suffix.size(), suffix.size(), suffix) == 0) {
    std::string dir = pattern.substr(prefix.size(), pattern.size() - prefix.size() - suffix.size());
    return ("/" + relative).find("/" + dir + "/") != std::string::npos;
  }
  return false;
}

// What a CI file says about tests (signals of analyzers/ci; a CI file that could not be read
// says "we cannot tell").
void ci_signals_of(const facts::FileFacts& file, FileSignals& s) {
  for (const auto& signal : file.signals) {
    if (signal.id == "ci.config") s.ci = true;
    else if (signal.id == "ci.runs-tests") s.ci_tests = true;
    else if (signal.id == "ci.opaque") s.ci_unknown = true;
  }
  if (ci::is_ci_path(file.path) && (!file.skipped.reason.empty() || !file.parse_errors.empty())) s.ci_unknown = true;
}

// CI systems whose files mlaudit does not read: their jobs may run the tests.
bool unread_ci_file(const std::string& relative) {
  static const std::vector<std::string> names = {"bitbucket-pipelines.yml", ".travis.yml", ".drone.yml",
                                                 "cloudbuild.yaml", "cloudbuild.yml", "buildspec.yml",
                                                 "appveyor.yml", ".appveyor.yml", "codefresh.yml", "wercker.yml"};
  std::string name = file_name(relative);
  return std::find(names.begin(), names.end(), name) != names.end() || relative.rfind(".buildkite/", 0) == 0 ||
         relative.rfind(".woodpecker", 0) == 0 || relative.rfind(".tekton/", 0) == 0;
}

// A Python test module by pytest's and unittest's default discovery: test_*.py, *_test.py, or
// any Python file in a folder named tests/ or test/.
bool test_module(const std::string& relative) {
  std::string name = file_name(relative);
  if (name.size() < 4 || name.compare(name.size() - 3, 3, ".py") != 0) return false;
  if (name.rfind("test_", 0) == 0 || (name.size() > 8 && name.compare(name.size() - 8, 8, "_test.py") == 0)) return true;
  std::string dirs = "/" + relative.substr(0, relative.size() - name.size());
  return dirs.find("/tests/") != std::string::npos || dirs.find("/test/") != std::string::npos;
}

}  // namespace

FileSignals signals_of(const facts::FileFacts& file, const Rubric& rubric) {
  FileSignals s;
  s.kind = file.kind;
  const RuleSpec* seed = rule_of_kind(rubric, "seed");
  const RuleSpec* tracking = rule_of_kind(rubric, "tracking");
  for (const auto& imp : file.python.imports) {
    if (imp.module.empty() || imp.module[0] == '.') continue;  // relative imports are the project's own
    if (file.kind == facts::FileKind::JavaScript) {
      if (listed(rubric.ml_npm_libraries, npm_package(imp.module))) s.ml_signals.push_back("import " + imp.module);
    } else if (listed(rubric.ml_libraries, first_segment(imp.module))) {
      s.ml_signals.push_back("import " + imp.module);
    }
    for (const auto& keyword : rubric.relevance.keywords) {
      std::string dotted = "." + imp.module + ".";
      if (dotted.find("." + keyword + ".") != std::string::npos) s.keyword_signals.push_back("import " + imp.module);
    }
    if (tracking && s.tracking.empty()) {
      std::string full = imp.name.empty() ? imp.module : imp.module + "." + imp.name;
      for (const auto& t : tracking->tracking_imports)
        if (within(imp.module, t) || within(full, t)) { s.tracking = "import " + full; break; }
    }
  }
  for (const auto& req : file.requirements) {
    if (req.ecosystem == "npm") continue;  // package.json: its own signal below
    if (listed(rubric.ml_libraries, req.name) || listed(rubric.relevance.config_keys, req.name))
      s.ml_signals.push_back("requirement " + req.name);
  }
  // package.json: an npm dependency on an LLM/ML library (openai, @langchain/core, ...).
  if (file.kind == facts::FileKind::Config && file_name(file.path) == "package.json") {
    for (const auto& key : file.config)
      for (std::string_view section : {"dependencies.", "devDependencies.", "peerDependencies.", "optionalDependencies."}) {
        if (key.key.rfind(section, 0) != 0) continue;
        std::string name = key.key.substr(section.size());
        if (listed(rubric.relevance.config_keys, name) || listed(rubric.ml_libraries, name) ||
            listed(rubric.ml_npm_libraries, name))
          s.ml_signals.push_back("dependency " + name);
      }
  }
  // A file in a format only models come in (by content) makes the workspace ML too.
  static const std::set<std::string> model_formats = {"torch-zip", "torch-legacy", "safetensors", "onnx", "gguf"};
  if (file.kind == facts::FileKind::Artifact && model_formats.count(file.artifact.format))
    s.ml_signals.push_back("model artifact (" + file.artifact.format + ")");
  for (const auto& call : file.python.calls) {
    if (seed && !s.seeds && is_seed_call(call, *seed)) s.seeds = true;
    if (tracking && s.tracking.empty()) {
      if (std::find(tracking->tracking_calls.begin(), tracking->tracking_calls.end(), call.qualified) != tracking->tracking_calls.end())
        s.tracking = call.qualified;
      auto tracks = [](const KwargEvidence& kw, const facts::Value& v) {
        return v.kind == facts::Value::Kind::String && std::find(kw.values.begin(), kw.values.end(), v.text) != kw.values.end();
      };
      for (const auto& kw : tracking->tracking_kwargs)
        for (const auto& arg : call.args) {
          if (arg.keyword != kw.keyword) continue;
          bool found = tracks(kw, arg.value);  // report_to="wandb" or report_to=["wandb", ...]
          for (const auto& item : arg.value.entries) found |= arg.value.kind == facts::Value::Kind::List && tracks(kw, item.value);
          if (found) s.tracking = kw.keyword + "=" + (arg.value.kind == facts::Value::Kind::List ? "[…]" : "\"" + arg.value.text + "\"");
        }
    }
  }
  for (const auto& req : file.requirements) {
    std::string key = package_key(req.ecosystem, req.name);
    if (std::find(s.declared.begin(), s.declared.end(), key) == s.declared.end()) s.declared.push_back(key);
    if (req.pinned) {
      std::string version = pinned_version(req.specifier);
      if (!version.empty()) s.pins.emplace_back(key, version);
    }
  }
  s.constraints = file.kind == facts::FileKind::Requirements && file_name(file.path).rfind("constraints", 0) == 0;
  if (file.kind == facts::FileKind::LockFile) {
    s.locked = file.locked;
    s.unread_lock = !file.skipped.reason.empty() || !file.parse_errors.empty();
  }
  ci_signals_of(file, s);
  // Without ranges: typing above an import moves it but changes nothing workspace-wide.
  s.imports = file.python.imports;
  for (auto& imp : s.imports) imp.range = {};
  return s;
}

WorkspaceModel::WorkspaceModel(std::shared_ptr<const Rubric> rubric, std::vector<std::string> roots)
    : rubric_(std::move(rubric)), roots_(std::move(roots)), conclusions_(std::make_shared<Conclusions>()) {
  rederive();
}

bool WorkspaceModel::update(const facts::FileFacts& file) {
  present_.insert(file.path);
  FileSignals s = signals_of(file, *rubric_);
  auto it = signals_.find(file.path);
  if (it != signals_.end() && it->second == s) return false;
  signals_[file.path] = std::move(s);
  return rederive();
}

bool WorkspaceModel::remove(const std::string& path) {
  bool was_present = present_.erase(path) > 0;
  bool had_signals = signals_.erase(path) > 0;
  return (was_present || had_signals) && rederive();
}

std::vector<std::string> WorkspaceModel::present_under(const std::string& root) const {
  std::vector<std::string> out;
  for (auto it = present_.lower_bound(root + "/"); it != present_.end() && it->rfind(root + "/", 0) == 0; ++it) out.push_back(*it);
  return out;
}

bool WorkspaceModel::set_relevance_override(std::optional<bool> relevant) {
  relevance_override_ = relevant;
  return rederive();
}

bool WorkspaceModel::set_roots(std::vector<std::string> roots) {
  roots_ = std::move(roots);
  return rederive();
}

bool WorkspaceModel::add_present(const std::string& path) {
  if (!present_.insert(path).second) return false;
  return std::find(rubric_->lock_files.begin(), rubric_->lock_files.end(), file_name(path)) != rubric_->lock_files.end() &&
         rederive();
}

bool WorkspaceModel::end_batch() {
  if (batch_ > 0) --batch_;
  if (batch_ > 0 || !dirty_) return false;
  dirty_ = false;
  return rederive();
}

bool WorkspaceModel::rederive() {
  if (batch_ > 0) {
    dirty_ = true;
    return false;
  }
  auto next = std::make_shared<Conclusions>();
  auto relative = [&](const std::string& path) {
    for (const auto& root : roots_)
      if (path.rfind(root + "/", 0) == 0) return path.substr(root.size() + 1);
    return path;
  };

  // Relevance: a strong signal (an ML/LLM library imported or required), or the template's weak
  // signals corroborating each other (a keyword import segment *and* a file-pattern folder).
  std::vector<std::string> weak_keywords, weak_paths;
  for (const auto& [path, s] : signals_) {
    for (const auto& signal : s.ml_signals) next->relevance.signals.push_back(relative(path) + ": " + signal);
    for (const auto& signal : s.keyword_signals) weak_keywords.push_back(relative(path) + ": " + signal);
    for (const auto& pattern : rubric_->relevance.file_patterns)
      if (matches_file_pattern(pattern, relative(path))) weak_paths.push_back(relative(path) + ": path matches " + pattern);
    if (next->tracking.empty() && !s.tracking.empty()) next->tracking = relative(path) + ": " + s.tracking;
  }
  if (relevance_override_) {
    next->relevance.relevant = *relevance_override_;
    next->relevance.reason = *relevance_override_ ? "relevance forced on by the `relevance` setting"
                                                  : "relevance forced off by the `relevance` setting";
  } else if (rubric_->relevance.always_include) {
    next->relevance.relevant = true;
    next->relevance.reason = "the template's always-include is set";
  } else if (!next->relevance.signals.empty()) {
    next->relevance.relevant = true;
    next->relevance.reason = "ML/LLM libraries are used (" + next->relevance.signals.front() + ")";
  } else if (!weak_keywords.empty() && !weak_paths.empty()) {
    next->relevance.relevant = true;
    next->relevance.signals = weak_keywords;
    next->relevance.signals.insert(next->relevance.signals.end(), weak_paths.begin(), weak_paths.end());
    next->relevance.reason = "template keywords and file patterns both match (" + weak_keywords.front() + "; " + weak_paths.front() + ")";
  } else {
    next->relevance.reason = "not an ML/LLM workspace: no file imports or requires an ML/LLM library (torch, sklearn, "
                             "transformers, openai, …)";
    next->relevance.signals = weak_keywords;  // what was found, though not enough
    next->relevance.signals.insert(next->relevance.signals.end(), weak_paths.begin(), weak_paths.end());
    if (!weak_keywords.empty()) next->relevance.reason += "; a template keyword alone (" + weak_keywords.front() + ") is not enough";
    if (!weak_paths.empty()) next->relevance.reason += "; a template file pattern alone (" + weak_paths.front() + ") is not enough";
  }

  for (const auto& path : present_) {
    auto s = signals_.find(path);
    bool lock_kind = s != signals_.end() && s->second.kind == facts::FileKind::LockFile;
    bool listed_lock = std::find(rubric_->lock_files.begin(), rubric_->lock_files.end(), file_name(path)) != rubric_->lock_files.end();
    if (listed_lock || lock_kind) next->lock_files.push_back(relative(path));
    // A lock file only known to exist (not analysed: pixi.lock, a file not yet loaded) or whose
    // content could not be read may pin anything.
    if ((listed_lock && !lock_kind) || (lock_kind && s->second.unread_lock)) next->unread_lock_files.push_back(relative(path));
    std::string rel = relative(path);
    if (next->test_file.empty() && test_module(rel)) next->test_file = rel;
    if (unread_ci_file(rel)) next->ci_unknown = true;
    if (s == signals_.end()) continue;
    if (s->second.ci) next->ci_files.push_back(rel);
    next->ci_runs_tests |= s->second.ci_tests;
    next->ci_unknown |= s->second.ci_unknown;
  }
  for (const auto& [path, s] : signals_) {
    std::string rel = relative(path);
    for (const auto& l : s.locked)
      keep_lowest(next->locked, package_key(l.ecosystem, l.name), {l.version, rel + ":" + std::to_string(l.line + 1), true});
    for (const auto& [key, version] : s.pins) {
      keep_lowest(next->pinned, key, {version, rel, false});
      if (s.constraints) keep_lowest(next->constrained, key, {version, rel, false});
    }
    for (const auto& key : s.declared) next->declared_by[key].push_back(rel);
  }

  // Seeding closure: a file seeds if it calls a seed function or imports a workspace module that does.
  std::vector<std::string> python_paths;
  for (const auto& [path, s] : signals_)
    if (s.kind == facts::FileKind::Python) python_paths.push_back(path);
  index::ModuleMap modules(python_paths, roots_);
  std::map<std::string, std::vector<std::string>> edges;
  for (const auto& [path, s] : signals_) {
    if (s.seeds) next->seeding_files.insert(path);
    for (const auto& imp : s.imports)
      for (auto& target : modules.resolve(path, imp))
        if (target != path) edges[path].push_back(std::move(target));
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [path, targets] : edges) {
      if (next->seeding_files.count(path)) continue;
      for (const auto& target : targets)
        if (next->seeding_files.count(target)) { next->seeding_files.insert(path); changed = true; break; }
    }
  }

  bool differs = next->relevance.relevant != conclusions_->relevance.relevant ||
                 next->relevance.signals != conclusions_->relevance.signals ||
                 next->tracking != conclusions_->tracking || next->lock_files != conclusions_->lock_files ||
                 next->seeding_files != conclusions_->seeding_files || next->locked != conclusions_->locked ||
                 next->pinned != conclusions_->pinned || next->constrained != conclusions_->constrained ||
                 next->declared_by != conclusions_->declared_by || next->unread_lock_files != conclusions_->unread_lock_files ||
                 next->test_file != conclusions_->test_file || next->ci_files != conclusions_->ci_files ||
                 next->ci_runs_tests != conclusions_->ci_runs_tests || next->ci_unknown != conclusions_->ci_unknown;
  conclusions_ = std::move(next);
  return differs;
}

}  // namespace mlaudit::rubric
