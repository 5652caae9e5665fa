#!/usr/bin/env bash
# nvim.diagnostics: a real editor client - headless Neovim, driven by nvim-probe.sh from the
# shared tools (../shared/tools beside the clone, as in CI) - starts `mlaudit server` on a temp
# copy of examples/research-project, opens three files and must get mlaudit's diagnostics for
# each, once each, with source "mlaudit".
#
#   tests/nvim/run_nvim_test.sh PATH/TO/mlaudit
#
# NVIM_PROBE overrides the path of nvim-probe.sh.
set -euo pipefail

mlaudit="${1:?usage: run_nvim_test.sh PATH/TO/mlaudit}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd "$here/../.." && pwd -P)"
probe="${NVIM_PROBE:-$repo/../shared/tools/nvim-probe.sh}"

if [[ ! -f "$probe" ]]; then
  echo "nvim.diagnostics: FAILED: nvim-probe.sh not found at $probe" >&2
  echo "  This test needs the shared tools beside the clone (../shared/tools/nvim-probe.sh, as in CI)," >&2
  echo "  or NVIM_PROBE=/path/to/nvim-probe.sh." >&2
  exit 1
fi
if ! command -v nvim >/dev/null 2>&1; then
  echo "nvim.diagnostics: FAILED: nvim is not on PATH (Debian: apt-get install neovim; \`make test\` installs it)" >&2
  exit 1
fi
[[ -x "$mlaudit" ]] || { echo "nvim.diagnostics: FAILED: no executable mlaudit at $mlaudit" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/mlaudit-nvim.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$repo/examples/research-project" "$work/workspace"

# requirements.txt has no Neovim filetype: --language-id names it (the server goes by file name).
status=0
(cd "$work/workspace" &&
  bash "$probe" --server "$(printf '%q' "$mlaudit") server" --root "$work/workspace" \
    --language-id pip-requirements --timeout 20 --settle 500 \
    src/train.py src/data.py requirements.txt) >"$work/diagnostics.jsonl" 2>"$work/probe.err" || status=$?
if [[ $status -ne 0 ]]; then
  echo "nvim.diagnostics: FAILED: nvim-probe exited with $status" >&2
  cat "$work/probe.err" "$work/diagnostics.jsonl" >&2
  exit 1
fi

python3 - "$work/diagnostics.jsonl" <<'PY'
import json
import sys
from collections import Counter

records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
got = Counter((r["file"], r["code"], r["lnum"]) for r in records)
# (file, code, 0-based line) that examples/research-project must produce.
expected = [
    ("src/train.py", "hardcoded-secret", 9),
    ("src/train.py", "trust-remote-code", 16),
    ("src/train.py", "unsafe-deserialization", 25),
    ("src/train.py", "no-experiment-tracking", 33),
    ("src/train.py", "seed-not-set", 33),
    ("src/data.py", "unsafe-deserialization", 10),
    ("src/data.py", "unsafe-deserialization", 15),
    ("src/data.py", "split-without-random-state", 19),
    ("requirements.txt", "unpinned-dependency", 1),
    ("requirements.txt", "unpinned-dependency", 2),
]
severities = {"hardcoded-secret": "ERROR", "seed-not-set": "WARN", "split-without-random-state": "INFO",
              "unsafe-deserialization": "ERROR", "unpinned-dependency": "WARN"}
problems = [f"missing: {e}" for e in expected if not got[e]]
problems += [f"reported {n} times (push and pull both served?): {k}" for k, n in got.items() if n > 1]
problems += [f"source is {r['source']!r}, not 'mlaudit': {r}" for r in records if r.get("source") != "mlaudit"]
problems += [f"severity {r['severity']}, expected {severities[r['code']]}: {r}"
             for r in records if r["code"] in severities and r["severity"] != severities[r["code"]]]
problems += [f"the secret is not masked: {r}" for r in records if "4fJq8ZrT2mXw9LkP0aQv7sNd3YbHcE6u" in r["message"]]
if problems:
    print("nvim.diagnostics: FAILED", *problems, "diagnostics Neovim stored:", *map(json.dumps, records),
          sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"nvim.diagnostics: PASSED ({len(records)} diagnostics in Neovim for "
      f"{len({r['file'] for r in records})} files)")
PY

# A quick fix through Neovim's own client: code_action() on the torch.load line of
# src/train.py, vim.ui.select answered with "Load with weights_only=True", the server's edit
# applied by Neovim (resolved or eager, as this Neovim supports), the diagnostic gone after
# the didChange Neovim sends.
fix_status=0
NVIM_FIX_SERVER="$(printf '%q' "$mlaudit") server" NVIM_FIX_ROOT="$work/workspace" NVIM_FIX_FILE="$work/workspace/src/train.py" \
NVIM_FIX_LINE=26 NVIM_FIX_TITLE="Load with weights_only=True" NVIM_FIX_OUT="$work/fix.json" \
  timeout 60 nvim --headless --clean -c "luafile $here/apply_fix.lua" >"$work/fix.log" 2>&1 || fix_status=$?
python3 - "$work/fix.json" "$fix_status" "$repo/examples/research-project/src/train.py" <<'PY'
import json
import sys

raw = open(sys.argv[1], encoding="utf-8").read() if sys.argv[2] in ("0", "2") else ""
result = json.loads(raw) if raw.strip() else {}
original = open(sys.argv[3], encoding="utf-8").read()
expected = original.replace("    state = torch.load(checkpoint)\n", "    state = torch.load(checkpoint, weights_only=True)\n")
problems = []
if sys.argv[2] != "0":
    problems.append(f"apply_fix.lua exited with {sys.argv[2]}: {result}")
if result.get("text") != expected:
    problems.append("buffer text after the fix differs from the expected text:\n" + str(result.get("text")))
codes = [tuple(c) for c in result.get("codes", [])]
if (25, "unsafe-deserialization") in codes:
    problems.append(f"the unsafe-deserialization diagnostic on line 26 is still there: {codes}")
if not any(code == "seed-not-set" for _, code in codes):
    problems.append(f"the other diagnostics should remain: {codes}")
offered = result.get("offered", [])
if not any(t.startswith("Open remediation guide") for t in offered) or not any(t.startswith("Suppress") for t in offered):
    problems.append(f"Neovim was not offered the suppressions and the guide: {offered}")
if problems:
    print("nvim.diagnostics (quick fix): FAILED", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"nvim.diagnostics (quick fix): PASSED ({len(offered)} actions offered; the fix applied by Neovim's client)")
PY
