#include "rubric/fixes/source_edits.hpp"

#include <algorithm>

namespace mlaudit::rubric::fixes {

std::string line_ending(std::string_view text) {
  size_t nl = text.find('\n');
  return nl != std::string_view::npos && nl > 0 && text[nl - 1] == '\r' ? "\r\n" : "\n";
}

std::pair<uint32_t, uint32_t> row_bounds(std::string_view text, uint32_t row) {
  size_t start = 0;
  for (uint32_t r = 0; r < row; ++r) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {static_cast<uint32_t>(text.size()), static_cast<uint32_t>(text.size())};
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  if (end > start && text[end - 1] == '\r') --end;
  return {static_cast<uint32_t>(start), static_cast<uint32_t>(end)};
}

uint32_t after_line(std::string_view text, uint32_t offset) {
  size_t nl = text.find('\n', std::min<size_t>(offset, text.size()));
  return static_cast<uint32_t>(nl == std::string_view::npos ? text.size() : nl + 1);
}

std::string indentation_at(std::string_view text, uint32_t offset) {
  size_t start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  start = (start == std::string_view::npos || offset == 0) ? 0 : start + 1;
  size_t end = start;
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  return std::string(text.substr(start, end - start));
}

LinePoint after_imports(const facts::FileFacts& file, std::string_view text) {
  uint32_t end = 0;
  bool found = false;
  for (const auto& imp : file.python.imports) {
    if (imp.statement.start.column != 0 || imp.statement.end_byte == 0) continue;  // not top-level
    end = std::max(end, imp.statement.end_byte);
    found = true;
  }
  uint32_t offset;
  if (found) {
    offset = after_line(text, end);
  } else {
    // Leading blank and comment lines (shebang, encoding, licence), then the module docstring.
    size_t at = 0;
    while (at < text.size()) {
      size_t first = text.find_first_not_of(" \t\r", at);
      if (first == std::string_view::npos || (text[first] != '\n' && text[first] != '#')) break;
      at = after_line(text, static_cast<uint32_t>(at));
    }
    offset = static_cast<uint32_t>(at);
    for (const auto& s : file.python.strings)
      if (s.range.start_byte == at && s.range.start.column == 0) offset = after_line(text, s.range.end_byte);
  }
  LinePoint point{offset, ""};
  if (offset == text.size() && offset > 0 && text.back() != '\n') point.prefix = line_ending(text);
  return point;
}

std::string module_binding(const facts::FileFacts& file, const std::string& module, bool top_level_only) {
  for (const auto& imp : file.python.imports) {
    if (!imp.name.empty() || (top_level_only && imp.statement.start.column != 0)) continue;
    if (imp.module == module) return imp.alias;
    if (imp.module.rfind(module + ".", 0) == 0 && imp.alias == module) return module;
  }
  return "";
}

bool name_bound(const facts::FileFacts& file, const std::string& name) {
  for (const auto& imp : file.python.imports)
    if (imp.alias == name) return true;
  for (const auto& b : file.python.bindings)
    if (b.name == name && b.scope.empty()) return true;
  return false;
}

bool bound_to_other(const facts::FileFacts& file, const std::string& name) {
  for (const auto& imp : file.python.imports) {
    if (imp.alias != name) continue;
    bool itself = imp.name.empty() && (imp.module == name || imp.module.rfind(name + ".", 0) == 0);
    if (!itself) return true;
  }
  for (const auto& b : file.python.bindings)
    if (b.name == name && b.scope.empty()) return true;
  return false;
}

const facts::Call* call_of(const facts::FileFacts& file, const Finding& finding) {
  auto same = [&](const facts::Range& r) {
    return r.start_byte == finding.range.start_byte && r.end_byte == finding.range.end_byte;
  };
  for (const auto& call : file.python.calls) {
    if (same(call.callee_range)) return &call;
    for (const auto& arg : call.args)
      if (same(arg.range)) return &call;
  }
  return nullptr;
}

int argument_index(const facts::Call& call, const std::string& keyword, int position) {
  int positional = 0;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const auto& arg = call.args[i];
    if (!keyword.empty() && arg.keyword == keyword) return static_cast<int>(i);
    if (arg.keyword.empty() && !arg.dict_splat && !arg.list_splat) {
      if (position >= 0 && positional == position) return static_cast<int>(i);
      ++positional;
    }
  }
  return -1;
}

bool has_dict_splat(const facts::Call& call) {
  return std::any_of(call.args.begin(), call.args.end(), [](const facts::Argument& a) { return a.dict_splat; });
}

namespace {

// Offset of the call's opening parenthesis, or nullopt when the call is not `callee(...)`.
std::optional<uint32_t> open_paren(const facts::Call& call, std::string_view text) {
  size_t at = text.find_first_not_of(" \t\r\n", call.callee_range.end_byte);
  if (at == std::string_view::npos || text[at] != '(' || at >= call.range.end_byte) return std::nullopt;
  return static_cast<uint32_t>(at);
}

// The closing parenthesis: the call's last byte.
std::optional<uint32_t> close_paren(const facts::Call& call, std::string_view text) {
  if (call.range.end_byte == 0 || call.range.end_byte > text.size() || text[call.range.end_byte - 1] != ')') return std::nullopt;
  return call.range.end_byte - 1;
}

// The next byte after `from` that is not whitespace or part of a comment.
size_t skip_blank(std::string_view text, size_t from, size_t limit) {
  while (from < limit) {
    char c = text[from];
    if (c == '#') {
      size_t nl = text.find('\n', from);
      from = nl == std::string_view::npos ? limit : nl;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\') {
      ++from;
    } else {
      break;
    }
  }
  return std::min(from, limit);
}

}  // namespace

std::optional<Edit> add_keyword(const facts::Call& call, std::string_view text, const std::string& argument) {
  auto open = open_paren(call, text);
  auto close = close_paren(call, text);
  if (!open || !close) return std::nullopt;
  if (call.args.empty()) {
    // Nothing but blanks may stand between the parentheses (a generator argument is not an argument list).
    if (skip_blank(text, *open + 1, *close) != *close) return std::nullopt;
    return Edit{*open + 1, *open + 1, argument};
  }
  const auto& last = call.args.back();
  size_t next = skip_blank(text, last.range.end_byte, *close);
  bool trailing_comma = next < *close && text[next] == ',';
  // One argument per line: the closing parenthesis and the last argument each on a line of their own.
  bool own_line = text.substr(last.range.end_byte, *close - last.range.end_byte).find('\n') != std::string_view::npos &&
                  text.substr(*open, last.range.start_byte - *open).find('\n') != std::string_view::npos;
  if (trailing_comma && own_line) {
    // One argument per line: a new line like the last one, after its comment if it has one.
    uint32_t comma = static_cast<uint32_t>(next);
    size_t nl = text.find('\n', comma);
    uint32_t line_end = static_cast<uint32_t>(nl == std::string_view::npos || nl > *close ? comma + 1 : nl);
    if (line_end > comma + 1 && text[line_end - 1] == '\r') --line_end;
    return Edit{line_end, line_end, line_ending(text) + indentation_at(text, last.range.start_byte) + argument + ","};
  }
  return Edit{last.range.end_byte, last.range.end_byte, ", " + argument};
}

std::optional<Edit> remove_argument(const facts::Call& call, std::string_view text, size_t index) {
  if (index >= call.args.size()) return std::nullopt;
  auto open = open_paren(call, text);
  auto close = close_paren(call, text);
  if (!open || !close) return std::nullopt;
  const auto& arg = call.args[index];
  if (call.args.size() == 1) {
    // The only argument: also its trailing comma; a call split over lines closes up.
    size_t after = skip_blank(text, arg.range.end_byte, *close);
    if (after < *close && text[after] == ',') after = skip_blank(text, after + 1, *close);
    bool blank_before = skip_blank(text, *open + 1, arg.range.start_byte) == arg.range.start_byte;
    if (after == *close && blank_before) return Edit{*open + 1, *close, ""};
    if (after < *close && text[after] == ',') ++after;
    return Edit{arg.range.start_byte, static_cast<uint32_t>(after), ""};
  }
  if (index > 0) return Edit{call.args[index - 1].range.end_byte, arg.range.end_byte, ""};
  return Edit{arg.range.start_byte, call.args[1].range.start_byte, ""};
}

}  // namespace mlaudit::rubric::fixes
