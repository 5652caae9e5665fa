// Bounded, streamed byte sources for model artifacts: a file, a zlib/gzip stream over another
// source, one ZIP entry. Each stops at its own cap and says why, so a 2 GiB checkpoint or a zip
// bomb costs a bounded buffer and a bounded number of bytes, never the whole file in memory.
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <zlib.h>

struct zip_file;

namespace mlaudit::artifacts {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `n` bytes into `buffer`; 0 at the end, at the cap or on an error (error() says which).
  virtual size_t read(uint8_t* buffer, size_t n) = 0;
  // Discards `n` bytes; false when fewer were there. Sources that can seek override it.
  virtual bool skip(uint64_t n);
  // Why the last read returned 0 early ("" at a clean end of data).
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

// A file read front to back, at most `max_bytes` of it.
class FileSource : public ByteSource {
 public:
  FileSource(const std::string& path, uint64_t max_bytes);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  bool ok() const { return file_ != nullptr; }
  size_t read(uint8_t* buffer, size_t n) override;
  bool skip(uint64_t n) override;  // seeks: a joblib array's data is never read

 private:
  std::FILE* file_ = nullptr;
  uint64_t consumed_ = 0, size_ = 0, max_bytes_;
};

// The decompressed bytes of a zlib or gzip stream (auto-detected), at most `max_bytes`.
class InflateSource : public ByteSource {
 public:
  InflateSource(ByteSource& compressed, uint64_t max_bytes);
  ~InflateSource() override;
  InflateSource(const InflateSource&) = delete;
  InflateSource& operator=(const InflateSource&) = delete;
  size_t read(uint8_t* buffer, size_t n) override;

 private:
  ByteSource& in_;
  z_stream z_{};
  bool initialised_ = false, finished_ = false;
  uint64_t produced_ = 0, max_bytes_;
  uint8_t input_[64 * 1024];
};

// One ZIP entry opened with libzip, decompressed as it is read, at most `max_bytes`.
class ZipEntrySource : public ByteSource {
 public:
  ZipEntrySource(zip_file* file, uint64_t max_bytes) : file_(file), max_bytes_(max_bytes) {}
  size_t read(uint8_t* buffer, size_t n) override;

 private:
  zip_file* file_;
  uint64_t produced_ = 0, max_bytes_;
};

// "256.0 MiB", for reasons and notes.
std::string human_bytes(uint64_t bytes);

}  // namespace mlaudit::artifacts
