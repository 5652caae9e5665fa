#include "analyzers/artifacts/byte_source.hpp"

#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

#include "support/open_regular.hpp"

namespace mlaudit::artifacts {

std::string human_bytes(uint64_t bytes) {
  char text[32];
  double value = static_cast<double>(bytes);
  if (bytes >= (1ull << 30)) std::snprintf(text, sizeof text, "%.1f GiB", value / (1ull << 30));
  else if (bytes >= (1ull << 20)) std::snprintf(text, sizeof text, "%.1f MiB", value / (1ull << 20));
  else if (bytes >= 1024) std::snprintf(text, sizeof text, "%.1f KiB", value / 1024);
  else std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  return text;
}

bool ByteSource::skip(uint64_t n) {
  uint8_t scratch[16 * 1024];
  while (n > 0) {
    size_t got = read(scratch, static_cast<size_t>(std::min<uint64_t>(n, sizeof scratch)));
    if (got == 0) return false;
    n -= got;
  }
  return true;
}

FileSource::FileSource(const std::string& path, uint64_t max_bytes) : max_bytes_(max_bytes) {
  // Never fopen: a path that became a FIFO since the crawl would block it forever.
  int fd = open_regular_file(path, error_);
  if (fd < 0) return;
  file_ = ::fdopen(fd, "rb");
  if (!file_) {
    error_ = std::strerror(errno);
    ::close(fd);
    return;
  }
  struct stat st {};
  if (fstat(fileno(file_), &st) == 0) size_ = static_cast<uint64_t>(st.st_size);
}

FileSource::~FileSource() {
  if (file_) std::fclose(file_);
}

size_t FileSource::read(uint8_t* buffer, size_t n) {
  if (!file_) return 0;
  if (consumed_ >= max_bytes_) {
    error_ = "stopped at the " + human_bytes(max_bytes_) + " artifact size cap";
    return 0;
  }
  n = static_cast<size_t>(std::min<uint64_t>(n, max_bytes_ - consumed_));
  size_t got = std::fread(buffer, 1, n, file_);
  if (got == 0 && std::ferror(file_)) error_ = "read error";
  consumed_ += got;
  return got;
}

bool FileSource::skip(uint64_t n) {
  if (!file_) return false;
  if (n > max_bytes_ - std::min(consumed_, max_bytes_)) {
    error_ = "stopped at the " + human_bytes(max_bytes_) + " artifact size cap";
    return false;
  }
  if (n > size_ - std::min(consumed_, size_)) return false;  // the data is not there: truncated
  if (fseeko(file_, static_cast<off_t>(n), SEEK_CUR) != 0) return ByteSource::skip(n);
  consumed_ += n;
  return true;
}

InflateSource::InflateSource(ByteSource& compressed, uint64_t max_bytes) : in_(compressed), max_bytes_(max_bytes) {
  // 32 + MAX_WBITS: accept both zlib and gzip headers.
  initialised_ = inflateInit2(&z_, 32 + MAX_WBITS) == Z_OK;
  if (!initialised_) error_ = "zlib: cannot initialise";
}

InflateSource::~InflateSource() {
  if (initialised_) inflateEnd(&z_);
}

size_t InflateSource::read(uint8_t* buffer, size_t n) {
  if (!initialised_ || finished_) return 0;
  if (produced_ >= max_bytes_) {
    error_ = "stopped at the " + human_bytes(max_bytes_) + " decompressed size cap";
    return 0;
  }
  n = static_cast<size_t>(std::min<uint64_t>(n, max_bytes_ - produced_));
  z_.next_out = buffer;
  z_.avail_out = static_cast<uInt>(n);
  while (z_.avail_out > 0) {
    if (z_.avail_in == 0) {
      size_t got = in_.read(input_, sizeof input_);
      if (got == 0) {
        error_ = in_.error().empty() ? "compressed stream ends early" : in_.error();
        break;
      }
      z_.next_in = input_;
      z_.avail_in = static_cast<uInt>(got);
    }
    int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      finished_ = true;
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      error_ = std::string("zlib: ") + (z_.msg ? z_.msg : "invalid data");
      finished_ = true;
      break;
    }
  }
  size_t out = n - z_.avail_out;
  produced_ += out;
  return out;
}

size_t ZipEntrySource::read(uint8_t* buffer, size_t n) {
  if (produced_ >= max_bytes_) {
    error_ = "stopped at the " + human_bytes(max_bytes_) + " decompressed size cap";
    return 0;
  }
  n = static_cast<size_t>(std::min<uint64_t>(n, max_bytes_ - produced_));
  zip_int64_t got = zip_fread(file_, buffer, n);
  if (got < 0) {
    const char* why = zip_error_strerror(zip_file_get_error(file_));
    error_ = std::string("zip: ") + (why ? why : "read error");
    return 0;
  }
  produced_ += static_cast<uint64_t>(got);
  return static_cast<size_t>(got);
}

}  // namespace mlaudit::artifacts
