#include "analyzers/ci/ci_commands.hpp"

#include <algorithm>
#include <cctype>

namespace mlaudit::ci {
namespace {

constexpr size_t kMaxLabel = 80;  // bytes of a script path shown in a label
constexpr size_t kMaxDepth = 3;   // `bash -c "..."` nesting followed

using Tokens = std::vector<std::string>;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view base_name(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string capped(std::string_view s) {
  return s.size() <= kMaxLabel ? std::string(s) : std::string(s.substr(0, kMaxLabel)) + "…";
}

// Shell-ish words: whitespace separates, quotes group (and are dropped). Good enough for
// recognising commands; nothing is executed or expanded.
Tokens split_words(std::string_view command) {
  Tokens out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : command) {
    if (quote) {
      if (c == quote) quote = 0;
      else word += c;
      continue;
    }
    if (c == '\'' || c == '"') { quote = c; in_word = true; continue; }
    if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    word += c;
    in_word = true;
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

// A script's commands with their (0-based) line: lines joined at a trailing backslash, split at
// `&&`, `||`, `;` and `|` outside quotes; comment lines dropped.
std::vector<std::pair<std::string, uint32_t>> split_commands(std::string_view script) {
  std::vector<std::pair<std::string, uint32_t>> out;
  std::string current;
  uint32_t line = 0, start_line = 0;
  char quote = 0;
  auto flush = [&] {
    size_t first = current.find_first_not_of(" \t\r");
    if (first != std::string::npos && current[first] != '#') out.emplace_back(current.substr(first), start_line);
    current.clear();
  };
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (c == '\n') {
      ++line;
      if (!quote && !current.empty() && current.back() == '\\') { current.pop_back(); continue; }
      if (!quote) { flush(); start_line = line; continue; }
      current += ' ';
      continue;
    }
    if (quote) {
      if (c == quote) quote = 0;
      current += c;
      continue;
    }
    if (c == '\'' || c == '"') { quote = c; current += c; continue; }
    if (c == '#' && (current.empty() || current.back() == ' ' || current.back() == '\t')) {
      // A comment runs to the end of the line.
      while (i + 1 < script.size() && script[i + 1] != '\n') ++i;
      continue;
    }
    if (c == ';' || c == '|' || (c == '&' && i + 1 < script.size() && script[i + 1] == '&')) {
      if (c == '&' || (c == '|' && i + 1 < script.size() && script[i + 1] == '|')) ++i;
      flush();
      start_line = line;
      continue;
    }
    if (current.empty()) start_line = line;
    current += c;
  }
  flush();
  return out;
}

bool is_python(std::string_view word) {
  word = base_name(word);
  if (word == "py" || word == "pypy3" || word == "pypy") return true;
  if (word.rfind("python", 0) != 0) return false;
  return std::all_of(word.begin() + 6, word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

bool is_option(const std::string& word) { return !word.empty() && word[0] == '-'; }
bool is_assignment(const std::string& word) {
  size_t eq = word.find('=');
  return eq != std::string::npos && eq > 0 && !is_option(word) &&
         std::all_of(word.begin(), word.begin() + static_cast<long>(eq), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

// Environment names of tox/nox that do not run tests.
bool lint_env(std::string_view env) {
  std::string e = lower(env);
  for (std::string_view word : {"lint", "flake8", "ruff", "mypy", "black", "format", "fmt", "docs", "typing", "type",
                                "pre-commit", "precommit", "isort", "pylint", "style", "check-manifest", "build", "release"})
    if (e.find(word) != std::string::npos) return true;
  return false;
}

// `tox`, `tox -e py311,lint`, `nox -s tests lint`: tests unless every named env only lints.
bool runs_test_envs(const Tokens& words, size_t from) {
  std::vector<std::string> envs;
  for (size_t i = from; i < words.size(); ++i) {
    const auto& w = words[i];
    if (w == "-e" || w == "-s" || w == "--session" || w == "--sessions" || w == "--env" || w == "-k") {
      for (size_t j = i + 1; j < words.size() && !is_option(words[j]); ++j) {
        std::string list = words[j];
        for (size_t at = 0; at <= list.size();) {
          size_t comma = list.find(',', at);
          if (comma == std::string::npos) comma = list.size();
          if (comma > at) envs.push_back(list.substr(at, comma - at));
          at = comma + 1;
        }
        if (w == "-e" || w == "--env") break;
      }
    } else if (w.rfind("-e", 0) == 0 && w.size() > 2) {
      envs.push_back(w.substr(2));
    }
  }
  if (envs.empty()) return true;
  return std::any_of(envs.begin(), envs.end(), [](const std::string& e) { return !lint_env(e); });
}

// Non-option words after the command, for sub-command matching (`kubectl -n x apply`).
Tokens words_of(const Tokens& words, size_t from) {
  Tokens out;
  for (size_t i = from; i < words.size() && out.size() < 8; ++i)
    if (!is_option(words[i])) out.push_back(words[i]);
  return out;
}

// `sequence` appears in order among `words` (after the command itself).
bool has_sequence(const Tokens& words, const std::vector<std::string_view>& sequence) {
  auto it = sequence.begin();
  for (const auto& w : words) {
    if (it == sequence.end()) break;
    if (w == *it) ++it;
  }
  return it == sequence.end();
}

struct SubCommand {
  std::string_view command;
  std::vector<std::string_view> words;  // (an initializer_list member would dangle)
  Activity activity;
};

// Commands recognised by their sub-commands. The label is the command and its words.
const std::vector<SubCommand>& sub_commands() {
  static const std::vector<SubCommand> table = {
      {"go", {"test"}, Activity::Tests},
      {"cargo", {"test"}, Activity::Tests},
      {"dotnet", {"test"}, Activity::Tests},
      {"mvn", {"test"}, Activity::Tests},
      {"gradle", {"test"}, Activity::Tests},
      {"gradlew", {"test"}, Activity::Tests},
      {"deepeval", {"test", "run"}, Activity::Tests},
      {"dvc", {"repro"}, Activity::Trains},
      {"dvc", {"exp", "run"}, Activity::Trains},
      {"mlflow", {"run"}, Activity::Trains},
      {"az", {"ml", "job", "create"}, Activity::Trains},
      {"gcloud", {"ai", "custom-jobs", "create"}, Activity::Trains},
      {"aws", {"sagemaker", "create-training-job"}, Activity::Trains},
      {"aws", {"sagemaker", "start-pipeline-execution"}, Activity::Trains},
      {"dvc", {"metrics", "diff"}, Activity::Evaluates},
      {"dvc", {"metrics", "show"}, Activity::Evaluates},
      {"dvc", {"plots", "diff"}, Activity::Evaluates},
      {"cml", {"comment"}, Activity::Evaluates},
      {"cml", {"send-comment"}, Activity::Evaluates},
      {"promptfoo", {"eval"}, Activity::Evaluates},
      {"inspect", {"eval"}, Activity::Evaluates},
      {"kubectl", {"apply"}, Activity::Deploys},
      {"kubectl", {"replace"}, Activity::Deploys},
      {"kubectl", {"set", "image"}, Activity::Deploys},
      {"kubectl", {"rollout", "restart"}, Activity::Deploys},
      {"kubectl", {"rollout", "undo"}, Activity::Deploys},
      {"helm", {"upgrade"}, Activity::Deploys},
      {"helm", {"install"}, Activity::Deploys},
      {"terraform", {"apply"}, Activity::Deploys},
      {"tofu", {"apply"}, Activity::Deploys},
      {"pulumi", {"up"}, Activity::Deploys},
      {"cdk", {"deploy"}, Activity::Deploys},
      {"gcloud", {"run", "deploy"}, Activity::Deploys},
      {"gcloud", {"app", "deploy"}, Activity::Deploys},
      {"gcloud", {"functions", "deploy"}, Activity::Deploys},
      {"gcloud", {"ai", "endpoints", "deploy-model"}, Activity::Deploys},
      {"az", {"ml", "online-deployment", "create"}, Activity::Deploys},
      {"az", {"ml", "online-deployment", "update"}, Activity::Deploys},
      {"az", {"ml", "batch-deployment", "create"}, Activity::Deploys},
      {"az", {"webapp", "deploy"}, Activity::Deploys},
      {"az", {"containerapp", "update"}, Activity::Deploys},
      {"aws", {"sagemaker", "create-endpoint"}, Activity::Deploys},
      {"aws", {"sagemaker", "update-endpoint"}, Activity::Deploys},
      {"aws", {"ecs", "update-service"}, Activity::Deploys},
      {"aws", {"lambda", "update-function-code"}, Activity::Deploys},
      {"mlflow", {"deployments", "create"}, Activity::Deploys},
      {"mlflow", {"deployments", "update"}, Activity::Deploys},
      {"mlflow", {"sagemaker", "deploy"}, Activity::Deploys},
      {"bentoml", {"deploy"}, Activity::Deploys},
      {"modal", {"deploy"}, Activity::Deploys},
      {"serverless", {"deploy"}, Activity::Deploys},
      {"sls", {"deploy"}, Activity::Deploys},
      {"sam", {"deploy"}, Activity::Deploys},
      {"fly", {"deploy"}, Activity::Deploys},
      {"flyctl", {"deploy"}, Activity::Deploys},
      {"skaffold", {"run"}, Activity::Deploys},
      {"skaffold", {"deploy"}, Activity::Deploys},
      {"argocd", {"app", "sync"}, Activity::Deploys},
      {"truss", {"push"}, Activity::Deploys},
      {"docker", {"push"}, Activity::Publishes},
      {"docker", {"image", "push"}, Activity::Publishes},
      {"podman", {"push"}, Activity::Publishes},
      {"huggingface-cli", {"upload"}, Activity::Publishes},
      {"gcloud", {"builds", "submit"}, Activity::Publishes},
  };
  return table;
}

class Classifier {
 public:
  std::vector<CommandHit> hits;

  void script(std::string_view text, uint32_t line_offset, size_t depth) {
    for (auto& [command, line] : split_commands(text)) this->command(split_words(command), line + line_offset, depth);
  }

 private:
  void add(Activity activity, std::string label, uint32_t line) { hits.push_back({activity, std::move(label), line}); }

  void by_name(std::string_view name, std::string label, uint32_t line) {
    Activity activity;
    if (classify_name(name, activity)) add(activity, std::move(label), line);
  }

  void command(Tokens words, uint32_t line, size_t depth) {
    size_t i = 0;
    // Look through wrappers and environment assignments to the command that runs.
    for (bool again = true; again && i < words.size();) {
      again = false;
      const std::string w = std::string(base_name(words[i]));
      if (is_assignment(words[i]) || w == "sudo" || w == "time" || w == "exec" || w == "command" || w == "nohup" ||
          w == "env" || w == "xvfb-run") {
        ++i;
        while (i < words.size() && is_option(words[i])) ++i;
        again = true;
      } else if (w == "timeout") {
        ++i;
        while (i < words.size() && is_option(words[i])) ++i;
        if (i < words.size()) ++i;  // the duration
        again = true;
      } else if ((w == "poetry" || w == "uv" || w == "pipenv" || w == "pdm" || w == "rye" || w == "pixi" || w == "hatch") &&
                 i + 1 < words.size() && words[i + 1] == "run") {
        i += 2;
        while (i < words.size() && is_option(words[i])) ++i;
        again = true;
      } else if ((w == "conda" || w == "mamba" || w == "micromamba") && i + 1 < words.size() && words[i + 1] == "run") {
        i += 2;
        while (i < words.size() && is_option(words[i])) {
          bool takes_value = words[i] == "-n" || words[i] == "-p" || words[i] == "--name" || words[i] == "--prefix";
          i += takes_value ? 2 : 1;
        }
        again = true;
      }
    }
    if (i >= words.size()) return;
    words.erase(words.begin(), words.begin() + static_cast<long>(i));
    const std::string cmd = std::string(base_name(words[0]));

    if ((cmd == "bash" || cmd == "sh" || cmd == "zsh") && words.size() > 2 && words[1] == "-c") {
      if (depth < kMaxDepth) script(words[2], line, depth + 1);
      return;
    }
    if (is_python(cmd)) return python(words, line);
    if (cmd == "coverage" && words.size() > 1 && words[1] == "run") return coverage(words, 2, line);
    if (cmd == "pytest" || cmd == "py.test" || cmd == "nosetests" || cmd == "nose2" || cmd == "jest" || cmd == "vitest" ||
        cmd == "mocha" || cmd == "behave" || cmd == "ctest" || cmd == "bats")
      return add(Activity::Tests, cmd, line);
    if (cmd == "tox" || cmd == "nox") {
      if (runs_test_envs(words, 1)) add(Activity::Tests, cmd, line);
      return;
    }
    if (cmd == "lm_eval" || cmd == "lm-eval") return add(Activity::Evaluates, cmd, line);
    if (cmd == "cml-send-comment") return add(Activity::Evaluates, "cml send-comment", line);
    if (cmd == "torchrun" || cmd == "deepspeed" || (cmd == "accelerate" && words.size() > 1 && words[1] == "launch")) {
      for (size_t k = cmd == "accelerate" ? 2 : 1; k < words.size(); ++k)
        if (!is_option(words[k]) && words[k].find('=') == std::string::npos && words[k].size() > 3 &&
            words[k].substr(words[k].size() - 3) == ".py")
          return by_name(base_name(words[k]), cmd + " " + capped(words[k]), line);
      return;
    }
    if (cmd == "make" || cmd == "just" || cmd == "task" || cmd == "invoke" || cmd == "inv") {
      for (size_t k = 1; k < words.size(); ++k) {
        if (is_option(words[k])) {
          if (words[k] == "-C" || words[k] == "-f" || words[k] == "-j") ++k;  // takes a value
          continue;
        }
        if (is_assignment(words[k])) continue;
        by_name(words[k], cmd + " " + capped(words[k]), line);
      }
      return;
    }
    if (cmd == "npm" || cmd == "yarn" || cmd == "pnpm" || cmd == "bun") {
      if (words.size() < 2) return;
      if (words[1] == "test" || words[1] == "t") return add(Activity::Tests, cmd + " test", line);
      if (words[1] == "run" && words.size() > 2) return by_name(words[2], cmd + " run " + capped(words[2]), line);
      return;
    }
    if (cmd == "docker" && words.size() > 2 && (words[1] == "buildx" || words[1] == "build") &&
        std::find(words.begin(), words.end(), "--push") != words.end())
      return add(Activity::Publishes, "docker build --push", line);
    Tokens rest = words_of(words, 1);
    for (const auto& entry : sub_commands()) {
      if (entry.command != cmd || !has_sequence(rest, entry.words)) continue;
      std::string label = cmd;
      for (auto w : entry.words) label += " " + std::string(w);
      add(entry.activity, label, line);
      if (cmd == "deepeval") add(Activity::Evaluates, label, line);
      return;
    }
    // A script run directly: ./scripts/run_tests.sh, bash deploy.sh.
    std::string_view target = words[0];
    if ((cmd == "bash" || cmd == "sh" || cmd == "zsh" || cmd == "source" || cmd == ".") && words.size() > 1) target = words[1];
    if (target.find('/') != std::string_view::npos || target.size() > 3) {
      std::string_view name = base_name(target);
      if (name.size() > 3 && (name.substr(name.size() - 3) == ".sh" || target.find('/') != std::string_view::npos))
        by_name(name, capped(target), line);
    }
  }

  void python(const Tokens& words, uint32_t line) {
    std::string py = std::string(base_name(words[0]));
    for (size_t k = 1; k < words.size(); ++k) {
      const auto& w = words[k];
      if (w == "-W" || w == "-X") { ++k; continue; }
      if (w == "-c") return;  // inline code
      if (w == "-m" && k + 1 < words.size()) return module(words, k + 1, py, line);
      if (is_option(w)) continue;
      return by_name(base_name(w), py + " " + capped(w), line);
    }
  }

  void module(const Tokens& words, size_t at, const std::string& py, uint32_t line) {
    const std::string& mod = words[at];
    std::string label = py + " -m " + capped(mod);
    if (mod == "pytest" || mod == "py.test" || mod == "unittest" || mod == "nose" || mod == "nose2")
      return add(Activity::Tests, label, line);
    if (mod == "tox" || mod == "nox") {
      if (runs_test_envs(words, at + 1)) add(Activity::Tests, label, line);
      return;
    }
    if (mod == "coverage" && at + 1 < words.size() && words[at + 1] == "run") return coverage(words, at + 2, line);
    if (mod == "torch.distributed.run" || mod == "torch.distributed.launch") {
      for (size_t k = at + 1; k < words.size(); ++k)
        if (!is_option(words[k]) && words[k].find('=') == std::string::npos && words[k].size() > 3 &&
            words[k].substr(words[k].size() - 3) == ".py")
          return by_name(base_name(words[k]), label + " " + capped(words[k]), line);
      return;
    }
    Tokens as_command = {mod};  // python -m dvc repro, python -m mlflow run
    as_command.insert(as_command.end(), words.begin() + static_cast<long>(at) + 1, words.end());
    if (mod == "dvc" || mod == "mlflow" || mod == "lm_eval") return command(as_command, line, kMaxDepth);
    std::string_view last = mod;
    if (size_t dot = last.find_last_of('.'); dot != std::string_view::npos) last = last.substr(dot + 1);
    by_name(last, label, line);
  }

  // `coverage run [options] -m pytest` / `coverage run script.py`.
  void coverage(const Tokens& words, size_t from, uint32_t line) {
    for (size_t k = from; k < words.size(); ++k) {
      if (words[k] == "-m" && k + 1 < words.size()) return module(words, k + 1, "coverage run", line);
      if (is_option(words[k])) continue;
      return by_name(base_name(words[k]), "coverage run " + capped(words[k]), line);
    }
  }
};

}  // namespace

bool classify_name(std::string_view name, Activity& activity) {
  // Drop the extension, then split into lower-case words at anything not a letter or digit.
  if (size_t dot = name.find_last_of('.'); dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  std::string text = lower(name);
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) word += c;
    else if (!word.empty()) words.push_back(std::move(word)), word.clear();
  }
  if (!word.empty()) words.push_back(std::move(word));
  for (size_t i = 0; i < words.size(); ++i) {
    const auto& w = words[i];
    if (w == "test" || w == "tests" || w == "unittest" || w == "unittests" || w == "pytest") { activity = Activity::Tests; return true; }
    if (w == "train" || w == "training" || w == "retrain" || w == "pretrain" || w == "finetune" || w == "finetuning" ||
        (w == "fine" && i + 1 < words.size() && (words[i + 1] == "tune" || words[i + 1] == "tuning"))) {
      activity = Activity::Trains;
      return true;
    }
    if (w == "eval" || w == "evals" || w == "evaluate" || w == "evaluation") { activity = Activity::Evaluates; return true; }
    if (w == "deploy" || w == "deployment") { activity = Activity::Deploys; return true; }
  }
  return false;
}

std::vector<CommandHit> classify_script(std::string_view script) {
  Classifier classifier;
  classifier.script(script, 0, 0);
  return std::move(classifier.hits);
}

const char* activity_verb(Activity activity) {
  switch (activity) {
    case Activity::Tests: return "tests";
    case Activity::Trains: return "training";
    case Activity::Evaluates: return "evaluation";
    case Activity::Deploys: return "deployment";
    case Activity::Publishes: return "publishing";
  }
  return "";
}

}  // namespace mlaudit::ci
