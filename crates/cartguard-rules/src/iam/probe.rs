//! Shared by the rules that probe a principal's permissions with concrete
//! requests: which resource to ask about for a grant, and whether creating IAM
//! principals or attaching policies is forced under a permissions boundary.

use cartguard_iam::catalogue::catalogue;
use cartguard_iam::effective::Grant;
use cartguard_iam::matching::{arn_fields, wildcard_match};
use cartguard_iam::{
    Decision, PolicySet, Request, RequestContext, RequestPrincipal, StatementRef, evaluate,
};
use serde_json::{Value, json};

use super::incomplete;

/// A boundary that bounds nothing: a request that may set it is unbounded.
pub(crate) const ANY_BOUNDARY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// The resource a probe request names when a grant covers every resource:
/// a role, user or policy of the account, by the action's resource type.
pub(crate) fn default_resource(action: &str, partition: &str, account: &str) -> String {
    let lower = action.to_ascii_lowercase();
    let kind = if lower.contains("role") {
        "role"
    } else if lower.contains("user") {
        "user"
    } else if lower.contains("policy") {
        "policy"
    } else {
        return "*".to_string();
    };
    format!("arn:{partition}:iam::{account}:{kind}/cartguard-probe")
}

/// A concrete resource inside a grant's scope for a probe request of
/// `action`: the grant's resource patterns of the action's service, with
/// wildcards filled in, preferring one of a resource type the action accepts
/// (an object ARN for `s3:GetObject`, not the bucket's); else `default`.
pub(crate) fn probe_resource(grant: &Grant, action: &str, default: &str) -> String {
    if grant.not_resource || grant.on_all_resources() {
        return default.to_string();
    }
    let service = action.split(':').next().unwrap_or_default();
    let candidates: Vec<String> = grant
        .resources()
        .filter(|r| arn_fields(r).is_some_and(|f| f[2].eq_ignore_ascii_case(service)))
        .map(|r| r.replace('*', "cartguard-probe").replace('?', "x"))
        .collect();
    let cat = catalogue();
    let formats: Vec<String> = cat
        .lookup(action)
        .map(|info| {
            info.resource_types
                .iter()
                .filter_map(|t| cat.resource_arn_format(service, t))
                .map(arn_glob)
                .collect()
        })
        .unwrap_or_default();
    candidates
        .iter()
        .find(|c| formats.iter().any(|f| wildcard_match(f, c, false)))
        .or_else(|| candidates.first())
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

/// An ARN format of the catalogue (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`)
/// as a wildcard pattern.
pub(crate) fn arn_glob(format: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = match rest[start..].find('}') {
            Some(end) => &rest[start + end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// The partition of an ARN (`aws` when it has none).
pub(crate) fn partition(arn: &str) -> &str {
    arn_fields(arn).map_or("aws", |f| f[1])
}

/// An unbounded way to make one request.
pub(crate) struct Unbounded {
    /// The action.
    pub action: &'static str,
    /// The resource probed.
    pub resource: String,
    /// The statement that grants it.
    pub statement: StatementRef,
    /// `no permissions boundary` or `AdministratorAccess as the boundary`.
    pub how: &'static str,
    /// `Allow` or `Conditional`.
    pub decision: &'static str,
}

impl Unbounded {
    /// The probe as evidence (the granting statement by reference; its text is
    /// listed once in the finding).
    pub fn evidence(&self) -> Value {
        json!({
            "action": self.action,
            "resource": self.resource,
            "allowed_with": self.how,
            "decision": self.decision,
            "statement": self.statement.to_string(),
        })
    }
}

/// Whether `set` lets `who` perform `action` on `resource` while setting no
/// permissions boundary, or `AdministratorAccess` as the boundary, and the
/// statement of `grant` is (or may be) what allows it.
pub(crate) fn unbounded(
    set: &PolicySet,
    who: &RequestPrincipal,
    action: &'static str,
    resource: &str,
    grant: &Grant,
) -> Option<Unbounded> {
    let probes: [(&'static str, Option<&str>); 2] = [
        ("no permissions boundary", None),
        (
            "AdministratorAccess as the permissions boundary",
            Some(ANY_BOUNDARY),
        ),
    ];
    for (how, boundary) in probes {
        let mut context = RequestContext::new();
        match boundary {
            Some(arn) => context.set("iam:PermissionsBoundary", [arn]),
            None => context.set_absent("iam:PermissionsBoundary"),
        };
        let mut request = Request::new(who.clone(), action, resource);
        request.resource_account = who.account.clone();
        request.context = context;
        let decision = evaluate(set, &request);
        let by_grant = match &decision {
            Decision::Allow { by } => by.contains(&grant.statement),
            Decision::Conditional { .. } => true,
            _ => false,
        };
        if by_grant {
            return Some(Unbounded {
                action,
                resource: resource.to_string(),
                statement: grant.statement.clone(),
                how,
                decision: decision.label(),
            });
        }
    }
    None
}

/// Why the principal's permissions may be incomplete ([`incomplete`]), leaving
/// out an unreadable trust policy, which grants the principal nothing.
pub(crate) fn permissions_incomplete(
    principals: &cartguard_iam::Principals,
    principal: &cartguard_iam::Principal,
) -> Option<String> {
    let reason = incomplete(principals, principal)?;
    let own = format!("{}#", principal.arn);
    let trust = format!("{}#trust", principal.arn);
    let only_trust = principal.unresolved.is_empty()
        && principals
            .errors
            .iter()
            .filter(|e| e.policy.starts_with(&own))
            .all(|e| e.policy == trust);
    (!only_trust).then_some(reason)
}

/// The command that replaces a policy's document, by how the policy is named.
pub(crate) fn update_command(policy: &str) -> String {
    let Some((owner, inline)) = policy.split_once('#') else {
        let name = policy.rsplit('/').next().unwrap_or(policy);
        return format!(
            "aws iam create-policy-version --policy-arn {policy} --policy-document file://{name}.json --set-as-default"
        );
    };
    let name = owner.rsplit('/').next().unwrap_or(owner);
    let kind = arn_fields(owner)
        .and_then(|f| f[5].split('/').next())
        .unwrap_or("role");
    format!(
        "aws iam put-{kind}-policy --{kind}-name {name} --policy-name {inline} --policy-document file://{inline}.json"
    )
}
