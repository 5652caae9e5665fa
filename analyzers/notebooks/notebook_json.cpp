#include "analyzers/notebooks/notebook_json.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "support/json_depth.hpp"

namespace mlaudit::notebooks {
namespace {

using json = nlohmann::json;

// nbformat nests a handful of levels; output data and metadata may nest deeper, but not this
// deep. nlohmann destroys values recursively, so deeper texts are refused before parsing.
constexpr size_t kMaxNesting = 256;

// A char iterator that tells how far nlohmann's lexer has read, so the SAX pass below knows
// where each string it is handed ends in the file.
class TrackingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  TrackingIterator(const char* at, const char* base, size_t* consumed) : at_(at), base_(base), consumed_(consumed) {}
  reference operator*() const { return *at_; }
  TrackingIterator& operator++() {
    ++at_;
    *consumed_ = static_cast<size_t>(at_ - base_);
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const TrackingIterator& other) const { return at_ == other.at_; }
  bool operator!=(const TrackingIterator& other) const { return at_ != other.at_; }

 private:
  const char* at_;
  const char* base_;
  size_t* consumed_;
};

// Records where every string value under "cells" starts (after its opening quote), keyed by
// its path ("cells\x1f3\x1fsource\x1f0"). When a string event arrives the lexer has just read
// the closing quote; the opening one is the nearest '"' before it not escaped by a backslash.
class StringPositions : public nlohmann::json_sax<json> {
 public:
  StringPositions(std::string_view text, const size_t* consumed) : text_(text), consumed_(consumed) {}
  std::map<std::string, uint32_t> positions;
  std::string error;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool string(string_t&) override {
    if (frames_.size() > 1 && under_cells()) {
      size_t close = *consumed_ - 1;
      size_t open = close;
      while (open > 0) {
        --open;
        if (text_[open] != '"') continue;
        size_t slashes = 0;
        while (open >= slashes + 1 && text_[open - slashes - 1] == '\\') ++slashes;
        if (slashes % 2 == 0) break;
      }
      positions[path()] = static_cast<uint32_t>(open + 1);
    }
    return value();
  }
  bool start_object(std::size_t) override {
    frames_.push_back({false, 0, ""});
    return true;
  }
  bool key(string_t& k) override {
    frames_.back().key = k;
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return value();
  }
  bool start_array(std::size_t) override {
    frames_.push_back({true, 0, ""});
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return value();
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    std::string what = e.what();
    size_t colon = what.find(": ", what.find("parse error"));  // drop "[json.exception.parse_error.101] parse error at line 1, column 2"
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    size_t line = 1 + static_cast<size_t>(std::count(text_.begin(), text_.begin() + std::min(position, text_.size()), '\n'));
    error = "not valid JSON (line " + std::to_string(line) + "): " + detail;
    return false;
  }

 private:
  struct Frame {
    bool array;
    size_t index;
    std::string key;
  };
  // A value ended: the enclosing array moves to its next index.
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool under_cells() const { return !frames_[0].array && frames_[0].key == "cells"; }
  std::string path() const {
    std::string out;
    for (const auto& f : frames_) {
      if (!out.empty()) out += '\x1f';
      out += f.array ? std::to_string(f.index) : f.key;
    }
    return out;
  }
  std::string_view text_;
  const size_t* consumed_;
  std::vector<Frame> frames_;
};

struct Reader {
  std::string_view text;
  const std::map<std::string, uint32_t>& positions;
  std::string error;

  // A string or a list of strings at `path`, joined; false (and `error`) for anything else.
  bool joined(const json& value, const std::string& path, const std::string& where, JoinedText& out) {
    auto position = [&](const std::string& p) {
      auto it = positions.find(p);
      return it == positions.end() ? 0u : it->second;
    };
    if (value.is_string()) {
      out.pieces.push_back({0, position(path)});
      out.text = value.get<std::string>();
      return true;
    }
    if (!value.is_array()) return fail(where + " must be a string or a list of strings");
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) return fail(where + " must be a string or a list of strings");
      out.pieces.push_back({static_cast<uint32_t>(out.text.size()), position(path + '\x1f' + std::to_string(i))});
      out.text += value[i].get_ref<const std::string&>();
    }
    return true;
  }
  bool fail(std::string why) {
    if (error.empty()) error = "not a valid nbformat 4 notebook: " + std::move(why);
    return false;
  }

  bool outputs(const json& cell, const std::string& path, const std::string& where, Cell& out) {
    auto it = cell.find("outputs");
    if (it == cell.end()) return true;
    if (!it->is_array()) return fail(where + ".outputs must be a list");
    out.has_outputs = !it->empty();
    for (size_t k = 0; k < it->size(); ++k) {
      const json& output = (*it)[k];
      std::string opath = path + "\x1foutputs\x1f" + std::to_string(k);
      std::string owhere = where + ".outputs[" + std::to_string(k) + "]";
      if (!output.is_object() || !output.contains("output_type") || !output["output_type"].is_string())
        return fail(owhere + " must be an object with an output_type");
      const std::string& type = output["output_type"].get_ref<const std::string&>();
      auto add = [&](const json& value, const std::string& key_path, const std::string& key_where) {
        JoinedText text;
        if (!joined(value, key_path, key_where, text)) return false;
        out.outputs.push_back(std::move(text));
        return true;
      };
      if (type == "stream" && output.contains("text")) {
        if (!add(output["text"], opath + "\x1ftext", owhere + ".text")) return false;
      } else if ((type == "execute_result" || type == "display_data") && output.contains("data")) {
        const json& data = output["data"];
        if (!data.is_object()) return fail(owhere + ".data must be an object");
        for (const char* mime : {"text/plain", "text/html"})
          if (data.contains(mime) && !add(data[mime], opath + "\x1f" "data\x1f" + mime, owhere + ".data[" + mime + "]"))
            return false;
      } else if (type == "error" && output.contains("traceback")) {
        if (!add(output["traceback"], opath + "\x1ftraceback", owhere + ".traceback")) return false;
      }
    }
    return true;
  }

  std::string string_at(const json& root, std::initializer_list<const char*> keys) {
    const json* node = &root;
    for (const char* key : keys) {
      if (!node->is_object() || !node->contains(key)) return "";
      node = &(*node)[key];
    }
    return node->is_string() ? node->get<std::string>() : "";
  }

  Notebook read(const json& root) {
    Notebook nb;
    if (!root.is_object()) { fail("the top level must be an object"); nb.error = error; return nb; }
    auto version = root.find("nbformat");
    if (version == root.end() || !version->is_number_integer()) {
      fail("`nbformat` is missing or not a number");
    } else if (version->get<int64_t>() != 4) {
      error = "nbformat " + std::to_string(version->get<int64_t>()) +
              " notebooks are not supported, only nbformat 4 (convert with `jupyter nbconvert --to notebook`)";
    } else if (!root.contains("cells") || !root["cells"].is_array()) {
      fail("`cells` must be a list");
    }
    if (!error.empty()) { nb.error = error; return nb; }
    nb.language = string_at(root, {"metadata", "language_info", "name"});
    if (nb.language.empty()) nb.language = string_at(root, {"metadata", "kernelspec", "language"});
    const json& cells = root["cells"];
    for (size_t i = 0; i < cells.size(); ++i) {
      const json& cell = cells[i];
      std::string path = "cells\x1f" + std::to_string(i);
      std::string where = "cells[" + std::to_string(i) + "]";
      Cell c;
      c.index = static_cast<uint32_t>(i);
      if (!cell.is_object()) { fail(where + " must be an object"); break; }
      if (!cell.contains("cell_type") || !cell["cell_type"].is_string()) { fail(where + ".cell_type must be a string"); break; }
      c.type = cell["cell_type"].get<std::string>();
      if (!cell.contains("source")) { fail(where + ".source is missing"); break; }
      if (!joined(cell["source"], path + "\x1fsource", where + ".source", c.source)) break;
      c.language = string_at(cell, {"metadata", "vscode", "languageId"});
      if (c.type == "code" && !outputs(cell, path, where, c)) break;
      nb.cells.push_back(std::move(c));
    }
    if (!error.empty()) {
      nb.cells.clear();
      nb.error = error;
    }
    return nb;
  }
};

}  // namespace

size_t advance_in_json_string(std::string_view json, size_t raw, size_t decoded) {
  auto hex4 = [&](size_t at) -> long {
    if (at + 4 > json.size()) return -1;
    long value = 0;
    for (size_t i = at; i < at + 4; ++i) {
      char c = json[i];
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    return value;
  };
  while (decoded > 0 && raw < json.size() && json[raw] != '"') {
    if (json[raw] != '\\' || raw + 1 >= json.size()) {
      ++raw;
      --decoded;
      continue;
    }
    if (json[raw + 1] != 'u') {
      raw += 2;
      --decoded;
      continue;
    }
    long cp = hex4(raw + 2);
    size_t length = 6;
    if (cp >= 0xD800 && cp <= 0xDBFF && json.substr(raw + 6, 2) == "\\u") {
      long low = hex4(raw + 8);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        length = 12;
      }
    }
    size_t bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    raw = std::min(raw + length, json.size());
    decoded -= std::min(decoded, bytes);
  }
  return raw;
}

uint32_t JoinedText::json_offset_of(std::string_view json, size_t offset) const {
  if (pieces.empty()) return 0;
  auto it = std::upper_bound(pieces.begin(), pieces.end(), offset, [](size_t o, const Piece& p) { return o < p.start; });
  const Piece& piece = it == pieces.begin() ? pieces.front() : *(it - 1);
  if (piece.json_offset == 0) return 0;
  return static_cast<uint32_t>(advance_in_json_string(json, piece.json_offset, offset - piece.start));
}

Notebook read_notebook(std::string_view text) {
  Notebook nb;
  if (json_nesting_depth(text, kMaxNesting) > kMaxNesting) {
    nb.error = "not a valid nbformat 4 notebook: the JSON nests deeper than " + std::to_string(kMaxNesting) + " levels";
    return nb;
  }
  size_t consumed = 0;
  StringPositions sax(text, &consumed);
  TrackingIterator first(text.data(), text.data(), &consumed), last(text.data() + text.size(), text.data(), &consumed);
  if (!json::sax_parse(first, last, &sax, nlohmann::detail::input_format_t::json, true)) {
    nb.error = sax.error.empty() ? "not valid JSON" : sax.error;
    return nb;
  }
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded()) {
    nb.error = "not valid JSON";
    return nb;
  }
  Reader reader{text, sax.positions, ""};
  return reader.read(root);
}

}  // namespace mlaudit::notebooks
