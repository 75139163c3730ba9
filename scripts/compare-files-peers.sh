#!/usr/bin/env bash
# Side by side with the peers on server files:
#   1. gixy-ng on the demo's nginx configuration (examples/securecart/server/nginx),
#      next to cartguard's nginx rules on the same files: what each reports.
#   2. detect-secrets on a synthetic source tree (many small files, a few planted
#      secrets), next to `cartguard scan --path` on the same tree: wall time, CPU,
#      peak memory and how many of the planted secrets each found.
#
# Usage: scripts/compare-files-peers.sh [SIZE_MB]     (tree size, default 1024)
#
# detect-secrets reads about a fifth of a megabyte per second here, so it is
# run on the first PEER_MB megabytes of the same tree (default 64, at most
# SIZE_MB), and cartguard on both that part and the whole tree.
#
# The peers come from a virtualenv kept at $CARTGUARD_PEERS_VENV (default
# ~/.cache/cartguard/venv-peers), created on first use from the Python package
# index with pinned versions. cartguard is built in release mode unless
# CARTGUARD_BIN names a binary. GNU time (/usr/bin/time) measures each run.
# BENCH_KEEP=1 keeps the temporary folder.

set -euo pipefail

die() {
    echo "compare-files-peers: error: $*" >&2
    exit 1
}

SIZE_MB="${1:-1024}"
[[ "$SIZE_MB" =~ ^[1-9][0-9]*$ ]] || die "SIZE_MB must be a positive integer (got '$SIZE_MB')"
GIXY_VERSION=0.2.59
DETECT_SECRETS_VERSION=1.5.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CARTGUARD_PEERS_VENV:-$HOME/.cache/cartguard/venv-peers}"
GNU_TIME=/usr/bin/time
"$GNU_TIME" -f '%M' true >/dev/null 2>&1 || die "GNU time is required at /usr/bin/time"
command -v python3 >/dev/null || die "python3 is required"

if ! "$VENV/bin/python" -c "
import importlib.metadata as m, sys
sys.exit(m.version('gixy-ng') != '$GIXY_VERSION' or m.version('detect-secrets') != '$DETECT_SECRETS_VERSION')
" 2>/dev/null; then
    echo "== installing gixy-ng $GIXY_VERSION and detect-secrets $DETECT_SECRETS_VERSION into $VENV"
    python3 -m venv "$VENV" || die "cannot create a virtualenv at $VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "gixy-ng==$GIXY_VERSION" "detect-secrets==$DETECT_SECRETS_VERSION" \
        || die "pip could not install the peers"
fi

if [[ -n "${CARTGUARD_BIN:-}" ]]; then
    CARTGUARD="$CARTGUARD_BIN"
else
    echo "== release build"
    (cd "$ROOT" && cargo build --release --quiet --locked -p cartguard) || die "cargo build failed"
    TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    CARTGUARD="$TARGET_DIR/release/cartguard"
fi
[[ -x "$CARTGUARD" ]] || die "no cartguard binary at $CARTGUARD"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cartguard-peers.XXXXXX")"
if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

# ---------------------------------------------------------------- nginx
echo
echo "== nginx: gixy-ng $GIXY_VERSION and cartguard on examples/securecart/server/nginx"
# The demo's nginx.conf includes absolute paths under /etc/nginx, as a server's
# does; gixy reads includes from the disk, so it gets a copy whose paths point
# at the copy. cartguard resolves them against the main config's folder.
cp -r "$ROOT/examples/securecart/server/nginx" "$WORK/nginx"
find "$WORK/nginx" -type f -exec sed -i "s|/etc/nginx/|$WORK/nginx/|g" {} +
"$VENV/bin/gixy" -f json -o "$WORK/gixy.json" "$WORK/nginx/nginx.conf" >/dev/null 2>&1 || true
"$CARTGUARD" scan --path "$ROOT/examples/securecart/server/nginx" --format json --fail-on none \
    --output "$WORK/cartguard-nginx.json" 2>/dev/null || die "cartguard failed on the nginx configuration"
python3 - "$WORK/gixy.json" "$WORK/cartguard-nginx.json" "$WORK/nginx/" <<'PY'
import collections, json, sys
gixy = json.load(open(sys.argv[1])) if open(sys.argv[1]).read().strip() else []
ours = json.load(open(sys.argv[2]))["findings"]
prefix = sys.argv[3]
print("gixy-ng: %d issues" % len(gixy))
for check, n in sorted(collections.Counter(i.get("plugin", "?") for i in gixy).items()):
    print("  %-32s %d" % (check, n))
fails = [f for f in ours if f["status"] == "fail" and f["rule_id"].startswith("nginx-")]
print("cartguard: %d nginx findings" % len(fails))
for rule, n in sorted(collections.Counter(f["rule_id"] for f in fails).items()):
    print("  %-32s %d" % (rule, n))
PY

# ---------------------------------------------------------------- secrets
echo
PEER_MB="${PEER_MB:-64}"
[[ "$PEER_MB" =~ ^[1-9][0-9]*$ ]] || die "PEER_MB must be a positive integer"
(( PEER_MB <= SIZE_MB )) || PEER_MB="$SIZE_MB"
echo "== secrets: a synthetic tree of $SIZE_MB MB (and its first $PEER_MB MB for detect-secrets)"
cat >"$WORK/gen-tree.py" <<'PY'
import os, random, sys
root, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
words = ("order customer cart checkout price total invoice shipping address product "
         "inventory stock payment refund webhook session token_count handler request").split()
def line():
    kind = rng.random()
    if kind < 0.5:
        return "    const %s = %s(%d, '%s');\n" % (rng.choice(words), rng.choice(words), rng.randint(0, 9999), rng.choice(words))
    if kind < 0.8:
        return "    // %s\n" % " ".join(rng.choice(words) for _ in range(10))
    return "    if (%s.%s > %d) { return %s; }\n" % (rng.choice(words), rng.choice(words), rng.randint(0, 99), rng.choice(words))
# Planted secrets: each a distinct made-up value of a kind both tools know.
def hexs(n): return "".join(rng.choice("0123456789abcdef") for _ in range(n))
def alnum(n): return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))
planted = []
for i in range(10):
    key = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    planted.append(("aws", 'const awsKey = "%s";\nconst awsSecret = "%s";\n' % (key, alnum(40))))
    planted.append(("stripe", 'STRIPE_SECRET_KEY = "sk_live_%s"\n' % alnum(24)))
    planted.append(("github", 'token: "ghp_%s"\n' % alnum(36)))
    planted.append(("slack", 'url = "https://hooks.slack.com/services/T%s/B%s/%s"\n' % (alnum(8).upper(), alnum(8).upper(), alnum(24))))
    planted.append(("private-key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow%s\n-----END RSA PRIVATE KEY-----\n" % alnum(60)))
target = size_mb * 1024 * 1024
written, n = 0, 0
plant_every = max(1, (target // 12288) // len(planted))
os.makedirs(root, exist_ok=True)
while written < target:
    d = os.path.join(root, "src", "m%03d" % (n // 200))
    os.makedirs(d, exist_ok=True)
    body = "".join(line() for _ in range(rng.randint(100, 250)))
    if n % plant_every == 0 and planted:
        body += planted.pop()[1]
    path = os.path.join(d, "f%06d.js" % n)
    with open(path, "w") as f:
        f.write("export function f%d() {\n%s}\n" % (n, body))
    written += os.path.getsize(path)
    n += 1
print("%s: %d files, %.0f MB, %d secrets planted" % (os.path.basename(root), n, written / 1048576, 50 - len(planted)))
PY
python3 "$WORK/gen-tree.py" "$WORK/tree" "$SIZE_MB"
# The same generator and seed: the part is the whole tree's first files, with
# the secrets planted in it at the part's own spacing.
python3 "$WORK/gen-tree.py" "$WORK/part" "$PEER_MB"

measure() {
    local name="$1"
    shift
    "$GNU_TIME" -f '%e %U %S %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || true
    read -r wall user sys rss <"$WORK/$name.time"
    printf '%-16s wall %7.1f s   cpu %7.1f s   peak %6.0f MiB\n' "$name" "$wall" \
        "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)"
    [[ $name == cartguard-whole ]] && printf '%-16s %.0f MB/s\n' "" "$(echo "$SIZE_MB / $wall" | bc -l)"
    return 0
}
measure cartguard-whole "$CARTGUARD" scan --path "$WORK/tree" --format json --fail-on none
measure cartguard "$CARTGUARD" scan --path "$WORK/part" --format json --fail-on none
# detect-secrets reports only files under its working directory.
measure detect-secrets bash -c 'cd "$1" && exec "$2" scan --all-files .' _ "$WORK/part" "$VENV/bin/detect-secrets"
python3 - "$WORK/cartguard.out" "$WORK/detect-secrets.out" "$WORK/cartguard-whole.out" <<'PY'
import json, sys
def secret_files(path):
    hits = [f for f in json.load(open(path))["findings"]
            if f["rule_id"] == "secret-hardcoded" and f["status"] == "fail"]
    return len(hits), len({f["resource"].rsplit(":", 1)[0] for f in hits})
theirs = json.load(open(sys.argv[2]))["results"]
their_hits = sum(len(v) for v in theirs.values())
print("on the part, secrets reported: cartguard %d in %d files, detect-secrets %d in %d files (an AWS key is a key id and its secret: two)"
      % (*secret_files(sys.argv[1]), their_hits, len(theirs)))
print("on the whole tree, cartguard reported %d secrets in %d files (50 files have one planted)"
      % secret_files(sys.argv[3]))
PY
