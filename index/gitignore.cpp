#include "index/gitignore.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <bitset>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

namespace fs = std::filesystem;

namespace mlaudit::index {
namespace {

// Patterns are matched byte for byte, like git does: Latin-1 makes every byte one character, so
// paths that are not UTF-8 still match. dot_nl: a file name may contain a newline.
RE2::Options regex_options() {
  RE2::Options options(RE2::Latin1);
  options.set_dot_nl(true);
  options.set_log_errors(false);
  return options;
}

void append_byte(std::string& out, unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/') {
    out += static_cast<char>(c);
  } else {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
    out += buffer;
  }
}

// The POSIX class `[:name:]` as git's wildmatch knows it (ASCII only); false if unknown.
bool posix_class(std::string_view name, std::bitset<256>& set) {
  auto add = [&](int (*pred)(int)) {
    for (int c = 0; c < 128; ++c)
      if (pred(c)) set.set(c);
  };
  if (name == "alnum") add([](int c) { return std::isalnum(c); });
  else if (name == "alpha") add([](int c) { return std::isalpha(c); });
  else if (name == "blank") add([](int c) { return int(c == ' ' || c == '\t'); });
  else if (name == "cntrl") add([](int c) { return std::iscntrl(c); });
  else if (name == "digit") add([](int c) { return std::isdigit(c); });
  else if (name == "graph") add([](int c) { return std::isgraph(c); });
  else if (name == "lower") add([](int c) { return std::islower(c); });
  else if (name == "print") add([](int c) { return std::isprint(c); });
  else if (name == "punct") add([](int c) { return std::ispunct(c); });
  else if (name == "space") add([](int c) { return std::isspace(c); });
  else if (name == "upper") add([](int c) { return std::isupper(c); });
  else if (name == "xdigit") add([](int c) { return std::isxdigit(c); });
  else return false;
  return true;
}

// A bracket expression starting at p[i] == '[', following git's wildmatch.c: `!` or `^`
// negates, a `]` right after the opening (or after the negation) is literal, `a-z` ranges,
// `\x` escapes, `[:alpha:]` classes. It never matches '/'. On success `i` is past the `]` and
// the class is appended; false when git would abort (unterminated, unknown [:class:]) or the
// class is empty — in every case the whole pattern can never match.
bool append_class(std::string_view p, size_t& i, std::string& out) {
  size_t k = i + 1;
  bool negated = k < p.size() && (p[k] == '!' || p[k] == '^');
  if (negated) ++k;
  std::bitset<256> set;
  int prev = -1;  // the previous literal, a range's start; none after a range or a [:class:]
  for (bool first = true;; first = false, ++k) {
    if (k >= p.size()) return false;
    unsigned char c = p[k];
    if (c == ']' && !first) break;
    if (c == '\\') {
      if (++k >= p.size()) return false;
      c = p[k];
      set.set(c);
      prev = c;
    } else if (c == '-' && prev >= 0 && k + 1 < p.size() && p[k + 1] != ']') {
      unsigned char hi = p[++k];
      if (hi == '\\') {
        if (++k >= p.size()) return false;
        hi = p[k];
      }
      for (int b = prev; b <= hi; ++b) set.set(b);  // a reversed range is empty, as in git
      prev = -1;
    } else if (c == '[' && k + 1 < p.size() && p[k + 1] == ':') {
      size_t start = k + 2, end = start;
      while (end < p.size() && p[end] != ']') ++end;
      if (end >= p.size()) return false;
      if (end == start || p[end - 1] != ':') {  // no ":]": a literal '['
        set.set('[');
        prev = '[';
        continue;
      }
      if (!posix_class(p.substr(start, end - 1 - start), set)) return false;
      k = end;
      prev = -1;
    } else {
      set.set(c);
      prev = c;
    }
  }
  i = k + 1;
  if (negated) set.flip();
  set.reset('/');
  if (set.none()) return false;
  out += '[';
  for (int b = 0; b < 256; ++b) {
    if (!set.test(b)) continue;
    int e = b;
    while (e + 1 < 256 && set.test(e + 1)) ++e;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, e == b ? "\\x%02x" : "\\x%02x-\\x%02x", b, e);
    out += buffer;
    b = e;
  }
  out += ']';
  return true;
}

// git's trim_trailing_spaces: trailing spaces go unless escaped with a backslash.
std::string_view trim_trailing_spaces(std::string_view line) {
  size_t end = line.size();
  std::optional<size_t> last_space;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ') {
      if (!last_space) last_space = i;
    } else if (line[i] == '\\') {
      if (++i == line.size()) return line;
      last_space.reset();
    } else {
      last_space.reset();
    }
  }
  return line.substr(0, last_space.value_or(end));
}

std::string read_small_file(const fs::path& path) {
  // Not followed when a symlink (git refuses symlinked .gitignore files too); capped so that a
  // hostile multi-gigabyte .gitignore cannot exhaust memory.
  constexpr size_t kMaxIgnoreFileBytes = 4 * 1024 * 1024;
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) return "";
  std::ifstream in(path, std::ios::binary);
  std::string text(kMaxIgnoreFileBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

}  // namespace

CompiledLine compile_gitignore_line(std::string_view line) {
  CompiledLine out;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files
  if (line.empty() || line[0] == '#') return out;
  std::string_view p = trim_trailing_spaces(line);
  if (!p.empty() && p[0] == '!') {
    out.negated = true;
    p.remove_prefix(1);
  }
  if (!p.empty() && p.back() == '/') {  // only directories
    out.dir_only = true;
    p.remove_suffix(1);
  }
  // No slash: the pattern matches a name at any depth below the .gitignore's folder. A slash
  // (leading or in the middle) anchors it to that folder.
  bool basename = p.find('/') == std::string_view::npos;
  if (!basename && p[0] == '/') p.remove_prefix(1);
  if (p.empty()) return out;
  // git compares the literal head of an anchored pattern (up to the first of `*?[\`) itself and
  // hands only the rest to wildmatch, where `**` at the start counts as "after a slash".
  size_t wild_start = basename ? 0 : std::min(p.find_first_of("*?[\\"), p.size());

  std::string re = basename ? "(?:.*/)?" : "";
  for (size_t i = 0; i < p.size();) {
    unsigned char c = p[i];
    if (c == '*') {
      size_t j = i;
      while (j < p.size() && p[j] == '*') ++j;
      bool after_slash = i == wild_start || p[i - 1] == '/';
      bool escaped_slash = j + 1 < p.size() && p[j] == '\\' && p[j + 1] == '/';
      if (!basename && j - i >= 2 && after_slash && (j == p.size() || p[j] == '/' || escaped_slash)) {
        if (j == p.size()) {  // trailing `/**`: everything inside
          re += ".*";
          i = j;
        } else {  // `**/`: zero or more folders
          re += "(?:.*/)?";
          i = j + (escaped_slash ? 2 : 1);
        }
      } else {  // any other run of stars stays within one path component
        re += "[^/]*";
        i = j;
      }
    } else if (c == '?') {
      re += "[^/]";
      ++i;
    } else if (c == '[') {
      if (!append_class(p, i, re)) return CompiledLine{};
    } else if (c == '\\') {
      if (i + 1 == p.size()) return CompiledLine{};  // a trailing backslash never matches
      append_byte(re, static_cast<unsigned char>(p[i + 1]));
      i += 2;
    } else {
      append_byte(re, c);
      ++i;
    }
  }
  out.regex = std::move(re);
  return out;
}

struct IgnoreFile::Regexes {
  RE2::Set set{regex_options(), RE2::ANCHOR_BOTH};  // all patterns in one pass
  bool compiled = false;
  std::vector<std::unique_ptr<RE2>> each;  // used only if the set's DFA runs out of memory
};

IgnoreFile::IgnoreFile(std::string_view text, std::string base)
    : base_(std::move(base)), regexes_(std::make_unique<Regexes>()) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 BOM, as git skips it
  auto options = regex_options();
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    CompiledLine compiled = compile_gitignore_line(line);
    if (compiled.regex.empty()) continue;
    auto regex = std::make_unique<RE2>(compiled.regex, options);
    // Set indices are consecutive over successful Add()s, so patterns_[i] is regexp i.
    if (!regex->ok() || regexes_->set.Add(compiled.regex, nullptr) < 0) continue;
    patterns_.push_back(Pattern{compiled.negated, compiled.dir_only});
    regexes_->each.push_back(std::move(regex));
  }
  regexes_->compiled = !patterns_.empty() && regexes_->set.Compile();
}

IgnoreFile::~IgnoreFile() = default;
IgnoreFile::IgnoreFile(IgnoreFile&&) noexcept = default;

IgnoreFile::Verdict IgnoreFile::match(std::string_view path, bool is_dir) const {
  if (patterns_.empty()) return Verdict::None;
  if (!base_.empty()) {  // patterns are relative to the .gitignore's folder
    if (path.size() <= base_.size() || path.substr(0, base_.size()) != base_ || path[base_.size()] != '/')
      return Verdict::None;
    path.remove_prefix(base_.size() + 1);
  }
  // The last matching pattern decides ("later lines win"); a directory-only pattern does not
  // match a file.
  auto decide = [&](size_t i) { return patterns_[i].negated ? Verdict::Included : Verdict::Ignored; };
  auto applies = [&](size_t i) { return is_dir || !patterns_[i].dir_only; };
  std::vector<int> hits;
  RE2::Set::ErrorInfo error{};
  re2::StringPiece text(path.data(), path.size());
  if (regexes_->compiled && regexes_->set.Match(text, &hits, &error)) {
    int best = -1;
    for (int i : hits)
      if (applies(i) && i > best) best = i;
    return best < 0 ? Verdict::None : decide(static_cast<size_t>(best));
  }
  if (regexes_->compiled && error.kind == RE2::Set::kNoError) return Verdict::None;
  // The set's DFA ran out of memory (a hostile .gitignore): one regex at a time, last first.
  for (size_t i = patterns_.size(); i-- > 0;)
    if (applies(i) && RE2::FullMatch(text, *regexes_->each[i])) return decide(i);
  return Verdict::None;
}

GitIgnore::GitIgnore(std::shared_ptr<const GitIgnore> parent, IgnoreFile file)
    : parent_(std::move(parent)), file_(std::move(file)) {}

std::shared_ptr<const GitIgnore> GitIgnore::for_root(const std::string& root) {
  // .git/info/exclude is consulted after every .gitignore (lowest precedence): the root of the
  // chain. Its patterns are relative to the root, like the root .gitignore's.
  auto exclude = std::make_shared<const GitIgnore>(nullptr, IgnoreFile(read_small_file(fs::path(root) / ".git" / "info" / "exclude"), ""));
  return std::make_shared<const GitIgnore>(exclude, IgnoreFile(read_small_file(fs::path(root) / ".gitignore"), ""));
}

std::shared_ptr<const GitIgnore> GitIgnore::descend(const std::string& root, const std::string& dir) const {
  IgnoreFile file(read_small_file(fs::path(root) / dir / ".gitignore"), dir);
  if (file.empty()) return shared_from_this();
  return std::make_shared<const GitIgnore>(shared_from_this(), std::move(file));
}

bool GitIgnore::ignored(std::string_view path, bool is_dir) const {
  // Deepest .gitignore first; the first one with a matching pattern decides.
  for (const GitIgnore* rules = this; rules; rules = rules->parent_.get()) {
    IgnoreFile::Verdict verdict = rules->file_.match(path, is_dir);
    if (verdict != IgnoreFile::Verdict::None) return verdict == IgnoreFile::Verdict::Ignored;
  }
  return false;
}

bool ignored_in_tree(const std::string& root, const std::string& path, bool is_dir) {
  auto rules = GitIgnore::for_root(root);
  // Every folder on the way must itself not be ignored: nothing inside an ignored folder can be
  // re-included.
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (rules->ignored(dir, true)) return true;
    rules = rules->descend(root, dir);
  }
  return rules->ignored(path, is_dir);
}

}  // namespace mlaudit::index
