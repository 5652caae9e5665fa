#!/usr/bin/env python3
"""Runs one LSP transcript against the real `mlaudit server` (Python 3 stdlib only).

    python3 run_transcript.py PATH/TO/mlaudit TRANSCRIPT [-v | -vv]

-v traces the steps and the traffic on stderr (-vv: whole messages).

A transcript (`*.transcript`) is a list of steps, in the spirit of clangd's lit tests. A step
starts with a keyword at column 0; its argument runs until the next step, so JSON may span
several (indented) lines. Lines starting with `#` are comments.

Setup (before the first message is sent; the server starts at the first send):
  workspace DIR [AS]         copy DIR (relative to the repository root) into the temp workspace $ROOT
                             (into $ROOT/AS when given: several folders in one workspace)
  file PATH <<EOF ... EOF    write a file (UTF-8, the lines in between) into the workspace; also
                             allowed later, to change the workspace on disk mid-transcript
  files N PATH <<EOF ... EOF N files, `{n}` in PATH and in the text replaced by 0..N-1 (a big
                             workspace, e.g. for $/progress); also allowed later
  env NAME=VALUE             environment variable for the server (MLAUDIT_TEST_DELAY_MS=300)
  spawn NAME CMD ARGS...     start a helper process; $PID(NAME) is its pid (for processId)

Changes on disk while the server runs (the client's file watching is the test's business):
  delete PATH                delete a workspace file

Input:
  send JSON                  one framed message, one write()
  send_together JSON JSON..  several framed messages in a single write()
  send_split MS JSON         one framed message in several writes MS ms apart, cut inside the
                             header, inside "\\r\\n\\r\\n" and inside the body (in a multi-byte
                             UTF-8 character when there is one)
  send_raw LITERAL           bytes as they are; LITERAL is a Python str/bytes literal ("a\\r\\n")
  send_framed LITERAL        LITERAL as a body, framed with its true Content-Length
  close_stdin                end of input for the server
  sleep MS
  answer PATTERN [RESULT]    wait for a server->client request matching PATTERN (as `expect`) and
                             reply to it with RESULT (JSON, default null): window/workDoneProgress/
                             create, client/registerCapability...
  answer_error PATTERN       the same, replying with an error (-32603 "declined")

Expectations (JSON patterns, see `match`; every wait is bounded by `timeout`, default 5000 ms):
  expect PATTERN             the next unconsumed message with PATTERN's selector must match it
  expect_eventually PATTERN  a message with PATTERN's selector matching it must come; those with the
                             selector before it are consumed unchecked (e.g. $/progress reports,
                             however many, up to the `end`; `forbid` what they must not be)
  settle MS PATTERN          wait for a message with PATTERN's selector, then until none has
                             come for MS ms: the last one must match (all are consumed)
  forbid PATTERN             from now on (including messages not consumed yet) no message may
                             match PATTERN, up to the end of the transcript
  expect_none_for MS [PATTERN]  no message matching PATTERN (default: any) within MS ms
  timeout MS                 bound of later waits
  expect_file PATH [PATTERN] the file PATH (absolute, after substitutions) exists now and its text
                             (a string) matches PATTERN
  expect_exit CODE [MS]      the server exits by itself within MS ms (default 5000) with CODE;
                             every transcript ends with it

Documents (the runner keeps the text of every document it opened, applying its own didChange
messages in the negotiated position encoding, as a client does):
  apply_edit NAME VERSION    apply the WorkspaceEdit captured as NAME (or the `edit` of a captured
                             CodeAction) like a client: `documentChanges` must name the document's
                             current version; its edits go out as one didChange with VERSION
                             (incremental changes, last position first)
  expect_text URI PATTERN    the runner's copy of the document's text matches PATTERN

A pattern's selector is its `id` (responses only, unless it has a `method`), its `method`, and
its `params.uri` / `params.version`, those that it has. Patterns match by subset: objects may
have more keys than the pattern; arrays must have the same length and match element by element
unless the pattern array ends with "..." (then each element must match a distinct element, in
any order). Operators: {"$absent": true} (key must be missing), {"$unordered": [...]}
(same length, any order), {"$none": P} (an array no element of which matches P),
{"$regex": "re"} (a string that re.search matches), {"$contains": "text"} (a string containing
text literally), {"$json": P} (a string that parses as JSON matching P, e.g. a report's content),
{"$type": "number|null"} (a value of one of these JSON types: null boolean number string array
object), {"$all": [P, ...]} (matches every P: {"$all": [{"code": "x"}, {"$capture": "d"}]}), {"$capture": "name"} (anything; saved for $VAR(name) when the whole message matches; not
inside "..." or $unordered arrays).

Substitutions in every argument: $ROOT_URI and $ROOT (the temp workspace as file URI / path),
$TMP (another temp directory, outside the workspace, for output files),
$PID(name), $VAR(name) (a captured value as JSON), $REPEAT(N,text) (text N times, as written),
$TEXT(path) (a workspace file's text, JSON-string escaped) and $FIXTURE(name) (the same for
tests/transcripts/fixtures/name).

Besides the steps, the runner fails when stdout holds anything but well-formed frames of
JSON-RPC 2.0 objects, and prints what it received and the server's stderr on any failure.
"""

import ast
import json
import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
KEYWORDS = {"workspace", "file", "files", "delete", "env", "spawn", "send", "send_together", "send_split",
            "send_raw", "send_framed", "close_stdin", "sleep", "answer", "answer_error", "expect",
            "expect_eventually", "settle", "apply_edit", "expect_text",
            "forbid", "expect_none_for", "timeout", "expect_file", "expect_exit"}


class Failure(Exception):
    pass


# Transcript parsing ------------------------------------------------------------------------


# Bounds of waits (`timeout`, `expect_exit`) times MLAUDIT_TEST_TIMEOUT_SCALE: the sanitized build
# (make test-asan) runs several times slower. Quiet periods (`settle`, `expect_none_for`) are not scaled.
def scaled(ms):
    return int(ms * float(os.environ.get("MLAUDIT_TEST_TIMEOUT_SCALE", "1")))

def parse_transcript(path):
    """[(line_number, keyword, argument)]"""
    steps = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        word = line.split(None, 1)[0] if line.strip() else ""
        if not line.strip() or line.startswith("#"):
            i += 1
            continue
        if line[0].isspace() or word not in KEYWORDS:
            raise Failure(f"{path}:{i + 1}: expected a step keyword, got: {line!r}")
        start, arg = i + 1, line[len(word):].strip()
        i += 1
        if word in ("file", "files"):  # file PATH <<EOF / files N PATH <<EOF, then raw lines up to EOF
            m = re.fullmatch(r"(\S+)\s*<<(\w+)" if word == "file" else r"(\d+)\s+(\S+)\s*<<(\w+)", arg)
            if not m:
                raise Failure(f"{path}:{start}: use `file PATH <<EOF` / `files N PATH <<EOF`")
            body = []
            while i < len(lines) and lines[i] != m.group(m.lastindex):
                body.append(lines[i])
                i += 1
            i += 1
            steps.append((start, word, m.groups()[:-1] + ("\n".join(body) + "\n",)))
            continue
        while i < len(lines) and (not lines[i].strip() or lines[i][0].isspace() or lines[i][0] in "{}[]\""):
            arg += "\n" + lines[i]
            i += 1
        steps.append((start, word, arg.strip()))
    return steps


def parse_json_values(text):
    decoder, values, pos = json.JSONDecoder(), [], 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return values
        value, pos = decoder.raw_decode(text, pos)
        values.append(value)


# Pattern matching ---------------------------------------------------------------------------

def short(value, limit=200):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def match(pattern, actual, path="$", captures=None):
    """Mismatches of `actual` against `pattern` as ["path: what"]; empty when it matches."""
    if isinstance(pattern, dict) and len(pattern) == 1 and next(iter(pattern)).startswith("$"):
        op, arg = next(iter(pattern.items()))
        if op == "$capture":
            if captures is not None:
                captures[arg] = actual
            return []
        if op == "$regex":
            ok = isinstance(actual, str) and re.search(arg, actual)
            return [] if ok else [f"{path}: expected a string matching /{arg}/, got {short(actual)}"]
        if op == "$contains":
            ok = isinstance(actual, str) and arg in actual
            return [] if ok else [f"{path}: expected a string containing {short(arg)}, got {short(actual)}"]
        if op == "$json":
            if not isinstance(actual, str):
                return [f"{path}: expected a string of JSON, got {short(actual)}"]
            try:
                parsed = json.loads(actual)
            except ValueError as e:
                return [f"{path}: expected a string of JSON, which does not parse ({e}): {short(actual)}"]
            return match(arg, parsed, f"{path}<json>", captures)
        if op == "$type":
            kind = ("null" if actual is None else "boolean" if isinstance(actual, bool) else
                    "number" if isinstance(actual, (int, float)) else "string" if isinstance(actual, str) else
                    "array" if isinstance(actual, list) else "object")
            return [] if kind in arg.split("|") else [f"{path}: expected a value of type {arg}, got {short(actual)}"]
        if op == "$all":
            return [m for p in arg for m in match(p, actual, path, captures)]
        if op == "$none":
            if not isinstance(actual, list):
                return [f"{path}: expected an array, got {short(actual)}"]
            return [f"{path}[{i}]: no element may match {short(arg)}, but {short(a)} does"
                    for i, a in enumerate(actual) if not match(arg, a)]
        if op == "$unordered":
            if not isinstance(actual, list) or len(actual) != len(arg):
                return [f"{path}: expected an array of {len(arg)} (any order), got {short(actual)}"]
            return match_unordered(arg, actual, path)
        if op == "$absent":
            return [f"{path}: expected no such key, got {short(actual)}"]
        raise Failure(f"unknown pattern operator {op}")
    if isinstance(pattern, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {short(actual)}"]
        out = []
        for key, sub in pattern.items():
            if sub == {"$absent": True}:
                if key in actual:
                    out.append(f"{path}.{key}: expected no such key, got {short(actual[key])}")
            elif key not in actual:
                out.append(f"{path}.{key}: missing (expected {short(sub)})")
            else:
                out += match(sub, actual[key], f"{path}.{key}", captures)
        return out
    if isinstance(pattern, list):
        if not isinstance(actual, list):
            return [f"{path}: expected an array, got {short(actual)}"]
        if pattern and pattern[-1] == "...":
            return match_unordered(pattern[:-1], actual, path)
        if len(pattern) != len(actual):
            return [f"{path}: expected {len(pattern)} elements, got {len(actual)}: {short(actual, 600)}"]
        return [m for i, (p, a) in enumerate(zip(pattern, actual)) for m in match(p, a, f"{path}[{i}]", captures)]
    if type(pattern) != type(actual) and not (isinstance(pattern, (int, float)) and isinstance(actual, (int, float))
                                              and not isinstance(pattern, bool) and not isinstance(actual, bool)):
        return [f"{path}: expected {short(pattern)}, got {short(actual)}"]
    return [] if pattern == actual else [f"{path}: expected {short(pattern)}, got {short(actual)}"]


def match_unordered(patterns, actual, path):
    """Each pattern matches a distinct element of `actual` (backtracking; arrays are small)."""
    candidates = [[j for j, a in enumerate(actual) if not match(p, a)] for p in patterns]

    def assign(i, used):
        if i == len(patterns):
            return True
        return any(assign(i + 1, used | {j}) for j in candidates[i] if j not in used)

    if assign(0, frozenset()):
        return []
    out = []
    for i, (p, c) in enumerate(zip(patterns, candidates)):
        if c or not actual:
            continue
        # Explain with the element that comes closest.
        j, closest = min(((j, match(p, a, f"{path}[{j}]")) for j, a in enumerate(actual)), key=lambda x: len(x[1]))
        out.append(f"{path}: no element matches pattern #{i} {short(p)}; closest is [{j}]: " + "; ".join(closest))
    if not out:
        out.append(f"{path}: the patterns cannot match distinct elements")
    return out + [f"{path}: actual: {short(actual, 3000)}"]


def selector(pattern):
    """The messages a pattern is about: id, method, params.uri, params.version."""
    def select(message):
        if "id" in pattern and (message.get("id") != pattern["id"] or ("method" in message) != ("method" in pattern)):
            return False
        if "method" in pattern and message.get("method") != pattern["method"]:
            return False
        params, wanted = message.get("params"), pattern.get("params")
        if isinstance(wanted, dict):
            for key in ("uri", "version"):
                if isinstance(wanted.get(key), (str, int)):
                    if not isinstance(params, dict) or params.get(key) != wanted[key]:
                        return False
        return True
    return select


# The server process -------------------------------------------------------------------------

class Server:
    def __init__(self, argv, env, verbose):
        self.verbose = verbose
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.inbox = queue.Queue()      # parsed messages, then None at end of stdout
        self.stream_errors = []         # stdout that is not a well-formed LSP stream
        self.stderr = bytearray()
        self.stdout_done = threading.Event()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stderr(self):
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.stderr += chunk

    def _read_stdout(self):
        buffer = b""
        fd = self.proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
            while True:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    break
                length = None
                for line in buffer[:end].split(b"\r\n"):
                    name, sep, value = line.partition(b":")
                    if not sep or name.strip().lower() not in (b"content-length", b"content-type"):
                        self.stream_errors.append(f"bad header line {line!r} in {buffer[:end + 4]!r}")
                    elif name.strip().lower() == b"content-length":
                        length = int(value.strip()) if value.strip().isdigit() else None
                if length is None:
                    self.stream_errors.append(f"frame without a valid Content-Length: {buffer[:200]!r}")
                    buffer = b""
                    break
                if len(buffer) < end + 4 + length:
                    break
                body, buffer = buffer[end + 4:end + 4 + length], buffer[end + 4 + length:]
                try:
                    message = json.loads(body.decode("utf-8"))
                    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
                        raise ValueError("not a JSON-RPC 2.0 object")
                    if "method" not in message and "id" not in message:
                        raise ValueError("neither a request, a notification nor a response")
                    if "id" in message and "method" not in message and ("result" in message) == ("error" in message):
                        raise ValueError("a response needs exactly one of result and error")
                except ValueError as e:
                    self.stream_errors.append(f"bad body ({e}): {body[:300]!r}")
                    continue
                if self.verbose:
                    print(f"  <- {time.monotonic() - self.started:7.3f} {short(message, 300 if self.verbose < 2 else 10**9)}",
                          file=sys.stderr)
                self.inbox.put(message)
        if buffer:
            self.stream_errors.append(f"stdout ended inside a frame: {buffer[:200]!r}")
        self.stdout_done.set()
        self.inbox.put(None)

    def write(self, data, label, timeout_ms):
        """Writes all of data (a single write() when the pipe has room), bounded by timeout_ms."""
        if self.verbose:
            print(f"  -> {time.monotonic() - self.started:7.3f} {label[:300]}", file=sys.stderr)
        errors = []

        def run():
            view = memoryview(data)
            try:
                while view:
                    view = view[os.write(self.proc.stdin.fileno(), view):]
            except OSError as e:
                errors.append(e)
        writer = threading.Thread(target=run, daemon=True)
        writer.start()
        writer.join(timeout_ms / 1000)
        if writer.is_alive():
            raise Failure(f"the server did not read its input within {timeout_ms} ms")
        if errors:
            raise Failure(f"cannot write to the server ({errors[0]}); exit code {self.proc.poll()}")


def frame(body):
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


# The runner ---------------------------------------------------------------------------------

class Runner:
    def __init__(self, binary, transcript, verbose):
        self.binary, self.transcript, self.verbose = binary, transcript, verbose
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="mlaudit-transcript-"))
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix="mlaudit-transcript-out-"))
        self.env = dict(os.environ, MLAUDIT_LOG=os.environ.get("MLAUDIT_LOG", "debug"))
        self.children = {}
        self.server = None
        self.pending = []     # received, not consumed by an expectation
        self.history = []     # everything received, for the failure report
        self.forbidden = []   # (line, pattern)
        self.timeout_ms = scaled(5000)
        self.ended = False
        self.vars = {}        # $capture'd values
        self.documents = {}   # uri -> [text, version] as the runner sent them
        self.encoding = "utf-16"

    # Substitutions
    def substitute(self, text):
        text = text.replace("$ROOT_URI", "file://" + urllib.parse.quote(self.root))
        text = text.replace("$ROOT", self.root)
        text = text.replace("$TMP", self.tmp)
        text = re.sub(r"\$PID\((\w+)\)", lambda m: str(self.children[m.group(1)].pid), text)
        text = re.sub(r"\$VAR\((\w+)\)", lambda m: json.dumps(self.vars[m.group(1)]), text)
        text = re.sub(r"\$REPEAT\((\d+),([^)]*)\)", lambda m: m.group(2) * int(m.group(1)), text)

        def insert(base):
            return lambda m: json.dumps(open(os.path.join(base, m.group(1)), encoding="utf-8", newline="").read(),
                                        ensure_ascii=False)[1:-1]
        text = re.sub(r"\$TEXT\(([^)]*)\)", insert(self.root), text)
        return re.sub(r"\$FIXTURE\(([^)]*)\)", insert(os.path.join(HERE, "fixtures")), text)

    def json_arg(self, text):
        try:
            return json.loads(self.substitute(text))
        except json.JSONDecodeError as e:
            raise Failure(f"the step's JSON does not parse: {e}")

    # Receiving
    def receive(self, deadline):
        """Moves at most one new message into `pending`; False when none came before deadline."""
        if self.server is None:
            raise Failure("no server: send something first")
        remaining = deadline - time.monotonic()
        try:
            message = self.server.inbox.get(timeout=max(0.0, remaining)) if remaining > 0 else self.server.inbox.get_nowait()
        except queue.Empty:
            self.check_stream()
            return False
        self.check_stream()
        if message is None:
            self.ended = True
            self.server.inbox.put(None)  # keep reporting the end
            time.sleep(min(0.01, max(0.0, deadline - time.monotonic())))
            return False
        self.history.append(message)
        self.pending.append(message)
        result = message.get("result")
        if isinstance(result, dict) and isinstance(result.get("capabilities"), dict):
            self.encoding = result["capabilities"].get("positionEncoding", "utf-16")
        self.check_forbidden([message])
        return True

    def check_stream(self):
        if self.server and self.server.stream_errors:
            raise Failure("stdout is not a well-formed LSP stream:\n  " + "\n  ".join(self.server.stream_errors))

    def check_forbidden(self, messages):
        for line, pattern in self.forbidden:
            for message in messages:
                if not match(pattern, message):
                    raise Failure(f"a message matches `forbid` of line {line}:\n  {short(pattern, 400)}\n"
                                  f"received:\n  {short(message, 2000)}")

    def expect(self, pattern, eventually=False):
        """The next unconsumed message with the pattern's selector must match it; returns it.
        eventually: the first one that matches, consuming the others with the selector before it."""
        select = selector(pattern)
        deadline = time.monotonic() + self.timeout_ms / 1000
        while True:
            message = next((m for m in self.pending if select(m)), None)
            if message is not None and eventually and match(pattern, message):
                self.pending.remove(message)
                continue
            if message is not None:
                mismatches = match(pattern, message, captures=self.vars)
                if mismatches:
                    raise Failure("the next message for this selector does not match:\n  " + "\n  ".join(mismatches)
                                  + f"\nexpected (subset):\n  {short(pattern, 2000)}\nreceived:\n  {short(message, 4000)}")
                self.pending.remove(message)
                return message
            if not self.receive(deadline) and (time.monotonic() >= deadline or self.ended):
                why = "the server's stdout ended" if self.ended else f"nothing came within {self.timeout_ms} ms"
                raise Failure(f"{why}; expected:\n  {short(pattern, 2000)}")

    def settle(self, quiet_ms, pattern):
        """Waits for a message with the pattern's selector, then until none has come for
        quiet_ms; all are consumed and the last one must match."""
        select = selector(pattern)
        deadline = time.monotonic() + self.timeout_ms / 1000
        last, last_seen = None, 0.0
        while True:
            for message in [m for m in self.pending if select(m)]:
                self.pending.remove(message)
                last, last_seen = message, time.monotonic()
            now = time.monotonic()
            if last is not None and (now - last_seen >= quiet_ms / 1000 or self.ended):
                break
            if last is None and (now >= deadline or self.ended):
                raise Failure(f"no message for this selector arrived within {self.timeout_ms} ms; expected:\n  "
                              + short(pattern, 2000))
            if now >= deadline:
                raise Failure(f"messages for this selector kept coming for {self.timeout_ms} ms: {short(pattern)}")
            self.receive(deadline if last is None else min(deadline, last_seen + quiet_ms / 1000))
        mismatches = match(pattern, last, captures=self.vars)
        if mismatches:
            raise Failure("the last message for this selector does not match:\n  " + "\n  ".join(mismatches)
                          + f"\nreceived:\n  {short(last, 4000)}")

    # Steps
    def start_server(self):
        if self.server is None:
            self.server = Server([self.binary, "server"], self.env, self.verbose)

    # Documents: the text a client would hold ------------------------------------------------
    def offset(self, text, position):
        """Index into `text` (a str) of an LSP position in the negotiated encoding."""
        line, character = position["line"], position["character"]
        start = 0
        for _ in range(line):
            m = re.compile(r"\r\n|\r|\n").search(text, start)
            if not m:
                return len(text)
            start = m.end()
        end = re.compile(r"\r\n|\r|\n").search(text, start)
        end = end.start() if end else len(text)
        units = 0
        for i in range(start, end):
            if units >= character:
                return i
            c = text[i]
            units += len(c.encode("utf-8")) if self.encoding == "utf-8" else (2 if ord(c) > 0xFFFF else 1) \
                if self.encoding == "utf-16" else 1
        return end

    def track(self, message):
        """Keeps the runner's copy of documents in step with what it sends (malformed
        messages, which some transcripts send on purpose, are not documents)."""
        try:
            self.track_document(message)
        except (KeyError, TypeError, AttributeError):
            pass

    def track_document(self, message):
        method, params = message.get("method"), message.get("params") or {}
        if method == "textDocument/didOpen":
            item = params["textDocument"]
            self.documents[item["uri"]] = [item["text"], item.get("version", 0)]
        elif method == "textDocument/didChange" and params["textDocument"]["uri"] in self.documents:
            doc = self.documents[params["textDocument"]["uri"]]
            for change in params["contentChanges"]:
                if "range" in change:
                    a, b = self.offset(doc[0], change["range"]["start"]), self.offset(doc[0], change["range"]["end"])
                    doc[0] = doc[0][:a] + change["text"] + doc[0][b:]
                else:
                    doc[0] = change["text"]
            doc[1] = params["textDocument"].get("version", doc[1] + 1)

    def apply_edit(self, name, version):
        edit = self.vars.get(name)
        if isinstance(edit, dict) and "edit" in edit:
            edit = edit["edit"]
        if not isinstance(edit, dict):
            raise Failure(f"${name} is not a WorkspaceEdit or a CodeAction with an edit: {short(edit)}")
        per_uri = []
        for change in edit.get("documentChanges", []):
            uri, wanted = change["textDocument"]["uri"], change["textDocument"].get("version")
            if uri not in self.documents:
                raise Failure(f"the edit is for {uri}, which is not open")
            if wanted is not None and wanted != self.documents[uri][1]:
                raise Failure(f"the edit is for version {wanted} of {uri}, the document is at {self.documents[uri][1]}")
            per_uri.append((uri, change["edits"]))
        per_uri += list((edit.get("changes") or {}).items())
        if not per_uri:
            raise Failure(f"the WorkspaceEdit edits nothing: {short(edit)}")
        for uri, edits in per_uri:
            if uri not in self.documents:
                raise Failure(f"the edit is for {uri}, which is not open")
            text = self.documents[uri][0]
            spans = sorted(((self.offset(text, e["range"]["start"]), self.offset(text, e["range"]["end"]), i, e)
                            for i, e in enumerate(edits)), key=lambda x: (x[0], x[2]))
            for (a1, b1, _, _), (a2, b2, _, _) in zip(spans, spans[1:]):
                if a2 < b1:
                    raise Failure(f"overlapping edits in {short(edits, 1000)}")
            # Last position first (and, at one position, the later edit first): each change's
            # positions stay valid, and inserts at one position keep their array order.
            changes = [{"range": e["range"], "text": e["newText"]}
                       for _, _, _, e in sorted(spans, key=lambda x: (x[0], x[2]), reverse=True)]
            message = {"jsonrpc": "2.0", "method": "textDocument/didChange",
                       "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}}
            body = json.dumps(message, ensure_ascii=False).encode()
            self.track(message)
            self.send(frame(body), body.decode())

    def send(self, data, label):
        self.start_server()
        self.server.write(data, label, self.timeout_ms)

    def write_file(self, relative, text):
        path = os.path.join(self.root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    def run_step(self, word, arg):
        if word in ("workspace", "env", "spawn") and self.server is not None:
            raise Failure(f"`{word}` must come before the first message")
        if word == "workspace":
            source, target = (arg.split() + [""])[:2]
            shutil.copytree(os.path.join(REPO, source), os.path.join(self.root, target), dirs_exist_ok=True)
        elif word == "file":
            self.write_file(arg[0], arg[1])
        elif word == "files":
            for n in range(int(arg[0])):
                self.write_file(arg[1].replace("{n}", str(n)), arg[2].replace("{n}", str(n)))
        elif word == "delete":
            try:
                os.remove(os.path.join(self.root, self.substitute(arg)))
            except OSError as e:
                raise Failure(f"cannot delete {arg}: {e}")
        elif word == "env":
            name, _, value = arg.partition("=")
            self.env[name] = self.substitute(value)
        elif word == "spawn":
            name, command = arg.split(None, 1)
            child = self.children[name] = subprocess.Popen(shlex.split(command))
            # Reaped as soon as it ends: a zombie would still look alive to kill(pid, 0).
            threading.Thread(target=child.wait, daemon=True).start()
        elif word == "send":
            message = self.json_arg(arg)
            if isinstance(message, dict):
                self.track(message)
            body = json.dumps(message, ensure_ascii=False).encode()
            self.send(frame(body), body.decode())
        elif word == "send_together":
            bodies = [json.dumps(v, ensure_ascii=False).encode() for v in parse_json_values(self.substitute(arg))]
            self.send(b"".join(frame(b) for b in bodies), " + ".join(b.decode()[:150] for b in bodies))
        elif word == "send_split":
            delay, text = arg.split(None, 1)
            body = json.dumps(self.json_arg(text), ensure_ascii=False).encode()
            data = frame(body)
            header = data.index(b"\r\n\r\n")
            inside = next((i for i, b in enumerate(body) if b >= 0xC0), len(body) // 2) + 1
            cuts = sorted({3, header + 2, header + 4 + inside})
            pieces = [data[a:b] for a, b in zip([0] + cuts, cuts + [len(data)])]
            for n, piece in enumerate(pieces):
                if n:
                    time.sleep(int(delay) / 1000)
                self.send(piece, f"[piece {n + 1}/{len(pieces)}] {piece!r}")
        elif word in ("send_raw", "send_framed"):
            data = ast.literal_eval(self.substitute(arg))
            data = data.encode() if isinstance(data, str) else data
            self.send(frame(data) if word == "send_framed" else data, repr(data))
        elif word == "close_stdin":
            self.start_server()
            self.server.proc.stdin.close()
        elif word == "sleep":
            time.sleep(int(arg) / 1000)
        elif word == "timeout":
            self.timeout_ms = scaled(int(arg))
        elif word == "expect":
            self.expect(self.json_arg(arg))
        elif word == "expect_eventually":
            self.expect(self.json_arg(arg), eventually=True)
        elif word in ("answer", "answer_error"):
            try:
                values = parse_json_values(self.substitute(arg))
            except json.JSONDecodeError as e:
                raise Failure(f"the step's JSON does not parse: {e}")
            if not values or "method" not in values[0] or len(values) > (2 if word == "answer" else 1):
                raise Failure(f"use `{word} PATTERN{' [RESULT]' if word == 'answer' else ''}`; PATTERN needs a method")
            request = self.expect(values[0])
            if "id" not in request:
                raise Failure(f"{short(request)} is a notification, not a request: nothing to answer")
            reply = {"jsonrpc": "2.0", "id": request["id"]}
            if word == "answer":
                reply["result"] = values[1] if len(values) > 1 else None
            else:
                reply["error"] = {"code": -32603, "message": "declined"}
            body = json.dumps(reply, ensure_ascii=False).encode()
            self.send(frame(body), body.decode())
        elif word == "expect_file":
            name, text = (arg.split(None, 1) + [""])[:2]
            name = self.substitute(name)
            try:
                content = open(name, encoding="utf-8", newline="").read()
            except OSError as e:
                raise Failure(f"expected the file {name}: {e}")
            if text.strip():
                mismatches = match(self.json_arg(text), content)
                if mismatches:
                    raise Failure(f"the file {name} does not match:\n  " + "\n  ".join(mismatches))
        elif word == "apply_edit":
            name, version = arg.split()
            self.apply_edit(name, int(version))
        elif word == "expect_text":
            uri, text = arg.split(None, 1)
            uri = self.substitute(uri)
            if uri not in self.documents:
                raise Failure(f"{uri} is not open")
            mismatches = match(self.json_arg(text), self.documents[uri][0])
            if mismatches:
                raise Failure(f"the text of {uri} does not match:\n  " + "\n  ".join(mismatches)
                              + f"\ntext:\n{self.documents[uri][0]}")
        elif word == "settle":
            quiet, text = arg.split(None, 1)
            self.settle(int(quiet), self.json_arg(text))
        elif word == "forbid":
            self.forbidden.append((self.line, self.json_arg(arg)))
            self.check_forbidden(self.pending)
        elif word == "expect_none_for":
            ms, text = (arg.split(None, 1) + [""])[:2]
            pattern = self.json_arg(text) if text.strip() else {}
            deadline = time.monotonic() + int(ms) / 1000
            while True:
                for message in self.pending:
                    if not match(pattern, message):
                        raise Failure(f"expected no message matching {short(pattern)} for {ms} ms, got:\n  "
                                      f"{short(message, 4000)}")
                if not self.receive(deadline) and (time.monotonic() >= deadline or self.ended):
                    break
        elif word == "expect_exit":
            parts = arg.split()
            code, within = int(parts[0]), scaled(int(parts[1]) if len(parts) > 1 else 5000)
            self.start_server()
            try:
                status = self.server.proc.wait(timeout=within / 1000)
            except subprocess.TimeoutExpired:
                raise Failure(f"the server did not exit within {within} ms")
            self.server.stdout_done.wait(5)
            while self.receive(time.monotonic()):
                pass
            if status != code:
                raise Failure(f"exit code {status}, expected {code}")
        else:
            raise Failure(f"unknown step {word}")

    def run(self):
        steps = parse_transcript(self.transcript)
        if not steps or steps[-1][1] != "expect_exit":
            raise Failure("a transcript must end with `expect_exit`")
        for self.line, word, arg in steps:
            self.current = (self.line, word, arg)
            if self.verbose:
                print(f"line {self.line}: {word} {short(arg, 120) if isinstance(arg, str) else ' '.join(arg[:-1])}", file=sys.stderr)
            self.run_step(word, arg)

    def report(self, error):
        line, word, arg = getattr(self, "current", (0, "", ""))
        text = arg if isinstance(arg, str) else " ".join(arg[:-1])
        print(f"FAILED {os.path.basename(self.transcript)}:{line}: {word} {text[:1500]}\n{error}", file=sys.stderr)
        if self.history:
            print("\nmessages received (last 30; * = not consumed):", file=sys.stderr)
            for message in self.history[-30:]:
                mark = "*" if any(message is p for p in self.pending) else " "
                print(f" {mark} {short(message, 600)}", file=sys.stderr)
        if self.server:
            try:
                status = self.server.proc.wait(timeout=0.5)
                signame = f" ({signal.Signals(-status).name})" if status < 0 else ""
                print(f"\nthe server exited with status {status}{signame}", file=sys.stderr)
            except subprocess.TimeoutExpired:
                print("\nthe server is still running", file=sys.stderr)
            tail = self.server.stderr.decode("utf-8", "replace").splitlines()[-40:]
            print("\nserver stderr (last 40 lines):\n  " + "\n  ".join(tail), file=sys.stderr)

    def cleanup(self):
        for child in self.children.values():
            if child.poll() is None:
                child.kill()
            child.wait()
        if self.server and self.server.proc.poll() is None:
            self.server.proc.kill()
            self.server.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    args = [a for a in sys.argv[1:] if a not in ("-v", "-vv")]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    verbose = 2 if "-vv" in sys.argv[1:] else 1 if "-v" in sys.argv[1:] else 0
    runner = Runner(os.path.abspath(args[0]), args[1], verbose)
    started = time.monotonic()
    try:
        runner.run()
    except Failure as e:
        runner.report(e)
        return 1
    finally:
        runner.cleanup()
    print(f"PASSED {os.path.basename(args[1])} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
