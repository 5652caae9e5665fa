// The audit engine. Evidence is looked up in indexes built once over the workspace's Facts
// (imports, calls, keyword values, requirements, file paths, config keys), so each of the ~80 items costs a
// few map lookups, not a pass over every file.
#include "rubric/audit.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "rubric/audit_rubric.hpp"
#include "rubric/engine.hpp"
#include "rubric/package_versions.hpp"

namespace mlaudit::rubric {
namespace {

constexpr size_t kEvidencePerItem = 5;

struct Place {
  std::string path;  // relative
  uint32_t line;     // 1-based, 0 = file presence
  std::optional<uint32_t> cell = std::nullopt;  // notebooks: `line` counts within this cell
};

// The Place of a 0-based line of a file's facts (a notebook's lines are mapped to their cell).
Place place_of(const facts::FileFacts& file, const std::string& rel, uint32_t line) {
  if (file.notebook && line < file.notebook->lines.size()) {
    const facts::NotebookLine& origin = file.notebook->lines[line];
    return {rel, origin.line + 1, origin.cell};
  }
  return {rel, line + 1};
}

// Every place each fact occurs, keyed for lookup. Only the first few places per key are kept.
struct EvidenceIndex {
  std::map<std::string, std::vector<Place>> imports;       // "mlflow", "torch.utils.tensorboard.SummaryWriter"
  std::map<std::string, std::vector<Place>> calls;         // qualified (or callee text)
  std::map<std::string, std::vector<Place>> kwargs;        // "report_to=wandb"
  std::map<std::string, std::vector<Place>> requirements;  // PEP 503 name
  std::vector<std::string> paths;                          // every file, relative, sorted
  std::vector<std::vector<std::string>> glob_paths;        // per file glob id: the first paths it matches
  std::vector<std::pair<std::string, const std::vector<facts::ConfigKey>*>> config;  // relative path, keys
  std::vector<Place> training;                             // first training call of entry scripts
  std::map<std::string, std::string> pins;                 // requirement -> "==x.y"
  std::map<std::string, Place> pin_places;
  std::vector<Place> locks;                                // lock files read that pin packages
  std::vector<Place> hashed;                               // requirements files in hash-checking mode
  const Conclusions* conclusions = nullptr;                // locked and pinned versions
  std::map<std::string, std::vector<Place>> artifacts;     // model artifact format -> files
  std::map<std::string, std::vector<Evidence>> signals;    // facts::Signal id -> where, with its detail
};

void add(std::map<std::string, std::vector<Place>>& index, const std::string& key, Place place) {
  auto& places = index[key];
  if (places.size() < kEvidencePerItem) places.push_back(std::move(place));
}

std::string relative(const std::string& path, const std::string& root) {
  if (path.rfind(root + "/", 0) == 0) return path.substr(root.size() + 1);
  return path;
}

EvidenceIndex build_index(const AuditInput& input, const Rubric& rubric, const AuditRubric& items) {
  EvidenceIndex index;
  for (const auto& path : input.present) index.paths.push_back(relative(path, input.root));
  std::sort(index.paths.begin(), index.paths.end());
  index.glob_paths.resize(items.file_glob_patterns.size());
  std::vector<int> globs;
  for (const auto& path : index.paths) {
    items.matching_file_globs(path, globs);
    for (int id : globs)
      if (index.glob_paths[id].size() < kEvidencePerItem) index.glob_paths[id].push_back(path);
  }
  for (const auto& file : input.files) {
    std::string rel = relative(file->path, input.root);
    for (const auto& imp : file->python.imports) {
      if (imp.module.empty() || imp.module[0] == '.') continue;
      std::string full = imp.name.empty() || imp.name == "*" ? imp.module : imp.module + "." + imp.name;
      add(index.imports, full, place_of(*file, rel, imp.range.start.line));
    }
    for (const auto& call : file->python.calls) {
      const std::string& name = call.qualified.empty() ? call.callee : call.qualified;
      add(index.calls, name, place_of(*file, rel, call.range.start.line));
      for (const auto& arg : call.args) {
        if (arg.keyword.empty()) continue;
        if (arg.value.kind == facts::Value::Kind::String) add(index.kwargs, arg.keyword + "=" + arg.value.text, place_of(*file, rel, arg.range.start.line));
        if (arg.value.kind == facts::Value::Kind::List)
          for (const auto& item : arg.value.entries)
            if (item.value.kind == facts::Value::Kind::String) add(index.kwargs, arg.keyword + "=" + item.value.text, place_of(*file, rel, arg.range.start.line));
        if (arg.value.kind == facts::Value::Kind::True) add(index.kwargs, arg.keyword + "=True", place_of(*file, rel, arg.range.start.line));
      }
    }
    for (const auto& req : file->requirements) {
      add(index.requirements, req.name, {rel, req.range.start.line + 1});
      if (req.pinned && !index.pins.count(req.name)) {
        index.pins[req.name] = req.specifier;
        index.pin_places[req.name] = {rel, req.range.start.line + 1};
      }
    }
    if (!file->config.empty()) index.config.emplace_back(rel, &file->config);
    if (!file->locked.empty() && index.locks.size() < kEvidencePerItem) index.locks.push_back({rel, 0});
    bool all_hashed = file->kind == facts::FileKind::Requirements && !file->requirements.empty() &&
                      std::all_of(file->requirements.begin(), file->requirements.end(), [](const auto& r) { return r.hashed; });
    if (all_hashed && index.hashed.size() < kEvidencePerItem) index.hashed.push_back({rel, 0});
    if (file->kind == facts::FileKind::Artifact && !file->artifact.format.empty())
      add(index.artifacts, file->artifact.format, {rel, 0});
    for (const auto& signal : file->signals) {
      auto& places = index.signals[signal.id];
      if (places.size() >= kEvidencePerItem) continue;
      Place at = place_of(*file, rel, signal.range.start.line);
      places.push_back({at.path, std::optional<uint32_t>(at.line), at.cell, signal.detail});
    }
    if (const facts::Call* training = first_training_call(*file, rubric))
      index.training.push_back(place_of(*file, rel, training->range.start.line));
  }
  return index;
}

// Whether `name` is `prefix` or lies inside it on whole dotted segments, or whole '/' segments
// of an npm module ("@langchain" holds "@langchain/openai.ChatOpenAI"; Python names have no '/').
bool within(const std::string& name, const std::string& prefix) {
  return name == prefix || (name.size() > prefix.size() && name.rfind(prefix, 0) == 0 &&
                            (name[prefix.size()] == '.' || name[prefix.size()] == '/'));
}

void collect(std::vector<Evidence>& out, const std::vector<Place>& places, const std::string& detail) {
  for (const auto& p : places) {
    if (out.size() >= kEvidencePerItem) return;
    Evidence e{p.path, std::nullopt, p.cell, detail};
    if (p.line > 0) e.line = p.line;
    out.push_back(std::move(e));
  }
}

// "torch 2.6.0 (poetry.lock:12)" at the lock file's line, or at the pinning manifest.
Evidence version_evidence(const std::string& name, const PackageVersion& v) {
  Evidence e;
  size_t colon = v.source.rfind(':');
  bool has_line = colon != std::string::npos && colon + 1 < v.source.size() &&
                  std::all_of(v.source.begin() + colon + 1, v.source.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  e.path = has_line ? v.source.substr(0, colon) : v.source;
  if (has_line) e.line = static_cast<uint32_t>(std::stoul(v.source.substr(colon + 1)));
  e.detail = name + " " + v.version + (v.locked ? " locked" : " pinned");
  return e;
}

// Evidence of `spec` in the workspace (empty when none).
std::vector<Evidence> find(const EvidenceSpec& spec, const EvidenceIndex& index) {
  std::vector<Evidence> out;
  for (const auto& module : spec.imports) {
    for (auto it = index.imports.lower_bound(module); it != index.imports.end() && it->first.rfind(module, 0) == 0; ++it)
      if (within(it->first, module)) collect(out, it->second, "import " + it->first);
  }
  for (const auto& call : spec.calls)
    if (auto it = index.calls.find(call); it != index.calls.end()) collect(out, it->second, call + "()");
  if (!spec.call_patterns.empty())
    for (const auto& [name, places] : index.calls)
      for (const auto& pattern : spec.call_patterns)
        if (RE2::PartialMatch(name, *pattern)) { collect(out, places, name + "()"); break; }
  for (const auto& kw : spec.kwargs)
    for (const auto& value : kw.values)
      if (auto it = index.kwargs.find(kw.keyword + "=" + value); it != index.kwargs.end())
        collect(out, it->second, kw.keyword + "=" + value);
  for (const auto& req : spec.requirements)
    if (auto it = index.requirements.find(req); it != index.requirements.end()) collect(out, it->second, "requirement " + req);
  for (const auto& c : spec.config_keys)
    for (const auto& [path, keys] : index.config) {
      if (out.size() >= kEvidencePerItem) break;
      if (!RE2::FullMatch(path, *c.file)) continue;
      for (const auto& key : *keys)
        if (RE2::FullMatch(key.key, *c.key) && (!c.value || RE2::FullMatch(key.value, *c.value))) {
          out.push_back({path, key.line + 1, std::nullopt,
                         "config " + path + ": " + key.key + (key.value.empty() ? "" : " = " + key.value)});
          break;  // one place per file
        }
    }
  for (size_t g = 0; g < spec.file_glob_ids.size() && g < spec.file_globs.size(); ++g)
    for (const auto& path : index.glob_paths.at(spec.file_glob_ids[g])) {
      if (out.size() >= kEvidencePerItem) break;
      out.push_back({path, std::nullopt, std::nullopt, "file matches " + spec.file_globs[g]});
    }
  if (spec.training) collect(out, index.training, "training entry script");
  if (spec.locked) collect(out, index.locks, "lock file");
  if (spec.hashed) collect(out, index.hashed, "requirements with --hash on every line");
  if (index.conclusions)
    for (const auto& name : spec.versions)
      if (auto v = known_version(index.conclusions->locked, index.conclusions->pinned, {name})) {
        if (out.size() >= kEvidencePerItem) break;
        out.push_back(version_evidence(name, *v));
      }
  for (const auto& format : spec.artifact_formats)
    if (auto it = index.artifacts.find(format); it != index.artifacts.end()) collect(out, it->second, format + " artifact");
  for (const auto& id : spec.signals) {
    bool prefix = !id.empty() && id.back() == '*';
    std::string key = prefix ? id.substr(0, id.size() - 1) : id;
    for (auto it = index.signals.lower_bound(key); it != index.signals.end(); ++it) {
      if (prefix ? it->first.rfind(key, 0) != 0 : it->first != key) break;
      for (const auto& e : it->second)
        if (out.size() < kEvidencePerItem) out.push_back(e);
    }
  }
  return out;
}

// A version floor broken by the workspace's locked or pinned version, as a gap; nullopt when none.
std::optional<ItemResult> below_floor(const ItemSpec& spec, const EvidenceIndex& index, ItemResult r) {
  if (!index.conclusions) return std::nullopt;
  for (const auto& floor : spec.version_floors) {
    auto v = known_version(index.conclusions->locked, index.conclusions->pinned, floor.packages);
    if (!v || compare_versions(v->version, floor.min_version) >= 0) continue;
    r.status = Status::Gap;
    r.evidence.push_back(version_evidence(floor.packages.front(), *v));
    r.reason = floor.packages.front() + " " + v->version + (v->locked ? " is locked" : " is pinned") + " in " + v->source +
               ", below " + floor.min_version + (floor.why.empty() ? "" : " (" + floor.why + ")");
    return r;
  }
  return std::nullopt;
}

ItemResult evaluate(const ItemSpec& spec, const EvidenceIndex& index, const std::vector<LocatedFinding>& findings,
                    const Rubric& rubric) {
  ItemResult r;
  r.id = spec.id;
  r.title = spec.title;
  r.remediation = spec.remediation;
  if (constexpr std::string_view folder = "remediation/"; spec.remediation.rfind(folder, 0) == 0)
    r.remediation_url = rubric.remediation_base + spec.remediation.substr(folder.size());
  r.question = spec.question;
  r.severity = spec.severity;
  if (!spec.applies_when.empty() && find(spec.applies_when, index).empty()) {
    r.status = Status::NotAssessable;
    r.reason = spec.not_applicable.empty() ? "does not apply to this workspace" : spec.not_applicable;
    return r;
  }
  if (!spec.rules.empty()) {
    size_t count = 0;
    std::string seen;  // the rules that found something, for the reason
    // The findings' verdict: the most severe one. Findings that are all Info (a call that is
    // safe only through a locked library's default) make the item partial, not a gap.
    Severity worst = Severity::Info;
    for (const auto& f : findings) {
      if (std::find(spec.rules.begin(), spec.rules.end(), f.finding.rule) == spec.rules.end()) continue;
      if (++count <= kEvidencePerItem) r.evidence.push_back({f.path, f.line, f.cell, f.finding.rule});
      if (f.finding.severity < worst) worst = f.finding.severity;
      if (seen.find(f.finding.rule) == std::string::npos) seen += (seen.empty() ? "" : ", ") + f.finding.rule;
    }
    if (count > 0) {
      r.severity = worst;
      r.status = worst == Severity::Info ? Status::Partial : Status::Gap;
      r.reason = std::to_string(count) + (count == 1 ? " finding" : " findings") + " of rule " + seen +
                 (worst == Severity::Info ? ", all of severity Info" : "");
      return r;
    }
  }
  if (auto gap = below_floor(spec, index, r)) return *gap;
  if (auto met = find(spec.met, index); !met.empty()) {
    r.status = Status::Met;
    r.evidence = std::move(met);
    r.reason = "evidence found: " + r.evidence.front().detail;
    return r;
  }
  if (auto partial = find(spec.partial, index); !partial.empty()) {
    r.status = Status::Partial;
    r.evidence = std::move(partial);
    r.reason = "partial evidence: " + r.evidence.front().detail;
    return r;
  }
  switch (spec.absent) {
    case Absent::Met:
      r.status = Status::Met;
      r.reason = spec.rule.empty() ? "nothing in the code contradicts it" : "no findings of rule " + spec.rule;
      break;
    case Absent::Gap:
      r.status = Status::Gap;
      r.reason = spec.describe_gap.empty() ? "no evidence found in the workspace" : spec.describe_gap;
      break;
    case Absent::NotAssessable:
      r.status = Status::NotAssessable;
      r.reason = "static analysis cannot tell";
      break;
  }
  return r;
}

const char* label(Status s) {
  switch (s) {
    case Status::Met: return "met";
    case Status::Partial: return "partial";
    case Status::Gap: return "a gap";
    case Status::NotAssessable: return "not assessable";
  }
  return "";
}

void score_area(const AreaSpec& spec, AreaResult& area) {
  auto status_of = [&](const std::string& id) {
    for (const auto& item : area.items)
      if (item.id == id) return std::pair{item.status, item.title};
    return std::pair{Status::NotAssessable, id};
  };
  size_t assessable = std::count_if(area.items.begin(), area.items.end(),
                                    [](const ItemResult& i) { return i.status != Status::NotAssessable; });
  area.assessable = !area.items.empty() && assessable * 2 >= area.items.size();
  // Which level each unmet requirement keeps out of reach (the lowest one that names it).
  for (const auto& level : spec.levels)
    for (const auto* ids : {&level.required, &level.partial_ok})
      for (const auto& id : *ids)
        for (auto& item : area.items) {
          bool satisfied = item.status == Status::Met || (ids == &level.partial_ok && item.status == Status::Partial);
          if (item.id == id && !satisfied && !item.blocks_level) item.blocks_level = level.level;
        }
  area.level = 1;
  for (const auto& level : spec.levels) {
    std::vector<std::string> missing;
    for (const auto& id : level.required) {
      auto [status, title] = status_of(id);
      if (status != Status::Met) missing.push_back(title + " (" + label(status) + ")");
    }
    for (const auto& id : level.partial_ok) {
      auto [status, title] = status_of(id);
      if (status != Status::Met && status != Status::Partial) missing.push_back(title + " (" + label(status) + ")");
    }
    if (!missing.empty()) {
      std::string needs;
      for (size_t i = 0; i < missing.size(); ++i) needs += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
      area.explanation = "Level " + std::to_string(area.level) + ": Level " + std::to_string(level.level) + " needs " + needs + ".";
      return;
    }
    area.level = level.level;
  }
  area.explanation = "Level " + std::to_string(area.level) + ": every requirement of the ladder is met.";
}

}  // namespace

const char* status_name(Status status) {
  switch (status) {
    case Status::Met: return "met";
    case Status::Partial: return "partial";
    case Status::Gap: return "gap";
    case Status::NotAssessable: return "not-assessable";
  }
  return "not-assessable";
}

AuditResult compute_audit(const AuditInput& input, const Rubric& rubric, const AuditRubric& items) {
  AuditResult result;
  result.root = input.root;
  result.system_name = input.system_name;
  result.date = input.date;
  result.relevance = input.conclusions->relevance;
  result.findings = input.findings;
  result.coverage = input.coverage;
  if (!result.relevance.relevant) return result;

  EvidenceIndex index = build_index(input, rubric, items);
  index.conclusions = input.conclusions.get();
  for (const auto& spec : items.areas) {
    AreaResult area;
    area.id = spec.id;
    area.title = spec.title;
    area.section = spec.section;
    area.extension = spec.extension;
    for (const auto& item : spec.items) area.items.push_back(evaluate(item, index, input.findings, rubric));
    score_area(spec, area);
    result.areas.push_back(std::move(area));
  }

  // The weakest assessable area caps the overall score (as Google's ML Test Score takes the minimum).
  const AreaResult* weakest = nullptr;
  for (const auto& area : result.areas)
    if (!area.extension && area.assessable && (!weakest || area.level < weakest->level)) weakest = &area;
  if (weakest) {
    result.overall = weakest->level;
    result.overall_rule = "The overall score is the lowest level among the assessable areas (as Google's ML Test Score "
                          "takes the minimum): " + weakest->title + " is at level " + std::to_string(weakest->level) +
                          ". Areas where fewer than half the items can be decided from code are not assessed; the "
                          "extension areas (security, LLM) are shown beside the score, not inside it.";
  } else {
    result.overall_rule = "No area has enough items that static analysis can decide, so no overall score is given.";
  }

  for (const auto& tech : items.technology) {
    std::vector<Evidence> seen;
    EvidenceSpec spec;
    spec.imports = tech.imports;
    spec.requirements = tech.requirements;
    seen = find(spec, index);
    if (seen.empty()) continue;
    const Evidence& first = seen.front();
    Technology row{tech.component, tech.name, "",
                   first.path + (first.cell ? ":cell " + std::to_string(*first.cell + 1) : "") +
                       (first.line ? ":" + std::to_string(*first.line) : "")};
    // The version a lock file pins, else an exact pin in a manifest (==, Poetry's bare
    // version, conda's =version=build).
    if (auto locked = known_version(input.conclusions->locked, {}, tech.requirements)) {
      row.version = locked->version;
      row.source = locked->source;
    } else {
      for (const auto& req : tech.requirements)
        if (auto pin = index.pins.find(req); pin != index.pins.end()) {
          row.version = pinned_version(pin->second);
          row.source = index.pin_places[req].path + ":" + std::to_string(index.pin_places[req].line);
          break;
        }
    }
    result.technology.push_back(std::move(row));
  }

  for (const auto& file : input.files) {
    std::string rel = relative(file->path, input.root);
    for (const auto& call : file->python.calls) {
      const std::string& name = call.qualified.empty() ? call.callee : call.qualified;
      for (const auto& use : items.models) {
        bool match = std::find(use.calls.begin(), use.calls.end(), name) != use.calls.end() ||
                     std::any_of(use.call_patterns.begin(), use.call_patterns.end(),
                                 [&](const auto& re) { return RE2::PartialMatch(name, *re); });
        if (!match) continue;
        std::string model = name;
        for (const auto& arg : call.args)
          if (arg.keyword.empty() && arg.value.kind == facts::Value::Kind::String) { model = arg.value.text; break; }
        Place at = place_of(*file, rel, call.range.start.line);
        if (result.models.size() < 50) result.models.push_back({use.what, model, rel, at.line, at.cell});
        break;
      }
    }
  }
  return result;
}

}  // namespace mlaudit::rubric
