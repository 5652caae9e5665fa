// lsp/settings_service: the server's view of the settings on a real folder — the baseline file
// leaves its findings out of the diagnostics (and a new identical one is still shown), target
// level turns the rest into hints, excluded files get nothing, a configuration file gets its
// problems, and the editor's settings sit under the files.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "lsp/settings_service.hpp"
#include "rubric/audit_rubric.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace mlaudit;
using nlohmann::json;

namespace {

struct TempFolder {
  std::string path;
  TempFolder() {
    std::string pattern = (fs::temp_directory_path() / "mlaudit-settings-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& relative, const std::string& text) const {
    fs::create_directories(fs::path(path + "/" + relative).parent_path());
    std::ofstream(path + "/" + relative, std::ios::binary) << text;
  }
};

std::vector<std::string> codes(const json& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d["code"].get<std::string>());
  return out;
}

const char* kTrain = "import torch\nm = torch.load('a.pt')\n";

}  // namespace

TEST_CASE("settings service: the baseline file hides known findings, not new identical ones") {
  TempFolder ws;
  auto memory = test::build_workspace({{"train.py", kTrain}});
  auto findings = memory.of("train.py");
  REQUIRE(findings.size() == 1);
  rubric::Baseline baseline;
  baseline.add("train.py", findings[0], kTrain);
  ws.write(".mlaudit-baseline.json", baseline.dump());

  lsp::SettingsService service(test::the_rubric(), nullptr, {ws.path}, 1 << 20);
  std::string path = ws.path + "/train.py";
  CHECK(service.diagnostics(path, findings, kTrain, Encoding::Utf16).empty());

  std::string moved = std::string("# a comment\n\n") + kTrain + "n = 1\nm = torch.load('a.pt')\n";
  auto now = test::build_workspace({{"train.py", moved}}).of("train.py");
  REQUIRE(now.size() == 2);
  json d = service.diagnostics(path, now, moved, Encoding::Utf16);
  REQUIRE(d.size() == 1);
  CHECK(d[0]["range"]["start"]["line"] == 5);  // the second, new one

  // The baseline file changes (here: emptied) and reload sees it.
  ws.write(".mlaudit-baseline.json", rubric::Baseline().dump());
  service.reload({ws.path + "/.mlaudit-baseline.json"});
  CHECK(service.diagnostics(path, now, moved, Encoding::Utf16).size() == 2);
  CHECK(service.affects_settings(ws.path + "/.mlaudit-baseline.json"));
  CHECK(service.affects_settings(ws.path + "/sub/pyproject.toml"));
  CHECK_FALSE(service.affects_settings(ws.path + "/train.py"));
}

TEST_CASE("settings service: target level hints, excludes, config problems, editor under files") {
  TempFolder ws;
  ws.write(".mlaudit.yaml", "target-level: 2\nexclude: [gen/]\n");
  auto items = rubric::load_audit_rubric(*test::the_rubric());
  lsp::SettingsService service(test::the_rubric(), items.get(), {ws.path}, 1 << 20);
  auto findings = test::build_workspace({{"train.py", kTrain}}).of("train.py");
  REQUIRE(findings.size() == 1);

  json d = service.diagnostics(ws.path + "/train.py", findings, kTrain, Encoding::Utf16);
  REQUIRE(d.size() == 1);
  CHECK(d[0]["severity"] == 4);  // unsafe deserialization is a level-3 need: a hint at target 2
  CHECK(service.diagnostics(ws.path + "/gen/train.py", findings, kTrain, Encoding::Utf16).empty());
  auto exclude = service.exclude_filter();
  CHECK(exclude(ws.path + "/gen", true));
  CHECK_FALSE(exclude(ws.path + "/src", true));

  // The editor sets ignore and target-level; the file's target-level wins, the editor's ignore applies.
  service.on_did_change_configuration({{"settings", {{"mlaudit", {{"targetLevel", 5}, {"ignore", {"seed-not-set"}}}}}}});
  service.reload();
  CHECK(service.diagnostics(ws.path + "/train.py", findings, kTrain, Encoding::Utf16)[0]["severity"] == 4);
  service.on_did_change_configuration({{"settings", {{"mlaudit", {{"ignore", {"unsafe-deserialization"}}}}}}});
  service.reload();
  CHECK(service.diagnostics(ws.path + "/train.py", findings, kTrain, Encoding::Utf16).empty());

  // An open configuration file's text wins over the disk, and its problems are its diagnostics.
  std::string broken = "target-level: 2\nselect: seed-not-set\n";
  service.set_open_text(ws.path + "/.mlaudit.yaml", broken);
  service.reload({ws.path + "/.mlaudit.yaml"});
  json problems = service.diagnostics(ws.path + "/.mlaudit.yaml", {}, broken, Encoding::Utf16);
  REQUIRE(codes(problems) == std::vector<std::string>{"invalid-config"});
  CHECK(problems[0]["range"]["start"]["line"] == 1);
  // A closed config file with problems is reported for push clients, and cleared once fixed.
  auto reports = service.config_file_reports({}, Encoding::Utf16);
  REQUIRE(reports.count(ws.path + "/.mlaudit.yaml"));
  CHECK(reports[ws.path + "/.mlaudit.yaml"].size() == 1);
  service.set_open_text(ws.path + "/.mlaudit.yaml", std::nullopt);
  service.reload({ws.path + "/.mlaudit.yaml"});
  reports = service.config_file_reports({}, Encoding::Utf16);
  REQUIRE(reports.count(ws.path + "/.mlaudit.yaml"));
  CHECK(reports[ws.path + "/.mlaudit.yaml"].empty());
}

TEST_CASE("settings service: initializationOptions, workspace/configuration replies and relevance") {
  TempFolder ws;
  lsp::SettingsService service(test::the_rubric(), nullptr, {ws.path}, 1 << 20);
  service.read_initialize({{"capabilities", {{"workspace", {{"configuration", true}}}}},
                           {"initializationOptions", {{"relevance", "off"}, {"maxFileSize", "1KiB"}}}});
  CHECK(service.client_has_configuration());
  CHECK(service.relevance() == std::optional<bool>(false));
  CHECK(service.max_file_bytes() == 1024);
  CHECK(service.configuration_request() == json{{"items", {{{"section", "mlaudit"}}}}});
  CHECK(service.on_did_change_configuration({{"settings", nullptr}}));  // pull again
  service.apply_configuration_result(json::array({{{"relevance", "always"}}}));
  CHECK(service.relevance() == std::optional<bool>(true));
  CHECK(service.max_file_bytes() == 1 << 20);  // the new settings replace the old ones
  ws.write("pyproject.toml", "[tool.mlaudit]\nrelevance = \"auto\"\n");
  service.reload({ws.path + "/pyproject.toml"});
  CHECK(service.relevance() == std::nullopt);  // the file wins
}

TEST_CASE("settings service: VS Code's settings payload (every contributed key, unset ones null or []) changes nothing") {
  // What vscode-languageclient answers to workspace/configuration for the extension's section:
  // the client's own keys (path, trace), a null targetLevel and the default empty select.
  TempFolder ws;
  ws.write("train.py", kTrain);
  lsp::SettingsService service(test::the_rubric(), nullptr, {ws.path}, 1 << 20);
  auto conclusions = std::make_shared<rubric::Conclusions>();
  conclusions->relevance.relevant = true;
  auto facts = analyze_text(ws.path + "/train.py", kTrain);
  auto before = codes(service.diagnostics(ws.path + "/train.py", rubric::check_file(facts, *test::the_rubric(), *conclusions),
                                          kTrain, Encoding::Utf16));
  REQUIRE(std::find(before.begin(), before.end(), "unsafe-deserialization") != before.end());
  service.apply_configuration_result(json::array({{{"path", ""}, {"targetLevel", nullptr}, {"select", json::array()},
                                                   {"ignore", json::array()}, {"relevance", "auto"},
                                                   {"trace", {{"server", "verbose"}}}}}));
  auto after = codes(service.diagnostics(ws.path + "/train.py", rubric::check_file(facts, *test::the_rubric(), *conclusions),
                                         kTrain, Encoding::Utf16));
  CHECK(after == before);
  // A non-empty select still selects.
  service.apply_configuration_result(json::array({{{"select", {"seed-not-set"}}}}));
  auto selected = codes(service.diagnostics(ws.path + "/train.py", rubric::check_file(facts, *test::the_rubric(), *conclusions),
                                            kTrain, Encoding::Utf16));
  CHECK(std::find(selected.begin(), selected.end(), "unsafe-deserialization") == selected.end());
}
