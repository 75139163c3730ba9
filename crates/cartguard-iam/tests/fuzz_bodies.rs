//! The `iam_policy_parse` and `iam_evaluate` fuzz targets' bodies on stable, in
//! every `cargo test`: random bytes, JSON made of the policy language's words,
//! and the policies and requests of the evaluation corpus (`tests/cases/`) and
//! of the demo account, mutated at random. The bodies (`fuzz/bodies/`) are the
//! fuzz targets' own, so both check the same thing.

#[path = "../../../fuzz/bodies/iam_evaluate.rs"]
mod evaluate_body;
#[path = "../../../fuzz/bodies/iam_policy_parse.rs"]
mod parse_body;

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::{Value, json};

/// Policies and requests found in the corpus and the demo.
struct Seeds {
    /// Policy documents (statements alone are wrapped into one).
    policies: Vec<Value>,
    /// Actions, resources and principal ARNs of the corpus's requests.
    words: Vec<String>,
    /// Request contexts.
    contexts: Vec<Value>,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut documents = Vec::new();
        let mut cases: Vec<_> = std::fs::read_dir(root.join("tests/cases"))
            .expect("the evaluation corpus")
            .map(|e| e.expect("a corpus entry").path())
            .collect();
        cases.sort();
        cases.push(root.join(
            "../../examples/securecart/evidence/iam/global/get-account-authorization-details.json",
        ));
        for path in cases {
            let text = std::fs::read_to_string(&path).expect("a readable file");
            documents.push(serde_json::from_str::<Value>(&text).expect("valid JSON"));
        }
        let mut seeds = Seeds {
            policies: Vec::new(),
            words: Vec::new(),
            contexts: Vec::new(),
        };
        for document in &documents {
            collect(document, &mut seeds);
        }
        seeds
    })
}

fn collect(value: &Value, seeds: &mut Seeds) {
    match value {
        Value::Object(fields) => {
            if fields.contains_key("Statement") {
                seeds.policies.push(value.clone());
            } else if fields.contains_key("Effect") {
                seeds
                    .policies
                    .push(json!({"Version": "2012-10-17", "Statement": [value]}));
            }
            for (key, item) in fields {
                match (key.as_str(), item) {
                    ("action" | "resource" | "principal", Value::String(word)) => {
                        seeds.words.push(word.clone())
                    }
                    ("context", Value::Object(_)) => seeds.contexts.push(item.clone()),
                    _ => {}
                }
                collect(item, seeds);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, seeds)),
        _ => {}
    }
}

/// JSON values built from the policy language's words.
fn json() -> impl Strategy<Value = Value> {
    let words = vec![
        "",
        "*",
        "?",
        "2012-10-17",
        "2008-10-17",
        "Allow",
        "Deny",
        "s3:*",
        "s3:GetObject",
        "iam:PassRole",
        "*:*",
        "arn:aws:s3:::b/*",
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:role/${aws:username}",
        "${aws:PrincipalTag/team}",
        "ec2.amazonaws.com",
        "10.0.0.0/8",
        "not-an-ip",
        "2026-11-20T12:00:00Z",
        "true",
        "aws:SourceIp",
        "aws:MultiFactorAuthPresent",
        "sts:ExternalId",
        "${",
    ];
    let keys = vec![
        "Version",
        "Id",
        "Statement",
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "AWS",
        "Service",
        "Federated",
        "CanonicalUser",
        "StringEquals",
        "StringLike",
        "StringNotEquals",
        "ArnLike",
        "IpAddress",
        "NotIpAddress",
        "NumericLessThan",
        "DateGreaterThan",
        "Bool",
        "Null",
        "ForAnyValue:StringEquals",
        "ForAllValues:StringLike",
        "StringEqualsIfExists",
        "aws:SourceIp",
        "aws:PrincipalArn",
        "aws:username",
        "s3:prefix",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(words).prop_map(|s| Value::String(s.to_string())),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys.clone()), inner), 0..5).prop_map(
                |fields| Value::Object(
                    fields
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect()
                )
            ),
        ]
    })
}

/// JSON pointers of every value in a document, the document itself first.
fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: &str, out: &mut Vec<String>) {
        let children: Vec<(String, &Value)> = match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            Value::Object(fields) => fields
                .iter()
                .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
                .collect(),
            _ => Vec::new(),
        };
        for (step, child) in children {
            let here = format!("{at}/{step}");
            out.push(here.clone());
            walk(child, &here, out);
        }
    }
    let mut out = vec![String::new()];
    walk(value, "", &mut out);
    out
}

/// A seed policy with the value at one place replaced.
fn mutated_policy() -> impl Strategy<Value = Value> {
    (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        json(),
    )
        .prop_map(|(seed, at, with)| {
            let mut policy = seed.get(&seeds().policies).clone();
            let all = pointers(&policy);
            if let Some(node) = policy.pointer_mut(at.get(&all).as_str()) {
                *node = with;
            }
            policy
        })
}

/// A word of the corpus's requests, or any short text.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(|i| i.get(&seeds().words).clone()),
        "\\PC{0,24}",
    ]
}

/// A policy line: a seed policy, a mutated one, made-up JSON or text.
fn policy_line() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(|i| i.get(&seeds().policies).to_string()),
        mutated_policy().prop_map(|p| p.to_string()),
        json().prop_map(|p| p.to_string()),
        "[^\n]{0,40}",
    ]
}

fn context_line() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(|i| i.get(&seeds().contexts).to_string()),
        json().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_random_bytes(data in prop::collection::vec(any::<u8>(), 0..256)) {
        parse_body::run(&data);
    }

    #[test]
    fn parse_made_up_policies(policy in json()) {
        parse_body::run(policy.to_string().as_bytes());
    }

    #[test]
    fn parse_mutated_policies(policy in mutated_policy()) {
        parse_body::run(policy.to_string().as_bytes());
    }

    #[test]
    fn evaluate_random_bytes(data in prop::collection::vec(any::<u8>(), 0..256)) {
        evaluate_body::run(&data);
    }

    #[test]
    fn evaluate_mutated_requests(
        identity in policy_line(),
        action in word(),
        resource in word(),
        context in context_line(),
        resource_policy in policy_line(),
        boundary in policy_line(),
        principal in word(),
    ) {
        let lines = [identity, action, resource, context, resource_policy, boundary, principal];
        evaluate_body::run(lines.join("\n").as_bytes());
    }
}

#[test]
fn the_seeds_hold_policies_requests_and_contexts() {
    let seeds = seeds();
    assert!(
        seeds.policies.len() > 100,
        "{} policies",
        seeds.policies.len()
    );
    assert!(seeds.words.len() > 20, "{} words", seeds.words.len());
    assert!(
        seeds.contexts.len() > 20,
        "{} contexts",
        seeds.contexts.len()
    );
    for policy in &seeds.policies {
        parse_body::run(policy.to_string().as_bytes());
    }
}
