//! Probing a principal's permissions with concrete requests: which resource
//! to ask about for a grant, and whether a request that creates IAM
//! principals or attaches policies can be made without a permissions
//! boundary that bounds it.

use serde::{Serialize, Serializer};

use crate::catalogue::catalogue;
use crate::context::RequestContext;
use crate::effective::Grant;
use crate::evaluate::{Decision, PolicySet, Request, RequestPrincipal, evaluate};
use crate::matching::{arn_fields, wildcard_match};
use crate::policy::StatementRef;

/// A boundary that bounds nothing: a request that may set it is unbounded.
const ANY_BOUNDARY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// The resource a probe request names when a grant covers every resource:
/// a role, user or policy of the account, by the action's resource type.
pub fn default_resource(action: &str, partition: &str, account: &str) -> String {
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
pub fn probe_resource(grant: &Grant, action: &str, default: &str) -> String {
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
fn arn_glob(format: &str) -> String {
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

/// An unbounded way to make one request; serialised as evidence, with the
/// granting statement by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unbounded {
    /// The action.
    pub action: &'static str,
    /// The resource probed.
    pub resource: String,
    /// `no permissions boundary` or `AdministratorAccess as the permissions boundary`.
    #[serde(rename = "allowed_with")]
    pub how: &'static str,
    /// `Allow` or `Conditional`.
    pub decision: &'static str,
    /// The statement that grants it.
    #[serde(serialize_with = "as_text")]
    pub statement: StatementRef,
}

fn as_text<S: Serializer>(statement: &StatementRef, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(statement)
}

/// Whether `set` lets `who` perform `action` on `resource` while setting no
/// permissions boundary, or `AdministratorAccess` as the boundary, and the
/// statement of `grant` is (or may be) what allows it.
pub fn unbounded(
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
                how,
                decision: decision.label(),
                statement: grant.statement.clone(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_formats_become_patterns() {
        assert_eq!(
            arn_glob("arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
            "arn:*:s3:::*/*"
        );
        assert_eq!(arn_glob("arn:${Partition"), "arn:*");
    }

    #[test]
    fn the_default_resource_follows_the_action() {
        assert_eq!(
            default_resource("iam:CreateRole", "aws", "111122223333"),
            "arn:aws:iam::111122223333:role/cartguard-probe"
        );
        assert_eq!(default_resource("s3:GetObject", "aws", "1"), "*");
    }
}
