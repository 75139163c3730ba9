use serde_json::json;

use super::{RootEvidence, day, root_evidence, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether the root user of the account has an active access key, from the
    /// `<root_account>` row of the IAM credential report (`access_key_1_active`,
    /// `access_key_2_active`), or, when the report has no root row, from
    /// `AccountAccessKeysPresent` in the account summary.
    ///
    /// ## Why it matters
    /// A root access key can do anything in the account, cannot be restricted by IAM
    /// policies or permissions boundaries, and is a long-lived secret that ends up in
    /// scripts and laptops; anyone who finds it owns the account and its card data.
    ///
    /// ## Severity
    /// Always critical: a root key signs any request in the account, and no policy
    /// can limit it.
    ///
    /// ## How to fix
    /// Sign in as the root user, open *Security credentials*, and delete the access
    /// keys (first deactivate them and check nothing breaks). Give automation an IAM
    /// role instead. Then confirm with:
    ///
    /// ```sh
    /// aws iam get-account-summary --query 'SummaryMap.AccountAccessKeysPresent'
    /// ```
    ///
    /// ## Example
    /// A credential report row `<root_account>,…,access_key_1_active=true,…` fails;
    /// a root row with both `access_key_N_active=false` passes.
    pub static RULE = {
        id: "iam-root-access-keys",
        title: "The root user has an active access key",
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
    let fix = "Sign in as root, open Security credentials, deactivate and then delete every root access key; give automation an IAM role instead.";
    match root {
        RootEvidence::Row(row) => {
            let active: Vec<String> = row
                .active_keys()
                .map(|(slot, key)| {
                    format!(
                        "key {slot} (created {}, last used {})",
                        day(key.last_rotated, "unknown"),
                        day(key.last_used, "never")
                    )
                })
                .collect();
            if !active.is_empty() {
                out.fail(Failure {
                    detail: format!(
                        "The root user has {} active access key(s): {}.",
                        active.len(),
                        active.join(", ")
                    ),
                    evidence: row_evidence(
                        row,
                        &[
                            "access_key_1_active",
                            "access_key_1_last",
                            "access_key_2_active",
                            "access_key_2_last",
                        ],
                    ),
                    remediation: fix.into(),
                    ..Failure::global(ctx.account.root_arn())
                });
            }
        }
        RootEvidence::Summary(summary) => {
            if summary
                .get("AccountAccessKeysPresent")
                .copied()
                .unwrap_or(0)
                > 0
            {
                out.fail(Failure {
                    detail: "The account summary reports root access keys present (AccountAccessKeysPresent = 1).".into(),
                    evidence: json!({"source": "account summary", "AccountAccessKeysPresent": summary.get("AccountAccessKeysPresent")}),
                    remediation: fix.into(),
                    ..Failure::global(ctx.account.root_arn())
                });
            }
        }
    }
}
