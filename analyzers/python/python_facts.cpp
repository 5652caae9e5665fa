// How the walk works: a depth-first pass with a TSTreeCursor keeps a stack of "frames" for the
// constructs that give context (def/class scopes, the main guard). Calls, bindings and string
// literals are recorded as they are met; qualified names are resolved after the walk, when
// every import of the file is known (imports may follow their first use in a function).
#include "analyzers/python/python_facts.hpp"

#include <cctype>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "analyzers/suppressions.hpp"

namespace mlaudit::python {
namespace {

using facts::Value;

constexpr size_t kMaxTextLength = 200;    // callee/receiver text kept per call
constexpr size_t kMaxStringLength = 4096;  // longer literals are not secrets we can match

facts::Range range_of(TSNode node) {
  TSPoint s = ts_node_start_point(node), e = ts_node_end_point(node);
  return {ts_node_start_byte(node), ts_node_end_byte(node), {s.row, s.column}, {e.row, e.column}};
}

bool is(TSNode node, const char* type) { return std::strcmp(ts_node_type(node), type) == 0; }

class Extractor {
 public:
  Extractor(std::string_view text, std::vector<facts::Suppression>* suppressions)
      : text_(text), suppressions_(suppressions) {}

  facts::PythonFacts run(const TSTree* tree) {
    TSNode root = ts_tree_root_node(tree);
    out_.has_syntax_errors = ts_node_has_error(root);
    walk(root);
    resolve_names();
    return std::move(out_);
  }

 private:
  struct Frame {
    uint32_t depth;
    std::string scope;  // full scope path while inside this frame
    bool main_guard;
  };

  std::string_view text(TSNode node) const {
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    if (start > text_.size() || end > text_.size() || end < start) return {};
    return text_.substr(start, end - start);
  }

  // Source text with runs of whitespace collapsed, capped at kMaxTextLength.
  std::string compact(TSNode node) const {
    std::string out;
    bool space = false;
    for (char c : text(node)) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\') { space = true; continue; }
      if (space && !out.empty() && (std::isalnum(static_cast<unsigned char>(out.back())) &&
                                    std::isalnum(static_cast<unsigned char>(c))))
        out += ' ';
      space = false;
      out += c;
      if (out.size() >= kMaxTextLength) break;
    }
    return out;
  }

  const std::string& scope() const { static const std::string empty; return frames_.empty() ? empty : frames_.back().scope; }
  bool in_main_guard() const { return !frames_.empty() && frames_.back().main_guard; }

  // The walk ------------------------------------------------------------------------------
  void walk(TSNode root) {
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    uint32_t depth = 0;
    bool descend = visit(ts_tree_cursor_current_node(&cursor), depth);
    while (true) {
      if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
        ++depth;
      } else {
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
          if (!ts_tree_cursor_goto_parent(&cursor)) { ts_tree_cursor_delete(&cursor); return; }
          --depth;
          leave(depth);
        }
        leave(depth);  // leaving the sibling we moved away from
      }
      descend = visit(ts_tree_cursor_current_node(&cursor), depth);
    }
  }

  // Pops frames opened by nodes at `depth` or deeper.
  void leave(uint32_t depth) {
    while (!frames_.empty() && frames_.back().depth >= depth) frames_.pop_back();
  }
  // Note on leave(): after moving to a sibling at the same depth, the previous sibling's frame
  // (opened at that depth) is popped; after moving to the parent, frames of its children are.

  void push_frame(uint32_t depth, std::string scope, bool main_guard) {
    frames_.push_back({depth, std::move(scope), main_guard});
  }

  // Handles one node; returns whether to walk into its children.
  bool visit(TSNode node, uint32_t depth) {
    const char* type = ts_node_type(node);
    if (!std::strcmp(type, "import_statement")) { on_import(node); return false; }
    if (!std::strcmp(type, "import_from_statement")) { on_import_from(node); return false; }
    if (!std::strcmp(type, "comment")) { on_comment(node); return false; }
    if (!std::strcmp(type, "function_definition") || !std::strcmp(type, "class_definition")) {
      TSNode name = ts_node_child_by_field_name(node, "name", 4);
      std::string scoped = scope();
      if (!scoped.empty()) scoped += '.';
      scoped += ts_node_is_null(name) ? "?" : std::string(text(name));
      push_frame(depth, std::move(scoped), in_main_guard());
      return true;
    }
    if (!std::strcmp(type, "if_statement") && is_main_guard(node)) {
      out_.has_main_guard = true;
      push_frame(depth, scope(), true);
      return true;
    }
    if (!std::strcmp(type, "call")) { on_call(node); return true; }
    if (!std::strcmp(type, "assignment")) { on_assignment(node); return true; }
    if (!std::strcmp(type, "pair")) { on_pair(node); return true; }
    if (!std::strcmp(type, "string") || !std::strcmp(type, "concatenated_string")) {
      on_string(node);
      return false;
    }
    return true;
  }

  // Imports ---------------------------------------------------------------------------------
  void add_import(std::string module, std::string name, std::string alias, TSNode node) {
    out_.imports.push_back({std::move(module), std::move(name), std::move(alias), range_of(node)});
  }

  void on_import(TSNode node) {
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (is(child, "dotted_name")) {
        std::string module(text(child));
        std::string first = module.substr(0, module.find('.'));
        add_import(module, "", first, child);
      } else if (is(child, "aliased_import")) {
        TSNode name = ts_node_child_by_field_name(child, "name", 4);
        TSNode alias = ts_node_child_by_field_name(child, "alias", 5);
        if (ts_node_is_null(name) || ts_node_is_null(alias)) continue;
        add_import(std::string(text(name)), "", std::string(text(alias)), child);
      }
    }
  }

  void on_import_from(TSNode node) {
    TSNode module_node = ts_node_child_by_field_name(node, "module_name", 11);
    if (ts_node_is_null(module_node)) return;
    std::string module = compact(module_node);  // "..pkg.mod" for relative imports
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (ts_node_eq(child, module_node)) continue;
      if (is(child, "wildcard_import")) {
        add_import(module, "*", "", child);
      } else if (is(child, "dotted_name")) {
        std::string name(text(child));
        add_import(module, name, name, child);
      } else if (is(child, "aliased_import")) {
        TSNode name = ts_node_child_by_field_name(child, "name", 4);
        TSNode alias = ts_node_child_by_field_name(child, "alias", 5);
        if (ts_node_is_null(name) || ts_node_is_null(alias)) continue;
        add_import(module, std::string(text(name)), std::string(text(alias)), child);
      }
    }
  }

  void on_comment(TSNode node) {
    if (suppressions_ == nullptr) return;
    if (auto rules = parse_suppression(text(node))) {
      suppressions_->push_back({ts_node_start_point(node).row, std::move(*rules)});
    }
  }

  // Main guard ------------------------------------------------------------------------------
  bool is_main_guard(TSNode node) const {
    TSNode condition = ts_node_child_by_field_name(node, "condition", 9);
    if (ts_node_is_null(condition) || !is(condition, "comparison_operator")) return false;
    std::string_view t = text(condition);
    return t.find("__name__") != std::string_view::npos && t.find("__main__") != std::string_view::npos &&
           t.find("==") != std::string_view::npos;
  }

  // Values ----------------------------------------------------------------------------------
  std::string string_value(TSNode node) const {
    if (is(node, "concatenated_string")) {
      std::string out;
      uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n && out.size() < kMaxStringLength; ++i) out += string_value(ts_node_named_child(node, i));
      return out;
    }
    std::string out;
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode part = ts_node_named_child(node, i);
      if (is(part, "string_content") || is(part, "escape_sequence")) out += text(part);
      else if (is(part, "interpolation")) out += "{…}";
      if (out.size() > kMaxStringLength) break;
    }
    return out;
  }

  // A dotted chain (`a`, `a.b.c`) as text, or "" when the expression is anything else.
  std::string dotted(TSNode node) const {
    if (is(node, "identifier")) return std::string(text(node));
    if (is(node, "attribute")) {
      TSNode object = ts_node_child_by_field_name(node, "object", 6);
      TSNode attribute = ts_node_child_by_field_name(node, "attribute", 9);
      if (ts_node_is_null(object) || ts_node_is_null(attribute)) return "";
      std::string base = dotted(object);
      if (base.empty()) return "";
      return base + "." + std::string(text(attribute));
    }
    return "";
  }

  Value value_of(TSNode node, int depth = 0) const {
    Value v;
    const char* type = ts_node_type(node);
    if (!std::strcmp(type, "true")) v.kind = Value::Kind::True;
    else if (!std::strcmp(type, "false")) v.kind = Value::Kind::False;
    else if (!std::strcmp(type, "none")) v.kind = Value::Kind::None;
    else if (!std::strcmp(type, "integer") || !std::strcmp(type, "float")) { v.kind = Value::Kind::Number; v.text = text(node); }
    else if (!std::strcmp(type, "string") || !std::strcmp(type, "concatenated_string")) { v.kind = Value::Kind::String; v.text = string_value(node); }
    else if (!std::strcmp(type, "identifier") || !std::strcmp(type, "attribute")) {
      v.text = dotted(node);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::Name;
    } else if (!std::strcmp(type, "dictionary") && depth < 4) {
      v.kind = Value::Kind::Dict;
      uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode pair = ts_node_named_child(node, i);
        if (!is(pair, "pair")) continue;
        TSNode key = ts_node_child_by_field_name(pair, "key", 3);
        TSNode value = ts_node_child_by_field_name(pair, "value", 5);
        if (ts_node_is_null(key) || ts_node_is_null(value) || !is(key, "string")) continue;
        v.entries.push_back({string_value(key), value_of(value, depth + 1)});
      }
    } else if (!std::strcmp(type, "call") && depth < 4) {  // dict(k=v, ...)
      TSNode function = ts_node_child_by_field_name(node, "function", 8);
      TSNode arguments = ts_node_child_by_field_name(node, "arguments", 9);
      if (!ts_node_is_null(function) && text(function) == "dict" && !ts_node_is_null(arguments)) {
        v.kind = Value::Kind::Dict;
        uint32_t n = ts_node_named_child_count(arguments);
        for (uint32_t i = 0; i < n; ++i) {
          TSNode arg = ts_node_named_child(arguments, i);
          if (!is(arg, "keyword_argument")) continue;
          TSNode name = ts_node_child_by_field_name(arg, "name", 4);
          TSNode value = ts_node_child_by_field_name(arg, "value", 5);
          if (ts_node_is_null(name) || ts_node_is_null(value)) continue;
          v.entries.push_back({std::string(text(name)), value_of(value, depth + 1)});
        }
      }
    } else if (!std::strcmp(type, "parenthesized_expression") && ts_node_named_child_count(node) == 1) {
      return value_of(ts_node_named_child(node, 0), depth);
    }
    return v;
  }

  // Calls -----------------------------------------------------------------------------------
  void on_call(TSNode node) {
    TSNode function = ts_node_child_by_field_name(node, "function", 8);
    TSNode arguments = ts_node_child_by_field_name(node, "arguments", 9);
    if (ts_node_is_null(function)) return;
    facts::Call call;
    call.callee = compact(function);
    call.qualified = dotted(function);  // resolved against imports after the walk
    if (is(function, "attribute")) {
      TSNode object = ts_node_child_by_field_name(function, "object", 6);
      TSNode attribute = ts_node_child_by_field_name(function, "attribute", 9);
      if (!ts_node_is_null(attribute)) call.method = text(attribute);
      if (!ts_node_is_null(object)) call.receiver = compact(object);
    } else if (is(function, "identifier")) {
      call.method = text(function);
    }
    call.scope = scope();
    call.in_main_guard = in_main_guard();
    call.range = range_of(node);
    call.callee_range = range_of(function);
    if (!ts_node_is_null(arguments) && is(arguments, "argument_list")) {
      uint32_t n = ts_node_named_child_count(arguments);
      uint32_t position = 0;
      for (uint32_t i = 0; i < n; ++i) {
        TSNode arg = ts_node_named_child(arguments, i);
        if (is(arg, "comment")) continue;
        facts::Argument a;
        a.range = range_of(arg);
        TSNode value_node = arg;
        std::string context = call.qualified.empty() ? call.callee : call.qualified;
        if (is(arg, "keyword_argument")) {
          TSNode name = ts_node_child_by_field_name(arg, "name", 4);
          value_node = ts_node_child_by_field_name(arg, "value", 5);
          if (!ts_node_is_null(name)) a.keyword = text(name);
          context += " " + a.keyword;
        } else if (is(arg, "dictionary_splat") || is(arg, "list_splat")) {
          a.dict_splat = is(arg, "dictionary_splat");
          a.list_splat = !a.dict_splat;
          value_node = ts_node_named_child_count(arg) ? ts_node_named_child(arg, 0) : TSNode{};
        } else {
          context += " #" + std::to_string(position++);
        }
        if (!ts_node_is_null(value_node)) {
          a.value = value_of(value_node);
          if (is(value_node, "string") || is(value_node, "concatenated_string"))
            string_context_[ts_node_start_byte(value_node)] = context;
        }
        call.args.push_back(std::move(a));
      }
      // Sibling string arguments are context too: os.environ.setdefault("WANDB_API_KEY", "...").
      std::string literals;
      for (const auto& a : call.args)
        if (a.value.kind == Value::Kind::String && a.value.text.size() < 64) literals += " " + a.value.text;
      if (!literals.empty())
        for (uint32_t i = 0; i < n; ++i) {
          auto it = string_context_.find(ts_node_start_byte(ts_node_named_child(arguments, i)));
          if (it != string_context_.end()) it->second += literals;
        }
    }
    out_.calls.push_back(std::move(call));
  }

  // Bindings and string contexts ------------------------------------------------------------
  void on_assignment(TSNode node) {
    TSNode left = ts_node_child_by_field_name(node, "left", 4);
    TSNode right = ts_node_child_by_field_name(node, "right", 5);
    if (ts_node_is_null(left) || ts_node_is_null(right)) return;
    if (is(right, "string") || is(right, "concatenated_string"))
      string_context_[ts_node_start_byte(right)] = "= " + compact(left);
    if (is(left, "identifier")) {
      out_.bindings.push_back({std::string(text(left)), scope(), value_of(right), range_of(node)});
    }
  }

  void on_pair(TSNode node) {
    TSNode key = ts_node_child_by_field_name(node, "key", 3);
    TSNode value = ts_node_child_by_field_name(node, "value", 5);
    if (ts_node_is_null(key) || ts_node_is_null(value)) return;
    if (is(value, "string") || is(value, "concatenated_string"))
      string_context_[ts_node_start_byte(value)] = "[] " + compact(key);
  }

  void on_string(TSNode node) {
    uint32_t length = ts_node_end_byte(node) - ts_node_start_byte(node);
    if (length > kMaxStringLength || length < 8) return;  // no key we know is shorter
    facts::StringLiteral literal;
    literal.value = string_value(node);
    auto it = string_context_.find(ts_node_start_byte(node));
    if (it != string_context_.end()) literal.context = it->second;
    literal.range = range_of(node);
    out_.strings.push_back(std::move(literal));
  }

  // Name resolution -------------------------------------------------------------------------
  void resolve_names() {
    std::unordered_map<std::string, std::string> aliases;  // local name -> dotted target
    for (const auto& imp : out_.imports) {
      if (imp.alias.empty()) continue;
      if (imp.name.empty()) {
        aliases[imp.alias] = imp.alias == imp.module.substr(0, imp.module.find('.')) && imp.module.find('.') != std::string::npos
                                 ? imp.alias  // `import a.b` binds `a` to the package a
                                 : imp.module;
      } else {
        std::string target = imp.module;
        if (!target.empty() && target.back() != '.') target += '.';
        aliases[imp.alias] = target + imp.name;
      }
    }
    auto resolve = [&](const std::string& name) -> std::string {
      if (name.empty()) return name;
      size_t dot = name.find('.');
      auto it = aliases.find(name.substr(0, dot));
      if (it == aliases.end()) return name;
      return dot == std::string::npos ? it->second : it->second + name.substr(dot);
    };
    std::function<void(Value&)> resolve_value = [&](Value& v) {
      if (v.kind == Value::Kind::Name) v.qualified = resolve(v.text);
      for (auto& entry : v.entries) resolve_value(entry.value);
    };
    for (auto& call : out_.calls) {
      call.qualified = resolve(call.qualified);
      for (auto& arg : call.args) resolve_value(arg.value);
    }
    for (auto& binding : out_.bindings) resolve_value(binding.value);
  }

  std::string_view text_;
  std::vector<facts::Suppression>* suppressions_;
  facts::PythonFacts out_;
  std::vector<Frame> frames_;
  std::unordered_map<uint32_t, std::string> string_context_;  // string start byte -> context
};

}  // namespace

facts::PythonFacts extract_facts(const TSTree* tree, std::string_view text,
                                 std::vector<facts::Suppression>* suppressions) {
  return Extractor(text, suppressions).run(tree);
}

}  // namespace mlaudit::python
