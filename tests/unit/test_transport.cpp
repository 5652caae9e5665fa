// lsp/transport: the Content-Length framing state machine.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lsp/transport.hpp"

using mlaudit::lsp::Frame;
using mlaudit::lsp::FrameReader;
using mlaudit::lsp::frame;
using mlaudit::lsp::kMaxContentLength;

namespace {

std::vector<Frame> feed(FrameReader& reader, const std::string& bytes) { return reader.feed(bytes.data(), bytes.size()); }

std::vector<Frame> feed_bytewise(FrameReader& reader, const std::string& bytes) {
  std::vector<Frame> out;
  for (char c : bytes) {
    auto frames = reader.feed(&c, 1);
    out.insert(out.end(), frames.begin(), frames.end());
  }
  return out;
}

size_t error_count(const std::vector<Frame>& frames) {
  size_t n = 0;
  for (const auto& f : frames) n += f.error.has_value();
  return n;
}

std::vector<std::string> bodies(const std::vector<Frame>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames)
    if (!f.error) out.push_back(f.body);
  return out;
}

const std::string kInit = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file:///é/中/😀"}})";
const std::string kShutdown = R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})";

}  // namespace

TEST_CASE("frame() writes the byte length of the body, not its character count") {
  std::string body = "{\"x\":\"中😀\"}";  // 3 + 4 bytes of non-ASCII
  CHECK(frame(body) == "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  CHECK(body.size() == 15);
}

TEST_CASE("framing: a whole message in one read") {
  FrameReader reader;
  auto frames = feed(reader, frame(kInit));
  REQUIRE(frames.size() == 1);
  CHECK_FALSE(frames[0].error);
  CHECK(frames[0].body == kInit);
  CHECK(reader.buffered() == 0);
}

TEST_CASE("framing: split reads, byte by byte") {
  FrameReader reader;
  std::string stream = frame(kInit) + frame(kShutdown);
  auto frames = feed_bytewise(reader, stream);
  REQUIRE(frames.size() == 2);
  CHECK(error_count(frames) == 0);
  CHECK(frames[0].body == kInit);
  CHECK(frames[1].body == kShutdown);
  CHECK(reader.buffered() == 0);
}

TEST_CASE("framing: nothing is produced until the body is complete") {
  FrameReader reader;
  std::string whole = frame(kInit);
  CHECK(feed(reader, whole.substr(0, whole.size() - 1)).empty());
  CHECK(reader.buffered() == whole.size() - 1);
  auto frames = feed(reader, whole.substr(whole.size() - 1));
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].body == kInit);
}

TEST_CASE("framing: two messages (and a split third) in one read") {
  FrameReader reader;
  std::string third = frame(R"({"jsonrpc":"2.0","method":"exit"})");
  auto frames = feed(reader, frame(kInit) + frame(kShutdown) + third.substr(0, 10));
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].body == kInit);
  CHECK(frames[1].body == kShutdown);
  frames = feed(reader, third.substr(10));
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].body == R"({"jsonrpc":"2.0","method":"exit"})");
}

TEST_CASE("framing: header names are case-insensitive and other headers are allowed") {
  FrameReader reader;
  std::string stream = "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length:  " +
                       std::to_string(kShutdown.size()) + " \r\n\r\n" + kShutdown;
  auto frames = feed(reader, stream);
  REQUIRE(frames.size() == 1);
  CHECK_FALSE(frames[0].error);
  CHECK(frames[0].body == kShutdown);
}

TEST_CASE("framing: a frame without Content-Length is an error, and the next frame still parses") {
  FrameReader reader;
  auto frames = feed(reader, "Content-Type: application/json\r\n\r\n" + frame(kShutdown));
  REQUIRE(frames.size() == 2);
  REQUIRE(frames[0].error);
  CHECK(frames[0].error->find("without Content-Length") != std::string::npos);
  CHECK_FALSE(frames[1].error);
  CHECK(frames[1].body == kShutdown);
}

TEST_CASE("framing: a non-numeric Content-Length is an error, and the reader resynchronises") {
  for (std::string bad : {"abc", "12x", "-5", "0x10", "", "1234567890123"}) {
    CAPTURE(bad);
    FrameReader reader;
    auto frames = feed(reader, "Content-Length: " + bad + "\r\n\r\n{}" + frame(kShutdown));
    REQUIRE_FALSE(frames.empty());
    REQUIRE(frames[0].error);
    CHECK(frames[0].error->find("invalid Content-Length") != std::string::npos);
    // The "{}" that followed belongs to no frame: it is skipped (reported), never delivered.
    CHECK(bodies(frames) == std::vector<std::string>{kShutdown});
    CHECK(reader.buffered() == 0);
  }
}

TEST_CASE("framing: garbage before and between frames is skipped and reported once") {
  FrameReader reader;
  auto frames = feed(reader, "hello there\r\n" + frame(kInit) + "%%% junk %%%" + frame(kShutdown));
  CHECK(bodies(frames) == std::vector<std::string>{kInit, kShutdown});
  CHECK(error_count(frames) == 2);  // one per run of garbage
  REQUIRE(frames.size() == 4);
  CHECK(frames[0].error);
  CHECK(frames[2].error);
}

TEST_CASE("framing: resync after garbage fed byte by byte, header split across reads") {
  FrameReader reader;
  std::string garbage(100, 'x');
  auto frames = feed_bytewise(reader, garbage);
  CHECK(frames.empty());             // nothing to say until a header shows up
  CHECK(reader.buffered() < 16);     // garbage is not accumulated
  frames = feed_bytewise(reader, frame(kShutdown));
  CHECK(bodies(frames) == std::vector<std::string>{kShutdown});
  CHECK(error_count(frames) == 1);
}

TEST_CASE("framing: a Content-Length above 64 MiB is refused without allocating it") {
  FrameReader reader;
  auto frames = feed(reader, "Content-Length: " + std::to_string(kMaxContentLength + 1) + "\r\n\r\n");
  REQUIRE(frames.size() == 1);
  REQUIRE(frames[0].error);
  CHECK(frames[0].error->find("exceeds") != std::string::npos);
  // The body the client goes on to send (1 MiB here) is dropped as it arrives, not buffered.
  std::string chunk(64 * 1024, '{');
  for (int i = 0; i < 16; ++i) {
    frames = feed(reader, chunk);
    CHECK(bodies(frames).empty());
    CHECK(reader.buffered() < 64);
  }
  // The next real frame is read normally.
  frames = feed(reader, frame(kShutdown));
  CHECK(bodies(frames) == std::vector<std::string>{kShutdown});
}

TEST_CASE("framing: a Content-Length of exactly 64 MiB is accepted (the limit is inclusive)") {
  FrameReader reader;
  auto frames = feed(reader, "Content-Length: " + std::to_string(kMaxContentLength) + "\r\n\r\n{");
  CHECK(frames.empty());  // waiting for the body, no error
  CHECK(reader.buffered() > 0);
}

TEST_CASE("framing: a huge Content-Length followed at once by a valid frame") {
  FrameReader reader;
  auto frames = feed(reader, "Content-Length: 999999999999\r\n\r\n" + frame(kInit));
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].error);
  CHECK(frames[1].body == kInit);
}

TEST_CASE("framing: a header block that never ends is abandoned") {
  FrameReader reader;
  std::string header = "Content-Length: 10\r\nX-Padding: " + std::string(20000, 'a');
  auto frames = feed(reader, header);
  CHECK(error_count(frames) >= 1);
  CHECK(reader.buffered() < 100);
  frames = feed(reader, "\r\n\r\n" + frame(kShutdown));
  CHECK(bodies(frames) == std::vector<std::string>{kShutdown});
}

TEST_CASE("framing: unread() puts back a header a too-long Content-Length swallowed") {
  // The first frame claims more bytes than its body has, swallowing the second frame's header
  // and part of its body. The server sees a body that is not JSON, finds the header inside it
  // and puts the bytes from there back.
  std::string first = R"({"jsonrpc":"2.0","method":"initialized","params":{}})";
  std::string second = frame(kShutdown);
  size_t claimed = first.size() + second.size() - 5;  // all of the second frame but its last 5 bytes
  FrameReader reader;
  auto frames = feed(reader, "Content-Length: " + std::to_string(claimed) + "\r\n\r\n" + first + second);
  REQUIRE(frames.size() == 1);
  REQUIRE_FALSE(frames[0].error);
  const std::string& body = frames[0].body;
  CHECK(body.size() == claimed);
  size_t inner = mlaudit::lsp::find_frame_header(body, 1);
  REQUIRE(inner == first.size());
  CHECK(reader.buffered() == 5);
  reader.unread(std::string_view(body).substr(inner));
  CHECK(reader.buffered() == second.size());
  auto next = reader.next();
  REQUIRE(next);
  CHECK_FALSE(next->error);
  CHECK(next->body == kShutdown);
  CHECK_FALSE(reader.next());
  CHECK(reader.buffered() == 0);
}

TEST_CASE("framing: unread() before bytes not yet consumed keeps their order") {
  FrameReader reader;
  reader.append("Content-Length: 2\r\n\r\n{}", 23);
  reader.unread(frame(kInit));
  auto frames = reader.feed(nullptr, 0);
  CHECK(bodies(frames) == std::vector<std::string>{kInit, "{}"});
}

TEST_CASE("find_frame_header finds the header in any case, from a position") {
  using mlaudit::lsp::find_frame_header;
  std::string text = "xxCONTENT-LENGTH: 1\r\n\r\n{content-length: 2";
  CHECK(find_frame_header(text, 0) == 2);
  CHECK(find_frame_header(text, 3) == 24);
  CHECK(find_frame_header(text, 25) == std::string::npos);
  CHECK(find_frame_header("Content-Length", 0) == std::string::npos);  // the colon is part of it
}
