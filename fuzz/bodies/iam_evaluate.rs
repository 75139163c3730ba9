//! The body of the `iam_evaluate` fuzz target, kept here so that the stable
//! test `crates/cartguard-iam/tests/fuzz_bodies.rs` runs the very same check on
//! generated inputs.
//!
//! Any bytes, read as lines: an identity policy, an action, a resource, a
//! context, a resource policy, a permissions boundary and a principal ARN.
//! Evaluation and the effective-permission analysis must never panic, whatever
//! the documents and request.

use std::sync::Arc;

use cartguard_iam::{
    EffectivePermissions, Policy, PolicyKind, PolicySet, Request, RequestContext, RequestPrincipal,
    evaluate, shadow,
};

fn policy(line: Option<&str>, kind: PolicyKind) -> Option<Arc<Policy>> {
    let value = serde_json::from_str::<serde_json::Value>(line?).ok()?;
    Policy::parse("fuzz", kind, &value).ok().map(Arc::new)
}

/// Evaluates the request and policies that `data` holds, one per line.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let identity = policy(lines.next(), PolicyKind::Identity);
    let action = lines.next().unwrap_or("s3:GetObject");
    let resource = lines.next().unwrap_or("*");
    let context = lines
        .next()
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .and_then(|v| RequestContext::from_json(&v, false).ok())
        .unwrap_or_default();
    let resource_policy = policy(lines.next(), PolicyKind::Resource);
    let boundary = policy(lines.next(), PolicyKind::Boundary);
    let principal_arn = lines
        .next()
        .unwrap_or("arn:aws:iam::111122223333:user/alice");

    let mut set = PolicySet::default();
    set.identity.extend(identity);
    set.resource.extend(resource_policy);
    set.boundary = boundary;
    let principal =
        RequestPrincipal::from_arn(principal_arn).unwrap_or_else(RequestPrincipal::anonymous);
    let mut request = Request::new(principal.clone(), action, resource);
    request.context = context;
    let _ = evaluate(&set, &request);
    let effective = EffectivePermissions::from_policy_set(&set, &principal);
    let _ = effective.admin();
    let _ = effective.allows_somewhere(action);
    let _ = effective.allows_on(action, resource);
    let _ = shadow::in_policy_set(&set, &principal);
}
