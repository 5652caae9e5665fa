#include "analyzers/manifests/dependency_specs.hpp"

#include <algorithm>
#include <cctype>

#include "analyzers/requirements.hpp"

namespace mlaudit::manifests {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; }

// The leading package name of `s` (PEP 508: starts and ends with a letter or digit).
std::string_view leading_name(std::string_view s) {
  if (s.empty() || !std::isalnum(static_cast<unsigned char>(s[0]))) return {};
  size_t end = 0;
  while (end < s.size() && name_char(s[end])) ++end;
  while (end > 0 && !std::isalnum(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(0, end);
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Release components of a version: "2.1.0" -> 3, "2.1" -> 2, "2.*" -> 0 (a wildcard).
int release_components(std::string_view version) {
  if (version.find('*') != std::string_view::npos || version.empty()) return 0;
  int count = 1;
  for (char c : version) {
    if (c == '.') ++count;
    else if (!std::isdigit(static_cast<unsigned char>(c))) break;
  }
  return std::isdigit(static_cast<unsigned char>(version[0])) ? count : 0;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool pep440_exact(std::string_view specifier) {
  size_t at = specifier.find("==");
  if (at == std::string_view::npos) return false;
  size_t end = specifier.find(',', at);
  std::string_view version = specifier.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
  return version.find('*') == std::string_view::npos;
}

bool url_pinned(std::string_view url) {
  bool vcs = starts_with(url, "git+") || starts_with(url, "hg+") || starts_with(url, "svn+") || starts_with(url, "bzr+") ||
             starts_with(url, "git://");
  if (!vcs) return true;  // an archive or a local file is what it is
  std::string_view rest = url.substr(0, url.find('#'));
  size_t scheme = rest.find("://");
  if (scheme == std::string_view::npos) return false;
  size_t path = rest.find('/', scheme + 3);  // after the host (which may hold user@)
  return path != std::string_view::npos && rest.find('@', path) != std::string_view::npos;
}

std::optional<facts::Requirement> parse_pep508(std::string_view text) {
  std::string_view s = trim(text);
  std::string_view name = leading_name(s);
  if (name.empty()) return std::nullopt;
  facts::Requirement r;
  r.name = normalize_package_name(name);
  s = trim(s.substr(name.size()));
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view extras = s.substr(1, close - 1);
    for (size_t start = 0; start <= extras.size();) {
      size_t comma = extras.find(',', start);
      if (comma == std::string_view::npos) comma = extras.size();
      std::string_view extra = trim(extras.substr(start, comma - start));
      if (!extra.empty()) r.extras.emplace_back(extra);
      start = comma + 1;
    }
    s = trim(s.substr(close + 1));
  }
  if (!s.empty() && s.front() == '@') {
    // A URL may contain ';' only when no whitespace precedes it: the marker needs " ;".
    std::string_view rest = trim(s.substr(1));
    size_t marker = std::string_view::npos;
    for (size_t i = 1; i < rest.size(); ++i)
      if (rest[i] == ';' && std::isspace(static_cast<unsigned char>(rest[i - 1]))) { marker = i; break; }
    r.url = std::string(trim(rest.substr(0, marker)));
    if (marker != std::string_view::npos) r.marker = std::string(trim(rest.substr(marker + 1)));
    r.specifier = "@ " + r.url;
    r.pinned = url_pinned(r.url);
    return r;
  }
  size_t semicolon = s.find(';');
  std::string_view spec = trim(s.substr(0, semicolon));
  if (semicolon != std::string_view::npos) r.marker = std::string(trim(s.substr(semicolon + 1)));
  if (spec.size() >= 2 && spec.front() == '(' && spec.back() == ')') spec = trim(spec.substr(1, spec.size() - 2));
  if (!spec.empty() && std::string_view("<>=!~").find(spec.front()) == std::string_view::npos) return std::nullopt;
  r.specifier = std::string(spec);
  r.pinned = pep440_exact(r.specifier);
  return r;
}

bool poetry_exact(std::string_view constraint) {
  std::string_view c = trim(constraint);
  if (starts_with(c, "===")) c.remove_prefix(3);
  else if (starts_with(c, "==")) c.remove_prefix(2);
  c = trim(c);
  if (c.empty() || c.find_first_of(",|<>^~*! ") != std::string_view::npos) return false;
  return std::isdigit(static_cast<unsigned char>(c[0]));
}

bool npm_exact(std::string_view range) {
  std::string_view r = trim(range);
  if (starts_with(r, "git") || r.find("://") != std::string_view::npos) {
    size_t hash = r.find('#');
    if (hash == std::string_view::npos) return false;
    std::string_view ref = r.substr(hash + 1);  // a full commit hash is fixed; a branch or semver range is not
    return ref.size() >= 7 && std::all_of(ref.begin(), ref.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  }
  if (starts_with(r, "=")) r.remove_prefix(1);
  if (starts_with(r, "v")) r.remove_prefix(1);
  if (r.empty() || !std::isdigit(static_cast<unsigned char>(r[0]))) return false;  // ^, ~, >=, *, latest, file:
  if (r.find_first_of(" |<>^~*xX") != std::string_view::npos) return false;
  // "1.2" means 1.2.x in npm: exact only with major.minor.patch.
  return std::count(r.begin(), r.end(), '.') >= 2;
}

std::optional<facts::Requirement> parse_conda_spec(std::string_view text) {
  std::string_view s = trim(text);
  if (size_t channel = s.find("::"); channel != std::string_view::npos) s = s.substr(channel + 2);
  size_t end = 0;
  while (end < s.size() && name_char(s[end])) ++end;
  if (end == 0) return std::nullopt;
  facts::Requirement r;
  r.ecosystem = "conda";
  r.name = std::string(s.substr(0, end));
  std::transform(r.name.begin(), r.name.end(), r.name.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string_view spec = trim(s.substr(end));
  if (size_t bracket = spec.find('['); bracket != std::string_view::npos) spec = trim(spec.substr(0, bracket));
  r.specifier = std::string(spec);
  if (spec.empty()) return r;
  if (starts_with(spec, "==")) {
    r.pinned = spec.find_first_of("*,|", 2) == std::string_view::npos;
  } else if (spec[0] == '=' || std::isdigit(static_cast<unsigned char>(spec[0]))) {
    std::string_view version = spec[0] == '=' ? spec.substr(1) : spec;
    size_t build = version.find_first_of("= ");
    bool has_build = build != std::string_view::npos && !trim(version.substr(build + 1)).empty();
    version = version.substr(0, build);
    bool simple = version.find_first_of("*,|<>!") == std::string_view::npos;
    r.pinned = simple && (has_build || release_components(version) >= 3);
  }
  return r;
}

}  // namespace mlaudit::manifests
