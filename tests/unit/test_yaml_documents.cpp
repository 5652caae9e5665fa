// YAML streams are loaded one document at a time (analyzers/yaml_documents.hpp) because
// yaml-cpp 0.7's LoadAll never returns on some inputs. Found by fuzz_yaml_configs
// (fuzz/regressions/yaml_configs/).
#include <doctest/doctest.h>

#include <string>

#include "analyzers/analyzer.hpp"
#include "analyzers/config.hpp"
#include "analyzers/yaml_documents.hpp"

using namespace mlaudit;

TEST_CASE("yaml documents: a top-level ',' ends (LoadAll looped forever allocating) and the file is still read") {
  // Each of these hung YAML::LoadAll until the process ran out of memory.
  for (std::string text : {",", ",&", ",\xfaq&", "a: 1\n---\n,", "a: 1\n...\n,", ", b: &"}) {
    CAPTURE(text);
    ConfigRead read = read_yaml_config(text);
    (void)read;  // returning at all is the point; what the reader makes of the garbage is its business
  }
  // The file the fuzzer found: "docker-compose.yml" holding ",\xfaq&".
  auto f = analyze_text("/ws/docker-compose.yml", ",\xfaq&");
  CHECK(f.kind == facts::FileKind::Config);
  // A valid document before the broken one keeps its keys.
  ConfigRead read = read_yaml_config("a: 1\n---\n,\n");
  CHECK(read.error.empty());
  REQUIRE(read.keys.size() == 1);
  CHECK(read.keys[0].key == "a");
}

TEST_CASE("yaml documents: keys keep the file's line numbers in every document; errors too") {
  ConfigRead read = read_yaml_config("# head\na: 1\n---\nb:\n  c: 2\n...\n--- \nd: [1, 2]\n");
  REQUIRE(read.error.empty());
  REQUIRE(read.keys.size() == 6);  // a, b, b.c, d and one d[] per item
  CHECK(read.keys[0].key == "a");
  CHECK(read.keys[0].line == 1u);
  CHECK(read.keys[1].key == "b");
  CHECK(read.keys[1].line == 3u);
  CHECK(read.keys[2].key == "b.c");
  CHECK(read.keys[2].line == 4u);
  CHECK(read.keys[3].key == "d");
  CHECK(read.keys[3].line == 7u);
  CHECK(read.keys[4].key == "d[]");
  CHECK(read.keys[5].key == "d[]");

  ConfigRead bad = read_yaml_config("a: 1\n---\nb: [1,\n");
  CHECK(bad.keys.empty());
  CHECK(bad.error.find("invalid YAML at line ") == 0);
  CHECK(bad.error.find("at line 4") != std::string::npos);  // the end of the file, where LoadAll put it too
}

TEST_CASE("yaml documents: markers only at column 0 followed by a blank; the rest stays in the document") {
  auto pieces = split_yaml_documents("a: ---x\n---foo: 1\n  ---\n--- b\n...\nc\n");
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[0].text == "a: ---x\n---foo: 1\n  ---\n");
  CHECK(pieces[0].first_line == 0u);
  CHECK(pieces[1].text == "--- b\n...\n");
  CHECK(pieces[1].first_line == 3u);
  CHECK(pieces[2].text == "c\n");
  CHECK(pieces[2].first_line == 5u);
  CHECK(split_yaml_documents("").size() == 1);
  CHECK(split_yaml_documents("---\r\nx: 1\r\n---").size() == 2);
}
