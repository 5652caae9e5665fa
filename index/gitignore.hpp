// .gitignore semantics for the crawler: which workspace paths git would ignore.
//
// Patterns are compiled once per .gitignore file (glob -> RE2, all of a file's patterns in one
// RE2::Set, so a path costs one pass per file however long the file is). The rules in effect in
// a folder form a chain built as the walk descends: the folder's own .gitignore, then its
// parents', then the root's .git/info/exclude — the first file (deepest first) whose last
// matching pattern says anything decides, as in git. A folder that is ignored is never entered,
// which is also git's rule that a file cannot be re-included if a parent directory is excluded.
//
// Not modelled: core.excludesFile (per-user, would make CI and editors disagree), .gitignore
// files above the workspace root (a workspace that is a subfolder of a repository), and
// core.ignoreCase (matching is case-sensitive, git's default on Linux).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit::index {

// One ignore file's patterns, compiled.
class IgnoreFile {
 public:
  enum class Verdict { None, Ignored, Included };
  // `text` the file's content; `base` the folder holding it, relative to the workspace root
  // ("" for the root, else "src/pkg" without trailing slash).
  IgnoreFile(std::string_view text, std::string base);
  ~IgnoreFile();
  IgnoreFile(IgnoreFile&&) noexcept;
  // The last matching pattern's verdict for `path` (relative to the workspace root, '/'-separated).
  Verdict match(std::string_view path, bool is_dir) const;
  size_t size() const { return patterns_.size(); }
  bool empty() const { return patterns_.empty(); }

 private:
  struct Pattern {
    bool negated = false;
    bool dir_only = false;
  };
  struct Regexes;  // RE2 objects, kept out of this header
  std::string base_;
  std::vector<Pattern> patterns_;  // pattern i is regexp i of the set
  std::unique_ptr<Regexes> regexes_;
};

// The glob of one .gitignore line as an RE2 regex over the path relative to the .gitignore's
// folder, or "" when the line is no pattern (blank, comment) or can never match (unterminated
// `[`, trailing backslash). Exposed for tests.
struct CompiledLine {
  std::string regex;
  bool negated = false;
  bool dir_only = false;
};
CompiledLine compile_gitignore_line(std::string_view line);

// The ignore rules in effect inside one folder of the workspace.
class GitIgnore : public std::enable_shared_from_this<GitIgnore> {
 public:
  // The rules at the root: `.git/info/exclude` (lowest precedence) and the root .gitignore.
  static std::shared_ptr<const GitIgnore> for_root(const std::string& root);
  // The rules inside `dir` (relative to the root, a child of this matcher's folder): this
  // matcher itself when `dir` has no .gitignore, else a new link in the chain. .gitignore
  // files that are symlinks are not read (git refuses them too).
  std::shared_ptr<const GitIgnore> descend(const std::string& root, const std::string& dir) const;
  // Whether `path` (relative to the root), directly inside this matcher's folder, is ignored.
  // It does not look at the parent folders: the walk never asks about the contents of an
  // ignored folder.
  bool ignored(std::string_view path, bool is_dir) const;

  GitIgnore(std::shared_ptr<const GitIgnore> parent, IgnoreFile file);

 private:
  std::shared_ptr<const GitIgnore> parent_;
  IgnoreFile file_;
};

// Whether git would ignore `path` (relative to `root`), including because a folder on the way
// to it is ignored. Builds the chain along the path; for one-off questions (a file-watch event),
// not for walks.
bool ignored_in_tree(const std::string& root, const std::string& path, bool is_dir);

}  // namespace mlaudit::index
