#!/usr/bin/env bash
# Time the whole `cartguard scan` (read evidence, build the inventory, run every
# rule, write the JSON report) on evidence folders of several sizes.
#
# Usage: scripts/bench-scan.sh [N]     (N roles for the IAM input, default 5000)
#
# Inputs:
#   demo      examples/securecart/evidence (the bundled demo account)
#   network   one synthetic region: scripts/gen-network.py --format evidence
#             (200 VPCs, 2,000 subnets, 20,000 security-group rules, 5,000 instances)
#   iam       scripts/gen-authz-details.py N, as iam/global/get-account-authorization-details.json
#   both      the network region and the IAM file in one folder
#   datalog   scripts/gen-data-account.py: 10,000 buckets, 2,000 KMS keys, 2,000 log groups with
#             5,000 metric filters, 500 alarms, 1,000 Lambda functions, a multi-region trail,
#             over 17 regions (the data-protection, logging and edge rules' input)
#
# Each input is scanned RUNS times (default 3, at most 20); the run with the
# least wall time is reported, with its CPU time (user + system) and peak
# resident memory as measured by GNU time (/usr/bin/time).
#
# Environment: RUNS, CARTGUARD_BIN (use this binary instead of building one),
# BENCH_TIMEOUT (seconds per run, default 600), BENCH_KEEP=1 (keep the
# temporary folder), CARGO_TARGET_DIR (honoured as cargo does).

set -euo pipefail

die() {
    echo "bench-scan: error: $*" >&2
    exit 1
}

N="${1:-5000}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer (got '$N')"
(( N <= 200000 )) || die "N is capped at 200000 roles (got $N)"
RUNS="${RUNS:-3}"
if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || (( RUNS > 20 )); then die "RUNS must be 1..20"; fi
BENCH_TIMEOUT="${BENCH_TIMEOUT:-600}"
[[ "$BENCH_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "BENCH_TIMEOUT must be a number of seconds"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v python3 >/dev/null || die "python3 is required"
command -v timeout >/dev/null || die "timeout (coreutils) is required"
GNU_TIME=/usr/bin/time
if ! "$GNU_TIME" -f '%M' true >/dev/null 2>&1; then
    die "GNU time is required at /usr/bin/time (Debian/Ubuntu: apt-get install time)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cartguard-bench-scan.XXXXXX")"
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
    echo "keeping $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi

if [[ -n "${CARTGUARD_BIN:-}" ]]; then
    CARTGUARD="$CARTGUARD_BIN"
else
    command -v cargo >/dev/null || die "cargo is required"
    echo "== release build"
    (cd "$ROOT" && cargo build --release --quiet -p cartguard) || die "cargo build failed"
    TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    CARTGUARD="$TARGET_DIR/release/cartguard"
fi
[[ -x "$CARTGUARD" ]] || die "no cartguard binary at $CARTGUARD"

echo "== inputs"
DEMO="$ROOT/examples/securecart/evidence"
[[ -d "$DEMO" ]] || die "missing $DEMO"
python3 "$ROOT/scripts/gen-network.py" --out "$WORK/network" --format evidence
mkdir -p "$WORK/iam/iam/global"
python3 "$ROOT/scripts/gen-authz-details.py" "$N" "$WORK/iam/iam/global/get-account-authorization-details.json"
mkdir -p "$WORK/both"
cp -R "$WORK/network/." "$WORK/both/"
cp -R "$WORK/iam/." "$WORK/both/"
python3 "$ROOT/scripts/gen-data-account.py" --out "$WORK/datalog"

# scan NAME DIR: RUNS scans of DIR; appends "NAME bytes wall user sys rss findings" to results.
scan() {
    local name="$1" dir="$2" i status line best_line="" best_wall=""
    local bytes
    bytes="$(find "$dir" -type f -printf '%s\n' | awk '{ total += $1 } END { print total + 0 }')"
    for (( i = 1; i <= RUNS; i++ )); do
        status=0
        "$GNU_TIME" -f '%e %U %S %M' -o "$WORK/$name.time" \
            timeout --kill-after=10 "$BENCH_TIMEOUT" \
            "$CARTGUARD" scan --evidence "$dir" --format json --fail-on none \
            --now 2026-12-01T00:00:00Z -o "$WORK/$name.json" >"$WORK/$name.log" 2>&1 || status=$?
        if (( status == 124 || status == 137 )); then
            die "$name: timed out after ${BENCH_TIMEOUT}s"
        elif (( status != 0 )); then
            tail -n 20 "$WORK/$name.log" >&2
            die "$name: cartguard exited with status $status"
        fi
        line="$(tail -n 1 "$WORK/$name.time")"
        echo "  $name run $i/$RUNS: $line (wall user sys KiB)"
        if [[ -z "$best_wall" ]] || python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' \
            "${line%% *}" "$best_wall"; then
            best_line="$line"
            best_wall="${line%% *}"
        fi
    done
    local findings
    findings="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$WORK/$name.json")" \
        || die "$name: unreadable report"
    echo "$name $bytes $best_line $findings" >>"$WORK/results"
}

echo "== scans ($RUNS runs each)"
: >"$WORK/results"
scan demo "$DEMO"
scan network "$WORK/network"
scan iam "$WORK/iam"
scan both "$WORK/both"
scan datalog "$WORK/datalog"

echo
"$CARTGUARD" --version
python3 - "$WORK/results" "$N" "$RUNS" <<'EOF'
import sys
path, n, runs = sys.argv[1:]
labels = {
    "demo": "demo (examples/securecart)",
    "network": "synthetic region",
    "iam": f"{int(n):,} roles",
    "both": f"region + {int(n):,} roles",
    "datalog": "data, logging, edge",
}
print(f"best of {runs} runs")
print(f"{'input':<28} {'size':>8} {'wall':>8} {'CPU':>8} {'peak RSS':>9} {'findings':>9}")
for row in open(path):
    name, size, wall, user, system, rss, findings = row.split()
    print(f"{labels[name]:<28} {int(size) / 1e6:>5.1f} MB {float(wall):>6.2f} s "
          f"{float(user) + float(system):>6.2f} s {int(rss) / 1024:>5.0f} MiB {int(findings):>9}")
EOF
