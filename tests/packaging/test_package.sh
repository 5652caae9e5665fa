#!/usr/bin/env bash
# packaging: cpack builds the release tarball and .deb from this build tree; the tarball,
# unpacked into a temp prefix, runs `mlaudit audit` on a fixture from another working
# directory (the binary embeds its rubric: no source tree needed), its remediation links point
# into the prefix, and the .deb holds usr/bin/mlaudit with shared-library dependencies.
#
#   tests/packaging/test_package.sh BUILD_DIR REPO
set -euo pipefail

build="$(cd "${1:?usage: test_package.sh BUILD_DIR REPO}" && pwd -P)"
repo="$(cd "${2:?usage: test_package.sh BUILD_DIR REPO}" && pwd -P)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mlaudit-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "packaging: FAILED: $*" >&2; exit 1; }

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G "TGZ;DEB" -B "$work/out" >"$work/cpack.log" 2>&1) \
  || { cat "$work/cpack.log" >&2; fail "cpack exited with an error"; }
tarball="$(ls "$work"/out/mlaudit-*.tar.gz 2>/dev/null | head -1)"
deb="$(ls "$work"/out/mlaudit_*.deb 2>/dev/null | head -1)"
[[ -f "$tarball" ]] || fail "no tarball in $(ls "$work/out")"
[[ -f "$deb" ]] || fail "no .deb in $(ls "$work/out")"

# The tarball: one top folder holding bin/ and share/.
mkdir -p "$work/prefix" "$work/elsewhere"
tar -xzf "$tarball" -C "$work/prefix" --strip-components=1
mlaudit="$work/prefix/bin/mlaudit"
[[ -x "$mlaudit" ]] || fail "bin/mlaudit missing from the tarball: $(tar -tzf "$tarball" | head -20)"
for file in share/mlaudit/rubric/rules.yaml share/mlaudit/rubric/items.yaml \
            share/mlaudit/remediation/seed-not-set.md share/mlaudit/editors/nvim/lua/mlaudit/init.lua; do
  [[ -f "$work/prefix/$file" ]] || fail "$file missing from the tarball"
done
[[ -z "$(find "$work/prefix/share/mlaudit/rubric" -name '*.cpp' -o -name '*.hpp')" ]] || fail "C++ sources installed"

# Run from an unrelated folder on a copy of a fixture, with no access to the source tree's rubric.
cp -R "$repo/examples/research-project" "$work/elsewhere/project"
cd "$work/elsewhere"
status=0
"$mlaudit" audit project --format json -o "$work/audit.json" 2>"$work/audit.err" || status=$?
[[ $status -eq 0 ]] || { cat "$work/audit.err" >&2; fail "installed mlaudit audit exited with $status"; }
python3 - "$work/audit.json" <<'PY' || fail "the installed binary's audit is not a relevant, scored report"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["schema"] == "mlaudit-audit/1" and report["relevant"], report.get("relevance")
assert isinstance(report["overall"]["level"], int), report["overall"]
assert len(report["findings"]) >= 5, len(report["findings"])
PY
"$mlaudit" audit project >"$work/audit.md" || fail "Markdown audit failed"
grep -q "Overall AI/ML Maturity Score" "$work/audit.md" || fail "the Markdown report has no maturity score"

# Remediation links of an installed binary point at the installed guides, which exist.
"$mlaudit" check project --format sarif --fail-on never >"$work/check.sarif"
python3 - "$work/check.sarif" "$work/prefix" <<'PY' || fail "remediation links do not point at the installed guides"
import json, os, sys, urllib.parse
sarif, prefix = json.load(open(sys.argv[1])), os.path.realpath(sys.argv[2])
for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
    path = urllib.parse.unquote(urllib.parse.urlparse(rule["helpUri"]).path)
    assert os.path.realpath(path).startswith(prefix + "/share/mlaudit/remediation/"), rule["helpUri"]
    assert os.path.isfile(path), path
PY

# The .deb: the binary under usr/bin and dependencies computed from its shared libraries.
dpkg-deb -c "$deb" >"$work/deb.list"   # listed once: `grep -q` on a pipe would cut dpkg-deb off (SIGPIPE)
grep -q '\./usr/bin/mlaudit$' "$work/deb.list" || fail ".deb has no ./usr/bin/mlaudit"
grep -q '\./usr/share/mlaudit/rubric/rules.yaml$' "$work/deb.list" || fail ".deb has no rubric"
depends="$(dpkg-deb -f "$deb" Depends)"
[[ "$depends" == *libyaml-cpp* && "$depends" == *libre2* ]] || fail ".deb Depends lacks the shared libraries: $depends"
echo "packaging: PASSED ($(basename "$tarball"), $(basename "$deb"); Depends: $depends)"
