// Differential target for incremental sync. The input is decoded into a client: an opening
// text and a sequence of didChange messages whose ranges the client computes from its own copy
// of the text (multi-byte and astral-plane characters, CR/LF/CRLF line ends, positions in the
// negotiated encoding, sometimes past a line's end or past the last line, sometimes a full
// replacement). The server side is the real code: lsp::DocumentText turns each change into
// bytes and a tree-sitter edit, DocumentAnalysis reuses the edited tree when it reparses, and
// analyses run between messages at moments the input picks, as the server's strand does.
// At the end, the server's text must equal the client's, and its Facts and findings must
// equal those of a fresh open of that text; anything else aborts with what differed.
#include <fuzzer/FuzzedDataProvider.h>

#include <string>
#include <vector>

#include "analyzers/analyzer.hpp"
#include "fuzz/fuzz_support.hpp"
#include "fuzz/facts_difference.hpp"
#include "lsp/document.hpp"

namespace {

using mlaudit::Encoding;
using nlohmann::json;

// Pieces the texts are made of: Python that the rules read, and the characters that make
// position conversion hard (2-, 3- and 4-byte UTF-8; the 4-byte ones are two UTF-16 units).
const char* const kPieces[] = {
    "a", "x", "_", " ", "    ", "\t", "\n", "\n", "\r\n", "\r", "(", ")", "[", "]", ":", ",", ".", "=", "\"", "'",
    "#", "\\", "0", "42", "é", "中", "😀", "𝔘", "\u2028", "import torch\n", "import numpy as np\n",
    "from sklearn.model_selection import train_test_split as tts\n", "torch.manual_seed(0)\n",
    "torch.load(\"model.pt\")\n", "np.random.seed(", "random_state=", "tts(X, y)\n", "import mlflow\n",
    "api_key = \"sk-proj-abcdefghijklmnopqrstuvwx\"\n", "def f():\n    ", "class C:\n  ",
    "# mlaudit: ignore[unseeded-randomness]", "# mlaudit: ignore-file", "\"\"\"", "if __name__ == \"__main__\":\n",
    "f\"{x}\"", "lambda: 0", "async def g():\n    await h()\n", "requests.get(url, verify=False)\n"};

std::string make_text(FuzzedDataProvider& in, size_t max_pieces) {
  std::string text;
  size_t n = in.ConsumeIntegralInRange<size_t>(0, max_pieces);
  for (size_t i = 0; i < n && in.remaining_bytes() > 0; ++i)
    text += kPieces[in.ConsumeIntegralInRange<size_t>(0, std::size(kPieces) - 1)];
  return text;
}

size_t sequence_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

size_t units_of(size_t bytes, Encoding encoding) {
  if (encoding == Encoding::Utf8) return bytes;
  if (encoding == Encoding::Utf16) return bytes == 4 ? 2 : 1;
  return 1;
}

// The client's view of its text, written independently of support/text.cpp: where each
// position may go (code point boundaries, never between the CR and LF of a CRLF) and the
// LSP position of each of those byte offsets.
struct ClientText {
  std::string text;
  Encoding encoding;
  struct Place { size_t offset; int64_t line, character; };
  std::vector<Place> places;
  std::vector<size_t> line_ends;  // byte offset where each line's content ends (before its terminator)

  void index() {
    places.clear();
    line_ends.clear();
    int64_t line = 0, character = 0;
    for (size_t i = 0; i < text.size();) {
      places.push_back({i, line, character});
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '\n' || c == '\r') {
        line_ends.push_back(i);
        i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
        ++line;
        character = 0;
        continue;
      }
      size_t n = sequence_length(c);
      character += static_cast<int64_t>(units_of(n, encoding));
      i += n;
    }
    places.push_back({text.size(), line, character});
    line_ends.push_back(text.size());
  }
};

// One content change as the client sends it, applied to the client's own text.
json client_change(FuzzedDataProvider& in, ClientText& client) {
  std::string inserted = make_text(in, 6);
  unsigned kind = in.ConsumeIntegralInRange<unsigned>(0, 15);
  if (kind == 0) {  // no range: the whole text
    client.text = inserted;
    client.index();
    return {{"text", inserted}};
  }
  const auto& places = client.places;
  auto pick = [&] { return places[in.ConsumeIntegralInRange<size_t>(0, places.size() - 1)]; };
  ClientText::Place a = pick(), b = pick();
  if (b.offset < a.offset) std::swap(a, b);
  auto position = [](int64_t line, int64_t character) { return json{{"line", line}, {"character", character}}; };
  json start = position(a.line, a.character), end = position(b.line, b.character);
  size_t end_offset = b.offset;
  if (kind == 1) {  // the end's character past its line's end: the line's end (LSP)
    int64_t over = in.ConsumeIntegralInRange<int64_t>(1, 1000);
    size_t line_end = client.line_ends[static_cast<size_t>(b.line)];
    int64_t line_units = 0;
    for (const auto& p : places)
      if (p.line == b.line && p.offset <= line_end) line_units = std::max(line_units, p.character);
    end = position(b.line, line_units + over);
    end_offset = line_end;
  } else if (kind == 2) {  // the end past the last line: the end of the text
    end = position(static_cast<int64_t>(client.line_ends.size()) + in.ConsumeIntegralInRange<int64_t>(0, 1000),
                   in.ConsumeIntegralInRange<int64_t>(0, 5));
    end_offset = client.text.size();
  }
  client.text.replace(a.offset, end_offset - a.offset, inserted);
  client.index();
  return {{"range", {{"start", start}, {"end", end}}}, {"text", inserted}};
}

void compare_findings(const std::vector<mlaudit::rubric::Finding>& incremental,
                      const std::vector<mlaudit::rubric::Finding>& fresh) {
  if (incremental.size() != fresh.size())
    mlaudit::fuzz::fail("incremental sync: " + std::to_string(incremental.size()) + " findings, a fresh open has " +
                        std::to_string(fresh.size()));
  for (size_t i = 0; i < fresh.size(); ++i) {
    const auto &a = incremental[i], &b = fresh[i];
    if (a.rule != b.rule || a.message != b.message || a.range != b.range || a.severity != b.severity ||
        a.checklist_id != b.checklist_id)
      mlaudit::fuzz::fail("incremental sync: finding " + std::to_string(i) + " differs: " + a.rule + " '" + a.message +
                          "' vs fresh " + b.rule + " '" + b.message + "'");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) { mlaudit::fuzz::initialise(); return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  static const Encoding kEncodings[] = {Encoding::Utf16, Encoding::Utf8, Encoding::Utf32};
  ClientText client;
  client.encoding = kEncodings[in.ConsumeIntegralInRange<unsigned>(0, 2)];
  client.text = make_text(in, 40);
  client.index();

  const std::string path = "/fuzz/train.py";
  mlaudit::lsp::DocumentText server_text(client.text);
  mlaudit::DocumentAnalysis analysis(path);
  std::vector<mlaudit::python::TextEdit> pending;
  auto analyse = [&] {
    for (const auto& edit : pending) analysis.edit(edit);
    pending.clear();
    return analysis.analyze(server_text.text());
  };
  analyse();  // didOpen

  size_t messages = in.ConsumeIntegralInRange<size_t>(1, 24);
  for (size_t m = 0; m < messages && in.remaining_bytes() > 0; ++m) {
    size_t changes = in.ConsumeIntegralInRange<size_t>(1, 4);
    for (size_t c = 0; c < changes && in.remaining_bytes() > 0; ++c) {
      if (client.text.size() > 16384) break;  // keeps an input in milliseconds
      json change = client_change(in, client);
      pending.push_back(server_text.apply(change, client.encoding));
    }
    if (in.ConsumeBool()) analyse();  // the strand caught up here; otherwise edits pile up
  }
  mlaudit::facts::FileFacts incremental = analyse();

  if (server_text.text() != client.text)
    mlaudit::fuzz::fail("incremental sync: the server's text differs from the client's (" +
                        std::to_string(server_text.text().size()) + " vs " + std::to_string(client.text.size()) +
                        " bytes)");
  mlaudit::facts::FileFacts fresh = mlaudit::DocumentAnalysis(path).analyze(client.text);
  incremental.path = fresh.path = path;
  if (!(incremental == fresh))
    mlaudit::fuzz::fail("incremental sync: Facts differ from a fresh open: " +
                        mlaudit::fuzz::facts_difference(incremental, fresh));
  compare_findings(mlaudit::fuzz::check_alone(incremental), mlaudit::fuzz::check_alone(fresh));
  return 0;
}
