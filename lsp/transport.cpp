#include "lsp/transport.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace mlaudit::lsp {
namespace {

constexpr std::string_view kLengthHeader = "content-length:";

bool iequals_prefix(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower_prefix[i]) return false;
  return true;
}

// Position of the next "Content-Length:" (any case) at or after `from`, or npos.
size_t find_length_header(std::string_view text, size_t from) {
  for (size_t i = from; i + kLengthHeader.size() <= text.size(); ++i) {
    if ((text[i] == 'C' || text[i] == 'c') && iequals_prefix(text.substr(i), kLengthHeader)) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string frame(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

bool FrameReader::resync() {
  std::string_view view(buffer_);
  size_t at = find_length_header(view, start_);
  if (at == std::string_view::npos) {
    // Keep a tail that may be the beginning of a header split across reads.
    size_t keep = std::min(buffered(), kLengthHeader.size() - 1);
    start_ = buffer_.size() - keep;
    return false;
  }
  start_ = at;
  return true;
}

void FrameReader::append(const char* data, size_t size) {
  if (size > 0) buffer_.append(data, size);
}

std::vector<Frame> FrameReader::feed(const char* data, size_t size) {
  append(data, size);
  std::vector<Frame> out;
  while (auto f = next()) out.push_back(std::move(*f));
  return out;
}

std::optional<Frame> FrameReader::next() {
  std::optional<Frame> out;
  while (!out) {
    std::string_view view(buffer_);
    view.remove_prefix(start_);
    if (view.empty()) break;
    size_t probe = std::min<size_t>(view.size(), 8);
    if (!iequals_prefix(view.substr(0, probe), std::string_view("content-").substr(0, probe))) {
      size_t garbage_start = start_;
      bool found = resync();
      if (start_ > garbage_start) skipped_ = true;
      if (!found) break;
      continue;
    }
    size_t header_end = view.find("\r\n\r\n");
    if (header_end == std::string_view::npos) {
      if (view.size() > 8192) {  // no header block is this long: resynchronise
        out = Frame{"", "header block too long"};
        skipped_ = false;
        start_ += 1;
        resync();
      }
      break;
    }
    if (skipped_) {  // reported once per run of garbage, however many reads it was dropped over
      skipped_ = false;
      out = Frame{"", "bytes outside any frame were skipped"};
      break;
    }
    std::string_view headers = view.substr(0, header_end);
    std::optional<size_t> length;
    bool bad_length = false;
    for (size_t line_start = 0; line_start <= headers.size();) {
      size_t line_end = headers.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      std::string_view line = headers.substr(line_start, line_end - line_start);
      if (iequals_prefix(line, kLengthHeader)) {
        std::string_view value = line.substr(kLengthHeader.size());
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
        size_t n = 0;
        bool digits = !value.empty() && value.size() <= 12;
        for (char c : value) {
          if (!std::isdigit(static_cast<unsigned char>(c))) { digits = false; break; }
          n = n * 10 + static_cast<size_t>(c - '0');
        }
        if (digits) length = n; else bad_length = true;
      }
      line_start = line_end + 2;
    }
    size_t body_start = start_ + header_end + 4;
    if (!length) {
      out = Frame{"", bad_length ? "invalid Content-Length header" : "frame without Content-Length header"};
      start_ = body_start;
      break;
    }
    if (*length > kMaxContentLength) {
      // Refused without allocating it: the bytes that follow are dropped up to the next header.
      out = Frame{"", "Content-Length " + std::to_string(*length) + " exceeds the " +
                          std::to_string(kMaxContentLength) + "-byte limit"};
      start_ = body_start;
      resync();
      break;
    }
    if (buffer_.size() - body_start < *length) break;  // wait for the rest of the body
    out = Frame{buffer_.substr(body_start, *length), std::nullopt};
    start_ = body_start + *length;
  }
  if (start_ > 0 && (start_ >= buffer_.size() || start_ > 65536)) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  return out;
}

void FrameReader::unread(std::string_view bytes) {
  buffer_.insert(start_, bytes);
}

size_t find_frame_header(std::string_view text, size_t from) { return find_length_header(text, from); }

}  // namespace mlaudit::lsp
