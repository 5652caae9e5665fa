"""A small stdio LSP client for the stress tests (Python 3 stdlib only).

Starts `mlaudit server`, frames and reads messages on a background thread, answers the
server's own requests (progress tokens, registrations, refreshes) with null, and reads the
process's memory and CPU figures from /proc. Every wait is bounded: a stuck server fails the
test instead of hanging it.
"""

import json
import os
import queue
import subprocess
import threading
import time
import urllib.parse


class ServerDied(Exception):
    pass


def path_to_uri(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def proc_status(pid, field):
    """A /proc/PID/status field in kB (VmHWM, VmRSS), or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_ticks(pid):
    """utime + stime of PID in clock ticks (all its threads), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)


def thread_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


class LspClient:
    def __init__(self, binary, args=(), env=None, stderr=None, cwd=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.stderr_path = stderr
        self._stderr_file = open(stderr, "wb") if stderr else subprocess.DEVNULL
        self.proc = subprocess.Popen([binary, "server", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr_file, env=full_env, cwd=cwd)
        self.pid = self.proc.pid
        self.messages = queue.Queue()     # every message from the server, in order
        self.raw = bytearray()            # every byte the server wrote to stdout
        self.responses = {}               # id -> response
        self.notifications = []           # (method, params)
        self.cond = threading.Condition()
        self.next_id = 1
        self.eof = False
        self.auto_answer = True
        self.write_lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # Transport ---------------------------------------------------------------------------
    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return self._closed()
                self.raw += line
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii", "replace").partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            body = out.read(length)
            self.raw += body
            if len(body) < length:
                return self._closed()
            message = json.loads(body)
            self._dispatch(message)

    def _closed(self):
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def _dispatch(self, message):
        if "method" in message and "id" in message:  # a request of the server's
            if self.auto_answer:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        with self.cond:
            if "method" in message:
                self.notifications.append((message["method"], message.get("params")))
            elif "id" in message:
                self.responses[message["id"]] = message
            self.messages.put(message)
            self.cond.notify_all()

    def send(self, message):
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self.write_lock:
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                raise ServerDied(f"server gone (exit {self.proc.poll()})")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_async(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid

    def wait_response(self, rid, timeout=30.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while rid not in self.responses:
                if self.eof:
                    raise ServerDied(f"server ended before answering {rid} (exit {self.proc.poll()})")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no answer to request {rid} within {timeout} s")
                self.cond.wait(left)
            return self.responses.pop(rid)

    def request(self, method, params, timeout=30.0):
        return self.wait_response(self.request_async(method, params), timeout)

    def wait_for(self, predicate, timeout=30.0, what="a notification", start=0):
        """Waits for a notification (method, params) satisfying predicate, among those received
        from index `start` on (see notification_count)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(start, len(self.notifications)):
                    if predicate(*self.notifications[i]):
                        return self.notifications[i]
                start = len(self.notifications)
                if self.eof:
                    raise ServerDied(f"server ended while waiting for {what} (exit {self.proc.poll()})")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{what} did not come within {timeout} s")
                self.cond.wait(left)

    # LSP helpers -----------------------------------------------------------------------------
    def initialize(self, root, capabilities=None, process_id=None, options=None, timeout=30.0):
        caps = capabilities if capabilities is not None else {
            "window": {"workDoneProgress": True},
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"hover": {"contentFormat": ["markdown"]},
                             "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}},
                                            "resolveSupport": {"properties": ["edit"]}, "dataSupport": True},
                             "publishDiagnostics": {"versionSupport": True}},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}, "workspaceFolders": True},
        }
        params = {"processId": process_id, "rootUri": path_to_uri(root), "capabilities": caps}
        if options is not None:
            params["initializationOptions"] = options
        result = self.request("initialize", params, timeout)
        self.notify("initialized", {})
        return result

    def progress_ended(self, timeout=120.0):
        """Waits for the end of the indexing progress."""
        return self.wait_for(lambda m, p: m == "$/progress" and isinstance(p, dict)
                             and str(p.get("token", "")).startswith("mlaudit/indexing")
                             and p.get("value", {}).get("kind") == "end", timeout, "the end of indexing")

    def notification_count(self):
        with self.cond:
            return len(self.notifications)

    def wait_indexed(self, open_uri, timeout=120.0):
        """Returns once the workspace is indexed: code actions wait for it (on an open document).
        $/progress cannot say it for a small workspace: the crawl may end before the client
        accepted the progress token, and then no begin/end is sent at all."""
        return self.request("textDocument/codeAction", {
            "textDocument": {"uri": open_uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}}, timeout)

    def last_diagnostics(self, uri):
        with self.cond:
            for method, params in reversed(self.notifications):
                if method == "textDocument/publishDiagnostics" and params["uri"] == uri:
                    return params
        return None

    def shutdown_and_exit(self, timeout=10.0):
        self.request("shutdown", None, timeout)
        self.notify("exit", None)
        return self.proc.wait(timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        if self._stderr_file is not subprocess.DEVNULL:
            self._stderr_file.close()

    # Process figures ---------------------------------------------------------------------
    def peak_rss_mb(self):
        kb = proc_status(self.pid, "VmHWM")
        return None if kb is None else kb / 1024

    def rss_mb(self):
        kb = proc_status(self.pid, "VmRSS")
        return None if kb is None else kb / 1024

    def cpu_ticks(self):
        return cpu_ticks(self.pid)


def process_gone(pid):
    """True when PID no longer exists as a running process (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"
