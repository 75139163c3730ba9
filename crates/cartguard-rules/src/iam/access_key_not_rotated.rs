use serde_json::json;

use super::{all_users, credential_report, day, key_id, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every active access key of an IAM user (`access_key_N_active=true` in the
    /// credential report) must have been created or rotated within the last 90 days
    /// (`access_key_N_last_rotated`), counted back from the scan's "now".
    ///
    /// ## Why it matters
    /// A key that lives for years has been copied into CI settings, laptops and old
    /// deployments; the longer it lives, the more likely it has leaked, and PCI DSS
    /// 8.3.9 / 8.6.3 ask for periodic change of such credentials.
    ///
    /// ## Severity
    /// Always high: only active keys are judged, and an old active key is as usable
    /// as the day it was made.
    ///
    /// ## How to fix
    /// Create a second key, move every consumer to it, deactivate the old key, and
    /// delete it once nothing fails. Better, replace the user with a role:
    ///
    /// ```sh
    /// aws iam create-access-key --user-name deploy
    /// aws iam update-access-key --user-name deploy --access-key-id AKIA… --status Inactive
    /// aws iam delete-access-key --user-name deploy --access-key-id AKIA…
    /// ```
    ///
    /// ## Example
    /// With `--now 2026-11-20T12:00:00Z`, an active key with
    /// `access_key_1_last_rotated=2025-01-10T…` fails; one rotated on `2026-10-01` passes.
    pub static RULE = {
        id: "iam-access-key-not-rotated",
        title: "An active access key is older than 90 days",
        severity: High,
        area: Iam,
        evidence: [super::CREDENTIALS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(report) = credential_report(ctx, out, &all_users(ctx)) else {
        return;
    };
    let limit = ctx.settings.key_rotation_days;
    for row in report.users() {
        for (slot, key) in row.active_keys() {
            let Some(rotated) = key.last_rotated else {
                out.not_assessed(&row.arn, "global", format!("the credential report gives no last-rotated date for access key {slot} of {}", row.user));
                continue;
            };
            let age = ctx.days_since(rotated);
            if age <= limit {
                continue;
            }
            let id = key_id(ctx, row, key);
            let mut evidence = row_evidence(row, &[&format!("access_key_{slot}_")]);
            evidence["access_key_id"] = json!(id);
            evidence["age_days"] = json!(age);
            evidence["threshold_days"] = json!(limit);
            let id_text = id.unwrap_or("<key id>");
            out.fail(Failure {
                detail: format!(
                    "Access key {slot} of {} ({}) was created or last rotated on {}, {age} days ago (limit {limit}).",
                    row.user,
                    id.unwrap_or("id not collected"),
                    day(Some(rotated), "")
                ),
                evidence,
                remediation: format!(
                    "aws iam create-access-key --user-name {user}; move every consumer to the new key; then aws iam update-access-key --user-name {user} --access-key-id {id_text} --status Inactive and, once nothing breaks, aws iam delete-access-key --user-name {user} --access-key-id {id_text}.",
                    user = row.user
                ),
                discriminator: Some(format!("key{slot}")),
                ..Failure::global(row.arn.clone())
            });
        }
    }
}
