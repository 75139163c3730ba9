use serde_json::json;

use super::{all_users, credential_report, day, key_id, row_evidence};
use crate::{Context, Emitter, Failure, declare_rule};

/// A key never used this many days after creation counts as unused.
const NEVER_USED_GRACE_DAYS: i64 = 7;

declare_rule! {
    /// ## What it checks
    /// Every active access key of an IAM user must have been used within the last 90
    /// days (`access_key_N_last_used_date`); a key that was never used must not be
    /// older than 7 days. The 90-day threshold follows PCI DSS 8.2.6; CIS asks for 45
    /// days — pass `--unused-days 45` to apply it. Each finding states the threshold
    /// it used.
    ///
    /// ## Why it matters
    /// An active key nobody uses is pure risk: it grants access without serving any
    /// purpose, and its leak would go unnoticed because no legitimate use would be
    /// disturbed by revoking it.
    ///
    /// ## Severity
    /// Always medium: only active keys are judged.
    ///
    /// ## How to fix
    /// Deactivate the key, wait for complaints, then delete it:
    ///
    /// ```sh
    /// aws iam update-access-key --user-name ci-legacy --access-key-id AKIA… --status Inactive
    /// aws iam delete-access-key --user-name ci-legacy --access-key-id AKIA…
    /// ```
    ///
    /// ## Example
    /// With `--now 2026-11-20T12:00:00Z`, an active key last used `2026-03-02` fails
    /// (263 days); an active key with `last_used_date=N/A` created on `2026-11-18`
    /// passes (within the 7-day grace); one created on `2026-05-01` and never used fails.
    pub static RULE = {
        id: "iam-access-key-unused",
        title: "An active access key is unused",
        severity: Medium,
        area: Iam,
        evidence: [super::CREDENTIALS],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(report) = credential_report(ctx, out, &all_users(ctx)) else {
        return;
    };
    let limit = ctx.settings.unused_credential_days;
    for row in report.users() {
        for (slot, key) in row.active_keys() {
            let problem = match (key.last_used, key.last_rotated) {
                (Some(used), _) if ctx.days_since(used) > limit => format!(
                    "was last used on {}, {} days ago (threshold {limit} days)",
                    day(Some(used), ""),
                    ctx.days_since(used)
                ),
                (None, Some(created)) if ctx.days_since(created) > NEVER_USED_GRACE_DAYS => {
                    format!(
                        "has never been used although it was created on {}, {} days ago",
                        day(Some(created), ""),
                        ctx.days_since(created)
                    )
                }
                (None, None) => {
                    out.not_assessed(&row.arn, "global", format!("the credential report gives neither a last-used nor a creation date for access key {slot} of {}", row.user));
                    continue;
                }
                _ => continue,
            };
            let id = key_id(ctx, row, key);
            let mut evidence = row_evidence(row, &[&format!("access_key_{slot}_")]);
            evidence["access_key_id"] = json!(id);
            evidence["threshold_days"] = json!(limit);
            evidence["threshold_source"] = json!(if limit == 90 {
                "PCI DSS 8.2.6 (90 days); CIS AWS Foundations asks for 45 (--unused-days 45)"
            } else {
                "--unused-days"
            });
            let id_text = id.unwrap_or("<key id>");
            out.fail(Failure {
                detail: format!("Active access key {slot} of {} ({}) {problem}.", row.user, id.unwrap_or("id not collected")),
                evidence,
                remediation: format!(
                    "aws iam update-access-key --user-name {user} --access-key-id {id_text} --status Inactive; after a quiet period, aws iam delete-access-key --user-name {user} --access-key-id {id_text}.",
                    user = row.user
                ),
                discriminator: Some(format!("key{slot}")),
                ..Failure::global(row.arn.clone())
            });
        }
    }
}
