// Fixes of findings on one call: torch.load -> weights_only=True, yaml.load -> yaml.safe_load,
// numpy.load / keras load_model / from_pretrained -> drop the dangerous argument, splits ->
// random_state=<the project's seed constant, else 42>.
#include "rubric/fixes/call_fixes.hpp"

#include <algorithm>
#include <set>

#include "rubric/fixes/source_edits.hpp"

namespace mlaudit::rubric::fixes {
namespace {

bool is_int_literal(const facts::Value& v) {
  return v.kind == facts::Value::Kind::Number && !v.text.empty() &&
         std::all_of(v.text.begin(), v.text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '_'; });
}

// `keyword=value` for the call: the existing keyword argument (or the positional one at
// `position`) replaced, or the keyword added. nullopt when a **splat could already hold it.
std::optional<Edit> set_keyword(const facts::Call& call, std::string_view text, const std::string& keyword,
                                const std::string& value, int position = -1) {
  int at = argument_index(call, keyword, position);
  if (at >= 0) {
    const auto& arg = call.args[at];
    return Edit{arg.range.start_byte, arg.range.end_byte, arg.keyword.empty() ? value : keyword + "=" + value};
  }
  if (has_dict_splat(call)) return std::nullopt;
  return add_keyword(call, text, keyword + "=" + value);
}

std::optional<Fix> torch_load(const facts::Call& call, std::string_view text) {
  auto edit = set_keyword(call, text, "weights_only", "True");
  if (!edit) return std::nullopt;
  return Fix{"Load with weights_only=True (tensors and plain containers only)", {*edit}, true};
}

// yaml.load(f, Loader=X) -> yaml.safe_load(f), through whatever name the file bound yaml to.
std::optional<Fix> yaml_load(const FixContext& ctx, const facts::Call& call) {
  bool all = call.qualified.size() > 4 && call.qualified.compare(call.qualified.size() - 4, 4, "_all") == 0;
  std::string safe = all ? "safe_load_all" : "safe_load";
  if (has_dict_splat(call)) return std::nullopt;  // a Loader in **kwargs would reach safe_load
  Fix fix{"Use yaml." + safe + " (plain YAML types only)", {}, true};
  std::string callee;
  std::string alias = module_binding(ctx.file, "yaml");
  if (!call.receiver.empty()) {
    // `y.load` stays `y.safe_load`: only the method name changes.
    uint32_t end = call.callee_range.end_byte;
    fix.edits.push_back({static_cast<uint32_t>(end - call.method.size()), end, safe});
  } else {
    for (const auto& imp : ctx.file.python.imports)
      if (imp.module == "yaml" && imp.name == safe) callee = imp.alias;
    if (callee.empty() && !alias.empty()) callee = alias + "." + safe;
    if (callee.empty()) {
      if (name_bound(ctx.file, safe)) return std::nullopt;
      LinePoint at = after_imports(ctx.file, ctx.text);
      fix.edits.push_back({at.offset, at.offset, at.prefix + "from yaml import " + safe + line_ending(ctx.text)});
      callee = safe;
    }
    fix.edits.push_back({call.callee_range.start_byte, call.callee_range.end_byte, callee});
  }
  int loader = argument_index(call, "Loader", 1);
  if (loader >= 0) {
    if (auto edit = remove_argument(call, ctx.text, static_cast<size_t>(loader))) fix.edits.push_back(*edit);
    else return std::nullopt;
  }
  std::sort(fix.edits.begin(), fix.edits.end(), [](const Edit& a, const Edit& b) { return a.start < b.start; });
  return fix;
}

// Removes the argument the finding points at (`allow_pickle=True`, `trust_remote_code=True`).
std::optional<Fix> drop_argument(const facts::Call& call, std::string_view text, const Finding& finding,
                                 std::string title) {
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (call.args[i].range.start_byte != finding.range.start_byte || call.args[i].range.end_byte != finding.range.end_byte) continue;
    if (auto edit = remove_argument(call, text, i)) return Fix{std::move(title), {*edit}, false};
  }
  return std::nullopt;  // the argument came through **kwargs: nothing in this call to remove
}

}  // namespace

std::string seed_constant(const FixContext& ctx, uint32_t before) {
  static const std::set<std::string> names = {"SEED", "RANDOM_SEED", "RANDOM_STATE", "GLOBAL_SEED", "DEFAULT_SEED"};
  for (const auto& b : ctx.file.python.bindings)
    if (b.scope.empty() && names.count(b.name) && is_int_literal(b.value) && b.range.start_byte < before) return b.name;
  for (const auto& imp : ctx.file.python.imports) {
    if (imp.name.empty() || !names.count(imp.name) || imp.statement.start_byte >= before) continue;
    // Imported from a workspace module that binds it to an integer.
    for (const auto& other : ctx.workspace_files) {
      if (!other || other->path == ctx.file.path) continue;
      std::string stem = other->path.substr(other->path.rfind('/') + 1);
      stem = stem.substr(0, stem.rfind('.'));
      std::string last = imp.module.substr(imp.module.find_last_of('.') + 1);
      if (last != stem && !(stem == "__init__")) continue;
      for (const auto& b : other->python.bindings)
        if (b.scope.empty() && b.name == imp.name && is_int_literal(b.value)) return imp.alias;
    }
  }
  return "";
}

std::optional<Fix> call_fix(const FixContext& ctx, const Finding& finding) {
  const facts::Call* call = call_of(ctx.file, finding);
  if (!call) return std::nullopt;
  const std::string& name = call->qualified;
  if (finding.rule == "unsafe-deserialization") {
    if (name == "torch.load") return torch_load(*call, ctx.text);
    if (name == "yaml.load" || name == "yaml.load_all" || name == "yaml.unsafe_load" || name == "yaml.unsafe_load_all")
      return yaml_load(ctx, *call);
    if (name == "numpy.load")
      return drop_argument(*call, ctx.text, finding, "Remove allow_pickle=True (when the file holds numeric arrays only)");
    if (name.find("load_model") != std::string::npos)
      return drop_argument(*call, ctx.text, finding, "Remove safe_mode=False (when the model has no Lambda layers)");
    return std::nullopt;
  }
  if (finding.rule == "trust-remote-code")
    return drop_argument(*call, ctx.text, finding,
                         "Remove trust_remote_code=True (if the model needs its code, pin revision= instead; see the guide)");
  if (finding.rule == "split-without-random-state") {
    std::string seed = seed_constant(ctx, call->scope.empty() ? call->range.start_byte : UINT32_MAX);
    std::string value = seed.empty() ? "42" : seed;
    // KFold(n, shuffle, random_state): the third positional is random_state.
    bool kfold = call->method.find("KFold") != std::string::npos;
    auto edit = set_keyword(*call, ctx.text, "random_state", value, kfold ? 2 : -1);
    if (!edit) return std::nullopt;
    return Fix{"Add random_state=" + value, {*edit}, true};
  }
  return std::nullopt;
}

}  // namespace mlaudit::rubric::fixes
