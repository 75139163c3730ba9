//! Any bytes, read as a policy document of every kind: parsing must never
//! panic, and what parses must survive the analyses that read policies alone.
#![no_main]

use cartguard_iam::{Policy, PolicyKind, catalogue, shadow};
use libfuzzer_sys::fuzz_target;

const KINDS: [PolicyKind; 8] = [
    PolicyKind::Identity,
    PolicyKind::Resource,
    PolicyKind::Trust,
    PolicyKind::KeyPolicy,
    PolicyKind::Boundary,
    PolicyKind::ServiceControl,
    PolicyKind::ResourceControl,
    PolicyKind::Session,
];

fuzz_target!(|data: &[u8]| {
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
});
