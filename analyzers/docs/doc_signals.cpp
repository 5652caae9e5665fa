// The documentation and governance reader: which file it is (by name), then only what tells
// something about it (front matter keys, section headings with real text, CODEOWNERS rules).
#include "analyzers/docs/doc_signals.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "analyzers/docs/front_matter.hpp"
#include "analyzers/docs/markdown_outline.hpp"
#include "analyzers/manifests/source_lines.hpp"
#include "analyzers/signal_readers.hpp"

namespace mlaudit::docs {
namespace {

enum class Doc { None, Readme, ModelCard, Datasheet, Codeowners, PrTemplate, Contributing, Security, Adr };

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

bool any_of(std::string_view s, std::initializer_list<std::string_view> words, bool (*test)(std::string_view, std::string_view)) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return test(s, w); });
}
bool contains(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }
bool is(std::string_view s, std::string_view w) { return s == w; }

// `0001-use-dvc.md`, `adr-0001-use-dvc.md`, `ADR-12_title.md`.
bool numbered_record(std::string_view name) {
  if (starts_with(name, "adr-") || starts_with(name, "adr_")) name.remove_prefix(4);
  size_t digits = 0;
  while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
  return digits >= 1 && digits <= 5 && digits < name.size() && (name[digits] == '-' || name[digits] == '_');
}

Doc kind_of(std::string_view path) {
  std::string_view file = path_file_name(path);
  std::string name = lower(file);
  if (file == "CODEOWNERS") return Doc::Codeowners;
  if (any_of(name, {"readme", "readme.md", "readme.rst", "readme.txt", "readme.markdown"}, is)) return Doc::Readme;
  bool md = ends_with(name, ".md");
  if (md && any_of(name, {"model_card", "model-card", "modelcard"}, starts_with)) return Doc::ModelCard;
  if (md && any_of(name, {"datasheet", "data_card", "data-card", "dataset_card", "dataset-card", "datacard"}, starts_with))
    return Doc::Datasheet;
  if (name == "pull_request_template.md" || (md && (path_in_folder(path, "PULL_REQUEST_TEMPLATE") ||
                                                     path_in_folder(path, "pull_request_template"))))
    return Doc::PrTemplate;
  if (any_of(name, {"contributing.md", "contributing.rst", "contributing.txt"}, is)) return Doc::Contributing;
  if (name == "security.md") return Doc::Security;
  if (md && numbered_record(name))
    for (std::string_view folder : {"adr", "adrs", "decisions", "decision-records", "architecture-decisions"})
      if (path_in_folder(path, folder)) return Doc::Adr;
  return Doc::None;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep = ", ") {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

std::string heading_text(const Heading& h) { return std::string(static_cast<size_t>(std::min(h.level, 6)), '#') + " " + h.title.substr(0, 60); }

// Headings with real text whose lower-case title contains one of `words`.
std::vector<const Heading*> sections(const Outline& outline, std::initializer_list<std::string_view> words) {
  std::vector<const Heading*> out;
  for (const auto& h : outline.headings)
    if (h.has_content && any_of(lower(h.title), words, contains)) out.push_back(&h);
  return out;
}

struct Reader {
  std::string_view path, text;
  std::string name;
  facts::FileFacts& out;
  manifests::SourceLines lines;

  void signal(const char* id, std::string detail, uint32_t line) {
    out.signals.push_back({id, std::move(detail), lines.trimmed_line(line)});
  }

  void readme(const Outline& outline) {
    signal("docs.readme", name + ": " + std::to_string(outline.headings.size()) + " sections", 0);
    auto reproduce = sections(outline, {"reproduc"});
    auto setup = sections(outline, {"install", "setup", "set up", "getting started", "quick start", "quickstart", "usage",
                                    "requirements", "environment"});
    auto run = sections(outline, {"train", "evaluat", "fine-tun", "finetun", "benchmark"});
    std::vector<const Heading*> shown = reproduce;
    if (reproduce.empty() && !setup.empty() && !run.empty()) shown = {setup.front(), run.front()};
    if (!shown.empty()) {
      std::vector<std::string> titles;
      for (const auto* h : shown) titles.push_back(heading_text(*h));
      signal("docs.reproduce-steps", name + ": " + join(titles), shown.front()->line);
    } else if (!setup.empty()) {
      signal("docs.setup-steps", name + ": " + heading_text(*setup.front()), setup.front()->line);
    }
  }

  void model_card(const Outline& outline, const FrontMatterKeys* meta, std::string what) {
    signal("docs.model-card", name + ": " + what, 0);
    auto has_key = [&](const char* key) { return meta && meta->keys.count(key); };
    std::vector<std::string> covered, missing;
    auto topic = [&](const char* label, bool found) { (found ? covered : missing).push_back(label); };
    topic("intended use", !sections(outline, {"intended use", "uses", "use case", "out-of-scope", "how to use"}).empty());
    topic("training data", has_key("datasets") || !sections(outline, {"data"}).empty());
    topic("evaluation", has_key("model-index") || !sections(outline, {"evaluat", "results", "metrics", "performance"}).empty());
    topic("limitations", !sections(outline, {"limitation", "bias", "risk", "ethical", "caveat"}).empty());
    if (missing.empty()) signal("docs.model-card-complete", name + " covers " + join(covered), 0);
    bias(outline);
  }

  void bias(const Outline& outline) {
    auto found = sections(outline, {"bias", "fairness"});
    if (!found.empty()) signal("docs.bias-section", name + ": " + heading_text(*found.front()), found.front()->line);
  }

  void dataset_card(const Outline& outline, const FrontMatterKeys* meta, std::string what) {
    signal("docs.dataset-card", name + ": " + what, 0);
    auto splits = sections(outline, {"split"});
    if (!splits.empty()) signal("docs.data-splits", name + ": " + heading_text(*splits.front()), splits.front()->line);
    else if (meta && meta->splits) signal("docs.data-splits", name + ": split metadata in the front matter", 0);
    bias(outline);
  }

  // The kind of card a README's front matter makes it, with the keys that say so.
  void card_from_front_matter(const Outline& outline, const FrontMatterKeys& meta) {
    if (meta.keys.count("sdk")) return;  // a Space's README: an app, not a card
    auto listed = [&](std::initializer_list<const char*> keys) {
      std::vector<std::string> found;
      for (const char* k : keys)
        if (meta.keys.count(k)) found.push_back(k);
      return found;
    };
    auto dataset = listed({"task_categories", "size_categories", "dataset_info", "annotations_creators", "language_creators",
                           "source_datasets", "multilinguality", "task_ids"});
    if (!dataset.empty()) {
      dataset_card(outline, &meta, "Hugging Face dataset card (" + join(dataset) + ")");
      return;
    }
    auto model = listed({"model-index", "base_model", "pipeline_tag", "library_name", "model_name", "datasets"});
    if (!model.empty()) model_card(outline, &meta, "Hugging Face model card (" + join(model) + ")");
  }

  void codeowners() {
    size_t rules = 0;
    uint32_t first = 0;
    for (uint32_t n = 0; n < lines.line_count(); ++n) {
      facts::Range r = lines.trimmed_line(n);
      std::string_view line = text.substr(r.start_byte, r.end_byte - r.start_byte);
      if (line.empty() || line.front() == '#') continue;
      size_t space = line.find_first_of(" \t");
      if (space == std::string_view::npos) continue;  // a path without owners: unowned on purpose
      std::string_view owners = line.substr(space);
      if (owners.find('@') == std::string_view::npos) continue;  // @user, @org/team, or an e-mail address
      if (rules++ == 0) first = n;
    }
    if (rules)
      signal("docs.codeowners", name + " assigns owners to " + std::to_string(rules) + (rules == 1 ? " path" : " paths"), first);
  }

  void pr_template() {
    size_t checks = 0;
    for (uint32_t n = 0; n < lines.line_count(); ++n) {
      facts::Range r = lines.trimmed_line(n);
      std::string_view line = text.substr(r.start_byte, r.end_byte - r.start_byte);
      if (starts_with(line, "- [ ]") || starts_with(line, "* [ ]") || starts_with(line, "- [x]")) ++checks;
    }
    size_t letters = std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isalpha(c); });
    if (letters < 12) return;
    signal("docs.pr-template", checks ? "pull request template with " + std::to_string(checks) + " checklist items"
                                      : "pull request template " + name, 0);
  }
};

}  // namespace

bool reads_doc_file(std::string_view path) { return kind_of(path) != Doc::None; }

void read_doc_signals(std::string_view path, std::string_view text, facts::FileFacts& out) {
  Doc kind = kind_of(path);
  Reader reader{path, text, std::string(path_file_name(path)), out, manifests::SourceLines(text)};
  size_t letters = std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isalpha(c); });
  switch (kind) {
    case Doc::None: return;
    case Doc::Codeowners: reader.codeowners(); return;
    case Doc::PrTemplate: reader.pr_template(); return;
    case Doc::Contributing:
      if (letters >= 12) reader.signal("docs.contributing", reader.name + ": contribution guidelines", 0);
      return;
    case Doc::Security:
      if (letters >= 12) reader.signal("docs.security-policy", reader.name + ": security policy", 0);
      return;
    case Doc::Adr: reader.signal("docs.adr", "architecture decision record " + reader.name, 0); return;
    default: break;
  }
  Outline outline = read_outline(text);
  auto meta = read_front_matter(text, outline.front_matter, out.parse_errors);
  switch (kind) {
    case Doc::Readme:
      reader.readme(outline);
      if (meta) reader.card_from_front_matter(outline, *meta);
      break;
    case Doc::ModelCard: reader.model_card(outline, meta ? &*meta : nullptr, "model card"); break;
    case Doc::Datasheet: reader.dataset_card(outline, meta ? &*meta : nullptr, "datasheet"); break;
    default: break;
  }
}

}  // namespace mlaudit::docs
