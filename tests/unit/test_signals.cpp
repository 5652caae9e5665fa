// facts::Signal, the observations of the non-code analyzers: the `kind: signals` rule turns the
// listed ids into findings at their ranges, and the `signals:` evidence of items.yaml (exact id or
// a trailing-'*' prefix) makes an item met with the signal's detail as evidence.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "analyzers/signal_readers.hpp"
#include "rubric/audit.hpp"
#include "rubric/audit_rubric.hpp"
#include "rubric/engine.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;

const std::string kFront = "---\nrelevance:\n  keywords: []\nseverity-scale: \"Critical|High|Medium|Low|Info\"\n---\n# T\n";

facts::Signal signal(std::string id, std::string detail, uint32_t line) {
  facts::Signal s{std::move(id), std::move(detail), {}};
  s.range.start.line = s.range.end.line = line;
  s.range.start_byte = line * 10;
  s.range.end_byte = line * 10 + 5;
  s.range.end.column = 5;
  return s;
}

facts::FileFacts file_with(std::vector<facts::Signal> signals) {
  facts::FileFacts f;
  f.path = "/ws/Dockerfile";
  f.signals = std::move(signals);
  return f;
}

}  // namespace

TEST_CASE("kind: signals reports exactly the listed ids, at their ranges, with the detail") {
  auto rubric = rubric::parse_rubric(
      "training: {methods: [fit]}\n"
      "rules:\n"
      "  - {id: x-image, kind: signals, checklist: a.b, title: t, severity: Medium,\n"
      "     signals: [docker.base-image-unpinned], message: \"{file}: {detail}\"}\n",
      kFront);
  rubric::Conclusions relevant;
  relevant.relevance.relevant = true;
  auto file = file_with({signal("docker.base-image-unpinned", "python:latest", 2), signal("docker.cuda-base", "nvidia/cuda", 3)});
  auto found = rubric::check_file(file, *rubric, relevant);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule == "x-image");
  CHECK(found[0].message == "Dockerfile: python:latest");
  CHECK(found[0].range.start.line == 2);

  file.suppressions.push_back({2, {"x-image"}, false});
  CHECK(rubric::check_file(file, *rubric, relevant).empty());  // `# mlaudit: ignore[x-image]` works on signals too

  rubric::Conclusions not_ml;
  CHECK(rubric::check_file(file_with({signal("docker.base-image-unpinned", "x", 0)}), *rubric, not_ml).empty());
}

TEST_CASE("kind: signals without a list of ids is refused") {
  CHECK_THROWS_WITH_AS(rubric::parse_rubric("training: {methods: [fit]}\nrules:\n"
                                            "  - {id: x, kind: signals, checklist: a.b, title: t, severity: Low}\n",
                                            kFront),
                       doctest::Contains("signal ids"), std::runtime_error);
}

TEST_CASE("signals: evidence makes an item met, by exact id or prefix, with the signal's detail") {
  auto rubric = test::the_rubric();
  auto items = rubric::parse_audit_rubric(*rubric,
      "schema: mlaudit-items/1\n"
      "areas:\n"
      "  - id: mlops\n    title: MLOps\n    section: 4\n    extension: false\n    items:\n"
      "      - {id: mlops.ci, title: CI, met: {signals: [ci.runs-tests]}, absent: gap, severity: Medium}\n"
      "      - {id: mlops.any, title: Any, met: {signals: [\"ci.*\"]}, absent: gap, severity: Low}\n"
      "      - {id: mlops.none, title: None, met: {signals: [docker.other]}, absent: gap, severity: Low}\n"
      "    levels: []\n");
  auto workflow = std::make_shared<facts::FileFacts>(file_with({signal("ci.runs-tests", "job test runs pytest", 7)}));
  workflow->path = "/ws/.github/workflows/ci.yml";
  rubric::AuditInput input;
  input.root = "/ws";
  input.files.push_back(workflow);
  input.present.push_back(workflow->path);
  auto conclusions = std::make_shared<rubric::Conclusions>();
  conclusions->relevance.relevant = true;
  input.conclusions = conclusions;
  auto audit = rubric::compute_audit(input, *rubric, *items);
  REQUIRE(audit.areas.size() == 1);
  const auto& got = audit.areas[0].items;
  REQUIRE(got.size() == 3);
  CHECK(got[0].status == rubric::Status::Met);
  REQUIRE(!got[0].evidence.empty());
  CHECK(got[0].evidence[0].path == ".github/workflows/ci.yml");
  CHECK(got[0].evidence[0].line == 8u);
  CHECK(got[0].evidence[0].detail == "job test runs pytest");
  CHECK(got[1].status == rubric::Status::Met);
  CHECK(got[2].status == rubric::Status::Gap);
}

TEST_CASE("signal readers: path helpers match whole folder names, relative or absolute") {
  CHECK(path_file_name("/ws/a/Dockerfile") == "Dockerfile");
  CHECK(path_file_name("Dockerfile") == "Dockerfile");
  CHECK(path_in_folder(".github/workflows/ci.yml", ".github/workflows"));
  CHECK(path_in_folder("/ws/.github/workflows/ci.yml", ".github/workflows"));
  CHECK_FALSE(path_in_folder("/ws/x.github/workflows/ci.yml", ".github/workflows"));
  CHECK_FALSE(path_in_folder("/ws/.github/workflows/sub/ci.yml", ".github/workflows"));
  CHECK_FALSE(path_in_folder("ci.yml", ".github/workflows"));
  CHECK(path_under("/ws/deploy/k8s/base/svc.yaml", "k8s"));
  CHECK(path_under("k8s/svc.yaml", "k8s"));
  CHECK(path_under("/ws/docs/adr/0001-x.md", "docs/adr"));
  CHECK_FALSE(path_under("/ws/mk8s/svc.yaml", "k8s"));
  CHECK_FALSE(path_under("/ws/k8s.yaml", "k8s"));
}

TEST_CASE("items.yaml: an evidence kind given twice in one item is refused, not silently dropped") {
  auto rubric = test::the_rubric();
  CHECK_THROWS_WITH_AS(rubric::parse_audit_rubric(*rubric,
      "schema: mlaudit-items/1\n"
      "areas:\n"
      "  - id: mlops\n    title: MLOps\n    section: 4\n    extension: false\n    items:\n"
      "      - id: mlops.ci\n        title: CI\n        partial:\n          signals: [docs.codeowners]\n"
      "          signals: [ci.approval-gate]\n        absent: gap\n        severity: Low\n"
      "    levels: []\n"),
      doctest::Contains("given twice"), std::runtime_error);
}
