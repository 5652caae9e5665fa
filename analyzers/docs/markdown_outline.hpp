// The outline of a Markdown (or reStructuredText) document: its YAML front matter block and
// its section headings, each with whether its section says anything. Only what tells
// something about a document is read: code blocks are skipped (a `# comment` in a shell
// snippet is no heading), and a section holding only a template's placeholder ("[More
// Information Needed]", "TODO", an HTML comment) counts as empty.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlaudit::docs {

struct Heading {
  std::string title;      // without the markers, trimmed: "Intended uses & limitations"
  int level = 1;          // 1..6 (setext and RST underlines: 1 for '=', 2 otherwise)
  uint32_t line = 0;      // 0-based
  bool has_content = false;  // the section (up to the next heading of the same or a higher level) has real text
};

struct FrontMatter {
  bool present = false;      // a `---` line first, closed by `---` (or `...`)
  std::string_view yaml;     // the text between the fences
  uint32_t first_line = 0;   // 0-based line of the yaml's first line in the document
};

struct Outline {
  FrontMatter front_matter;
  std::vector<Heading> headings;
};

Outline read_outline(std::string_view text);

}  // namespace mlaudit::docs
