#include "analyzers/infra/hcl_blocks.hpp"

#include <cctype>

namespace mlaudit::infra {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// `resource "aws_x" "main"` -> {resource, aws_x, main}; `tags =` -> {tags, =}.
std::vector<std::string> header_words(std::string_view header) {
  std::vector<std::string> words;
  std::string word;
  for (char c : header) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '=') {
      if (!word.empty()) words.push_back(std::move(word)), word.clear();
      if (c == '=') words.emplace_back("=");
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

class Scanner {
 public:
  Scanner(std::string_view text, HclVisitor& visitor) : text_(text), visitor_(visitor) {}

  std::vector<HclError> run() {
    while (at_ < text_.size()) {
      if (!contexts_.empty()) string_or_template();
      else code();
    }
    if (!contexts_.empty()) error("unterminated string", string_line_);
    else statement_end();
    for (const auto& open : path_) error("block opened here is never closed (missing '}')", open.line);
    return std::move(errors_);
  }

 private:
  enum class Context { String, Template };
  struct Frame {
    Context context;
    int braces = 0;  // open '{' inside a template
  };

  void error(std::string message, uint32_t line) { errors_.push_back({std::move(message), line}); }

  void newline() {
    ++line_;
    ++at_;
  }

  // Outside any string: statements, blocks, comments, heredocs.
  void code() {
    char c = text_[at_];
    if (c == '\n') {
      statement_end();
      return newline();
    }
    if (c == '#' || (c == '/' && next() == '/')) return skip_to_line_end();
    if (c == '/' && next() == '*') return block_comment();
    if (c == '<' && next() == '<' && heredoc()) return;
    if (c == '"') {
      contexts_.push_back({Context::String});
      string_line_ = line_;
      statement_ += c;
      ++at_;
      return;
    }
    if (c == '{') {
      HclBlock block{header_words(trim(statement_)), line_};
      statement_.clear();
      path_.push_back(std::move(block));
      visitor_.block(path_);
      ++at_;
      return;
    }
    if (c == '}') {
      statement_end();
      if (path_.empty()) error("'}' without a matching '{'", line_);
      else path_.pop_back();
      ++at_;
      return;
    }
    statement_ += c;
    ++at_;
  }

  // Inside a string or a `${...}` template; templates hold code with strings of their own.
  void string_or_template() {
    char c = text_[at_];
    Frame& top = contexts_.back();
    statement_ += c == '\n' ? ' ' : c;
    if (top.context == Context::String) {
      if (c == '\n') {  // HCL quoted strings end on their line
        error("unterminated string", string_line_);
        contexts_.clear();
        statement_.clear();
        return newline();
      }
      if (c == '\\' && at_ + 1 < text_.size() && text_[at_ + 1] != '\n') {
        statement_ += text_[at_ + 1];
        at_ += 2;
        return;
      }
      if (c == '"') contexts_.pop_back();
      else if ((c == '$' || c == '%') && next() == '{') {
        statement_ += '{';
        contexts_.push_back({Context::Template, 1});
        at_ += 2;
        return;
      }
      ++at_;
      return;
    }
    if (c == '"') contexts_.push_back({Context::String});
    else if (c == '{') ++top.braces;
    else if (c == '}' && --top.braces == 0) contexts_.pop_back();
    if (c == '\n') return newline();
    ++at_;
  }

  char next() const { return at_ + 1 < text_.size() ? text_[at_ + 1] : '\0'; }

  void skip_to_line_end() {
    while (at_ < text_.size() && text_[at_] != '\n') ++at_;
  }

  void block_comment() {
    uint32_t start = line_;
    at_ += 2;
    while (at_ < text_.size() && !(text_[at_] == '*' && next() == '/')) {
      if (text_[at_] == '\n') ++line_;
      ++at_;
    }
    if (at_ >= text_.size()) return error("unterminated /* comment", start);
    at_ += 2;
  }

  // `<<EOF` / `<<-EOF` up to the line holding only the marker; false when this is no heredoc.
  bool heredoc() {
    size_t p = at_ + 2;
    if (p < text_.size() && text_[p] == '-') ++p;
    size_t name_start = p;
    while (p < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[p])) || text_[p] == '_')) ++p;
    if (p == name_start) return false;
    std::string_view marker = text_.substr(name_start, p - name_start);
    size_t eol = text_.find('\n', p);
    if (eol == std::string_view::npos || !trim(text_.substr(p, eol - p)).empty()) return false;
    statement_ += "<<heredoc";
    uint32_t start = line_;
    at_ = eol;
    while (at_ < text_.size()) {
      newline();  // at_ was on a '\n'
      size_t end = text_.find('\n', at_);
      std::string_view content = text_.substr(at_, end == std::string_view::npos ? std::string_view::npos : end - at_);
      if (trim(content) == marker) {
        at_ = end == std::string_view::npos ? text_.size() : end;
        return true;
      }
      if (end == std::string_view::npos) break;
      at_ = end;
    }
    error("heredoc <<" + std::string(marker) + " is never closed", start);
    at_ = text_.size();
    return true;
  }

  // A statement ended (newline or '}'): `name = value` is an attribute of the innermost block.
  void statement_end() {
    std::string_view s = trim(statement_);
    size_t eq = s.find('=');
    if (eq != std::string_view::npos && eq > 0 && s.substr(eq, 2) != "==") {
      std::string_view name = trim(s.substr(0, eq));
      bool identifier = !name.empty();
      for (char c : name) identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '"');
      if (identifier) visitor_.attribute(path_, {hcl_unquote(name), std::string(trim(s.substr(eq + 1))), line_});
    }
    statement_.clear();
  }

  std::string_view text_;
  HclVisitor& visitor_;
  size_t at_ = 0;
  uint32_t line_ = 0, string_line_ = 0;
  std::string statement_;
  std::vector<Frame> contexts_;
  std::vector<HclBlock> path_;
  std::vector<HclError> errors_;
};

}  // namespace

std::vector<HclError> scan_hcl(std::string_view text, HclVisitor& visitor) { return Scanner(text, visitor).run(); }

std::string hcl_unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return std::string(value);
}

}  // namespace mlaudit::infra
