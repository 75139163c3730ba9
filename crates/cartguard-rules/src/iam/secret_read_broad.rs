use cartguard_iam::Tri;
use serde_json::json;

use super::{account_defined, analysed};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a principal that is not an administrator can read every secret:
    /// `secretsmanager:GetSecretValue` on all secrets, or `ssm:GetParameter`,
    /// `ssm:GetParameters` or `ssm:GetParametersByPath` on all parameters — granted
    /// on `"Resource": "*"` or on a pattern covering every secret or parameter of the
    /// account, after denies, boundaries and SCPs. Administrators are reported by
    /// `iam-admin-access`. Grants that hold only under a condition are reported as such.
    /// Service-linked roles (path `/aws-service-role/`) are out of scope: AWS
    /// defines their policies, IAM refuses to change them, and only their service
    /// assumes them.
    ///
    /// ## Why it matters
    /// The store's database password, payment provider keys and Shopify tokens live
    /// in these secrets; a principal that can read all of them can impersonate every
    /// service. Each workload should read only its own (PCI DSS 7.2.5, 8.6.3).
    ///
    /// ## Severity
    /// High when at least one grant holds whatever the request; medium when every
    /// grant holds only under conditions the evidence cannot settle, one level
    /// lower.
    ///
    /// ## How to fix
    /// Scope the grant to the workload's own secrets or parameter path:
    ///
    /// ```json
    /// {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
    ///  "Resource": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:magento/db-*"}
    /// ```
    ///
    /// ## Example
    /// A role with `ssm:GetParameter` on `*` (as in `AmazonSSMManagedInstanceCore`)
    /// fails; one with `ssm:GetParameter` on `arn:aws:ssm:eu-west-1:111122223333:parameter/app/*` passes.
    pub static RULE = {
        id: "iam-secret-read-broad",
        title: "A principal can read every secret or parameter",
        severity: High,
        lowest: Medium,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some((principals, analysis)) = analysed(ctx, out) else {
        return;
    };
    let account = &ctx.account.id;
    let reads = [
        (
            "secretsmanager:GetSecretValue",
            format!("arn:aws:secretsmanager:*:{account}:secret:*"),
        ),
        (
            "ssm:GetParameter",
            format!("arn:aws:ssm:*:{account}:parameter/*"),
        ),
        (
            "ssm:GetParameters",
            format!("arn:aws:ssm:*:{account}:parameter/*"),
        ),
        (
            "ssm:GetParametersByPath",
            format!("arn:aws:ssm:*:{account}:parameter/*"),
        ),
    ];
    for (index, principal) in account_defined(principals) {
        if analysis.admin[index].is_admin() {
            continue;
        }
        let effective = &analysis.effective[index];
        let catalogue = cartguard_iam::catalogue();
        let mut found = Vec::new();
        let mut conditional = true;
        for (action, everything) in &reads {
            let index = catalogue.index_of(action);
            for grant in effective
                .grants_of(action)
                .filter(|g| g.covers_pattern(everything))
            {
                let certain = index.is_some_and(|i| grant.certain.contains(i));
                conditional &= !certain;
                found.push((
                    action.to_string(),
                    grant.statement.clone(),
                    if certain { Tri::True } else { Tri::Unknown },
                ));
            }
        }
        if found.is_empty() {
            if let Some(reason) = principals.permissions_incomplete(principal) {
                out.not_assessed(&principal.arn, "global", reason);
            }
            continue;
        }
        let mut actions: Vec<&str> = found.iter().map(|(a, _, _)| a.as_str()).collect();
        actions.dedup();
        let mut granting: Vec<String> = found
            .iter()
            .map(|(_, s, _)| format!("statement {} of {}", s.index, s.policy))
            .collect();
        granting.sort();
        granting.dedup();
        out.fail(Failure {
            detail: format!(
                "{} can call {} on every secret or parameter{}, granted by {}.",
                principal.arn,
                actions.join(", "),
                if conditional { " when the grants' conditions hold" } else { "" },
                granting.join(", ")
            ),
            evidence: json!({
                "source": "policy evaluation",
                "principal": principal.arn,
                "grants": found.iter().map(|(a, s, t)| json!({"action": a, "unconditional": *t == Tri::True, "statement": principals.quote(s).deciding(cartguard_iam::GRANTING)})).collect::<Vec<_>>(),
            }),
            remediation: format!(
                "Scope {} of {} to its own secrets (arn:aws:secretsmanager:<region>:{account}:secret:<app>/*) or parameter path (arn:aws:ssm:<region>:{account}:parameter/<app>/*); for AWS managed policies such as AmazonSSMManagedInstanceCore, add a Deny on parameters outside that path.",
                actions.join(", "),
                principal.name
            ),
            proof: if conditional { Proof::Conditional } else { Proof::Proven },
            ..Failure::global(principal.arn.clone())
        });
    }
}
