#include "analyzers/config.hpp"
#include "analyzers/yaml_documents.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/json_depth.hpp"

namespace mlaudit {
namespace {

constexpr size_t kMaxSegment = 200;  // bytes of one key segment kept
constexpr size_t kMaxPath = 1000;    // bytes of a dotted path kept

// `text` cut to at most `max` bytes, on a UTF-8 character boundary.
std::string capped(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

// `parent` extended by a key (".key") or a list item ("[]"), capped.
std::string child_path(const std::string& parent, std::string_view key, bool item) {
  if (parent.size() >= kMaxPath) return parent;
  std::string out = parent;
  if (item) out += "[]";
  else {
    if (!out.empty()) out += '.';
    out += capped(key, kMaxSegment);
  }
  return capped(out, kMaxPath);
}

std::string nodes_exceeded(const char* format) {
  return std::string(format) + " has more than " + std::to_string(kConfigMaxNodes) + " nodes" +
         (std::string_view(format) == "YAML" ? " once aliases are expanded" : "");
}

std::string too_deep(const char* format) {
  return std::string(format) + " nesting is deeper than " + std::to_string(kConfigMaxDepth) + " levels";
}

// --- YAML: yaml-cpp builds a graph in which an alias is the anchored node itself, so loading is
// linear; the walk below is iterative and counts every visit, which bounds the expansion.
class YamlWalk {
 public:
  explicit YamlWalk(ConfigRead& out) : out_(out) {}

  // Walks one document that starts at `first_line` of the file (marks count from the piece
  // YAML::Load read); false when a bound stopped the walk (out_.error says which).
  bool document(const YAML::Node& root, uint32_t first_line) {
    stack_.clear();
    stack_.push_back({root, -1, 0, 0});
    while (!stack_.empty()) {
      Item item = std::move(stack_.back());
      stack_.pop_back();
      if (item.depth > kConfigMaxDepth) { out_.error = too_deep("YAML"); return false; }
      // Past kConfigMaxKeys keys are dropped, but the walk goes on to the end or the node budget:
      // an alias bomb is refused however many keys it yields first.
      if (item.path >= 0 && out_.keys.size() < kConfigMaxKeys) {
        std::string value = item.node.IsScalar() ? capped(item.node.Scalar(), kConfigMaxValue) : "";
        out_.keys.push_back({path_of(item.path), std::move(value), item.line});
      }
      children_.clear();
      if (item.node.IsMap()) {
        for (auto it = item.node.begin(); it != item.node.end(); ++it) {
          std::string key = it->first.IsScalar() ? capped(it->first.Scalar(), kMaxSegment) : "?";
          segments_.push_back({item.path, std::move(key), false});
          children_.push_back({it->second, static_cast<int32_t>(segments_.size() - 1),
                               first_line + static_cast<uint32_t>(std::max(it->first.Mark().line, 0)), item.depth + 1});
          if (!count_visit()) return false;
        }
      } else if (item.node.IsSequence()) {
        segments_.push_back({item.path, "", true});
        int32_t segment = static_cast<int32_t>(segments_.size() - 1);
        for (auto it = item.node.begin(); it != item.node.end(); ++it) {
          children_.push_back({*it, segment, first_line + static_cast<uint32_t>(std::max(it->Mark().line, 0)), item.depth + 1});
          if (!count_visit()) return false;
        }
      }
      for (auto it = children_.rbegin(); it != children_.rend(); ++it) stack_.push_back(std::move(*it));  // in order
    }
    return true;
  }

 private:
  struct Item {
    YAML::Node node;
    int32_t path;  // index in segments_, -1 for a document's root
    uint32_t line;
    size_t depth;
  };
  struct Segment {
    int32_t parent;
    std::string key;
    bool item;
  };

  bool count_visit() {
    if (++visits_ <= kConfigMaxNodes) return true;
    out_.error = nodes_exceeded("YAML");
    return false;
  }

  std::string path_of(int32_t index) const {
    std::vector<const Segment*> chain;
    for (; index >= 0; index = segments_[index].parent) chain.push_back(&segments_[index]);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend() && out.size() < kMaxPath; ++it) out = child_path(out, (*it)->key, (*it)->item);
    return out;
  }

  ConfigRead& out_;
  std::vector<Item> stack_, children_;
  std::vector<Segment> segments_;  // at most kConfigMaxNodes + lists: bounded by the visits
  size_t visits_ = 0;
};

// --- JSON: nlohmann's SAX parser is iterative and builds nothing; an iterator that counts the
// newlines it reads gives each key its line.
struct LineCounter {
  uint32_t lines = 0;
  char last = 0;
};

struct CountingIterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* at = nullptr;
  LineCounter* counter = nullptr;
  reference operator*() const { return *at; }
  CountingIterator& operator++() {
    if (*at == '\n') ++counter->lines;
    counter->last = *at;
    ++at;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at == other.at; }
  bool operator!=(const CountingIterator& other) const { return at != other.at; }
};

class JsonKeys : public nlohmann::json_sax<nlohmann::json> {
 public:
  JsonKeys(ConfigRead& out, const LineCounter& counter) : out_(out), counter_(counter) {}

  bool null() override { return scalar("", counter_.lines); }
  bool boolean(bool value) override { return scalar(value ? "true" : "false", counter_.lines); }
  // A number is read one character past its end: that character may be the newline after it
  // (number_line() does not count it).
  bool number_integer(number_integer_t value) override { return scalar(std::to_string(value), number_line()); }
  bool number_unsigned(number_unsigned_t value) override { return scalar(std::to_string(value), number_line()); }
  bool number_float(number_float_t, const string_t& text) override { return scalar(text, number_line()); }
  bool string(string_t& value) override { return scalar(value, counter_.lines); }
  bool binary(binary_t&) override { return scalar("", counter_.lines); }
  bool start_object(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_array() override { return close(); }
  bool key(string_t& key) override {
    if (!count_visit()) return false;
    key_path_ = child_path(frames_.empty() ? "" : frames_.back().path, key, false);
    key_line_ = counter_.lines;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    std::string message = e.what();
    if (size_t colon = message.find(": "); colon != std::string::npos) message.erase(0, colon + 2);
    // The lexer stops one character past a bad token, which may be the newline after it.
    out_.error = "invalid JSON at line " + std::to_string(number_line() + 1) + ": " + message;
    return false;
  }

 private:
  struct Frame {
    std::string path;
    bool array;
  };

  uint32_t number_line() const { return counter_.lines - (counter_.last == '\n' && counter_.lines > 0 ? 1 : 0); }

  bool count_visit() {
    if (++visits_ <= kConfigMaxNodes) return true;
    out_.error = nodes_exceeded("JSON");
    return false;
  }

  // The path and line of the value being read: the pending key's in an object, "[]" in a list.
  std::pair<std::string, uint32_t> here(uint32_t line) const {
    if (frames_.back().array) return {child_path(frames_.back().path, "", true), line};
    return {key_path_, key_line_};
  }

  void emit(std::string path, std::string_view value, uint32_t line) {
    if (out_.keys.size() < kConfigMaxKeys) out_.keys.push_back({std::move(path), capped(value, kConfigMaxValue), line});
  }

  bool scalar(std::string_view value, uint32_t line) {
    if (!count_visit()) return false;
    if (frames_.empty()) return true;  // a document that is one scalar has no keys
    auto [path, at] = here(line);
    emit(std::move(path), value, at);
    return true;
  }

  bool open(bool array) {
    if (!count_visit()) return false;
    if (frames_.size() >= kConfigMaxDepth) { out_.error = too_deep("JSON"); return false; }
    std::string path;
    if (!frames_.empty()) {
      auto [p, at] = here(counter_.lines);
      emit(p, "", at);
      path = std::move(p);
    }
    frames_.push_back({std::move(path), array});
    return true;
  }

  bool close() {
    if (!frames_.empty()) frames_.pop_back();
    return true;
  }

  ConfigRead& out_;
  const LineCounter& counter_;
  std::vector<Frame> frames_;
  std::string key_path_;
  uint32_t key_line_ = 0;
  size_t visits_ = 0;
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

ConfigRead read_yaml_config(std::string_view text) {
  ConfigRead out;
  try {
    // Not YAML::LoadAll: it can loop forever (analyzers/yaml_documents.hpp).
    YamlWalk walk(out);
    for (const auto& piece : split_yaml_documents(text)) {
      YAML::Node document;
      try {
        document = YAML::Load(std::string(piece.text));
      } catch (YAML::ParserException& e) {
        e.mark.line += static_cast<int>(piece.first_line);  // the error's line in the file
        throw;
      }
      if (!walk.document(document, piece.first_line)) break;
    }
  } catch (const YAML::DeepRecursion&) {
    out.error = too_deep("YAML");
  } catch (const YAML::ParserException& e) {
    // Helm charts' templates/*.yaml (and other Go templates) are YAML only once rendered.
    if (text.find("{{") != std::string_view::npos) {
      out.template_text = true;
      out.error = "a Go/Helm template ({{ ... }}): YAML only once rendered";
    } else {
      out.error = "invalid YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg;
      out.error_line = e.mark.line > 0 ? static_cast<uint32_t>(e.mark.line) : 0;
    }
  } catch (const std::exception& e) {
    out.error = std::string("YAML could not be read: ") + e.what();
  }
  if (!out.error.empty()) out.keys.clear();
  return out;
}

ConfigRead read_json_config(std::string_view text) {
  ConfigRead out;
  if (json_nesting_depth(text, kConfigMaxDepth) > kConfigMaxDepth) {
    out.error = too_deep("JSON");
    return out;
  }
  try {
    LineCounter counter;
    JsonKeys keys(out, counter);
    CountingIterator first{text.data(), &counter}, last{text.data() + text.size(), &counter};
    bool ok = nlohmann::json::sax_parse(first, last, &keys, nlohmann::json::input_format_t::json, true,
                                        /*ignore_comments=*/true);
    if (!ok && out.error.empty()) out.error = "invalid JSON";
  } catch (const std::exception& e) {
    out.error = std::string("JSON could not be read: ") + e.what();
  }
  if (!out.error.empty()) out.keys.clear();
  return out;
}

bool is_json_config_path(std::string_view path) { return ends_with(path, ".json"); }

}  // namespace mlaudit
