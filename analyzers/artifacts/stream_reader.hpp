// The pickle scanner's view of a ByteSource: byte, length-prefixed and newline-terminated
// reads with stream offsets, through one 64 KiB buffer. Skips go to the source (a file seeks).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "analyzers/artifacts/byte_source.hpp"

namespace mlaudit::artifacts {

// Buffered reads with byte offsets: at most one 64 KiB buffer of the stream is in memory.
class StreamReader {
 public:
  explicit StreamReader(ByteSource& source) : source_(source) {}

  uint64_t offset() const { return base_ + pos_; }
  int peek() {
    if (pos_ == len_ && !fill()) return -1;
    return buffer_[pos_];
  }
  bool byte(uint8_t& out) {
    if (pos_ == len_ && !fill()) return false;
    out = buffer_[pos_++];
    return true;
  }
  // `n` bytes; the first `keep` of them into `out` (when given).
  bool bytes(uint64_t n, std::string* out, size_t keep) {
    if (out) out->clear();
    if (!out || n > keep) return skip(n);
    while (n > 0) {
      if (pos_ == len_ && !fill()) return false;
      size_t take = static_cast<size_t>(std::min<uint64_t>(n, len_ - pos_));
      out->append(reinterpret_cast<const char*>(buffer_.data() + pos_), take);
      pos_ += take;
      n -= take;
    }
    return true;
  }
  bool skip(uint64_t n) {
    size_t take = static_cast<size_t>(std::min<uint64_t>(n, len_ - pos_));
    pos_ += take;
    n -= take;
    if (n == 0) return true;
    base_ += len_;
    pos_ = len_ = 0;
    if (!source_.skip(n)) return false;
    base_ += n;
    return true;
  }
  // Up to '\n' (not kept); keeps the first `keep` bytes, `whole` says whether that was all of it.
  bool line(std::string& out, size_t keep, bool& whole) {
    out.clear();
    whole = true;
    for (;;) {
      if (pos_ == len_ && !fill()) return false;
      const uint8_t* start = buffer_.data() + pos_;
      const uint8_t* nl = static_cast<const uint8_t*>(std::memchr(start, '\n', len_ - pos_));
      size_t take = nl ? static_cast<size_t>(nl - start) : len_ - pos_;
      size_t room = keep > out.size() ? keep - out.size() : 0;
      if (take > room) whole = false;
      out.append(reinterpret_cast<const char*>(start), std::min(take, room));
      pos_ += take;
      if (nl) {
        ++pos_;
        return true;
      }
    }
  }
  template <typename T>
  bool little_endian(T& out, size_t width) {
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) {
      uint8_t b;
      if (!byte(b)) return false;
      v |= static_cast<uint64_t>(b) << (8 * i);
    }
    out = static_cast<T>(v);
    return true;
  }

 private:
  bool fill() {
    base_ += len_;
    pos_ = 0;
    len_ = source_.read(buffer_.data(), buffer_.size());
    return len_ > 0;
  }
  ByteSource& source_;
  std::vector<uint8_t> buffer_ = std::vector<uint8_t>(64 * 1024);
  size_t pos_ = 0, len_ = 0;
  uint64_t base_ = 0;  // stream offset of buffer_[0]
};

}  // namespace mlaudit::artifacts
