// rubric/facts_compactor: closed files keep only what the rubric can ask for, and nothing the
// rules or the audit read is lost (the same findings and the same report either way).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "index/crawler.hpp"
#include "rubric/audit_rubric.hpp"
#include "rubric/facts_compactor.hpp"
#include "rubric/report.hpp"
#include "rubric/workspace_check.hpp"
#include "test_support.hpp"

namespace {

using mlaudit::facts::FileFacts;
namespace rubric = mlaudit::rubric;

std::shared_ptr<const rubric::AuditRubric> the_items() {
  static const auto items = rubric::load_audit_rubric(*mlaudit::test::the_rubric());
  return items;
}

std::string audit_json(const std::string& root, bool compact) {
  rubric::FactsCompactor compactor(*mlaudit::test::the_rubric(), the_items().get());
  mlaudit::index::CrawlOptions options;
  if (compact) options.compact = [&](FileFacts& f) { compactor.compact(f); };
  auto ws = mlaudit::index::load_workspace(root, options);
  rubric::WorkspaceSnapshot snapshot{ws.root, ws.analysed, ws.present, ws.skipped, std::nullopt};
  auto reader = [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  auto audit = rubric::audit_workspace(snapshot, mlaudit::test::the_rubric(), *the_items(), reader, "fixture", "2026-01-01");
  return rubric::render_json(audit);
}

size_t calls_in(const std::string& root, bool compact) {
  rubric::FactsCompactor compactor(*mlaudit::test::the_rubric(), the_items().get());
  mlaudit::index::CrawlOptions options;
  if (compact) options.compact = [&](FileFacts& f) { compactor.compact(f); };
  size_t n = 0;
  for (const auto& f : mlaudit::index::load_workspace(root, options).analysed) n += f->python.calls.size();
  return n;
}

}  // namespace

TEST_CASE("compaction changes no finding and no audit result on any fixture or example workspace") {
  for (std::string dir : {std::string(MLAUDIT_TEST_FIXTURES) + "/audit-research", std::string(MLAUDIT_TEST_FIXTURES) + "/audit-production",
                          std::string(MLAUDIT_TEST_FIXTURES) + "/audit-llm-app", std::string(MLAUDIT_TEST_FIXTURES) + "/ml-sklearn-only",
                          std::string(MLAUDIT_TEST_FIXTURES) + "/non-ml-project", std::string(MLAUDIT_TEST_FIXTURES) + "/../../examples/research-project",
                          std::string(MLAUDIT_TEST_FIXTURES) + "/../../examples/clean-project"}) {
    CAPTURE(dir);
    std::string full = audit_json(dir, false);
    CHECK(full.find("\"findings\"") != std::string::npos);
    CHECK(audit_json(dir, true) == full);
    // Control: compaction did drop something, so the equality above says something.
    CHECK(calls_in(dir, true) < calls_in(dir, false));
  }
}

TEST_CASE("compaction keeps the calls and bindings rules read and drops the rest") {
  const std::string text =
      "import torch\n"
      "from transformers import AutoModel\n"
      "import numpy as np\n"
      "flag = True\n"
      "unused = compute()\n"
      "SEED = 7\n"
      "opts = dict(trust_remote_code=other)\n"
      "other = True\n"
      "def helper(x):\n"
      "    return len(x) + abs(x)\n"
      "model = AutoModel.from_pretrained('m', trust_remote_code=flag)\n"
      "m2 = AutoModel.from_pretrained('m', **opts)\n"
      "state = torch.load('w.pt')\n"
      "print(np.mean([1, 2]))\n"
      "model.save_pretrained('out')\n"            // a call pattern of items.yaml (model inventory)
      "trainer = Trainer(args=TrainingArguments(report_to='mlflow'))\n";  // a tracking keyword
  FileFacts full = mlaudit::analyze_text("/ws/train.py", text);
  FileFacts compacted = full;
  rubric::FactsCompactor(*mlaudit::test::the_rubric(), the_items().get()).compact(compacted);

  std::vector<std::string> kept;
  for (const auto& c : compacted.python.calls) kept.push_back(c.callee);
  CHECK(std::find(kept.begin(), kept.end(), "AutoModel.from_pretrained") != kept.end());
  CHECK(std::find(kept.begin(), kept.end(), "torch.load") != kept.end());
  CHECK(std::find(kept.begin(), kept.end(), "model.save_pretrained") != kept.end());
  CHECK(std::find(kept.begin(), kept.end(), "TrainingArguments") != kept.end());
  for (const char* dropped : {"len", "abs", "print", "np.mean", "dict"}) {
    CAPTURE(dropped);
    CHECK(std::find(kept.begin(), kept.end(), dropped) == kept.end());
  }
  std::vector<std::string> bindings;
  for (const auto& b : compacted.python.bindings) bindings.push_back(b.name);
  std::sort(bindings.begin(), bindings.end());
  // `flag` (passed directly), `opts` (a **splat) and `other` (inside the splatted dict) stay.
  // A module-level number stays for the quick fixes' seed constant; `unused` goes.
  CHECK(bindings == std::vector<std::string>{"SEED", "flag", "opts", "other"});

  // The rules see the same thing either way: both trust_remote_code calls are found.
  auto conclusions = std::make_shared<rubric::Conclusions>();
  conclusions->relevance.relevant = true;
  auto rules_of = [&](const FileFacts& f) {
    std::vector<std::pair<std::string, uint32_t>> out;
    for (const auto& finding : rubric::check_file(f, *mlaudit::test::the_rubric(), *conclusions))
      out.emplace_back(finding.rule, finding.range.start_byte);
    return out;
  };
  auto expected = rules_of(full);
  CHECK(std::count_if(expected.begin(), expected.end(), [](const auto& r) { return r.first == "trust-remote-code"; }) == 2);
  CHECK(rules_of(compacted) == expected);
}

TEST_CASE("compaction keeps what unpinned-model-revision reads: Hub calls and the names of their ids and revisions") {
  const std::string text =
      "from transformers import AutoModel\n"
      "import huggingface_hub as hh\n"
      "REPO = 'org/model'\n"
      "REV = '86b5e0934494bd15c9632b12f734a8a67f723594'\n"
      "noise = compute()\n"
      "a = AutoModel.from_pretrained(REPO)\n"
      "b = AutoModel.from_pretrained(REPO, revision=REV)\n"
      "c = hh.snapshot_download('org/other')\n"
      "print(a, b, c)\n";
  FileFacts full = mlaudit::analyze_text("/ws/load.py", text);
  FileFacts compacted = full;
  rubric::FactsCompactor(*mlaudit::test::the_rubric(), the_items().get()).compact(compacted);
  std::vector<std::string> kept;
  for (const auto& c : compacted.python.calls) kept.push_back(c.qualified);
  CHECK(std::count(kept.begin(), kept.end(), "transformers.AutoModel.from_pretrained") == 2);
  CHECK(std::count(kept.begin(), kept.end(), "huggingface_hub.snapshot_download") == 1);
  CHECK(std::count(kept.begin(), kept.end(), "print") == 0);
  std::vector<std::string> bindings;
  for (const auto& b : compacted.python.bindings) bindings.push_back(b.name);
  std::sort(bindings.begin(), bindings.end());
  CHECK(bindings == std::vector<std::string>{"REPO", "REV"});

  auto conclusions = std::make_shared<rubric::Conclusions>();
  conclusions->relevance.relevant = true;
  auto lines_of = [&](const FileFacts& f) {
    std::vector<uint32_t> out;
    for (const auto& finding : rubric::check_file(f, *mlaudit::test::the_rubric(), *conclusions))
      if (finding.rule == "unpinned-model-revision") out.push_back(finding.range.start.line);
    return out;
  };
  // The unpinned REPO download and the snapshot; the one pinned through REV is not reported.
  CHECK(lines_of(full) == std::vector<uint32_t>{5, 7});
  CHECK(lines_of(compacted) == lines_of(full));
}
