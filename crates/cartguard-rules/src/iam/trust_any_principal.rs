use cartguard_iam::condition::Condition;
use cartguard_iam::policy::PrincipalEntry;
use cartguard_iam::trust::{
    assume_actions, condition_text, has_wildcard, only_wildcards, operator_gap, requiring_operator,
};
use cartguard_iam::{Arn, Effect};
use serde_json::json;

use super::{principals, trust_evidence, trust_policies};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every `Allow` statement of every role's trust policy that lets a caller
    /// assume the role (`sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity`,
    /// `sts:AssumeRoleWithSAML`, `sts:TagSession`, or a wildcard covering them)
    /// and names everyone as its principal — `"Principal": "*"`,
    /// `{"AWS": "*"}`, or a `NotPrincipal` (everyone but the listed) — must carry a
    /// condition that narrows who the caller can be: `aws:PrincipalOrgID`,
    /// `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID` or `aws:userid`,
    /// compared with a positive operator (`StringEquals`, `StringLike`,
    /// `ArnEquals`, `ArnLike`, `ForAnyValue:…`) against values that name a real
    /// organization, account or identity. These do not narrow: negated operators
    /// (`StringNotEquals`), `…IfExists` and `ForAllValues:` (they hold when the key
    /// is absent), `Null`, values that are only wildcards (`"*"` with
    /// `StringLike`), and ARNs whose account is a wildcard
    /// (`arn:aws:iam::*:role/deploy` — anyone can create a role named `deploy`).
    /// Other conditions (`aws:SourceIp`, `sts:ExternalId`) do not say who the
    /// caller is and do not count. A role whose trust policy is missing from the
    /// evidence or does not parse is `not-assessed`.
    ///
    /// ## Why it matters
    /// A role that trusts `*` can be assumed by any principal in any AWS account in
    /// the world; whoever finds its ARN gets its permissions. Access to the
    /// cardholder data environment must be granted only to the identities that need
    /// it (PCI DSS 7.2.5, 7.3.1).
    ///
    /// ## Severity
    /// Always critical: a statement that narrows the caller with a condition
    /// passes, so every failure admits any account.
    ///
    /// ## How to fix
    /// Name the principals that need the role, or keep `*` and pin the caller's
    /// organization, then apply the new trust policy:
    ///
    /// ```json
    /// {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
    ///  "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    /// ```
    ///
    /// ```sh
    /// aws iam update-assume-role-policy --role-name shared-reader --policy-document file://shared-reader-trust.json
    /// ```
    ///
    /// ## Example
    /// A role trusting `{"AWS": "*"}` for `sts:AssumeRole` with no condition fails,
    /// and so does one whose only condition is `StringLike aws:PrincipalArn
    /// arn:aws:iam::*:role/deploy`; the same statement with `StringEquals
    /// aws:PrincipalOrgID o-a1b2c3d4e5` passes, as does a role trusting
    /// `{"Service": "ec2.amazonaws.com"}`.
    pub static RULE = {
        id: "iam-trust-any-principal",
        title: "A role trusts any principal",
        severity: Critical,
        area: Iam,
        evidence: [cartguard_iam::EVIDENCE],
        check: check,
    };
}

const NARROWING_KEYS: [&str; 8] = [
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:userid",
];

/// Why a value of a narrowing key does not narrow, if it does not.
fn value_too_wide(key: &str, value: &str, wildcards: bool) -> Option<&'static str> {
    if only_wildcards(value, wildcards) || value.is_empty() {
        return Some("matches every caller");
    }
    let literal = |part: &str| !part.is_empty() && !has_wildcard(part, wildcards);
    let narrow = match key {
        "aws:principalorgpaths" => literal(value.split('/').next().unwrap_or_default()),
        "aws:userid" => literal(value.split(':').next().unwrap_or_default()),
        "aws:principalarn" | "aws:sourcearn" => match Arn::parse(value) {
            Some(arn) if !arn.account.is_empty() => literal(arn.account),
            Some(arn) => arn
                .resource
                .chars()
                .next()
                .is_some_and(|c| !has_wildcard(c.encode_utf8(&mut [0; 4]), wildcards)),
            None => literal(value),
        },
        _ => literal(value),
    };
    if narrow {
        None
    } else if key.ends_with("arn") {
        Some("names no particular account")
    } else {
        Some("is a wildcard pattern that does not name one organization, account or identity")
    }
}

/// Whether a condition narrows the caller; otherwise why not.
fn narrows(condition: &Condition) -> Result<(), String> {
    let key = condition.key_lower();
    let Some(wildcards) = requiring_operator(condition) else {
        return Err(format!(
            "{} does not narrow: {}",
            condition_text(condition),
            operator_gap(condition)
        ));
    };
    for value in &condition.values {
        if let Some(why) = value_too_wide(key, value, wildcards) {
            return Err(format!(
                "{} does not narrow: {value:?} {why}",
                condition_text(condition)
            ));
        }
    }
    Ok(())
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(principals) = principals(ctx, out) else {
        return;
    };
    for (role, policy) in trust_policies(principals, out) {
        for statement in policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let Some(clause) = &statement.principals else {
                continue;
            };
            let everyone = clause.entries.contains(&PrincipalEntry::Everyone);
            if everyone == clause.negated {
                // Neither `*` nor "everyone but": the principals are named.
                continue;
            }
            let actions = assume_actions(statement);
            if actions.is_empty() {
                continue;
            }
            let mut rejected = Vec::new();
            let mut narrowed = false;
            for condition in statement
                .conditions
                .iter()
                .filter(|c| NARROWING_KEYS.contains(&c.key_lower()))
            {
                match narrows(condition) {
                    Ok(()) => narrowed = true,
                    Err(why) => rejected.push(why),
                }
            }
            if narrowed {
                continue;
            }
            let who = if clause.negated {
                "every principal not listed in its NotPrincipal".to_string()
            } else {
                "\"*\" (every principal in every AWS account)".to_string()
            };
            let conditions = if statement.conditions.is_empty() {
                "with no condition".to_string()
            } else if rejected.is_empty() {
                "with no condition on who the caller is (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, …)".to_string()
            } else {
                format!(
                    "with no condition that narrows the caller ({})",
                    rejected.join("; ")
                )
            };
            let mut evidence = trust_evidence(principals, role, policy, statement);
            evidence["actions"] = json!(actions);
            out.fail(Failure {
                detail: format!(
                    "Statement {}{} of the trust policy of role {} lets {} call {} {}: anyone who learns the role's ARN can assume it.",
                    statement.index,
                    statement
                        .sid
                        .as_deref()
                        .map(|s| format!(" (Sid {s})"))
                        .unwrap_or_default(),
                    role.name,
                    who,
                    actions.join(", "),
                    conditions
                ),
                evidence,
                remediation: format!(
                    "In statement {} of the trust policy of {}, replace the principal with the accounts or roles that need the role (e.g. {{\"AWS\": \"arn:aws:iam::{}:role/<caller>\"}}), or add \"Condition\": {{\"StringEquals\": {{\"aws:PrincipalOrgID\": \"<your organization id>\"}}}}; then apply it with aws iam update-assume-role-policy --role-name {} --policy-document file://{}-trust.json.",
                    statement.index,
                    role.name,
                    role.account.as_deref().unwrap_or(&ctx.account.id),
                    role.name,
                    role.name
                ),
                discriminator: Some(format!("statement {}", statement.index)),
                ..Failure::global(role.arn.clone())
            });
        }
    }
}
