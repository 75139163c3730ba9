use super::{all_users, credential_report, day, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether an IAM user has both of its access key slots active
    /// (`access_key_1_active` and `access_key_2_active` both `true` in the credential
    /// report).
    ///
    /// ## Why it matters
    /// Two active keys are normal only for the hours of a rotation. Left in place,
    /// they double the secrets to protect, and usually mean the old key was never
    /// retired after a rotation.
    ///
    /// ## Severity
    /// Always low: both keys are the user's own; the finding is about keeping track
    /// of them.
    ///
    /// ## How to fix
    /// Find which key is still used (`aws iam get-access-key-last-used`), move its
    /// consumers to one key, then deactivate and delete the other:
    ///
    /// ```sh
    /// aws iam get-access-key-last-used --access-key-id AKIA…
    /// aws iam update-access-key --user-name deploy --access-key-id AKIA… --status Inactive
    /// ```
    ///
    /// ## Example
    /// A row with `access_key_1_active=true` and `access_key_2_active=true` fails; one
    /// active key passes.
    pub static RULE = {
        id: "iam-user-multiple-active-keys",
        title: "A user has two active access keys",
        severity: Low,
        area: Iam,
        evidence: [super::CREDENTIAL_REPORT],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(report) = credential_report(ctx, out, &all_users(ctx)) else {
        return;
    };
    for row in report.users().filter(|r| r.active_keys().count() == 2) {
        let [one, two] = &row.access_keys;
        out.fail(Failure {
            detail: format!(
                "User {} has two active access keys (key 1 last used {}, key 2 last used {}).",
                row.user,
                day(one.last_used, "never"),
                day(two.last_used, "never")
            ),
            evidence: row_evidence(row, &["access_key_1_", "access_key_2_"]),
            remediation: format!(
                "Check which key is in use with aws iam get-access-key-last-used, move consumers to it, then aws iam update-access-key --user-name {} --access-key-id <other key> --status Inactive and delete it.",
                row.user
            ),
            ..Failure::global(row.arn.clone())
        });
    }
}
