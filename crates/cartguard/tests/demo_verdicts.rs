//! The demo store's verdicts are pinned: which rule fails or could not decide,
//! on which resource, at which severity, under which fingerprint, and the exit
//! status. Wording may improve; a verdict that moves is a change of behaviour
//! and must be made on purpose (regenerate the file with `CARTGUARD_BLESS=1` and
//! say why).

mod common;

use common::{NOW, cartguard, repo};
use serde_json::Value;

#[test]
fn demo_verdicts_and_exit_status_are_unchanged() {
    let output = cartguard()
        .args(["scan", "--now", NOW, "--format", "json", "--evidence"])
        .arg(repo().join("examples/securecart/evidence"))
        .arg("--evidence")
        .arg(repo().join("examples/securecart/evidence-staging"))
        .output()
        .expect("cartguard runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "the demo fails the default gate"
    );
    let document: Value = serde_json::from_slice(&output.stdout).expect("prints JSON");
    let verdicts: Vec<Value> = document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            serde_json::json!({
                "rule_id": f["rule_id"],
                "severity": f["severity"],
                "status": f["status"],
                "resource": f["resource"],
                "fingerprint": f["fingerprint"],
            })
        })
        .collect();
    let file = repo().join("crates/cartguard/tests/fixtures/demo-verdicts.json");
    // CARTGUARD_BLESS=1 writes the verdicts of this build, to be reviewed in the diff.
    if std::env::var_os("CARTGUARD_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&verdicts).expect("serializes") + "\n";
        std::fs::write(&file, text).expect("writes the pinned verdicts");
    }
    let pinned = std::fs::read_to_string(&file).expect("pinned verdicts");
    let pinned: Vec<Value> = serde_json::from_str(&pinned).expect("pinned verdicts are JSON");
    assert_eq!(verdicts, pinned);
}
