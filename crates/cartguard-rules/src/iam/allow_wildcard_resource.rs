use serde_json::json;

use super::{customer_policies, policy_label, principals};
use crate::{Context, Emitter, Failure, declare_rule};

/// How many scopable actions a finding lists.
const SHOWN: usize = 12;

declare_rule! {
    /// ## What it checks
    /// Whether an `Allow` statement of the account's own policies grants, on
    /// `"Resource": "*"`, actions that read or change data and accept resource-level
    /// permissions (per the IAM action catalogue: access level Read, Write,
    /// Permissions management or Tagging, e.g. `s3:GetObject`, `dynamodb:PutItem`,
    /// `secretsmanager:GetSecretValue`). Actions that only accept `*`
    /// (`s3:ListAllMyBuckets`) and List-level metadata calls (`ec2:DescribeInstances`,
    /// `rds:DescribeDBInstances`) are exempt, and statements that grant whole
    /// services are left to `iam-allow-wildcard-action`.
    ///
    /// ## Why it matters
    /// `dynamodb:PutItem` on `*` lets a service that should write one table write
    /// every table, including orders and customers. Scoping to resources is what
    /// keeps one compromised workload from reaching the others' data (PCI DSS 7.2.5).
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Name the resources:
    ///
    /// ```json
    /// {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/carts"}
    /// ```
    ///
    /// ## Example
    /// `{"Action": ["s3:GetObject"], "Resource": "*"}` fails;
    /// `{"Action": ["s3:ListAllMyBuckets", "ec2:DescribeInstances"], "Resource": "*"}` passes.
    pub static RULE = {
        id: "iam-allow-wildcard-resource",
        title: "An Allow of scopable actions uses Resource \"*\"",
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
    let catalogue = cartguard_iam::catalogue();
    super::unreadable_customer_policies(principals, out);
    for (policy, resource, discriminator) in customer_policies(principals) {
        for statement in &policy.statements {
            let everywhere = !statement.resources.negated
                && statement.resources.patterns.iter().any(|p| p.is_star());
            if statement.effect != cartguard_iam::Effect::Allow
                || statement.actions.negated
                || !everywhere
            {
                continue;
            }
            if !catalogue.whole_service_grants(statement).is_empty() {
                continue;
            }
            let expansion = catalogue.statement_actions(statement);
            let scopable: Vec<&str> = expansion
                .actions
                .iter()
                .filter_map(|i| catalogue.info(i))
                .filter(|info| {
                    info.supports_resource_level()
                        && info.access_level != cartguard_iam::AccessLevel::List
                })
                .map(|info| info.name)
                .collect();
            if scopable.is_empty() {
                continue;
            }
            out.fail(Failure {
                detail: format!(
                    "Statement {}{} of {} allows {} action(s) that accept resource-level permissions on every resource: {}{}.",
                    statement.index,
                    statement.sid.as_deref().map(|s| format!(" ({s})")).unwrap_or_default(),
                    policy_label(&policy.name),
                    scopable.len(),
                    scopable.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", "),
                    if scopable.len() > SHOWN { ", …" } else { "" }
                ),
                evidence: json!({"source": "policy document and IAM action catalogue", "policy": policy.name.as_ref(), "statement_index": statement.index, "statement": statement.source, "deciding": ["Action", "Resource"], "scopable_actions": scopable}),
                remediation: "Replace \"Resource\": \"*\" with the ARNs these actions need (tables, buckets, secrets, keys); keep * only for actions that accept nothing else.".into(),
                discriminator: Some(format!("{}#{}", discriminator.as_deref().unwrap_or(""), statement.index)),
                ..Failure::global(resource.clone())
            });
        }
    }
}
