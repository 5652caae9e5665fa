// Fixture workspaces on disk (tests/fixtures/), loaded the way `mlaudit check` loads them:
// relevance decides whether a workspace gets ML diagnostics at all.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "index/crawler.hpp"
#include "test_support.hpp"

namespace {

struct Loaded {
  mlaudit::index::Workspace ws;
  std::unique_ptr<mlaudit::rubric::WorkspaceModel> model;
};

Loaded load(const std::string& name) {
  Loaded out;
  out.ws = mlaudit::index::load_workspace(std::string(MLAUDIT_TEST_FIXTURES) + "/" + name, {});
  out.model = std::make_unique<mlaudit::rubric::WorkspaceModel>(mlaudit::test::the_rubric(),
                                                                 std::vector<std::string>{out.ws.root});
  for (const auto& p : out.ws.present) out.model->add_present(p);
  for (const auto& f : out.ws.analysed) out.model->update(*f);
  return out;
}

std::string relative(const Loaded& l, const std::string& path) { return path.substr(l.ws.root.size() + 1); }

}  // namespace

TEST_CASE("non-ML workspace: models.py, ai/, pickle, random and a train script are not ML") {
  Loaded l = load("non-ml-project");
  std::vector<std::string> analysed;
  for (const auto& f : l.ws.analysed) analysed.push_back(relative(l, f->path));
  std::sort(analysed.begin(), analysed.end());
  // README.md is read by the documentation reader (analyzers/docs); it holds nothing ML.
  CHECK(analysed == std::vector<std::string>{"README.md", "ai/__init__.py", "ai/agent.py", "ai/pathfinding.py", "httpkit/__init__.py",
                                             "httpkit/cache.py", "httpkit/client.py", "httpkit/models.py",
                                             "requirements.txt", "scripts/train.py", "tests/test_cache.py"});
  auto conclusions = l.model->conclusions();
  CHECK_FALSE(conclusions->relevance.relevant);
  // The signals list what was found, and here that is only the weak ai/ path match.
  for (const auto& signal : conclusions->relevance.signals) CHECK(signal.find("path matches **/ai/**") != std::string::npos);
  CHECK_FALSE(conclusions->relevance.signals.empty());
  CHECK(conclusions->relevance.reason.find("not an ML/LLM workspace") == 0);
  // The ai/ folder matches the template's file patterns, but a weak signal alone is not enough.
  CHECK(conclusions->relevance.reason.find("file pattern alone") != std::string::npos);

  for (const auto& f : l.ws.analysed) {
    CAPTURE(f->path);
    CHECK(f->skipped.reason.empty());
    CHECK(mlaudit::rubric::check_file(*f, *mlaudit::test::the_rubric(), *conclusions).empty());
  }

  // Control: the traps are real. Were the workspace ML code, the pickle round trip and the
  // unpinned requirements would be reported; relevance is what keeps this workspace quiet.
  mlaudit::rubric::Conclusions forced = *conclusions;
  forced.relevance.relevant = true;
  size_t would_report = 0;
  for (const auto& f : l.ws.analysed) {
    for (const auto& finding : mlaudit::rubric::check_file(*f, *mlaudit::test::the_rubric(), forced)) {
      CHECK(finding.rule == "unsafe-deserialization");
      ++would_report;
    }
  }
  CHECK(would_report == 2);  // pickle.load in httpkit/cache.py, pickle.loads in tests/test_cache.py
}

TEST_CASE("non-ML workspace: an ML import anywhere makes it relevant") {
  Loaded l = load("non-ml-project");
  CHECK(l.model->update(mlaudit::analyze_text(l.ws.root + "/ai/learned.py", "import torch\n")));
  auto conclusions = l.model->conclusions();
  CHECK(conclusions->relevance.relevant);
  CHECK(conclusions->relevance.signals == std::vector<std::string>{"ai/learned.py: import torch"});
}

TEST_CASE("ML workspace: `from sklearn.model_selection import train_test_split` alone is enough") {
  Loaded l = load("ml-sklearn-only");
  auto conclusions = l.model->conclusions();
  CHECK(conclusions->relevance.relevant);
  CHECK(conclusions->relevance.signals == std::vector<std::string>{"src/split.py: import sklearn.model_selection"});
  size_t findings = 0;
  for (const auto& f : l.ws.analysed) {
    for (const auto& finding : mlaudit::rubric::check_file(*f, *mlaudit::test::the_rubric(), *conclusions)) {
      CHECK(relative(l, f->path) == "src/split.py");
      CHECK(finding.rule == "split-without-random-state");
      CHECK(finding.range.start.line == 4);
      ++findings;
    }
  }
  CHECK(findings == 1);
}

TEST_CASE("relevance: a template keyword and a template file pattern together are enough") {
  auto ws = mlaudit::test::build_workspace({{"ai/chat.py", "from prompt.templates import render\n"}});
  CHECK(ws.conclusions().relevance.relevant);
  auto keyword_only = mlaudit::test::build_workspace({{"chat.py", "from prompt.templates import render\n"}});
  CHECK_FALSE(keyword_only.conclusions().relevance.relevant);
  auto path_only = mlaudit::test::build_workspace({{"ai/chat.py", "import heapq\n"}});
  CHECK_FALSE(path_only.conclusions().relevance.relevant);
  auto requirement = mlaudit::test::build_workspace({{"requirements.txt", "langchain-openai>=0.1\n"}});
  CHECK(requirement.conclusions().relevance.relevant);  // langchain* is a prefix entry
}
