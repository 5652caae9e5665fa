#include "analyzers/artifacts/artifact_analyzer.hpp"

#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

#include "support/open_regular.hpp"

namespace mlaudit::artifacts {
namespace {

std::string lower_extension(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// Names whose files may hold pickles (.bin: Hugging Face's pytorch_model.bin).
bool pickle_extension(const std::string& ext) {
  static const std::array<std::string_view, 8> names = {"pkl", "pickle", "joblib", "pt", "pth", "ckpt", "bin", "dill"};
  return std::find(names.begin(), names.end(), ext) != names.end();
}

// Names of formats that hold no code, checked by content before they count.
bool safe_extension(const std::string& ext) { return ext == "safetensors" || ext == "onnx" || ext == "gguf"; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

bool identifier_path(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
}

void merge(facts::ArtifactFacts& out, PickleScan& scan, const std::string& stream) {
  for (auto& g : scan.globals) out.globals.push_back(std::move(g));
  if (!scan.error.empty()) out.notes.push_back((stream.empty() ? "" : stream + ": ") + scan.error);
}

// The compressor a joblib file (or any compressed pickle) starts with, "" when none.
std::string compressor(const std::string& magic) {
  auto byte = [&](size_t i) { return i < magic.size() ? static_cast<uint8_t>(magic[i]) : 0; };
  if (byte(0) == 0x1f && byte(1) == 0x8b) return "gzip";
  if (byte(0) == 0x78 && magic.size() >= 2 && ((byte(0) << 8) | byte(1)) % 31 == 0) return "zlib";
  if (starts_with(magic, "BZh") && byte(3) >= '1' && byte(3) <= '9') return "bz2";
  if (starts_with(magic, std::string_view("\xfd" "7zXZ\0", 6))) return "xz";
  if (starts_with(magic, std::string_view("\x5d\x00\x00", 3))) return "lzma";
  if (starts_with(magic, std::string_view("\x04\x22\x4d\x18", 4))) return "lz4";
  return "";
}

bool valid_safetensors(const std::string& magic, uint64_t size) {
  if (magic.size() < 9 || size < 10) return false;
  uint64_t header = 0;
  for (int i = 0; i < 8; ++i) header |= static_cast<uint64_t>(static_cast<uint8_t>(magic[i])) << (8 * i);
  return header >= 2 && header <= size - 8 && header <= (100ull << 20) && magic[8] == '{';
}

// PyTorch >= 1.6 archives (and other ZIPs named like models): only the `.pkl` entries are
// opened; the decompressed budget is shared by every entry, so a thousand-entry bomb is as
// cheap as a one-entry bomb.
void scan_zip(const std::string& path, const ArtifactLimits& limits, facts::FileFacts& out) {
  out.artifact.format = "zip";
  int code = 0;
  std::string open_error;
  int fd = open_regular_file(path, open_error);  // not zip_open: a FIFO would block it
  if (fd < 0) {
    out.skipped.reason = "unreadable: " + open_error;
    return;
  }
  zip_t* archive = zip_fdopen(fd, ZIP_RDONLY, &code);  // owns fd from here on success
  if (!archive) {
    ::close(fd);
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    out.skipped.reason = std::string("not scanned: unreadable ZIP archive (") + zip_error_strerror(&error) + ")";
    zip_error_fini(&error);
    return;
  }
  zip_int64_t entries = zip_get_num_entries(archive, 0);
  if (entries > static_cast<zip_int64_t>(limits.max_zip_entries)) {
    out.artifact.notes.push_back("only the first " + std::to_string(limits.max_zip_entries) + " of " +
                                 std::to_string(entries) + " ZIP entries were looked at");
    entries = static_cast<zip_int64_t>(limits.max_zip_entries);
  }
  uint64_t budget = limits.max_decompressed_bytes;
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* raw = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
    if (!raw) continue;
    std::string name = raw;
    if (!ends_with(name, ".pkl")) continue;  // tensor data and everything else: never read
    if (name == "data.pkl" || ends_with(name, "/data.pkl")) out.artifact.format = "torch-zip";
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size > budget) {
      out.artifact.notes.push_back(name + ": not scanned: it declares " + human_bytes(st.size) + ", above the " +
                                   human_bytes(limits.max_decompressed_bytes) + " decompressed size cap");
      continue;
    }
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (!file) {
      out.artifact.notes.push_back(name + ": not scanned: " + zip_strerror(archive));
      continue;
    }
    ZipEntrySource source(file, budget);
    PickleScan scan = scan_pickles(source, name, limits.scan);
    zip_fclose(file);
    budget -= std::min(budget, scan.bytes);
    merge(out.artifact, scan, name);
  }
  zip_discard(archive);
}

}  // namespace

bool is_artifact_name(std::string_view file_name) {
  std::string ext = lower_extension(file_name);
  return pickle_extension(ext) || safe_extension(ext);
}

facts::FileFacts analyze_artifact(const std::string& path, const ArtifactLimits& limits) {
  facts::FileFacts out;
  out.path = path;
  out.kind = facts::FileKind::Artifact;
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    out.skipped.reason = "unreadable: " + ec.message();
    return out;
  }
  out.bytes = size;
  if (size > limits.max_file_bytes) {
    out.skipped.reason = "artifact is " + human_bytes(size) + ", above the " + human_bytes(limits.max_file_bytes) + " artifact size cap";
    return out;
  }
  std::string magic;
  {
    FileSource head(path, 16);
    if (!head.ok()) {
      out.skipped.reason = "unreadable: " + head.error();
      return out;
    }
    uint8_t bytes[16];
    magic.assign(reinterpret_cast<const char*>(bytes), head.read(bytes, sizeof bytes));
  }
  const std::string ext = lower_extension(path.substr(path.find_last_of('/') + 1));
  auto byte = [&](size_t i) { return i < magic.size() ? static_cast<uint8_t>(magic[i]) : 0; };

  if (starts_with(magic, "PK\x03\x04") || starts_with(magic, "PK\x05\x06")) {
    scan_zip(path, limits, out);
    return out;
  }
  if (starts_with(magic, "GGUF")) {
    out.artifact.format = "gguf";
    return out;
  }
  if (valid_safetensors(magic, size)) {
    out.artifact.format = "safetensors";
    return out;
  }
  if (ext == "onnx" && byte(0) == 0x08) {  // ModelProto starts with ir_version (field 1, varint)
    out.artifact.format = "onnx";
    return out;
  }
  std::string compressed = compressor(magic);
  std::string prefix = ext == "joblib" ? "joblib-" : "pickle-";
  if (compressed == "zlib" || compressed == "gzip") {
    FileSource file(path, limits.max_file_bytes);
    InflateSource inflated(file, limits.max_decompressed_bytes);
    PickleScan scan = scan_pickles(inflated, "", limits.scan);
    if (scan.opened) {  // else: compressed, but not a pickle
      out.artifact.format = prefix + compressed;
      merge(out.artifact, scan, "");
    }
    return out;
  }
  if (!compressed.empty()) {
    if (pickle_extension(ext)) {
      out.artifact.format = prefix + compressed;
      out.skipped.reason = "not scanned: " + compressed + "-compressed";
    }
    return out;
  }

  FileSource file(path, limits.max_file_bytes);
  PickleScan scan = scan_pickles(file, "", limits.scan);
  // Protocol 2+ announces itself (PROTO); protocol 0/1 text pickles do not, so a file that is
  // not one must not become a "pickle" by accident: it needs a complete pickle or a global
  // that reads as a dotted name.
  bool is_pickle = byte(0) == 0x80 ? scan.opened
                                   : scan.pickles > 0 || std::any_of(scan.globals.begin(), scan.globals.end(), [](const auto& g) {
                                       return identifier_path(g.module) && identifier_path(g.name);
                                     });
  if (is_pickle) {
    // Legacy torch.save (before 1.6): five pickles, the first the magic number 0x1950a86a20f9469cfc6c.
    static const std::string_view torch_magic("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 14);
    out.artifact.format = starts_with(magic, torch_magic) ? "torch-legacy" : "pickle";
    merge(out.artifact, scan, "");
  } else if (safe_extension(ext)) {
    out.artifact.notes.push_back("not a valid ." + ext + " file: its content does not match the format");
  }
  return out;
}

}  // namespace mlaudit::artifacts
