use std::collections::BTreeSet;

use serde_json::json;

use super::{customer_policies, policy_label, principals};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether an `Allow` statement can never take effect because an unconditional
    /// `Deny` always overrides it: for every action the Allow grants (expanded against
    /// the action catalogue) and every resource it names, a Deny covers the same
    /// action and resource. The Deny may sit in the same policy (reported on the
    /// policy) or in another policy that applies to the same principal — a group
    /// policy, a permissions boundary that never allows it, an SCP (reported on the
    /// principal). The finding names the Allow and the Deny(s). A conditional Deny
    /// never shadows.
    ///
    /// ## Why it matters
    /// The policy does not do what its author meant: a permission someone believes
    /// is granted is not, or a Deny meant for one case blocks everything. Reviews of
    /// such rule sets (PCI DSS 7.3.2) reach wrong conclusions about who can do what.
    ///
    /// ## Severity
    /// Always medium: only a Deny without conditions shadows an Allow, so the
    /// finding is certain.
    ///
    /// ## How to fix
    /// Decide which statement is right. Narrow the Deny (`"Resource"` or a condition)
    /// if the Allow is intended; otherwise delete the dead Allow:
    ///
    /// ```json
    /// {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::audit-logs/*"}
    /// ```
    ///
    /// ## Example
    /// `[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"},
    ///   {"Effect":"Deny","Action":"s3:*","Resource":"*"}]` fails naming statement 0 and
    /// statement 1; with `"Condition": {"Bool": {"aws:SecureTransport": "false"}}` on the
    /// Deny it passes.
    pub static RULE = {
        id: "iam-allow-shadowed",
        title: "An Allow statement is always overridden by a Deny",
        severity: Medium,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(principals) = principals(ctx, out) else {
        return;
    };
    let mut reported = BTreeSet::new();
    super::unreadable_customer_policies(principals, out);
    for (policy, resource, discriminator) in customer_policies(principals) {
        for shadow in cartguard_iam::shadow::in_policy(policy) {
            reported.insert((shadow.allow.policy.to_string(), shadow.allow.index));
            let denies: Vec<String> = shadow
                .denied_by
                .iter()
                .map(|d| format!("statement {}", d.index))
                .collect();
            out.fail(Failure {
                detail: format!(
                    "In {}, the Allow in statement {} never takes effect: {} of the same policy denies all of it.",
                    policy_label(&policy.name),
                    shadow.allow.index,
                    denies.join(" and ")
                ),
                evidence: json!({
                    "source": "policy evaluation",
                    "allow": principals.quote(&shadow.allow).deciding(cartguard_iam::GRANTING),
                    "denied_by": shadow.denied_by.iter().map(|d| principals.quote(d).deciding(&["Effect", "Action", "NotAction", "Resource", "NotResource"])).collect::<Vec<_>>(),
                }),
                remediation: format!(
                    "Decide which is intended: narrow the Deny ({}) with a Resource or Condition, or delete the dead Allow (statement {}).",
                    denies.join(", "),
                    shadow.allow.index
                ),
                discriminator: Some(format!("{}#{}", discriminator.as_deref().unwrap_or(""), shadow.allow.index)),
                ..Failure::global(resource.clone())
            });
        }
    }
    for principal in &principals.principals {
        for shadow in cartguard_iam::shadow::of_principal(principal) {
            if reported.contains(&(shadow.allow.policy.to_string(), shadow.allow.index)) {
                continue;
            }
            let mut by: Vec<String> = shadow
                .denied_by
                .iter()
                .map(|d| format!("statement {} of {}", d.index, policy_label(&d.policy)))
                .collect();
            if shadow.outside_boundary {
                by.push("the permissions boundary, which never allows it".into());
            }
            if shadow.outside_scps {
                by.push("the service control policies, which never allow it".into());
            }
            out.fail(Failure {
                detail: format!(
                    "For {}, the Allow in statement {} of {} never takes effect: it is overridden by {}.",
                    principal.arn,
                    shadow.allow.index,
                    policy_label(&shadow.allow.policy),
                    by.join(" and ")
                ),
                evidence: json!({
                    "source": "policy evaluation",
                    "principal": principal.arn,
                    "allow": principals.quote(&shadow.allow).deciding(cartguard_iam::GRANTING),
                    "denied_by": shadow.denied_by.iter().map(|d| principals.quote(d).deciding(&["Effect", "Action", "NotAction", "Resource", "NotResource"])).collect::<Vec<_>>(),
                    "outside_boundary": shadow.outside_boundary,
                    "outside_scps": shadow.outside_scps,
                }),
                remediation: format!(
                    "Decide which is intended for {}: narrow the overriding Deny or boundary, or remove the dead Allow (statement {} of {}).",
                    principal.name,
                    shadow.allow.index,
                    shadow.allow.policy
                ),
                discriminator: Some(format!("{}#{}", shadow.allow.policy, shadow.allow.index)),
                ..Failure::global(principal.arn.clone())
            });
        }
    }
}
