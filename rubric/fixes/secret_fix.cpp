// hardcoded-secret: the literal becomes os.environ["NAME"], NAME from what the code calls it
// (the assigned variable, keyword or dict key, upper-cased) unless that name is generic
// (api_key, token), then the provider's conventional variable (rules.yaml `env:`).
#include <algorithm>
#include <set>

#include "rubric/fixes/call_fixes.hpp"
#include "rubric/fixes/source_edits.hpp"

namespace mlaudit::rubric::fixes {
namespace {

std::string upper_identifier(std::string name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else if (c == '_' || c == '-') out += '_';
    else return "";
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) return "";
  return out;
}

// The name the code gives the value: `= target`, `[] 'key'`, `callee keyword` (see python_facts).
std::string name_from_context(const std::string& context) {
  std::string name;
  if (context.rfind("= ", 0) == 0) {
    name = context.substr(2);
    if (name.find("environ") != std::string::npos) return "!";  // os.environ["X"] = "...": nothing to read it from
    size_t cut = name.find_last_of(".]");
    if (cut != std::string::npos && name[cut] == '.') name = name.substr(cut + 1);
    else if (cut != std::string::npos) return "";
  } else if (context.rfind("[] ", 0) == 0) {
    name = context.substr(3);
    if (name.size() >= 2 && (name[0] == '"' || name[0] == '\'') && name.back() == name[0]) name = name.substr(1, name.size() - 2);
    else return "";
  } else {
    if (context.find("environ") != std::string::npos) return "!";  // os.environ.setdefault("X", "...")
    size_t space = context.find(' ');
    if (space == std::string::npos) return "";
    name = context.substr(space + 1);
    name = name.substr(0, name.find(' '));
    if (name.empty() || name[0] == '#') return "";
  }
  return upper_identifier(name);
}

}  // namespace

std::optional<Fix> secret_fix(const FixContext& ctx, const Finding& finding) {
  const RuleSpec* rule = ctx.rubric.rule(finding.rule);
  if (!rule) return std::nullopt;
  const facts::StringLiteral* literal = nullptr;
  for (const auto& s : ctx.file.python.strings)
    if (s.range.start_byte == finding.range.start_byte && s.range.end_byte == finding.range.end_byte) literal = &s;
  if (!literal) return std::nullopt;
  // Only a literal that is exactly the key, plainly quoted: an f-string, bytes, a concatenation or
  // "Bearer sk-..." would change meaning.
  std::string_view source = ctx.text.substr(literal->range.start_byte, literal->range.end_byte - literal->range.start_byte);
  bool plain = false;
  for (const char* quote : {"\"\"\"", "'''", "\"", "'"}) {
    std::string q = quote;
    for (const std::string prefix : {"", "r", "R", "u", "U"}) {
      if (source == prefix + q + literal->value + q) plain = true;
    }
  }
  if (!plain) return std::nullopt;
  const SecretPattern* matched = nullptr;
  for (const auto& secret : rule->secrets)
    if (RE2::FullMatch(literal->value, *secret.pattern) && !(secret.exclude && RE2::PartialMatch(literal->value, *secret.exclude))) {
      matched = &secret;
      break;
    }
  if (!matched) return std::nullopt;
  std::string name = name_from_context(literal->context);
  if (name == "!") return std::nullopt;
  static const std::set<std::string> generic = {"API_KEY", "APIKEY", "KEY", "TOKEN", "SECRET", "PASSWORD", "ACCESS_KEY",
                                                "AUTH_TOKEN", "ACCESS_TOKEN", "SECRET_KEY", "VALUE"};
  if (name.empty() || generic.count(name)) name = matched->env;
  if (name.empty()) return std::nullopt;

  Fix fix{"Read " + name + " from the environment (os.environ; keep it in .env or a secret manager, see the guide)", {}, false};
  std::string os = module_binding(ctx.file, "os", true);
  if (os.empty()) {
    if (bound_to_other(ctx.file, "os")) return std::nullopt;
    os = "os";
    LinePoint at = after_imports(ctx.file, ctx.text);
    // The import must run before the literal's line; a literal above the imports gets it at the top.
    if (at.offset > literal->range.start_byte) at = {after_imports(facts::FileFacts{}, ctx.text).offset, ""};
    if (at.offset > literal->range.start_byte) return std::nullopt;
    fix.edits.push_back({at.offset, at.offset, at.prefix + "import os" + line_ending(ctx.text)});
  }
  fix.edits.push_back({literal->range.start_byte, literal->range.end_byte, os + ".environ[\"" + name + "\"]"});
  return fix;
}

}  // namespace mlaudit::rubric::fixes
