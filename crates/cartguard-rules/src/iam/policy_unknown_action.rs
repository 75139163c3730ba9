use serde_json::json;

use super::{customer_policies, policy_label, principals};
use crate::{Context, Emitter, Failure, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a statement of the account's own policies names actions that match
    /// nothing in the IAM action catalogue (AWS's Service Authorization Reference,
    /// dated; see `crates/cartguard-iam/data`): a typo (`s3:DeleteObjects`), an
    /// action AWS dropped from a service, a wrong service prefix, or an action newer
    /// than the catalogue. In a `Deny` the unknown action protects nothing (medium);
    /// in an `Allow` it grants nothing (low). The actions of services AWS has retired
    /// from the reference (DeepRacer, CodeStar, …) are real names and stay known, so
    /// copies of AWS's own managed policies that still name them pass. "Unknown" is
    /// the catalogue's one answer (`Catalogue::knows`), the same that `cartguard iam
    /// can` warns on.
    ///
    /// ## Why it matters
    /// IAM accepts any action name without complaint. A misspelled action in a Deny
    /// means the restriction the reviewer sees on paper does not exist; in an Allow it
    /// hides which permission was really meant.
    ///
    /// ## Severity
    /// Medium when the unknown action is in a Deny (the restriction does not
    /// exist); low when it is in an Allow (it grants nothing, but hides what was
    /// meant).
    ///
    /// ## How to fix
    /// Correct the name against the Service Authorization Reference, or remove it:
    ///
    /// ```sh
    /// aws iam create-policy-version --policy-arn arn:aws:iam::111122223333:policy/app --set-as-default \
    ///   --policy-document file://corrected.json
    /// ```
    ///
    /// ## Example
    /// `{"Effect": "Deny", "Action": "s3:DeleteObjects", "Resource": "*"}` fails (the
    /// action is `s3:DeleteObject`); `{"Effect": "Deny", "Action": "s3:DeleteObject", …}` passes.
    pub static RULE = {
        id: "iam-policy-unknown-action",
        title: "A policy names actions that do not exist",
        severity: Medium,
        lowest: Low,
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
        for statement in &policy.statements {
            let unknown = &catalogue.statement_actions(statement).unknown;
            if unknown.is_empty() {
                continue;
            }
            let deny = statement.effect == cartguard_iam::Effect::Deny;
            out.fail(Failure {
                detail: format!(
                    "Statement {}{} of {} ({}) names {}, which {} no IAM action{}.",
                    statement.index,
                    statement.sid.as_deref().map(|s| format!(" ({s})")).unwrap_or_default(),
                    policy_label(&policy.name),
                    if deny { "Deny" } else { "Allow" },
                    unknown.join(", "),
                    if unknown.len() == 1 { "matches" } else { "match" },
                    if deny { ": the restriction it was meant to impose does not exist" } else { "" }
                ),
                evidence: json!({
                    "source": "policy document and IAM action catalogue",
                    "policy": policy.name.as_ref(),
                    "statement_index": statement.index,
                    "statement": statement.source,
                    "deciding": [if statement.actions.negated { "NotAction" } else { "Action" }],
                    "unknown_actions": unknown,
                    "catalogue": {"reference": catalogue.source().reference, "package": catalogue.source().package, "version": catalogue.source().version, "date": catalogue.source().date},
                }),
                remediation: format!("Correct or remove {} in {} (check the names in the Service Authorization Reference).", unknown.join(", "), policy_label(&policy.name)),
                discriminator: Some(format!("{}#{}", discriminator.as_deref().unwrap_or(""), statement.index)),
                severity: (!deny).then_some(Severity::Low),
                ..Failure::global(resource.clone())
            });
        }
    }
}
