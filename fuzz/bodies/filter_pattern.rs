//! The body of the `filter_pattern` fuzz target, kept here so that the stable
//! test `crates/cartguard-rules/tests/fuzz_bodies.rs` runs the very same check
//! on generated inputs.
//!
//! Any bytes, read as a CloudWatch Logs metric-filter pattern: parsing must
//! never panic, a refusal must point inside the pattern, and whatever parses
//! must be matched against a few CloudTrail records without panicking, with the
//! same answer each time.

use cartguard_rules::logging::filter_pattern::Pattern;
use serde_json::{Value, json};

/// CloudTrail records of the kinds the monitoring rules build: a console
/// sign-in, a refused call, a root call, a KMS change and a record with the
/// odd shapes a pattern may meet (nulls, numbers, nested lists, no fields).
pub fn events() -> Vec<Value> {
    vec![
        json!({
            "eventVersion": "1.09",
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "eventType": "AwsConsoleSignIn",
            "userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice"},
            "additionalEventData": {"MFAUsed": "No"},
            "responseElements": {"ConsoleLogin": "Success"},
            "readOnly": false
        }),
        json!({
            "eventVersion": "1.09",
            "eventSource": "ec2.amazonaws.com",
            "eventName": "AuthorizeSecurityGroupIngress",
            "errorCode": "Client.UnauthorizedOperation",
            "errorMessage": "You are not authorized to perform this operation.",
            "sourceIPAddress": "203.0.113.7",
            "userIdentity": {"type": "AssumedRole", "invokedBy": null},
            "requestParameters": {"ipPermissions": {"items": [{"fromPort": 22, "toPort": 22}]}},
            "readOnly": false
        }),
        json!({
            "eventSource": "iam.amazonaws.com",
            "eventName": "CreateAccessKey",
            "eventType": "AwsApiCall",
            "userIdentity": {"type": "Root", "arn": "arn:aws:iam::111122223333:root"},
            "resources": [{"ARN": "arn:aws:iam::111122223333:user/bob"}, {"ARN": "*"}],
            "readOnly": false
        }),
        json!({
            "eventSource": "kms.amazonaws.com",
            "eventName": "ScheduleKeyDeletion",
            "errorCode": "AccessDenied",
            "requestParameters": {"keyId": "1234abcd", "pendingWindowInDays": 7},
            "readOnly": true
        }),
        json!({
            "eventName": "",
            "userIdentity": null,
            "additionalEventData": {"MFAUsed": null, "count": -1.5e300},
            "resources": [[], {}, [null]],
            "readOnly": null,
            "\u{0}": "*",
            "$": {"a": [0, 1, 2]}
        }),
        json!({}),
    ]
}

/// Parses `data` as a filter pattern and matches what parses.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Pattern::parse(text) {
        Ok(pattern) => {
            for event in events() {
                let first = pattern.matches(&event);
                assert_eq!(
                    first,
                    pattern.matches(&event),
                    "{text:?}: not deterministic"
                );
            }
            // The parsed pattern is plain data: it may be copied and compared.
            assert_eq!(pattern.clone(), pattern);
        }
        Err(error) => {
            assert!(
                error.at <= text.chars().count(),
                "{text:?}: error at character {} past the end",
                error.at
            );
            let _ = error.to_string();
        }
    }
}
