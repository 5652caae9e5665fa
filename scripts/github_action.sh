#!/usr/bin/env bash
# The logic of the composite GitHub Action (action.yml), kept here so it can be run and tested
# outside GitHub (tests/action/test_action.py sets the same variables with temp files):
#   1. mlaudit check PATH --format sarif   -> $RUNNER_TEMP/mlaudit/mlaudit.sarif (uploaded by action.yml)
#   2. mlaudit check PATH --format github  -> annotations on the workflow run (when ANNOTATIONS=true)
#   3. mlaudit audit PATH --format json    -> the maturity summary (Markdown) in $GITHUB_STEP_SUMMARY
# Outputs ($GITHUB_OUTPUT): sarif-file, overall-level ("" when none), findings, exit-code.
# Exit status: 1 when check's --fail-on or audit's --fail-under is not met, 2 on usage errors, else 0.
#
# Inputs (environment): MLAUDIT (binary, default `mlaudit` on PATH), INPUT_PATH (default .),
# INPUT_FAIL_ON (default High), INPUT_FAIL_UNDER (1-5 or empty), INPUT_ANNOTATIONS (true|false).
set -uo pipefail

mlaudit="${MLAUDIT:-mlaudit}"
path="${INPUT_PATH:-.}"
fail_on="${INPUT_FAIL_ON:-High}"
fail_under="${INPUT_FAIL_UNDER:-}"
annotations="${INPUT_ANNOTATIONS:-true}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mlaudit"
mkdir -p "$out"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
outputs="${GITHUB_OUTPUT:-/dev/null}"

if ! command -v "$mlaudit" >/dev/null 2>&1; then
  echo "::error title=mlaudit::mlaudit not found ('$mlaudit'): install it before this action or set the mlaudit input"
  echo "exit-code=2" >>"$outputs"
  exit 2
fi

sarif="$out/mlaudit.sarif"
check_status=0
"$mlaudit" check "$path" --format sarif --fail-on "$fail_on" >"$sarif" || check_status=$?
if [[ $check_status -ge 2 ]]; then
  echo "::error title=mlaudit::mlaudit check failed with status $check_status"
  echo "exit-code=$check_status" >>"$outputs"
  exit "$check_status"
fi
echo "sarif-file=$sarif" >>"$outputs"
if [[ "$annotations" == "true" ]]; then
  "$mlaudit" check "$path" --format github --fail-on never || true
fi

audit_args=(audit "$path" --format json -o "$out/audit.json")
[[ -n "$fail_under" ]] && audit_args+=(--fail-under "$fail_under")
audit_status=0
"$mlaudit" "${audit_args[@]}" 2>"$out/audit.err" || audit_status=$?
grep -v '^mlaudit: wrote ' "$out/audit.err" >&2 || true
if [[ $audit_status -ge 2 || ! -s "$out/audit.json" ]]; then
  echo "::error title=mlaudit::mlaudit audit failed with status $audit_status"
  echo "exit-code=2" >>"$outputs"
  exit 2
fi
python3 "$here/maturity_markdown.py" <"$out/audit.json" >>"$summary"
python3 - "$out/audit.json" "$outputs" <<'PY'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
level = report["overall"]["level"]
with open(sys.argv[2], "a", encoding="utf-8") as out:
    out.write(f"overall-level={'' if level is None else level}\n")
    out.write(f"findings={len(report.get('findings', []))}\n")
PY

status=0
[[ $check_status -eq 1 ]] && { echo "mlaudit: findings at or above $fail_on (--fail-on)" >&2; status=1; }
[[ $audit_status -eq 1 ]] && status=1
echo "exit-code=$status" >>"$outputs"
exit "$status"
