// Jenkinsfile (declarative or scripted Groovy), read as text: `stage('Name')` opens a job,
// `sh`/`bat`/`powershell`/`pwsh` steps carry the scripts (single, double and triple quoted;
// `sh(script: '...')`), `input` is a manual gate, `triggers { cron(...) }` a schedule. Groovy is
// not parsed: comments are blanked, and a step is a step wherever it sits in its stage.
#include <cctype>
#include <string>

#include "analyzers/ci/ci_pipeline.hpp"
#include "analyzers/ci/ci_readers.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::ci {
namespace {

bool word_at(std::string_view text, size_t at, std::string_view word) {
  if (text.compare(at, word.size(), word) != 0) return false;
  bool starts = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_' || text[at - 1] == '.');
  size_t end = at + word.size();
  bool ends = end >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
  return starts && ends;
}

size_t skip_space(std::string_view text, size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
  return at;
}

// The Groovy string literal at `at` ('...', "...", '''...''', """..."""): its content and the
// offset after it; npos when there is none.
size_t string_at(std::string_view text, size_t at, std::string& content) {
  if (at >= text.size() || (text[at] != '\'' && text[at] != '"')) return std::string_view::npos;
  std::string_view quote = text.substr(at, 3);
  bool triple = quote == "'''" || quote == "\"\"\"";
  std::string_view close = triple ? quote : text.substr(at, 1);
  size_t start = at + close.size();
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] == '\\') { ++i; continue; }
    if (!triple && text[i] == '\n') return std::string_view::npos;
    if (text.compare(i, close.size(), close) == 0) {
      content.assign(text.substr(start, i - start));
      return i + close.size();
    }
  }
  return std::string_view::npos;
}

// `//` comments (at the start of a line's code) and `/* */` blocks become spaces, offsets kept.
std::string blank_comments(std::string_view text) {
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    if (out.compare(i, 2, "/*") == 0) {
      size_t end = out.find("*/", i + 2);
      end = end == std::string::npos ? out.size() : end + 2;
      for (size_t k = i; k < end; ++k) if (out[k] != '\n') out[k] = ' ';
      i = end - 1;
    } else if (out.compare(i, 2, "//") == 0) {
      size_t line_start = out.rfind('\n', i);
      line_start = line_start == std::string::npos ? 0 : line_start + 1;
      bool code_before = out.find_first_not_of(" \t", line_start) < i;
      if (code_before) continue;  // a URL inside a string, or a trailing comment: left alone
      size_t end = out.find('\n', i);
      if (end == std::string::npos) end = out.size();
      for (size_t k = i; k < end; ++k) out[k] = ' ';
      i = end;
    }
  }
  return out;
}

}  // namespace

bool reads_jenkinsfile(std::string_view path) {
  std::string_view name = path_file_name(path);
  if (name == "Jenkinsfile" || name.rfind("Jenkinsfile.", 0) == 0) return true;
  return name.size() > 12 && name.substr(name.size() - 12) == ".Jenkinsfile";
}

void read_jenkinsfile(std::string_view path, std::string_view raw, facts::FileFacts& out) {
  std::string code = blank_comments(raw);
  std::string_view text = code;
  Pipeline pipeline;
  pipeline.system = "Jenkins pipeline";
  uint32_t line = 0;
  bool placed = false;
  bool has_triggers = text.find("triggers") != std::string_view::npos;
  Job outside;  // steps before the first stage (scripted pipelines)
  outside.name = "(pipeline)";
  Job* job = &outside;
  for (size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '\n') { ++line; continue; }
    if (!placed && (word_at(text, at, "pipeline") || word_at(text, at, "node"))) {
      pipeline.line = line;
      placed = true;
    }
    if (word_at(text, at, "stage")) {
      size_t p = skip_space(text, at + 5);
      if (p < text.size() && text[p] == '(') p = skip_space(text, p + 1);
      std::string name;
      if (string_at(text, p, name) != std::string_view::npos) {
        pipeline.jobs.push_back({});
        job = &pipeline.jobs.back();
        job->name = name.substr(0, 80);
        job->line = line;
      }
      continue;
    }
    if (word_at(text, at, "input")) {
      size_t p = skip_space(text, at + 5);
      if (p < text.size() && (text[p] == '(' || text[p] == '{' || text[p] == '\'' || text[p] == '"' ||
                              text.compare(p, 8, "message:") == 0 || text.compare(p, 7, "message") == 0)) {
        if (job->gate.empty()) {
          job->gate = "waits for input (a manual approval)";
          job->gate_line = line;
        }
      }
      continue;
    }
    if (has_triggers && (word_at(text, at, "cron") || word_at(text, at, "parameterizedCron"))) {
      size_t p = skip_space(text, at + (text[at] == 'c' ? 4 : 17));
      if (p < text.size() && text[p] == '(') p = skip_space(text, p + 1);
      std::string spec;
      if (string_at(text, p, spec) != std::string_view::npos && pipeline.schedule.empty()) {
        pipeline.schedule = "cron " + spec.substr(0, 60);
        pipeline.schedule_line = line;
        pipeline.triggers.push_back("schedule");
      }
      continue;
    }
    for (std::string_view step : {"sh", "bat", "powershell", "pwsh"}) {
      if (!word_at(text, at, step)) continue;
      size_t p = skip_space(text, at + step.size());
      bool paren = p < text.size() && text[p] == '(';
      if (paren) p = skip_space(text, p + 1);
      if (p < text.size() && (std::isalpha(static_cast<unsigned char>(text[p])))) {
        // Named arguments: sh(label: 'x', script: '...').
        size_t end = text.find_first_of(paren ? ")" : "\n", p);
        size_t named = text.substr(p, end == std::string_view::npos ? std::string_view::npos : end - p).find("script:");
        if (named == std::string_view::npos) break;
        p = skip_space(text, p + named + 7);
      }
      std::string script;
      size_t after = string_at(text, p, script);
      if (after == std::string_view::npos) break;
      uint32_t first = line;
      for (size_t k = at; k < p; ++k) if (text[k] == '\n') ++first;
      add_script(*job, script, first);
      // Go on after the string: words inside a script are not Groovy steps.
      for (size_t k = at; k < after; ++k) if (text[k] == '\n') ++line;
      at = after - 1;
      break;
    }
  }
  if (!outside.hits.empty() || !outside.gate.empty() || pipeline.jobs.empty()) pipeline.jobs.insert(pipeline.jobs.begin(), outside);
  bool scheduled = !pipeline.schedule.empty();
  for (auto& j : pipeline.jobs) j.scheduled = scheduled;
  emit_signals(pipeline, raw, out);
}

}  // namespace mlaudit::ci
