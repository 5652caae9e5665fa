#!/usr/bin/env python3
"""mlaudit benchmark driver (see bench/README.md).

    python3 bench/run_bench.py --mlaudit build/mlaudit [--raw-parse build/bench/mlaudit_raw_parse]
                               [--only check,latency,audit] [--files 200] [--repeat 5] [--edits 200]
                               [--audit-files 2000] [--audit-repeat 3] [--audit-threads 1,2]
                               [--json out.json]

Three parts, all by default (--only picks some):
  check    on a generated workspace of --files Python files (bench/generate_workspace.py): raw
           tree-sitter parse throughput of every .py file on one thread (the ceiling), and
           `mlaudit check WS --threads 1 --format json --fail-on never`, whole process timed,
           median of --repeat runs, and its ratio to the raw parse;
  latency  didChange -> publishDiagnostics latency on a 3,000-line file of that workspace, through
           `mlaudit server` over stdio;
  audit    index + audit of a generated repository of --audit-files files (generate_workspace.py
           --audit: Python, requirements and other files, plus an ignored data/ folder that must not
           be read): the raw parse of its .py files on one thread, then `mlaudit audit WS --format
           json --threads N` for each N of --audit-threads, median of --audit-repeat runs: wall
           time, files/s, MB/s, peak RSS of the process, audit/raw ratio and the speed-up.
Prints a summary (and a JSON document with --json). Timings are reported, never asserted: the exit
status is non-zero only when something did not run (a missing binary, a crash, a timeout) or when
mlaudit read the ignored data/ folder of the audit workspace.
Python 3 standard library only.
"""
import argparse
import json
import math
import os
import platform
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in bench/
import generate_workspace  # noqa: E402  (the sibling generator)

LATENCY_FILE = os.path.join("scripts", "train_large_3000.py")  # inside the workspace
EDIT_TEXT = "import random\n"
TARGET_RATIO, TARGET_P95_MS = 0.5, 20.0
TARGET_AUDIT_RATIO, TARGET_AUDIT_RSS_MB = 0.5, 200.0  # audit MB/s per core / raw parse MB/s; MB = 10^6 bytes
PARTS = ("check", "latency", "audit")


# --- Small helpers ---------------------------------------------------------------------------

def p95(values):
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))  # what `nproc` prints
    except AttributeError:
        cores = os.cpu_count()
    return {"nproc": cores, "cpu_model": model, "platform": platform.platform(), "python": platform.python_version()}


def commit():
    def git(*args):
        return subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True, timeout=30)
    try:
        head = git("rev-parse", "HEAD").stdout.strip() or None
        dirty = bool(git("status", "--porcelain", "--untracked-files=no").stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        head, dirty = None, None
    return head, dirty


def py_files(root):
    out = []
    for folder, _, names in os.walk(root):
        out += [os.path.join(folder, n) for n in names if n.endswith(".py")]
    return sorted(out)


# --- Throughput ------------------------------------------------------------------------------

def throughput(raw_parse, mlaudit, workspace, repeat, nbytes, timeout):
    """Raw parse and `mlaudit check` runs interleaved (raw, check, raw, check, ...), so that both
    see the same load on a shared machine; the median of each is reported. The check process is
    timed whole: start-up, rubric, crawl, reading, parsing, facts, rules and the JSON output.
    Wall-clock is the figure; CPU seconds are recorded beside it (JSON only)."""
    raw_cmd = [raw_parse, workspace, "--repeat", "1"]
    check_cmd = [mlaudit, "check", workspace, "--threads", "1", "--format", "json", "--fail-on", "never"]
    raw_runs, check_runs, raw_cpu, check_cpu, findings = [], [], [], [], None
    for i in range(repeat + 1):  # round 0 warms the page cache and is not counted
        done = subprocess.run(raw_cmd, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(raw_cmd)} failed ({done.returncode}): {done.stderr.strip()}")
        raw = json.loads(done.stdout)
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(check_cmd, capture_output=True, text=True, timeout=timeout)
        elapsed = time.perf_counter() - start
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"mlaudit check failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
        findings = len(json.loads(done.stdout)["findings"])
        if i:
            raw_runs.append(raw["seconds"])
            check_runs.append(elapsed)
            raw_cpu.append(raw["cpu_seconds"])
            check_cpu.append(cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime)
    if raw["bytes"] != nbytes:
        raise RuntimeError(f"raw parse read {raw['bytes']} bytes, the workspace has {nbytes}")
    raw_s, check_s = statistics.median(raw_runs), statistics.median(check_runs)
    return ({"files": raw["files"], "bytes": nbytes, "seconds": raw_s, "mb_per_s": nbytes / raw_s / 1e6,
             "runs_seconds": raw_runs, "cpu_seconds": statistics.median(raw_cpu), "repeats": repeat,
             "command": " ".join(raw_cmd)},
            {"seconds": check_s, "mb_per_s": nbytes / check_s / 1e6, "runs_seconds": check_runs,
             "cpu_seconds": statistics.median(check_cpu), "findings": findings, "repeats": repeat, "command": " ".join(check_cmd)},
            statistics.median(r / c for r, c in zip(raw_runs, check_runs)))


# --- Workspace audit: index + audit of a whole repository -----------------------------------------

def run_child(cmd, stdout_path, timeout):
    """Runs `cmd` with its standard output in `stdout_path`; returns (seconds, rusage, stderr).

    Peak RSS: os.wait4 returns the resource usage of exactly the child it reaps, so ru_maxrss is
    that process's own high-water mark (KiB on Linux) -- what `/usr/bin/time -f %M` prints, since
    GNU time reads it the same way, without a time process in between. getrusage(RUSAGE_CHILDREN)
    would be wrong here: its ru_maxrss is the maximum over *all* children reaped so far (the raw
    parse, earlier audits), not a sum, so a delta is 0 whenever an earlier child was larger.
    CPU seconds are ru_utime + ru_stime of the same rusage. Wall time: time.perf_counter from just
    before the fork to just after the reap."""
    timed_out = threading.Event()
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)

        def kill():
            timed_out.set()
            proc.kill()
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if timed_out.is_set():
        raise subprocess.TimeoutExpired(cmd, timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr.strip()[-2000:]}")
    return elapsed, usage, stderr


def json_paths(node, out):
    """Every value of a "path" key in a JSON document (findings, evidence, coverage...)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "path" and isinstance(value, str):
                out.append(value)
            else:
                json_paths(value, out)
    elif isinstance(node, list):
        for value in node:
            json_paths(value, out)
    return out


def traced_opens(cmd, trace_path, stdout_path, timeout):
    """Runs `cmd` under strace -f and returns every path it passed to open/openat/openat2, or None
    when strace is missing or cannot trace here (no ptrace in some containers)."""
    strace = shutil.which("strace")
    if not strace:
        return None
    try:
        run_child([strace, "-f", "-qq", "-e", "trace=open,openat,openat2", "-e", "signal=none", "-o", trace_path, *cmd],
                  stdout_path, timeout)
        with open(trace_path, errors="replace") as f:
            trace = f.read()
    except (OSError, RuntimeError):
        return None
    opens = re.findall(r'open(?:at2?)?\((?:[^,"]*, )?"((?:[^"\\]|\\.)*)"', trace)
    return opens or None


def verify_ignored(output_path, opens, workspace, manifest):
    """The audit did not read the ignored folder: its JSON names no path under data/; the number of
    files it analysed lies between the workspace's .py and requirements files (analysed whatever
    else is) and all the files the crawl may see (data/ holds analysable files beyond that); and,
    when strace could trace it, the process opened nothing under data/ -- not even the folder
    itself, for listing. Which other kinds are analysed (YAML/JSON configuration...) is the
    product's business, so the count is a range, and the trace is the authoritative check."""
    with open(output_path, encoding="utf-8") as f:
        report = json.load(f)
    ignored = manifest["ignored_folder"]
    inside = os.path.join(workspace, ignored)
    paths = json_paths(report, [])
    named = [p for p in paths if p == ignored or p.startswith(ignored + "/") or p == inside or p.startswith(inside + "/")]
    lowest = manifest["py_files"] + manifest["requirements_files"]
    analysed = report.get("coverage", {}).get("analysed")
    result = {"analysed": analysed, "analysed_range": [lowest, manifest["files"]],
              "skipped": len(report.get("coverage", {}).get("skipped", [])),
              "findings": len(report.get("findings", [])), "paths_under_ignored_in_report": named[:20],
              "opens_traced": None, "opens_under_ignored": None, "relative_opens": None}
    if opens is not None:
        result["opens_traced"] = len(opens)
        result["opens_under_ignored"] = [p for p in opens if p == inside or p.startswith(inside + "/")][:20]
        result["relative_opens"] = [p for p in opens if not p.startswith("/")][:20]
    result["ok"] = (not named and analysed is not None and lowest <= analysed <= manifest["files"]
                    and not result["opens_under_ignored"] and not result["relative_opens"])
    return result


def measure_audit(raw_parse, mlaudit, workspace, scratch, manifest, repeat, threads, timeout, trace):
    """One untimed warm-up round (the raw parse and one audit: page cache; that audit's output and,
    under strace, its file opens are checked), then `repeat` rounds of: raw parse, audit --threads
    N for each N. Interleaved so that every command sees the same load on a shared machine;
    medians reported."""
    raw_cmd = [raw_parse, workspace, "--repeat", "1", "--exclude", manifest["ignored_folder"]]
    audit_cmd = {n: [mlaudit, "audit", workspace, "--format", "json", "--threads", str(n)] for n in threads}
    out = os.path.join(scratch, "audit.json")  # outside the workspace: the next run must not see it
    raw_out = os.path.join(scratch, "raw.json")
    raw_runs = []
    runs = {n: [] for n in threads}
    verification = None
    for i in range(repeat + 1):
        seconds, usage, _ = run_child(raw_cmd, raw_out, timeout)
        with open(raw_out) as f:
            raw = json.load(f)
        if raw["bytes"] != manifest["py_bytes"] or raw["files"] != manifest["py_files"]:
            raise RuntimeError(f"raw parse read {raw['files']} files / {raw['bytes']} bytes, the workspace has "
                               f"{manifest['py_files']} / {manifest['py_bytes']}")
        if i:
            raw_runs.append({"seconds": raw["seconds"], "cpu_seconds": raw["cpu_seconds"],
                             "process_seconds": seconds, "peak_rss_kib": usage.ru_maxrss})
        if i == 0:  # warm-up: one audit, the checked one (under strace when possible), not timed
            opens = traced_opens(audit_cmd[threads[0]], os.path.join(scratch, "strace.txt"), out, timeout) if trace else None
            if opens is None:
                run_child(audit_cmd[threads[0]], out, timeout)
            verification = verify_ignored(out, opens, workspace, manifest)
            verification["strace"] = "used" if opens is not None else ("off" if not trace else "unavailable")
            continue
        for n in threads:
            seconds, usage, _ = run_child(audit_cmd[n], out, timeout)
            runs[n].append({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                            "peak_rss_kib": usage.ru_maxrss, "output_bytes": os.path.getsize(out)})

    raw_s = statistics.median(r["seconds"] for r in raw_runs)
    raw_result = {"files": manifest["py_files"], "bytes": manifest["py_bytes"], "seconds": raw_s,
                  "mb_per_s": manifest["py_bytes"] / raw_s / 1e6, "runs": raw_runs, "repeats": repeat,
                  "cpu_seconds": statistics.median(r["cpu_seconds"] for r in raw_runs),
                  "peak_rss_mb": max(r["peak_rss_kib"] for r in raw_runs) * 1024 / 1e6, "command": " ".join(raw_cmd)}
    by_threads = {}
    for n in threads:
        secs = statistics.median(r["seconds"] for r in runs[n])
        rss = [r["peak_rss_kib"] * 1024 / 1e6 for r in runs[n]]
        mb_s = manifest["py_bytes"] / secs / 1e6
        by_threads[str(n)] = {
            "threads": n, "seconds": secs, "runs": runs[n], "repeats": repeat,
            "files_per_s": manifest["files"] / secs, "py_files_per_s": manifest["py_files"] / secs,
            "mb_per_s": mb_s, "mb_per_s_per_thread": mb_s / n,
            "per_thread_over_raw": mb_s / n / raw_result["mb_per_s"],
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs[n]),
            "peak_rss_mb_median": statistics.median(rss), "peak_rss_mb_max": max(rss),
            "output_bytes": runs[n][-1]["output_bytes"], "command": " ".join(audit_cmd[n])}
    result = {"raw_parse": raw_result, "audit": by_threads, "ignored_folder_check": verification,
              "peak_rss_mb_max": max(t["peak_rss_mb_max"] for t in by_threads.values())}
    if "1" in by_threads:
        one = by_threads["1"]
        result["audit_1_thread_over_raw"] = one["mb_per_s"] / raw_result["mb_per_s"]
        result["audit_1_thread_over_raw_paired_median"] = statistics.median(
            r["seconds"] / a["seconds"] for r, a in zip(raw_runs, runs[1]))
        for n in threads:
            if n > 1:
                result[f"speedup_{n}_threads"] = one["seconds"] / by_threads[str(n)]["seconds"]
    return result


# --- A minimal LSP client over stdio -----------------------------------------------------------

class LspClient:
    """Content-Length framing; a reader thread timestamps every incoming message on arrival."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox = queue.Queue()  # (perf_counter at arrival, message) or None at end of stream
        self.loaded = threading.Event()  # the server logged that the workspace facts are loaded
        self.stderr_tail = []
        self.next_id = 0
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self):
        stream = self.proc.stdout
        try:
            while True:
                length = None
                while True:  # headers up to the empty line
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.decode("ascii", "replace").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    continue
                body = stream.read(length)
                arrived = time.perf_counter()
                self.inbox.put((arrived, json.loads(body)))
        finally:
            self.inbox.put(None)

    def _read_stderr(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            self.stderr_tail = (self.stderr_tail + [line])[-50:]
            if "workspace facts loaded" in line:  # lsp/server.cpp logs this at info level
                self.loaded.set()

    def send(self, message):
        """Writes one message; returns the perf_counter time just before the write."""
        body = json.dumps(message).encode("utf-8")
        data = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        sent = time.perf_counter()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        return sent

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait_for(self, predicate, timeout):
        """Next message matching predicate, as (arrival time, message); others are dropped
        (requests from the server get a null result). Raises TimeoutError."""
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("no matching message within %.1f s" % timeout)
            try:
                item = self.inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            if item is None:
                raise RuntimeError("the server closed its output (exit code %s); stderr:\n%s"
                                   % (self.proc.poll(), "\n".join(self.stderr_tail)))
            arrived, message = item
            if "method" in message and "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            if predicate(message):
                return arrived, message

    def drain(self, quiet):
        """Drops messages until none arrived for `quiet` seconds."""
        while True:
            try:
                if self.inbox.get(timeout=quiet) is None:
                    return
            except queue.Empty:
                return

    def close(self, timeout):
        try:
            shutdown = self.request("shutdown", None)
            self.wait_for(lambda m: m.get("id") == shutdown, timeout)
            self.notify("exit", None)
            self.proc.stdin.close()
            return self.proc.wait(timeout=timeout)
        except (OSError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(timeout=timeout)
            return None


# A statement at function-body indentation that is neither a block header nor a clause.
BODY_STATEMENT = re.compile(r"    (?!(?:def|class|else|elif|except|finally|return)\b)[a-z_]")


def edit_lines(lines):
    """Two places near the middle of the file: the start of a top-level def/class that follows
    a blank line (a top-level `import random` there keeps the file valid), and a line between
    two simple statements of a function body (where the import, indented, is a local import;
    not the first statement of the block, whose INDENT token makes tree-sitter reparse much more)."""
    middle, top, body = len(lines) // 2, None, None
    for delta in range(len(lines)):
        for i in (middle - delta, middle + delta):
            if not 0 < i < len(lines):
                continue
            if top is None and lines[i - 1] == "" and lines[i].startswith(("def ", "class ")):
                top = i
            if (body is None and BODY_STATEMENT.match(lines[i - 1]) and BODY_STATEMENT.match(lines[i])
                    and not lines[i - 1].endswith((":", "{", "(", "[", ",", "\\"))):
                body = i
        if top is not None and body is not None:
            return top, body
    raise RuntimeError("no place to edit in the latency file")


def edit_loop(client, uri, first_version, line, text, edits, timeout):
    """Alternately inserts `text` at the start of `line` and removes it again, one didChange
    (incremental) at a time; each waits for the publish carrying its version. Returns ms."""
    latencies = []
    for i in range(edits):
        version = first_version + i
        start, end = {"line": line, "character": 0}, {"line": line + (i % 2), "character": 0}
        change = {"range": {"start": start, "end": end}, "text": "" if i % 2 else text}
        sent = client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                       "contentChanges": [change]})
        arrived, _ = client.wait_for(is_publish(uri, version), timeout)
        latencies.append((arrived - sent) * 1e3)
    return latencies


def is_publish(uri, version):
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("uri") == uri
                      and m["params"].get("version") == version)


def summary(latencies, line):
    return {"edits": len(latencies), "line": line + 1, "median_ms": statistics.median(latencies),
            "p95_ms": p95(latencies), "min_ms": min(latencies), "max_ms": max(latencies),
            "mean_ms": statistics.fmean(latencies),
            "insert_median_ms": statistics.median(latencies[0::2]),
            "remove_median_ms": statistics.median(latencies[1::2]) if len(latencies) > 1 else None,
            "samples_ms": [round(x, 3) for x in latencies]}


def measure_latency(mlaudit, workspace, path, edits, timeout):
    uri = "file://" + path
    with open(path, encoding="utf-8") as f:
        text = f.read()
    top, body = edit_lines(text.split("\n"))
    client = LspClient([mlaudit, "server", "--log-level", "info"])
    result = {"file_lines": text.count("\n"), "file_bytes": len(text.encode("utf-8")),
              "server_threads": "default: min(nproc, 4)"}
    try:
        started = time.perf_counter()
        init = client.request("initialize", {
            "processId": os.getpid(),
            "rootUri": "file://" + workspace,
            "workspaceFolders": [{"uri": "file://" + workspace, "name": "bench"}],
            # No textDocument.diagnostic capability: the server must push, with versions.
            "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                             "textDocument": {"synchronization": {"dynamicRegistration": False},
                                              "publishDiagnostics": {"versionSupport": True}}},
        })
        client.wait_for(lambda m: m.get("id") == init, timeout)
        client.notify("initialized", {})
        # Let the background indexing of the workspace finish, so it does not share the CPU
        # with the edits we time (it would, for a user who types right after opening a folder).
        result["workspace_loaded"] = client.loaded.wait(timeout)
        result["workspace_load_ms"] = (time.perf_counter() - started) * 1e3
        sent = client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}})
        arrived, first = client.wait_for(is_publish(uri, 1), timeout)
        result["open_ms"] = (arrived - sent) * 1e3
        result["diagnostics_after_open"] = len(first["params"]["diagnostics"])
        client.drain(0.3)  # any refresh the open caused

        # The headline figure: a top-level `import random` (the scenario).
        top_level = edit_loop(client, uri, 2, top, EDIT_TEXT, edits, timeout)
        result.update(summary(top_level, top))
        # For comparison: the same import inside a function body. tree-sitter reuses far more of
        # the old tree for an edit inside a block than for a new top-level statement (see README).
        if edits % 2 and body > top:
            body += 1  # an odd number of edits left the top-level line inserted
        in_body = edit_loop(client, uri, 2 + edits, body, "    " + EDIT_TEXT, edits, timeout)
        result["in_function_body"] = summary(in_body, body)
    finally:
        result["server_exit_code"] = client.close(timeout)
    return result


# --- Main ------------------------------------------------------------------------------------

def parse_parts(text):
    parts = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise argparse.ArgumentTypeError(f"--only takes a comma-separated list of {', '.join(PARTS)}")
    return set(parts)


def parse_threads(text):
    try:
        threads = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError:
        threads = []
    if not threads or threads[0] < 1:
        raise argparse.ArgumentTypeError("--audit-threads takes a comma-separated list of thread counts, e.g. 1,2")
    return threads


def met(ok):
    return "met" if ok else "NOT met"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mlaudit", required=True, help="the mlaudit binary (e.g. build/mlaudit)")
    parser.add_argument("--raw-parse", help="default: <dir of --mlaudit>/bench/mlaudit_raw_parse")
    parser.add_argument("--only", type=parse_parts, default=set(PARTS), metavar="PARTS",
                        help="comma-separated parts to run: check, latency, audit (default: all three)")
    parser.add_argument("--files", type=int, default=200, help="Python files in the check/latency workspace (default 200)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of check and of the raw parse (median)")
    parser.add_argument("--edits", type=int, default=200, help="didChange notifications timed (default 200)")
    parser.add_argument("--audit-files", type=int, default=2000,
                        help="files of the audit workspace, as the crawl sees them (default 2000; the issue's figure: 10000)")
    parser.add_argument("--audit-repeat", type=int, default=3, help="timed rounds of the audit part (median; default 3)")
    parser.add_argument("--audit-threads", type=parse_threads, default=[1, 2], metavar="N,N",
                        help="thread counts of `mlaudit audit --threads` (default 1,2)")
    parser.add_argument("--no-strace", action="store_true",
                        help="do not trace the warm-up audit's file opens (the check that data/ is not read)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--timeout", type=float, default=120.0, help="bound on every wait, in seconds")
    parser.add_argument("--json", metavar="OUT", help="also write all figures to OUT as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces and print their paths")
    args = parser.parse_args()
    if args.files < 4 or args.repeat < 1 or args.edits < 2 or args.audit_files < 50 or args.audit_repeat < 1:
        parser.error("--files must be at least 4, --repeat at least 1, --edits at least 2, "
                     "--audit-files at least 50 and --audit-repeat at least 1")
    parts = args.only

    mlaudit = os.path.abspath(args.mlaudit)
    raw_parse = os.path.abspath(args.raw_parse or os.path.join(os.path.dirname(mlaudit), "bench", "mlaudit_raw_parse"))
    for binary in (mlaudit, raw_parse):
        if not os.access(binary, os.X_OK):
            sys.exit(f"run_bench: {binary} is missing: build it (cmake --build <dir>)")

    head, dirty = commit()  # before the runs: the tree may change while they run
    report = {"schema": "mlaudit-bench/2", "command": " ".join([os.path.relpath(sys.argv[0])] + sys.argv[1:]),
              "commit": head, "dirty": dirty, "machine": machine(), "parts": [p for p in PARTS if p in parts]}
    temporary = []
    try:
        if parts & {"check", "latency"}:
            workspace = tempfile.mkdtemp(prefix="mlaudit-bench-")
            temporary.append(workspace)
            # The 3,000-line file is part of the workspace: it counts in the throughput too.
            generate_workspace.generate_workspace(workspace, args.files - 1, args.seed)
            latency_path = os.path.join(workspace, LATENCY_FILE)
            generate_workspace.write(latency_path, generate_workspace.latency_file(args.seed, 3000))
            files = py_files(workspace)
            nbytes = sum(os.path.getsize(f) for f in files)
            report["workspace"] = {"py_files": len(files), "bytes": nbytes, "seed": args.seed, "latency_file": LATENCY_FILE}
            if "check" in parts:
                raw, check, paired_ratio = throughput(raw_parse, mlaudit, workspace, args.repeat, nbytes, args.timeout)
                report.update({"raw_parse": raw, "check": check, "check_over_raw": check["mb_per_s"] / raw["mb_per_s"],
                               "check_over_raw_paired_median": paired_ratio})
            if "latency" in parts:
                report["edit_latency"] = measure_latency(mlaudit, workspace, latency_path, args.edits, args.timeout)
        if "audit" in parts:
            workspace = tempfile.mkdtemp(prefix="mlaudit-bench-audit-")
            scratch = tempfile.mkdtemp(prefix="mlaudit-bench-out-")
            temporary += [workspace, scratch]
            started = time.perf_counter()
            manifest = generate_workspace.generate_audit_workspace(workspace, args.audit_files, args.seed)
            manifest["generation_seconds"] = time.perf_counter() - started
            report["audit_workspace"] = manifest
            report["audit"] = measure_audit(raw_parse, mlaudit, workspace, scratch, manifest, args.audit_repeat,
                                            args.audit_threads, args.timeout, not args.no_strace)
    except (OSError, RuntimeError, TimeoutError, subprocess.TimeoutExpired, ValueError) as e:
        print(f"run_bench: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    finally:
        for folder in temporary:
            if args.keep:
                print(f"kept {folder}", file=sys.stderr)
            else:
                shutil.rmtree(folder, ignore_errors=True)

    report["targets"] = {"check_over_raw_min": TARGET_RATIO, "edit_p95_ms_max": TARGET_P95_MS,
                         "audit_1_thread_over_raw_min": TARGET_AUDIT_RATIO, "audit_peak_rss_mb_max": TARGET_AUDIT_RSS_MB}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")

    m = report["machine"]
    print(f"mlaudit benchmark — commit {(head or '?')[:12]}{' (dirty)' if dirty else ''}, "
          f"{m['nproc']} cores, {m['cpu_model']}")
    if "workspace" in report:
        w = report["workspace"]
        print(f"workspace: {w['py_files']} .py files, {w['bytes'] / 1e6:.2f} MB (seed {args.seed})")
    if "check" in report:
        raw, check, ratio = report["raw_parse"], report["check"], report["check_over_raw"]
        print(f"raw tree-sitter parse, 1 thread: {raw['mb_per_s']:7.2f} MB/s  ({raw['seconds']:.3f} s, median of {raw['repeats']})")
        print(f"mlaudit check --threads 1:       {check['mb_per_s']:7.2f} MB/s  ({check['seconds']:.3f} s, median of "
              f"{check['repeats']}, {check['findings']} findings)")
        print(f"check / raw parse:               {ratio:7.2f}   (target >= {TARGET_RATIO}: {met(ratio >= TARGET_RATIO)})")
    if "edit_latency" in report:
        latency = report["edit_latency"]
        body = latency["in_function_body"]
        print(f"didChange -> publishDiagnostics, {latency['file_lines']}-line file, {latency['edits']} edits each:")
        print(f"  top-level `import random`, line {latency['line']}: median {latency['median_ms']:.2f} ms, "
              f"p95 {latency['p95_ms']:.2f} ms, max {latency['max_ms']:.2f} ms  (target p95 <= {TARGET_P95_MS:g} ms: "
              f"{met(latency['p95_ms'] <= TARGET_P95_MS)}; insert median "
              f"{latency['insert_median_ms']:.2f} ms, remove median {latency['remove_median_ms'] or 0:.2f} ms)")
        print(f"  same line in a function body, line {body['line']}: median {body['median_ms']:.2f} ms, "
              f"p95 {body['p95_ms']:.2f} ms, max {body['max_ms']:.2f} ms")
        print(f"  first publish after didOpen: {latency['open_ms']:.1f} ms; workspace indexed "
              f"{'in %.0f ms' % latency['workspace_load_ms'] if latency['workspace_loaded'] else 'NOT seen (timed out)'}")
    status = 0
    if "audit" in report:
        w, a = report["audit_workspace"], report["audit"]
        raw, v = a["raw_parse"], a["ignored_folder_check"]
        print(f"audit workspace: {w['files']} files ({w['py_files']} .py, {w['py_bytes'] / 1e6:.2f} MB; "
              f"{w['requirements_files']} requirements; {w.get('artifact_files', 0)} model artifacts, "
              f"{w.get('artifact_bytes', 0) / 1e6:.1f} MB; {w['other_files']} other), generated in {w['generation_seconds']:.1f} s; "
              f"ignored {w['ignored_folder']}/: {w['ignored_files']} files, {w['ignored_bytes'] / 1e6:.1f} MB")
        traced = (f"strace: {v['opens_traced']} opens, {len(v['opens_under_ignored'])} under {w['ignored_folder']}/"
                  if v["strace"] == "used" else f"strace {v['strace']}")
        print(f"  {w['ignored_folder']}/ not read: {'yes' if v['ok'] else 'NO'} ({v['analysed']} files analysed, "
              f"expected {v['analysed_range'][0]}-{v['analysed_range'][1]}; "
              f"{len(v['paths_under_ignored_in_report'])} report paths under it; {traced})")
        print(f"  raw tree-sitter parse, 1 thread: {raw['mb_per_s']:7.2f} MB/s  ({raw['seconds']:.3f} s, median of "
              f"{raw['repeats']}; peak RSS {raw['peak_rss_mb']:.0f} MB)")
        for n, t in a["audit"].items():
            print(f"  mlaudit audit --threads {n}:     {t['mb_per_s']:7.2f} MB/s  ({t['seconds']:.3f} s, median of {t['repeats']}; "
                  f"{t['files_per_s']:.0f} files/s; CPU {t['cpu_seconds']:.2f} s; peak RSS {t['peak_rss_mb_median']:.0f} MB, "
                  f"max {t['peak_rss_mb_max']:.0f} MB)")
        if "audit_1_thread_over_raw" in a:
            ratio = a["audit_1_thread_over_raw"]
            print(f"  audit / raw parse, 1 thread:     {ratio:7.2f}   (paired median {a['audit_1_thread_over_raw_paired_median']:.2f}; "
                  f"target >= {TARGET_AUDIT_RATIO}: {met(ratio >= TARGET_AUDIT_RATIO)})")
            for key, value in a.items():
                if key.startswith("speedup_"):
                    n = key.split("_")[1]
                    print(f"  speed-up on {n} threads:          {value:7.2f}x  (per thread: "
                          f"{a['audit'][n]['per_thread_over_raw']:.2f} x raw parse)")
        rss = a["peak_rss_mb_max"]
        print(f"  peak RSS, largest audit run:     {rss:7.0f} MB  (target <= {TARGET_AUDIT_RSS_MB:g} MB: "
              f"{met(rss <= TARGET_AUDIT_RSS_MB)})")
        if not v["ok"]:
            print(f"run_bench: mlaudit read the ignored {w['ignored_folder']}/ folder (or analysed an unexpected "
                  f"number of files): {json.dumps(v)}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
