//! Helpers shared by the integration tests: run the real binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

#[path = "../../../cartguard-rules/tests/support/compose.rs"]
mod compose;

/// The fixed "today" of every test scan.
pub const NOW: &str = "2026-11-20T12:00:00Z";

/// The README's demo: the store's two accounts and its servers' files, with
/// paths relative to the repository (run from `repo()`), so that reports are
/// the same on any machine.
pub const DEMO: [&str; 6] = [
    "--evidence",
    "examples/securecart/evidence",
    "--evidence",
    "examples/securecart/evidence-staging",
    "--path",
    "examples/securecart/server",
];

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A case of the rule fixtures (`<rule-id>/<case>`, see
/// `crates/cartguard-rules/tests/fixtures/README.md`), written out as an
/// evidence folder in a temporary directory of its own, free to change.
pub fn fixture(case: &str) -> tempfile::TempDir {
    let fixtures = compose::Fixtures::open(&repo().join("crates/cartguard-rules/tests/fixtures"))
        .unwrap_or_else(|e| panic!("the rule fixtures: {e}"));
    let dir = tempfile::tempdir().expect("a temporary directory");
    fixtures
        .materialise(&format!("rules/{case}"), dir.path())
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    dir
}

/// The cartguard binary.
pub fn cartguard() -> Command {
    Command::cargo_bin("cartguard").expect("the cartguard binary is built")
}

/// Runs `cartguard ARGS --format json --evidence DIR`, expects success and
/// returns the JSON it printed.
pub fn json_of(args: &[&str], evidence: &Path) -> Value {
    serde_json::from_str(&json_text_of(args, evidence)).expect("prints JSON")
}

/// Runs `cartguard ARGS --format json --evidence DIR`, expects success and
/// returns what it printed, as text.
pub fn json_text_of(args: &[&str], evidence: &Path) -> String {
    let output = cartguard()
        .args(args)
        .args(["--format", "json", "--evidence"])
        .arg(evidence)
        .output()
        .expect("cartguard runs");
    assert!(
        output.status.success(),
        "{args:?} on {} failed: {}",
        evidence.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("prints UTF-8")
}

/// Scans an evidence folder and returns the findings document.
pub fn scan_json(evidence: &Path) -> Value {
    json_of(&["scan", "--fail-on", "none", "--now", NOW], evidence)
}

/// The findings of one rule in a findings document.
pub fn findings_of<'a>(document: &'a Value, rule_id: &str) -> Vec<&'a Value> {
    document["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter(|f| f["rule_id"] == rule_id)
        .collect()
}
