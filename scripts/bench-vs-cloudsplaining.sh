#!/usr/bin/env bash
# Compare cartguard with Cloudsplaining 0.9.1 on the same synthetic
# `aws iam get-account-authorization-details` output.
#
# Usage: scripts/bench-vs-cloudsplaining.sh [N]        (N roles, default 5000)
#
# Steps:
#   1. scripts/gen-authz-details.py N writes the input into a temporary folder,
#      laid out as an evidence folder (iam/global/get-account-authorization-details.json).
#   2. cargo builds cartguard in release; `cartguard scan --evidence DIR --format json
#      --fail-on none` runs every rule on that folder, CARTGUARD_RUNS times (best run kept).
#   3. A throwaway virtualenv gets `pip install cloudsplaining==0.9.1`; then
#      `cloudsplaining scan --input-file FILE --output DIR --skip-open-report`
#      runs on the same file, CLOUDSPLAINING_RUNS times (best run kept).
#   4. Wall time, CPU time (user + system) and peak resident memory of each are
#      measured with GNU time (`/usr/bin/time`) and printed with their ratios.
#
# Environment:
#   CARTGUARD_RUNS        cartguard runs, best kept (default 3, at most 20)
#   CLOUDSPLAINING_RUNS   Cloudsplaining runs, best kept (default 1, at most 5)
#   CLOUDSPLAINING_VENV   reuse (or create and keep) this virtualenv instead of a
#                         throwaway one, e.g. .venv-bench (git-ignored)
#   BENCH_TIMEOUT         seconds allowed for any one run (default 1800)
#   BENCH_KEEP=1          keep the temporary folder (inputs, reports, timings)
#   CARTGUARD_BIN         use this cartguard binary instead of building one
#   CARGO_TARGET_DIR      honoured as cargo does
#
# Network: only the Python package index, through pip. Exit status is non-zero
# when anything fails, including a pip install that does not succeed.

set -euo pipefail

die() {
    echo "bench-vs-cloudsplaining: error: $*" >&2
    exit 1
}

N="${1:-5000}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer (got '$N')"
(( N <= 200000 )) || die "N is capped at 200000 roles (got $N)"

CARTGUARD_RUNS="${CARTGUARD_RUNS:-3}"
CLOUDSPLAINING_RUNS="${CLOUDSPLAINING_RUNS:-1}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-1800}"
if ! [[ "$CARTGUARD_RUNS" =~ ^[1-9][0-9]*$ ]] || (( CARTGUARD_RUNS > 20 )); then
    die "CARTGUARD_RUNS must be 1..20"
fi
if ! [[ "$CLOUDSPLAINING_RUNS" =~ ^[1-9][0-9]*$ ]] || (( CLOUDSPLAINING_RUNS > 5 )); then
    die "CLOUDSPLAINING_RUNS must be 1..5"
fi
[[ "$BENCH_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "BENCH_TIMEOUT must be a number of seconds"

CLOUDSPLAINING_VERSION="0.9.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

command -v python3 >/dev/null || die "python3 is required"
[[ -n "${CARTGUARD_BIN:-}" ]] || command -v cargo >/dev/null || die "cargo is required"
command -v timeout >/dev/null || die "timeout (coreutils) is required"
GNU_TIME=/usr/bin/time
if ! "$GNU_TIME" -f '%M' true >/dev/null 2>&1; then
    die "GNU time is required at /usr/bin/time (Debian/Ubuntu: apt-get install time)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cartguard-bench.XXXXXX")"
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
    echo "keeping $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi

EVIDENCE="$WORK/evidence"
INPUT="$EVIDENCE/iam/global/get-account-authorization-details.json"
mkdir -p "$(dirname "$INPUT")"

# measure NAME CMD... : runs CMD under GNU time and a timeout; writes
# "wall user sys maxrss_kib" to $WORK/NAME.time, output to $WORK/NAME.log.
measure() {
    local name="$1"
    shift
    local status=0
    "$GNU_TIME" -f '%e %U %S %M' -o "$WORK/$name.time" \
        timeout --kill-after=10 "$BENCH_TIMEOUT" "$@" >"$WORK/$name.log" 2>&1 || status=$?
    if (( status == 124 || status == 137 )); then
        die "$name: timed out after ${BENCH_TIMEOUT}s (raise BENCH_TIMEOUT)"
    elif (( status != 0 )); then
        echo "--- last lines of $name's output ---" >&2
        tail -n 20 "$WORK/$name.log" >&2
        die "$name: exited with status $status"
    fi
    # GNU time writes a "Command exited ..." line first on failure; the figures are last.
    tail -n 1 "$WORK/$name.time"
}

# best NAME RUNS CMD... : runs CMD RUNS times, prints the figures of the run
# with the least wall time.
best() {
    local name="$1" runs="$2"
    shift 2
    local i line best_line="" best_wall=""
    for (( i = 1; i <= runs; i++ )); do
        line="$(measure "$name-$i" "$@")"
        echo "  $name run $i/$runs: $(describe "$line")" >&2
        if [[ -z "$best_wall" ]] || python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' \
            "${line%% *}" "$best_wall"; then
            best_line="$line"
            best_wall="${line%% *}"
        fi
    done
    echo "$best_line"
}

describe() {
    python3 - "$1" <<'EOF'
import sys
wall, user, system, rss = sys.argv[1].split()
print(f"{float(wall):.2f} s wall, {float(user) + float(system):.2f} s CPU, {int(rss) / 1024:.0f} MiB peak RSS")
EOF
}

echo "== input: $N roles"
python3 "$ROOT/scripts/gen-authz-details.py" "$N" "$INPUT"
INPUT_BYTES="$(wc -c <"$INPUT")"
echo "  $INPUT ($(( INPUT_BYTES / 1024 )) KiB)"

if [[ -n "${CARTGUARD_BIN:-}" ]]; then
    CARTGUARD="$CARTGUARD_BIN"
else
    echo "== cartguard: release build"
    (cd "$ROOT" && cargo build --release --quiet -p cartguard) || die "cargo build failed"
    TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    CARTGUARD="$TARGET_DIR/release/cartguard"
fi
[[ -x "$CARTGUARD" ]] || die "no cartguard binary at $CARTGUARD"
CARTGUARD_VERSION="$("$CARTGUARD" --version)"

echo "== cartguard: scan ($CARTGUARD_RUNS runs)"
CG_LINE="$(best cartguard "$CARTGUARD_RUNS" \
    "$CARTGUARD" scan --evidence "$EVIDENCE" --format json --fail-on none \
    --now 2026-01-01T00:00:00Z -o "$WORK/cartguard.json")"
CG_FINDINGS="$(python3 - "$WORK/cartguard.json" <<'EOF'
import collections, json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
counts = collections.Counter(f["status"] for f in doc["findings"])
print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
EOF
)" || die "cartguard wrote no readable JSON report"
echo "  findings: $CG_FINDINGS"

echo "== cloudsplaining $CLOUDSPLAINING_VERSION: virtualenv"
VENV="${CLOUDSPLAINING_VENV:-$WORK/venv}"
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV" || die "could not create a virtualenv at $VENV (python3-venv missing?)"
fi
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --timeout 60 "cloudsplaining==$CLOUDSPLAINING_VERSION"; then
    die "pip could not install cloudsplaining==$CLOUDSPLAINING_VERSION; no comparison was made"
fi
INSTALLED="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("cloudsplaining"))')" \
    || die "cloudsplaining is not importable after pip install"
[[ "$INSTALLED" == "$CLOUDSPLAINING_VERSION" ]] \
    || die "expected cloudsplaining $CLOUDSPLAINING_VERSION, found $INSTALLED"
[[ -x "$VENV/bin/cloudsplaining" ]] || die "no cloudsplaining command in $VENV/bin"

echo "== cloudsplaining: scan ($CLOUDSPLAINING_RUNS runs)"
CS_OUT="$WORK/cloudsplaining"
mkdir -p "$CS_OUT"
CS_LINE="$(best cloudsplaining "$CLOUDSPLAINING_RUNS" \
    "$VENV/bin/cloudsplaining" scan --input-file "$INPUT" --output "$CS_OUT" --skip-open-report)"
compgen -G "$CS_OUT/iam-report-*.html" >/dev/null || die "cloudsplaining wrote no HTML report"

echo
python3 - "$N" "$INPUT_BYTES" "$CARTGUARD_VERSION" "$CG_LINE" "cloudsplaining $CLOUDSPLAINING_VERSION" "$CS_LINE" \
    "$CARTGUARD_RUNS" "$CLOUDSPLAINING_RUNS" <<'EOF'
import sys
n, size, cg_name, cg, cs_name, cs, cg_runs, cs_runs = sys.argv[1:]

def parse(line):
    wall, user, system, rss = line.split()
    return float(wall), float(user) + float(system), int(rss) / 1024

cg_wall, cg_cpu, cg_rss = parse(cg)
cs_wall, cs_cpu, cs_rss = parse(cs)
print(f"{int(n):,} roles, {int(size) / 1e6:.1f} MB of authorization details; best of {cg_runs} / {cs_runs} runs")
print(f"{'tool':<22} {'wall':>9} {'CPU':>9} {'peak RSS':>10}")
print(f"{cg_name:<22} {cg_wall:>7.2f} s {cg_cpu:>7.2f} s {cg_rss:>6.0f} MiB")
print(f"{cs_name:<22} {cs_wall:>7.2f} s {cs_cpu:>7.2f} s {cs_rss:>6.0f} MiB")
ratio = lambda a, b: f"{a / b:.1f}x" if b > 0 else "n/a"
print(f"{'ratio (cs / cartguard)':<22} {ratio(cs_wall, cg_wall):>9} {ratio(cs_cpu, cg_cpu):>9} {ratio(cs_rss, cg_rss):>10}")
EOF
