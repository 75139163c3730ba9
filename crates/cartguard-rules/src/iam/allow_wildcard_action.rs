use serde_json::json;

use super::{customer_policies, policy_label, principals};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every `Allow` statement of the account's own policies (customer managed and
    /// inline) is expanded against the IAM action catalogue; it fails when it grants
    /// every action (`*`) or every action of a service (`s3:*`, `dynamodb:*`). A
    /// pattern such as `s3:Get*` is not a whole service and passes. AWS managed
    /// policies are AWS's to maintain; granting them is judged by `iam-admin-access`.
    ///
    /// ## Why it matters
    /// `s3:*` includes `s3:DeleteBucket`, `s3:PutBucketPolicy` and
    /// `s3:PutBucketPublicAccessBlock`: an application that only reads product images
    /// can then make the order-export bucket public. PCI DSS 7.2.2 and 7.2.5 ask that
    /// privileges be limited to what is needed.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    /// List the actions the workload really uses (IAM Access Analyzer can generate a
    /// policy from CloudTrail activity) and replace the wildcard:
    ///
    /// ```json
    /// {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::shop-media/*"}
    /// ```
    ///
    /// ## Example
    /// `{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}` fails;
    /// `{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::shop-media/*"}` passes.
    pub static RULE = {
        id: "iam-allow-wildcard-action",
        title: "An Allow grants all actions or a whole service",
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
    super::unreadable_customer_policies(principals, out);
    for (policy, resource, discriminator) in customer_policies(principals) {
        for statement in &policy.statements {
            let wildcards = cartguard_iam::catalogue().whole_service_grants(statement);
            if wildcards.is_empty() {
                continue;
            }
            out.fail(Failure {
                detail: format!(
                    "Statement {}{} of {} allows {}.",
                    statement.index,
                    statement.sid.as_deref().map(|s| format!(" ({s})")).unwrap_or_default(),
                    policy_label(&policy.name),
                    wildcards.iter().map(|w| if w == "*" { "every action".to_string() } else { format!("every action of {} ({w})", w.split(':').next().unwrap_or(w)) }).collect::<Vec<_>>().join(" and ")
                ),
                evidence: json!({"source": "policy document", "policy": policy.name.as_ref(), "statement_index": statement.index, "statement": statement.source, "deciding": ["Action"], "wildcards": wildcards}),
                remediation: format!(
                    "Replace {} with the actions the workload uses (generate a policy from its CloudTrail activity with IAM Access Analyzer), scoped to its resources.",
                    wildcards.join(", ")
                ),
                discriminator: Some(format!("{}#{}", discriminator.as_deref().unwrap_or(""), statement.index)),
                ..Failure::global(resource.clone())
            });
        }
    }
}
