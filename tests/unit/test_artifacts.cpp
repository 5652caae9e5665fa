// The model-artifact analyzer: the pickle opcode scanner on hand-built streams (every protocol,
// memo tricks, truncation, garbage, joblib's inline arrays), the containers (PyTorch ZIP,
// zlib joblib, safetensors) on files written at test time, its caps (a zip or zlib bomb becomes
// a note), and the dangerous-model-artifact rule on the resulting Facts. No binary fixtures are
// committed: every byte is built here.
#include <doctest/doctest.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "analyzers/analyzer.hpp"
#include "analyzers/artifacts/artifact_analyzer.hpp"
#include "analyzers/artifacts/pickle_scanner.hpp"
#include "index/crawler.hpp"
#include "rubric/engine.hpp"
#include "rubric/rubric.hpp"
#include "rubric/workspace_model.hpp"

namespace fs = std::filesystem;
using namespace mlaudit;
using namespace mlaudit::artifacts;

namespace {

// A stream held in memory, handed out `chunk` bytes at a time (1: every buffer boundary).
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data, size_t chunk = 1 << 20) : data_(std::move(data)), chunk_(chunk) {}
  size_t read(uint8_t* buffer, size_t n) override {
    n = std::min({n, chunk_, data_.size() - at_});
    std::copy_n(data_.data() + at_, n, reinterpret_cast<char*>(buffer));
    at_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t chunk_, at_ = 0;
};

PickleScan scan(const std::string& bytes, size_t chunk = 1 << 20, const ScanLimits& limits = {}) {
  StringSource source(bytes, chunk);
  return scan_pickles(source, "", limits);
}

// A literal that may hold NUL bytes.
template <size_t N>
std::string B(const char (&s)[N]) {
  return std::string(s, N - 1);
}

// Opcode builders (protocol 4 style).
std::string u8(const std::string& s) { return std::string("\x8c") + static_cast<char>(s.size()) + s; }  // SHORT_BINUNICODE
std::string stack_global(const std::string& module, const std::string& name) {
  return u8(module) + "\x94" + u8(name) + "\x94\x93\x94";  // each memoized, as pickle writes them
}
const std::string kProto4 = std::string("\x80\x04", 2);
const std::string kProto2 = std::string("\x80\x02", 2);

// What `pickle.dumps(Evil(), protocol=4)` writes for a class whose __reduce__ returns
// (os.system, ("echo pwned",)) on Linux: the module is `posix`.
std::string evil_protocol4() { return kProto4 + stack_global("posix", "system") + u8("echo pwned") + "\x94\x85\x94R\x94."; }

const facts::PickleGlobal* find_global(const std::vector<facts::PickleGlobal>& globals, const std::string& module,
                                       const std::string& name) {
  for (const auto& g : globals)
    if (g.module == module && g.name == name) return &g;
  return nullptr;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("mlaudit-artifacts-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.generic_string();
  }
};

std::string zlib_compress(const std::string& data) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()), data.size(), 9) == Z_OK);
  out.resize(size);
  return out;
}

// A ZIP archive written with libzip: `entries` as (name, content), deflated.
void write_zip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(archive);
  for (const auto& [name, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    REQUIRE(source);
    REQUIRE(zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE) >= 0);
  }
  REQUIRE(zip_close(archive) == 0);
}

// A joblib NumpyArrayWrapper for a float64 array of `n` items, as joblib >= 1.2 writes it:
// the wrapper, its state (shape, dtype, alignment), BUILD, then padding and the raw data.
std::string joblib_array(uint8_t n, const std::string& raw_data) {
  std::string dtype = stack_global("numpy", "dtype") + u8("f8") + "\x89\x88\x87" "R" +
                      "(K\x03" + u8("<") + B("NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t" "b");
  std::string state = std::string("}(") + u8("shape") + "K" + static_cast<char>(n) + "\x85" + u8("dtype") + dtype +
                      u8("numpy_array_alignment_bytes") + "K\x10" + "u";
  return stack_global("joblib.numpy_pickle", "NumpyArrayWrapper") + ")\x81" + state + "b" + std::string("\x03", 1) +
         std::string(3, '\0') + raw_data;
}

std::shared_ptr<const rubric::Rubric> embedded_rubric() {
  static auto r = rubric::load_rubric();
  return r;
}

std::vector<rubric::Finding> artifact_findings(const facts::FileFacts& file) {
  rubric::Conclusions relevant;
  relevant.relevance.relevant = true;
  return rubric::check_file(file, *embedded_rubric(), relevant);
}

}  // namespace

TEST_CASE("pickle scanner: a protocol-4 os.system payload is found and called, at its offset") {
  std::string bytes = evil_protocol4();
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{1} << 20}) {  // buffer boundaries change nothing
    PickleScan s = scan(bytes, chunk);
    CHECK(s.error == "");
    CHECK(s.pickles == 1);
    CHECK(s.opened);
    REQUIRE(s.globals.size() == 1);
    CHECK(s.globals[0].module == "posix");
    CHECK(s.globals[0].name == "system");
    CHECK(s.globals[0].called);
    CHECK(s.globals[0].offset == bytes.find('\x93'));
  }
}

TEST_CASE("pickle scanner: STACK_GLOBAL fed through the memo (BINGET, LONG_BINGET, GET) is resolved") {
  // Protocol 2 style PUT/GET: the strings are stored, popped, and fetched back for STACK_GLOBAL.
  std::string binget = kProto4 + u8("os") + "q\x07" "0" + u8("system") + B("r\x09\x00\x00\x00" "0") + "h\x07" + B("j\x09\x00\x00\x00") +
                       "\x93" + ")R.";
  PickleScan s = scan(binget);
  CHECK(s.error == "");
  REQUIRE(find_global(s.globals, "os", "system"));
  CHECK(find_global(s.globals, "os", "system")->called);

  std::string text_get = std::string("(Vsubprocess\np3\n0Vcheck_output\np4\n0g3\ng4\n\x93") + ")R.";
  s = scan(text_get);
  CHECK(find_global(s.globals, "subprocess", "check_output"));
}

TEST_CASE("pickle scanner: protocol 0 GLOBAL and INST, protocol 2 GLOBAL") {
  PickleScan s = scan("cos\nsystem\n(S'echo'\ntR.");
  CHECK(s.error == "");
  REQUIRE(find_global(s.globals, "os", "system"));
  CHECK(find_global(s.globals, "os", "system")->called);

  s = scan("(S'ls'\nisubprocess\ncall\n.");
  REQUIRE(find_global(s.globals, "subprocess", "call"));
  CHECK(find_global(s.globals, "subprocess", "call")->called);

  // A global that is only referenced (pushed, never applied) is imported but not called.
  s = scan(kProto2 + B("cbuiltins\neval\nq\x00."));
  REQUIRE(find_global(s.globals, "builtins", "eval"));
  CHECK_FALSE(find_global(s.globals, "builtins", "eval")->called);
}

TEST_CASE("pickle scanner: a benign pickle imports only what it uses") {
  // pickle.dumps(collections.OrderedDict(a=1), protocol=2)
  std::string bytes = kProto2 + B("ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00" "aq\x02K\x01s.");
  PickleScan s = scan(bytes);
  CHECK(s.error == "");
  REQUIRE(s.globals.size() == 1);
  CHECK(s.globals[0].module == "collections");
  CHECK(s.globals[0].name == "OrderedDict");
}

TEST_CASE("pickle scanner: truncated and garbage input end with a reason, keeping what was seen") {
  std::string evil = evil_protocol4();
  PickleScan cut = scan(evil.substr(0, evil.size() - 3));  // before REDUCE finishes: STOP never comes
  CHECK(cut.error.find("truncated") != std::string::npos);
  CHECK(find_global(cut.globals, "posix", "system"));  // pickle.load would have imported it already

  PickleScan garbage = scan(B("\xff\xfe\x00garbage"));
  CHECK_FALSE(garbage.opened);
  CHECK(garbage.error == "invalid opcode 0xff at offset 0");
  CHECK(garbage.globals.empty());

  CHECK(scan("").error == "empty stream");
  CHECK(scan(kProto4 + "R.").error == "stack underflow at offset 2");
  CHECK(scan(kProto4 + "u.").error.find("no MARK") != std::string::npos);
  CHECK(scan(std::string("\x80\x09.", 3)).error.find("unsupported pickle protocol 9") != std::string::npos);
  // A length that runs past the end of the stream is truncation, not an allocation.
  CHECK(scan(kProto4 + "\x8d\xff\xff\xff\xff\xff\xff\xff\x7f").error.find("truncated") != std::string::npos);
  CHECK(scan(kProto4 + "T\xff\xff\xff\xff").error.find("negative length") != std::string::npos);
}

TEST_CASE("pickle scanner: globals it cannot resolve are reported as unresolved, never dropped") {
  // STACK_GLOBAL on integers is an error (pickle raises too).
  CHECK(scan(kProto4 + "K\x01K\x02\x93.").error.find("not strings") != std::string::npos);
  // Mixing PUT and MEMOIZE makes the memo's numbering unreliable: the lookup is unresolved.
  PickleScan s = scan(kProto4 + u8("os") + B("q\x00" "0") + u8("x") + "\x94" "0" + u8("system") + "\x94" "0" + B("h\x00h\x01\x93" ")R."));
  REQUIRE_FALSE(s.globals.empty());
  CHECK(s.globals[0].module == "?");
  // A module name computed by a call (here an allow-listed one) is unresolved, not a stop.
  s = scan(kProto4 + stack_global("builtins", "str") + u8("os") + "\x85R" + u8("system") + "\x93)R.");
  CHECK(s.error == "");
  REQUIRE(s.globals.size() == 2);
  CHECK(s.globals[1].module == "?");
  // Extension codes (copyreg's registry) cannot be resolved statically.
  s = scan(kProto2 + "\x82\x05)R.");
  REQUIRE(s.globals.size() == 1);
  CHECK(s.globals[0].module == "?");
  CHECK(s.globals[0].name.find("extension code 5") != std::string::npos);
}

TEST_CASE("pickle scanner: caps on stack depth and distinct globals") {
  ScanLimits tight;
  tight.max_stack = 8;
  CHECK(scan(kProto4 + std::string(20, 'N') + ".", 1 << 20, tight).error.find("stack deeper than 8") != std::string::npos);
  tight = {};
  tight.max_globals = 2;
  PickleScan s = scan(kProto4 + stack_global("a", "b") + "0" + stack_global("c", "d") + "0" + stack_global("os", "system") + "0N.", 1 << 20, tight);
  REQUIRE(s.globals.size() == 3);  // two, then one saying the rest was not kept
  CHECK(s.globals[2].module == "?");
  CHECK(s.globals[2].name.find("more than 2 distinct globals") != std::string::npos);
}

TEST_CASE("pickle scanner: legacy torch files hold several pickles, then raw data") {
  std::string magic = std::string("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15);
  std::string second = kProto2 + B("ctorch._utils\n_rebuild_tensor_v2\nq\x00.");
  std::string third = kProto2 + B("cposix\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03.");
  PickleScan s = scan(magic + second + third + std::string("\x10\x00\x00\x00\x00\x00\x00\x00\xff\xee", 10));
  CHECK(s.error == "");  // the raw storage bytes after the pickles are not a malformed pickle
  CHECK(s.pickles == 3);
  CHECK(find_global(s.globals, "torch._utils", "_rebuild_tensor_v2"));
  CHECK(find_global(s.globals, "posix", "system"));

  // Raw data that happens to start like a pickle (0x80, a small "protocol") is not one: an
  // extension opcode read from it is no global.
  s = scan(magic + second + std::string("\x80\x02\x82\x07\xff", 5));
  CHECK(s.error == "");
  CHECK(s.pickles == 2);
  CHECK(s.globals.size() == 1);
}

TEST_CASE("pickle scanner: joblib's inline array data is skipped by its size, and what follows is scanned") {
  std::string raw(24, '\xff');  // three float64 that are invalid opcodes if read as a pickle
  std::string bytes = kProto4 + joblib_array(3, raw) + "0" + stack_global("posix", "system") + u8("id") + "\x85R.";
  for (size_t chunk : {size_t{1}, size_t{1} << 20}) {
    PickleScan s = scan(bytes, chunk);
    CHECK(s.error == "");
    CHECK(find_global(s.globals, "joblib.numpy_pickle", "NumpyArrayWrapper"));
    REQUIRE(find_global(s.globals, "posix", "system"));
    CHECK(find_global(s.globals, "posix", "system")->called);
  }
  // Without the size (no dtype), the scanner says it stopped rather than reading data as opcodes.
  std::string unknown = kProto4 + stack_global("joblib.numpy_pickle", "NumpyArrayWrapper") + ")\x81}b" + raw + ".";
  CHECK(scan(unknown).error.find("joblib array data of unknown size") != std::string::npos);
}

TEST_CASE("artifact analyzer: file names it claims") {
  for (const char* name : {"model.pkl", "m.pickle", "clf.joblib", "w.pt", "w.PTH", "last.ckpt", "pytorch_model.bin",
                           "x.dill", "model.safetensors", "model.onnx", "llama.gguf"})
    CHECK_MESSAGE(classify_path(std::string("/ws/") + name) == facts::FileKind::Artifact, name);
  for (const char* name : {"model.py", "notes.txt", "model.h5", "data.csv", "pkl", ".pt"})
    CHECK_MESSAGE(classify_path(std::string("/ws/") + name) != facts::FileKind::Artifact, name);
}

TEST_CASE("artifact analyzer: PyTorch ZIP archive, only the .pkl entries are read") {
  TempDir dir;
  std::string path = (dir.path / "model.pt").generic_string();
  write_zip(path, {{"archive/data.pkl", evil_protocol4()},
                   {"archive/data/0", std::string(4096, '\xff')},
                   {"archive/version", "3\n"},
                   {"archive/extra/other.pkl", kProto2 + B("cbuiltins\nexec\nq\x00.")}});
  facts::FileFacts f = analyze_artifact(path);
  CHECK(f.kind == facts::FileKind::Artifact);
  CHECK(f.skipped.reason == "");
  CHECK(f.artifact.format == "torch-zip");
  CHECK(f.artifact.notes.empty());
  const auto* system = find_global(f.artifact.globals, "posix", "system");
  REQUIRE(system);
  CHECK(system->stream == "archive/data.pkl");
  REQUIRE(find_global(f.artifact.globals, "builtins", "exec"));
  CHECK(find_global(f.artifact.globals, "builtins", "exec")->stream == "archive/extra/other.pkl");
  CHECK(f.artifact.globals.size() == 2);  // nothing from the tensor data entry
}

TEST_CASE("artifact analyzer: compressed joblib files") {
  TempDir dir;
  std::string pickle = kProto4 + joblib_array(3, std::string(24, '\xff')) + "0" + stack_global("posix", "system") + u8("id") + "\x85R.";
  facts::FileFacts f = analyze_artifact(dir.write("clf.joblib", zlib_compress(pickle)));
  CHECK(f.artifact.format == "joblib-zlib");
  CHECK(f.artifact.notes.empty());
  CHECK(find_global(f.artifact.globals, "posix", "system"));

  // The uncompressed joblib file: the array data is seeked over.
  f = analyze_artifact(dir.write("plain.joblib", pickle));
  CHECK(f.artifact.format == "pickle");
  CHECK(f.artifact.notes.empty());
  CHECK(find_global(f.artifact.globals, "posix", "system"));

  // Other compressors are recorded, not guessed at.
  f = analyze_artifact(dir.write("clf2.joblib", std::string("\x5d\x00\x00\x80\x00\xff\xff\xff", 8)));
  CHECK(f.artifact.format == "joblib-lzma");
  CHECK(f.skipped.reason == "not scanned: lzma-compressed");
  f = analyze_artifact(dir.write("clf3.pkl", std::string("BZh91AY&SY", 10)));
  CHECK(f.skipped.reason == "not scanned: bz2-compressed");
}

TEST_CASE("artifact analyzer: bombs and oversized files cost a bounded read and become reasons") {
  TempDir dir;
  // 16 MiB of valid opcodes (EMPTY_TUPLE, POP) compresses about a thousandfold.
  std::string body = kProto4;
  body.reserve(16u << 20);
  while (body.size() < (16u << 20)) body += ")0";
  ArtifactLimits limits;
  limits.max_decompressed_bytes = 1 << 20;

  facts::FileFacts zlib_bomb = analyze_artifact(dir.write("bomb.joblib", zlib_compress(body)), limits);
  REQUIRE(zlib_bomb.artifact.notes.size() == 1);
  CHECK(zlib_bomb.artifact.notes[0].find("stopped at the 1.0 MiB decompressed size cap") != std::string::npos);

  std::string zip_path = (dir.path / "bomb.pt").generic_string();
  write_zip(zip_path, {{"archive/data.pkl", body}});
  facts::FileFacts zip_bomb = analyze_artifact(zip_path, limits);
  CHECK(zip_bomb.artifact.format == "torch-zip");
  REQUIRE(zip_bomb.artifact.notes.size() == 1);
  CHECK(zip_bomb.artifact.notes[0].find("archive/data.pkl: not scanned: it declares 16.0 MiB") != std::string::npos);

  limits.max_file_bytes = 100;
  facts::FileFacts big = analyze_artifact(dir.write("big.pkl", std::string(1000, 'N')), limits);
  CHECK(big.skipped.reason == "artifact is 1000 bytes, above the 100 bytes artifact size cap");
  CHECK(big.artifact.format == "");
}

TEST_CASE("artifact analyzer: safe formats are recognised by content, not by name") {
  TempDir dir;
  std::string header = R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  std::string length(8, '\0');
  length[0] = static_cast<char>(header.size());
  CHECK(analyze_artifact(dir.write("model.safetensors", length + header + std::string(4, '\0'))).artifact.format == "safetensors");
  CHECK(analyze_artifact(dir.write("llama.gguf", std::string("GGUF\x03\x00\x00\x00", 8))).artifact.format == "gguf");
  CHECK(analyze_artifact(dir.write("model.onnx", std::string("\x08\x07\x12\x04test", 8))).artifact.format == "onnx");

  // A pickle renamed .safetensors is a pickle, and scanned as one.
  facts::FileFacts renamed = analyze_artifact(dir.write("fake.safetensors", evil_protocol4()));
  CHECK(renamed.artifact.format == "pickle");
  CHECK(find_global(renamed.artifact.globals, "posix", "system"));
  // Neither: no format, and a note saying the name lies.
  facts::FileFacts junk = analyze_artifact(dir.write("junk.safetensors", "hello world, not a model"));
  CHECK(junk.artifact.format == "");
  CHECK(junk.artifact.notes.size() == 1);
  // A .bin that is neither a pickle nor a model: nothing, quietly.
  facts::FileFacts firmware = analyze_artifact(dir.write("firmware.bin", std::string("\x7f" "ELF\x02\x01", 6)));
  CHECK(firmware.artifact.format == "");
  CHECK(firmware.artifact.notes.empty());
  CHECK(firmware.artifact.globals.empty());
  // A text file whose first byte happens to be an opcode is not a protocol-0 pickle.
  CHECK(analyze_artifact(dir.write("notes.bin", "Lorem ipsum dolor\n")).artifact.format == "");
  // A protocol-0 pickle is.
  CHECK(analyze_artifact(dir.write("old.pkl", "cos\nsystem\n(S'echo'\ntR.")).artifact.format == "pickle");
}

TEST_CASE("crawler: artifacts are analysed streamed, not as text under the source cap") {
  TempDir dir;
  dir.write("train.py", "import torch\n");
  std::string pickle = kProto2 + B("ccollections\nOrderedDict\nq\x00)Rq\x01.") + std::string(5000, '\0');
  dir.write("model.pkl", pickle);
  index::CrawlOptions options;
  options.max_file_bytes = 1000;  // the artifact is larger than the source cap: still scanned
  index::Workspace ws = index::load_workspace(dir.path.string(), options);
  auto it = std::find_if(ws.analysed.begin(), ws.analysed.end(), [](const auto& f) { return f->path.ends_with("model.pkl"); });
  REQUIRE(it != ws.analysed.end());
  CHECK((*it)->kind == facts::FileKind::Artifact);
  CHECK((*it)->skipped.reason == "");
  CHECK((*it)->artifact.format == "pickle");
  CHECK(find_global((*it)->artifact.globals, "collections", "OrderedDict"));
}

TEST_CASE("dangerous-model-artifact: deny-listed and unresolved globals are Critical; allow-listed and unknown ones are not") {
  facts::FileFacts f;
  f.path = "/ws/model.pt";
  f.kind = facts::FileKind::Artifact;
  f.artifact.format = "torch-zip";
  f.artifact.globals = {{"collections", "OrderedDict", "archive/data.pkl", 10, true},
                        {"torch._utils", "_rebuild_tensor_v2", "archive/data.pkl", 40, true},
                        {"sklearn.ensemble._forest", "RandomForestClassifier", "archive/data.pkl", 80, true}};
  CHECK(artifact_findings(f).empty());

  f.artifact.globals.push_back({"posix", "system", "archive/data.pkl", 120, true});
  auto findings = artifact_findings(f);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "dangerous-model-artifact");
  CHECK(findings[0].checklist_id == "security.model-artifacts");
  CHECK(findings[0].severity == rubric::Severity::Critical);
  CHECK(findings[0].message.find("`posix.system` (called at byte 120 of archive/data.pkl)") != std::string::npos);
  CHECK(findings[0].message.find("torch-zip") != std::string::npos);
  CHECK(findings[0].range == facts::Range{});

  // Whole modules match on dotted segments only: `ossaudiodev` is not `os`, `os.path` is.
  f.artifact.globals = {{"ossaudiodev", "open", "", 0, true}};
  CHECK(artifact_findings(f).empty());
  f.artifact.globals = {{"os.path", "join", "", 0, false}};
  CHECK(artifact_findings(f).size() == 1);
  f.artifact.globals = {{"builtins", "set", "", 0, true}, {"builtins", "getattr", "", 9, true}};
  findings = artifact_findings(f);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message.find("builtins.getattr") != std::string::npos);
  CHECK(findings[0].message.find("builtins.set") == std::string::npos);
  f.artifact.globals = {{"?", "(copyreg extension code 5)", "", 3, true}};
  CHECK(artifact_findings(f).size() == 1);

  // Python files are not artifacts: the rule never looks at them.
  facts::FileFacts py;
  py.path = "/ws/a.py";
  py.kind = facts::FileKind::Python;
  CHECK(artifact_findings(py).empty());
}

TEST_CASE("relevance: a model-only format makes a workspace ML; a plain pickle does not") {
  auto conclude = [](const std::string& format) {
    rubric::WorkspaceModel model(embedded_rubric(), {"/ws"});
    facts::FileFacts f;
    f.path = "/ws/models/weights.bin";
    f.kind = facts::FileKind::Artifact;
    f.artifact.format = format;
    model.update(f);
    return model.conclusions()->relevance;
  };
  rubric::Relevance torch_zip = conclude("torch-zip");
  CHECK(torch_zip.relevant);
  REQUIRE_FALSE(torch_zip.signals.empty());
  CHECK(torch_zip.signals[0] == "models/weights.bin: model artifact (torch-zip)");
  CHECK(conclude("safetensors").relevant);
  CHECK_FALSE(conclude("pickle").relevant);  // any Python program may pickle; that alone is not ML
  CHECK_FALSE(conclude("").relevant);
}

TEST_CASE("pickle scanner: every single-byte corruption and every truncation ends cleanly") {
  // Not a fuzzer, but every position of a stream that exercises the memo, STACK_GLOBAL, BUILD
  // and joblib's inline data: each ends either at STOP or with a reason, never with a crash.
  std::string good = kProto4 + joblib_array(3, std::string(24, '\x01')) + "0" + evil_protocol4().substr(2);
  size_t ended = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    for (char replacement : {'\x00', '\xff', '\x93', 'R', '(', '\x8d', 'b'}) {
      std::string bad = good;
      bad[i] = replacement;
      PickleScan s = scan(bad, 7);
      ended += (s.error.empty() && s.pickles == 1) || !s.error.empty();
    }
    PickleScan cut = scan(good.substr(0, i));
    CHECK_MESSAGE(!cut.error.empty(), "a prefix of " << i << " bytes must not look complete");
  }
  CHECK(ended == good.size() * 7);
}
