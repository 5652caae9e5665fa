#!/usr/bin/env python3
"""Lifecycle under stress (issue 7): the server process is gone within 2 s when the editor dies
(initialize.processId) or stdin closes, while it indexes a big workspace or analyses; `exit`
without `shutdown` exits with 1, with it 0. "Gone" means the process no longer exists
(/proc/PID is a zombie or absent), not just that stdout closed: no thread keeps it alive.

    python3 test_lifecycle.py PATH/TO/mlaudit [--files N]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import LspClient, path_to_uri, process_gone  # noqa: E402

LIMIT_S = 2.0
failures = []
figures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, file=sys.stderr)


def wait_gone(client, limit):
    """Seconds until the server process no longer runs (None if it outlives `limit` + 3 s)."""
    started = time.monotonic()
    while time.monotonic() - started < limit + 3:
        if process_gone(client.pid):
            return time.monotonic() - started
        time.sleep(0.01)
    return None


def big_workspace(root, files):
    for i in range(files):
        path = os.path.join(root, f"pkg{i // 400}", f"mod{i}.py")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(f"import torch\nimport numpy as np\n\ndef f{i}(x):\n    return torch.load(x)  # {i}\n" * 20)
    with open(os.path.join(root, "train.py"), "w") as f:
        f.write(TRAIN)


TRAIN = "import torch\nstate = torch.load('model.pt')\n" + "".join(f"v{i} = torch.load('m{i}.pt')\n" for i in range(2000))


def start(binary, root, tmp, name, env=None, process_id=None, index_wait=True):
    client = LspClient(binary, ["--log-level", "debug"], env=env, stderr=os.path.join(tmp, name + ".log"))
    client.initialize(root, process_id=process_id)
    if index_wait:  # indexing has begun and is still running
        client.wait_for(lambda m, p: m == "$/progress" and p["value"].get("kind") == "begin", 30, "indexing to begin")
    return client


def indexing_still_running(client):
    with client.cond:
        return not any(m == "$/progress" and p["value"].get("kind") == "end" for m, p in client.notifications)


def scenario(name, binary, root, tmp, action, expected_code, env=None, editor=False, open_doc=False):
    editor_proc = subprocess.Popen(["sleep", "600"]) if editor else None
    client = start(binary, root, tmp, name, env, editor_proc.pid if editor_proc else None)
    try:
        if open_doc:
            client.notify("textDocument/didOpen", {"textDocument": {"uri": path_to_uri(os.path.join(root, "train.py")),
                                                                    "languageId": "python", "version": 1, "text": TRAIN}})
            time.sleep(0.2)  # the analysis is under way (held by MLAUDIT_TEST_DELAY_MS)
        busy = indexing_still_running(client)
        started = time.monotonic()
        action(client, editor_proc)
        gone = wait_gone(client, LIMIT_S)
        total = None if gone is None else time.monotonic() - started
        code = client.proc.wait(5) if gone is not None else None
        figures.append(f"{name}: gone after {total:.2f} s, exit {code}, indexing running: {busy}" if total is not None
                       else f"{name}: still running")
        check(total is not None and total < LIMIT_S, f"{name}: process not gone within {LIMIT_S} s ({total})")
        check(code == expected_code, f"{name}: exit code {code}, expected {expected_code}")
        check(busy, f"{name}: indexing had already ended; the scenario did not test a busy server")
    finally:
        client.close()
        if editor_proc and editor_proc.poll() is None:
            editor_proc.kill()
            editor_proc.wait()


def kill_editor(client, editor):
    editor.kill()
    editor.wait()  # reaped, as the editor's own parent would


def kill_editor_unreaped(client, editor):
    editor.kill()  # not waited for: a zombie, which kill(pid, 0) still finds


def close_stdin(client, editor):
    client.proc.stdin.close()


def exit_without_shutdown(client, editor):
    client.notify("exit", None)


def shutdown_then_exit(client, editor):
    reply = client.request("shutdown", None, 10)
    check("result" in reply, f"shutdown while indexing: {reply}")
    client.notify("exit", None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--files", type=int, default=6000, help="size of the workspace being indexed")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="mlaudit-lifecycle-")
    root = os.path.join(tmp, "ws")
    os.makedirs(root)
    try:
        big_workspace(root, args.files)
        delay = {"MLAUDIT_TEST_DELAY_MS": "5000"}
        scenario("editor dies while indexing", args.binary, root, tmp, kill_editor, 1, editor=True)
        scenario("editor dies, not reaped yet (zombie)", args.binary, root, tmp, kill_editor_unreaped, 1, editor=True)
        scenario("editor dies mid-analysis", args.binary, root, tmp, kill_editor, 1, env=delay, editor=True, open_doc=True)
        scenario("stdin closes while indexing", args.binary, root, tmp, close_stdin, 1)
        scenario("stdin closes mid-analysis", args.binary, root, tmp, close_stdin, 1, env=delay, open_doc=True)
        scenario("exit without shutdown while indexing", args.binary, root, tmp, exit_without_shutdown, 1)
        scenario("shutdown and exit while indexing", args.binary, root, tmp, shutdown_then_exit, 0, open_doc=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for line in figures:
        print(line)
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
