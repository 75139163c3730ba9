use cartguard_iam::arn::partition_of;
use cartguard_iam::probe::{Unbounded, default_resource, probe_resource, unbounded};
use cartguard_iam::{AdminAccess, StatementRef};
use serde_json::json;

use super::{account_defined, analysed, policy_label, update_command};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a user or role that is not an administrator (administrators are
    /// `iam-admin-access`'s) can `iam:CreateRole`, `iam:CreateUser`,
    /// `iam:AttachRolePolicy`, `iam:PutRolePolicy`, `iam:AttachUserPolicy` or
    /// `iam:PutUserPolicy` without being forced to set a particular permissions
    /// boundary. For every identity statement that grants one of these actions, the
    /// principal's whole policy set (identity policies, denies, its own boundary)
    /// is evaluated twice on that statement's resources: once with no
    /// `iam:PermissionsBoundary` in the request, once with
    /// `arn:aws:iam::aws:policy/AdministratorAccess` as the boundary (which bounds
    /// nothing). If either request may be allowed, the grant is unbounded. A
    /// statement with `"Condition": {"StringEquals": {"iam:PermissionsBoundary":
    /// "arn:aws:iam::111122223333:policy/app-boundary"}}` passes, as does a `Deny`
    /// with `StringNotEquals` on that key; `Null iam:PermissionsBoundary false`
    /// does not (any boundary will do). Service-linked roles are skipped. A
    /// principal whose policies are not all in the evidence, and who has no
    /// unbounded grant in what was collected, is `not-assessed`.
    ///
    /// ## Why it matters
    /// Whoever can create a role or user and attach or write its policies can give
    /// that new identity more than they have themselves — up to administrator — and
    /// use it. Delegated IAM administration is safe only when every identity it
    /// creates or changes carries a boundary the delegate cannot lift (PCI DSS
    /// 7.2.2, 8.2.4).
    ///
    /// ## Severity
    /// High when the granting statements hold whatever the request; medium when
    /// they hold only under conditions the evidence cannot settle, one level lower.
    ///
    /// ## How to fix
    /// Add the boundary condition to the granting statement (and deny changing or
    /// removing the boundary), then update the policy:
    ///
    /// ```json
    /// {"Effect": "Allow", "Action": ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"],
    ///  "Resource": "arn:aws:iam::111122223333:role/app-*",
    ///  "Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/app-boundary"}}}
    /// ```
    ///
    /// ```sh
    /// aws iam create-policy-version --policy-arn arn:aws:iam::111122223333:policy/ci-iam --policy-document file://ci-iam.json --set-as-default
    /// ```
    ///
    /// ## Example
    /// A CI role allowed `iam:CreateRole` and `iam:AttachRolePolicy` on
    /// `arn:aws:iam::111122223333:role/app-*` with no condition fails; the same
    /// statement with `StringEquals iam:PermissionsBoundary` on a boundary ARN
    /// passes; a role with `AdministratorAccess` is left to `iam-admin-access`.
    pub static RULE = {
        id: "iam-role-creation-unbounded",
        title: "A principal can create or empower roles and users without a permissions boundary",
        severity: High,
        lowest: Medium,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

/// The actions whose requests carry `iam:PermissionsBoundary`, and that create
/// an identity or set its permissions.
const CREATION_ACTIONS: [&str; 6] = [
    "iam:CreateRole",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:CreateUser",
    "iam:AttachUserPolicy",
    "iam:PutUserPolicy",
];

fn check(ctx: &Context, out: &mut Emitter) {
    let Some((principals, analysis)) = analysed(ctx, out) else {
        return;
    };
    for (index, principal) in account_defined(principals) {
        if !matches!(analysis.admin.get(index), Some(AdminAccess::No)) {
            continue;
        }
        let Some(effective) = analysis.effective.get(index) else {
            continue;
        };
        let who = principal.request_principal();
        let account = principal.account.as_deref().unwrap_or(&ctx.account.id);
        let mut found: Vec<Unbounded> = Vec::new();
        for action in CREATION_ACTIONS {
            let default = default_resource(action, partition_of(&principal.arn), account);
            for grant in effective.grants_of(action) {
                let resource = probe_resource(grant, action, &default);
                if let Some(u) = unbounded(&principal.policies, &who, action, &resource, grant) {
                    found.push(u);
                }
            }
        }
        let missing = principals.permissions_incomplete(principal);
        if found.is_empty() {
            if let Some(reason) = missing {
                out.not_assessed(&principal.arn, "global", reason);
            }
            continue;
        }
        let mut actions: Vec<&str> = found.iter().map(|u| u.action).collect();
        actions.dedup();
        let mut statements: Vec<&StatementRef> = found.iter().map(|u| &u.statement).collect();
        statements.sort();
        statements.dedup();
        let sources: Vec<String> = statements.iter().map(|s| s.to_string()).collect();
        let conditional = found.iter().all(|u| u.decision == "Conditional");
        let mut hows: Vec<&str> = found.iter().map(|u| u.how).collect();
        hows.sort_unstable();
        hows.dedup();
        hows.reverse();
        let commands: Vec<String> = {
            let mut policies: Vec<&str> = statements.iter().map(|s| s.policy.as_ref()).collect();
            policies.sort_unstable();
            policies.dedup();
            policies
                .iter()
                .map(|p| format!("{} ({})", update_command(p), policy_label(p)))
                .collect()
        };
        out.fail(Failure {
            detail: format!(
                "{} can {} with {}{} (granted by {}): nothing holds the identities it creates or changes to a particular permissions boundary, so it can give them more permissions than its own.{}",
                principal.arn,
                actions.join(", "),
                hows.join(", and with "),
                if conditional { " when the other conditions of the granting statements hold" } else { "" },
                sources.join("; "),
                missing.map(|m| format!(" Note: {m}.")).unwrap_or_default()
            ),
            evidence: json!({
                "source": "policy evaluation",
                "principal": principal.arn,
                "permissions_boundary": principal.policies.boundary.as_ref().map(|b| b.name.to_string()),
                "unbounded": found,
                "granted_by": statements.iter().map(|s| principals.quote(s).deciding(cartguard_iam::GRANTING)).collect::<Vec<_>>(),
            }),
            remediation: format!(
                "Add \"Condition\": {{\"StringEquals\": {{\"iam:PermissionsBoundary\": \"arn:{}:iam::{}:policy/<boundary>\"}}}} to the statements granting {} ({}), and deny iam:DeleteRolePermissionsBoundary / iam:DeleteUserPermissionsBoundary and changes to the boundary policy; then update the policy: {}.",
                partition_of(&principal.arn),
                account,
                actions.join(", "),
                sources.join("; "),
                commands.join("; ")
            ),
            proof: if conditional { Proof::Conditional } else { Proof::Proven },
            ..Failure::global(principal.arn.clone())
        });
    }
}
