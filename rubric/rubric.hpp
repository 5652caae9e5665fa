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
  enum class Op { Equals, In, Present } op = Op::Present;
  enum class Literal { True, False, None } literal = Literal::True;  // for Equals
  std::vector<std::string> names;                                    // for In (qualified names)
};

struct CallMatcher {
  std::vector<std::string> calls;                 // exact qualified names
  std::vector<std::shared_ptr<RE2>> patterns;     // on the qualified name (or the callee text)
  std::vector<ArgCondition> when;                 // all must hold
  std::vector<ArgCondition> unless;               // any holding makes the call safe
  std::string message;
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
  size_t min_distinct_characters = 0;
  std::vector<std::string> tracking_imports;     // kind: tracking
  std::vector<std::string> tracking_calls;
  std::vector<KwargEvidence> tracking_kwargs;
  std::vector<std::string> packages;             // kind: requirements (PEP 503 names)
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
  std::vector<std::string> lock_files;
  TrainingSpec training;
  std::vector<RuleSpec> rules;
  RelevanceSpec relevance;
  std::vector<std::string> severity_scale;
  std::string remediation_base;  // codeDescription.href = base + rule id + ".md"
  std::string template_markdown; // the audit template, the report's skeleton

  const RuleSpec* rule(std::string_view id) const;
};

// Loads the embedded rubric, or the files of `directory` when it is not empty.
// Throws std::runtime_error with the file and the problem when the rubric is invalid.
std::shared_ptr<const Rubric> load_rubric(const std::string& directory = "");

// Parses a rubric from YAML text and the template's text (for its front matter).
std::shared_ptr<const Rubric> parse_rubric(std::string_view rules_yaml, std::string_view template_markdown);

}  // namespace mlaudit::rubric
