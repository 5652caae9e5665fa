#include "rubric/rubric.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "rubric/yaml_reading.hpp"
#include "support/embedded.hpp"

#ifndef MLAUDIT_SOURCE_DIR
#define MLAUDIT_SOURCE_DIR "."
#endif

namespace mlaudit::rubric {
namespace {

constexpr const char* kRulesFile = "rules.yaml";
constexpr const char* kTemplateFile = "template/ai-ml-infrastructure-audit.md";

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("rubric: " + what); }

std::vector<std::string> strings(const YAML::Node& node, const std::string& where) {
  return yaml_strings(node, "rubric: " + where);
}

std::shared_ptr<RE2> regex(const std::string& pattern, const std::string& where) {
  return yaml_pattern(pattern, "rubric: " + where);
}

std::string required(const YAML::Node& node, const char* key, const std::string& where) {
  if (!node[key]) fail(where + " has no '" + key + "'");
  return node[key].as<std::string>();
}

ArgCondition condition(const YAML::Node& node, const std::string& where) {
  ArgCondition c;
  if (node["keyword"]) c.keyword = node["keyword"].as<std::string>();
  if (node["position"]) c.position = node["position"].as<int>();
  if (node["equals"]) {
    c.op = ArgCondition::Op::Equals;
    const YAML::Node& v = node["equals"];
    if (v.IsNull()) c.literal = ArgCondition::Literal::None;
    else c.literal = v.as<bool>() ? ArgCondition::Literal::True : ArgCondition::Literal::False;
  } else if (node["in"]) {
    c.op = ArgCondition::Op::In;
    c.names = strings(node["in"], where + ".in");
  } else if (node["matches"]) {
    c.op = ArgCondition::Op::Matches;
    c.pattern = regex(node["matches"].as<std::string>(), where + ".matches");
  } else {
    c.op = ArgCondition::Op::Present;
  }
  if (c.keyword.empty() && c.position < 0) fail(where + ": a condition needs a keyword or a position");
  return c;
}

std::vector<ArgCondition> conditions(const YAML::Node& node, const std::string& where) {
  std::vector<ArgCondition> out;
  if (!node) return out;
  for (const auto& item : node) out.push_back(condition(item, where));
  return out;
}

// kind: bounds (`bounds:` and `clients:`) and kind: flows (`sources:`).
void read_llm_kinds(const YAML::Node& node, const std::string& where, RuleSpec& r) {
  if (const YAML::Node& bounds = node["bounds"]) {
    for (const auto& b : bounds)
      r.bounds.push_back({required(b, "name", where + ".bounds"), strings(b["keywords"], where + ".bounds.keywords"),
                          b["client"] && b["client"].as<bool>()});
  }
  r.clients = strings(node["clients"], where + ".clients");
  for (const auto& p : strings(node["sources"], where + ".sources")) r.flow_sources.push_back(regex(p, where + ".sources"));
  for (const auto& m : r.matchers)
    for (const auto& need : m.needs)
      if (std::none_of(r.bounds.begin(), r.bounds.end(), [&](const Bound& b) { return b.name == need; }))
        fail(where + ": needs '" + need + "' is not one of its bounds");
  if (r.kind == "flows" && r.flow_sources.empty()) fail(where + ": kind flows needs a list of source patterns");
}

RuleSpec rule(const YAML::Node& node) {
  RuleSpec r;
  r.id = required(node, "id", "a rule");
  const std::string where = "rule " + r.id;
  r.kind = required(node, "kind", where);
  r.checklist = required(node, "checklist", where);
  r.title = required(node, "title", where);
  if (node["message"]) r.message = node["message"].as<std::string>();
  auto severity = parse_severity(required(node, "severity", where));
  if (!severity) fail(where + ": unknown severity '" + node["severity"].as<std::string>() + "'");
  r.severity = *severity;
  if (node["matchers"]) {
    for (const auto& m : node["matchers"]) {
      CallMatcher matcher;
      matcher.calls = strings(m["calls"], where + ".calls");
      for (const auto& p : strings(m["patterns"], where + ".patterns")) matcher.patterns.push_back(regex(p, where));
      matcher.when = conditions(m["when"], where + ".when");
      matcher.unless = conditions(m["unless"], where + ".unless");
      matcher.message = m["message"] ? m["message"].as<std::string>() : r.message;
      if (const YAML::Node& vd = m["version-default"]) {
        VersionDefault d;
        d.keyword = required(vd, "keyword", where + ".version-default");
        d.packages = strings(vd["packages"], where + ".version-default.packages");
        d.min_version = required(vd, "min-version", where + ".version-default");
        auto severity = parse_severity(required(vd, "severity", where + ".version-default"));
        if (!severity) fail(where + ".version-default: unknown severity");
        d.severity = *severity;
        d.message = required(vd, "message", where + ".version-default");
        matcher.version_default = std::move(d);
      }
      matcher.needs = strings(m["needs"], where + ".needs");
      r.matchers.push_back(std::move(matcher));
    }
  }
  if (node["seed-calls"]) {
    for (const auto& s : node["seed-calls"]) {
      if (s.IsScalar()) r.seed_calls.push_back({s.as<std::string>(), false});
      else r.seed_calls.push_back({required(s, "call", where + ".seed-calls"), s["needs-argument"] && s["needs-argument"].as<bool>()});
    }
  }
  if (node["secrets"]) {
    for (const auto& s : node["secrets"]) {
      SecretPattern secret;
      secret.name = required(s, "name", where + ".secrets");
      secret.pattern = regex(required(s, "pattern", where), where);
      if (s["not"]) secret.exclude = regex(s["not"].as<std::string>(), where);
      if (s["context"]) secret.context = regex(s["context"].as<std::string>(), where);
      if (s["env"]) secret.env = s["env"].as<std::string>();
      r.secrets.push_back(std::move(secret));
    }
  }
  if (node["output-message"]) r.output_message = node["output-message"].as<std::string>();
  if (node["min-distinct-characters"]) r.min_distinct_characters = node["min-distinct-characters"].as<size_t>();
  r.tracking_imports = strings(node["tracking-imports"], where + ".tracking-imports");
  r.tracking_calls = strings(node["tracking-calls"], where + ".tracking-calls");
  if (node["tracking-kwargs"]) {
    for (const auto& k : node["tracking-kwargs"]) {
      r.tracking_kwargs.push_back({required(k, "keyword", where), strings(k["values"], where + ".values")});
    }
  }
  r.packages = strings(node["packages"], where + ".packages");
  r.npm_packages = strings(node["npm-packages"], where + ".npm-packages");
  r.dangerous_globals = strings(node["dangerous-globals"], where + ".dangerous-globals");
  r.safe_globals = strings(node["safe-globals"], where + ".safe-globals");
  r.signals = strings(node["signals"], where + ".signals");
  if (r.kind == "signals" && r.signals.empty()) fail(where + ": kind signals needs a list of signal ids");
  read_llm_kinds(node, where, r);
  static const std::vector<std::string> kinds = {"seed", "calls", "secrets", "tracking", "requirements", "malformed", "artifacts",
                                                 "signals", "ci-tests", "bounds", "flows"};
  if (std::find(kinds.begin(), kinds.end(), r.kind) == kinds.end()) fail(where + ": unknown kind '" + r.kind + "'");
  return r;
}

// The YAML between the leading '---' lines of the template.
YAML::Node front_matter(std::string_view markdown) {
  if (markdown.substr(0, 4) != "---\n") fail("the template has no YAML front matter");
  size_t end = markdown.find("\n---", 3);
  if (end == std::string_view::npos) fail("the template's front matter is not closed");
  return YAML::Load(std::string(markdown.substr(4, end - 4)));
}

std::mutex default_base_mu;
std::string& default_base() {
  static std::string base = "file://" MLAUDIT_SOURCE_DIR "/rubric/remediation/";
  return base;
}

std::string default_remediation_base() {
  std::lock_guard lock(default_base_mu);
  return default_base();
}

std::string_view embedded(std::string_view path) {
  for (const auto& resource : embedded::all())
    if (resource.path == path) return resource.content;
  fail("embedded resource missing: " + std::string(path));
}

}  // namespace

void set_default_remediation_base(std::string base) {
  if (base.empty()) return;
  std::lock_guard lock(default_base_mu);
  default_base() = std::move(base);
}

std::optional<Severity> parse_severity(std::string_view name) {
  if (name == "Critical") return Severity::Critical;
  if (name == "High") return Severity::High;
  if (name == "Medium") return Severity::Medium;
  if (name == "Low") return Severity::Low;
  if (name == "Info") return Severity::Info;
  return std::nullopt;
}

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::Critical: return "Critical";
    case Severity::High: return "High";
    case Severity::Medium: return "Medium";
    case Severity::Low: return "Low";
    case Severity::Info: return "Info";
  }
  return "Info";
}

const RuleSpec* Rubric::rule(std::string_view id) const {
  for (const auto& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

std::shared_ptr<const Rubric> parse_rubric(std::string_view rules_yaml, std::string_view template_markdown) {
  auto out = std::make_shared<Rubric>();
  try {
    YAML::Node root = YAML::Load(std::string(rules_yaml));
    out->ml_libraries = strings(root["ml-libraries"], "ml-libraries");
    out->ml_npm_libraries = strings(root["ml-npm-libraries"], "ml-npm-libraries");
    out->lock_files = strings(root["lock-files"], "lock-files");
    const YAML::Node& training = root["training"];
    if (!training) fail("rules.yaml has no 'training' section");
    out->training.methods = strings(training["methods"], "training.methods");
    out->training.calls = strings(training["calls"], "training.calls");
    out->training.frameworks = strings(training["frameworks"], "training.frameworks");
    for (const auto& rm : training["receiver-methods"])
      out->training.receiver_methods.push_back({required(rm, "method", "training"), regex(required(rm, "receiver", "training"), "training")});
    for (const auto& node : root["rules"]) out->rules.push_back(rule(node));

    out->template_markdown = std::string(template_markdown);
    YAML::Node front = front_matter(template_markdown);
    const YAML::Node& relevance = front["relevance"];
    out->relevance.file_patterns = strings(relevance["file-patterns"], "relevance.file-patterns");
    out->relevance.keywords = strings(relevance["keywords"], "relevance.keywords");
    out->relevance.config_keys = strings(relevance["config-keys"], "relevance.config-keys");
    out->relevance.always_include = relevance["always-include"] && relevance["always-include"].as<bool>();
    std::string scale = front["severity-scale"] ? front["severity-scale"].as<std::string>() : "";
    for (size_t start = 0; start <= scale.size();) {
      size_t bar = scale.find('|', start);
      if (bar == std::string::npos) bar = scale.size();
      std::string name = scale.substr(start, bar - start);
      if (!parse_severity(name)) fail("template severity-scale names an unknown severity '" + name + "'");
      out->severity_scale.push_back(name);
      start = bar + 1;
    }
  } catch (const YAML::Exception& e) {
    fail(std::string("invalid YAML: ") + e.what());
  }
  const char* base = std::getenv("MLAUDIT_DOCS_BASE");
  out->remediation_base = base && *base ? std::string(base) : default_remediation_base();
  if (out->remediation_base.back() != '/') out->remediation_base += '/';
  return out;
}

std::shared_ptr<const Rubric> load_rubric(const std::string& directory) {
  if (directory.empty()) return parse_rubric(embedded(kRulesFile), embedded(kTemplateFile));
  return parse_rubric(read_rubric_file(directory + "/" + kRulesFile), read_rubric_file(directory + "/" + kTemplateFile));
}

}  // namespace mlaudit::rubric
