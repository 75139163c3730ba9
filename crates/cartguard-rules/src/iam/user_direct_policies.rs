use cartguard_inventory::iam;
use serde_json::json;

use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether an IAM user has managed policies attached directly
    /// (`AttachedManagedPolicies`) or inline policies (`UserPolicyList`) in
    /// `get-account-authorization-details`, instead of receiving permissions only
    /// through groups (or, better, roles).
    ///
    /// ## Why it matters
    /// Permissions set per user drift: nobody reviews them as a set, they survive a
    /// change of job, and least-privilege reviews (PCI DSS 7.2.4) become a hunt
    /// through individual users instead of a look at a handful of groups.
    ///
    /// ## Severity
    /// Always low: the permissions are no broader for being attached to the user;
    /// they are harder to review.
    ///
    /// ## How to fix
    /// Move the permissions to a group that describes the job, add the user to it,
    /// and remove the direct attachments:
    ///
    /// ```sh
    /// aws iam attach-group-policy --group-name Developers --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess
    /// aws iam add-user-to-group --group-name Developers --user-name alice
    /// aws iam detach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess
    /// aws iam delete-user-policy --user-name alice --policy-name alice-extra
    /// ```
    ///
    /// ## Example
    /// A user with `"AttachedManagedPolicies": [{"PolicyName": "AmazonS3FullAccess", …}]`
    /// fails; a user whose only permissions come from `"GroupList": ["Developers"]` passes.
    pub static RULE = {
        id: "iam-user-direct-policies",
        title: "A user has policies attached directly",
        severity: Low,
        area: Iam,
        evidence: [&[iam::GET_ACCOUNT_AUTHORIZATION_DETAILS]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let resource = format!("arn:aws:iam::{}:user/*", ctx.account.id);
    let Some(details) = out.require(
        &ctx.account.iam.authorization_details,
        &iam::GET_ACCOUNT_AUTHORIZATION_DETAILS.global(),
        &resource,
        "global",
    ) else {
        return;
    };
    for user in &details.user_detail_list {
        let attached: Vec<&str> = user
            .attached_managed_policies
            .iter()
            .map(|p| p.policy_arn.as_str())
            .collect();
        let inline: Vec<&str> = user
            .user_policy_list
            .iter()
            .map(|p| p.policy_name.as_str())
            .collect();
        if attached.is_empty() && inline.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        if !attached.is_empty() {
            parts.push(format!("attached managed {}", attached.join(", ")));
        }
        if !inline.is_empty() {
            parts.push(format!("inline {}", inline.join(", ")));
        }
        let mut steps = vec![format!(
            "aws iam add-user-to-group --group-name <job group> --user-name {}",
            user.user_name
        )];
        steps.extend(attached.iter().map(|arn| {
            format!(
                "aws iam detach-user-policy --user-name {} --policy-arn {arn}",
                user.user_name
            )
        }));
        steps.extend(inline.iter().map(|name| {
            format!(
                "aws iam delete-user-policy --user-name {} --policy-name {name}",
                user.user_name
            )
        }));
        out.fail(Failure {
            detail: format!("User {} has policies of its own: {}.", user.user_name, parts.join("; ")),
            evidence: json!({
                "source": "get-account-authorization-details",
                "UserName": user.user_name,
                "AttachedManagedPolicies": user.attached_managed_policies,
                "UserPolicyList": inline,
                "GroupList": user.group_list,
            }),
            remediation: format!(
                "Grant these permissions through a group (or role) for the job, then remove them from the user: {}.",
                steps.join("; ")
            ),
            ..Failure::global(user.arn.clone())
        });
    }
}
