// cli/format_sarif.cpp, cli/format_github.cpp, cli/fingerprint.cpp, cli/output_paths.cpp: the CI
// formats of `mlaudit check`, from findings built by hand. The SARIF output as a whole is
// validated by Microsoft's SARIF Multitool in tests/sarif/validate_sarif.sh.
#include <doctest/doctest.h>

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/fingerprint.hpp"
#include "cli/format_github.hpp"
#include "cli/format_sarif.hpp"
#include "cli/output_paths.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;
using json = nlohmann::ordered_json;

rubric::LocatedFinding located(std::string rule, std::string checklist, rubric::Severity severity, std::string message,
                               std::string path, uint32_t line, uint32_t column, uint32_t end_column) {
  rubric::LocatedFinding l;
  l.finding.rule = std::move(rule);
  l.finding.checklist_id = std::move(checklist);
  l.finding.severity = severity;
  l.finding.message = std::move(message);
  l.path = std::move(path);
  l.line = l.end_line = line;
  l.column = column;
  l.end_column = end_column;
  return l;
}

}  // namespace

TEST_CASE("fingerprints survive moved lines and re-indentation, and tell identical lines apart") {
  cli::FingerprintCounter a, b;
  std::string first = a.next("train.py", "unsafe-deserialization", "    model = torch.load(path)");
  // The same line, re-indented with a tab and extra spaces, in another run of check.
  std::string moved = b.next("train.py", "unsafe-deserialization", "\tmodel  =  torch.load(path)   ");
  CHECK(first == moved);
  CHECK(first.size() == 18);
  CHECK(first.substr(16) == ":1");
  // The same line again in the same file: a second occurrence, same digest.
  std::string second = a.next("train.py", "unsafe-deserialization", "model = torch.load(path)");
  CHECK(second.substr(0, 16) == first.substr(0, 16));
  CHECK(second.substr(16) == ":2");
  // Another file counts its own occurrences; another rule or text changes the digest.
  CHECK(a.next("eval.py", "unsafe-deserialization", "model = torch.load(path)") == first);
  CHECK(a.next("train.py", "seed-not-set", "model = torch.load(path)").substr(0, 16) != first.substr(0, 16));
  CHECK(a.next("train.py", "unsafe-deserialization", "model = torch.load(other)").substr(0, 16) != first.substr(0, 16));
  CHECK(cli::normalize_line("  a \t b  ") == "a b");
}

TEST_CASE("GitHub workflow commands escape data and properties as the runner parses them") {
  CHECK(cli::escape_github_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b");
  CHECK(cli::escape_github_property("50% a:b,c\n") == "50%25 a%3Ab%2Cc%0A");

  std::vector<rubric::LocatedFinding> findings = {
      located("hardcoded-secret", "security.secrets", rubric::Severity::Critical, "key 'sk-…' in source, rotate it",
              "src/a,b.py", 3, 5, 20),
      located("seed-not-set", "development.reproducible-training", rubric::Severity::Medium, "no seed\n(see guide) 100%",
              "train.py", 10, 1, 1),
      located("split-without-random-state", "data.split-strategy-documented", rubric::Severity::Low, "split", "d.py", 2, 7, 9)};
  std::string out = cli::render_github(findings, {"/repo", "sub/"});
  CHECK(out ==
        "::error file=sub/src/a%2Cb.py,line=3,col=5,endLine=3,endColumn=20,title=mlaudit hardcoded-secret "
        "(security.secrets)::key 'sk-…' in source, rotate it\n"
        "::warning file=sub/train.py,line=10,col=1,endLine=10,endColumn=1,title=mlaudit seed-not-set "
        "(development.reproducible-training)::no seed%0A(see guide) 100%25\n"
        "::notice file=sub/d.py,line=2,col=7,endLine=2,endColumn=9,title=mlaudit split-without-random-state "
        "(data.split-strategy-documented)::split\n");
}

TEST_CASE("CI paths are relative to the working directory when PATH is inside it") {
  auto inside = cli::output_base("/repo/sub/dir", "/repo");
  CHECK(inside.root == "/repo");
  CHECK(inside.prefix == "sub/dir/");
  auto same = cli::output_base("/repo", "/repo");
  CHECK(same.prefix == "");
  auto outside = cli::output_base("/elsewhere/ws", "/repo");
  CHECK(outside.root == "/elsewhere/ws");
  CHECK(outside.prefix == "");
  auto sibling = cli::output_base("/repo-2", "/repo");  // a prefix of the name is not a parent
  CHECK(sibling.root == "/repo-2");
  CHECK(cli::file_uri("/a b/c#d", true) == "file:///a%20b/c%23d/");
  CHECK(cli::uri_path("src/ü x.py") == "src/%C3%BC%20x.py");
}

TEST_CASE("SARIF carries every rule's metadata and each finding's location, level and fingerprint") {
  auto rubric = test::the_rubric();
  std::vector<rubric::LocatedFinding> findings = {
      located("unsafe-deserialization", "security.unsafe-deserialization", rubric::Severity::High, "`torch.load` ...",
              "src/train.py", 4, 9, 24)};
  cli::SarifInput input;
  input.rubric = rubric.get();
  input.findings = &findings;
  input.base = {"/repo", "ws/"};
  input.line_text = [](const std::string& path, uint32_t line) {
    CHECK(path == "src/train.py");  // PATH-relative, as the reader expects
    CHECK(line == 4);
    return std::string("model = torch.load(p)");
  };
  input.version = "9.9.9";
  json sarif = cli::render_sarif(input);
  CHECK(sarif["version"] == "2.1.0");
  const json& run = sarif["runs"][0];
  CHECK(run["columnKind"] == "unicodeCodePoints");
  CHECK(run["originalUriBaseIds"]["SRCROOT"]["uri"] == "file:///repo/");
  const json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == rubric->rules.size());
  for (const json& rule : rules) {
    const auto* spec = rubric->rule(rule["id"].get<std::string>());
    REQUIRE(spec != nullptr);
    CHECK(rule["shortDescription"]["text"] == spec->title);
    CHECK(rule["helpUri"] == rubric->remediation_base + spec->id + ".md");
    CHECK(rule["defaultConfiguration"]["level"] == cli::sarif_level(spec->severity));
    CHECK(rule["properties"]["tags"][1] == spec->checklist);
    CHECK(rule["fullDescription"]["text"].get<std::string>().size() > spec->title.size());
  }
  CHECK(cli::pascal_case("split-without-random-state") == "SplitWithoutRandomState");

  REQUIRE(run["results"].size() == 1);
  const json& result = run["results"][0];
  CHECK(result["ruleId"] == "unsafe-deserialization");
  CHECK(rules[result["ruleIndex"].get<size_t>()]["id"] == "unsafe-deserialization");
  CHECK(result["level"] == "error");
  const json& location = result["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "ws/src/train.py");
  CHECK(location["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CHECK(location["region"] == json{{"startLine", 4}, {"startColumn", 9}, {"endLine", 4}, {"endColumn", 24}});
  cli::FingerprintCounter expected;
  CHECK(result["partialFingerprints"]["mlaudit/v1"] ==
        expected.next("ws/src/train.py", "unsafe-deserialization", "model = torch.load(p)"));
  CHECK(result["properties"]["checklistId"] == "security.unsafe-deserialization");
  CHECK_FALSE(result["properties"].contains("cell"));
}

#include <filesystem>

#include "cli/fail_under.hpp"

TEST_CASE("--fail-under: below fails, at or above passes, unknown fails, not ML passes") {
  rubric::AuditResult audit;
  audit.relevance.relevant = true;
  audit.overall = 2;
  CHECK(cli::fail_under_status(audit, 0) == 0);  // no gate
  CHECK(cli::fail_under_status(audit, 2) == 0);
  CHECK(cli::fail_under_status(audit, 3) == 1);
  audit.overall.reset();  // relevant, but no template area assessable
  CHECK(cli::fail_under_status(audit, 1) == 1);
  audit.relevance.relevant = false;
  CHECK(cli::fail_under_status(audit, 5) == 0);
}

#include "cli/finding_cell.hpp"

TEST_CASE("the CI formats read a notebook cell wherever the finding type carries one") {
  struct WithCell {
    rubric::Finding finding;
    std::optional<uint32_t> cell;
  };
  struct WithCellInFinding {
    struct {
      std::optional<int> cell;
    } finding;
  };
  CHECK(cli::finding_cell(WithCell{{}, 3}) == std::optional<uint32_t>(3));
  CHECK_FALSE(cli::finding_cell(WithCell{{}, std::nullopt}).has_value());
  WithCellInFinding nested;
  nested.finding.cell = 7;
  CHECK(cli::finding_cell(nested) == std::optional<uint32_t>(7));
  CHECK_FALSE(cli::finding_cell(rubric::LocatedFinding{}).has_value());  // no cell field (yet): none
}
