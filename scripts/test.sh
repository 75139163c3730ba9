#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, every test, and the
# HTML report in headless Chromium, and the end-to-end collection test
# against moto's AWS emulator on 127.0.0.1.
# Needs a Rust toolchain and python3 with venv; moto's server and the AWS CLI
# are installed into ~/.cache/cartguard/venv-moto on first use, Chromium
# (apt-get) and playwright-core (npm) by scripts/test-html.sh. Build output goes
# to a directory outside the checkout (override with CARGO_TARGET_DIR) so a
# reused machine does not rebuild everything.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cartguard/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Snapshot tests must match exactly in CI; never write new snapshots there.
export INSTA_UPDATE=no

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked
echo "== the HTML report in headless Chromium"
scripts/test-html.sh
echo "== collect-evidence.sh against moto, then scan"
scripts/test-collect.sh
