// How the walk works: like the Python extractor, a depth-first TSTreeCursor pass with a stack of
// scope frames; calls, bindings and strings are recorded as met, and names are resolved against
// the file's imports after the walk (a function may use an import declared below it).
#include "analyzers/syntax_walk.hpp"
#include "analyzers/javascript/js_facts.hpp"

#include <cctype>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/suppressions.hpp"

namespace mlaudit::javascript {
namespace {

using facts::Value;

constexpr size_t kMaxTextLength = 200;     // callee/receiver text kept per call
constexpr size_t kMaxStringLength = 4096;  // longer literals are not secrets we can match
constexpr int kMaxValueDepth = 4;          // nested object/array literals kept as values

facts::Range range_of(TSNode node) {
  TSPoint s = ts_node_start_point(node), e = ts_node_end_point(node);
  return {ts_node_start_byte(node), ts_node_end_byte(node), {s.row, s.column}, {e.row, e.column}};
}

enum class K : uint8_t {
  Other,
  Arguments,
  Array,
  ArrowFunction,
  AsExpression,
  AssignmentExpression,
  AwaitExpression,
  CallExpression,
  ClassDeclaration,
  Comment,
  EscapeSequence,
  False,
  FieldDefinition,
  FunctionDeclaration,
  FunctionExpression,
  Identifier,
  Import,
  ImportClause,
  ImportRequireClause,
  ImportSpecifier,
  ImportStatement,
  MemberExpression,
  MethodDefinition,
  NamedImports,
  NamespaceImport,
  NewExpression,
  NonNullExpression,
  Null,
  Number,
  Object,
  ObjectPattern,
  Pair,
  PairPattern,
  ParenthesizedExpression,
  PropertyIdentifier,
  ShorthandProperty,
  ShorthandPropertyPattern,
  SpreadElement,
  String,
  StringFragment,
  TemplateString,
  TemplateSubstitution,
  This,
  True,
  Undefined,
  VariableDeclarator,
};
constexpr std::pair<const char*, K> kKindNames[] = {
    {"arguments", K::Arguments},
    {"array", K::Array},
    {"arrow_function", K::ArrowFunction},
    {"as_expression", K::AsExpression},
    {"satisfies_expression", K::AsExpression},
    {"assignment_expression", K::AssignmentExpression},
    {"await_expression", K::AwaitExpression},
    {"call_expression", K::CallExpression},
    {"class_declaration", K::ClassDeclaration},
    {"abstract_class_declaration", K::ClassDeclaration},
    {"class", K::ClassDeclaration},
    {"comment", K::Comment},
    {"escape_sequence", K::EscapeSequence},
    {"false", K::False},
    {"field_definition", K::FieldDefinition},
    {"public_field_definition", K::FieldDefinition},
    {"function_declaration", K::FunctionDeclaration},
    {"generator_function_declaration", K::FunctionDeclaration},
    {"function_expression", K::FunctionExpression},
    {"generator_function", K::FunctionExpression},
    {"identifier", K::Identifier},
    {"import", K::Import},
    {"import_clause", K::ImportClause},
    {"import_require_clause", K::ImportRequireClause},
    {"import_specifier", K::ImportSpecifier},
    {"import_statement", K::ImportStatement},
    {"member_expression", K::MemberExpression},
    {"method_definition", K::MethodDefinition},
    {"named_imports", K::NamedImports},
    {"namespace_import", K::NamespaceImport},
    {"new_expression", K::NewExpression},
    {"non_null_expression", K::NonNullExpression},
    {"null", K::Null},
    {"number", K::Number},
    {"object", K::Object},
    {"object_pattern", K::ObjectPattern},
    {"pair", K::Pair},
    {"pair_pattern", K::PairPattern},
    {"parenthesized_expression", K::ParenthesizedExpression},
    {"property_identifier", K::PropertyIdentifier},
    {"shorthand_property_identifier", K::ShorthandProperty},
    {"shorthand_property_identifier_pattern", K::ShorthandPropertyPattern},
    {"spread_element", K::SpreadElement},
    {"string", K::String},
    {"string_fragment", K::StringFragment},
    {"template_string", K::TemplateString},
    {"template_substitution", K::TemplateSubstitution},
    {"this", K::This},
    {"true", K::True},
    {"undefined", K::Undefined},
    {"variable_declarator", K::VariableDeclarator},
};

// Node kinds and field ids of one grammar, resolved once (the three grammars number their
// symbols differently).
struct Grammar {
  std::vector<K> kinds;
  TSFieldId alias = 0, arguments = 0, constructor = 0, function = 0, key = 0, left = 0, name = 0, object = 0,
            property = 0, right = 0, source = 0, value = 0;

  explicit Grammar(const TSLanguage* lang) {
    uint32_t count = ts_language_symbol_count(lang);
    kinds.assign(count, K::Other);
    for (uint32_t symbol = 0; symbol < count; ++symbol) {
      auto type = ts_language_symbol_type(lang, static_cast<TSSymbol>(symbol));
      const char* sym = ts_language_symbol_name(lang, static_cast<TSSymbol>(symbol));
      // `import` is an anonymous keyword except as the callee of a dynamic import.
      if (type != TSSymbolTypeRegular && std::strcmp(sym, "import") != 0) continue;
      for (const auto& [kind_name, kind] : kKindNames)
        if (std::strcmp(sym, kind_name) == 0 && (type == TSSymbolTypeRegular || kind == K::Import)) kinds[symbol] = kind;
    }
    auto field = [&](const char* n) { return ts_language_field_id_for_name(lang, n, static_cast<uint32_t>(std::strlen(n))); };
    alias = field("alias");
    arguments = field("arguments");
    constructor = field("constructor");
    function = field("function");
    key = field("key");
    left = field("left");
    name = field("name");
    object = field("object");
    property = field("property");
    right = field("right");
    source = field("source");
    value = field("value");
  }
};

const Grammar& grammar_for(Dialect dialect) {
  static const Grammar js(language(Dialect::JavaScript));
  static const Grammar ts(language(Dialect::TypeScript));
  static const Grammar tsx(language(Dialect::Tsx));
  return dialect == Dialect::TypeScript ? ts : dialect == Dialect::Tsx ? tsx : js;
}

// A default import (or a whole-module require) bound to `local`: see js_facts.hpp.
facts::Import default_import(std::string module, const std::string& local) {
  bool capitalised = !local.empty() && std::isupper(static_cast<unsigned char>(local[0]));
  return {std::move(module), capitalised ? local : "", local, {}, {}};
}

class Extractor {
 public:
  Extractor(const Grammar& g, std::string_view text, std::vector<facts::Suppression>* suppressions)
      : g_(g), text_(text), suppressions_(suppressions) {}

  facts::PythonFacts collect(TSNode root) {
    walk(root);
    return std::move(out_);
  }

 private:
  struct Frame {
    uint32_t depth;
    std::string scope;
  };

  K kind(TSNode node) const {
    if (ts_node_is_null(node)) return K::Other;
    TSSymbol symbol = ts_node_symbol(node);
    return symbol < g_.kinds.size() ? g_.kinds[symbol] : K::Other;
  }
  TSNode field(TSNode node, TSFieldId id) const { return id ? ts_node_child_by_field_id(node, id) : TSNode{}; }

  std::string_view text(TSNode node) const {
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    if (start > text_.size() || end > text_.size() || end < start) return {};
    return text_.substr(start, end - start);
  }

  // Source text with whitespace runs collapsed, capped at kMaxTextLength.
  std::string compact(TSNode node) const { return collapse_whitespace(text(node), kMaxTextLength, false); }

  const std::string& scope() const {
    static const std::string empty;
    return frames_.empty() ? empty : frames_.back().scope;
  }

  // The walk --------------------------------------------------------------------------------
  void walk(TSNode root) {
    walk_syntax_tree(root, [this](TSNode node, uint32_t depth) { return visit(node, depth); },
                     [this](uint32_t depth) { leave(depth); });
  }


  void leave(uint32_t depth) {
    while (!frames_.empty() && frames_.back().depth >= depth) frames_.pop_back();
  }

  // The name a function or class introduces as scope: its own name, else the variable, field
  // or property it is assigned to (`const handler = async () => {}`), else "?".
  std::string scope_name(TSNode node) const {
    TSNode name = field(node, g_.name);
    if (!ts_node_is_null(name)) return std::string(text(name));
    TSNode parent = ts_node_parent(node);
    if (kind(parent) == K::VariableDeclarator || kind(parent) == K::FieldDefinition) {
      TSNode target = field(parent, g_.name);
      if (ts_node_is_null(target)) target = field(parent, g_.property);
      if (!ts_node_is_null(target) && kind(target) != K::ObjectPattern) return compact(target);
    }
    if (kind(parent) == K::Pair) {
      TSNode key = field(parent, g_.key);
      if (!ts_node_is_null(key)) return compact(key);
    }
    return "?";
  }

  bool visit(TSNode node, uint32_t depth) {
    const K k = kind(node);
    switch (k) {
      case K::ImportStatement: on_import(node); return false;
      case K::Comment: on_comment(node); return false;
      case K::FunctionDeclaration:
      case K::FunctionExpression:
      case K::ArrowFunction:
      case K::ClassDeclaration:
      case K::MethodDefinition: {
        std::string scoped = scope();
        if (!scoped.empty()) scoped += '.';
        scoped += scope_name(node);
        frames_.push_back({depth, std::move(scoped)});
        return true;
      }
      case K::CallExpression:
      case K::NewExpression: on_call(node, k); return true;
      case K::VariableDeclarator: on_declarator(node); return true;
      case K::AssignmentExpression: on_assignment(node); return true;
      case K::FieldDefinition: on_field(node); return true;
      case K::Pair: on_pair(node); return true;
      case K::String:
      case K::TemplateString: on_string(node); return k == K::TemplateString;  // substitutions hold code
      default: return true;
    }
  }

  // Imports ---------------------------------------------------------------------------------
  void add_import(facts::Import imp, TSNode node, TSNode statement) {
    imp.range = range_of(node);
    imp.statement = range_of(statement);
    out_.imports.push_back(std::move(imp));
  }

  // The module a string node names ("" when it is not a plain string).
  std::string module_of(TSNode node) const {
    if (kind(node) != K::String && kind(node) != K::TemplateString) return "";
    if (kind(node) == K::TemplateString && has_substitution(node)) return "";
    return string_value(node);
  }

  void on_import(TSNode node) {
    std::string module = module_of(field(node, g_.source));
    uint32_t n = ts_node_named_child_count(node);
    bool bound = false;
    for (uint32_t i = 0; i < n; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (kind(child) == K::ImportRequireClause) {  // TS: import X = require("m")
        TSNode source = field(child, g_.source);
        std::string required = module_of(source);
        for (uint32_t j = 0; j < ts_node_named_child_count(child); ++j) {
          TSNode id = ts_node_named_child(child, j);
          if (kind(id) == K::Identifier && !required.empty()) {
            add_import(default_import(required, std::string(text(id))), id, node);
            bound = true;
          }
        }
        continue;
      }
      if (kind(child) != K::ImportClause || module.empty()) continue;
      for (uint32_t j = 0; j < ts_node_named_child_count(child); ++j) {
        TSNode part = ts_node_named_child(child, j);
        if (kind(part) == K::Identifier) {
          add_import(default_import(module, std::string(text(part))), part, node);
          bound = true;
        } else if (kind(part) == K::NamespaceImport) {
          for (uint32_t m = 0; m < ts_node_named_child_count(part); ++m) {
            TSNode id = ts_node_named_child(part, m);
            if (kind(id) == K::Identifier) { add_import({module, "", std::string(text(id)), {}, {}}, part, node); bound = true; }
          }
        } else if (kind(part) == K::NamedImports) {
          for (uint32_t m = 0; m < ts_node_named_child_count(part); ++m) {
            TSNode spec = ts_node_named_child(part, m);
            if (kind(spec) != K::ImportSpecifier) continue;
            TSNode name = field(spec, g_.name), alias = field(spec, g_.alias);
            if (ts_node_is_null(name)) continue;
            std::string imported = kind(name) == K::String ? string_value(name) : std::string(text(name));
            std::string local = ts_node_is_null(alias) ? imported : std::string(text(alias));
            if (imported == "default") add_import(default_import(module, local), spec, node);
            else add_import({module, imported, local, {}, {}}, spec, node);
            bound = true;
          }
        }
      }
    }
    if (!bound && !module.empty()) add_import({module, "", "", {}, {}}, node, node);  // import "m" (side effects)
  }

  // The module of `require("m")` / `import("m")` (also under `await` and parentheses), or "".
  std::string required_module(TSNode node) const {
    while (kind(node) == K::AwaitExpression || kind(node) == K::ParenthesizedExpression || kind(node) == K::NonNullExpression ||
           kind(node) == K::AsExpression)
      node = ts_node_named_child(node, 0);
    if (kind(node) != K::CallExpression) return "";
    TSNode function = field(node, g_.function), arguments = field(node, g_.arguments);
    bool loader = kind(function) == K::Import || (kind(function) == K::Identifier && text(function) == "require");
    if (!loader || ts_node_is_null(arguments) || ts_node_named_child_count(arguments) == 0) return "";
    return module_of(ts_node_named_child(arguments, 0));
  }

  TSNode unwrap_to_call(TSNode node) const {
    while (kind(node) == K::AwaitExpression || kind(node) == K::ParenthesizedExpression || kind(node) == K::NonNullExpression ||
           kind(node) == K::AsExpression)
      node = ts_node_named_child(node, 0);
    return node;
  }

  // const X = require("m"); const { A, B: C } = await import("m")
  bool on_require_declarator(TSNode node, TSNode name, TSNode value) {
    std::string module = required_module(value);
    if (module.empty()) return false;
    claimed_loaders_.insert(ts_node_start_byte(unwrap_to_call(value)));
    if (kind(name) == K::Identifier) {
      add_import(default_import(module, std::string(text(name))), name, node);
    } else if (kind(name) == K::ObjectPattern) {
      for (uint32_t i = 0; i < ts_node_named_child_count(name); ++i) {
        TSNode part = ts_node_named_child(name, i);
        if (kind(part) == K::ShorthandPropertyPattern) {
          std::string id(text(part));
          add_import({module, id, id, {}, {}}, part, node);
        } else if (kind(part) == K::PairPattern) {
          TSNode key = field(part, g_.key), local = field(part, g_.value);
          if (ts_node_is_null(key) || kind(local) != K::Identifier) continue;
          std::string imported = kind(key) == K::String ? string_value(key) : std::string(text(key));
          if (imported == "default") add_import(default_import(module, std::string(text(local))), part, node);
          else add_import({module, imported, std::string(text(local)), {}, {}}, part, node);
        }
      }
    } else {
      add_import({module, "", "", {}, {}}, value, node);
    }
    return true;
  }

  void on_comment(TSNode node) {
    if (suppressions_ == nullptr) return;
    std::string_view body = text(node);
    if (body.size() < 2) return;
    // The shared parser reads `# mlaudit: ...`: the comment's marker becomes '#'.
    std::string hashed = "#" + std::string(body.substr(2));
    if (body.substr(0, 2) == "/*" && hashed.size() >= 2 && hashed.substr(hashed.size() - 2) == "*/") hashed.resize(hashed.size() - 2);
    uint32_t line = ts_node_start_point(node).row;
    if (auto rules = parse_suppression(hashed)) suppressions_->push_back({line, std::move(*rules)});
    if (auto rules = parse_file_suppression(hashed)) suppressions_->push_back({line, std::move(*rules), true});
  }

  // Values ----------------------------------------------------------------------------------
  bool has_substitution(TSNode node) const {
    for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i)
      if (kind(ts_node_named_child(node, i)) == K::TemplateSubstitution) return true;
    return false;
  }

  std::string string_value(TSNode node) const {
    std::string out;
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n && out.size() <= kMaxStringLength; ++i) {
      TSNode part = ts_node_named_child(node, i);
      if (kind(part) == K::StringFragment || kind(part) == K::EscapeSequence) out += text(part);
      else if (kind(part) == K::TemplateSubstitution) out += "{…}";
    }
    // Template literals have no fragment node for text between substitutions in some grammar
    // versions: fall back on the raw text inside the backticks when nothing was collected.
    if (out.empty() && kind(node) == K::TemplateString && n == 0) {
      std::string_view raw = text(node);
      if (raw.size() >= 2) out = raw.substr(1, raw.size() - 2);
    }
    return out;
  }

  // A dotted chain (`a`, `this.client.chat`) as text, or "" for anything else.
  std::string dotted(TSNode node) const {
    const K k = kind(node);
    if (k == K::Identifier || k == K::This) return std::string(text(node));
    if (k == K::NonNullExpression && ts_node_named_child_count(node) == 1) return dotted(ts_node_named_child(node, 0));
    if (k == K::MemberExpression) {
      TSNode object = field(node, g_.object), property = field(node, g_.property);
      if (ts_node_is_null(object) || ts_node_is_null(property)) return "";
      std::string base = dotted(object);
      if (base.empty()) return "";
      return base + "." + std::string(text(property));
    }
    return "";
  }

  // The key of an object property as text ("" for computed keys).
  std::string key_text(TSNode key) const {
    if (kind(key) == K::String) return string_value(key);
    if (kind(key) == K::PropertyIdentifier || kind(key) == K::Identifier || kind(key) == K::Number) return std::string(text(key));
    return "";
  }

  Value value_of(TSNode node, int depth = 0) const {
    Value v;
    switch (kind(node)) {
      case K::True: v.kind = Value::Kind::True; break;
      case K::False: v.kind = Value::Kind::False; break;
      case K::Null:
      case K::Undefined: v.kind = Value::Kind::None; break;
      case K::Number: v.kind = Value::Kind::Number; v.text = text(node); break;
      case K::String:
      case K::TemplateString: v.kind = Value::Kind::String; v.text = string_value(node); break;
      case K::Identifier:
      case K::This:
      case K::MemberExpression:
        v.text = dotted(node);
        v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::Name;
        break;
      case K::Array:
        if (depth >= kMaxValueDepth) break;
        v.kind = Value::Kind::List;
        for (uint32_t i = 0, n = ts_node_named_child_count(node); i < n && i < 64; ++i) {
          TSNode item = ts_node_named_child(node, i);
          if (kind(item) != K::Comment) v.entries.push_back({"", value_of(item, depth + 1)});
        }
        break;
      case K::Object:
        if (depth >= kMaxValueDepth) break;
        v.kind = Value::Kind::Dict;
        for (uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
          TSNode member = ts_node_named_child(node, i);
          if (kind(member) == K::ShorthandProperty) {
            Value name;
            name.kind = Value::Kind::Name;
            name.text = text(member);
            v.entries.push_back({std::string(text(member)), std::move(name)});
          } else if (kind(member) == K::Pair) {
            std::string key = key_text(field(member, g_.key));
            TSNode value = field(member, g_.value);
            if (!key.empty() && !ts_node_is_null(value)) v.entries.push_back({key, value_of(value, depth + 1)});
          }
        }
        break;
      case K::ParenthesizedExpression:
      case K::AsExpression:
      case K::NonNullExpression:
        if (ts_node_named_child_count(node) >= 1) return value_of(ts_node_named_child(node, 0), depth);
        break;
      default: break;
    }
    return v;
  }

  // Calls -----------------------------------------------------------------------------------
  void on_call(TSNode node, K k) {
    TSNode function = field(node, k == K::NewExpression ? g_.constructor : g_.function);
    TSNode arguments = field(node, g_.arguments);
    if (ts_node_is_null(function)) return;
    if (k == K::CallExpression && !claimed_loaders_.count(ts_node_start_byte(node))) {
      std::string module = required_module(node);  // require("dotenv").config(), await import("x")
      if (!module.empty()) add_import({module, "", "", {}, {}}, node, node);
    }
    facts::Call call;
    call.callee = compact(function);
    call.qualified = dotted(function);  // resolved against imports after the walk
    if (kind(function) == K::MemberExpression) {
      TSNode object = field(function, g_.object), property = field(function, g_.property);
      if (!ts_node_is_null(property)) call.method = text(property);
      if (!ts_node_is_null(object)) call.receiver = compact(object);
    } else if (kind(function) == K::Identifier) {
      call.method = text(function);
    }
    call.scope = scope();
    call.range = range_of(node);
    call.callee_range = range_of(function);
    if (!ts_node_is_null(arguments) && kind(arguments) == K::Arguments) {
      std::string context = call.qualified.empty() ? call.callee : call.qualified;
      uint32_t position = 0;
      for (uint32_t i = 0, n = ts_node_named_child_count(arguments); i < n; ++i) {
        TSNode arg = ts_node_named_child(arguments, i);
        if (kind(arg) == K::Comment) continue;
        facts::Argument a;
        a.range = range_of(arg);
        if (kind(arg) == K::SpreadElement) {
          a.list_splat = true;
          if (ts_node_named_child_count(arg)) a.value = value_of(ts_node_named_child(arg, 0));
          call.args.push_back(std::move(a));
          continue;
        }
        a.value = value_of(arg);
        if (kind(arg) == K::String || kind(arg) == K::TemplateString)
          string_context_.emplace(ts_node_start_byte(arg), context + " #" + std::to_string(position));
        ++position;
        call.args.push_back(std::move(a));
        if (kind(arg) == K::Object) add_object_keywords(arg, context, call);
      }
    }
    out_.calls.push_back(std::move(call));
  }

  // Each property of an object-literal argument as a keyword argument (see js_facts.hpp).
  void add_object_keywords(TSNode object, const std::string& context, facts::Call& call) {
    for (uint32_t i = 0, n = ts_node_named_child_count(object); i < n; ++i) {
      TSNode member = ts_node_named_child(object, i);
      facts::Argument a;
      a.range = range_of(member);
      if (kind(member) == K::ShorthandProperty) {
        a.keyword = text(member);
        a.value.kind = Value::Kind::Name;
        a.value.text = a.keyword;
      } else if (kind(member) == K::Pair) {
        TSNode value = field(member, g_.value);
        a.keyword = key_text(field(member, g_.key));
        if (a.keyword.empty() || ts_node_is_null(value)) continue;
        a.value = value_of(value);
        if (kind(value) == K::String || kind(value) == K::TemplateString)
          string_context_.emplace(ts_node_start_byte(value), context + " " + a.keyword);
      } else if (kind(member) == K::SpreadElement) {
        a.dict_splat = true;
        if (ts_node_named_child_count(member)) a.value = value_of(ts_node_named_child(member, 0));
      } else {
        continue;  // methods, getters: not values
      }
      call.args.push_back(std::move(a));
    }
  }

  // Bindings and string contexts ------------------------------------------------------------
  void on_declarator(TSNode node) {
    TSNode name = field(node, g_.name), value = field(node, g_.value);
    if (ts_node_is_null(name) || ts_node_is_null(value)) return;
    if (on_require_declarator(node, name, value)) return;
    if (kind(name) != K::Identifier) return;
    if (kind(value) == K::String || kind(value) == K::TemplateString)
      string_context_.emplace(ts_node_start_byte(value), "= " + std::string(text(name)));
    out_.bindings.push_back({std::string(text(name)), scope(), value_of(value), range_of(node), {}});  // no JS data flow yet
  }

  void on_assignment(TSNode node) {
    TSNode left = field(node, g_.left), right = field(node, g_.right);
    if (ts_node_is_null(left) || ts_node_is_null(right)) return;
    if (kind(right) == K::String || kind(right) == K::TemplateString)
      string_context_.emplace(ts_node_start_byte(right), "= " + compact(left));
    if (kind(left) == K::Identifier) out_.bindings.push_back({std::string(text(left)), scope(), value_of(right), range_of(node), {}});
  }

  void on_field(TSNode node) {
    TSNode name = field(node, g_.name);
    if (ts_node_is_null(name)) name = field(node, g_.property);
    TSNode value = field(node, g_.value);
    if (ts_node_is_null(name) || ts_node_is_null(value)) return;
    if (kind(value) == K::String || kind(value) == K::TemplateString)
      string_context_.emplace(ts_node_start_byte(value), "= " + compact(name));
  }

  void on_pair(TSNode node) {
    TSNode key = field(node, g_.key), value = field(node, g_.value);
    if (ts_node_is_null(key) || ts_node_is_null(value)) return;
    if (kind(value) == K::String || kind(value) == K::TemplateString)
      string_context_.emplace(ts_node_start_byte(value), "[] " + compact(key));  // a call's context wins
  }

  void on_string(TSNode node) {
    uint32_t length = ts_node_end_byte(node) - ts_node_start_byte(node);
    if (length > kMaxStringLength || length < 8) return;  // no key we know is shorter
    facts::StringLiteral literal;
    literal.value = string_value(node);
    if (auto it = string_context_.find(ts_node_start_byte(node)); it != string_context_.end()) literal.context = it->second;
    literal.range = range_of(node);
    out_.strings.push_back(std::move(literal));
  }

  const Grammar& g_;
  std::string_view text_;
  std::vector<facts::Suppression>* suppressions_;
  facts::PythonFacts out_;
  std::vector<Frame> frames_;
  std::unordered_map<uint32_t, std::string> string_context_;  // string start byte -> context
  std::unordered_set<uint32_t> claimed_loaders_;              // require()/import() calls bound by a declaration
};

// Qualified names of calls and values, with the file's import bindings resolved.
void resolve_names(facts::PythonFacts& out) {
  std::unordered_map<std::string, std::string> aliases;  // local name -> dotted target
  for (const auto& imp : out.imports) {
    if (imp.alias.empty()) continue;
    aliases[imp.alias] = imp.name.empty() ? imp.module : imp.module + "." + imp.name;
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
  for (auto& call : out.calls) {
    call.qualified = resolve(call.qualified);
    for (auto& arg : call.args) resolve_value(arg.value);
  }
  for (auto& binding : out.bindings) resolve_value(binding.value);
}

}  // namespace

facts::PythonFacts extract_facts(const TSTree* tree, Dialect dialect, std::string_view text,
                                 std::vector<facts::Suppression>* suppressions) {
  TSNode root = ts_tree_root_node(tree);
  facts::PythonFacts out = Extractor(grammar_for(dialect), text, suppressions).collect(root);
  out.has_syntax_errors = ts_node_has_error(root);
  resolve_names(out);
  return out;
}

}  // namespace mlaudit::javascript
