#!/usr/bin/env bash
# vscode.e2e: the VS Code extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3,
# driven by headless Chromium through playwright-core). Builds the .vsix from editors/vscode with
# the mlaudit binary bundled in its bin/, installs it into a fresh extensions dir, opens a fresh
# copy of tests/fixtures/vscode-training and runs vscode_e2e.js (the steps are listed there).
#
#   tests/vscode/run_vscode_e2e.sh PATH/TO/mlaudit [OUT_DIR] [--no-extension | --install-only]
#
# OUT_DIR (default: the binary's directory/vscode-e2e) receives the .vsix, the screenshots and
# logs of the last run (OUT_DIR/artifacts) and, once, code-server and playwright-core
# (OUT_DIR/code-server, installed by ../shared/tools/install-code-server.sh beside the clone, as in
# CI; about 300 MB and a few minutes; VSCODE_E2E_TOOLS overrides the tools dir).
# --no-extension skips installing the .vsix: the negative control, which must fail.
# --install-only installs code-server and playwright-core if missing, and stops (ctest runs it as
# the fixture vscode.install, so the one-time download has its own time budget).
set -euo pipefail

mlaudit="${1:?usage: run_vscode_e2e.sh PATH/TO/mlaudit [OUT_DIR] [--no-extension]}"
shift
out=""
install_extension=1
install_only=0
for arg in "$@"; do
  case "$arg" in
    --no-extension) install_extension=0 ;;
    --install-only) install_only=1 ;;
    *) out="$arg" ;;
  esac
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd "$here/../.." && pwd -P)"
[[ -x "$mlaudit" ]] || { echo "vscode.e2e: FAILED: no executable mlaudit at $mlaudit" >&2; exit 1; }
mlaudit="$(cd "$(dirname "$mlaudit")" && pwd -P)/$(basename "$mlaudit")"
out="${out:-$(dirname "$mlaudit")/vscode-e2e}"
mkdir -p "$out"
out="$(cd "$out" && pwd -P)"
tools="${VSCODE_E2E_TOOLS:-$repo/../shared/tools}"
cs="$out/code-server"
started=$(date +%s)
say() { echo "[vscode.e2e +$(( $(date +%s) - started ))s] $*"; }

# code-server and playwright-core: installed once per OUT_DIR.
if [[ ! -x "$cs/node_modules/.bin/code-server" || ! -d "$cs/pw/node_modules/playwright-core" ]]; then
  if [[ ! -x "$tools/install-code-server.sh" ]]; then
    echo "vscode.e2e: FAILED: $tools/install-code-server.sh not found: this test needs the shared tools" >&2
    echo "  beside the clone (../shared/tools, as in CI), or VSCODE_E2E_TOOLS=/path/to/tools." >&2
    exit 1
  fi
  say "installing code-server and playwright-core into $cs (once)"
  "$tools/install-code-server.sh" "$cs" >"$out/install.log" 2>&1 || { tail -30 "$out/install.log" >&2; exit 1; }
fi
command -v chromium >/dev/null || { echo "vscode.e2e: FAILED: chromium is missing (install-code-server.sh installs it)" >&2; exit 1; }
if [[ $install_only -eq 1 ]]; then say "code-server $("$cs/node_modules/.bin/code-server" --version | head -1)"; exit 0; fi

# The .vsix, built by the extension's own scripts (npm ci from the lock file, tsc, vsce) in a
# staging copy, so the source tree stays clean; the binary under test goes into its bin/.
stage="$out/extension"
mkdir -p "$stage"
for f in package.json package-lock.json tsconfig.json README.md .vscodeignore; do cp "$repo/editors/vscode/$f" "$stage/"; done
rm -rf "$stage/src" "$stage/out" "$stage/bin" && cp -R "$repo/editors/vscode/src" "$stage/src"
if ! cmp -s "$stage/package-lock.json" "$stage/node_modules/.package-lock.stamp" 2>/dev/null; then
  say "npm ci (editors/vscode/package-lock.json)"
  (cd "$stage" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$stage/package-lock.json" "$stage/node_modules/.package-lock.stamp"
fi
mkdir -p "$stage/bin" && cp "$mlaudit" "$stage/bin/mlaudit"
(cd "$stage" && npm run --silent package </dev/null >"$out/vsce.log" 2>&1) || { cat "$out/vsce.log" >&2; exit 1; }
say "packaged $(grep -o 'Packaged: .*' "$out/vsce.log")"

# A fresh run directory: extensions, user data, workspace copy, screenshots.
art="$out/artifacts"
rm -rf "$art" && mkdir -p "$art/shots"
run="$(mktemp -d "${TMPDIR:-/tmp}/mlaudit-vscode.XXXXXX")"
cspid=""
cleanup() {
  if [[ -n "$cspid" ]] && kill -0 "$cspid" 2>/dev/null; then
    kill "$cspid"
    for _ in $(seq 50); do kill -0 "$cspid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$run"
}
trap cleanup EXIT
ext="$run/extensions" ud="$run/user-data" ws="$run/vscode-training"
mkdir -p "$ext" "$ud/User"
cp -R "$repo/tests/fixtures/vscode-training" "$ws"
if [[ $install_extension -eq 1 ]]; then
  "$cs/node_modules/.bin/code-server" --extensions-dir "$ext" --install-extension "$stage/mlaudit.vsix" >"$art/install-extension.log" 2>&1
  grep -q '^mlaudit\.mlaudit@' <("$cs/node_modules/.bin/code-server" --extensions-dir "$ext" --list-extensions --show-versions) ||
    { echo "vscode.e2e: FAILED: the .vsix did not install" >&2; cat "$art/install-extension.log" >&2; exit 1; }
  say "installed the .vsix"
else
  say "NOT installing the extension (negative control: the steps must fail)"
fi
# No first-run dialogs, welcome page or trust prompt (vscode-e2e.md); the client's trace on.
cat >"$ud/User/settings.json" <<'EOF'
{ "security.workspace.trust.enabled": false, "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false, "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off", "extensions.autoUpdate": false, "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true, "update.mode": "none", "workbench.enableExperiments": false,
  "git.enabled": false, "window.restoreWindows": "none", "mlaudit.trace.server": "verbose" }
EOF

# What the report and the status bar must say: the CLI's overall level for the same workspace.
level="$("$mlaudit" audit "$ws" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["overall"]["level"])')"

port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
"$cs/node_modules/.bin/code-server" --config "$run/cs-config.yaml" --auth none --bind-addr "127.0.0.1:$port" \
  --user-data-dir "$ud" --extensions-dir "$ext" --disable-telemetry --disable-update-check \
  --disable-workspace-trust "$ws" >"$art/code-server.log" 2>&1 &
cspid=$!
# Ready when /healthz answers 200 (its body says "expired" until a browser connects).
python3 - "$port" <<'PY' || { echo "vscode.e2e: FAILED: code-server did not start" >&2; cat "$art/code-server.log" >&2; exit 1; }
import sys, time, urllib.request
for _ in range(600):
    try:
        if urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1).status == 200: sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
PY
say "code-server on port $port; expecting overall level $level"

status=0
PLAYWRIGHT_CORE="$cs/pw/node_modules/playwright-core" node "$here/vscode_e2e.js" --port "$port" --workspace "$ws" \
  --user-data "$ud" --shots "$art/shots" --expect-level "$level" || status=$?
cp -R "$ud/logs" "$art/vscode-logs" 2>/dev/null || true
cp "$ws/train.py" "$art/train.py.after" 2>/dev/null || true
say "$([[ $status -eq 0 ]] && echo passed || echo FAILED); screenshots and logs in $art"
exit $status
