#include "analyzers/notebooks/ipython_syntax.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace mlaudit::notebooks {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\r'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// `name?`, `name??`, `?name`, `??name`, `obj.attr?` (IPython's help syntax): a dotted name
// with question marks before or after it, nothing else on the line (comments aside).
bool is_help_line(std::string_view line) {
  line = trim(line.substr(0, line.find('#')));
  size_t lead = 0, trail = 0;
  while (lead < line.size() && lead < 2 && line[lead] == '?') ++lead;
  while (trail < line.size() - lead && trail < 2 && line[line.size() - 1 - trail] == '?') ++trail;
  if (lead + trail == 0) return false;
  std::string_view name = line.substr(lead, line.size() - lead - trail);
  if (name.empty()) return lead > 0;  // a bare `?` shows IPython's help
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c) || c == '.' || c == '*'; });
}

// `files = !ls`, `a, b = %sx cmd`: assignment targets, then `=` and an escape.
bool is_assigned_escape(std::string_view line) {
  size_t i = 0;
  bool saw_name = false;
  while (i < line.size() && (is_name_char(line[i]) || line[i] == '.' || line[i] == ',' || is_space(line[i]))) {
    saw_name |= is_name_char(line[i]);
    ++i;
  }
  if (!saw_name || i >= line.size() || line[i] != '=' || (i + 1 < line.size() && line[i + 1] == '=')) return false;
  std::string_view rest = trim(line.substr(i + 1));
  return !rest.empty() && (rest[0] == '!' || rest[0] == '%');
}

bool is_escape_line(std::string_view line) {
  std::string_view body = trim(line);
  if (body.empty()) return false;
  if (body[0] == '!' || body[0] == '%') return !(body.size() > 1 && body[0] == '!' && body[1] == '=');
  return is_assigned_escape(body) || is_help_line(body);
}

// Lexical state carried from one line to the next: what decides whether the next line starts
// a logical line.
struct LineState {
  int depth = 0;           // open brackets
  char quote = 0;          // the open string's quote character, 0 when none
  bool triple = false;     // that string is triple-quoted
  bool continued = false;  // the line ended with a backslash

  bool at_logical_start() const { return depth == 0 && quote == 0 && !continued; }

  void scan(std::string_view line) {
    continued = false;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quote) {
        if (c == '\\') { ++i; continue; }
        if (c != quote) continue;
        if (!triple) { quote = 0; continue; }
        if (line.substr(i, 3) == std::string(3, quote)) { quote = 0; i += 2; }
        continue;
      }
      if (c == '#') break;
      if (c == '"' || c == '\'') {
        quote = c;
        triple = line.substr(i, 3) == std::string(3, c);
        if (triple) i += 2;
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
    std::string_view rest = line;
    while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
    bool backslash = !rest.empty() && rest.back() == '\\';
    if (quote && !triple && !backslash) quote = 0;  // an unterminated short string ends here
    continued = backslash && !(quote && triple);
  }
};

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string neutralised(std::string_view line) {
  size_t indent = 0;
  while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
  return std::string(line.substr(0, indent)) + "pass";
}

}  // namespace

bool is_python_cell_magic(std::string_view name) {
  static constexpr std::string_view kPython[] = {"python", "python3", "time", "timeit", "capture", "prun", "debug"};
  return std::find(std::begin(kPython), std::end(kPython), name) != std::end(kPython);
}

std::string ipython_to_python(std::string_view source) {
  std::vector<std::string_view> lines = split_lines(source);
  std::vector<std::string> out(lines.begin(), lines.end());
  size_t first = 0;
  while (first < lines.size() && trim(lines[first]).empty()) ++first;
  if (first < lines.size() && lines[first].substr(0, 2) == "%%") {
    std::string_view rest = lines[first].substr(2);
    size_t end = 0;
    while (end < rest.size() && (is_name_char(rest[end]) || rest[end] == '-')) ++end;
    if (!is_python_cell_magic(rest.substr(0, end))) {
      for (auto& line : out) line.clear();  // %%bash, %%sql, %%writefile ...: not Python
      first = lines.size();
    } else {
      out[first] = "pass";
      ++first;
    }
  } else {
    first = 0;
  }
  LineState state;
  for (size_t i = first; i < lines.size(); ++i) {
    if (state.at_logical_start() && is_escape_line(lines[i])) {
      out[i] = neutralised(lines[i]);
      state = LineState{};  // IPython's escapes run to the end of the line
      continue;
    }
    state.scan(lines[i]);
  }
  std::string joined;
  for (size_t i = 0; i < out.size(); ++i) {
    joined += out[i];
    if (i + 1 < out.size() || (!source.empty() && source.back() == '\n')) joined += '\n';
  }
  return joined;
}

}  // namespace mlaudit::notebooks
