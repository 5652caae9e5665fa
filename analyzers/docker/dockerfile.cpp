#include "analyzers/docker/dockerfile.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace mlaudit::docker {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// One instruction: its text with continuations joined, the line it starts on, and the byte
// offset in the file of each character of `text` (for the image's range).
struct Instruction {
  std::string text;
  std::vector<uint32_t> offsets;
  uint32_t line = 0;
};

struct Word {
  std::string text;
  uint32_t start = 0, end = 0;  // file bytes
};

std::vector<Word> words(const Instruction& in, size_t from) {
  std::vector<Word> out;
  size_t i = from;
  while (i < in.text.size()) {
    while (i < in.text.size() && std::isspace(static_cast<unsigned char>(in.text[i]))) ++i;
    size_t start = i;
    while (i < in.text.size() && !std::isspace(static_cast<unsigned char>(in.text[i]))) ++i;
    if (i > start) out.push_back({in.text.substr(start, i - start), in.offsets[start], in.offsets[i - 1] + 1});
  }
  return out;
}

std::vector<Instruction> instructions(std::string_view text) {
  std::vector<Instruction> out;
  std::vector<std::pair<size_t, size_t>> lines;  // [start, end) without the newline
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(start, end);
    start = end + 1;
  }
  char escape = '\\';
  bool directives = true;  // parser directives only before the first other line
  Instruction current;
  bool open = false;
  std::vector<std::string> heredocs;  // the delimiters of open heredocs, in the order their bodies come
  for (uint32_t n = 0; n < lines.size(); ++n) {
    auto [s, e] = lines[n];
    std::string_view line = text.substr(s, e - s);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!heredocs.empty()) {  // the bodies of heredocs are not instructions
      std::string_view body = line;
      while (!body.empty() && body.front() == '\t') body.remove_prefix(1);
      if (body == heredocs.front()) heredocs.erase(heredocs.begin());
      continue;
    }
    size_t first = line.find_first_not_of(" \t");
    std::string_view trimmed = first == std::string_view::npos ? std::string_view() : line.substr(first);
    if (trimmed.empty()) continue;  // also inside a continuation: Docker joins across empty lines
    if (!trimmed.empty() && trimmed.front() == '#') {
      if (directives && !open) {
        std::string d = lower(trimmed.substr(1));
        d.erase(std::remove_if(d.begin(), d.end(), [](unsigned char c) { return std::isspace(c); }), d.end());
        if (starts_with(d, "escape=") && d.size() == 8) { escape = d[7]; continue; }
        if (d.find('=') != std::string::npos && d.find('=') > 0) continue;  // syntax=, check=
      }
      directives = false;
      continue;  // a comment, also inside a continuation
    }
    directives = false;
    if (!open) { current = Instruction{}; current.line = n; }
    std::string_view content = line;
    size_t content_start = s;
    while (!content.empty() && std::isspace(static_cast<unsigned char>(content.back()))) content.remove_suffix(1);
    bool continues = !content.empty() && content.back() == escape;
    if (continues) content.remove_suffix(1);
    for (size_t i = 0; i < content.size(); ++i) {
      current.text += content[i];
      current.offsets.push_back(static_cast<uint32_t>(content_start + i));
    }
    current.text += ' ';
    current.offsets.push_back(static_cast<uint32_t>(content_start + content.size()));
    open = continues;
    if (!open) {
      // `RUN <<EOF` / `COPY <<-"EOF" file` / `RUN <<A <<B`: the lines up to each delimiter belong to it.
      for (size_t at = current.text.find("<<"); at != std::string::npos; at = current.text.find("<<", at)) {
        size_t i = at + 2;
        if (i < current.text.size() && current.text[i] == '<') {  // a here-string `<<<`, not a heredoc
          while (i < current.text.size() && current.text[i] == '<') ++i;
          at = i;
          continue;
        }
        if (i < current.text.size() && current.text[i] == '-') ++i;
        if (i < current.text.size() && (current.text[i] == '"' || current.text[i] == '\'')) ++i;
        size_t j = i;
        while (j < current.text.size() && (std::isalnum(static_cast<unsigned char>(current.text[j])) || current.text[j] == '_')) ++j;
        bool word = j > i && (std::isalpha(static_cast<unsigned char>(current.text[i])) || current.text[i] == '_');
        if (word) heredocs.push_back(current.text.substr(i, j - i));  // not a shift: `$((1<<2))`
        at = j > at + 2 ? j : at + 2;
      }
      out.push_back(std::move(current));
      current = Instruction{};
    }
  }
  if (open && !current.text.empty()) out.push_back(std::move(current));
  return out;
}

// $X, ${X}, ${X:-default} replaced from `args`; `resolved` false when one has no value.
std::string substitute(const std::string& s, const std::map<std::string, std::string>& args, bool& resolved) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') { out += s[i]; continue; }
    std::string name, fallback;
    bool has_fallback = false;
    if (i + 1 < s.size() && s[i + 1] == '{') {
      size_t close = s.find('}', i + 2);
      if (close == std::string::npos) { resolved = false; return out; }
      name = s.substr(i + 2, close - i - 2);
      if (size_t dash = name.find(":-"); dash != std::string::npos) {
        fallback = name.substr(dash + 2);
        name = name.substr(0, dash);
        has_fallback = true;
      }
      i = close;
    } else {
      size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      name = s.substr(i + 1, j - i - 1);
      i = j - 1;
    }
    auto it = args.find(name);
    if (it != args.end() && !it->second.empty()) out += it->second;
    else if (has_fallback) out += fallback;
    else resolved = false;
  }
  return out;
}

void split_reference(BaseImage& image) {
  std::string ref = image.reference;
  if (size_t at = ref.find('@'); at != std::string::npos) {
    image.digest = ref.substr(at + 1);
    ref = ref.substr(0, at);
  }
  size_t colon = ref.rfind(':');
  size_t slash = ref.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    image.tag = ref.substr(colon + 1);
    ref = ref.substr(0, colon);
  }
  image.name = ref;
}

std::string unquote(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '"' || c == '\''; }), s.end());
  return s;
}

// The packages of every `pip install` in a RUN command (pip, pip3, python -m pip, uv pip).
void pip_packages(const Instruction& in, std::vector<PipPackage>& out) {
  auto ws = words(in, 0);
  for (size_t i = 0; i + 1 < ws.size(); ++i) {
    std::string w = ws[i].text;
    bool pip = w == "pip" || w == "pip3" || ends_with(w, "/pip") || ends_with(w, "/pip3") || starts_with(w, "pip3.");
    if (!pip || ws[i + 1].text != "install") continue;
    for (size_t j = i + 2; j < ws.size(); ++j) {
      std::string t = ws[j].text;
      if (t == "&&" || t == "||" || t == ";" || t == "|" || t == ">" || t.front() == '>') break;
      bool ends_command = !t.empty() && t.back() == ';';
      if (ends_command) t.pop_back();
      if (t.empty()) break;
      if (t.front() == '-') {
        // Options that take a value (-r file, -c file, -e path, --index-url URL, ...).
        static const char* with_value[] = {"-r", "-c", "-e", "-i", "-f", "-t", "--requirement", "--constraint", "--editable",
                                           "--index-url", "--extra-index-url", "--find-links", "--target", "--prefix",
                                           "--root", "--platform", "--python-version", "--src", "--cache-dir"};
        if (t.find('=') == std::string::npos &&
            std::any_of(std::begin(with_value), std::end(with_value), [&](const char* o) { return t == o; }))
          ++j;
        if (ends_command) break;
        continue;
      }
      std::string spec = unquote(t);
      bool archive = ends_with(spec, ".whl") || ends_with(spec, ".tar.gz") || ends_with(spec, ".zip");
      if (spec.empty() || spec.find('/') != std::string::npos || spec.front() == '.' || spec.front() == '$' || archive) {
        if (ends_command) break;
        continue;  // a path, a URL, a local archive or a variable: not a named package
      }
      size_t eq = spec.find("==");
      bool pinned = eq != std::string::npos && spec.find('*') == std::string::npos && spec.find(',') == std::string::npos;
      uint32_t end = ws[j].end - (ends_command ? 1 : 0);
      out.push_back({spec, pinned, in.line, ws[j].start, end});
      if (ends_command) break;
    }
  }
}

}  // namespace

bool is_dockerfile_name(std::string_view name) {
  std::string n = lower(name);
  static const char* not_dockerfiles[] = {".dockerignore", ".md", ".txt", ".rst", ".yml", ".yaml", ".json", ".sh",
                                          ".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".template", ".erb", ".mustache"};
  for (const char* suffix : not_dockerfiles)
    if (ends_with(n, suffix)) return false;
  return n == "dockerfile" || n == "containerfile" || ends_with(n, ".dockerfile") || ends_with(n, ".containerfile") ||
         starts_with(n, "dockerfile.") || starts_with(n, "containerfile.");
}

Dockerfile read_dockerfile(std::string_view text) {
  Dockerfile out;
  std::map<std::string, std::string> args;  // ARGs declared before the first FROM (global scope)
  std::vector<std::string> stages;
  bool before_from = true;
  bool any_instruction = false;
  static const char* known[] = {"add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
                                "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir"};
  for (const auto& in : instructions(text)) {
    auto ws = words(in, 0);
    if (ws.empty()) continue;
    any_instruction = true;
    std::string keyword = lower(ws[0].text);
    if (std::none_of(std::begin(known), std::end(known), [&](const char* k) { return keyword == k; })) {
      // Only a word of letters is quoted: the line may be anything (`API_KEY=...` lost its ENV).
      bool letters = keyword.size() <= 30 && std::all_of(keyword.begin(), keyword.end(), [](unsigned char c) { return std::isalpha(c); });
      out.problems.push_back({letters ? "unknown instruction `" + ws[0].text + "`" : "line " + std::to_string(in.line + 1) +
                                  " is not an instruction (a missing line continuation?)", in.line});
      continue;
    }
    if (keyword == "arg" && before_from) {
      for (size_t i = 1; i < ws.size(); ++i) {
        std::string decl = ws[i].text;
        size_t eq = decl.find('=');
        if (eq == std::string::npos) args.emplace(decl, "");
        else args[decl.substr(0, eq)] = unquote(decl.substr(eq + 1));
      }
    } else if (keyword == "from") {
      before_from = false;
      size_t i = 1;
      while (i < ws.size() && starts_with(ws[i].text, "--")) ++i;  // --platform=...
      if (i >= ws.size()) {
        out.problems.push_back({"FROM names no image", in.line});
        continue;
      }
      size_t arguments = ws.size() - i;
      if (arguments != 1 && !(arguments == 3 && lower(ws[i + 1].text) == "as"))
        out.problems.push_back({"FROM takes an image and optionally `AS name`", in.line});
      BaseImage image;
      image.line = in.line;
      image.start_byte = ws[i].start;
      image.end_byte = ws[i].end;
      image.reference = substitute(ws[i].text, args, image.resolved);
      if (i + 2 < ws.size() && lower(ws[i + 1].text) == "as") image.stage = lower(ws[i + 2].text);
      std::string ref = lower(image.reference);
      bool earlier_stage = std::find(stages.begin(), stages.end(), ref) != stages.end();
      if (!image.stage.empty()) stages.push_back(image.stage);
      if (earlier_stage || ref == "scratch") continue;
      split_reference(image);
      out.images.push_back(std::move(image));
    } else if (keyword == "run") {
      pip_packages(in, out.pip);
    }
  }
  if (any_instruction && before_from) out.problems.push_back({"no FROM instruction: there is no base image to build on", 0});
  return out;
}

}  // namespace mlaudit::docker
