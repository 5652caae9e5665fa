#include "rubric/package_versions.hpp"

#include <algorithm>
#include <cctype>

namespace mlaudit::rubric {
namespace {

struct Parsed {
  std::vector<long> release;
  bool pre = false;  // a/b/rc/dev: before the release it precedes
};

Parsed parse(const std::string& version) {
  Parsed p;
  size_t at = version.find('!');  // epoch
  at = at == std::string::npos ? 0 : at + 1;
  if (at < version.size() && (version[at] == 'v' || version[at] == 'V')) ++at;
  while (at < version.size()) {
    if (!std::isdigit(static_cast<unsigned char>(version[at]))) break;
    // Saturates: a lock file may hold any digits (found by fuzz_manifests: 1777777777777777777 * 10
    // overflowed a long), and no real release number comes near the cap.
    constexpr long kCap = 1'000'000'000'000L;
    long n = 0;
    while (at < version.size() && std::isdigit(static_cast<unsigned char>(version[at]))) {
      n = std::min(kCap, n * 10 + (version[at++] - '0'));
    }
    p.release.push_back(n);
    if (at < version.size() && version[at] == '.' && at + 1 < version.size() && std::isdigit(static_cast<unsigned char>(version[at + 1]))) ++at;
    else break;
  }
  std::string rest = version.substr(at, version.find('+') == std::string::npos ? std::string::npos : version.find('+') - at);
  for (const char* marker : {"a", "b", "rc", "c", "dev", "alpha", "beta", "pre", "preview"}) {
    size_t m = rest.find(marker);
    if (m != std::string::npos && (m == 0 || rest[m - 1] == '.' || rest[m - 1] == '-' || rest[m - 1] == '_')) p.pre = true;
  }
  while (p.release.size() > 1 && p.release.back() == 0) p.release.pop_back();  // 2.6.0 == 2.6
  return p;
}

}  // namespace

int compare_versions(const std::string& a, const std::string& b) {
  Parsed x = parse(a), y = parse(b);
  for (size_t i = 0; i < std::max(x.release.size(), y.release.size()); ++i) {
    long l = i < x.release.size() ? x.release[i] : 0, r = i < y.release.size() ? y.release[i] : 0;
    if (l != r) return l < r ? -1 : 1;
  }
  if (x.pre != y.pre) return x.pre ? -1 : 1;
  return 0;
}

std::string pinned_version(const std::string& specifier) {
  std::string s = specifier;
  size_t at = s.find("==");
  if (at != std::string::npos) s = s.substr(at + 2);
  if (!s.empty() && s[0] == '=') s.erase(0, 1);
  while (!s.empty() && s[0] == ' ') s.erase(0, 1);
  s = s.substr(0, s.find_first_of(",;= |"));
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0])) || s.find('*') != std::string::npos) return "";
  return s;
}

std::string package_key(const std::string& ecosystem, const std::string& name) {
  return ecosystem == "npm" ? "npm:" + name : name;
}

void keep_lowest(std::map<std::string, PackageVersion>& versions, const std::string& key, PackageVersion v) {
  auto it = versions.find(key);
  if (it == versions.end()) versions.emplace(key, std::move(v));
  else if (compare_versions(v.version, it->second.version) < 0) it->second = std::move(v);
}

std::optional<PackageVersion> known_version(const std::map<std::string, PackageVersion>& locked,
                                            const std::map<std::string, PackageVersion>& pinned,
                                            const std::vector<std::string>& names) {
  for (const auto* versions : {&locked, &pinned}) {
    std::optional<PackageVersion> lowest;
    for (const auto& name : names)
      if (auto it = versions->find(name); it != versions->end())
        if (!lowest || compare_versions(it->second.version, lowest->version) < 0) lowest = it->second;
    if (lowest) return lowest;
  }
  return std::nullopt;
}

}  // namespace mlaudit::rubric
