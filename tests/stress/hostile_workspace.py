"""Builds a hostile workspace in a temp directory: every file a real repository can hold that
could crash, hang or bloat an analyzer (issue 7, "Hostile workspaces"). Stdlib only.

build(root, tiny_files) returns a dict: relative path -> what the audit's coverage must say
about it ("skipped" with a reason, or "analysed"), for the files the test checks one by one.
"""

import os
import random
import struct
import zlib

ML_TRAIN = '''"""Trains a classifier."""
import torch
from transformers import AutoModel

model = AutoModel.from_pretrained("bert-base-uncased", trust_remote_code=True)
state = torch.load("checkpoint.pt")
'''


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def yaml_alias_bomb(levels=9, width=9):
    """Billion laughs: `width` ** `levels` leaves through aliases, a few hundred bytes on disk."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        refs = ",".join(f"*a{i - 1}" for _ in range(width))
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"stages: *a{levels}")
    return "\n".join(lines) + "\n"


def zip_bomb(path, inflated_gib=2, declared_size=None):
    """A ZIP named like a PyTorch checkpoint whose archive/data.pkl inflates to GiBs.

    data.pkl starts as a well-formed pickle (PROTO 4, BINBYTES8 of the whole payload), so a
    scanner must get through the payload to reach the end (STOP); the payload is zeros. A second
    entry holds a small, fine pickle. The deflate stream is built from one compressed 1 MiB
    block of zeros repeated (each ends with a full flush, so they are independent and
    byte-aligned): GiBs inflated from a few MB on disk. With declared_size, the headers lie
    about the inflated size (a reader must not trust them to bound its work).
    """
    mib = 1 << 20
    chunks = inflated_gib * 1024
    payload = chunks * mib
    head = b"\x80\x04\x8e" + struct.pack("<Q", payload)
    tail = b"\x94."  # MEMOIZE, STOP
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    zero_block = c.compress(b"\0" * mib) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    zeros = b"\0" * mib
    for _ in range(chunks):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(tail, crc)
    size = declared_size if declared_size is not None else len(head) + payload + len(tail)
    csize = len(first) + chunks * len(zero_block) + len(last)

    import pickle
    fine = pickle.dumps({"weights": [1.0, 2.0]}, protocol=2)
    entries = []
    with open(path, "wb") as f:
        def local(name, method, crc_, csize_, size_, extra=b""):
            offset = f.tell()
            f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, method, 0, 0, crc_, csize_, size_,
                                len(name), len(extra)) + name + extra)
            return offset

        # Zip64 sizes for the bomb (above 4 GiB when inflated_gib >= 4; harmless otherwise).
        name = b"archive/data.pkl"
        z64 = struct.pack("<HHQQ", 1, 16, size, csize)
        off = local(name, 8, crc, 0xFFFFFFFF, 0xFFFFFFFF, z64)
        f.write(first)
        for _ in range(chunks):
            f.write(zero_block)
        f.write(last)
        entries.append((name, 8, crc, csize, size, off))

        name2 = b"archive/extra/fine.pkl"
        off2 = local(name2, 0, zlib.crc32(fine), len(fine), len(fine))
        f.write(fine)
        entries.append((name2, 0, zlib.crc32(fine), len(fine), len(fine), off2))

        cd_start = f.tell()
        for name_, method, crc_, csize_, size_, off_ in entries:
            big = size_ >= 0xFFFFFFFF or csize_ >= 0xFFFFFFFF or name_ == b"archive/data.pkl"
            extra = struct.pack("<HHQQQ", 1, 24, size_, csize_, off_) if big else b""
            f.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0, crc_,
                                0xFFFFFFFF if big else csize_, 0xFFFFFFFF if big else size_,
                                len(name_), len(extra), 0, 0, 0, 0, 0xFFFFFFFF if big else off_) + name_ + extra)
        cd_end = f.tell()
        # Zip64 end of central directory record and locator, then the classic end record.
        z64_eocd = f.tell()
        f.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries),
                            cd_end - cd_start, cd_start))
        f.write(struct.pack("<IIQI", 0x07064B50, 0, z64_eocd, 1))
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                            cd_end - cd_start, cd_start, 0))


def build(root, tiny_files=20000, seed=7, depth=100000):
    rng = random.Random(seed)
    expect = {}
    write(root, "src/train.py", ML_TRAIN)
    write(root, "requirements.txt", "torch\ntransformers\n")
    expect["src/train.py"] = "analysed"

    # Links: out of the workspace, loops, a link to itself, a dangling one named like code.
    os.symlink("/", os.path.join(root, "link_to_root"))
    os.makedirs(os.path.join(root, "loops"))
    os.symlink("b", os.path.join(root, "loops", "a"))
    os.symlink("a", os.path.join(root, "loops", "b"))
    os.symlink(".", os.path.join(root, "loops", "here"))
    os.symlink("..", os.path.join(root, "loops", "up"))
    os.symlink("missing.py", os.path.join(root, "loops", "dangling.py"))

    # Many tiny files (a few dozen folders of them).
    for i in range(tiny_files):
        write(root, f"many/d{i // 500:03d}/m{i}.py", f"import os\nVALUE_{i} = {i}\n")

    # Too large: never read whole.
    with open(os.path.join(root, "huge.py"), "wb") as f:
        line = b"value = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]  # padding padding\n"
        f.write(line * (50 * (1 << 20) // len(line) + 1))
    expect["huge.py"] = "skipped"
    write(root, "one_line.py", "x = [" + "1, " * (5 * (1 << 20) // 3) + "]")
    expect["one_line.py"] = "skipped"
    # Under the 2 MiB cap, but one line whose syntax tree is ~500,000 levels deep.
    write(root, "deep_expression.py", "import torch\nx = " + "1+" * 900000 + "1\n")
    write(root, "deep_parens.py", "import torch\nx = " + "(" * depth + "1" + ")" * depth + "\n")
    # Other shapes whose syntax tree is as deep as the line is long (each its own file, so one
    # crash cannot hide another).
    deep = depth
    variants = {
        "deep_attribute.py": "x = torch" + ".a" * deep + "\n",
        "deep_calls.py": "x = " + "f(" * deep + "1" + ")" * deep + "\n",
        "deep_call_args.py": "torch.load(" + "f(" * deep + "'m.pt'" + ")" * deep + ")\n",
        "deep_subscript.py": "x = a" + "[0]" * deep + "\n",
        "deep_unary.py": "x = " + "-" * deep + "1\n",
        "deep_not.py": "x = " + "not " * deep + "y\n",
        "deep_lists.py": "x = " + "[" * deep + "]" * deep + "\n",
        "deep_dicts.py": "x = " + "{'a': " * 30000 + "1" + "}" * 30000 + "\n",
        "deep_kwargs.py": "torch.load('m.pt', weights_only=" + "(" * deep + "True" + ")" * deep + ")\n",
        "deep_ternary.py": "x = " + "a if b else " * 50000 + "c\n",
        "deep_lambda.py": "x = " + "lambda: " * 50000 + "1\n",
        "deep_strings.py": "x = " + "'sk-' " * deep + "\n",
        "deep_indent.py": "".join(" " * i + "if x:\n" for i in range(3000)) + " " * 3000 + "pass\n",
        "deep_with.py": "".join(" " * i + "with open('f') as f:\n" for i in range(2000)) + " " * 2000 + "torch.load(f)\n",
        "deep_decorators.py": "@d\n" * deep + "def f(): pass\n",
        "deep_comprehension.py": "x = " + "[" * 20000 + "a for a in b" + "]" * 20000 + "\n",
        "deep_import_alias.py": "import torch as t0\n" + "".join(f"t{i + 1} = t{i}\n" for i in range(20000)) + "t20000.load('m.pt')\n",
    }
    for rel, text in variants.items():
        write(root, rel, "import torch\n" + text)

    # Binary content under code names.
    noise = bytes(rng.getrandbits(8) for _ in range(64 * 1024))
    write(root, "binary.py", b"\x7fELF\x02\x01\x01\x00" + noise)
    expect["binary.py"] = "skipped"
    write(root, "binary.ipynb", b"\x89PNG\r\n\x1a\n\x00\x00" + noise)
    expect["binary.ipynb"] = "skipped"

    # Encodings.
    write(root, "latin1.py", b"import torch\n# caf\xe9 \xff\xfe\xc3\x28\nx = '\xe9'\n")
    write(root, "utf16.py", "import torch\nname = 'caf\u00e9 \u4e2d\u6587'\n".encode("utf-16"))
    write(root, "requirements-utf16.txt", "torch==2.1.0\nnumpy\n".encode("utf-16"))

    # A notebook whose JSON nests 100,000 levels.
    write(root, "deep.ipynb", '{"cells": [' + "[" * 100000 + "]" * 100000 + '], "nbformat": 4}')
    expect["deep.ipynb"] = "skipped"
    write(root, "deep_config.json", "[" * 100000 + "]" * 100000)

    # YAML alias bombs wherever a YAML file is read: CI, DVC, conda, Kubernetes, our own config.
    bomb = yaml_alias_bomb()
    for rel in (".github/workflows/ci.yml", "dvc.yaml", "params.yaml", "environment.yml",
                "conda-lock.yml", "k8s/deployment.yaml", "docker-compose.yml", ".mlaudit.yaml"):
        write(root, rel, bomb)

    # Model files: a ZIP bomb named like a checkpoint, a truncated ZIP, a pickle that is fine.
    zip_bomb(os.path.join(root, "model.pt"))
    zip_bomb(os.path.join(root, "lying.pt"), inflated_gib=1, declared_size=4096)
    with open(os.path.join(root, "model.pt"), "rb") as f:
        write(root, "truncated.pt", f.read(4096))
    import pickle
    write(root, "weights.pkl", pickle.dumps({"w": [0.5] * 10}, protocol=4))

    # Not regular files under code names.
    os.mkfifo(os.path.join(root, "pipe.py"))
    expect["pipe.py"] = "skipped"
    os.makedirs(os.path.join(root, "folder.py"))
    write(root, "folder.py/inside.py", "import os\n")

    # Unreadable (when not root: as root, chmod 000 does not deny; the race below covers it).
    locked = write(root, "locked.py", "import torch\n")
    os.chmod(locked, 0)
    if os.geteuid() != 0:
        expect["locked.py"] = "skipped"
    return expect


def race_targets(root, count=1000):
    """Files the test mutates while the server indexes (deleted, turned into FIFOs, folders,
    dangling links): their names, written now."""
    names = []
    for i in range(count):
        rel = f"vanish/v{i:05d}.py"
        write(root, rel, f"import torch\nX_{i} = torch.load('m{i}.pt')\n")
        names.append(rel)
    for i in range(count // 10):
        rel = f"vanish/art{i:04d}.pt"
        write(root, rel, b"\x80\x02}q\x00.")
        names.append(rel)
    return names


def mutate(root, names, seed=11):
    """Deletes, replaces by a FIFO, a folder or a dangling link, or empties each file, in random order."""
    rng = random.Random(seed)
    order = list(names)
    rng.shuffle(order)
    for n, rel in enumerate(order):
        path = os.path.join(root, rel)
        try:
            os.unlink(path)
            kind = n % 4
            if kind == 1:
                os.mkfifo(path)
            elif kind == 2:
                os.mkdir(path)
            elif kind == 3:
                os.symlink("/nonexistent/" + rel, path)
        except OSError:
            pass
