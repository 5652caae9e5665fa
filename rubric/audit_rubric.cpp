#include "rubric/audit_rubric.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "analyzers/requirements.hpp"
#include "rubric/yaml_reading.hpp"
#include "support/embedded.hpp"

namespace mlaudit::rubric {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("rubric/items.yaml: " + what); }

std::vector<std::string> list(const YAML::Node& node, const std::string& where) {
  return yaml_strings(node, "rubric/items.yaml: " + where);
}

std::shared_ptr<RE2> compile(const std::string& pattern, const std::string& where) {
  return yaml_pattern(pattern, "rubric/items.yaml: " + where);
}

EvidenceSpec evidence(const YAML::Node& node, const std::string& where) {
  EvidenceSpec e;
  if (!node) return e;
  if (node.IsScalar()) {
    if (node.as<std::string>() != "training") fail(where + ": the only word allowed here is 'training'");
    e.training = true;
    return e;
  }
  static const std::set<std::string> keys = {"imports", "calls", "call-patterns", "kwargs", "requirements", "files",
                                             "config-keys", "training", "versions", "locked", "hashed", "artifact-formats",
                                             "signals"};
  std::set<std::string> seen;  // yaml-cpp keeps one of two equal keys silently: evidence would vanish
  for (const auto& kv : node) {
    std::string kind = kv.first.as<std::string>();
    if (!keys.count(kind)) fail(where + ": unknown evidence kind '" + kind + "'");
    if (!seen.insert(kind).second) fail(where + ": evidence kind '" + kind + "' given twice (merge the lists)");
  }
  e.imports = list(node["imports"], where);
  e.calls = list(node["calls"], where);
  for (const auto& p : list(node["call-patterns"], where)) e.call_patterns.push_back(compile(p, where));
  if (node["kwargs"])
    for (const auto& k : node["kwargs"]) e.kwargs.push_back({k["keyword"].as<std::string>(), list(k["values"], where)});
  for (const auto& r : list(node["requirements"], where)) e.requirements.push_back(normalize_package_name(r));
  e.file_globs = list(node["files"], where);
  for (const auto& g : e.file_globs) compile(glob_to_regex(g), where);  // refused here, with the item's name
  // (ids into AuditRubric::file_glob_patterns are given once every item is read: index_file_globs)
  if (const YAML::Node entries = node["config-keys"]) {
    if (!entries.IsSequence()) fail(where + ": config-keys must be a list");
    for (const auto& entry : entries) {
      if (!entry.IsMap() || !entry["file"] || !entry["key"]) fail(where + ": a config-keys entry needs file and key");
      for (const auto& kv : entry) {
        std::string name = kv.first.as<std::string>();
        if (name != "file" && name != "key" && name != "value") fail(where + ": unknown config-keys field '" + name + "'");
      }
      ConfigKeyEvidence c;
      c.file_glob = entry["file"].as<std::string>();
      c.key_pattern = entry["key"].as<std::string>();
      c.file = compile(glob_to_regex(c.file_glob), where);
      c.key = compile(c.key_pattern, where);
      if (entry["value"]) {
        c.value_pattern = entry["value"].as<std::string>();
        c.value = compile(c.value_pattern, where);
      }
      e.config_keys.push_back(std::move(c));
    }
  }
  e.training = node["training"] && node["training"].as<bool>();
  e.versions = list(node["versions"], where);
  e.locked = node["locked"] && node["locked"].as<bool>();
  e.hashed = node["hashed"] && node["hashed"].as<bool>();
  e.artifact_formats = list(node["artifact-formats"], where);
  e.signals = list(node["signals"], where);
  return e;
}

Absent absent_of(const std::string& word, const std::string& where) {
  if (word == "gap") return Absent::Gap;
  if (word == "not-assessable") return Absent::NotAssessable;
  if (word == "met") return Absent::Met;
  fail(where + ": absent must be gap, not-assessable or met");
}

}  // namespace

bool EvidenceSpec::empty() const {
  return imports.empty() && calls.empty() && call_patterns.empty() && kwargs.empty() && requirements.empty() &&
         file_globs.empty() && config_keys.empty() && !training && versions.empty() && !locked && !hashed && artifact_formats.empty() &&
         signals.empty();
}

const ItemSpec* AuditRubric::item(std::string_view id) const {
  for (const auto& area : areas)
    for (const auto& item : area.items)
      if (item.id == id) return &item;
  return nullptr;
}

std::string glob_to_regex(std::string_view glob) {
  std::string out = "^";
  // A glob without '/' matches the name in any folder, as in .gitignore.
  if (glob.find('/') == std::string_view::npos) out += "(?:.*/)?";
  if (!glob.empty() && glob[0] == '/') glob.remove_prefix(1);
  for (size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == '*') {
      if (i + 1 < glob.size() && glob[i + 1] == '*') {
        bool slash_after = i + 2 < glob.size() && glob[i + 2] == '/';
        out += slash_after ? "(?:.*/)?" : ".*";
        i += slash_after ? 2 : 1;
      } else {
        out += "[^/]*";
      }
    } else if (c == '?') {
      out += "[^/]";
    } else if (c == '[') {
      size_t close = glob.find(']', i + 1);
      if (close == std::string_view::npos) { out += "\\["; continue; }
      std::string cls(glob.substr(i + 1, close - i - 1));
      if (!cls.empty() && cls[0] == '!') cls[0] = '^';
      out += "[" + cls + "]";
      i = close;
    } else {
      out += RE2::QuoteMeta(std::string(1, c));
    }
  }
  return out + "$";
}

namespace {

// Gives every distinct glob of every item an id and compiles them all into one RE2::Set.
void index_file_globs(AuditRubric& rubric) {
  std::map<std::string, size_t> ids;  // anchored regex -> id
  std::vector<std::string> regexes;
  auto index = [&](EvidenceSpec& spec) {
    spec.file_glob_ids.clear();
    for (const auto& glob : spec.file_globs) {
      std::string regex = glob_to_regex(glob);
      auto [it, added] = ids.emplace(regex, regexes.size());
      if (added) regexes.push_back(regex);
      spec.file_glob_ids.push_back(it->second);
    }
  };
  for (auto& area : rubric.areas)
    for (auto& item : area.items) {
      index(item.met);
      index(item.partial);
      index(item.applies_when);
    }
  auto set = std::make_shared<RE2::Set>(large_set_options(), RE2::ANCHOR_BOTH);
  bool usable = true;
  for (const auto& regex : regexes) {
    rubric.file_glob_patterns.push_back(compile(regex, "files"));
    if (usable && set->Add(regex, nullptr) < 0) usable = false;
  }
  if (usable && set->Compile()) rubric.file_glob_set = std::move(set);
}

}  // namespace

RE2::Options large_set_options() {
  RE2::Options options(RE2::Quiet);
  options.set_max_mem(64 << 20);
  return options;
}

void AuditRubric::matching_file_globs(std::string_view path, std::vector<int>& ids) const {
  ids.clear();
  if (file_glob_patterns.empty()) return;
  if (file_glob_set) {
    RE2::Set::ErrorInfo error{};
    if (file_glob_set->Match(re2::StringPiece(path.data(), path.size()), &ids, &error) ||
        error.kind == RE2::Set::kNoError)
      return;
    ids.clear();  // the DFA ran out of memory: match one glob at a time, never answer wrongly
  }
  for (size_t id = 0; id < file_glob_patterns.size(); ++id)
    if (RE2::FullMatch(re2::StringPiece(path.data(), path.size()), *file_glob_patterns[id])) ids.push_back(static_cast<int>(id));
}

std::shared_ptr<const AuditRubric> parse_audit_rubric(const Rubric& rubric, std::string_view items_yaml) {
  auto out = std::make_shared<AuditRubric>();
  try {
    YAML::Node root = YAML::Load(std::string(items_yaml));
    for (const auto& a : root["areas"]) {
      AreaSpec area;
      area.id = a["id"].as<std::string>();
      area.title = a["title"].as<std::string>();
      area.section = a["section"].as<int>();
      area.extension = a["extension"] && a["extension"].as<bool>();
      for (const auto& i : a["items"]) {
        ItemSpec item;
        item.id = i["id"].as<std::string>();
        const std::string where = "item " + item.id;
        if (item.id.rfind(area.id + ".", 0) != 0) fail(where + " is not in area " + area.id);
        item.title = i["title"].as<std::string>();
        item.met = evidence(i["met"], where + ".met");
        item.partial = evidence(i["partial"], where + ".partial");
        item.applies_when = evidence(i["applies-when"], where + ".applies-when");
        if (i["not-applicable"]) item.not_applicable = i["not-applicable"].as<std::string>();
        item.absent = absent_of(i["absent"] ? i["absent"].as<std::string>() : "not-assessable", where);
        if (i["severity"]) {
          auto severity = parse_severity(i["severity"].as<std::string>());
          if (!severity) fail(where + ": unknown severity");
          item.severity = *severity;
        } else if (item.absent == Absent::Gap) {
          fail(where + ": a gap needs a severity");
        }
        if (i["rule"]) {
          item.rules = i["rule"].IsSequence() ? list(i["rule"], where) : std::vector<std::string>{i["rule"].as<std::string>()};
          for (const auto& id : item.rules)
            if (!rubric.rule(id)) fail(where + ": unknown rule '" + id + "'");
          if (!item.rules.empty()) item.rule = item.rules.front();
        }
        if (i["question"]) item.question = i["question"].as<std::string>();
        if (i["remediation"]) item.remediation = i["remediation"].as<std::string>();
        if (i["gap"]) item.describe_gap = i["gap"].as<std::string>();
        if (i["version-floors"]) for (const auto& f : i["version-floors"]) {
          if (!f["packages"] || !f["at-least"]) fail(where + ": a version floor needs packages and at-least");
          item.version_floors.push_back({list(f["packages"], where), f["at-least"].as<std::string>(),
                                         f["why"] ? f["why"].as<std::string>() : ""});
        }
        if (item.absent == Absent::NotAssessable && item.question.empty())
          fail(where + ": a not-assessable item needs the question an auditor must ask");
        area.items.push_back(std::move(item));
      }
      if (a["levels"]) {
        for (const auto& l : a["levels"]) {
          LevelSpec level;
          level.level = l["level"].as<int>();
          level.required = list(l["requires"], area.id + ".levels");
          level.partial_ok = list(l["partial-ok"], area.id + ".levels");
          if (l["description"]) level.description = l["description"].as<std::string>();
          for (const auto& ids : {level.required, level.partial_ok})
            for (const auto& id : ids)
              if (std::none_of(area.items.begin(), area.items.end(), [&](const ItemSpec& it) { return it.id == id; }))
                fail("area " + area.id + " level " + std::to_string(level.level) + " names unknown item " + id);
          area.levels.push_back(std::move(level));
        }
        std::sort(area.levels.begin(), area.levels.end(), [](const LevelSpec& x, const LevelSpec& y) { return x.level < y.level; });
      }
      out->areas.push_back(std::move(area));
    }
    for (const auto& t : root["technology"]) {
      out->technology.push_back({t["component"].as<std::string>(), t["name"].as<std::string>(),
                                 list(t["imports"], "technology"), {}});
      for (const auto& r : list(t["requirements"], "technology")) out->technology.back().requirements.push_back(normalize_package_name(r));
    }
    for (const auto& m : root["models"]) {
      ModelUseSpec spec;
      spec.what = m["what"].as<std::string>();
      spec.calls = list(m["calls"], "models");
      for (const auto& p : list(m["call-patterns"], "models")) spec.call_patterns.push_back(compile(p, "models"));
      out->models.push_back(std::move(spec));
    }
  } catch (const YAML::Exception& e) {
    fail(std::string("invalid YAML: ") + e.what());
  }
  index_file_globs(*out);
  return out;
}

std::shared_ptr<const AuditRubric> load_audit_rubric(const Rubric& rubric, const std::string& directory) {
  if (!directory.empty()) return parse_audit_rubric(rubric, read_rubric_file(directory + "/items.yaml"));
  for (const auto& resource : embedded::all())
    if (resource.path == "items.yaml") return parse_audit_rubric(rubric, resource.content);
  fail("not embedded in this build");
}

}  // namespace mlaudit::rubric
