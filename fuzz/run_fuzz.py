#!/usr/bin/env python3
"""Runs the libFuzzer targets (Python 3 stdlib): `make fuzz` and the ctest tests fuzz.<target>.

    python3 fuzz/run_fuzz.py --fuzz-dir BUILD/fuzz --corpus-root BUILD/fuzz-corpus
                             [--seconds N] [--jobs J] [TARGET ...]

For each target (default: every fuzz_* binary in --fuzz-dir): builds its seed corpus when it has
none (fuzz/seed_corpus.py), replays fuzz/regressions/<target>/ (every input that once crashed
it), then fuzzes for N seconds from the corpus, which keeps what it finds for the next run.
Prints one summary line per target:

    fuzz: target=python seconds=60 execs=81234 exec/s=1353 cov=4123 ft=12876 corpus=312 crashes=0

A crash, a leak, a timeout (a hang is a finding) or an out-of-memory is written to
BUILD/fuzz-findings/<target>/ and fails the run (exit 1).
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Per target: the longest input worth mutating, and how long one input may take before it
# counts as a hang (the sanitized build is slow; the server target runs a whole session).
LIMITS = {
    "lsp_server": {"max_len": 65536, "timeout": 30},
    "python": {"max_len": 16384, "timeout": 10},
    "notebook": {"max_len": 32768, "timeout": 10},
    "manifests": {"max_len": 16384, "timeout": 10},
    "yaml_configs": {"max_len": 16384, "timeout": 10},
    "dockerfile": {"max_len": 8192, "timeout": 10},
    "artifact": {"max_len": 65536, "timeout": 10},
    "settings": {"max_len": 8192, "timeout": 10},
    "incremental_sync": {"max_len": 4096, "timeout": 10},
}
SANITIZER_ENV = {
    # A report stops the process (abort: exit status 134, never mistaken for the program's own 1).
    "ASAN_OPTIONS": "detect_leaks=1:halt_on_error=1:abort_on_error=1:symbolize=1:detect_stack_use_after_return=0",
    "UBSAN_OPTIONS": "halt_on_error=1:abort_on_error=1:print_stacktrace=1",
}


def run_one(binary, target, args):
    limits = LIMITS.get(target, {"max_len": 16384, "timeout": 10})
    corpus = os.path.join(args.corpus_root, target)
    findings = os.path.join(os.path.dirname(os.path.abspath(args.corpus_root)), "fuzz-findings", target)
    os.makedirs(findings, exist_ok=True)
    env = dict(os.environ, **SANITIZER_ENV)
    log = []

    if not os.path.isdir(corpus) or not os.listdir(corpus):
        subprocess.run([sys.executable, os.path.join(HERE, "seed_corpus.py"), args.corpus_root, target],
                       check=True, stdout=subprocess.DEVNULL)

    regressions = os.path.join(HERE, "regressions", target)
    replayed = 0
    if os.path.isdir(regressions):
        files = sorted(os.path.join(regressions, f) for f in os.listdir(regressions) if not f.startswith("."))
        replayed = len(files)
        if files:
            r = subprocess.run([binary, f"-timeout={limits['timeout']}", "-rss_limit_mb=2560"] + files,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
            if r.returncode != 0:
                return target, 1, f"fuzz: target={target} regression replay FAILED (exit {r.returncode})\n" + tail(r.stdout)

    # The lsp_server target may write files where an input says (the audit command's output):
    # it runs in a scratch folder of the build tree.
    cwd = os.path.join(os.path.dirname(os.path.abspath(args.corpus_root)), "fuzz-workspace", "cwd")
    os.makedirs(cwd, exist_ok=True)
    command = [binary, corpus, f"-max_total_time={args.seconds}", f"-timeout={limits['timeout']}",
               "-rss_limit_mb=2560", f"-max_len={limits['max_len']}", "-print_final_stats=1",
               f"-artifact_prefix={findings}/"]
    dictionary = os.path.join(HERE, "dicts", target + ".dict")
    if os.path.exists(dictionary):
        command.append(f"-dict={dictionary}")
    started = time.monotonic()
    r = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace")
    elapsed = time.monotonic() - started
    out = r.stdout
    execs = last(r"stat::number_of_executed_units:\s*(\d+)", out) or last(r"^#(\d+)\s", out) or "?"
    cov = last(r"\bcov: (\d+)", out) or "?"
    ft = last(r"\bft: (\d+)", out) or "?"
    corp = last(r"\bcorp: (\d+)", out) or "?"
    rate = f"{int(execs) / elapsed:.0f}" if execs.isdigit() and elapsed > 0 else "?"
    crashed = r.returncode != 0
    line = (f"fuzz: target={target} seconds={elapsed:.0f} execs={execs} exec/s={rate} cov={cov} ft={ft} "
            f"corpus={corp} regressions={replayed} crashes={1 if crashed else 0}")
    if crashed:
        written = re.findall(r"Test unit written to (\S+)", out)
        line += f" (exit {r.returncode}; input: {written[-1] if written else 'not written'})\n" + tail(out)
    return target, 1 if crashed else 0, line


def last(pattern, text):
    found = re.findall(pattern, text, re.M)
    return found[-1] if found else None


def tail(text, lines=80):
    return "\n".join(text.splitlines()[-lines:])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fuzz-dir", required=True)
    parser.add_argument("--corpus-root", required=True)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("targets", nargs="*")
    args = parser.parse_args()
    args.fuzz_dir, args.corpus_root = os.path.abspath(args.fuzz_dir), os.path.abspath(args.corpus_root)
    targets = args.targets or sorted(f[len("fuzz_"):] for f in os.listdir(args.fuzz_dir) if f.startswith("fuzz_"))
    binaries = {t: os.path.join(args.fuzz_dir, "fuzz_" + t) for t in targets}
    missing = [b for b in binaries.values() if not os.access(b, os.X_OK)]
    if missing:
        sys.exit(f"not built: {' '.join(missing)}")
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = [pool.submit(run_one, binaries[t], t, args) for t in targets]
        for run in runs:
            target, status, line = run.result()
            print(line, flush=True)
            failed += status
    if len(targets) > 1:
        print(f"fuzz: {len(targets) - failed}/{len(targets)} targets without findings")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
