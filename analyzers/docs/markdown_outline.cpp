#include "analyzers/docs/markdown_outline.hpp"

#include <algorithm>
#include <cctype>

namespace mlaudit::docs {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  return out;
}

// A line of one repeated punctuation character, at least three long: a setext/RST underline.
bool underline(std::string_view line, char& c) {
  line = trim(line);
  if (line.size() < 3) return false;
  c = line[0];
  static const std::string_view marks = "=-~^\"'`#*+:._";
  if (marks.find(c) == std::string_view::npos) return false;
  return std::all_of(line.begin(), line.end(), [&](char x) { return x == c; });
}

// Words that fill a template's sections before anyone writes them.
bool placeholder_only(std::string text) {
  // HTML comments (the Hugging Face template's guidance) are not content.
  for (size_t open = text.find("<!--"); open != std::string::npos; open = text.find("<!--", open)) {
    size_t close = text.find("-->", open + 4);
    text.erase(open, close == std::string::npos ? std::string::npos : close + 3 - open);
  }
  std::string l = lower(text);
  for (std::string_view filler : {"[more information needed]", "more information needed", "[optional]", "todo", "tbd", "n/a",
                                  "coming soon", "to be added", "{{", "}}"}) {
    for (size_t at = l.find(filler); at != std::string::npos; at = l.find(filler, at)) l.erase(at, filler.size());
  }
  size_t letters = std::count_if(l.begin(), l.end(), [](unsigned char c) { return std::isalpha(c); });
  return letters < 12;  // "See below." is not a section
}

}  // namespace

Outline read_outline(std::string_view text) {
  Outline out;
  auto lines = split_lines(text);
  size_t first = 0;
  if (!lines.empty() && trim(lines[0]) == "---") {
    for (size_t i = 1; i < lines.size(); ++i) {
      std::string_view t = trim(lines[i]);
      if (t != "---" && t != "...") continue;
      out.front_matter.present = true;
      out.front_matter.first_line = 1;
      const char* begin = lines[1].data();
      const char* end = lines[i].data();
      out.front_matter.yaml = std::string_view(begin, static_cast<size_t>(end - begin));
      first = i + 1;
      break;
    }
  }
  // Headings, then each one's content: text lines until the next heading of the same or a higher level.
  std::vector<std::pair<size_t, size_t>> bodies;  // per heading: [first line, end line) of its own text
  bool fenced = false;
  std::string fence;
  std::vector<bool> is_text(lines.size(), false);
  for (size_t i = first; i < lines.size(); ++i) {
    std::string_view t = trim(lines[i]);
    if (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~") {
      std::string mark(t.substr(0, 3));
      if (!fenced) { fenced = true; fence = mark; }
      else if (mark == fence) fenced = false;
      continue;
    }
    if (fenced) { is_text[i] = true; continue; }  // code in a section is content, never a heading
    if (!t.empty() && t[0] == '#' && lines[i].find_first_not_of(' ') < 4) {
      size_t level = t.find_first_not_of('#');
      if (level != std::string_view::npos && level <= 6 && (t[level] == ' ' || t[level] == '\t')) {
        std::string_view title = trim(t.substr(level));
        while (!title.empty() && title.back() == '#') title.remove_suffix(1);  // closing hashes
        out.headings.push_back({std::string(trim(title)), static_cast<int>(level), static_cast<uint32_t>(i), false});
        continue;
      }
    }
    char mark;
    if (i + 1 < lines.size() && !t.empty() && underline(lines[i + 1], mark) && !(mark == '-' && t.find_first_not_of('-') == std::string_view::npos)) {
      // A setext (`===`/`---`) or RST underline; a list item followed by `---` is a thematic break only
      // when the line above it is blank, which `!t.empty()` already excludes.
      out.headings.push_back({std::string(t), mark == '=' ? 1 : 2, static_cast<uint32_t>(i), false});
      ++i;
      continue;
    }
    char over;
    if (underline(lines[i], over)) continue;  // an RST overline or a thematic break
    is_text[i] = !t.empty();
  }
  for (size_t h = 0; h < out.headings.size(); ++h) {
    size_t end = lines.size();
    for (size_t n = h + 1; n < out.headings.size(); ++n)
      if (out.headings[n].level <= out.headings[h].level) { end = out.headings[n].line; break; }
    std::string body;
    for (size_t i = out.headings[h].line + 1; i < end && body.size() < 4096; ++i)
      if (is_text[i]) { body += lines[i]; body += '\n'; }
    out.headings[h].has_content = !placeholder_only(std::move(body));
  }
  return out;
}

}  // namespace mlaudit::docs
