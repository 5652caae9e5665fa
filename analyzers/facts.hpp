// Facts: the only contract between the analyzers and everything after them (index, rubric,
// outputs). Plain data, no syntax trees, no LSP types. Every fact carries a source range in
// bytes; outputs convert it to the column units they need with support/text.hpp.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlaudit::facts {

struct Point {
  uint32_t line = 0;    // 0-based
  uint32_t column = 0;  // bytes from the start of the line
  bool operator==(const Point&) const = default;
};

struct Range {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  Point start;
  Point end;
  bool operator==(const Range&) const = default;
};

// An import binding, with the name it binds locally.
//   import torch as T            -> module "torch",        name "",     alias "T"
//   import numpy.random          -> module "numpy.random", name "",     alias "numpy"
//   from torch import load as tl -> module "torch",        name "load", alias "tl"
//   from .utils import set_seed  -> module ".utils",       name "set_seed", alias "set_seed"
struct Import {
  std::string module;  // dotted; relative imports keep their leading dots
  std::string name;    // "" for `import x`, "*" for a wildcard import
  std::string alias;   // the local name bound ("" for a wildcard)
  Range range;
  Range statement;     // the whole import statement (column 0 at module level)
  bool operator==(const Import&) const = default;
};

struct DictEntry;

// A literal-ish value of an argument or an assignment.
struct Value {
  enum class Kind : uint8_t { Other, None, True, False, Number, String, Name, Dict, List };
  Kind kind = Kind::Other;
  std::string text;       // string contents, number text, or dotted name as written
  std::string qualified;  // for Name: the dotted name with imports resolved ("yaml.SafeLoader")
  std::vector<DictEntry> entries;  // Dict: literal `{...}` or `dict(k=v)` with string keys;
                                   // List: a list/tuple literal's items (keys empty)
  bool operator==(const Value&) const;
};

struct DictEntry {
  std::string key;
  Value value;
  bool operator==(const DictEntry&) const = default;
};

inline bool Value::operator==(const Value& other) const {
  return kind == other.kind && text == other.text && qualified == other.qualified &&
         entries == other.entries;
}

struct Argument {
  std::string keyword;        // "" for positional arguments
  bool dict_splat = false;    // **value
  bool list_splat = false;    // *value
  Value value;
  Range range;
  // Data flow within one scope: the callee texts (imports resolved) of the calls whose results
  // reach this argument, directly (`exec(f())`) or through local assignments before it
  // (`r = client.chat.completions.create(...); code = r.choices[0].message.content; exec(code)`),
  // through attribute/subscript access, f-strings, `+`, `%` and `.format`. Bounded (python_flow.hpp).
  std::vector<std::string> sources;
  bool operator==(const Argument&) const = default;
};

struct Call {
  std::string callee;     // the function expression as written (whitespace collapsed, capped)
  std::string qualified;  // dotted name with imports resolved, "" when not a plain dotted chain
  std::string method;     // last name segment: "load" in T.load(), "train" in Trainer(a).train()
  std::string receiver;   // callee text before the last '.', "" for a plain name
  std::string scope;      // enclosing def/class names joined by '.', "" at module level
  bool in_main_guard = false;  // inside `if __name__ == "__main__":`
  std::vector<Argument> args;
  Range range;         // the whole call
  Range callee_range;  // the function expression
  bool operator==(const Call&) const = default;
};

// `name = value` at any scope: lets rules follow `trust_remote_code=flag` and `**kwargs`.
struct Binding {
  std::string name;
  std::string scope;
  Value value;
  Range range;
  std::vector<std::string> sources;  // as Argument::sources, for the assigned value
  bool operator==(const Binding&) const = default;
};

// A string literal with what surrounds it: the call and keyword it is passed to, the target it
// is assigned to, or the dictionary key it is stored under (rules match secrets on this).
struct StringLiteral {
  std::string value;
  std::string context;
  Range range;
  bool operator==(const StringLiteral&) const = default;
};

// The code facts of a source file. Despite the name, language-neutral: Python files and
// notebooks fill it, and JavaScript/TypeScript files too, in the same shapes (mapping of JS
// imports, object-literal keyword arguments etc. in analyzers/javascript/js_facts.hpp), so
// rules and audit evidence written for Python calls apply to JS/TS unchanged.
struct PythonFacts {
  std::vector<Import> imports;
  std::vector<Call> calls;
  std::vector<Binding> bindings;
  std::vector<StringLiteral> strings;
  bool has_main_guard = false;
  bool has_syntax_errors = false;
  bool operator==(const PythonFacts&) const = default;
};

// One requirement line of a requirements*.txt / constraints*.txt file.
struct Requirement {
  std::string name;       // PEP 503 normalized: lower case, runs of -_. become '-'
  std::string specifier;  // ">=2.0,<3", "==2.1.0", "" when none
  bool pinned = false;    // an exact `==` (or `===`) pin without wildcard
  Range range;            // the whole requirement (without comments)
  // Added with the manifest analyzers (analyzers/manifests/):
  std::string group = "main";   // "main", "dev", "optional:<extra>", "group:<name>" (Poetry/PEP 735), "peer"
  std::string ecosystem = "pypi";  // "pypi" (PEP 503 names), "conda" (conda names), "npm" (names as is)
  std::vector<std::string> extras;  // `transformers[torch]` -> {"torch"}
  std::string marker;      // the PEP 508 environment marker, "" when none
  std::string url;         // direct URL, VCS URL or local path, "" when from an index
  bool editable = false;   // `-e` / `editable = true` / `develop = true`
  bool hashed = false;     // `--hash=...` given (pip's hash-checking mode)
  bool operator==(const Requirement&) const = default;
};

// `-r other.txt` (requirements) or `-c constraints.txt` (constraints) in a requirements file.
struct RequirementInclude {
  std::string path;         // as written, relative to the including file
  bool constraint = false;  // -c / --constraint
  Range range;
  bool operator==(const RequirementInclude&) const = default;
};

// One package version a lock file pins (poetry.lock, uv.lock, pdm.lock, Pipfile.lock,
// conda-lock.yml, package-lock.json).
struct LockedPackage {
  std::string name;     // PEP 503 normalized for Python, conda names as is, npm names as is
  std::string version;  // "2.6.0+cu124"
  std::string ecosystem = "pypi";  // as in Requirement
  uint32_t line = 0;    // 0-based line of the entry (0 when the format has no positions: JSON)
  bool operator==(const LockedPackage&) const = default;
};

// Why a file could not be read as its format (invalid TOML/JSON/YAML, a section of the wrong
// type), at the error's position. The file's other facts hold what could be read.
struct ParseError {
  std::string message;
  Range range;
  bool operator==(const ParseError&) const = default;
};

// `# mlaudit: ignore[rule-a, rule-b]` (or bare `# mlaudit: ignore` for every rule) on `line`;
// `# mlaudit: ignore-file[...]` on any line is `whole_file`.
struct Suppression {
  uint32_t line = 0;
  std::vector<std::string> rules;  // empty: all rules
  bool whole_file = false;
  bool operator==(const Suppression&) const = default;
};

// One key of a YAML or JSON configuration file. Keys are dotted paths from the document root;
// list items add "[]": `jobs.test.steps[].uses`. Maps and lists are keys too (value "").
struct ConfigKey {
  std::string key;
  std::string value;  // a scalar's text (capped at 200 bytes), "" for maps, lists and nulls
  uint32_t line = 0;  // 0-based line of the key (of the item for list items)
  bool operator==(const ConfigKey&) const = default;
};

// A global that unpickling a model artifact would import (GLOBAL, INST, STACK_GLOBAL opcodes):
// `os.system`, `torch._utils._rebuild_tensor_v2`. Read from the opcode stream, never unpickled.
struct PickleGlobal {
  std::string module;   // "?" when the scanner could not resolve it (STACK_GLOBAL on non-strings, EXT codes)
  std::string name;
  std::string stream;   // the ZIP entry ("archive/data.pkl"), "" for the file itself
  uint64_t offset = 0;  // of the opcode, in the (decompressed) stream
  bool called = false;  // REDUCE/NEWOBJ/OBJ/INST applies it: unpickling calls it
  bool operator==(const PickleGlobal&) const = default;
};

// What a model artifact is (by content, not by name) and what its pickle streams import.
struct ArtifactFacts {
  // pickle, torch-legacy, torch-zip, zip (no data.pkl), joblib-zlib / pickle-zlib and -gzip
  // (scanned), joblib-lzma / pickle-bz2 / ... (not scanned: a skip reason), safetensors, onnx,
  // gguf; "" when the content is none of these.
  std::string format;
  std::vector<PickleGlobal> globals;  // one per (stream, module, name), first offset
  std::vector<std::string> notes;     // parts not scanned and why ("archive/x.pkl: truncated at 120")
  bool operator==(const ArtifactFacts&) const = default;
};


// Manifest: pyproject.toml, setup.cfg, Pipfile (dependency declarations; setup.py stays Python,
// environment.yml and package.json stay Config and carry requirements too). LockFile: the lock
// files the manifest analyzers read. Artifact: model files (analyzers/artifacts, streamed).
// Notebook: .ipynb (analyzers/notebooks; its code cells are in `python`). Text: another text
// file a signal reader wants (Dockerfile, Jenkinsfile, *.tf, CODEOWNERS, README.md:
// analyzers/signal_readers.hpp). JavaScript: .js/.jsx/.mjs/.cjs/.ts/.tsx/.mts/.cts sources
// (analyzers/javascript; their code facts are in `python`).
enum class FileKind : uint8_t { Python, Requirements, Config, Other, Manifest, LockFile, Artifact, Notebook, Text, JavaScript };

// Where one line of a notebook's code, or one output line, came from. The code cells of a
// notebook are concatenated into one Python text (so a later cell sees the imports of an
// earlier one); the line of a fact's Range indexes NotebookFacts::lines.
struct NotebookLine {
  uint32_t cell = 0;         // index into the notebook's `cells` array
  uint32_t line = 0;         // 0-based line within the cell's source (outputs: its last line)
  uint32_t json_offset = 0;  // byte offset in the .ipynb text where the line's characters start
                             // inside their JSON string (0 when the cells came from an editor)
  bool output = false;       // a line of the cell's outputs, not of its source
  bool operator==(const NotebookLine&) const = default;
};

struct NotebookFacts {
  std::string code;                    // the concatenated Python the facts were taken from
  std::vector<NotebookLine> lines;     // one per line of `code` (each cell is followed by a blank
                                       // line), then one per entry of `outputs`
  std::vector<StringLiteral> outputs;  // output lines that may hold a secret (context: the line)
  uint32_t cells = 0, code_cells = 0;
  uint32_t cells_with_outputs = 0;     // code cells committed with outputs
  bool operator==(const NotebookFacts&) const = default;
};

// A named observation an analyzer of a non-code file made: a CI job that runs tests, a base
// image without a tag, a KServe canary split. The analyzer says what it saw; rubric/items.yaml
// (`signals:` evidence) and rules.yaml (`kind: signals`) decide what it means. Ids are dotted
// and lower-case, `<source>.<observation>` ("ci.runs-tests", "docker.base-image-unpinned");
// each analyzer's header lists the ids it emits.
struct Signal {
  std::string id;
  std::string detail;  // what the report and messages show ("job test runs pytest"); never a secret
  Range range;         // where it was seen (a whole-file observation: the first line)
  bool operator==(const Signal&) const = default;
};

// Why a file's content was not analysed.
struct Skip {
  std::string reason;  // "" when analysed
  // Not analysable by design rather than broken (a Helm/Go template is YAML only once
  // rendered): listed in the report's coverage, but no "not analysed" diagnostic in the editor.
  bool by_design = false;
  bool operator==(const Skip&) const = default;
};

struct FileFacts {
  std::string path;  // as given to the analyzer (workspace-relative or absolute)
  FileKind kind = FileKind::Other;
  uint64_t bytes = 0;
  Skip skipped;
  PythonFacts python;
  std::vector<Requirement> requirements;
  std::vector<ConfigKey> config;  // Config files: YAML (every document) and JSON keys
  std::vector<Suppression> suppressions;
  std::vector<RequirementInclude> includes;  // requirements files: -r / -c
  std::vector<LockedPackage> locked;         // lock files
  std::vector<ParseError> parse_errors;      // malformed content (rule malformed-file)
  ArtifactFacts artifact;  // Artifact files (read by analyzers/artifacts, streamed)
  std::optional<NotebookFacts> notebook;  // Notebook files (their code is in `python`)
  std::vector<Signal> signals;            // observations of the non-code analyzers
  bool operator==(const FileFacts&) const = default;
};

using FileFactsPtr = std::shared_ptr<const FileFacts>;

}  // namespace mlaudit::facts
