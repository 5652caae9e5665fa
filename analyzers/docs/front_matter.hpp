// The YAML front matter of a Markdown document (Hugging Face model and dataset cards, Jekyll
// pages): its top-level keys, and whether it declares dataset splits. A block that does not
// start like a YAML mapping (`key:`) is not front matter (a horizontal rule above prose); one
// that does and is not valid YAML is a parse error at its line, as the Hub reports it.
#pragma once
#include <optional>
#include <set>
#include <string>

#include "analyzers/docs/markdown_outline.hpp"
#include "analyzers/facts.hpp"

namespace mlaudit::docs {

struct FrontMatterKeys {
  std::set<std::string> keys;  // top-level keys: "license", "model-index", "task_categories"
  bool splits = false;         // dataset_info[].splits or configs[].data_files[].split
};

// nullopt when there is no front matter; an error appended to `errors` when it is malformed.
std::optional<FrontMatterKeys> read_front_matter(std::string_view text, const FrontMatter& block,
                                                 std::vector<facts::ParseError>& errors);

}  // namespace mlaudit::docs
