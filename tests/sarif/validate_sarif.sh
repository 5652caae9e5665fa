#!/usr/bin/env bash
# sarif.multitool: `mlaudit check --format sarif` on example workspaces, validated by Microsoft's
# SARIF Multitool (the `validate` command: the SARIF 2.1.0 schema plus Microsoft's SARIF rules),
# which must report no error. The Multitool is pinned in tests/sarif/package.json (lock file
# beside it; `make deps` runs `npm ci` here). Its npm package ships a self-contained .NET binary
# per platform (@microsoft/sarif-multitool-linux): no .NET runtime is needed.
#
#   tests/sarif/validate_sarif.sh PATH/TO/mlaudit
set -euo pipefail

mlaudit="${1:?usage: validate_sarif.sh PATH/TO/mlaudit}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd "$here/../.." && pwd -P)"
multitool="$here/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [[ ! -f "$multitool" ]]; then
  echo "sarif.multitool: FAILED: the SARIF Multitool is not installed at $multitool" >&2
  echo "  Run: (cd tests/sarif && npm ci --ignore-scripts)   (or make deps)" >&2
  exit 1
fi
[[ -x "$multitool" ]] || chmod u+x "$multitool"   # what the package's postinstall does

work="$(mktemp -d "${TMPDIR:-/tmp}/mlaudit-sarif.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1
# ICU is not required for validation; without libicu the .NET runtime would refuse to start.
if ! ldconfig -p 2>/dev/null | grep -q libicuuc; then export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1; fi

status=0
for workspace in examples/research-project examples/clean-project tests/fixtures/non-ml-project; do
  name="$(basename "$workspace")"
  # From the repository root, as in CI: URIs are then relative to it (examples/research-project/src/train.py).
  (cd "$repo" && "$mlaudit" check "$workspace" --format sarif --fail-on never) >"$work/$name.sarif"
  "$multitool" validate "$work/$name.sarif" --output "$work/$name.validation.sarif" --level "Error;Warning;Note" \
    >"$work/$name.log" 2>&1 || true
  python3 - "$work/$name.sarif" "$work/$name.validation.sarif" "$workspace" <<'PY' || status=1
import json, sys
sarif_path, validation_path, workspace = sys.argv[1:]
problems = []
try:
    validation = json.load(open(validation_path, encoding="utf-8"))
except (OSError, ValueError) as e:
    print(f"sarif.multitool: FAILED: {workspace}: the Multitool wrote no readable validation log ({e})", file=sys.stderr)
    sys.exit(1)
results = [r for run in validation["runs"] for r in run.get("results", [])]
notes = [n for run in validation["runs"] for inv in run.get("invocations", [])
         for n in inv.get("toolExecutionNotifications", []) + inv.get("toolConfigurationNotifications", [])]
errors = [r for r in results if r.get("level", "warning") == "error"]
errors += [n for n in notes if n.get("level", "warning") == "error"]
warnings = [r for r in results if r.get("level", "warning") == "warning"]
for r in errors:
    problems.append(f"{r.get('ruleId', '?')}: {json.dumps(r['message'])}")
sarif = json.load(open(sarif_path, encoding="utf-8"))
run = sarif["runs"][0]
if workspace.endswith("research-project"):
    # The test must see real results, each with a rule from the driver, a fingerprint and a location under the workspace.
    ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    if len(run["results"]) < 5:
        problems.append(f"expected the research project's findings, got {len(run['results'])} results")
    for r in run["results"]:
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        if r["ruleId"] not in ids or "mlaudit/v1" not in r["partialFingerprints"] or not uri.startswith(workspace + "/"):
            problems.append(f"result without rule, fingerprint or workspace URI: {r}")
if problems:
    print(f"sarif.multitool: FAILED: {workspace}", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"sarif.multitool: {workspace}: {len(run['results'])} results, Multitool: 0 errors, {len(warnings)} warnings"
      + "".join(f"\n  warning {w.get('ruleId')}: {json.dumps(w['message'])[:200]}" for w in warnings))
PY
done
[[ $status -eq 0 ]] && echo "sarif.multitool: PASSED"
exit $status
