// JavaScript/TypeScript syntax tree -> facts::PythonFacts (the language-neutral code facts), in
// the same shapes as Python's so rules.yaml call matchers, secrets and items.yaml evidence apply
// unchanged. The walk is iterative (a TSTreeCursor), like the Python one.
//
// Mapping (documented in facts.hpp too):
//   import OpenAI from "openai"          -> module "openai", name "OpenAI", alias "OpenAI"
//   import fs from "fs"                  -> module "fs",     name "",       alias "fs"
//       A default import binds the module's default export. SDKs export their client class
//       there and it is written with a capital (OpenAI, Anthropic), so a capitalised local name
//       is taken as that export's name (`new OpenAI()` -> "openai.OpenAI"); a lower-case one
//       (`express`, `fs`) is used like the module itself (`fs.readFileSync` -> "fs.readFileSync").
//   import { ChatOpenAI as C } from "@langchain/openai" -> module "@langchain/openai", name "ChatOpenAI", alias "C"
//   import * as ai from "ai"             -> module "ai", name "", alias "ai"
//   const X = require("m"), import X = require("m") (TS), const X = await import("m"):
//                                           like a default import of "m"
//   const { A, B: C, default: D } = require("m") -> named imports (default: like a default import)
//   require("m") / import("m") without a binding -> module "m", name "", alias ""
//   Module names are kept as written ("@langchain/openai", "./utils.js"): relative ones start
//   with '.' like Python's.
// Calls (call_expression and new_expression): callee text, qualified dotted name with imports
// resolved, method, receiver, enclosing function/class/method names as scope. An object-literal
// argument is one positional argument (a Dict value) AND each of its properties is also a
// keyword Argument (`create({model: "gpt-4o"})` has keyword `model`; `{...opts}` is a dict
// splat, `[...xs]` spread is a list splat), so Python-shaped rules (`model="gpt-4o"`) match.
// Values: strings and template literals (substitutions shown as "{…}", like f-strings),
// numbers, true/false, null/undefined (None), dotted names, arrays (List), objects (Dict).
// Bindings: `const/let/var x = v`, `x = v`. String literal contexts as in Python: "<callee>
// <key>" for a property of an object passed to a call, "<callee> #N" for a positional
// argument, "= <target>" for a declaration, assignment or class field, "[] <key>" for any other
// object property. `// mlaudit: ignore[rule]` and `/* mlaudit: ignore-file */` comments are
// suppressions.
#pragma once
#include <tree_sitter/api.h>

#include <string_view>
#include <vector>

#include "analyzers/facts.hpp"
#include "analyzers/javascript/js_parser.hpp"

namespace mlaudit::javascript {

facts::PythonFacts extract_facts(const TSTree* tree, Dialect dialect, std::string_view text,
                                 std::vector<facts::Suppression>* suppressions);

}  // namespace mlaudit::javascript
