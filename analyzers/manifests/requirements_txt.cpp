// requirements*.txt / constraints*.txt (pip's requirements file format): one requirement per
// logical line (a trailing backslash continues it), options (-r, -c, -e, --hash, --index-url)
// and comments (# at the line start or after whitespace).
#include <cctype>

#include "analyzers/manifests/dependency_specs.hpp"
#include "analyzers/manifests/manifests.hpp"
#include "analyzers/manifests/source_lines.hpp"

namespace mlaudit::manifests {
namespace {

struct Piece {
  std::string_view text;  // the line's content, comment cut
  size_t offset;          // of text in the whole file
  uint32_t line;
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A line that names a URL, a path or an archive on its own, not `name @ url`: pip installs
// it, but which package it is cannot be read from the line.
bool is_location(std::string_view s) {
  if (s.empty()) return false;
  if (s[0] == '.' || s[0] == '/' || s[0] == '~') return true;
  // An archive named on its own (`torch-2.6.0-cp311-....whl`); `name @ .../x.whl` is a requirement.
  if (s.find('@') == std::string_view::npos)
    for (std::string_view archive : {".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"})
      if (ends_with(s, archive)) return true;
  size_t scheme_end = s.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  for (char c : s.substr(0, scheme_end))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  return true;
}

// The value of an option given as `-r x`, `-rx`, `--requirement x` or `--requirement=x`.
std::string_view option_value(std::string_view rest) {
  rest = trim(rest);
  if (!rest.empty() && rest[0] == '=') rest = trim(rest.substr(1));
  size_t end = 0;
  while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end]))) ++end;
  return rest.substr(0, end);
}

// Which of `names` the option `s` is; returns what follows the option name.
bool take_option(std::string_view s, std::initializer_list<std::string_view> names, std::string_view& rest) {
  for (std::string_view name : names) {
    if (s.substr(0, name.size()) != name) continue;
    std::string_view after = s.substr(name.size());
    bool long_option = name.size() > 2;
    if (long_option && !after.empty() && after[0] != '=' && !std::isspace(static_cast<unsigned char>(after[0]))) continue;
    rest = after;
    return true;
  }
  return false;
}

std::string egg_name(std::string_view url) {
  size_t egg = url.find("#egg=");
  if (egg == std::string_view::npos) egg = url.find("&egg=");
  if (egg == std::string_view::npos) return "";
  std::string_view name = url.substr(egg + 5);
  return std::string(name.substr(0, name.find_first_of("&#[ ")));
}

}  // namespace

ManifestRead read_requirements_txt(std::string_view text) {
  ManifestRead out;
  SourceLines lines(text);
  std::vector<Piece> logical;
  auto flush = [&] {
    if (logical.empty()) return;
    // The first piece holds the requirement or option; continuation pieces hold options.
    const Piece& first = logical.front();
    std::string_view head = trim(first.text);
    size_t head_offset = first.offset + (head.data() - first.text.data());
    bool hashed = false;
    for (const auto& piece : logical) hashed |= piece.text.find("--hash") != std::string_view::npos;
    std::string_view rest;
    if (take_option(head, {"--requirement", "-r"}, rest) || take_option(head, {"--constraint", "-c"}, rest)) {
      bool constraint = head[1] == 'c' || head.substr(0, 4) == "--co";
      std::string_view path = option_value(rest);
      if (!path.empty())
        out.includes.push_back({std::string(path), constraint, lines.range_at(head_offset + (path.data() - head.data()), path.size())});
    } else if (take_option(head, {"--editable", "-e"}, rest)) {
      std::string_view target = option_value(rest);
      std::string name = egg_name(target);
      if (!name.empty()) {
        if (auto req = parse_pep508(name)) {
          req->url = std::string(target.substr(0, target.find('#')));
          req->editable = true;
          req->pinned = url_pinned(target);  // a local checkout is fixed; a VCS URL needs @ref
          req->specifier = "-e " + std::string(target);
          req->range = lines.range_at(head_offset, head.size());
          out.requirements.push_back(std::move(*req));
        }
      }
    } else if (!head.empty() && head[0] != '-') {
      std::string_view requirement = head;
      if (size_t option = requirement.find(" --"); option != std::string_view::npos) requirement = trim(requirement.substr(0, option));
      if (size_t option = requirement.find("\t--"); option != std::string_view::npos) requirement = trim(requirement.substr(0, option));
      if (!is_location(requirement)) {
        if (auto req = parse_pep508(requirement)) {
          req->hashed = hashed;
          req->range = lines.range_at(head_offset, requirement.size());
          out.requirements.push_back(std::move(*req));
        } else {
          out.errors.push_back({"pip cannot read `" + std::string(requirement.substr(0, 80)) + "` as a requirement",
                                lines.range_at(head_offset, requirement.size())});
        }
      }
    }
    logical.clear();
  };
  for (uint32_t line = 0; line < lines.line_count(); ++line) {
    size_t start = lines.line_from(line, 0).start_byte;
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(start, end - start);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    for (size_t i = 0; i < content.size(); ++i)
      if (content[i] == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(content[i - 1])))) {
        content = content.substr(0, i);
        break;
      }
    std::string_view stripped = trim(content);
    bool continues = !stripped.empty() && stripped.back() == '\\';
    if (continues) content = content.substr(0, content.rfind('\\'));
    if (!trim(content).empty() || continues) logical.push_back({content, start, line});
    if (!continues) flush();
  }
  flush();
  return out;
}

}  // namespace mlaudit::manifests
