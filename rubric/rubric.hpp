// The rubric as loaded from rubric/*.yaml (embedded at build time, or --rubric DIR), and the
// template's front matter. Knowledge only: no analysis happens here.
#pragma once
#include <re2/re2.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlaudit::rubric {

// The template's severity scale, most severe first.
enum class Severity { Critical, High, Medium, Low, Info };
std::optional<Severity> parse_severity(std::string_view name);
const char* severity_name(Severity severity);

// A condition on one argument of a call: by keyword, or by position when given.
struct ArgCondition {
  std::string keyword;
  int position = -1;
  enum class Op { Equals, In, Present, Matches } op = Op::Present;
  enum class Literal { True, False, None } literal = Literal::True;  // for Equals
  std::vector<std::string> names;                                    // for In (qualified names)
  // For Matches: a string literal matching it holds (a list literal: one of its strings), any
  // other literal does not, and a value that cannot be followed to a literal is unknown
  // (`repo_id` in a variable from argv).
  std::shared_ptr<RE2> pattern;
};

// A keyword whose default became safe in a library version (torch.load's weights_only is True
// from torch 2.6): when the call omits the keyword and the workspace's lock file (or an exact
// pin) fixes one of `packages` at `min_version` or later, the finding gets this severity and
// message instead. Placeholders: {callee}, {package}, {version}, {source}, {min}.
struct VersionDefault {
  std::string keyword;
  std::vector<std::string> packages;
  std::string min_version;
  Severity severity = Severity::Info;
  std::string message;
};

struct CallMatcher {
  std::vector<std::string> calls;                 // exact qualified names
  std::vector<std::shared_ptr<RE2>> patterns;     // on the qualified name (or the callee text)
  std::vector<ArgCondition> when;                 // all must hold
  std::vector<ArgCondition> unless;               // any holding makes the call safe
  std::string message;
  std::optional<VersionDefault> version_default;
  std::vector<std::string> needs;                 // kind: bounds: names of the rule's `bounds`
};

// kind: bounds — a limit a call must set (`timeout`), by any of `keywords`; `client`: a keyword
// on the client the call goes through (its constructor or `with_options(...)`) counts too.
struct Bound {
  std::string name;
  std::vector<std::string> keywords;
  bool client = false;
};

struct SecretPattern {
  std::string name;
  std::shared_ptr<RE2> pattern;
  std::shared_ptr<RE2> exclude;  // a match of this pattern is not this secret
  std::shared_ptr<RE2> context;  // required context (the call, keyword or target around it)
  std::string env;               // the provider's conventional environment variable (for the fix)
};

// A call that seeds a random generator; some seed only when given an argument
// (`numpy.random.default_rng(42)` seeds, `default_rng()` does not).
struct SeedCall {
  std::string call;
  bool needs_argument = false;
};

struct KwargEvidence {
  std::string keyword;
  std::vector<std::string> values;
};

struct RuleSpec {
  std::string id, kind, checklist, title, message;
  Severity severity = Severity::Medium;
  std::vector<CallMatcher> matchers;             // kind: calls
  std::vector<SeedCall> seed_calls;              // kind: seed
  std::vector<SecretPattern> secrets;            // kind: secrets
  std::string output_message;                    // kind: secrets, for a notebook output ("" = message)
  size_t min_distinct_characters = 0;
  std::vector<std::string> tracking_imports;     // kind: tracking
  std::vector<std::string> tracking_calls;
  std::vector<KwargEvidence> tracking_kwargs;
  std::vector<std::string> packages;             // kind: requirements (PEP 503 and conda names)
  std::vector<std::string> npm_packages;         // kind: requirements (npm names)
  std::vector<std::string> dangerous_globals;    // kind: artifacts: modules or module.name
  std::vector<std::string> safe_globals;         // kind: artifacts: module.name, exact
  std::vector<std::string> signals;              // kind: signals: facts::Signal ids reported
  std::vector<Bound> bounds;                     // kind: bounds
  std::vector<std::string> clients;              // kind: bounds: client constructors (qualified)
  std::vector<std::shared_ptr<RE2>> flow_sources;  // kind: flows: callee patterns of the sources
};

struct ReceiverMethod {
  std::string method;
  std::shared_ptr<RE2> receiver;
};

struct TrainingSpec {
  std::vector<std::string> methods;
  std::vector<ReceiverMethod> receiver_methods;
  std::vector<std::string> calls;
  std::vector<std::string> frameworks;
};

// The template's `relevance:` front matter.
struct RelevanceSpec {
  std::vector<std::string> file_patterns;
  std::vector<std::string> keywords;
  std::vector<std::string> config_keys;
  bool always_include = false;
};

struct Rubric {
  std::vector<std::string> ml_libraries;
  std::vector<std::string> ml_npm_libraries;  // npm packages: JS/TS imports and package.json
  std::vector<std::string> lock_files;
  TrainingSpec training;
  std::vector<RuleSpec> rules;
  RelevanceSpec relevance;
  std::vector<std::string> severity_scale;
  std::string remediation_base;  // codeDescription.href = base + rule id + ".md"
  std::string template_markdown; // the audit template, the report's skeleton

  const RuleSpec* rule(std::string_view id) const;
};

// The href base when MLAUDIT_DOCS_BASE is unset. The binary sets it once at start-up to a local
// copy of the pages that exists (cli/remediation_location.cpp); unset, it is the source tree.
void set_default_remediation_base(std::string base);

// Loads the embedded rubric, or the files of `directory` when it is not empty.
// Throws std::runtime_error with the file and the problem when the rubric is invalid.
std::shared_ptr<const Rubric> load_rubric(const std::string& directory = "");

// Parses a rubric from YAML text and the template's text (for its front matter).
std::shared_ptr<const Rubric> parse_rubric(std::string_view rules_yaml, std::string_view template_markdown);

}  // namespace mlaudit::rubric
