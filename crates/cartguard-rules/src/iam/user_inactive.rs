use serde_json::json;

use super::{all_users, credential_report, day, last_activity, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every IAM user that holds a credential (a console password or an active access
    /// key) must have used one of them within the last 90 days; a user that never used
    /// any must have been created within that window. The threshold is shared with
    /// `iam-access-key-unused` (`--unused-days`, 90 by default as in PCI DSS 8.2.6; CIS
    /// asks for 45), and each finding states it.
    ///
    /// ## Why it matters
    /// Accounts of people who left, or of integrations nobody runs any more, keep
    /// their access until someone removes it; they are the classic way in for a former
    /// contractor or an attacker with an old password dump.
    ///
    /// ## Severity
    /// Always medium: only users whose password or access keys still work are
    /// judged.
    ///
    /// ## How to fix
    /// Confirm with the owner, then remove the credentials (or the user):
    ///
    /// ```sh
    /// aws iam delete-login-profile --user-name contractor-jo
    /// aws iam update-access-key --user-name contractor-jo --access-key-id AKIA… --status Inactive
    /// ```
    ///
    /// ## Example
    /// A user with a password last used `2026-02-01` and no used keys fails with
    /// `--now 2026-11-20T12:00:00Z`; a user who signed in last week passes.
    pub static RULE = {
        id: "iam-user-inactive",
        title: "A user with credentials has been inactive for 90 days",
        severity: Medium,
        area: Iam,
        evidence: [super::CREDENTIAL_REPORT],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(report) = credential_report(ctx, out, &all_users(ctx)) else {
        return;
    };
    let limit = ctx.settings.unused_credential_days;
    for row in report.users() {
        let has_credential = row.has_password() || row.active_keys().next().is_some();
        if !has_credential {
            continue;
        }
        let (reference, what) = match last_activity(row) {
            Some(last) => (
                last,
                format!("last used a credential on {}", day(Some(last), "")),
            ),
            None => match row.user_creation_time {
                Some(created) => (
                    created,
                    format!(
                        "has never used a credential since being created on {}",
                        day(Some(created), "")
                    ),
                ),
                None => {
                    out.not_assessed(
                        &row.arn,
                        "global",
                        format!(
                            "the credential report gives no activity or creation date for {}",
                            row.user
                        ),
                    );
                    continue;
                }
            },
        };
        let idle = ctx.days_since(reference);
        if idle <= limit {
            continue;
        }
        let mut evidence = row_evidence(
            row,
            &[
                "user_creation_time",
                "password_enabled",
                "password_last_used",
                "access_key_1_active",
                "access_key_1_last_used_date",
                "access_key_2_active",
                "access_key_2_last_used_date",
            ],
        );
        evidence["idle_days"] = json!(idle);
        evidence["threshold_days"] = json!(limit);
        let mut steps = Vec::new();
        if row.has_password() {
            steps.push(format!(
                "aws iam delete-login-profile --user-name {}",
                row.user
            ));
        }
        if row.active_keys().next().is_some() {
            steps.push(format!("aws iam update-access-key --user-name {} --access-key-id <each active key> --status Inactive", row.user));
        }
        out.fail(Failure {
            detail: format!("User {} {what}, {idle} days ago (threshold {limit} days), yet still holds credentials.", row.user),
            evidence,
            remediation: format!("Confirm with the owner that {} is no longer needed, then: {}.", row.user, steps.join("; ")),
            ..Failure::global(row.arn.clone())
        });
    }
}
