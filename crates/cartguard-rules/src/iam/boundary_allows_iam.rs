use std::collections::BTreeMap;
use std::sync::Arc;

use cartguard_iam::catalogue::{AccessLevel, catalogue};
use cartguard_iam::{EffectivePermissions, Policy, PolicyKind, PolicySet, Principal, StatementRef};
use serde_json::json;

use cartguard_iam::arn::partition_of;
use cartguard_iam::probe::{Unbounded, default_resource, probe_resource, unbounded};

use super::principals;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every permissions boundary in use (attached as the boundary of a user or
    /// role) is evaluated as a policy, and must not allow what would let a bounded
    /// principal escape its boundary or widen its own power:
    ///
    /// - `iam:CreatePolicyVersion` or `iam:SetDefaultPolicyVersion` (rewrite any
    ///   customer managed policy, the boundary included),
    /// - `iam:DeleteRolePermissionsBoundary` or `iam:DeleteUserPermissionsBoundary`,
    /// - `iam:PutRolePermissionsBoundary`, `iam:PutUserPermissionsBoundary`,
    ///   `iam:CreateRole`, `iam:CreateUser`, `iam:AttachRolePolicy`,
    ///   `iam:PutRolePolicy`, `iam:AttachUserPolicy` or `iam:PutUserPolicy`, unless
    ///   the boundary only allows them when `iam:PermissionsBoundary` names a
    ///   particular boundary (evaluated with no boundary in the request and with
    ///   `AdministratorAccess` as the boundary: both must be refused),
    /// - AWS Organizations actions that change something (access level Write or
    ///   Permissions management),
    /// - billing changes: `aws-portal:Modify*`, `billing:Put*`, `billing:Update*`.
    ///
    /// Denies in the boundary are weighed. A boundary that the evidence names but
    /// does not contain, or that does not parse, is `not-assessed`.
    ///
    /// ## Why it matters
    /// A permissions boundary is the ceiling of what a delegated administrator, a
    /// CI pipeline or a developer role can ever do. A boundary that allows these
    /// actions is a ceiling with a door in it: the bounded principal can remove or
    /// rewrite the boundary, create an unbounded identity, leave the organization
    /// or change the billing and payment details (PCI DSS 7.2.2).
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Add a deny of the escape actions to the boundary and publish it as a new
    /// default version:
    ///
    /// ```json
    /// {"Sid": "NoBoundaryEscape", "Effect": "Deny",
    ///  "Action": ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
    ///             "iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary",
    ///             "organizations:*", "aws-portal:Modify*", "billing:Put*", "billing:Update*"],
    ///  "Resource": "*"},
    /// {"Sid": "CreateOnlyBounded", "Effect": "Deny",
    ///  "Action": ["iam:CreateRole", "iam:CreateUser", "iam:AttachRolePolicy", "iam:PutRolePolicy",
    ///             "iam:AttachUserPolicy", "iam:PutUserPolicy",
    ///             "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary"],
    ///  "Resource": "*",
    ///  "Condition": {"StringNotEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/dev-boundary"}}}
    /// ```
    ///
    /// ```sh
    /// aws iam create-policy-version --policy-arn arn:aws:iam::111122223333:policy/dev-boundary --policy-document file://dev-boundary.json --set-as-default
    /// ```
    ///
    /// ## Example
    /// A boundary `dev-boundary` with `"Action": ["s3:*", "iam:*"]` on `*` used by
    /// role `developer` fails (it allows `iam:DeleteRolePermissionsBoundary`,
    /// `iam:CreatePolicyVersion`, …); a boundary allowing `s3:*`, `dynamodb:*`
    /// and `iam:CreateRole` only with `StringEquals iam:PermissionsBoundary` on
    /// itself passes.
    pub static RULE = {
        id: "iam-boundary-allows-iam",
        title: "A permissions boundary allows IAM, Organizations or billing changes",
        severity: Medium,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

/// Actions that let a bounded principal rewrite or remove a boundary outright.
const ESCAPE_ACTIONS: [&str; 4] = [
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
];

/// Actions that are safe only when `iam:PermissionsBoundary` is pinned.
const BOUNDED_ACTIONS: [&str; 8] = [
    "iam:PutRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
    "iam:CreateRole",
    "iam:CreateUser",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:AttachUserPolicy",
    "iam:PutUserPolicy",
];

/// Billing changes.
const BILLING_PATTERNS: [&str; 3] = ["aws-portal:Modify*", "billing:Put*", "billing:Update*"];

/// How many action names a finding lists per group before summarising.
const LIST_AT_MOST: usize = 12;

/// The kinds of dangerous actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Removing or rewriting boundaries and policies.
    Escape,
    /// Creating or empowering identities without a pinned boundary.
    Creation,
    /// Changing the organization.
    Organizations,
    /// Changing billing and payment settings.
    Billing,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Escape => "removing or rewriting boundaries and policies",
            Kind::Creation => {
                "creating or empowering users and roles without a pinned permissions boundary"
            }
            Kind::Organizations => "AWS Organizations changes",
            Kind::Billing => "billing changes",
        }
    }

    fn consequence(self) -> &'static str {
        match self {
            Kind::Escape => "lifting or rewriting its own boundary",
            Kind::Creation => "creating an unbounded user or role and using it",
            Kind::Organizations => {
                "changing the organization (leaving it, moving accounts, detaching SCPs)"
            }
            Kind::Billing => "changing billing and payment settings",
        }
    }
}

/// One group of allowed dangerous actions.
struct Allowed {
    kind: Kind,
    actions: Vec<String>,
    statements: Vec<StatementRef>,
    unbounded: Vec<Unbounded>,
}

/// The boundaries in use, by ARN, with the principals they bound.
fn boundaries_in_use(
    principals: &cartguard_iam::Principals,
) -> BTreeMap<String, (Arc<Policy>, Vec<&Principal>)> {
    let mut out: BTreeMap<String, (Arc<Policy>, Vec<&Principal>)> = BTreeMap::new();
    for principal in &principals.principals {
        if let Some(boundary) = &principal.policies.boundary {
            out.entry(boundary.name.to_string())
                .or_insert_with(|| (Arc::clone(boundary), Vec::new()))
                .1
                .push(principal);
        }
    }
    out
}

/// Boundaries the evidence names but could not give a policy for, with the
/// principals that use them.
fn unreadable_boundaries(ctx: &Context) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Some(details) = ctx.account.iam.authorization_details.present() else {
        return out;
    };
    let users = details
        .user_detail_list
        .iter()
        .map(|u| (&u.arn, &u.permissions_boundary));
    let roles = details
        .role_detail_list
        .iter()
        .map(|r| (&r.arn, &r.permissions_boundary));
    for (arn, boundary) in users.chain(roles) {
        if let Some(b) = boundary {
            out.entry(b.permissions_boundary_arn.clone())
                .or_default()
                .push(arn.clone());
        }
    }
    out
}

/// What the boundary allows of the dangerous actions.
fn dangerous(boundary: &Policy, bounded: &Principal, account: &str) -> Vec<Allowed> {
    let cat = catalogue();
    let set = PolicySet::with_identity([boundary.with_kind(PolicyKind::Identity)]);
    let who = bounded.request_principal();
    let perms = EffectivePermissions::from_policy_set(&set, &who);
    let mut out = Vec::new();

    let mut escape = Allowed {
        kind: Kind::Escape,
        actions: Vec::new(),
        statements: Vec::new(),
        unbounded: Vec::new(),
    };
    for action in ESCAPE_ACTIONS {
        let grants: Vec<_> = perms.grants_of(action).collect();
        if !grants.is_empty() {
            escape.actions.push(action.to_string());
            escape
                .statements
                .extend(grants.iter().map(|g| g.statement.clone()));
        }
    }
    out.push(escape);

    let mut creation = Allowed {
        kind: Kind::Creation,
        actions: Vec::new(),
        statements: Vec::new(),
        unbounded: Vec::new(),
    };
    for action in BOUNDED_ACTIONS {
        let default = default_resource(action, partition_of(&bounded.arn), account);
        for grant in perms.grants_of(action) {
            let resource = probe_resource(grant, action, &default);
            if let Some(u) = unbounded(&set, &who, action, &resource, grant) {
                if !creation.actions.iter().any(|a| a == action) {
                    creation.actions.push(action.to_string());
                }
                creation.statements.push(u.statement.clone());
                creation.unbounded.push(u);
            }
        }
    }
    out.push(creation);

    let possible = perms.allowed_somewhere().1;
    let mut organizations = cat
        .service_actions("organizations")
        .unwrap_or_else(|| cat.empty_set());
    organizations.intersect_with(&possible);
    let mut billing = cat.empty_set();
    for pattern in BILLING_PATTERNS {
        billing.union_with(&cat.expand(pattern));
    }
    billing.intersect_with(&possible);
    for (kind, set) in [
        (Kind::Organizations, organizations),
        (Kind::Billing, billing),
    ] {
        let changes: Vec<usize> = set
            .iter()
            .filter(|i| {
                cat.info(*i).is_some_and(|a| {
                    matches!(
                        a.access_level,
                        AccessLevel::Write | AccessLevel::PermissionsManagement
                    )
                })
            })
            .collect();
        let statements = perms
            .grants
            .iter()
            .filter(|g| changes.iter().any(|i| g.actions.contains(*i)))
            .map(|g| g.statement.clone())
            .collect();
        out.push(Allowed {
            kind,
            actions: changes.iter().map(|i| cat.name(*i).to_string()).collect(),
            statements,
            unbounded: Vec::new(),
        });
    }
    out.retain(|a| !a.actions.is_empty());
    for a in &mut out {
        a.statements.sort();
        a.statements.dedup();
    }
    out
}

fn summary(actions: &[String]) -> String {
    if actions.len() <= LIST_AT_MOST {
        actions.join(", ")
    } else {
        format!(
            "{}, … ({} actions)",
            actions[..LIST_AT_MOST].join(", "),
            actions.len()
        )
    }
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(principals) = principals(ctx, out) else {
        return;
    };
    let in_use = boundaries_in_use(principals);
    for (arn, users) in unreadable_boundaries(ctx) {
        if in_use.contains_key(&arn) {
            continue;
        }
        let reason = match principals.errors.iter().find(|e| e.policy == arn) {
            Some(failure) => format!(
                "the permissions boundary {arn} (of {}) could not be read: {}",
                users.join(", "),
                failure.error
            ),
            None => format!(
                "{arn} is the permissions boundary of {} but its document is not in get-account-authorization-details",
                users.join(", ")
            ),
        };
        out.not_assessed(&arn, "global", reason);
    }
    for (arn, (boundary, bounded)) in &in_use {
        let Some(first) = bounded.first() else {
            continue;
        };
        let account = first.account.as_deref().unwrap_or(&ctx.account.id);
        let allowed = dangerous(boundary, first, account);
        if allowed.is_empty() {
            continue;
        }
        let used_by: Vec<&str> = bounded.iter().map(|p| p.arn.as_str()).collect();
        let mut statements: Vec<&StatementRef> =
            allowed.iter().flat_map(|a| a.statements.iter()).collect();
        statements.sort();
        statements.dedup();
        let parts: Vec<String> = allowed
            .iter()
            .map(|a| format!("{} ({})", a.kind.label(), summary(&a.actions)))
            .collect();
        let evidence_groups: Vec<_> = allowed
            .iter()
            .map(|a| {
                json!({
                    "kind": a.kind.label(),
                    "actions": a.actions,
                    "granted_by": a.statements.iter().map(|s| principals.quote(s).deciding(cartguard_iam::GRANTING)).collect::<Vec<_>>(),
                    "probes": a.unbounded,
                })
            })
            .collect();
        let mut always: Vec<&str> = Vec::new();
        let mut unless_bounded: Vec<&str> = Vec::new();
        for a in &allowed {
            match a.kind {
                Kind::Organizations => always.push("organizations:*"),
                Kind::Billing => always.extend(BILLING_PATTERNS),
                Kind::Escape => always.extend(a.actions.iter().map(String::as_str)),
                Kind::Creation => unless_bounded.extend(a.actions.iter().map(String::as_str)),
            }
        }
        let mut statements_to_add = Vec::new();
        if !always.is_empty() {
            statements_to_add.push(json!({"Sid": "DenyBoundaryEscape", "Effect": "Deny", "Action": always, "Resource": "*"}));
        }
        if !unless_bounded.is_empty() {
            statements_to_add.push(json!({"Sid": "CreateOnlyBounded", "Effect": "Deny", "Action": unless_bounded, "Resource": "*",
                "Condition": {"StringNotEquals": {"iam:PermissionsBoundary": arn}}}));
        }
        let consequences: Vec<&str> = allowed.iter().map(|a| a.kind.consequence()).collect();
        let name = arn.rsplit('/').next().unwrap_or(arn);
        out.fail(Failure {
            detail: format!(
                "The permissions boundary {} (of {}) allows {}, granted by {}: it does not stop a principal it bounds from {}.",
                arn,
                used_by.join(", "),
                parts.join("; "),
                statements.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("; "),
                consequences.join(", or ")
            ),
            evidence: json!({
                "source": "policy evaluation of the boundary document",
                "boundary": arn,
                "used_by": used_by,
                "allows": evidence_groups,
            }),
            remediation: format!(
                "Add to {name} the statement{} {}, then publish it as the default version: aws iam create-policy-version --policy-arn {arn} --policy-document file://{name}.json --set-as-default.",
                if statements_to_add.len() > 1 { "s" } else { "" },
                statements_to_add.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
            ),
            ..Failure::global(arn.clone())
        });
    }
}
