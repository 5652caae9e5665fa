#!/usr/bin/env bash
# nvim.plugin: the Lua plugin in editors/nvim, loaded from the repository in Debian's headless
# Neovim (0.7.2): diagnostics for a training script and requirements.txt, :MlauditAudit's report
# in a split, :checkhealth mlaudit. The checks live in plugin_test.lua.
#
#   tests/nvim/run_plugin_test.sh PATH/TO/mlaudit
set -euo pipefail

mlaudit="${1:?usage: run_plugin_test.sh PATH/TO/mlaudit}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd "$here/../.." && pwd -P)"
command -v nvim >/dev/null || { echo "nvim.plugin: FAILED: nvim is not on PATH (apt-get install neovim)" >&2; exit 1; }
[[ -x "$mlaudit" ]] || { echo "nvim.plugin: FAILED: no executable mlaudit at $mlaudit" >&2; exit 1; }
mlaudit="$(cd "$(dirname "$mlaudit")" && pwd -P)/$(basename "$mlaudit")"

work="$(mktemp -d "${TMPDIR:-/tmp}/mlaudit-nvim-plugin.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$repo/examples/research-project" "$work/workspace"
# A private XDG tree keeps the user's config, plugins, shada and logs out of it.
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache"
export MLAUDIT_BIN="$mlaudit" MLAUDIT_TEST_WORKSPACE="$(cd "$work/workspace" && pwd -P)" MLAUDIT_TEST_OUT="$work/result.txt"

status=0
(cd "$work" && timeout --kill-after=5 120 nvim --headless --clean -n -i NONE \
  --cmd "set runtimepath^=$repo/editors/nvim" -c "luafile $here/plugin_test.lua" </dev/null >"$work/nvim.out" 2>&1) || status=$?
if [[ $status -ne 0 || "$(cat "$work/result.txt" 2>/dev/null)" != "PASSED" ]]; then
  echo "nvim.plugin: FAILED (nvim exit status $status)" >&2
  sed 's/^/  /' "$work/result.txt" >&2 2>/dev/null || echo "  no result written" >&2
  sed 's/^/  nvim: /' "$work/nvim.out" >&2
  [[ -f "$work/state/nvim/lsp.log" ]] && tail -20 "$work/state/nvim/lsp.log" | sed 's/^/  lsp.log: /' >&2
  [[ -f "$work/cache/nvim/lsp.log" ]] && tail -20 "$work/cache/nvim/lsp.log" | sed 's/^/  lsp.log: /' >&2
  exit 1
fi
echo "nvim.plugin: PASSED (Neovim $(nvim --version | head -1 | cut -d' ' -f2))"
