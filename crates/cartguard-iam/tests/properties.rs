//! Properties of evaluation that must hold for any policies.

use std::sync::Arc;

use cartguard_iam::{
    Decision, Policy, PolicyKind, PolicySet, Request, RequestContext, RequestPrincipal, evaluate,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:*",
    "s3:Get*",
    "ec2:RunInstances",
    "ec2:*",
    "*",
    "iam:PassRole",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::other/*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:s3:::b/${aws:username}/*",
];
const REQUEST_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "ec2:RunInstances",
    "iam:PassRole",
    "kms:Decrypt",
];
const REQUEST_RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::b/alice/x",
    "arn:aws:s3:::other/x",
    "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    "*",
];

fn conditions() -> Vec<Option<Value>> {
    vec![
        None,
        Some(json!({"Bool": {"aws:SecureTransport": "true"}})),
        Some(json!({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})),
        Some(json!({"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}})),
        Some(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
        Some(json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})),
        Some(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}})),
        Some(json!({"Null": {"aws:TokenIssueTime": "true"}})),
    ]
}

fn statement(effect: &'static str) -> impl Strategy<Value = Value> {
    (
        proptest::sample::subsequence(ACTIONS, 1..3),
        any::<bool>(),
        proptest::sample::subsequence(RESOURCES, 1..3),
        any::<bool>(),
        proptest::sample::select(conditions()),
    )
        .prop_map(
            move |(actions, not_action, resources, not_resource, condition)| {
                let mut s = serde_json::Map::new();
                s.insert("Effect".into(), json!(effect));
                s.insert(
                    if not_action { "NotAction" } else { "Action" }.into(),
                    json!(actions),
                );
                s.insert(
                    if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    }
                    .into(),
                    json!(resources),
                );
                if let Some(c) = condition {
                    s.insert("Condition".into(), c);
                }
                Value::Object(s)
            },
        )
}

fn any_statement() -> impl Strategy<Value = Value> {
    prop_oneof![statement("Allow"), statement("Allow"), statement("Deny")]
}

fn doc(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

#[derive(Debug, Clone)]
struct Scenario {
    identity: Vec<Vec<Value>>,
    boundary: Option<Vec<Value>>,
    scp: Option<Vec<Value>>,
    action: &'static str,
    resource: &'static str,
    context: Value,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let context = (
        proptest::option::of(proptest::sample::select(vec!["true", "false"])),
        proptest::option::of(proptest::sample::select(vec![
            "eu-west-1",
            "us-east-1",
            "ap-south-1",
        ])),
        proptest::option::of(proptest::sample::select(vec!["10.1.2.3", "192.0.2.1"])),
    )
        .prop_map(|(tls, region, ip)| {
            let mut m = serde_json::Map::new();
            if let Some(t) = tls {
                m.insert("aws:SecureTransport".into(), json!(t));
            }
            if let Some(r) = region {
                m.insert("aws:RequestedRegion".into(), json!(r));
            }
            if let Some(i) = ip {
                m.insert("aws:SourceIp".into(), json!(i));
            }
            Value::Object(m)
        });
    (
        proptest::collection::vec(proptest::collection::vec(any_statement(), 0..4), 0..3),
        proptest::option::of(proptest::collection::vec(any_statement(), 1..3)),
        proptest::option::of(proptest::collection::vec(any_statement(), 1..3)),
        proptest::sample::select(REQUEST_ACTIONS),
        proptest::sample::select(REQUEST_RESOURCES),
        context,
    )
        .prop_map(
            |(identity, boundary, scp, action, resource, context)| Scenario {
                identity,
                boundary,
                scp,
                action,
                resource,
                context,
            },
        )
}

fn decide(s: &Scenario) -> Decision {
    let mut set = PolicySet::default();
    for (i, stmts) in s.identity.iter().enumerate() {
        let p = Policy::parse(&format!("p{i}"), PolicyKind::Identity, &doc(stmts.clone()))
            .expect("generated policies parse");
        set.identity.push(Arc::new(p));
    }
    if let Some(b) = &s.boundary {
        set.boundary = Some(Arc::new(
            Policy::parse("b", PolicyKind::Boundary, &doc(b.clone())).expect("boundary parses"),
        ));
    }
    if let Some(scp) = &s.scp {
        set.scps = vec![vec![Arc::new(
            Policy::parse("scp", PolicyKind::ServiceControl, &doc(scp.clone()))
                .expect("scp parses"),
        )]];
    }
    let principal =
        RequestPrincipal::from_arn("arn:aws:iam::111122223333:user/alice").expect("valid ARN");
    let mut request = Request::new(principal, s.action, s.resource);
    request.context = RequestContext::from_json(&s.context, false).expect("valid context");
    evaluate(&set, &request)
}

fn rank(d: &Decision) -> u8 {
    match d {
        Decision::Allow { .. } => 2,
        Decision::Conditional { .. } => 1,
        _ => 0,
    }
}

fn with_added(s: &Scenario, stmt: Value, target: usize) -> Scenario {
    let mut out = s.clone();
    if out.identity.is_empty() {
        out.identity.push(Vec::new());
    }
    let i = target % out.identity.len();
    out.identity[i].push(stmt);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn adding_a_deny_never_grants_more(s in scenario(), deny in statement("Deny"), target in 0usize..4) {
        let before = decide(&s);
        let after = decide(&with_added(&s, deny, target));
        prop_assert!(rank(&after) <= rank(&before), "before {before:?}, after {after:?}");
    }

    #[test]
    fn adding_an_allow_never_grants_less(s in scenario(), allow in statement("Allow"), target in 0usize..4) {
        let before = decide(&s);
        let after = decide(&with_added(&s, allow, target));
        prop_assert!(rank(&after) >= rank(&before), "before {before:?}, after {after:?}");
    }

    #[test]
    fn no_identity_policies_means_denied(mut s in scenario()) {
        s.identity.clear();
        let d = decide(&s);
        prop_assert!(matches!(d, Decision::ImplicitDeny { .. } | Decision::ExplicitDeny { .. }), "{d:?}");
    }

    #[test]
    fn only_denies_never_allow(s in scenario(), denies in proptest::collection::vec(statement("Deny"), 1..4)) {
        let mut s = s;
        s.identity = vec![denies];
        let d = decide(&s);
        prop_assert!(rank(&d) == 0, "{d:?}");
    }
}
