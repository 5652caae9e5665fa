#!/usr/bin/env python3
"""Builds the seed corpus of every fuzz target from the repository's own inputs (Python 3 stdlib).

    python3 fuzz/seed_corpus.py OUT_DIR [TARGET ...]

Writes OUT_DIR/<target>/<name> files: the test fixtures and examples (by file name, with the
first byte that picks the same path in the target: see the path lists in fuzz/targets/*.cpp),
the raw-string inputs of the unit tests, the LSP transcripts turned into the byte stream a
client would send, and model artifacts generated here with pickle/zipfile/zlib/gzip (no binary
corpus is committed). Deterministic: the same tree gives the same corpus.
"""
import ast
import gzip
import hashlib
import io
import json
import os
import pickle
import random
import re
import shutil
import sys
import urllib.parse
import zipfile
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = [os.path.join(REPO, "tests", "fixtures"), os.path.join(REPO, "examples")]


def repo_files():
    for top in SOURCES:
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                if os.path.getsize(path) <= 256 * 1024:
                    yield path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def unit_test_raw_strings(name):
    """The R"(...)" literals of tests/unit/NAME, as bytes."""
    text = read(os.path.join(REPO, "tests", "unit", name)).decode("utf-8", "replace")
    for m in re.finditer(r'R"(\w*)\((.*?)\)\1"', text, re.S):
        yield m.group(2).encode()


# --- analyze_text targets: the selector byte is the index of the path in the target's list.
MANIFESTS = ["requirements.txt", "constraints.txt", "requirements/dev.in", "pyproject.toml", "Pipfile",
             "environment.yml", "poetry.lock", "uv.lock", "Pipfile.lock", "conda-lock.yml",
             "package.json", "package-lock.json", "setup.cfg", "setup.py"]
CONFIGS = [".github/workflows/ci.yml", "dvc.yaml", "k8s/deployment.yaml", "configs/train.yaml",
           "configs/model.json", ".gitlab-ci.yml", "charts/app/templates/deployment.yaml", "dvc.lock",
           "docker-compose.yml", "Dockerfile", "params.yaml"]


def manifest_index(path):
    name = os.path.basename(path)
    if name in MANIFESTS:
        return MANIFESTS.index(name)
    if re.match(r"(requirements|constraints).*\.(txt|in)$", name):
        return 0
    if name.endswith("conda-lock.yml"):
        return 9
    if re.match(r"environment.*\.ya?ml$", name):
        return 5
    return None


def guess_manifest(text):
    """Which manifest a unit test's literal is, from its content."""
    t = text.decode("utf-8", "replace")
    if t.lstrip().startswith("{"):
        return 8 if "_meta" in t else 11 if "lockfileVersion" in t else 10
    if "[[package]]" in t:
        return 6 if "poetry" in t.lower() or "content-hash" in t else 7
    if "[[source]]" in t or "[packages]" in t:
        return 4
    if "[project]" in t or "[tool." in t or "[build-system]" in t:
        return 3
    if "dependencies:" in t or "channels:" in t:
        return 9 if "package:" in t else 5
    if "[metadata]" in t or "[options" in t:
        return 12
    return 0


def config_index(path):
    rel = path.replace("\\", "/")
    name = os.path.basename(rel)
    if "/.github/workflows/" in rel:
        return 0
    if name == "dvc.yaml":
        return 1
    if name == "dvc.lock":
        return 7
    if name == "params.yaml":
        return 10
    if name.startswith("Dockerfile") or name == "Containerfile":
        return 9
    if "/templates/" in rel:
        return 6
    if name.endswith((".yaml", ".yml")):
        return 2 if b"kind:" in read(path) else 3
    if name.endswith(".json") and not name.endswith(".ipynb"):
        return 4
    return None


def corpus_analyze_text():
    out = {"python": [], "notebook": [], "manifests": [], "yaml_configs": [], "dockerfile": [], "settings": []}
    for path in repo_files():
        data, name = read(path), os.path.basename(path)
        if name.endswith(".py"):
            out["python"].append(b"\x00" + data)
        if name == "setup.py":
            out["manifests"].append(bytes([13]) + data)
        if name.endswith(".ipynb"):
            out["notebook"].append(b"\x00" + data)
        m = manifest_index(path)
        if m is not None:
            out["manifests"].append(bytes([m]) + data)
        c = config_index(path)
        if c is not None:
            out["yaml_configs"].append(bytes([c]) + data)
        if c == 9:
            out["dockerfile"].append(data)
        if name in (".mlaudit.yaml", ".mlaudit.yml"):
            out["settings"].append(b"\x00" + data)
        if name == "pyproject.toml":
            out["settings"].append(b"\x01" + data)
        for line in data.splitlines():
            if b"mlaudit:" in line and b"#" in line:
                out["settings"].append(b"\x03" + line[line.index(b"#"):])
    for literal in unit_test_raw_strings("test_manifests.cpp"):
        out["manifests"].append(bytes([guess_manifest(literal)]) + literal)
    for literal in unit_test_raw_strings("test_notebooks.cpp"):
        if literal.lstrip().startswith(b"{"):
            out["notebook"].append(b"\x00" + literal)
    for literal in unit_test_raw_strings("test_config.cpp"):
        out["yaml_configs"].append(b"\x03" + literal)
    for literal in unit_test_raw_strings("test_settings.cpp"):
        out["settings"].append((b"\x01" if literal.lstrip().startswith(b"[") else b"\x00") + literal)
    docker_tests = read(os.path.join(REPO, "tests", "unit", "test_dockerfile.cpp")).decode()
    for m in re.finditer(r'read_dockerfile\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)', docker_tests):
        try:
            out["dockerfile"].append("".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(1))).encode())
        except (ValueError, SyntaxError):
            pass
    out["settings"] += [b"\x00select: [unsafe-deserialization]\nignore: [seed-not-set]\nseverity:\n  hardcoded-secret: Low\n",
                        b"\x01[tool.mlaudit]\nexclude = [\"build/**\"]\nper-file-ignores = {\"tests/*\" = [\"seed-not-set\"]}\n",
                        b"\x03# mlaudit: ignore[unsafe-deserialization, seed-not-set]",
                        b"\x03# mlaudit: ignore-file[hardcoded-secret]"]
    return out


# --- model artifacts, made here: pickles of every protocol, a PyTorch-style ZIP, joblib's wrappers.
class Model:
    def __init__(self):
        self.weights = [1.5, 2.5]
        self.name = "m"


def corpus_artifacts():
    names = ["model.pt", "model.pkl", "model.joblib", "model.ckpt", "pytorch_model.bin", "model.safetensors",
             "model.onnx", "model.pth"]
    out = []
    objects = [{"a": 1, "b": [1, 2.5, "x"], "c": (None, True)}, Model(), os.system, [b"bytes", bytearray(b"ba")] * 3]
    pickles = []
    for proto in range(0, 6):
        for obj in objects:
            try:
                pickles.append(pickle.dumps(obj, protocol=proto))
            except (pickle.PicklingError, TypeError, AttributeError):
                pass
    for p in pickles:
        out.append(bytes([1]) + p)                                   # model.pkl
    for p in pickles[::3]:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:      # torch.save's layout
            z.writestr("archive/data.pkl", p)
            z.writestr("archive/data/0", b"\0" * 16)
            z.writestr("archive/version", b"3\n")
        out.append(bytes([0]) + buf.getvalue())
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("model/data.pkl", p)
        out.append(bytes([7]) + buf.getvalue())
        out.append(bytes([2]) + zlib.compress(p))                    # joblib compress=True
        out.append(bytes([2]) + gzip.compress(p, mtime=0))
    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    out.append(bytes([5]) + len(header).to_bytes(8, "little") + header + b"\0\0\x80?")
    out.append(bytes([6]) + b"\x08\x07\x12\x07pytorch")
    return out


# --- the LSP transcripts as the bytes a client sends.
def lsp_streams(workspace, scratch):
    root_uri = "file://" + urllib.parse.quote(workspace)
    out = []
    folder = os.path.join(REPO, "tests", "transcripts")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".transcript"):
            continue
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        source_dir = None
        m = re.search(r"^workspace (\S+)", text, re.M)
        if m:
            source_dir = os.path.join(REPO, m.group(1))

        def file_text(match):
            path = os.path.join(source_dir or workspace, match.group(1))
            try:
                return json.dumps(open(path, encoding="utf-8").read())[1:-1]
            except OSError:
                return ""

        text = re.sub(r"\$TEXT\(([^)]*)\)", file_text, text)
        text = re.sub(r"\$FIXTURE\(([^)]*)\)", lambda m: "", text)
        text = re.sub(r"\$REPEAT\((\d+),([^)]*)\)", lambda m: m.group(2) * min(int(m.group(1)), 200), text)
        text = re.sub(r"\$VAR\([^)]*\)", "null", text)
        text = re.sub(r"\$PID\([^)]*\)", "null", text)
        text = text.replace("$ROOT_URI", root_uri).replace("$ROOT", workspace).replace("$TMP", scratch)
        stream = b""
        # Steps start at column 0; an argument runs to the next step.
        for step in re.split(r"\n(?=\S)", text):
            keyword, _, argument = step.partition(" ")
            decoder, bodies = json.JSONDecoder(), []
            try:
                if keyword in ("send", "send_together"):
                    rest = argument.strip()
                    while rest:
                        value, end = decoder.raw_decode(rest)
                        bodies.append(json.dumps(value).encode())
                        rest = rest[end:].strip()
                elif keyword == "send_split":
                    bodies.append(json.dumps(json.loads(argument.split(None, 1)[1])).encode())
                elif keyword == "send_framed":
                    literal = ast.literal_eval(argument.strip())
                    bodies.append(literal if isinstance(literal, bytes) else literal.encode())
                elif keyword == "send_raw":
                    literal = ast.literal_eval(argument.strip())
                    stream += literal if isinstance(literal, bytes) else literal.encode()
            except (ValueError, SyntaxError, IndexError):
                continue
            for body in bodies:
                stream += b"Content-Length: %d\r\n\r\n" % len(body) + body
        if stream:
            out.append(stream)
    return out


def incremental_sync_seeds():
    rng = random.Random(7)
    return [bytes(rng.randrange(256) for _ in range(rng.randrange(16, 600))) for _ in range(32)]


def main():
    out_dir = sys.argv[1]
    wanted = set(sys.argv[2:])
    corpora = corpus_analyze_text()
    corpora["artifact"] = corpus_artifacts()
    # The transcripts' workspace: a copy of a small fixture next to the corpus (a seed's crawl
    # costs milliseconds), and their $TMP (the audit command's output file) beside it: the paths
    # a mutated input can splice into a file-writing command all point into the build directory.
    work = os.path.join(os.path.dirname(os.path.abspath(out_dir)), "fuzz-workspace")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "tests", "fixtures", "ml-sklearn-only"), os.path.join(work, "project"))
    os.makedirs(os.path.join(work, "output"), exist_ok=True)
    corpora["lsp_server"] = lsp_streams(os.path.join(work, "project"), os.path.join(work, "output"))
    corpora["incremental_sync"] = incremental_sync_seeds()
    for target, inputs in sorted(corpora.items()):
        if wanted and target not in wanted:
            continue
        folder = os.path.join(out_dir, target)
        os.makedirs(folder, exist_ok=True)
        for data in inputs:
            with open(os.path.join(folder, "seed-" + hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
        print(f"{target}: {len(inputs)} seeds in {folder}")


if __name__ == "__main__":
    main()
