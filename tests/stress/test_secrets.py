#!/usr/bin/env python3
"""No raw secret in any output (issue 7, "Lifecycle and secrets").

    python3 test_secrets.py PATH/TO/mlaudit [--keep]

Writes a workspace full of (fake, well-formed) secrets at run time: OpenAI, Anthropic, Hugging
Face, AWS and GitHub tokens in Python code, in a notebook's committed outputs, in .env-like YAML,
in requirement URLs with user:password@, in a Dockerfile's ENV, in pyproject sources, in
.mlaudit.yaml. Then runs every output path: the server (push and pull clients, at the most
verbose log level with trace on) with publishDiagnostics, pull diagnostics, workspace
diagnostics, hover over every diagnostic, code actions and their resolve, the audit commands in
every format (with an output file), and its stderr log; `mlaudit check` in every --format (and
--fix, --write-baseline), `mlaudit audit` in every --format (stdout and -o), `mlaudit explain`.
Every byte of every output is searched for each secret and for its distinctive middle part.
The secrets are assembled from pieces so that no token-shaped string sits in the repository.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import LspClient, path_to_uri  # noqa: E402

J = "".join
SECRETS = {
    "openai": J(["sk-", "proj-", "Zq8TfW3nLx7RbV2m", "Kp9YdG4hJc6SaE1u"]),
    "openai_svc": J(["sk-", "svcacct-", "Mw4Rt8Yq2Lp6Xn9B", "Jd3Hk7Gs1Vf5Zc0a"]),
    "anthropic": J(["sk-", "ant-", "api03-", "Hq7Lm2Xv9KdPz4Rt", "Bw6NcJ8sYf3GaE5uQk1Tx"]),
    "hf": J(["hf_", "PzKq8mWvT3xRbN7L", "cYd2GfJh9sQa4UeV6o"]),
    "aws_id": J(["AKIA", "Q7ZP4KXW", "2NRT5JLM"]),
    "aws_secret": J(["wJalrXUtnF", "EMI/K7MDENG/", "bPxRfiCYz8Q2mN4vLk"]),
    "github": J(["ghp_", "R8mT2kQ9vX4zL7nB", "3wY6pC1dF5hJ0sA2eGiK"]),
    "github_fine": J(["github_pat_", "11ABCDEFG0", "Xq9Lm3Rt7Vb2Nc5Zk8Wd_", "Pq4Ys6Hj1Gf8Tr2Mn5Bv9Cx3Lk7Jh0"]),
    "wandb": J(["3f9a1c7e5b", "2d8f4a6c0e", "9b1d7f3a5c", "8e2b4d6f0a"]),
    "url_password": J(["S3cr3t", "P4ssw0rd", "-Xy9Qv"]),
    "docker_password": J(["Dk8#", "pass", "Word-7Tq2Zr"]),
    "poetry_password": J(["Po3try", "S0urce", "Pw-8Kx"]),
}


def middle(secret):
    """The secret's distinctive middle: 8 characters from its second third."""
    start = max(0, len(secret) // 3)
    return secret[start:start + 8]


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def build(root):
    s = SECRETS
    write(root, "src/train.py", f'''"""Fine-tunes a model; full of keys that should not be here."""
import os

import openai
import anthropic
import wandb
import boto3
import torch
from transformers import AutoModel

OPENAI_API_KEY = "{s["openai"]}"
os.environ["OPENAI_API_KEY"] = "{s["openai_svc"]}"
client = anthropic.Anthropic(api_key="{s["anthropic"]}")
model = AutoModel.from_pretrained("acme/private-model", token="{s["hf"]}", trust_remote_code=True)
session = boto3.Session(aws_access_key_id="{s["aws_id"]}", aws_secret_access_key="{s["aws_secret"]}")
wandb.login(key="{s["wandb"]}")
GITHUB_TOKEN = "{s["github"]}"
headers = {{"Authorization": "Bearer {s["github_fine"]}"}}
state = torch.load("checkpoint.pt")
''')
    notebook = {
        "cells": [
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": ["import torch\n", "from transformers import AutoModel\n",
                        f"token = \"{s['hf']}\"\n"]},
            {"cell_type": "code", "execution_count": 2, "metadata": {},
             "outputs": [{"name": "stdout", "output_type": "stream", "text": [s["openai"] + "\n", s["anthropic"] + "\n"]},
                         {"data": {"text/plain": [f"'{s['aws_id']}'"]}, "execution_count": 2, "metadata": {},
                          "output_type": "execute_result"}],
             "source": ["import os\n", "print(os.environ['OPENAI_API_KEY'])\n", "os.environ['AWS_ACCESS_KEY_ID']"]},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    write(root, "notebooks/explore.ipynb", json.dumps(notebook, indent=1))
    write(root, "config/secrets.yaml", f"""openai_api_key: {s["openai"]}
anthropic_api_key: "{s["anthropic"]}"
hf_token: {s["hf"]}
aws_access_key_id: {s["aws_id"]}
aws_secret_access_key: {s["aws_secret"]}
github_token: {s["github"]}
""")
    write(root, "params.yaml", f"train:\n  lr: 0.001\n  api_key: {s['openai']}\nwandb:\n  key: {s['wandb']}\n")
    write(root, "requirements.txt", f"""--extra-index-url https://ci-user:{s["url_password"]}@pypi.acme.internal/simple
torch @ https://deploy:{s["url_password"]}@download.acme.internal/torch-2.1.0-cp311-linux_x86_64.whl
git+https://x-access-token:{s["github"]}@github.com/acme/private-lib.git#egg=private-lib
transformers
private-tools @ git+https://{s["github_fine"]}@github.com/acme/tools.git
""")
    write(root, "requirements-dev.txt", f"-i https://user:{s['url_password']}@pypi.acme.internal/simple\npytest==8.0.0\n")
    write(root, "Dockerfile", f"""FROM python:3.11
ENV OPENAI_API_KEY={s["openai"]}
ENV HF_TOKEN="{s["hf"]}" AWS_SECRET_ACCESS_KEY={s["aws_secret"]}
ARG PIP_INDEX_URL=https://ci:{s["docker_password"]}@pypi.acme.internal/simple
RUN pip install --index-url https://ci:{s["docker_password"]}@pypi.acme.internal/simple torch
""")
    write(root, "pyproject.toml", f"""[project]
name = "secret-app"
version = "0.1.0"
dependencies = ["torch", "private-lib @ git+https://oauth2:{s["github"]}@github.com/acme/private-lib.git"]

[[tool.poetry.source]]
name = "private"
url = "https://poetry:{s["poetry_password"]}@pypi.acme.internal/simple"

[tool.mlaudit]
exclude = "{s["hf"]}"
""")
    # Invalid settings that quote what they got (the valid keys still apply: no rule is silenced).
    write(root, ".mlaudit.yaml", f"""ignore: ["{s["openai"]}", "{s["aws_id"]}"]
api_key: {s["hf"]}
{s["github"]}: true
severity:
  "{s["anthropic"]}": Low
per-file-ignores:
  "{s["github_fine"]}/**": [hardcoded-secret]
""")
    write(root, ".env.yaml", f"OPENAI_API_KEY: {s['openai']}\nHF_TOKEN: {s['hf']}\n")
    write(root, "environment.yml", f"""name: train
channels: [https://conda:{s["url_password"]}@conda.acme.internal/main]
dependencies:
  - python=3.11
  - pip:
      - --extra-index-url https://ci:{s["url_password"]}@pypi.acme.internal/simple
      - torch
""")
    write(root, ".github/workflows/train.yml", f"""on: push
jobs:
  train:
    runs-on: ubuntu-latest
    env:
      OPENAI_API_KEY: {s["openai"]}
    steps:
      - run: python src/train.py --token {s["hf"]}
""")


class Leaks:
    def __init__(self):
        self.found = []
        self.outputs = 0

    def scan(self, name, data):
        self.outputs += 1
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        # JSON escapes "/" optionally and non-ASCII never appears in the secrets: also look for
        # the JSON-escaped form.
        for key, secret in SECRETS.items():
            for needle in {secret, middle(secret), secret.replace("/", "\\/")}:
                if needle.encode() in data:
                    at = data.find(needle.encode())
                    context = data[max(0, at - 120):at + len(needle) + 40].decode("utf-8", "replace")
                    self.found.append(f"{name}: {key} ({needle!r}) in ...{context}...")
                    break


def run(cmd, cwd=None):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, timeout=120)
    return proc


def server_session(binary, root, tmp, leaks, pull):
    name = "server(pull)" if pull else "server(push)"
    log = os.path.join(tmp, f"server-{'pull' if pull else 'push'}.log")
    client = LspClient(binary, ["--log-level", "trace"], env={"MLAUDIT_LOG": "trace"}, stderr=log)
    caps = {
        "window": {"workDoneProgress": True, "showDocument": {"support": True}},
        "general": {"positionEncodings": ["utf-8", "utf-16"]},
        "textDocument": {"hover": {"contentFormat": ["markdown"]},
                         "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}},
                                        "resolveSupport": {"properties": ["edit"]}, "dataSupport": True,
                                        "isPreferredSupport": True},
                         "publishDiagnostics": {"versionSupport": True}},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}, "workspaceFolders": True,
                      "workspaceEdit": {"documentChanges": True}, "configuration": True},
    }
    if pull:
        caps["textDocument"]["diagnostic"] = {"dynamicRegistration": False}
        caps["workspace"]["diagnostics"] = {"refreshSupport": True}
    client.request("initialize", {"processId": None, "rootUri": path_to_uri(root), "capabilities": caps, "trace": "verbose",
                                  "initializationOptions": {"ignore": [SECRETS["openai"], SECRETS["aws_id"]], "exclude": SECRETS["hf"],
                                                            SECRETS["github"]: True}})
    client.notify("initialized", {})
    client.notify("$/setTrace", {"value": "verbose"})
    client.notify("workspace/didChangeConfiguration", {"settings": {"mlaudit": {"ignore": [SECRETS["github"]], "token": SECRETS["hf"]}}})

    files = ["src/train.py", "requirements.txt", "requirements-dev.txt", "Dockerfile", "pyproject.toml", ".mlaudit.yaml",
             "config/secrets.yaml", "params.yaml", "environment.yml", ".env.yaml", ".github/workflows/train.yml",
             "notebooks/explore.ipynb"]
    diagnostics = {}
    for version, rel in enumerate(files, 1):
        uri = path_to_uri(os.path.join(root, rel))
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            text = f.read()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}})
        if pull:
            reply = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, 30)
            diagnostics[uri] = reply.get("result", {}).get("items", [])
        else:
            params = client.wait_for(lambda m, p, uri=uri: m == "textDocument/publishDiagnostics" and p["uri"] == uri, 30,
                                     f"diagnostics of {rel}")[1]
            diagnostics[uri] = params["diagnostics"]
    # The notebook through notebookDocument sync as well.
    nb_path = os.path.join(root, "notebooks/explore.ipynb")
    with open(nb_path, encoding="utf-8") as f:
        notebook = json.load(f)
    nb_uri = path_to_uri(nb_path)
    cells, cell_docs = [], []
    for i, cell in enumerate(notebook["cells"]):
        cell_uri = f"vscode-notebook-cell:{nb_path}#c{i}"
        cells.append({"kind": 2, "document": cell_uri})
        cell_docs.append({"uri": cell_uri, "languageId": "python", "version": 1, "text": "".join(cell["source"])})
    client.notify("notebookDocument/didOpen", {"notebookDocument": {"uri": nb_uri + "?nb", "notebookType": "jupyter-notebook",
                                                                    "version": 1, "cells": cells}, "cellTextDocuments": cell_docs})

    if pull:
        client.request("workspace/diagnostic", {"previousResultIds": []}, 60)
    total = 0
    for uri, items in diagnostics.items():
        for d in items:
            total += 1
            client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": d["range"]["start"]}, 30)
            reply = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d["range"],
                                                              "context": {"diagnostics": [d]}}, 30)
            for action in reply.get("result") or []:
                if "edit" not in action and "data" in action:
                    client.request("codeAction/resolve", action, 30)
                if "command" in action and isinstance(action["command"], dict):
                    client.request("workspace/executeCommand", {"command": action["command"]["command"],
                                                                "arguments": action["command"].get("arguments", [])}, 30)
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 400, "character": 0}}
        reply = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": whole,
                                                          "context": {"diagnostics": items, "only": ["source.fixAll"]}}, 30)
        for action in reply.get("result") or []:
            if "edit" not in action and "data" in action:
                client.request("codeAction/resolve", action, 30)
    for fmt in ("md", "json", "html"):
        out = os.path.join(tmp, f"{name}-audit.{fmt}")
        client.request("workspace/executeCommand", {"command": "mlaudit.audit", "arguments": [{"format": fmt, "output": out}]}, 120)
        with open(out, "rb") as f:
            leaks.scan(f"{name} audit -o .{fmt}", f.read())
    client.request("workspace/executeCommand", {"command": "mlaudit.maturity", "arguments": [{}]}, 120)
    code = client.shutdown_and_exit(10)
    client.close()
    with open(log, "rb") as f:
        log_bytes = f.read()
    leaks.scan(f"{name} stdout (every message)", bytes(client.raw))
    leaks.scan(f"{name} stderr log (trace)", log_bytes)
    print(f"{name}: {total} diagnostics over {len(diagnostics)} files, {len(client.raw)} bytes of protocol, "
          f"{len(log_bytes)} bytes of trace log, exit {code}")
    if total == 0:
        leaks.found.append(f"{name}: no diagnostics at all: the test exercised nothing")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="mlaudit-secrets-")
    root = os.path.join(tmp, "ws")
    build(root)
    leaks = Leaks()
    try:
        server_session(args.binary, root, tmp, leaks, pull=False)
        server_session(args.binary, root, tmp, leaks, pull=True)

        trace = ["--log-level", "trace"]
        for fmt in ("text", "json", "sarif", "github"):
            proc = run([args.binary, "check", root, "--format", fmt, "--fail-on", "never", *trace])
            leaks.scan(f"check --format {fmt} stdout", proc.stdout)
            leaks.scan(f"check --format {fmt} stderr", proc.stderr)
            if fmt == "json" and not json.loads(proc.stdout):
                leaks.found.append("check --format json found nothing: the test exercised nothing")
        for rel in ("src/train.py", "notebooks/explore.ipynb", "requirements.txt"):  # a file as PATH
            proc = run([args.binary, "check", os.path.join(root, rel), "--format", "json", *trace])
            leaks.scan(f"check {rel}", proc.stdout + proc.stderr)
        for fmt in ("md", "json", "html"):
            proc = run([args.binary, "audit", root, "--format", fmt, *trace])
            leaks.scan(f"audit --format {fmt} stdout", proc.stdout)
            leaks.scan(f"audit --format {fmt} stderr", proc.stderr)
            out = os.path.join(tmp, f"cli-audit.{fmt}")
            proc = run([args.binary, "audit", root, "--format", fmt, "-o", out])
            with open(out, "rb") as f:
                leaks.scan(f"audit -o .{fmt}", f.read() + proc.stdout + proc.stderr)
        baseline = os.path.join(tmp, "baseline.json")
        proc = run([args.binary, "check", root, "--write-baseline", baseline, *trace])
        with open(baseline, "rb") as f:
            leaks.scan("check --write-baseline file", f.read() + proc.stdout + proc.stderr)
        for rule in ("hardcoded-secret", "security.secrets"):
            proc = run([args.binary, "explain", rule])
            leaks.scan(f"explain {rule[:12]}", proc.stdout + proc.stderr)
        # --fix on a copy: what it prints (the files it rewrites are the user's own).
        fixed = os.path.join(tmp, "fixed")
        shutil.copytree(root, fixed, symlinks=True)
        proc = run([args.binary, "check", fixed, "--fix", "--format", "text", *trace])
        leaks.scan("check --fix", proc.stdout + proc.stderr)
    finally:
        if args.keep:
            print("kept in", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"{leaks.outputs} outputs searched for {len(SECRETS)} secrets (whole and middle part)")
    if leaks.found:
        for leak in leaks.found:
            print("LEAK:", leak, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
