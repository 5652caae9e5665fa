// JSON manifests: package.json (dependencies, devDependencies, optionalDependencies,
// peerDependencies), package-lock.json (lockfileVersion 1 to 3) and Pipfile.lock (default,
// develop). nlohmann's DOM has no source positions, so a dependency's line is found by
// looking for its quoted key after its section's key in the text.
#include <nlohmann/json.hpp>

#include <map>

#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/source_lines.hpp"
#include "analyzers/requirements.hpp"
#include "support/json_depth.hpp"

namespace mlaudit::manifests {
namespace {

constexpr size_t kMaxDepth = 200;

bool load(std::string_view text, const SourceLines& lines, nlohmann::json& root, ManifestRead& out) {
  if (json_nesting_depth(text, kMaxDepth) > kMaxDepth) {
    out.errors.push_back(error_at_line(lines, 0, "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels"));
    return false;
  }
  try {
    root = nlohmann::json::parse(text.begin(), text.end());
    return true;
  } catch (const nlohmann::json::parse_error& e) {
    uint32_t line = lines.line_of(e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    if (size_t colon = what.find("parse error"); colon != std::string::npos) what = what.substr(colon);
    out.errors.push_back(error_at_line(lines, line, "invalid JSON at line " + std::to_string(line + 1) + ": " + what));
  } catch (const std::exception& e) {
    out.errors.push_back(error_at_line(lines, 0, std::string("invalid JSON: ") + e.what()));
  }
  return false;
}

// Offset of `"key"` followed by a colon, searching from `from`; npos when absent.
size_t find_key(std::string_view text, const std::string& key, size_t from) {
  std::string quoted = nlohmann::json(key).dump();
  for (size_t at = text.find(quoted, from); at != std::string_view::npos; at = text.find(quoted, at + 1)) {
    size_t after = at + quoted.size();
    while (after < text.size() && std::isspace(static_cast<unsigned char>(text[after]))) ++after;
    if (after < text.size() && text[after] == ':') return at;
  }
  return std::string_view::npos;
}

// `"name": "range"` from the key to the end of its string value (the key alone otherwise).
facts::Range entry_range(const SourceLines& lines, size_t key_at) {
  std::string_view text = lines.text();
  size_t at = text.find('"', key_at + 1);  // the key's closing quote (npm names hold no quotes)
  if (at == std::string_view::npos) return lines.range_at(key_at, 0);
  size_t key_end = at + 1;
  at = text.find_first_not_of(" \t\r\n:", key_end);
  if (at == std::string_view::npos || text[at] != '"') return lines.range_at(key_at, key_end - key_at);
  for (size_t i = at + 1; i < text.size() && text[i] != '\n'; ++i) {
    if (text[i] == '\\') { ++i; continue; }
    if (text[i] == '"') return lines.range_at(key_at, i + 1 - key_at);
  }
  return lines.range_at(key_at, key_end - key_at);
}

}  // namespace

ManifestRead read_package_json(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  nlohmann::json root;
  if (!load(text, lines, root, out) || !root.is_object()) return out;
  for (const auto& [section, group] : {std::pair{"dependencies", "main"}, std::pair{"devDependencies", "dev"},
                                       std::pair{"optionalDependencies", "optional"}, std::pair{"peerDependencies", "peer"}}) {
    auto it = root.find(section);
    if (it == root.end()) continue;
    size_t section_at = find_key(text, section, 0);
    if (!it->is_object()) {
      out.errors.push_back(error_at_line(lines, section_at == std::string_view::npos ? 0 : lines.line_of(section_at),
                                         std::string("`") + section + "` must be an object of `name: version range`"));
      continue;
    }
    for (const auto& [name, range] : it->items()) {
      facts::Requirement r;
      r.ecosystem = "npm";
      r.name = name;
      r.group = group;
      if (!range.is_string()) {
        size_t at = section_at == std::string_view::npos ? std::string_view::npos : find_key(text, name, section_at);
        out.errors.push_back(error_at_line(lines, at == std::string_view::npos ? 0 : lines.line_of(at),
                                           std::string(section) + "." + name + " must be a version range string"));
        continue;
      }
      r.specifier = range.get<std::string>();
      r.pinned = npm_exact(r.specifier);
      if (r.specifier.rfind("file:", 0) == 0 || r.specifier.rfind("link:", 0) == 0 || r.specifier.rfind("workspace:", 0) == 0) {
        r.url = r.specifier;
        r.pinned = true;  // the workspace's own code
      }
      size_t at = section_at == std::string_view::npos ? std::string_view::npos : find_key(text, name, section_at);
      r.range = at == std::string_view::npos ? lines.range_at(0, 0) : entry_range(lines, at);
      out.requirements.push_back(std::move(r));
    }
  }
  return out;
}

ManifestRead read_package_lock(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  nlohmann::json root;
  if (!load(text, lines, root, out) || !root.is_object()) return out;
  // One pass over the text for the lines of top-level "node_modules/<name>" keys.
  std::map<std::string, uint32_t> line_of;
  const std::string prefix = "\"node_modules/";
  for (size_t at = text.find(prefix); at != std::string_view::npos; at = text.find(prefix, at + 1)) {
    size_t end = text.find('"', at + prefix.size());
    if (end == std::string_view::npos) break;
    std::string name(text.substr(at + prefix.size(), end - at - prefix.size()));
    if (name.find("node_modules/") == std::string::npos) line_of.emplace(name, lines.line_of(at));
  }
  if (auto packages = root.find("packages"); packages != root.end() && packages->is_object()) {  // v2, v3
    for (const auto& [key, entry] : packages->items()) {
      if (key.rfind("node_modules/", 0) != 0 || !entry.is_object()) continue;
      std::string name = key.substr(13);
      if (name.find("node_modules/") != std::string::npos) continue;  // a nested copy for one dependent
      auto version = entry.find("version");
      if (version == entry.end() || !version->is_string()) continue;
      auto line = line_of.find(name);
      out.locked.push_back({name, version->get<std::string>(), "npm", line == line_of.end() ? 0 : line->second});
    }
  } else if (auto deps = root.find("dependencies"); deps != root.end() && deps->is_object()) {  // v1
    for (const auto& [name, entry] : deps->items()) {
      if (!entry.is_object()) continue;
      auto version = entry.find("version");
      if (version == entry.end() || !version->is_string()) continue;
      out.locked.push_back({name, version->get<std::string>(), "npm", 0});
    }
  }
  return out;
}

ManifestRead read_pipfile_lock(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  nlohmann::json root;
  if (!load(text, lines, root, out) || !root.is_object()) return out;
  for (const char* section : {"default", "develop"}) {
    auto it = root.find(section);
    if (it == root.end() || !it->is_object()) continue;
    size_t section_at = find_key(text, section, 0);
    for (const auto& [name, entry] : it->items()) {
      if (!entry.is_object()) continue;
      auto version = entry.find("version");
      if (version == entry.end() || !version->is_string()) continue;  // VCS and path entries have none
      std::string v = version->get<std::string>();
      if (v.rfind("==", 0) == 0) v = v.substr(v[2] == '=' ? 3 : 2);
      size_t at = section_at == std::string_view::npos ? std::string_view::npos : find_key(text, name, section_at);
      out.locked.push_back({normalize_package_name(name), v, "pypi", at == std::string_view::npos ? 0 : lines.line_of(at)});
    }
  }
  return out;
}

}  // namespace mlaudit::manifests
