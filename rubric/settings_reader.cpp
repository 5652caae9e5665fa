#include "rubric/settings_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <tuple>
#include <toml++/toml.h>

namespace mlaudit::rubric {
namespace {

// Setting names in files (kebab-case); LSP settings use the camelCase form of the same name.
const std::vector<std::string>& setting_names() {
  static const std::vector<std::string> names = {"select",  "ignore",        "severity",  "exclude",
                                                 "per-file-ignores", "target-level", "relevance",
                                                 "max-file-size",    "remediation-url-base", "baseline"};
  return names;
}

std::string camel(const std::string& kebab) {
  std::string out;
  for (size_t i = 0; i < kebab.size(); ++i) {
    if (kebab[i] == '-' && i + 1 < kebab.size()) out += static_cast<char>(std::toupper(static_cast<unsigned char>(kebab[++i])));
    else out += kebab[i];
  }
  return out;
}

std::string spelled(const std::string& kebab, KeyStyle style) { return style == KeyStyle::Kebab ? kebab : camel(kebab); }

const char* kind_name(ConfigValue::Kind kind) {
  switch (kind) {
    case ConfigValue::Kind::Null: return "null";
    case ConfigValue::Kind::Bool: return "a boolean";
    case ConfigValue::Kind::Integer: return "an integer";
    case ConfigValue::Kind::Float: return "a number";
    case ConfigValue::Kind::String: return "a string";
    case ConfigValue::Kind::List: return "a list";
    case ConfigValue::Kind::Table: return "a table";
    case ConfigValue::Kind::Other: return "a value of another type";
  }
  return "a value";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string lexically_absolute(const std::string& base, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(base) / p;
  std::string out = p.lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// What a problem message may quote of the user's text: a word such as a rule id or a setting
// name (letters, '-', '_', '.'), or anything short. Other text (an API key pasted into
// `select`, a token as a key) shows its first four characters only: messages go to logs,
// diagnostics and CI output.
std::string quoted(const std::string& text) {
  bool word = !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (word || text.size() <= 12) return text;
  return text.substr(0, 4) + "…";
}

class Validator {
 public:
  Validator(KeyStyle style, std::string base, const Rubric& rubric, ConfigFile& out)
      : style_(style), base_(std::move(base)), rubric_(rubric), out_(out) {}

  void table(const ConfigValue& root) {
    if (root.kind != ConfigValue::Kind::Table) {
      problem(root.at, std::string("mlaudit settings must be a table of keys, not ") + kind_name(root.kind));
      return;
    }
    for (const auto& entry : root.entries) key(entry);
  }

 private:
  void problem(ConfigPosition at, std::string message) { out_.problems.push_back({at, std::move(message)}); }

  bool expect(const ConfigValue& v, ConfigValue::Kind kind, const std::string& name, const char* what) {
    if (v.kind == kind) return true;
    problem(v.at, "'" + name + "' must be " + what + ", not " + kind_name(v.kind));
    return false;
  }

  bool known_rule(const ConfigValue& v, const std::string& name, bool allow_all = false) {
    if (v.kind != ConfigValue::Kind::String) {
      problem(v.at, "'" + name + "' lists rule ids (strings), not " + std::string(kind_name(v.kind)));
      return false;
    }
    if (rubric_.rule(v.text) || (allow_all && v.text == "all")) return true;
    std::vector<std::string> ids;
    for (const auto& r : rubric_.rules) ids.push_back(r.id);
    problem(v.at, "unknown rule id '" + quoted(v.text) + "' in '" + name + "' (rules: " + joined(ids) + ")");
    return false;
  }

  std::optional<std::vector<std::string>> rule_list(const ConfigValue& v, const std::string& name, bool allow_all = false) {
    if (!expect(v, ConfigValue::Kind::List, name, "a list of rule ids")) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& item : v.items)
      if (known_rule(item, name, allow_all)) out.push_back(item.text);
    return out;
  }

  void key(const ConfigValue::Entry& entry) {
    if (style_ == KeyStyle::Camel) {
      // Editor settings come with every key the extension contributes, set or not: `null` and
      // VS Code's empty `select: []` mean "not set" (an empty select would silence every rule),
      // and the extension's own keys (`path`, `trace`) are the client's business.
      if (entry.value.kind == ConfigValue::Kind::Null) return;
      if (entry.key == "select" && entry.value.kind == ConfigValue::Kind::List && entry.value.items.empty()) return;
      if (entry.key == "path" || entry.key == "trace") return;
    }
    const auto& names = setting_names();
    auto it = std::find_if(names.begin(), names.end(), [&](const std::string& n) { return spelled(n, style_) == entry.key; });
    if (it == names.end()) {
      std::string message = "unknown setting '" + quoted(entry.key) + "'";
      // target_level, targetLevel, Target-Level: the same name in another spelling.
      auto loose = [](const std::string& name) {
        std::string out;
        for (char c : name)
          if (c != '-' && c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
      };
      auto other = std::find_if(names.begin(), names.end(), [&](const std::string& n) { return loose(n) == loose(entry.key); });
      if (other != names.end()) message += " (did you mean '" + spelled(*other, style_) + "'?)";
      else {
        std::vector<std::string> known;
        for (const auto& n : names) known.push_back(spelled(n, style_));
        message += " (settings: " + joined(known) + ")";
      }
      problem(entry.key_at, message);
      return;
    }
    const std::string& name = entry.key;
    const std::string& id = *it;
    const ConfigValue& v = entry.value;
    Settings& s = out_.settings;
    if (id == "select" || id == "ignore") {
      if (auto rules = rule_list(v, name)) (id == "select" ? s.select : s.ignore) = std::move(*rules);
    } else if (id == "severity") {
      if (!expect(v, ConfigValue::Kind::Table, name, "a table of rule id = severity")) return;
      std::map<std::string, Severity> map;
      for (const auto& e : v.entries) {
        if (!rubric_.rule(e.key)) {
          problem(e.key_at, "unknown rule id '" + quoted(e.key) + "' in '" + name + "'");
          continue;
        }
        std::optional<Severity> severity;
        if (e.value.kind == ConfigValue::Kind::String) {
          std::string word = e.value.text;
          for (size_t i = 0; i < word.size(); ++i)
            word[i] = static_cast<char>(i ? std::tolower(static_cast<unsigned char>(word[i])) : std::toupper(static_cast<unsigned char>(word[i])));
          severity = parse_severity(word);
        }
        if (!severity) {
          problem(e.value.at, "the severity of '" + e.key + "' must be Critical, High, Medium, Low or Info");
          continue;
        }
        map[e.key] = *severity;
      }
      s.severity = std::move(map);
    } else if (id == "exclude") {
      if (!expect(v, ConfigValue::Kind::List, name, "a list of globs")) return;
      PatternList list{base_, {}};
      for (const auto& item : v.items) {
        if (item.kind != ConfigValue::Kind::String || item.text.empty()) problem(item.at, "'" + name + "' lists globs (non-empty strings)");
        else list.globs.push_back(item.text);
      }
      s.exclude = std::move(list);
    } else if (id == "per-file-ignores") {
      if (!expect(v, ConfigValue::Kind::Table, name, "a table of glob = [rule ids]")) return;
      std::vector<PerFileIgnore> entries;
      for (const auto& e : v.entries)
        if (auto rules = rule_list(e.value, name + "." + e.key, true)) entries.push_back({e.key, std::move(*rules)});
      s.per_file_ignores = std::move(entries);
      s.per_file_ignores_base = base_;
    } else if (id == "target-level") {
      if (!expect(v, ConfigValue::Kind::Integer, name, "an integer from 1 to 5")) return;
      if (v.integer < 1 || v.integer > 5) problem(v.at, "'" + name + "' must be a level from 1 to 5, not " + std::to_string(v.integer));
      else s.target_level = static_cast<int>(v.integer);
    } else if (id == "relevance") {
      std::optional<std::optional<bool>> r;
      if (v.kind == ConfigValue::Kind::String) r = parse_relevance(v.text);
      if (!r) problem(v.at, "'" + name + "' must be auto, always or never");
      else s.relevance = *r;
    } else if (id == "max-file-size") {
      std::optional<uint64_t> bytes;
      if (v.kind == ConfigValue::Kind::Integer && v.integer > 0) bytes = static_cast<uint64_t>(v.integer);
      else if (v.kind == ConfigValue::Kind::String) bytes = parse_size(v.text);
      if (!bytes) problem(v.at, "'" + name + "' must be a positive number of bytes or a size such as \"2MiB\"");
      else s.max_file_size = *bytes;
    } else if (id == "remediation-url-base") {
      if (!expect(v, ConfigValue::Kind::String, name, "a URL")) return;
      // Links the editor opens: web or local pages only (a repository's settings are not trusted
      // to point at arbitrary schemes).
      if (v.text.rfind("https://", 0) != 0 && v.text.rfind("http://", 0) != 0 && v.text.rfind("file://", 0) != 0) {
        problem(v.at, "'" + name + "' must be an https://, http:// or file:// URL");
        return;
      }
      s.remediation_url_base = v.text.back() == '/' ? v.text : v.text + "/";
    } else if (id == "baseline") {
      if (!expect(v, ConfigValue::Kind::String, name, "a file path")) return;
      // `check --write-baseline` writes there: a repository's settings must not point outside it.
      std::filesystem::path p(v.text);
      bool escapes = p.is_absolute() || p.lexically_normal().generic_string().rfind("..", 0) == 0;
      if (v.text.empty() || escapes) {
        problem(v.at, "'" + name + "' must be a relative path inside the configuration's folder");
        return;
      }
      s.baseline = lexically_absolute(base_, v.text);
    }
  }

  KeyStyle style_;
  std::string base_;
  const Rubric& rubric_;
  ConfigFile& out_;
};

// toml++ positions are 1-based.
ConfigPosition position(const toml::source_region& region) {
  return {region.begin.line ? static_cast<uint32_t>(region.begin.line - 1) : 0,
          region.begin.column ? static_cast<uint32_t>(region.begin.column - 1) : 0};
}

ConfigValue from_toml(const toml::node& node) {
  ConfigValue v;
  v.at = position(node.source());
  if (auto* t = node.as_table()) {
    v.kind = ConfigValue::Kind::Table;
    for (const auto& [key, child] : *t) v.entries.push_back({std::string(key.str()), position(key.source()), from_toml(child)});
  } else if (auto* a = node.as_array()) {
    v.kind = ConfigValue::Kind::List;
    for (const auto& child : *a) v.items.push_back(from_toml(child));
  } else if (auto s = node.value<std::string>(); s && node.is_string()) {
    v.kind = ConfigValue::Kind::String;
    v.text = *s;
  } else if (node.is_integer()) {
    v.kind = ConfigValue::Kind::Integer;
    v.integer = node.as_integer()->get();
    v.text = std::to_string(v.integer);
  } else if (node.is_floating_point()) {
    v.kind = ConfigValue::Kind::Float;
    v.number = node.as_floating_point()->get();
  } else if (node.is_boolean()) {
    v.kind = ConfigValue::Kind::Bool;
    v.boolean = node.as_boolean()->get();
  } else {
    v.kind = ConfigValue::Kind::Other;  // dates and times
  }
  return v;
}

ConfigPosition position(const YAML::Mark& mark) {
  return {mark.line < 0 ? 0u : static_cast<uint32_t>(mark.line), mark.column < 0 ? 0u : static_cast<uint32_t>(mark.column)};
}

// YAML scalars are untyped text: a plain scalar that reads as an integer or a boolean is one
// (what a YAML 1.2 core schema reader would say); a quoted one stays a string.
// `budget` bounds the nodes visited: aliases make a small file a huge tree (billion laughs).
ConfigValue from_yaml(const YAML::Node& node, size_t& budget, int depth = 0) {
  ConfigValue v;
  v.at = position(node.Mark());
  if (depth > 32 || budget == 0) { v.kind = ConfigValue::Kind::Other; return v; }
  --budget;
  switch (node.Type()) {
    case YAML::NodeType::Map:
      v.kind = ConfigValue::Kind::Table;
      for (const auto& kv : node) {
        std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
        v.entries.push_back({key, position(kv.first.Mark()), from_yaml(kv.second, budget, depth + 1)});
      }
      break;
    case YAML::NodeType::Sequence:
      v.kind = ConfigValue::Kind::List;
      for (const auto& item : node) {
        if (budget == 0) break;
        v.items.push_back(from_yaml(item, budget, depth + 1));
      }
      break;
    case YAML::NodeType::Scalar: {
      v.text = node.Scalar();
      bool plain = node.Tag() != "!";
      int64_t integer;
      bool boolean;
      if (plain && YAML::convert<int64_t>::decode(node, integer)) {
        v.kind = ConfigValue::Kind::Integer;
        v.integer = integer;
      } else if (plain && YAML::convert<bool>::decode(node, boolean)) {
        v.kind = ConfigValue::Kind::Bool;
        v.boolean = boolean;
      } else {
        v.kind = ConfigValue::Kind::String;
      }
      break;
    }
    default:
      v.kind = ConfigValue::Kind::Null;
  }
  return v;
}

std::string_view file_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string folder_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

ConfigFile read_settings(const ConfigValue& table, KeyStyle style, const std::string& base, const Rubric& rubric) {
  ConfigFile out;
  out.present = true;
  Validator(style, base, rubric, out).table(table);
  // In the file's order (toml++ tables are sorted by key).
  std::stable_sort(out.problems.begin(), out.problems.end(), [](const ConfigProblem& a, const ConfigProblem& b) {
    return std::tie(a.at.line, a.at.column) < std::tie(b.at.line, b.at.column);
  });
  return out;
}

bool is_settings_file(std::string_view path) {
  std::string_view name = file_name(path);
  return name == ".mlaudit.yaml" || name == ".mlaudit.yml" || name == "pyproject.toml";
}

ConfigFile read_settings_file(const std::string& path, std::string_view text, const Rubric& rubric) {
  ConfigFile out;
  std::string base = folder_of(path);
  if (file_name(path) == "pyproject.toml") {
    toml::table document;
    try {
      document = toml::parse(text, std::string_view(path));
    } catch (const toml::parse_error& e) {
      // Unparsable: ours to report only if it was meant to hold our settings.
      out.present = text.find("[tool.mlaudit") != std::string_view::npos;
      if (out.present) out.problems.push_back({position(e.source()), std::string("invalid TOML: ") + std::string(e.description())});
      out.path = path;
      return out;
    }
    const toml::node* tool = document.get("tool");
    const toml::node* ours = tool && tool->is_table() ? tool->as_table()->get("mlaudit") : nullptr;
    if (!ours) {
      out.path = path;
      return out;  // a pyproject.toml without [tool.mlaudit] is not an mlaudit configuration
    }
    out = read_settings(from_toml(*ours), KeyStyle::Kebab, base, rubric);
  } else {
    YAML::Node document;
    try {
      document = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      out.present = true;
      out.path = path;
      out.problems.push_back({position(e.mark), "invalid YAML: " + e.msg});
      return out;
    }
    if (document.IsNull()) {  // an empty file: defaults
      out.present = true;
      out.path = path;
      return out;
    }
    size_t budget = 10000;
    ConfigValue tree = from_yaml(document, budget);
    out = read_settings(tree, KeyStyle::Kebab, base, rubric);
    if (budget == 0) out.problems.insert(out.problems.begin(), {{0, 0}, "the file is too large or nests too deeply (aliases?): read in part"});
  }
  out.path = path;
  return out;
}

}  // namespace mlaudit::rubric

namespace mlaudit::rubric {

std::vector<Finding> config_findings(const ConfigFile& file, std::string_view text, const std::string& remediation_base) {
  std::vector<Finding> out;
  for (const auto& p : file.problems) {
    // The byte offset of the problem's line, then of the token there (a key, a value, a quoted
    // string), so the range covers what must change.
    size_t line_start = 0;
    for (uint32_t line = 0; line < p.at.line && line_start <= text.size(); ++line) {
      size_t nl = text.find('\n', line_start);
      if (nl == std::string_view::npos) { line_start = text.size(); break; }
      line_start = nl + 1;
    }
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    size_t start = std::min(line_start + p.at.column, line_end);
    size_t end = start;
    if (end < line_end && (text[end] == '"' || text[end] == '\'')) {
      size_t close = text.find(text[end], end + 1);
      end = close == std::string_view::npos || close > line_end ? line_end : close + 1;
    } else {
      while (end < line_end && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '=' &&
             text[end] != ':' && text[end] != ',' && text[end] != ']')
        ++end;
    }
    if (end == start) end = line_end;
    Finding f;
    f.rule = kInvalidConfigRule;
    f.severity = Severity::High;
    f.message = "invalid mlaudit configuration: " + p.message;
    f.path = file.path;
    f.range.start_byte = static_cast<uint32_t>(start);
    f.range.end_byte = static_cast<uint32_t>(end);
    f.range.start = {p.at.line, static_cast<uint32_t>(start - line_start)};
    f.range.end = {p.at.line, static_cast<uint32_t>(end - line_start)};
    f.href = remediation_base + kInvalidConfigRule + ".md";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace mlaudit::rubric
