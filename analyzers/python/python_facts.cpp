// How the walk works: a depth-first pass with a TSTreeCursor keeps a stack of "frames" for the
// constructs that give context (def/class scopes, the main guard). Calls, bindings and string
// literals are recorded as they are met; qualified names are resolved after the walk, when
// every import of the file is known (imports may follow their first use in a function).
#include "analyzers/syntax_walk.hpp"
#include "analyzers/python/python_facts.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "analyzers/python/python_flow.hpp"
#include "analyzers/python/python_parser.hpp"
#include "analyzers/suppressions.hpp"

namespace mlaudit::python {
namespace {

using facts::Value;

constexpr size_t kMaxTextLength = 200;    // callee/receiver text kept per call
constexpr size_t kMaxStringLength = 4096;  // longer literals are not secrets we can match
constexpr uint32_t kMaxFlowNodes = 128;    // nodes of one expression read for its data flow

facts::Range range_of(TSNode node) {
  TSPoint s = ts_node_start_point(node), e = ts_node_end_point(node);
  return {ts_node_start_byte(node), ts_node_end_byte(node), {s.row, s.column}, {e.row, e.column}};
}


// Node kinds and field ids resolved once from the grammar: the walk compares small integers,
// not type-name strings, and looks fields up by id (both showed up in profiles of big files).
enum class K : uint8_t {
  Other,
  AliasedImport,
  ArgumentList,
  Assignment,
  Attribute,
  Call,
  ClassDefinition,
  Comment,
  ComparisonOperator,
  ConcatenatedString,
  Dictionary,
  DictionarySplat,
  DottedName,
  EscapeSequence,
  False,
  Float,
  FunctionDefinition,
  Identifier,
  IfStatement,
  ImportFromStatement,
  ImportStatement,
  Integer,
  Interpolation,
  KeywordArgument,
  Lambda,
  List,
  Tuple,
  ListSplat,
  None,
  Pair,
  ParenthesizedExpression,
  String,
  StringContent,
  True,
  WildcardImport,
};
constexpr std::pair<const char*, K> kKindNames[] = {
    {"aliased_import", K::AliasedImport},
    {"argument_list", K::ArgumentList},
    {"assignment", K::Assignment},
    {"attribute", K::Attribute},
    {"call", K::Call},
    {"class_definition", K::ClassDefinition},
    {"comment", K::Comment},
    {"comparison_operator", K::ComparisonOperator},
    {"concatenated_string", K::ConcatenatedString},
    {"dictionary", K::Dictionary},
    {"dictionary_splat", K::DictionarySplat},
    {"dotted_name", K::DottedName},
    {"escape_sequence", K::EscapeSequence},
    {"false", K::False},
    {"float", K::Float},
    {"function_definition", K::FunctionDefinition},
    {"identifier", K::Identifier},
    {"if_statement", K::IfStatement},
    {"import_from_statement", K::ImportFromStatement},
    {"import_statement", K::ImportStatement},
    {"integer", K::Integer},
    {"interpolation", K::Interpolation},
    {"keyword_argument", K::KeywordArgument},
    {"lambda", K::Lambda},
    {"list", K::List},
    {"tuple", K::Tuple},
    {"list_splat", K::ListSplat},
    {"none", K::None},
    {"pair", K::Pair},
    {"parenthesized_expression", K::ParenthesizedExpression},
    {"string", K::String},
    {"string_content", K::StringContent},
    {"true", K::True},
    {"wildcard_import", K::WildcardImport},
};

struct Grammar {
  std::vector<K> kinds;  // indexed by TSSymbol; aliases of a named node map to the same kind
  TSFieldId alias = 0;
  TSFieldId arguments = 0;
  TSFieldId attribute = 0;
  TSFieldId condition = 0;
  TSFieldId function = 0;
  TSFieldId key = 0;
  TSFieldId left = 0;
  TSFieldId module_name = 0;
  TSFieldId name = 0;
  TSFieldId object = 0;
  TSFieldId right = 0;
  TSFieldId value = 0;

  Grammar() {
    const TSLanguage* lang = language();
    uint32_t count = ts_language_symbol_count(lang);
    kinds.assign(count, K::Other);
    for (uint32_t symbol = 0; symbol < count; ++symbol) {
      if (ts_language_symbol_type(lang, static_cast<TSSymbol>(symbol)) != TSSymbolTypeRegular) continue;
      const char* name = ts_language_symbol_name(lang, static_cast<TSSymbol>(symbol));
      for (const auto& [kind_name, kind] : kKindNames)
        if (std::strcmp(name, kind_name) == 0) kinds[symbol] = kind;
    }
    auto field = [&](const char* name) { return ts_language_field_id_for_name(lang, name, static_cast<uint32_t>(std::strlen(name))); };
    alias = field("alias");
    arguments = field("arguments");
    attribute = field("attribute");
    condition = field("condition");
    function = field("function");
    key = field("key");
    left = field("left");
    module_name = field("module_name");
    name = field("name");
    object = field("object");
    right = field("right");
    value = field("value");
  }
};

// Built at start-up rather than on first use: kind() runs for every node of every file, and a
// function-local static's guard check on each call showed in profiles (the grammar tables are
// static data of the linked parser, so nothing here depends on another file's initialization).
const Grammar kGrammar;
inline const Grammar& grammar() { return kGrammar; }

K kind(TSNode node) {
  const auto& kinds = grammar().kinds;
  TSSymbol symbol = ts_node_symbol(node);
  return symbol < kinds.size() ? kinds[symbol] : K::Other;
}

TSNode field(TSNode node, TSFieldId id) { return ts_node_child_by_field_id(node, id); }

class Extractor {
 public:
  Extractor(std::string_view text, std::vector<facts::Suppression>* suppressions)
      : text_(text), suppressions_(suppressions) {}

  // Facts of the subtree at `node`, names not yet resolved against the file's imports.
  facts::PythonFacts collect(TSNode node) {
    walk(node);
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
  std::string compact(TSNode node) const { return collapse_whitespace(text(node), kMaxTextLength, true); }

  const std::string& scope() const { static const std::string empty; return frames_.empty() ? empty : frames_.back().scope; }
  bool in_main_guard() const { return !frames_.empty() && frames_.back().main_guard; }

  // The walk ------------------------------------------------------------------------------
  void walk(TSNode root) {
    walk_syntax_tree(root, [this](TSNode node, uint32_t depth) { return visit(node, depth); },
                     [this](uint32_t depth) { leave(depth); });
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
    const K k = kind(node);
    if (k == K::ImportStatement) { on_import(node); return false; }
    if (k == K::ImportFromStatement) { on_import_from(node); return false; }
    if (k == K::Comment) { on_comment(node); return false; }
    if (k == K::FunctionDefinition || k == K::ClassDefinition) {
      TSNode name = field(node, grammar().name);
      std::string scoped = scope();
      if (!scoped.empty()) scoped += '.';
      scoped += ts_node_is_null(name) ? "?" : std::string(text(name));
      push_frame(depth, std::move(scoped), in_main_guard());
      return true;
    }
    if (k == K::IfStatement && is_main_guard(node)) {
      out_.has_main_guard = true;
      push_frame(depth, scope(), true);
      return true;
    }
    if (k == K::Call) { on_call(node); return true; }
    if (k == K::Assignment) { on_assignment(node); return true; }
    if (k == K::Pair) { on_pair(node); return true; }
    if (k == K::String || k == K::ConcatenatedString) {
      on_string(node);
      return false;
    }
    return true;
  }

  // Imports ---------------------------------------------------------------------------------
  void add_import(std::string module, std::string name, std::string alias, TSNode node) {
    out_.imports.push_back({std::move(module), std::move(name), std::move(alias), range_of(node), range_of(ts_node_parent(node))});
  }

  void on_import(TSNode node) {
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (kind(child) == K::DottedName) {
        std::string module(text(child));
        std::string first = module.substr(0, module.find('.'));
        add_import(module, "", first, child);
      } else if (kind(child) == K::AliasedImport) {
        TSNode name = field(child, grammar().name);
        TSNode alias = field(child, grammar().alias);
        if (ts_node_is_null(name) || ts_node_is_null(alias)) continue;
        add_import(std::string(text(name)), "", std::string(text(alias)), child);
      }
    }
  }

  void on_import_from(TSNode node) {
    TSNode module_node = field(node, grammar().module_name);
    if (ts_node_is_null(module_node)) return;
    std::string module = compact(module_node);  // "..pkg.mod" for relative imports
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (ts_node_eq(child, module_node)) continue;
      if (kind(child) == K::WildcardImport) {
        add_import(module, "*", "", child);
      } else if (kind(child) == K::DottedName) {
        std::string name(text(child));
        add_import(module, name, name, child);
      } else if (kind(child) == K::AliasedImport) {
        TSNode name = field(child, grammar().name);
        TSNode alias = field(child, grammar().alias);
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
    if (auto rules = parse_file_suppression(text(node))) {
      suppressions_->push_back({ts_node_start_point(node).row, std::move(*rules), true});
    }
  }

  // Main guard ------------------------------------------------------------------------------
  bool is_main_guard(TSNode node) const {
    TSNode condition = field(node, grammar().condition);
    if (ts_node_is_null(condition) || kind(condition) != K::ComparisonOperator) return false;
    std::string_view t = text(condition);
    return t.find("__name__") != std::string_view::npos && t.find("__main__") != std::string_view::npos &&
           t.find("==") != std::string_view::npos;
  }

  // Values ----------------------------------------------------------------------------------
  std::string string_value(TSNode node) const {
    if (kind(node) == K::ConcatenatedString) {
      std::string out;
      uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n && out.size() < kMaxStringLength; ++i) out += string_value(ts_node_named_child(node, i));
      return out;
    }
    std::string out;
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode part = ts_node_named_child(node, i);
      if (kind(part) == K::StringContent || kind(part) == K::EscapeSequence) out += text(part);
      else if (kind(part) == K::Interpolation) out += "{…}";
      if (out.size() > kMaxStringLength) break;
    }
    return out;
  }

  // A dotted chain (`a`, `a.b.c`) as text, or "" when the expression is anything else.
  std::string dotted(TSNode node) const {
    // Down the object chain in a loop (a.b.c...: one recursion per dot overflowed the stack on
    // a 100,000-dot line), the parts joined once at the end.
    std::vector<std::string_view> attributes;
    while (kind(node) == K::Attribute) {
      TSNode object = field(node, grammar().object);
      TSNode attribute = field(node, grammar().attribute);
      if (ts_node_is_null(object) || ts_node_is_null(attribute)) return "";
      attributes.push_back(text(attribute));
      node = object;
    }
    if (kind(node) != K::Identifier) return "";
    std::string out(text(node));
    for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
      out += '.';
      out += *it;
    }
    return out;
  }

  Value value_of(TSNode node, int depth = 0) const {
    Value v;
    const K k = kind(node);
    if (k == K::True) v.kind = Value::Kind::True;
    else if (k == K::False) v.kind = Value::Kind::False;
    else if (k == K::None) v.kind = Value::Kind::None;
    else if (k == K::Integer || k == K::Float) { v.kind = Value::Kind::Number; v.text = text(node); }
    else if (k == K::String || k == K::ConcatenatedString) { v.kind = Value::Kind::String; v.text = string_value(node); }
    else if (k == K::Identifier || k == K::Attribute) {
      v.text = dotted(node);
      v.kind = v.text.empty() ? Value::Kind::Other : Value::Kind::Name;
    } else if ((k == K::List || k == K::Tuple) && depth < 4) {
      v.kind = Value::Kind::List;
      uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n && i < 64; ++i) v.entries.push_back({"", value_of(ts_node_named_child(node, i), depth + 1)});
    } else if (k == K::Dictionary && depth < 4) {
      v.kind = Value::Kind::Dict;
      uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode pair = ts_node_named_child(node, i);
        if (kind(pair) != K::Pair) continue;
        TSNode key = field(pair, grammar().key);
        TSNode value = field(pair, grammar().value);
        if (ts_node_is_null(key) || ts_node_is_null(value) || kind(key) != K::String) continue;
        v.entries.push_back({string_value(key), value_of(value, depth + 1)});
      }
    } else if (k == K::Call && depth < 4) {  // dict(k=v, ...)
      TSNode function = field(node, grammar().function);
      TSNode arguments = field(node, grammar().arguments);
      if (!ts_node_is_null(function) && text(function) == "dict" && !ts_node_is_null(arguments)) {
        v.kind = Value::Kind::Dict;
        uint32_t n = ts_node_named_child_count(arguments);
        for (uint32_t i = 0; i < n; ++i) {
          TSNode arg = ts_node_named_child(arguments, i);
          if (kind(arg) != K::KeywordArgument) continue;
          TSNode name = field(arg, grammar().name);
          TSNode value = field(arg, grammar().value);
          if (ts_node_is_null(name) || ts_node_is_null(value)) continue;
          v.entries.push_back({std::string(text(name)), value_of(value, depth + 1)});
        }
      }
    } else if (k == K::ParenthesizedExpression && ts_node_named_child_count(node) == 1) {
      // Unwrapped in a loop: one recursion per parenthesis overflowed the stack on ((((...)))).
      TSNode inner = ts_node_named_child(node, 0);
      while (kind(inner) == K::ParenthesizedExpression && ts_node_named_child_count(inner) == 1) inner = ts_node_named_child(inner, 0);
      return value_of(inner, depth);
    }
    return v;
  }

  // Calls -----------------------------------------------------------------------------------
  void on_call(TSNode node) {
    TSNode function = field(node, grammar().function);
    TSNode arguments = field(node, grammar().arguments);
    if (ts_node_is_null(function)) return;
    facts::Call call;
    call.callee = compact(function);
    call.qualified = dotted(function);  // resolved against imports after the walk
    if (kind(function) == K::Attribute) {
      TSNode object = field(function, grammar().object);
      TSNode attribute = field(function, grammar().attribute);
      if (!ts_node_is_null(attribute)) call.method = text(attribute);
      if (!ts_node_is_null(object)) call.receiver = compact(object);
    } else if (kind(function) == K::Identifier) {
      call.method = text(function);
    }
    call.scope = scope();
    call.in_main_guard = in_main_guard();
    call.range = range_of(node);
    call.callee_range = range_of(function);
    if (!ts_node_is_null(arguments) && kind(arguments) == K::ArgumentList) {
      uint32_t n = ts_node_named_child_count(arguments);
      uint32_t position = 0;
      for (uint32_t i = 0; i < n; ++i) {
        TSNode arg = ts_node_named_child(arguments, i);
        if (kind(arg) == K::Comment) continue;
        facts::Argument a;
        a.range = range_of(arg);
        TSNode value_node = arg;
        std::string context_suffix;  // the context a string argument gets (built only for strings)
        if (kind(arg) == K::KeywordArgument) {
          TSNode name = field(arg, grammar().name);
          value_node = field(arg, grammar().value);
          if (!ts_node_is_null(name)) a.keyword = text(name);
          context_suffix = " " + a.keyword;
        } else if (kind(arg) == K::DictionarySplat || kind(arg) == K::ListSplat) {
          a.dict_splat = kind(arg) == K::DictionarySplat;
          a.list_splat = !a.dict_splat;
          value_node = ts_node_named_child_count(arg) ? ts_node_named_child(arg, 0) : TSNode{};
        } else {
          context_suffix = " #" + std::to_string(position++);
        }
        if (!ts_node_is_null(value_node)) {
          a.value = value_of(value_node);
          a.sources = flow_reads(value_node);
          if (kind(value_node) == K::String || kind(value_node) == K::ConcatenatedString)
            string_context_[ts_node_start_byte(value_node)] =
                (call.qualified.empty() ? call.callee : call.qualified) + context_suffix;
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
    TSNode left = field(node, grammar().left);
    TSNode right = field(node, grammar().right);
    if (ts_node_is_null(left) || ts_node_is_null(right)) return;
    if (kind(right) == K::String || kind(right) == K::ConcatenatedString)
      string_context_[ts_node_start_byte(right)] = "= " + compact(left);
    if (kind(left) == K::Identifier) {
      out_.bindings.push_back({std::string(text(left)), scope(), value_of(right), range_of(node), flow_reads(right)});
    }
  }

  // What an expression's value is made of, for the data-flow post-pass (python_flow.hpp): the
  // callee text of every call in it and "$name" for every variable it reads. Attribute names,
  // keyword names and lambda bodies are not reads. Iterative and bounded like the walk.
  std::vector<std::string> flow_reads(TSNode expression) const {
    std::vector<std::string> reads;
    std::vector<TSNode> stack{expression};
    for (uint32_t budget = kMaxFlowNodes; !stack.empty() && budget > 0; --budget) {
      TSNode node = stack.back();
      stack.pop_back();
      if (ts_node_is_null(node)) continue;
      const K k = kind(node);
      // A string without '{' has no interpolation, so nothing in it is read (most arguments
      // are such literals; walking their parts showed in profiles).
      if ((k == K::String || k == K::ConcatenatedString) && text(node).find('{') == std::string_view::npos) continue;
      if (k == K::Identifier) {
        add_read(reads, "$" + std::string(text(node)));
      } else if (k == K::Call) {
        TSNode function = field(node, grammar().function);
        TSNode arguments = field(node, grammar().arguments);
        if (!ts_node_is_null(function)) {
          add_read(reads, compact(function));
          if (kind(function) == K::Attribute) stack.push_back(field(function, grammar().object));
          else if (kind(function) != K::Identifier) stack.push_back(function);
        }
        // A number, a truth value or a shell-quoted string carries no text that could be run.
        static const char* const kOpaque[] = {"len", "int", "float", "bool", "isinstance", "hasattr", "id", "hash",
                                              "abs", "round", "shlex.quote"};
        std::string_view callee = ts_node_is_null(function) ? std::string_view() : text(function);
        bool opaque = !callee.empty() && callee.size() <= 11 &&  // no name above is longer
                      std::any_of(std::begin(kOpaque), std::end(kOpaque), [&](const char* f) { return callee == f; });
        if (!ts_node_is_null(arguments) && !opaque) stack.push_back(arguments);
      } else if (k == K::Attribute) {
        stack.push_back(field(node, grammar().object));
      } else if (k == K::KeywordArgument) {
        stack.push_back(field(node, grammar().value));
      } else if (k != K::Lambda && k != K::Comment) {
        uint32_t n = ts_node_named_child_count(node);
        for (uint32_t i = n; i-- > 0;) stack.push_back(ts_node_named_child(node, i));
      }
    }
    return reads;
  }

  static void add_read(std::vector<std::string>& reads, std::string read) {
    if (reads.size() >= kMaxFlowSources) return;
    for (const auto& r : reads)
      if (r == read) return;
    reads.push_back(std::move(read));
  }

  void on_pair(TSNode node) {
    TSNode key = field(node, grammar().key);
    TSNode value = field(node, grammar().value);
    if (ts_node_is_null(key) || ts_node_is_null(value)) return;
    if (kind(value) == K::String || kind(value) == K::ConcatenatedString)
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

  std::string_view text_;
  std::vector<facts::Suppression>* suppressions_;
  facts::PythonFacts out_;
  std::vector<Frame> frames_;
  std::unordered_map<uint32_t, std::string> string_context_;  // string start byte -> context
};

// Qualified names of calls and values, with the file's import aliases resolved.
void resolve_names(facts::PythonFacts& out_) {
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
  // A source's callee is resolved when it is a dotted chain (`openai_client.x` stays as written).
  auto resolve_sources = [&](std::vector<std::string>& sources) {
    for (auto& s : sources)
      if (!s.empty() && s[0] != '$' && s.find_first_of("()[] ") == std::string::npos) s = resolve(s);
  };
  for (auto& call : out_.calls) {
    call.qualified = resolve(call.qualified);
    for (auto& arg : call.args) {
      resolve_value(arg.value);
      resolve_sources(arg.sources);
    }
  }
  for (auto& binding : out_.bindings) {
    resolve_value(binding.value);
    resolve_sources(binding.sources);
  }
}


// Ranges relative to a statement's start, so cached facts can move with their statement.
struct Base {
  uint32_t byte;
  facts::Point point;
};

void rebase(facts::Range& r, const Base& from, const Base& to) {
  auto move = [&](facts::Point& p) {
    bool first_row = p.line == from.point.line;
    p.line = p.line - from.point.line + to.point.line;
    if (first_row) p.column = p.column - from.point.column + to.point.column;
  };
  r.start_byte = r.start_byte - from.byte + to.byte;
  r.end_byte = r.end_byte - from.byte + to.byte;
  move(r.start);
  move(r.end);
}

void rebase(facts::PythonFacts& f, std::vector<facts::Suppression>& s, const Base& from, const Base& to) {
  for (auto& i : f.imports) {
    rebase(i.range, from, to);
    rebase(i.statement, from, to);
  }
  for (auto& c : f.calls) {
    rebase(c.range, from, to);
    rebase(c.callee_range, from, to);
    for (auto& a : c.args) rebase(a.range, from, to);
  }
  for (auto& b : f.bindings) rebase(b.range, from, to);
  for (auto& l : f.strings) rebase(l.range, from, to);
  for (auto& x : s) x.line = x.line - from.point.line + to.point.line;
}

template <typename T>
void append(std::vector<T>& into, const std::vector<T>& from) {
  into.insert(into.end(), from.begin(), from.end());
}

}  // namespace

struct FactsCache::Statement {
  facts::PythonFacts facts;                    // ranges relative to the statement's start
  std::vector<facts::Suppression> suppressions;
};

FactsCache::FactsCache() = default;
FactsCache::~FactsCache() = default;

facts::PythonFacts extract_facts(const TSTree* tree, std::string_view text,
                                 std::vector<facts::Suppression>* suppressions, FactsCache* cache) {
  TSNode root = ts_tree_root_node(tree);
  facts::PythonFacts out;
  if (!cache) {
    out = Extractor(text, suppressions).collect(root);
  } else {
    // Top-level statements are independent for every fact we keep (scopes start at module level),
    // so each is extracted once per distinct text and reused while its text is unchanged.
    std::unordered_map<std::string, std::shared_ptr<const FactsCache::Statement>> next;
    uint32_t count = ts_node_child_count(root);
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    for (bool more = ts_tree_cursor_goto_first_child(&cursor); more && count > 0; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
      if (end > text.size() || end < start) continue;
      std::string key(text.substr(start, end - start));
      TSPoint p = ts_node_start_point(node);
      Base here{start, {p.row, p.column}};
      // A statement with syntax errors parses differently depending on what surrounds it (error
      // recovery), so its text alone does not determine its facts: it is never cached.
      bool cacheable = !ts_node_has_error(node);
      std::shared_ptr<const FactsCache::Statement> statement;
      if (cacheable) {
        if (auto it = next.find(key); it != next.end()) statement = it->second;
        else if (auto old = cache->statements_.find(key); old != cache->statements_.end()) statement = old->second;
      }
      if (!statement) {
        auto fresh = std::make_shared<FactsCache::Statement>();
        fresh->facts = Extractor(text, &fresh->suppressions).collect(node);
        rebase(fresh->facts, fresh->suppressions, here, Base{0, {0, 0}});
        statement = fresh;
      }
      if (cacheable) next.emplace(key, statement);
      facts::PythonFacts f = statement->facts;
      std::vector<facts::Suppression> s = statement->suppressions;
      rebase(f, s, Base{0, {0, 0}}, here);
      append(out.imports, f.imports);
      append(out.calls, f.calls);
      append(out.bindings, f.bindings);
      append(out.strings, f.strings);
      out.has_main_guard |= f.has_main_guard;
      if (suppressions) append(*suppressions, s);
    }
    ts_tree_cursor_delete(&cursor);
    cache->statements_ = std::move(next);
  }
  out.has_syntax_errors = ts_node_has_error(root);
  resolve_names(out);
  resolve_flows(out);
  return out;
}

}  // namespace mlaudit::python
