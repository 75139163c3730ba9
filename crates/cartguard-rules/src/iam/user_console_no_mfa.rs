use super::{all_users, credential_report, day, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every IAM user with a console password (`password_enabled=true` in the
    /// credential report) must have an MFA device (`mfa_active=true`).
    ///
    /// ## Why it matters
    /// A console password alone falls to phishing and credential stuffing; PCI DSS
    /// requires MFA for all non-console and console access into the cardholder data
    /// environment, and a store's admins can reach it from the console.
    ///
    /// ## Severity
    /// Always high: the user signs in with a password alone.
    ///
    /// ## How to fix
    /// Have the user enrol an MFA device, then enforce MFA with a policy that denies
    /// everything but MFA self-service while `aws:MultiFactorAuthPresent` is false.
    /// To see who is missing it:
    ///
    /// ```sh
    /// aws iam list-mfa-devices --user-name alice
    /// ```
    ///
    /// ## Example
    /// A row `alice,…,password_enabled=true,…,mfa_active=false` fails; a user without
    /// a password, or with `mfa_active=true`, passes.
    pub static RULE = {
        id: "iam-user-console-no-mfa",
        title: "A console user has no MFA",
        severity: High,
        area: Iam,
        evidence: [super::CREDENTIAL_REPORT],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(report) = credential_report(ctx, out, &all_users(ctx)) else {
        return;
    };
    for row in report.users().filter(|r| r.has_password() && !r.mfa_active) {
        out.fail(Failure {
            detail: format!(
                "User {} can sign in to the console with a password (last used {}) but has no MFA device.",
                row.user,
                day(row.password_last_used, "never")
            ),
            evidence: row_evidence(row, &["password_enabled", "password_last_used", "mfa_active"]),
            remediation: format!(
                "Have {} enrol an MFA device (IAM console > Users > {} > Security credentials > Assign MFA device), and attach a policy that denies all but MFA self-service when aws:MultiFactorAuthPresent is false.",
                row.user, row.user
            ),
            ..Failure::global(row.arn.clone())
        });
    }
}
