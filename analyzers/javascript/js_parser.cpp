#include "analyzers/javascript/js_parser.hpp"

#include <stdexcept>

extern "C" const TSLanguage* tree_sitter_javascript();
extern "C" const TSLanguage* tree_sitter_typescript();
extern "C" const TSLanguage* tree_sitter_tsx();

namespace mlaudit::javascript {
namespace {

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};
using ParserPtr = std::unique_ptr<TSParser, ParserDeleter>;

ParserPtr make_parser(Dialect dialect) {
  ParserPtr p(ts_parser_new());
  if (!ts_parser_set_language(p.get(), language(dialect)))
    throw std::runtime_error("tree-sitter JavaScript/TypeScript grammar ABI is not supported by the runtime");
  return p;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

const TSLanguage* language(Dialect dialect) {
  switch (dialect) {
    case Dialect::TypeScript: return tree_sitter_typescript();
    case Dialect::Tsx: return tree_sitter_tsx();
    case Dialect::JavaScript: break;
  }
  return tree_sitter_javascript();
}

Dialect dialect_of(std::string_view path) {
  if (ends_with(path, ".tsx")) return Dialect::Tsx;
  if (ends_with(path, ".ts") || ends_with(path, ".mts") || ends_with(path, ".cts")) return Dialect::TypeScript;
  return Dialect::JavaScript;
}

TreePtr parse(std::string_view text, Dialect dialect) {
  thread_local ParserPtr parsers[3];
  ParserPtr& parser = parsers[static_cast<int>(dialect)];
  if (!parser) parser = make_parser(dialect);
  TSTree* tree = ts_parser_parse_string(parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size()));
  if (tree == nullptr) {  // only after a timeout or cancellation, which we never set
    ts_parser_reset(parser.get());
    throw std::runtime_error("tree-sitter returned no tree");
  }
  return TreePtr(tree);
}

}  // namespace mlaudit::javascript
