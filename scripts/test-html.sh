#!/usr/bin/env bash
# The HTML report in a real browser: renders the demo scan as HTML and drives
# it in headless Chromium (scripts/test-html.mjs, with playwright-core): no
# console error, no request leaving the file, every filter changes what is
# shown, the PCI DSS and CIS views list the expected requirements. Leaves the
# report and a screenshot in $CARGO_TARGET_DIR/cartguard-html-test/.
#
# Installs what is missing: Debian's chromium, nodejs and npm packages (with
# apt-get, as root) and playwright-core into ~/.cache/cartguard/node (pinned). CHROMIUM names
# another browser binary; CARTGUARD_BIN another cartguard.
set -euo pipefail

die() {
    echo "test-html: error: $*" >&2
    exit 1
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PLAYWRIGHT_VERSION=1.65.2
NODE_DIR="${CARTGUARD_NODE_DIR:-$HOME/.cache/cartguard/node}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# Installs Debian packages when running as root on a Debian-like system.
install_packages() {
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "== installing $* with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null \
            || die "apt-get could not install $*"
    else
        die "$* missing: install the Debian packages $* (or set CHROMIUM for the browser)"
    fi
}
command -v node >/dev/null && command -v npm >/dev/null || install_packages nodejs npm
[[ -x "$CHROMIUM" ]] || install_packages chromium
if [[ "$(node -p "try { require('$NODE_DIR/node_modules/playwright-core/package.json').version } catch (e) { '' }")" != "$PLAYWRIGHT_VERSION" ]]; then
    echo "== installing playwright-core $PLAYWRIGHT_VERSION into $NODE_DIR"
    mkdir -p "$NODE_DIR"
    npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" "playwright-core@$PLAYWRIGHT_VERSION" \
        || die "npm could not install playwright-core"
fi

# shellcheck source=scripts/debug-binary.sh
source "$ROOT/scripts/debug-binary.sh"
OUT="${CARGO_TARGET_DIR:-$ROOT/target}/cartguard-html-test"
mkdir -p "$OUT"

cd "$ROOT"
status=0
"$CARTGUARD" scan --evidence examples/securecart/evidence --evidence examples/securecart/evidence-staging \
    --path examples/securecart/server \
    --now 2026-11-20T12:00:00Z --format html --output "$OUT/report.html" || status=$?
# The demo fails its gate (status 1); anything else is an error.
[[ $status -eq 1 ]] || die "cartguard scan exited with $status"
NODE_PATH="$NODE_DIR/node_modules" node scripts/test-html.mjs "$OUT/report.html" "$OUT/report.png"
echo "report and screenshot: $OUT"
