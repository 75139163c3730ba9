use serde_json::json;

use super::{RootEvidence, root_evidence, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether the root user has an MFA device, from `mfa_active` in the
    /// `<root_account>` row of the credential report, or, when the report has no root
    /// row, from `AccountMFAEnabled` in the account summary.
    ///
    /// ## Why it matters
    /// Without MFA the whole account, including every store database and payment
    /// integration, is one phished or reused password away from takeover. PCI DSS
    /// requires MFA for all administrative access.
    ///
    /// ## Severity
    /// Always critical: the root user's password alone opens the whole account.
    ///
    /// ## How to fix
    /// Sign in as root, open *Security credentials* → *Multi-factor authentication*
    /// and assign a device, preferably a hardware key (FIDO2 security key or hardware
    /// TOTP token). Check with:
    ///
    /// ```sh
    /// aws iam get-account-summary --query 'SummaryMap.AccountMFAEnabled'
    /// ```
    ///
    /// ## Example
    /// A root row with `mfa_active=false` fails; `mfa_active=true` passes.
    pub static RULE = {
        id: "iam-root-no-mfa",
        title: "The root user has no MFA",
        severity: Critical,
        area: Iam,
        evidence: [super::ROOT_USER],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(root) = root_evidence(ctx, out) else {
        return;
    };
    let fix = "Sign in as root, open Security credentials > Multi-factor authentication, and assign a hardware security key (FIDO2) or hardware TOTP token.";
    let (has_mfa, evidence) = match root {
        RootEvidence::Row(row) => (
            row.mfa_active,
            row_evidence(row, &["mfa_active", "password_last_used"]),
        ),
        RootEvidence::Summary(summary) => (
            summary.get("AccountMFAEnabled").copied().unwrap_or(0) > 0,
            json!({"source": "account summary", "AccountMFAEnabled": summary.get("AccountMFAEnabled")}),
        ),
    };
    if !has_mfa {
        out.fail(Failure {
            detail: "The root user has no MFA device.".into(),
            evidence,
            remediation: fix.into(),
            ..Failure::global(ctx.account.root_arn())
        });
    }
}
