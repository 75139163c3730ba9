//! docs/scanner-policy.json, the IAM policy the scanner needs, grants reads
//! only: cartguard's own IAM engine expands each of its statements over the
//! action catalogue and finds nothing but List and Read actions, and it grants
//! every operation the live collector calls.

use cartguard_iam::policy::{Effect, Policy, PolicyKind};
use cartguard_iam::{AccessLevel, catalogue};

fn scanner_policy() -> Policy {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/scanner-policy.json"
    );
    let text = std::fs::read_to_string(path).expect("docs/scanner-policy.json is readable");
    let document: serde_json::Value = serde_json::from_str(&text).expect("the policy is JSON");
    Policy::parse("scanner-policy", PolicyKind::Identity, &document).expect("the policy parses")
}

#[test]
fn the_scanner_policy_allows_no_write() {
    let policy = scanner_policy();
    let catalogue = catalogue();
    assert!(
        catalogue.load_error().is_none(),
        "{:?}",
        catalogue.load_error()
    );
    let mut allowed = 0;
    for statement in &policy.statements {
        assert_eq!(statement.effect, Effect::Allow);
        let expansion = catalogue.statement_actions(statement);
        assert!(
            expansion.unknown.is_empty(),
            "actions the catalogue does not know: {:?}",
            expansion.unknown
        );
        for index in expansion.actions.iter() {
            let info = catalogue
                .info(index)
                .expect("an expanded action is in the catalogue");
            assert!(
                matches!(info.access_level, AccessLevel::List | AccessLevel::Read),
                "{} is a {} action",
                info.name,
                info.access_level.label()
            );
            allowed += 1;
        }
    }
    assert!(allowed >= 30, "the policy grants only {allowed} actions");
}

#[test]
fn the_scanner_policy_grants_every_action_the_collector_needs() {
    let policy = scanner_policy();
    let catalogue = catalogue();
    let granted: Vec<&str> = policy
        .statements
        .iter()
        .flat_map(|s| {
            catalogue
                .names(&catalogue.statement_actions(s).actions)
                .collect::<Vec<_>>()
        })
        .collect();
    for action in cartguard_aws::required_actions() {
        assert!(
            granted.iter().any(|g| g.eq_ignore_ascii_case(action)),
            "{action} is called but not granted"
        );
    }
}
