// seed-not-set: call the project's own seed helper when the workspace has one (a top-level
// function of a workspace module that calls a seed function), else insert a block after the
// imports that seeds exactly the libraries the script imports, through its own aliases.
#include <algorithm>

#include "rubric/engine.hpp"
#include "rubric/fixes/call_fixes.hpp"
#include "rubric/fixes/source_edits.hpp"

namespace mlaudit::rubric::fixes {
namespace {

bool identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// The dotted module name of `path` as imported from a script in `script_dir` (its directory is
// on sys.path when it runs), else from the workspace root holding it; "" when not importable.
std::string module_name(const std::string& path, const std::string& script_dir, const std::vector<std::string>& roots) {
  std::string base;
  if (path.rfind(script_dir + "/", 0) == 0) base = script_dir;
  for (const auto& root : roots)
    if (base.empty() && path.rfind(root + "/", 0) == 0) base = root;
  if (base.empty() || path.size() < 3 || path.compare(path.size() - 3, 3, ".py") != 0) return "";
  std::string rel = path.substr(base.size() + 1, path.size() - base.size() - 4);
  if (rel == "__init__" ) return "";
  if (rel.size() > 9 && rel.compare(rel.size() - 9, 9, "/__init__") == 0) rel.resize(rel.size() - 9);
  std::string dotted;
  size_t start = 0;
  while (true) {
    size_t slash = rel.find('/', start);
    std::string part = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!identifier(part)) return "";
    dotted += (dotted.empty() ? "" : ".") + part;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return dotted;
}

struct Helper {
  std::string module, function;
  bool takes_seed = false;
  bool same_directory = false;
};

std::optional<Helper> find_helper(const FixContext& ctx, const RuleSpec& rule) {
  std::optional<Helper> best;
  std::string script_dir = directory_of(ctx.file.path);
  for (const auto& other : ctx.workspace_files) {
    if (!other || other->path == ctx.file.path || other->kind != facts::FileKind::Python) continue;
    for (const auto& call : other->python.calls) {
      if (call.scope.empty() || call.scope.find('.') != std::string::npos || !is_seed_call(call, rule)) continue;
      Helper h{module_name(other->path, script_dir, ctx.roots), call.scope, false, directory_of(other->path) == script_dir};
      if (h.module.empty() || name_bound(ctx.file, h.function)) continue;
      // A seed argument that is neither a module-level name of its file nor a literal is the
      // helper's parameter: the helper is called with the seed.
      for (const auto& arg : call.args) {
        if (arg.value.kind != facts::Value::Kind::Name || arg.value.text.find('.') != std::string::npos) continue;
        bool module_level = std::any_of(other->python.bindings.begin(), other->python.bindings.end(),
                                        [&](const facts::Binding& b) { return b.scope.empty() && b.name == arg.value.text; });
        bool local = std::any_of(other->python.bindings.begin(), other->python.bindings.end(),
                                 [&](const facts::Binding& b) { return b.scope == call.scope && b.name == arg.value.text; });
        if (!module_level && !local) h.takes_seed = true;
      }
      auto rank = [](const Helper& x) { return std::make_pair(!x.same_directory, std::count(x.module.begin(), x.module.end(), '.')); };
      if (!best || rank(h) < rank(*best)) best = h;
    }
  }
  return best;
}

// A library the block seeds: its module, the alias added when the script does not bind the
// module itself, and the seed calls (with `{m}` for the module's local name).
struct Library {
  const char* module;
  const char* alias;
  std::vector<const char*> calls;
};

const std::vector<Library>& libraries() {
  static const std::vector<Library> all = {
      {"random", "", {"{m}.seed({s})"}},
      {"numpy", "np", {"{m}.random.seed({s})"}},
      {"torch", "", {"{m}.manual_seed({s})", "{m}.cuda.manual_seed_all({s})"}},
      {"tensorflow", "tf", {"{m}.random.set_seed({s})"}},
      {"keras", "", {"{m}.utils.set_random_seed({s})"}},  // only without tensorflow
  };
  return all;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::optional<Fix> seed_fix(const FixContext& ctx, const Finding& finding) {
  const RuleSpec* rule = ctx.rubric.rule(finding.rule);
  if (!rule || ctx.file.kind != facts::FileKind::Python) return std::nullopt;
  const std::string eol = line_ending(ctx.text);
  LinePoint at = after_imports(ctx.file, ctx.text);
  std::string seed = seed_constant(ctx, at.offset);
  if (seed.empty()) {
    // A seed constant defined below the imports: the block goes after it.
    std::string later = seed_constant(ctx, UINT32_MAX);
    if (!later.empty()) {
      for (const auto& b : ctx.file.python.bindings)
        if (b.scope.empty() && b.name == later) at = {after_line(ctx.text, b.range.end_byte), ""};
      if (at.offset == ctx.text.size() && !ctx.text.empty() && ctx.text.back() != '\n') at.prefix = eol;
      seed = later;
    }
  }
  std::string define;  // `SEED = 42` when the project has no constant and the name is free
  if (seed.empty()) {
    if (!name_bound(ctx.file, "SEED")) { seed = "SEED"; define = "SEED = 42" + eol; }
    else seed = "42";
  }

  if (auto helper = find_helper(ctx, *rule)) {
    std::string call = helper->function + "(" + (helper->takes_seed ? seed : "") + ")";
    std::string text = at.prefix + "from " + helper->module + " import " + helper->function + eol + eol +
                       (helper->takes_seed ? define : "") + call + eol;
    return Fix{"Call the project's seed helper: " + call + " from " + helper->module, {{at.offset, at.offset, text}}, true};
  }

  std::vector<std::string> used;
  for (const auto& imp : ctx.file.python.imports) {
    std::string top = imp.module.substr(0, imp.module.find('.'));
    if (std::find(used.begin(), used.end(), top) == used.end()) used.push_back(top);
  }
  bool tensorflow = std::find(used.begin(), used.end(), "tensorflow") != used.end();
  std::string imports, calls, names;
  size_t seeded = 0;
  for (const auto& lib : libraries()) {
    std::string module = lib.module;
    bool wanted = std::find(used.begin(), used.end(), module) != used.end();
    if (module == "keras" && tensorflow) wanted = false;
    if (!wanted) continue;
    std::string local = module_binding(ctx.file, module, true);
    if (local.empty()) {
      bool alias_free = *lib.alias && !name_bound(ctx.file, lib.alias);
      local = alias_free ? lib.alias : module;
      if (!alias_free && bound_to_other(ctx.file, module)) continue;  // the name means something else here
      imports += "import " + module + (alias_free ? std::string(" as ") + lib.alias : "") + eol;
    }
    for (const char* c : lib.calls) calls += replace_all(replace_all(c, "{m}", local), "{s}", seed) + eol;
    names += (seeded++ ? ", " : "") + module;
  }
  if (seeded == 0) {  // scikit-learn, xgboost...: their default randomness comes from numpy's global state
    std::string local = module_binding(ctx.file, "numpy", true);
    if (local.empty()) {
      local = name_bound(ctx.file, "np") ? "numpy" : "np";
      if (local == "numpy" && bound_to_other(ctx.file, "numpy")) return std::nullopt;
      imports += "import numpy" + std::string(local == "np" ? " as np" : "") + eol;
    }
    calls += local + ".random.seed(" + seed + ")" + eol;
    names = "numpy";
  }
  std::string text = at.prefix + imports + eol + define + calls;
  return Fix{"Seed " + names + " after the imports (" + (define.empty() ? seed : "SEED = 42") + ")", {{at.offset, at.offset, text}}, true};
}

}  // namespace mlaudit::rubric::fixes
