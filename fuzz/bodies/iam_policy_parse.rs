//! The body of the `iam_policy_parse` fuzz target, kept here so that the
//! stable test `crates/cartguard-iam/tests/fuzz_bodies.rs` runs the very same
//! check on generated inputs.
//!
//! Any bytes, read as a policy document of every kind: parsing must never
//! panic, and what parses must survive the analyses that read policies alone.

use cartguard_iam::{Policy, PolicyKind, catalogue, shadow};

/// Every kind of policy a document may be parsed as.
pub const KINDS: [PolicyKind; 8] = [
    PolicyKind::Identity,
    PolicyKind::Resource,
    PolicyKind::Trust,
    PolicyKind::KeyPolicy,
    PolicyKind::Boundary,
    PolicyKind::ServiceControl,
    PolicyKind::ResourceControl,
    PolicyKind::Session,
];

/// Parses `data` as a policy of every kind and analyses what parses.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    for kind in KINDS {
        match Policy::parse("fuzz", kind, &value) {
            Ok(policy) => {
                let _ = shadow::in_policy(&policy);
                for stmt in &policy.statements {
                    let _ = catalogue().statement_actions(stmt);
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}
