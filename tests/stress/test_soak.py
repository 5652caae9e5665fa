#!/usr/bin/env python3
"""Soak (issue 7): 20 open documents, 10,000 random incremental edits (multi-byte text, UTF-16
positions) with random $/cancelRequest of in-flight hover / codeAction requests, didSave,
workspace/didChangeWatchedFiles (files written, changed and deleted on disk) and
workspace/didChangeConfiguration in between; a fixed, printed, overridable RNG seed.

    python3 test_soak.py PATH/TO/mlaudit [--edits 10000] [--documents 20] [--seed N]

Afterwards: the server is alive and answers; every request got exactly one reply; for every open
document, its last published diagnostics (for its last version) equal those of a fresh
`mlaudit check --format json` of a copy of the workspace holding the final texts (rule, range,
severity, message); peak VmRSS (sampled every 50 ms) over the second half of the edits is within
10% of the first half's peak. Prints the seed, edits/s, request latencies and the memory figures.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import LspClient, path_to_uri  # noqa: E402

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, file=sys.stderr)


HEADER = '''"""Experiment {n}: fine-tunes and evaluates a model (soak test document)."""
import os
import random

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer
'''

BODY = '''

def load_{n}(path):
    state = torch.load(path)
    model = AutoModelForSequenceClassification.from_pretrained("acme/model-{n}", trust_remote_code=True)
    model.load_state_dict(state)
    return model


def split_{n}(features, labels):
    return train_test_split(features, labels, test_size=0.2)


def train_{n}(model, data, epochs=3):
    tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    for epoch in range(epochs):
        for batch in data:
            loss = model(**tokenizer(batch, return_tensors="pt")).loss  # ñ 中文 😀
            loss.backward()
            optimizer.step()
    return model
'''

SNIPPETS = [
    "import mlflow\n",
    "import wandb\n",
    "x = torch.load('ckpt.pt')\n",
    "y = torch.load('ckpt.pt', weights_only=True)\n",
    "np.random.seed(0)\n",
    "torch.manual_seed(42)\n",
    "random.seed(1234)\n",
    "m = AutoModelForSequenceClassification.from_pretrained('org/name', trust_remote_code=True)\n",
    "t = AutoTokenizer.from_pretrained('org/name', revision='0123456789abcdef0123456789abcdef01234567')\n",
    "a, b = train_test_split(X, y, random_state=0)\n",
    "KEY = '" + "sk-" + "proj-" + "Rq7Tm3Wx9Lp2Kv8Bn4Yc6Hd1Jf5Gs0Za" + "'\n",
    "# comentário ñandú — 中文注释 😀🎉\n",
    "s = '日本語テキスト🎉𝔘𝔫𝔦𝔠𝔬𝔡𝔢'\n",
    "    pass\n",
    "def f(",
    "):\n",
    "\"\"\"",
    "'",
    "(",
    "😀",
    "é",
    "\n",
    "    ",
    "# mlaudit: ignore[unsafe-deserialization]\n",
]


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


class Doc:
    def __init__(self, path, uri, text):
        self.path, self.uri, self.text, self.version = path, uri, text, 1
        self.initial_size = len(text)

    def position(self, offset):
        """LSP position (UTF-16) of the code-point offset."""
        line = self.text.count("\n", 0, offset)
        start = self.text.rfind("\n", 0, offset) + 1
        return {"line": line, "character": utf16_len(self.text[start:offset])}


def random_edit(rng, doc):
    n = len(doc.text)
    start = rng.randint(0, n)
    # Inserts, deletes and replacements in proportions that keep a document near its first size
    # (a growing text would look like a leak).
    grow = 0.5 if n < doc.initial_size else 0.3
    kind = rng.random()
    if kind < grow:  # insert
        end, new = start, rng.choice(SNIPPETS)
    elif kind < 0.8:  # delete a short range
        end, new = min(n, start + rng.randint(1, 40)), ""
    else:  # replace
        end, new = min(n, start + rng.randint(1, 30)), rng.choice(SNIPPETS)
    change = {"range": {"start": doc.position(start), "end": doc.position(end)}, "text": new}
    doc.text = doc.text[:start] + new + doc.text[end:]
    doc.version += 1
    return change


def diag_key(severity, rule, message, sl, sc, el, ec):
    return (rule, sl, sc, el, ec, severity, message)


SEVERITY = {"Critical": 1, "High": 1, "Medium": 2, "Low": 3, "Info": 4}


def expected_diagnostics(binary, root, docs, tmp):
    """`mlaudit check --format json` of a copy of the workspace holding the final texts, as LSP keys."""
    copy = os.path.join(tmp, "final")
    shutil.copytree(root, copy)
    for doc in docs:
        with open(os.path.join(copy, os.path.relpath(doc.path, root)), "w", encoding="utf-8") as f:
            f.write(doc.text)
    proc = subprocess.run([binary, "check", copy, "--format", "json", "--fail-on", "never"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)
    check(proc.returncode == 0, f"mlaudit check exit {proc.returncode}: {proc.stderr.decode()[-1000:]}")
    findings = json.loads(proc.stdout)["findings"]
    by_path = {}
    texts = {os.path.relpath(d.path, root): d.text for d in docs}
    for f in findings:
        text = texts.get(f["path"])
        if text is None:
            continue
        lines = text.split("\n")

        def utf16_col(line, column):  # 1-based code-point column -> UTF-16 units
            return utf16_len(lines[line - 1][:column - 1]) if line - 1 < len(lines) else column - 1
        key = diag_key(SEVERITY[f["severity"]], f["rule"], f["message"], f["line"] - 1, utf16_col(f["line"], f["column"]),
                       f["endLine"] - 1, utf16_col(f["endLine"], f["endColumn"]))
        by_path.setdefault(f["path"], []).append(key)
    return {p: sorted(v) for p, v in by_path.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--edits", type=int, default=10000)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--sync-every", type=int, default=25,
                        help="wait for the edited document's fresh diagnostics after every N edits (a typing pause)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SOAK_SEED", "20261126")))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    print(f"seed {args.seed} (override with --seed or SOAK_SEED), {args.documents} documents, {args.edits} edits")
    rng = random.Random(args.seed)

    tmp = tempfile.mkdtemp(prefix="mlaudit-soak-")
    root = os.path.join(tmp, "ws")
    os.makedirs(os.path.join(root, "src"))
    with open(os.path.join(root, "requirements.txt"), "w") as f:
        f.write("torch\ntransformers==4.40.0\nscikit-learn\nnumpy\n")
    docs = []
    for n in range(args.documents):
        path = os.path.join(root, "src", f"exp_{n:02d}.py")
        text = HEADER.format(n=n) + "".join(BODY.format(n=f"{n}_{k}") for k in range(1 + n % 4))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        docs.append(Doc(path, path_to_uri(path), text))

    client = LspClient(args.binary, ["--log-level", "warn"], stderr=os.path.join(tmp, "server.log"))
    rss = []  # (edit index, MB)
    progress = {"edits": 0}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            mb = client.rss_mb()
            if mb is not None:
                rss.append((progress["edits"], mb))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    requests = {}  # id -> (method, sent at, cancelled)
    latencies = []
    publish_latencies = []
    try:
        client.initialize(root)
        for doc in docs:
            client.notify("textDocument/didOpen", {"textDocument": {"uri": doc.uri, "languageId": "python",
                                                                    "version": doc.version, "text": doc.text}})
        client.wait_indexed(docs[0].uri)
        started = time.monotonic()
        helper_files = set()
        config_on = False
        for i in range(args.edits):
            progress["edits"] = i
            doc = rng.choice(docs)
            change = random_edit(rng, doc)
            before = client.notification_count()
            client.notify("textDocument/didChange", {"textDocument": {"uri": doc.uri, "version": doc.version},
                                                     "contentChanges": [change]})
            r = rng.random()
            if r < 0.08:  # a request, maybe cancelled while in flight
                target = rng.choice(docs)
                pos = target.position(rng.randint(0, len(target.text)))
                if rng.random() < 0.5:
                    rid = client.request_async("textDocument/hover", {"textDocument": {"uri": target.uri}, "position": pos})
                    requests[rid] = ("hover", time.monotonic())
                else:
                    rid = client.request_async("textDocument/codeAction", {
                        "textDocument": {"uri": target.uri}, "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}})
                    requests[rid] = ("codeAction", time.monotonic())
                if rng.random() < 0.4:
                    client.notify("$/cancelRequest", {"id": rid})
            elif r < 0.09:  # save: the text goes to disk
                with open(doc.path, "w", encoding="utf-8") as f:
                    f.write(doc.text)
                client.notify("textDocument/didSave", {"textDocument": {"uri": doc.uri}})
            elif r < 0.10:  # a file that is not open changes on disk
                name = os.path.join(root, "helpers", f"h{rng.randint(0, 4)}.py")
                os.makedirs(os.path.dirname(name), exist_ok=True)
                if name in helper_files and rng.random() < 0.3:
                    os.unlink(name)
                    helper_files.discard(name)
                    change_type = 3
                else:
                    with open(name, "w", encoding="utf-8") as f:
                        f.write(rng.choice(["import mlflow\n", "import wandb\nwandb.init()\n", "import torch\nx = torch.load('a')\n",
                                            "import numpy as np\nnp.random.seed(3)\n", "VALUE = 'ñ'\n"]))
                    change_type = 2 if name in helper_files else 1
                    helper_files.add(name)
                client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": path_to_uri(name), "type": change_type}]})
            elif r < 0.103:  # the editor's settings change
                config_on = not config_on
                settings = {"mlaudit": {"ignore": ["seed-not-set"], "severity": {"unsafe-deserialization": "Low"}}} if config_on else {"mlaudit": {}}
                client.notify("workspace/didChangeConfiguration", {"settings": settings})
            if i % args.sync_every == args.sync_every - 1:  # a typing pause: the edited document's diagnostics arrive
                t = time.monotonic()
                client.wait_for(lambda m, p, d=doc: m == "textDocument/publishDiagnostics" and p["uri"] == d.uri
                                and p.get("version") == d.version, 60, f"diagnostics of {doc.uri} v{doc.version}", before)
                publish_latencies.append((time.monotonic() - t) * 1000)
            if i % 200 == 199:  # an editor waits on the server now and then
                t = time.monotonic()
                client.request("textDocument/hover", {"textDocument": {"uri": doc.uri}, "position": doc.position(0)}, 60)
                latencies.append((time.monotonic() - t) * 1000)
        progress["edits"] = args.edits
        if config_on:
            client.notify("workspace/didChangeConfiguration", {"settings": {"mlaudit": {}}})
        elapsed = time.monotonic() - started

        # Every request gets exactly one reply.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with client.cond:
                missing = [rid for rid in requests if rid not in client.responses]
            if not missing:
                break
            time.sleep(0.1)
        check(not missing, f"{len(missing)} requests never answered: {missing[:5]}")
        cancelled = sum(1 for rid in requests if client.responses.get(rid, {}).get("error", {}).get("code") == -32800)
        with client.cond:
            counts = {}
            for method, params in client.notifications:
                counts[method] = counts.get(method, 0) + 1

        # Quiescence: every document's last publish is for its final version, then nothing for 1.5 s.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            stale = [d for d in docs if (client.last_diagnostics(d.uri) or {}).get("version") != d.version]
            if not stale:
                break
            time.sleep(0.1)
        check(not stale, f"{len(stale)} documents without diagnostics for their final version")
        while True:
            n = len(client.notifications)
            time.sleep(1.5)
            if len(client.notifications) == n:
                break
        hover = client.request("textDocument/hover", {"textDocument": {"uri": docs[0].uri}, "position": {"line": 0, "character": 0}}, 30)
        check("result" in hover, f"the server does not answer after the soak: {hover}")
        check(client.proc.poll() is None, f"the server died: exit {client.proc.poll()}")

        expected = expected_diagnostics(args.binary, root, docs, tmp)
        mismatched = 0
        for doc in docs:
            rel = os.path.relpath(doc.path, root)
            published = client.last_diagnostics(doc.uri) or {"diagnostics": []}
            got = sorted(diag_key(d["severity"], d.get("code"), d["message"], d["range"]["start"]["line"],
                                  d["range"]["start"]["character"], d["range"]["end"]["line"], d["range"]["end"]["character"])
                         for d in published["diagnostics"])
            want = expected.get(rel, [])
            if got != want:
                mismatched += 1
                check(False, f"{rel}: published {len(got)} diagnostics, check reports {len(want)}; "
                             f"only published: {sorted(set(got) - set(want))[:3]}; only in check: {sorted(set(want) - set(got))[:3]}")
        total_diags = sum(len(v) for v in expected.values())
        code = client.shutdown_and_exit(10)
        check(code == 0, f"exit code {code}")
    finally:
        stop.set()
        sampler.join()
        client.close()
        if args.keep:
            print("kept in", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    half = args.edits // 2
    first = max((mb for i, mb in rss if i < half), default=0)
    second = max((mb for i, mb in rss if i >= half), default=0)
    check(first > 0 and second <= first * 1.10, f"peak RSS over the second half {second:.1f} MB vs first half {first:.1f} MB (> +10%)")
    latencies.sort()
    print(f"{args.edits} edits in {elapsed:.1f} s ({args.edits / elapsed:.0f} edits/s); {len(requests)} hover/codeAction requests, "
          f"{cancelled} answered RequestCancelled; notifications received: {counts}")
    if latencies:
        print(f"hover latency while editing: median {latencies[len(latencies) // 2]:.0f} ms, max {latencies[-1]:.0f} ms")
    publish_latencies.sort()
    if publish_latencies:
        print(f"edit -> fresh diagnostics after a pause: median {publish_latencies[len(publish_latencies) // 2]:.0f} ms, "
              f"max {publish_latencies[-1]:.0f} ms")
    print(f"peak RSS: first half {first:.1f} MB, second half {second:.1f} MB; {total_diags} diagnostics over "
          f"{len(docs)} documents, {mismatched} mismatched")
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
