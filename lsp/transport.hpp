// JSON-RPC framing over a byte stream: `Content-Length: N\r\n\r\n<body>`. The reader is a pure
// state machine fed with whatever read() returned, so split reads, several messages in one
// read and garbage between frames are all handled the same way, and it can be unit-tested
// without a process.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/json_depth.hpp"

namespace mlaudit::lsp {

inline constexpr size_t kMaxContentLength = 64 * 1024 * 1024;  // larger claims are refused

// One event out of the byte stream: a body, or a framing error to report as JSON-RPC error.
struct Frame {
  std::string body;          // set when !error
  std::optional<std::string> error;  // what was wrong with the frame (body is empty then)
};

class FrameReader {
 public:
  void append(const char* data, size_t size);
  // The next complete frame (or framing error), or nullopt until more bytes arrive.
  std::optional<Frame> next();
  // append() then every next() frame: for tests and simple callers.
  std::vector<Frame> feed(const char* data, size_t size);
  size_t buffered() const { return buffer_.size() - start_; }
  // Puts bytes back in front of the unread input. The server uses it when a body that is not
  // JSON holds the next frame's header: a Content-Length that was too long swallowed it.
  void unread(std::string_view bytes);

 private:
  bool resync();  // drops bytes up to the next "Content-Length" header; false if none yet
  std::string buffer_;
  size_t start_ = 0;               // consumed prefix of buffer_
  bool skipped_ = false;           // bytes outside any frame were dropped and not yet reported
};

// Position of the next "Content-Length:" header (any case) at or after `from`, or npos.
size_t find_frame_header(std::string_view text, size_t from);

// Deepest nesting of arrays/objects in a JSON text (support/json_depth.hpp): deeply nested
// values would recurse in the JSON library.
using mlaudit::json_nesting_depth;

// A complete frame for `body`.
std::string frame(const std::string& body);

}  // namespace mlaudit::lsp
