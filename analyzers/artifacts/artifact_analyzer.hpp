// Committed model artifacts (.pkl, .pt, .ckpt, .joblib, .bin, .safetensors, .onnx, .gguf, ...):
// the format by content, never by name, and the globals their pickle streams import. The one
// analyzer that reads its file itself, streamed under its own caps: a checkpoint is usually far
// larger than the source-file cap, and only its pickle streams are read (PyTorch ZIP archives:
// the `.pkl` entries only, never the tensor data).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzers/artifacts/pickle_scanner.hpp"
#include "analyzers/facts.hpp"

namespace mlaudit::artifacts {

inline constexpr uint64_t kDefaultMaxArtifactBytes = 2ull << 30;  // on disk

struct ArtifactLimits {
  uint64_t max_file_bytes = kDefaultMaxArtifactBytes;  // larger files are not read at all
  uint64_t max_decompressed_bytes = 256ull << 20;      // per compressed stream or ZIP entry
  size_t max_zip_entries = 100000;
  ScanLimits scan;
};

// Whether a file name is a model artifact this analyzer reads.
bool is_artifact_name(std::string_view file_name);

// The artifact's Facts (kind Artifact). A file that cannot be scanned at all carries a skip
// reason ("not scanned: lzma-compressed"); parts that could not be scanned are notes.
facts::FileFacts analyze_artifact(const std::string& path, const ArtifactLimits& limits = {});

}  // namespace mlaudit::artifacts
