# Sourced by the test scripts: sets CARTGUARD to the debug binary the test
# suite uses (or to $CARTGUARD_BIN), building it if needed. Expects ROOT and
# die() from the script that sources it.
#
# The binary is built as the test suite builds it (the workspace's tests,
# dev-dependencies included): `cargo build -p cartguard` would resolve other
# features and build the AWS SDK a second time.
if [[ -n "${CARTGUARD_BIN:-}" ]]; then
    CARTGUARD="$CARTGUARD_BIN"
else
    (cd "$ROOT" && cargo test --quiet --locked --workspace --no-run) || die "cargo build failed"
    TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    CARTGUARD="$TARGET_DIR/debug/cartguard"
fi
[[ -x "$CARTGUARD" ]] || die "no cartguard binary at $CARTGUARD"
