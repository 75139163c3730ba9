use serde_json::json;

use super::{customer_policies, policy_label, principals};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether an `Allow` statement of the account's own policies uses `NotAction` or
    /// `NotResource`. Such a statement grants everything except what it lists —
    /// including every action and resource type AWS adds in the future.
    ///
    /// ## Why it matters
    /// `{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}` reads like "no IAM"
    /// but grants every other action in every service, from deleting databases to
    /// reading every secret. Tools that treat `NotAction` like `Action` miss this
    /// completely.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// Rewrite the statement as a positive list of actions and resources; keep
    /// `NotAction` for `Deny` statements (where it is the right tool):
    ///
    /// ```json
    /// {"Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:GetMetricData"], "Resource": "*"}
    /// ```
    ///
    /// ## Example
    /// `{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}`
    /// fails; `{"Effect": "Deny", "NotAction": ["iam:ChangePassword"], …}` passes.
    pub static RULE = {
        id: "iam-allow-not-action",
        title: "An Allow uses NotAction or NotResource",
        severity: High,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(principals) = principals(ctx, out) else {
        return;
    };
    let catalogue = cartguard_iam::catalogue();
    super::unreadable_customer_policies(principals, out);
    for (policy, resource, discriminator) in customer_policies(principals) {
        for statement in policy
            .statements
            .iter()
            .filter(|s| s.effect == cartguard_iam::Effect::Allow)
        {
            let (not_action, not_resource) =
                (statement.actions.negated, statement.resources.negated);
            if !not_action && !not_resource {
                continue;
            }
            let granted = catalogue.statement_actions(statement).actions.count();
            let element = match (not_action, not_resource) {
                (true, true) => "NotAction and NotResource",
                (true, false) => "NotAction",
                _ => "NotResource",
            };
            out.fail(Failure {
                detail: format!(
                    "Statement {}{} of {} allows with {element}: it grants {} of the {} catalogued actions{}.",
                    statement.index,
                    statement.sid.as_deref().map(|s| format!(" ({s})")).unwrap_or_default(),
                    policy_label(&policy.name),
                    granted,
                    catalogue.len(),
                    if not_resource { " on every resource except those listed" } else { "" }
                ),
                evidence: json!({"source": "policy document", "policy": policy.name.as_ref(), "statement_index": statement.index, "statement": statement.source, "deciding": ["Effect", "NotAction"], "actions_granted": granted}),
                remediation: "Rewrite the statement as an Allow of the specific actions and resources needed (Action/Resource lists); use NotAction only in Deny statements.".into(),
                discriminator: Some(format!("{}#{}", discriminator.as_deref().unwrap_or(""), statement.index)),
                ..Failure::global(resource.clone())
            });
        }
    }
}
