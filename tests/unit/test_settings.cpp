// Settings: reading .mlaudit.yaml / [tool.mlaudit] (every key, every kind of error at its line),
// what each key does to findings, which file applies (nearest wins, files over the editor, the
// last good version of a broken file), and the baseline's stability.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "rubric/audit_rubric.hpp"
#include "rubric/baseline.hpp"
#include "rubric/settings.hpp"
#include "rubric/settings_reader.hpp"
#include "rubric/settings_resolver.hpp"
#include "test_support.hpp"

using namespace mlaudit;
using rubric::ConfigFile;
using rubric::Finding;
using rubric::Severity;

namespace {

ConfigFile yaml(const std::string& text, const std::string& path = "/ws/.mlaudit.yaml") {
  return rubric::read_settings_file(path, text, *test::the_rubric());
}
ConfigFile toml(const std::string& text, const std::string& path = "/ws/pyproject.toml") {
  return rubric::read_settings_file(path, text, *test::the_rubric());
}

// The findings of `files` (relative path -> text) for `relative`, after `settings` applied.
std::vector<Finding> findings_with(const rubric::Settings& settings, const std::map<std::string, std::string>& files,
                                   const std::string& relative, const std::map<std::string, int>* levels = nullptr) {
  auto ws = test::build_workspace(files);
  auto found = ws.of(relative);
  rubric::EffectiveSettings(settings).apply(ws.absolute(relative), found, levels);
  return found;
}

size_t count(const std::vector<Finding>& findings, const std::string& rule) {
  size_t n = 0;
  for (const auto& f : findings) n += f.rule == rule;
  return n;
}

const std::map<std::string, std::string> kProject = {
    {"train.py",
     "import torch\nimport yaml\nfrom sklearn.model_selection import train_test_split\n"
     "model = torch.load('m.pt')\ncfg = yaml.load(open('c'))\na, b = train_test_split(X)\n"
     "def main():\n    loss.backward()\n    optimizer.step()\n\nif __name__ == '__main__':\n    main()\n"},
    {"tests/test_x.py", "import torch\nx = torch.load('fixture.pt')\n"},
};

const std::map<std::string, int>& levels() {
  static const auto items = rubric::load_audit_rubric(*test::the_rubric());
  static const auto map = rubric::levels_needing(*items);
  return map;
}

}  // namespace

TEST_CASE("settings: every key read from .mlaudit.yaml") {
  ConfigFile f = yaml(R"(select: [unsafe-deserialization, seed-not-set]
ignore: [seed-not-set]
severity:
  unsafe-deserialization: low
exclude: ["data/", "*.ipynb"]
per-file-ignores:
  "tests/**": [unsafe-deserialization]
target-level: 3
relevance: always
max-file-size: 1MiB
remediation-url-base: https://docs.example.com/rules
baseline: ci/baseline.json
)");
  CHECK(f.present);
  CHECK(f.problems.empty());
  const auto& s = f.settings;
  CHECK(*s.select == std::vector<std::string>{"unsafe-deserialization", "seed-not-set"});
  CHECK(*s.ignore == std::vector<std::string>{"seed-not-set"});
  CHECK(s.severity->at("unsafe-deserialization") == Severity::Low);
  CHECK(s.exclude->base == "/ws");
  CHECK(s.exclude->globs == std::vector<std::string>{"data/", "*.ipynb"});
  REQUIRE(s.per_file_ignores->size() == 1);
  CHECK((*s.per_file_ignores)[0].glob == "tests/**");
  CHECK(*s.target_level == 3);
  CHECK(*s.relevance == std::optional<bool>(true));
  CHECK(*s.max_file_size == 1048576);
  CHECK(*s.remediation_url_base == "https://docs.example.com/rules/");
  CHECK(*s.baseline == "/ws/ci/baseline.json");
}

TEST_CASE("settings: every key read from [tool.mlaudit] in pyproject.toml") {
  ConfigFile f = toml(R"([project]
name = "x"

[tool.mlaudit]
select = ["hardcoded-secret"]
ignore = []
target-level = 2
relevance = "never"
max-file-size = 4096
exclude = ["vendor/"]

[tool.mlaudit.severity]
hardcoded-secret = "Medium"

[tool.mlaudit.per-file-ignores]
"notebooks/*.py" = ["all"]
)");
  CHECK(f.present);
  CHECK(f.problems.empty());
  CHECK(*f.settings.select == std::vector<std::string>{"hardcoded-secret"});
  CHECK(f.settings.ignore->empty());
  CHECK(*f.settings.target_level == 2);
  CHECK(*f.settings.relevance == std::optional<bool>(false));
  CHECK(*f.settings.max_file_size == 4096);
  CHECK(f.settings.severity->at("hardcoded-secret") == Severity::Medium);
  CHECK((*f.settings.per_file_ignores)[0].rules == std::vector<std::string>{"all"});
}

TEST_CASE("settings: a pyproject.toml without [tool.mlaudit] is not a configuration") {
  CHECK_FALSE(toml("[project]\nname = \"x\"\n[tool.ruff]\nline-length = 100\n").present);
  // Broken TOML that never mentions us is not ours to report either.
  ConfigFile broken = toml("[project\nname = \n");
  CHECK_FALSE(broken.present);
  CHECK(broken.problems.empty());
}

TEST_CASE("settings: each kind of error is reported at the offending line, valid keys still apply") {
  SUBCASE("unknown key, with the spelling it probably meant") {
    ConfigFile f = yaml("select: [seed-not-set]\ntarget_level: 2\ntargetLevel: 2\n");
    REQUIRE(f.problems.size() == 2);
    CHECK(f.problems[0].at.line == 1);
    CHECK(f.problems[0].message.find("unknown setting 'target_level' (did you mean 'target-level'?)") != std::string::npos);
    CHECK(f.problems[1].at.line == 2);
    CHECK(f.problems[1].message.find("did you mean 'target-level'") != std::string::npos);
    CHECK(*f.settings.select == std::vector<std::string>{"seed-not-set"});  // the valid key applies
  }
  SUBCASE("wrong type") {
    ConfigFile f = toml("[tool.mlaudit]\nignore = \"seed-not-set\"\nmax-file-size = true\n");
    REQUIRE(f.problems.size() == 2);
    CHECK(f.problems[0].at.line == 1);
    CHECK(f.problems[0].message.find("must be a list of rule ids") != std::string::npos);
    CHECK(f.problems[1].at.line == 2);
    CHECK_FALSE(f.settings.ignore.has_value());
  }
  SUBCASE("unknown rule id, at its list item") {
    ConfigFile f = yaml("ignore:\n  - seed-not-set\n  - no-such-rule\nseverity:\n  nope: High\n");
    REQUIRE(f.problems.size() == 2);
    CHECK(f.problems[0].at.line == 2);
    CHECK(f.problems[0].message.find("unknown rule id 'no-such-rule'") != std::string::npos);
    CHECK(f.problems[1].at.line == 4);
    CHECK(*f.settings.ignore == std::vector<std::string>{"seed-not-set"});
  }
  SUBCASE("bad level, bad severity, bad relevance, bad size") {
    ConfigFile f = toml("[tool.mlaudit]\ntarget-level = 7\nrelevance = \"sometimes\"\nmax-file-size = \"2 parsecs\"\n"
                        "[tool.mlaudit.severity]\nseed-not-set = \"Urgent\"\n");
    REQUIRE(f.problems.size() == 4);
    CHECK(f.problems[0].at.line == 1);
    CHECK(f.problems[0].message.find("from 1 to 5") != std::string::npos);
    CHECK(f.problems[1].at.line == 2);
    CHECK(f.problems[2].at.line == 3);
    CHECK(f.problems[3].at.line == 5);
    CHECK_FALSE(f.settings.target_level.has_value());
  }
  SUBCASE("unparsable YAML") {
    ConfigFile f = yaml("select: [seed-not-set\nignore: x\n");
    REQUIRE(f.problems.size() == 1);
    CHECK(f.present);
    CHECK(f.problems[0].message.find("invalid YAML") != std::string::npos);
  }
  SUBCASE("unparsable TOML in [tool.mlaudit]") {
    ConfigFile f = toml("[tool.mlaudit]\nselect = [\"seed-not-set\"\ntarget-level = 3\n");
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].message.find("invalid TOML") != std::string::npos);
    CHECK(f.problems[0].at.line >= 1);
  }
  SUBCASE("an alias bomb is read in part, not expanded") {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; ++c)
      bomb += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" +
              char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + "]\n";
    ConfigFile f = yaml(bomb);
    REQUIRE_FALSE(f.problems.empty());
    CHECK(f.problems[0].message.find("too large") != std::string::npos);
  }
  SUBCASE("a baseline outside the configuration's folder, a URL of another scheme") {
    ConfigFile f = yaml("baseline: ../../home/me/.bashrc\nremediation-url-base: javascript:alert(1)\n");
    REQUIRE(f.problems.size() == 2);
    CHECK(f.problems[0].message.find("relative path inside") != std::string::npos);
    CHECK(f.problems[1].message.find("https://") != std::string::npos);
    CHECK(yaml("baseline: /etc/baseline.json\n").problems.size() == 1);
    CHECK(yaml("baseline: ci/../base.json\n").problems.empty());
  }
  SUBCASE("the whole document is not a table") {
    ConfigFile f = yaml("- select\n");
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].at.line == 0);
  }
}

TEST_CASE("settings: problems become invalid-config findings on the offending token") {
  std::string text = "select: [seed-not-set]\ntarget-level: 9\n";
  ConfigFile f = yaml(text);
  auto findings = rubric::config_findings(f, text, "https://x/");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "invalid-config");
  CHECK(findings[0].severity == Severity::High);
  CHECK(findings[0].range.start.line == 1);
  CHECK(text.substr(findings[0].range.start_byte, findings[0].range.end_byte - findings[0].range.start_byte) == "9");
  CHECK(findings[0].href == "https://x/invalid-config.md");
}

TEST_CASE("settings: sizes") {
  CHECK(rubric::parse_size("2MiB") == 2u * 1024 * 1024);
  CHECK(rubric::parse_size("2 MiB") == 2u * 1024 * 1024);
  CHECK(rubric::parse_size("500kb") == 500000u);
  CHECK(rubric::parse_size("1.5KiB") == 1536u);
  CHECK(rubric::parse_size("4096") == 4096u);
  CHECK_FALSE(rubric::parse_size("2 parsecs"));
  CHECK_FALSE(rubric::parse_size("MiB"));
  CHECK_FALSE(rubric::parse_size("0"));
  CHECK_FALSE(rubric::parse_size("1.2.3MB"));
}

TEST_CASE("settings: each key changes the findings") {
  auto base = test::build_workspace(kProject);
  REQUIRE(base.of("train.py", "unsafe-deserialization").size() == 2);
  REQUIRE(base.of("train.py", "split-without-random-state").size() == 1);
  REQUIRE(base.of("train.py", "seed-not-set").size() == 1);
  rubric::Settings s;

  SUBCASE("select keeps only the rules named") {
    s.select = std::vector<std::string>{"seed-not-set"};
    auto f = findings_with(s, kProject, "train.py");
    CHECK(count(f, "seed-not-set") == 1);
    CHECK(f.size() == 1);
  }
  SUBCASE("ignore drops a rule, and wins over select") {
    s.select = std::vector<std::string>{"seed-not-set", "unsafe-deserialization"};
    s.ignore = std::vector<std::string>{"unsafe-deserialization"};
    auto f = findings_with(s, kProject, "train.py");
    CHECK(count(f, "unsafe-deserialization") == 0);
    CHECK(count(f, "seed-not-set") == 1);
  }
  SUBCASE("severity overrides one rule") {
    s.severity = std::map<std::string, Severity>{{"split-without-random-state", Severity::High}};
    for (const auto& f : findings_with(s, kProject, "train.py"))
      CHECK(f.severity == (f.rule == "split-without-random-state" ? Severity::High : test::the_rubric()->rule(f.rule)->severity));
  }
  SUBCASE("per-file-ignores: by glob, relative to the file that set them") {
    s.per_file_ignores = std::vector<rubric::PerFileIgnore>{{"tests/", {"unsafe-deserialization"}}};
    s.per_file_ignores_base = "/ws";
    CHECK(count(findings_with(s, kProject, "tests/test_x.py"), "unsafe-deserialization") == 0);
    CHECK(count(findings_with(s, kProject, "train.py"), "unsafe-deserialization") == 2);
    s.per_file_ignores_base = "/elsewhere";  // globs of another tree never match
    CHECK(count(findings_with(s, kProject, "tests/test_x.py"), "unsafe-deserialization") == 1);
  }
  SUBCASE("per-file-ignores: all") {
    s.per_file_ignores = std::vector<rubric::PerFileIgnore>{{"train.py", {"all"}}};
    s.per_file_ignores_base = "/ws";
    CHECK(findings_with(s, kProject, "train.py").empty());
  }
  SUBCASE("target-level marks what no level up to the target needs") {
    s.target_level = 2;  // level 2 of security needs no hard-coded secrets; everything here is a level-3 need
    auto f = findings_with(s, kProject, "train.py", &levels());
    REQUIRE_FALSE(f.empty());
    for (const auto& finding : f) CHECK(finding.below_target);
    s.target_level = 3;
    for (const auto& finding : findings_with(s, kProject, "train.py", &levels())) CHECK_FALSE(finding.below_target);
    auto secret = test::build_workspace({{"a.py", "import openai\nkey = 'sk-proj-4fJq9xT2mB7vK1pL8nR3wY6z'\n"}});
    auto found = secret.of("a.py");
    REQUIRE(count(found, "hardcoded-secret") == 1);
    s.target_level = 2;
    rubric::EffectiveSettings(s).apply("/ws/a.py", found, &levels());
    CHECK_FALSE(found[0].below_target);  // security level 2 needs it
  }
  SUBCASE("remediation-url-base rewrites the guide's link") {
    s.remediation_url_base = "https://docs.example.com/r/";
    for (const auto& f : findings_with(s, kProject, "train.py")) CHECK(f.href == "https://docs.example.com/r/" + f.rule + ".md");
  }
  SUBCASE("exclude: gitignore-like globs relative to the configuration's folder") {
    s.exclude = rubric::PatternList{"/ws", {"data/", "*.ipynb", "/scripts/gen_*.py", "!keep.ipynb"}};
    rubric::EffectiveSettings e(s);
    CHECK(e.excluded("/ws/data", true));
    CHECK(e.excluded("/ws/data/x.py"));
    CHECK(e.excluded("/ws/a/b/n.ipynb"));
    CHECK_FALSE(e.excluded("/ws/a/keep.ipynb"));
    CHECK(e.excluded("/ws/scripts/gen_1.py"));
    CHECK_FALSE(e.excluded("/ws/src/scripts/gen_1.py"));  // anchored to the configuration's folder
    CHECK_FALSE(e.excluded("/ws/train.py"));
    CHECK_FALSE(e.excluded("/other/data/x.py"));
  }
}

TEST_CASE("settings: levels needed per checklist item come from the ladders") {
  CHECK(levels().at("security.secrets") == 2);
  CHECK(levels().at("development.reproducible-training") == 3);
  CHECK(levels().at("deployment.canary") == 5);
}

TEST_CASE("settings: layering, project files over editor settings, key by key") {
  rubric::Settings editor, file;
  editor.ignore = std::vector<std::string>{"seed-not-set"};
  editor.target_level = 5;
  file.target_level = 2;
  rubric::Settings s = rubric::layer(editor, file);
  CHECK(*s.target_level == 2);
  CHECK(*s.ignore == std::vector<std::string>{"seed-not-set"});
}

namespace {
struct MemoryDisk {
  std::map<std::string, std::string> files;
  int reads = 0;
  rubric::SettingsReader reader() {
    return [this](const std::string& path) -> std::optional<std::string> {
      ++reads;
      auto it = files.find(path);
      if (it == files.end()) return std::nullopt;
      return it->second;
    };
  }
};
}  // namespace

TEST_CASE("settings resolver: the nearest configuration file wins") {
  MemoryDisk disk;
  disk.files["/ws/.mlaudit.yaml"] = "target-level: 2\n";
  disk.files["/ws/pkg/pyproject.toml"] = "[tool.mlaudit]\ntarget-level = 4\n";
  disk.files["/ws/other/pyproject.toml"] = "[project]\nname = 'no settings here'\n";
  disk.files["/ws/both/.mlaudit.yaml"] = "target-level: 5\n";
  disk.files["/ws/both/pyproject.toml"] = "[tool.mlaudit]\ntarget-level = 1\n";
  disk.files["/.mlaudit.yaml"] = "target-level: 1\n";  // above the root: never read
  rubric::SettingsResolver resolver(test::the_rubric(), {"/ws"}, disk.reader());
  CHECK(*resolver.settings_for("/ws/train.py")->settings().target_level == 2);
  CHECK(*resolver.settings_for("/ws/pkg/sub/deep.py")->settings().target_level == 4);
  CHECK(*resolver.settings_for("/ws/other/x.py")->settings().target_level == 2);  // no [tool.mlaudit]: keep walking
  CHECK(*resolver.settings_for("/ws/both/x.py")->settings().target_level == 5);   // .mlaudit.yaml beats pyproject.toml
  CHECK(resolver.config_for("/ws/pkg/a.py")->path == "/ws/pkg/pyproject.toml");
  MemoryDisk empty;
  rubric::SettingsResolver no_config(test::the_rubric(), {"/ws"}, empty.reader());
  CHECK_FALSE(no_config.settings_for("/ws/a.py")->settings().target_level.has_value());
}

TEST_CASE("settings resolver: files win over the editor; a broken file keeps its last good settings") {
  MemoryDisk disk;
  disk.files["/ws/.mlaudit.yaml"] = "target-level: 2\n";
  rubric::SettingsResolver resolver(test::the_rubric(), {"/ws"}, disk.reader());
  rubric::Settings editor;
  editor.target_level = 4;
  editor.ignore = std::vector<std::string>{"seed-not-set"};
  resolver.set_editor(editor);
  auto s = resolver.settings_for("/ws/a.py")->settings();
  CHECK(*s.target_level == 2);
  CHECK(*s.ignore == std::vector<std::string>{"seed-not-set"});

  disk.files["/ws/.mlaudit.yaml"] = "target-level: 9\n";
  resolver.reload();
  CHECK(*resolver.settings_for("/ws/a.py")->settings().target_level == 2);  // last good
  auto files = resolver.files();
  REQUIRE(files.size() == 1);
  CHECK(files[0]->problems.size() == 1);

  disk.files["/ws/.mlaudit.yaml"] = "target-level: 3\n";
  resolver.reload();
  CHECK(*resolver.settings_for("/ws/a.py")->settings().target_level == 3);
  CHECK(resolver.files()[0]->problems.empty());

  disk.files.erase("/ws/.mlaudit.yaml");
  resolver.reload();
  CHECK(*resolver.settings_for("/ws/a.py")->settings().target_level == 4);  // the editor's again
}

TEST_CASE("settings resolver: folders are read once until reload") {
  MemoryDisk disk;
  rubric::SettingsResolver resolver(test::the_rubric(), {"/ws"}, disk.reader());
  resolver.settings_for("/ws/a/b/c.py");
  int after_first = disk.reads;
  resolver.settings_for("/ws/a/b/d.py");
  resolver.settings_for("/ws/a/e.py");
  CHECK(disk.reads == after_first);
}

TEST_CASE("baseline: a finding stays baselined when lines are inserted above it; a new identical one is not") {
  std::string before = "import torch\n\nm = torch.load('a.pt')\n";
  auto ws = test::build_workspace({{"a.py", before}});
  auto findings = ws.of("a.py");
  REQUIRE(findings.size() == 1);
  rubric::Baseline baseline;
  baseline.add("a.py", findings[0], before);
  std::string error;
  auto reread = rubric::Baseline::parse(baseline.dump(), error);
  REQUIRE(reread);

  std::string after = "import torch\nimport os\n\n# loading\n\nm = torch.load('a.pt')\n";
  auto moved = test::build_workspace({{"a.py", after}}).of("a.py");
  REQUIRE(moved.size() == 1);
  CHECK(reread->remove_known("a.py", moved, after) == 1);
  CHECK(moved.empty());

  std::string twice = after + "n = torch.load('a.pt')\nm = torch.load('a.pt')\n";
  auto more = test::build_workspace({{"a.py", twice}}).of("a.py");
  REQUIRE(more.size() == 3);
  CHECK(reread->remove_known("a.py", more, twice) == 1);
  REQUIRE(more.size() == 2);  // `n = ...` differs; the second identical `m = ...` is new
  CHECK(more[0].range.start.line == 6);
  CHECK(more[1].range.start.line == 7);

  // Another file, or the same code changed, is not baselined.
  auto other = test::build_workspace({{"b.py", before}}).of("b.py");
  CHECK(reread->remove_known("b.py", other, before) == 0);
  std::string changed = "import torch\n\nm = torch.load('b.pt')\n";
  auto edited = test::build_workspace({{"a.py", changed}}).of("a.py");
  CHECK(reread->remove_known("a.py", edited, changed) == 0);
}

TEST_CASE("baseline: whitespace changes do not churn it; duplicates are counted") {
  std::string text = "import torch\nm = torch.load('a.pt')\nm = torch.load('a.pt')\n";
  auto findings = test::build_workspace({{"a.py", text}}).of("a.py");
  REQUIRE(findings.size() == 2);
  rubric::Baseline baseline;
  for (const auto& f : findings) baseline.add("a.py", f, text);
  CHECK(baseline.size() == 1);
  CHECK(baseline.dump().find("\"count\": 2") != std::string::npos);
  std::string reindented = "import torch\nm  =  torch.load( 'a.pt')\nm = torch.load('a.pt')\n";
  auto again = test::build_workspace({{"a.py", reindented}}).of("a.py");
  CHECK(baseline.remove_known("a.py", again, reindented) == 2);
  std::string error;
  CHECK_FALSE(rubric::Baseline::parse("{\"findings\": []}", error));
  CHECK_FALSE(error.empty());
}
