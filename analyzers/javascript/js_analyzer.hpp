// JavaScript and TypeScript source files (FileKind::JavaScript): which names are read, which
// texts are not analysed (minified bundles), and the facts of one file. The code facts go into
// FileFacts::python (the language-neutral code facts; mapping in js_facts.hpp).
#pragma once
#include <string>
#include <string_view>

#include "analyzers/facts.hpp"

namespace mlaudit::javascript {

// .js .jsx .mjs .cjs .ts .tsx .mts .cts, except type declarations (.d.ts, .d.mts, .d.cts:
// no code runs there). Build outputs (dist/, build/, node_modules/) are left out by the crawler.
bool is_javascript_path(std::string_view path);

// Why `text` is not analysed as source, or "": a bundled/minified file (lines averaging more
// than 500 bytes) is generated code, and its facts would be the bundled libraries', not the
// project's.
std::string minified_reason(std::string_view text);

// Parses and extracts `text` into out.python (and its // mlaudit: suppressions), or sets
// out.skipped for a minified file.
void analyze_javascript(std::string_view path, std::string_view text, facts::FileFacts& out);

}  // namespace mlaudit::javascript
