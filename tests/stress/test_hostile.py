#!/usr/bin/env python3
"""Hostile workspaces, end to end (issue 7): the real `mlaudit server` over stdio, and the CLI.

    python3 test_hostile.py PATH/TO/mlaudit [--tiny-files N] [--depth N] [--keep]

The default is what ctest runs: the issue's workspace, with the extra deeply nested Python files
(a syntax tree as deep as the line is long: parentheses, calls, attribute chains, ...) 10,000
levels deep; --depth 100000 is the full size.

Builds the workspace of hostile_workspace.py in a temp dir (symlinks to / and loops, 20,000
tiny files, a 50 MB and a 5 MB one-line .py, binary .py/.ipynb, broken encodings, a notebook
nesting 100,000 levels, YAML alias bombs, a ZIP bomb named model.pt, a FIFO named .py), starts
the server on it, and while it indexes: deletes files or turns them into FIFOs, folders and
dangling links (so the read fails after the crawl saw them), and sends hover, codeAction and
the audit command, which must be answered. After indexing: every hostile file is named in the
audit's coverage with its reason (server command and `mlaudit audit`), peak RSS (VmHWM) stays
under 300 MB, the CPU goes idle, and the server still answers and shuts down cleanly.
Prints the figures (indexing time, peak RSS, request latencies).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_workspace  # noqa: E402
from lsp_client import LspClient, path_to_uri  # noqa: E402

MAX_RSS_MB = 300
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, file=sys.stderr)


def coverage_of(report):
    return {entry["path"]: entry["why"] for entry in report["coverage"]["skipped"]}


def check_coverage(skipped, expect, root, where):
    """Every file expected skipped is named with a reason; the analysed ones are not skipped."""
    rel_skipped = {os.path.relpath(p, root) if os.path.isabs(p) else p: why for p, why in skipped.items()}
    for rel, what in expect.items():
        if what == "skipped":
            check(rel in rel_skipped and rel_skipped[rel].strip(), f"{where}: {rel} is not in coverage.skipped with a reason")
        else:
            check(rel not in rel_skipped, f"{where}: {rel} was skipped ({rel_skipped.get(rel)})")
    return rel_skipped


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--tiny-files", type=int, default=20000)
    parser.add_argument("--depth", type=int, default=10000, help="nesting of the deep Python files (full size: 100000)")
    parser.add_argument("--keep", action="store_true", help="keep the temp workspace")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="mlaudit-hostile-")
    root = os.path.join(tmp, "ws")
    os.makedirs(root)
    started = time.monotonic()
    expect = hostile_workspace.build(root, args.tiny_files, depth=args.depth)
    race = hostile_workspace.race_targets(root)
    print(f"workspace built in {time.monotonic() - started:.1f} s: {args.tiny_files} tiny files, {len(race)} to mutate")

    client = LspClient(args.binary, ["--log-level", "debug"], stderr=os.path.join(tmp, "server.log"))
    try:
        t0 = time.monotonic()
        client.initialize(root)
        train_uri = path_to_uri(os.path.join(root, "src/train.py"))
        client.notify("textDocument/didOpen", {"textDocument": {"uri": train_uri, "languageId": "python", "version": 1,
                                                                "text": hostile_workspace.ML_TRAIN}})
        client.wait_for(lambda m, p: m == "$/progress" and p["value"].get("kind") == "begin", 30, "indexing to begin")

        # While indexing: break files the crawl has seen, and ask for things.
        mutator = threading.Thread(target=hostile_workspace.mutate, args=(root, race))
        mutator.start()
        hover_started = time.monotonic()
        hover = client.request("textDocument/hover", {"textDocument": {"uri": train_uri},
                                                      "position": {"line": 5, "character": 10}}, 60)
        hover_ms = (time.monotonic() - hover_started) * 1000
        check("result" in hover, f"hover during indexing: {hover}")
        action_id = client.request_async("textDocument/codeAction", {
            "textDocument": {"uri": train_uri},
            "range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 40}},
            "context": {"diagnostics": []}})
        audit_id = client.request_async("workspace/executeCommand", {"command": "mlaudit.maturity", "arguments": [{}]})
        mutator.join()

        client.progress_ended(timeout=600)
        indexing_s = time.monotonic() - t0
        action = client.wait_response(action_id, 120)
        check("result" in action and isinstance(action["result"], list), f"codeAction during indexing: {action}")
        maturity = client.wait_response(audit_id, 300)
        check("result" in maturity and "overall" in maturity["result"], f"mlaudit.maturity during indexing: {maturity}")

        # After indexing: the CPU goes idle (refreshes may still run for a moment).
        time.sleep(1.0)
        ticks_before = client.cpu_ticks()
        time.sleep(2.0)
        idle_ticks = client.cpu_ticks() - ticks_before
        hz = os.sysconf("SC_CLK_TCK")
        check(idle_ticks <= 0.1 * hz, f"CPU not idle after indexing: {idle_ticks} ticks over 2 s")

        report_started = time.monotonic()
        reply = client.request("workspace/executeCommand", {"command": "mlaudit.audit",
                                                            "arguments": [{"format": "json"}]}, 300)
        audit_ms = (time.monotonic() - report_started) * 1000
        check("result" in reply, f"mlaudit.audit after indexing: {reply}")
        server_skipped = {}
        if "result" in reply:
            report = json.loads(reply["result"]["content"])
            server_skipped = check_coverage(coverage_of(report), expect, root, "server audit")

        peak = client.peak_rss_mb()
        check(peak is not None and peak < MAX_RSS_MB, f"server peak RSS {peak} MB (limit {MAX_RSS_MB})")
        # Still answering, and a clean shutdown.
        hover = client.request("textDocument/hover", {"textDocument": {"uri": train_uri},
                                                      "position": {"line": 5, "character": 10}}, 30)
        check("result" in hover, f"hover after indexing: {hover}")
        code = client.shutdown_and_exit(10)
        check(code == 0, f"exit code after shutdown/exit: {code}")
    finally:
        client.close()

    # The CLI on the same (now settled) workspace.
    cli_started = time.monotonic()
    out_file = open(os.path.join(tmp, "audit.json"), "w+b")
    err_file = open(os.path.join(tmp, "audit.err"), "w+b")
    proc = subprocess.Popen([args.binary, "audit", root, "--format", "json"], stdout=out_file, stderr=err_file)
    peak_cli = 0
    while proc.poll() is None:  # sample VmHWM while it runs: it is gone once it exits
        try:
            with open(f"/proc/{proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak_cli = max(peak_cli, int(line.split()[1]) / 1024)
        except OSError:
            pass
        time.sleep(0.05)
    proc.wait()
    out_file.seek(0)
    err_file.seek(0)
    out, err = out_file.read(), err_file.read()
    cli_s = time.monotonic() - cli_started
    check(proc.returncode in (0, 1), f"mlaudit audit exit {proc.returncode}: {err.decode()[-2000:]}")
    cli_report = json.loads(out)
    cli_skipped = check_coverage(coverage_of(cli_report), expect, root, "mlaudit audit")
    check(peak_cli < MAX_RSS_MB, f"mlaudit audit peak RSS {peak_cli:.0f} MB")
    # The mutated files that still are something an analyzer would read (FIFOs) are named too.
    for rel in race:
        path = os.path.join(root, rel)
        if os.path.exists(path) and not os.path.isdir(path) and not os.path.islink(path):
            check(rel in cli_skipped or os.path.isfile(path), f"mlaudit audit: {rel} missing from coverage")

    print(f"indexing: {indexing_s:.1f} s; hover during indexing: {hover_ms:.0f} ms; audit command after: {audit_ms:.0f} ms")
    print(f"server peak RSS (VmHWM): {peak:.0f} MB; CPU over 2 s after indexing: {idle_ticks} ticks")
    print(f"mlaudit audit: {cli_s:.1f} s, peak RSS {peak_cli:.0f} MB, {len(cli_skipped)} skipped")
    for rel in sorted(server_skipped):
        if not rel.startswith("vanish/"):
            print(f"  skipped {rel}: {server_skipped[rel]}")
    if args.keep:
        print("workspace kept in", tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
