// JavaScript/TypeScript sources: the analyzer (analyzers/javascript) fills the same code facts as
// Python's (imports with the documented default-import mapping, calls with object-literal
// properties as keyword arguments, bindings, strings with context, // suppressions), and the
// rules that read those facts (hardcoded-secret) and the workspace's relevance apply unchanged.
#include <doctest/doctest.h>

#include <string>

#include "analyzers/analyzer.hpp"
#include "analyzers/javascript/js_analyzer.hpp"
#include "test_support.hpp"

namespace {

using namespace mlaudit;
using facts::Value;

const facts::Import* import_bound_to(const facts::FileFacts& f, const std::string& alias) {
  for (const auto& imp : f.python.imports)
    if (imp.alias == alias) return &imp;
  return nullptr;
}

const facts::Call* call_named(const facts::FileFacts& f, const std::string& qualified) {
  for (const auto& c : f.python.calls)
    if (c.qualified == qualified) return &c;
  return nullptr;
}

const facts::Argument* keyword(const facts::Call& c, const std::string& name) {
  for (const auto& a : c.args)
    if (a.keyword == name) return &a;
  return nullptr;
}

const facts::StringLiteral* string_with(const facts::FileFacts& f, const std::string& value) {
  for (const auto& s : f.python.strings)
    if (s.value == value) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("javascript: which file names are JavaScript/TypeScript sources") {
  for (const char* path : {"app.js", "src/App.jsx", "a.mjs", "a.cjs", "server.ts", "ui/Chat.tsx", "a.mts", "a.cts"})
    CHECK_MESSAGE(classify_path(path) == facts::FileKind::JavaScript, path);
  for (const char* path : {"types/index.d.ts", "x.d.mts", "x.d.cts", "data.json", "app.py", ".js", "script.jsonl"})
    CHECK_MESSAGE(classify_path(path) != facts::FileKind::JavaScript, path);
}

TEST_CASE("javascript: imports — default, named with alias, namespace, require, dynamic, TS import-require") {
  auto f = analyze_text("src/app.ts",
                        "import OpenAI from \"openai\";\n"
                        "import { ChatOpenAI as Chat, OpenAIEmbeddings } from \"@langchain/openai\";\n"
                        "import * as ai from \"ai\";\n"
                        "import express from \"express\";\n"
                        "import type { Message } from \"./types\";\n"
                        "const Anthropic = require(\"@anthropic-ai/sdk\");\n"
                        "const { generateText, streamText: stream } = require(\"ai\");\n"
                        "import Fs = require(\"fs\");\n"
                        "async function load() { const mod = await import(\"llamaindex\"); return mod; }\n"
                        "require(\"dotenv\").config();\n");
  REQUIRE(f.kind == facts::FileKind::JavaScript);
  CHECK_FALSE(f.python.has_syntax_errors);
  auto expect = [&](const std::string& alias, const std::string& module, const std::string& name) {
    const facts::Import* imp = import_bound_to(f, alias);
    REQUIRE_MESSAGE(imp, alias);
    CHECK(imp->module == module);
    CHECK(imp->name == name);
  };
  expect("OpenAI", "openai", "OpenAI");  // capitalised default import: the SDK's client class
  expect("Chat", "@langchain/openai", "ChatOpenAI");
  expect("OpenAIEmbeddings", "@langchain/openai", "OpenAIEmbeddings");
  expect("ai", "ai", "");
  expect("express", "express", "");      // lower-case default import: used like the module
  expect("Message", "./types", "Message");
  expect("Anthropic", "@anthropic-ai/sdk", "Anthropic");
  expect("generateText", "ai", "generateText");
  expect("stream", "ai", "streamText");
  expect("Fs", "fs", "Fs");
  expect("mod", "llamaindex", "");
  bool dotenv = false;
  for (const auto& imp : f.python.imports) dotenv |= imp.module == "dotenv" && imp.alias.empty();
  CHECK(dotenv);
  // Declared and bare require()/import() calls are each one import, never two.
  size_t llamaindex = 0;
  for (const auto& imp : f.python.imports) llamaindex += imp.module == "llamaindex";
  CHECK(llamaindex == 1);
  CHECK(f.python.imports.front().statement.start.line == 0);
}

TEST_CASE("javascript: calls resolve through imports; object-literal properties are keyword arguments") {
  auto f = analyze_text("chat.ts",
                        "import OpenAI from 'openai';\n"
                        "import { generateText as gen } from 'ai';\n"
                        "const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 20_000, maxRetries: 2 });\n"
                        "export async function answer(question: string, opts: object) {\n"
                        "  const r = await client.chat.completions.create({\n"
                        "    model: \"gpt-4o\", max_tokens: 100, stream: false, temperature: 0.2,\n"
                        "    messages: [{ role: 'user', content: question }], ...opts,\n"
                        "  });\n"
                        "  await gen({ model, prompt: `Say ${question}` });\n"
                        "  return r;\n"
                        "}\n");
  const facts::Call* ctor = call_named(f, "openai.OpenAI");
  REQUIRE(ctor);
  CHECK(ctor->callee == "OpenAI");
  CHECK(ctor->scope.empty());
  REQUIRE(keyword(*ctor, "apiKey"));
  CHECK(keyword(*ctor, "apiKey")->value.kind == Value::Kind::Name);
  CHECK(keyword(*ctor, "apiKey")->value.text == "process.env.OPENAI_API_KEY");
  REQUIRE(keyword(*ctor, "timeout"));
  CHECK(keyword(*ctor, "timeout")->value.kind == Value::Kind::Number);
  CHECK(keyword(*ctor, "maxRetries")->value.text == "2");
  // The object itself stays the first positional argument, as a Dict.
  REQUIRE_FALSE(ctor->args.empty());
  CHECK(ctor->args[0].keyword.empty());
  CHECK(ctor->args[0].value.kind == Value::Kind::Dict);

  const facts::Call* create = call_named(f, "client.chat.completions.create");  // a local object
  REQUIRE(create);
  CHECK(create->method == "create");
  CHECK(create->receiver == "client.chat.completions");
  CHECK(create->scope == "answer");
  REQUIRE(keyword(*create, "model"));
  CHECK(keyword(*create, "model")->value.kind == Value::Kind::String);
  CHECK(keyword(*create, "model")->value.text == "gpt-4o");
  CHECK(keyword(*create, "max_tokens")->value.text == "100");
  CHECK(keyword(*create, "stream")->value.kind == Value::Kind::False);
  CHECK(keyword(*create, "messages")->value.kind == Value::Kind::List);
  bool splat = false;
  for (const auto& a : create->args) splat |= a.dict_splat && a.value.text == "opts";
  CHECK(splat);  // `...opts` may set anything: a dict splat, like **kwargs

  const facts::Call* generate = call_named(f, "ai.generateText");
  REQUIRE(generate);
  CHECK(keyword(*generate, "model")->value.kind == Value::Kind::Name);     // shorthand `{ model }`
  CHECK(keyword(*generate, "prompt")->value.text == "Say {…}");            // substitution, as in f-strings
}

TEST_CASE("javascript: bindings, template literals and string contexts") {
  auto f = analyze_text("config.js",
                        "const MODEL = `gpt-4o-2024-08-06`;\n"
                        "let retries = 3;\n"
                        "const settings = { provider: \"openai-provider\" };\n");
  REQUIRE(f.python.bindings.size() == 3);
  CHECK(f.python.bindings[0].name == "MODEL");
  CHECK(f.python.bindings[0].value.kind == Value::Kind::String);  // no substitution: a plain string
  CHECK(f.python.bindings[0].value.text == "gpt-4o-2024-08-06");
  CHECK(f.python.bindings[1].value.kind == Value::Kind::Number);
  CHECK(f.python.bindings[2].value.kind == Value::Kind::Dict);
  REQUIRE(string_with(f, "gpt-4o-2024-08-06"));
  CHECK(string_with(f, "gpt-4o-2024-08-06")->context == "= MODEL");
  REQUIRE(string_with(f, "openai-provider"));
  CHECK(string_with(f, "openai-provider")->context == "[] provider");
}

TEST_CASE("javascript: TSX components parse with the TSX grammar") {
  auto f = analyze_text("ui/Chat.tsx",
                        "import { useChat } from '@ai-sdk/react';\n"
                        "export function Chat(): JSX.Element {\n"
                        "  const { messages } = useChat<Message>({ api: '/api/chat' });\n"
                        "  return <div className=\"chat\">{messages.map((m) => <p key={m.id}>{m.content}</p>)}</div>;\n"
                        "}\n");
  CHECK_FALSE(f.python.has_syntax_errors);
  const facts::Call* use = call_named(f, "@ai-sdk/react.useChat");
  REQUIRE(use);
  CHECK(use->scope == "Chat");
  CHECK(keyword(*use, "api")->value.text == "/api/chat");
  // The same text as .ts is not TypeScript without JSX: the grammar follows the extension.
  CHECK(analyze_text("ui/Chat.ts", "const x = <div>{a}</div>;\n").python.has_syntax_errors);
}

TEST_CASE("javascript: a syntax error still yields the facts around it") {
  auto f = analyze_text("broken.ts",
                        "import OpenAI from 'openai';\n"
                        "const client = new OpenAI({ apiKey: 'sk-proj-Q7vLm2XcR9tKp4WbN8sJd3HfA6yZe1Uo' });\n"
                        "function broken( {\n"
                        "  return client.models.list(\n");
  CHECK(f.kind == facts::FileKind::JavaScript);
  CHECK(f.skipped.reason.empty());
  CHECK(f.python.has_syntax_errors);
  CHECK(import_bound_to(f, "OpenAI"));
  CHECK(call_named(f, "openai.OpenAI"));
  CHECK(string_with(f, "sk-proj-Q7vLm2XcR9tKp4WbN8sJd3HfA6yZe1Uo"));
}

TEST_CASE("javascript: minified bundles are skipped with a reason; long short files are not") {
  std::string bundle;
  for (int i = 0; i < 8; ++i) bundle += "var a" + std::to_string(i) + "=function(){return " + std::string(600, '1') + "};";
  auto f = analyze_text("public/vendor.js", bundle);
  CHECK(f.kind == facts::FileKind::JavaScript);
  CHECK(f.skipped.reason.find("minified") != std::string::npos);
  CHECK(f.python.calls.empty());
  // One long line in a small file (a prompt, a data literal) is source, not a bundle.
  auto prompt = analyze_text("prompt.js", "export const PROMPT = \"" + std::string(900, 'x') + "\";\n");
  CHECK(prompt.skipped.reason.empty());
  CHECK(javascript::minified_reason(std::string(100, 'a') + "\n") == "");
}

TEST_CASE("javascript: // and /* */ suppression comments") {
  auto f = analyze_text("keys.js",
                        "// mlaudit: ignore-file[llm-model-alias]\n"
                        "const KEY = 'x'; // mlaudit: ignore[hardcoded-secret]\n"
                        "/* mlaudit: ignore */\n"
                        "const y = 1; // mlaudit ignore is not a suppression\n");
  REQUIRE(f.suppressions.size() == 3);
  CHECK(f.suppressions[0].whole_file);
  CHECK(f.suppressions[0].rules == std::vector<std::string>{"llm-model-alias"});
  CHECK(f.suppressions[1].line == 1);
  CHECK(f.suppressions[1].rules == std::vector<std::string>{"hardcoded-secret"});
  CHECK(f.suppressions[2].line == 2);
  CHECK(f.suppressions[2].rules.empty());
}

TEST_CASE("javascript: hard-coded keys are reported, masked, as in Python; suppressions apply") {
  const std::string key = "sk-proj-Q7vLm2XcR9tKp4WbN8sJd3HfA6yZe1Uo";
  auto ws = test::build_workspace({
      {"src/client.ts", "import OpenAI from 'openai';\n"
                        "const client = new OpenAI({ apiKey: '" + key + "' });\n"
                        "const OPENAI_API_KEY = \"" + key + "\";\n"
                        "const ok = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n"
                        "const placeholder = 'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxx';\n"},
      {"src/muted.js", "const key = '" + key + "'; // mlaudit: ignore[hardcoded-secret]\n"},
  });
  REQUIRE(ws.conclusions().relevance.relevant);  // the openai import alone makes it LLM code
  auto found = ws.of("src/client.ts", "hardcoded-secret");
  REQUIRE(found.size() == 2);
  CHECK(found[0].range.start.line == 1);
  CHECK(found[1].range.start.line == 2);
  CHECK(found[0].message.find("OpenAI API key") != std::string::npos);
  CHECK(found[0].message.find(key) == std::string::npos);
  CHECK(found[0].message.find("sk-p********") != std::string::npos);
  CHECK(ws.of("src/muted.js", "hardcoded-secret").empty());
}

TEST_CASE("javascript: relevance — npm LLM modules count, unrelated JS and Python `ai` modules do not") {
  CHECK(test::build_workspace({{"a.mjs", "import Anthropic from '@anthropic-ai/sdk';\n"}}).conclusions().relevance.relevant);
  CHECK(test::build_workspace({{"a.ts", "import { ChatAnthropic } from '@langchain/anthropic';\n"}}).conclusions().relevance.relevant);
  CHECK(test::build_workspace({{"a.ts", "import { generateText } from 'ai';\n"}}).conclusions().relevance.relevant);
  auto web = test::build_workspace({
      {"src/server.js", "const express = require('express');\nconst app = express();\n"
                        "const KEY = 'sk-proj-Q7vLm2XcR9tKp4WbN8sJd3HfA6yZe1Uo';\napp.listen(3000);\n"},
      {"src/ui/App.tsx", "import React from 'react';\nexport const App = () => <div>hi</div>;\n"},
  });
  CHECK_FALSE(web.conclusions().relevance.relevant);
  CHECK(web.count("hardcoded-secret") == 0);  // rules are quiet outside ML/LLM workspaces
  // An npm name is not a Python module: `import ai` of a local package is not the Vercel AI SDK.
  CHECK_FALSE(test::build_workspace({{"ai/__init__.py", ""}, {"main.py", "import ai\nai.run()\n"}}).conclusions().relevance.relevant);
}
