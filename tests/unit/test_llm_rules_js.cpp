// The LLM rules on JS/TS: the JavaScript analyzer gives calls the Python shapes (an object
// literal's properties are keyword arguments, `import OpenAI from "openai"` is openai.OpenAI),
// so the rules.yaml matchers written for Python apply unchanged, with the JS SDKs' camelCase
// client options (maxRetries, maxTokens) among the bounds.
#include <doctest/doctest.h>

#include <string>

#include "test_support.hpp"

using mlaudit::test::build_workspace;
using mlaudit::test::covered;
using Files = std::map<std::string, std::string>;

TEST_CASE("llm rules on TypeScript: alias, retired model, unbounded calls; snapshots and bounded clients are quiet") {
  Files files = {
      {"src/chat.ts",
       "import OpenAI from \"openai\";\n"
       "import { ChatOpenAI } from \"@langchain/openai\";\n"
       "const client = new OpenAI();\n"
       "export async function ask(q: string) {\n"
       "  const r = await client.chat.completions.create({ model: \"gpt-4o\", messages: [{ role: \"user\", content: q }] });\n"
       "  const old = await client.chat.completions.create({ model: \"gpt-4-0314\", max_tokens: 10, messages: [] });\n"
       "  return r;\n"
       "}\n"
       "export const lc = new ChatOpenAI({ model: \"gpt-4o-2024-08-06\", timeout: 10000, maxRetries: 2, maxTokens: 512 });\n"},
      {"src/bounded.ts",
       "import OpenAI from \"openai\";\n"
       "const client = new OpenAI({ timeout: 20000, maxRetries: 3 });\n"
       "export const ask = () => client.chat.completions.create({ model: \"gpt-4o-2024-08-06\", max_tokens: 256, messages: [] });\n"},
  };
  auto ws = build_workspace(files);
  auto alias = ws.of("src/chat.ts", "llm-model-alias");
  REQUIRE(alias.size() == 1);
  CHECK(covered(files, "src/chat.ts", alias[0]).find("gpt-4o") != std::string::npos);
  auto retired = ws.of("src/chat.ts", "llm-retired-model");
  REQUIRE(retired.size() == 1);
  CHECK(retired[0].range.start.line == 5);
  auto unbounded = ws.of("src/chat.ts", "llm-call-unbounded");
  REQUIRE(unbounded.size() == 2);  // the two create calls through a client without limits; ChatOpenAI sets all three
  CHECK(unbounded[0].message.find("timeout") != std::string::npos);
  CHECK(unbounded[0].message.find("max_tokens") != std::string::npos);
  CHECK(unbounded[1].message.find("max_tokens") == std::string::npos);  // the retired call sets max_tokens
  CHECK(ws.of("src/bounded.ts", "llm-model-alias").empty());
  CHECK(ws.of("src/bounded.ts", "llm-call-unbounded").empty());
}
