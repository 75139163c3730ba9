use cartguard_inventory::Collected;
use cartguard_inventory::iam;
use serde_json::json;

use crate::{Context, Emitter, Failure, declare_rule};

const MIN_LENGTH: i64 = 14;
const MIN_REUSE_PREVENTION: i64 = 24;

declare_rule! {
    /// ## What it checks
    /// The account password policy (`get-account-password-policy`) must exist, require
    /// at least 14 characters (`MinimumPasswordLength`) and prevent the reuse of the
    /// last 24 passwords (`PasswordReusePrevention`). `NoSuchEntity` — no policy at
    /// all — fails.
    ///
    /// ## Why it matters
    /// Without a policy, IAM users may pick an 8-character password they reuse
    /// elsewhere; length is what resists guessing and credential stuffing, and reuse
    /// prevention stops a rotation from going back to a leaked password.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws iam update-account-password-policy --minimum-password-length 14 \
    ///   --password-reuse-prevention 24 --require-symbols --require-numbers \
    ///   --require-uppercase-characters --require-lowercase-characters \
    ///   --allow-users-to-change-password
    /// ```
    ///
    /// ## Example
    /// `{"PasswordPolicy": {"MinimumPasswordLength": 8, "PasswordReusePrevention": 5}}`
    /// fails; `{"MinimumPasswordLength": 14, "PasswordReusePrevention": 24}` passes.
    pub static RULE = {
        id: "iam-password-policy-weak",
        title: "The account password policy is missing or weak",
        severity: Medium,
        area: Iam,
        evidence: [&[iam::GET_ACCOUNT_PASSWORD_POLICY]],
        check: check,
    };
}

const FIX: &str = "aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password";

fn check(ctx: &Context, out: &mut Emitter) {
    let resource = format!("arn:aws:iam::{}:account-password-policy", ctx.account.id);
    let collected = &ctx.account.iam.password_policy;
    if let Collected::NotConfigured { code } = collected {
        out.fail(Failure {
            detail: "The account has no IAM password policy, so IAM users may choose any password of 8 characters or more and reuse old ones.".into(),
            evidence: json!({"source": "get-account-password-policy", "Error": {"Code": code}}),
            remediation: FIX.into(),
            ..Failure::global(resource)
        });
        return;
    }
    let Some(policy) = out.require(
        collected,
        &iam::GET_ACCOUNT_PASSWORD_POLICY.global(),
        &resource,
        "global",
    ) else {
        return;
    };
    let mut weaknesses = Vec::new();
    match policy.minimum_password_length {
        Some(n) if n >= MIN_LENGTH => {}
        Some(n) => weaknesses.push(format!("minimum length is {n} (needs {MIN_LENGTH})")),
        None => weaknesses.push(format!("no minimum length is set (needs {MIN_LENGTH})")),
    }
    match policy.password_reuse_prevention {
        Some(n) if n >= MIN_REUSE_PREVENTION => {}
        Some(n) => weaknesses.push(format!(
            "only the last {n} passwords are remembered (needs {MIN_REUSE_PREVENTION})"
        )),
        None => weaknesses.push(format!(
            "password reuse is not prevented (needs {MIN_REUSE_PREVENTION})"
        )),
    }
    if weaknesses.is_empty() {
        return;
    }
    out.fail(Failure {
        detail: format!(
            "The account password policy is weak: {}.",
            weaknesses.join("; ")
        ),
        evidence: json!({"source": "get-account-password-policy", "PasswordPolicy": policy}),
        remediation: FIX.into(),
        ..Failure::global(resource)
    });
}
