use serde_json::json;

use super::TRAIL_LIST;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every trail (`describe-trails`, each trail once however many regions list
    /// it) must have `LogFileValidationEnabled: true`. A region whose trail list
    /// cannot be read is reported `not-assessed`.
    ///
    /// ## Why it matters
    /// With validation, CloudTrail writes a signed digest of every log file each
    /// hour; without it, whoever can write to the log bucket can delete or edit the
    /// records of what they did and nobody can prove it.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws cloudtrail update-trail --name <trail> --enable-log-file-validation
    /// aws cloudtrail validate-logs --trail-arn <trail ARN> --start-time 2026-11-01T00:00:00Z
    /// ```
    ///
    /// ## Example
    /// `"LogFileValidationEnabled": false` fails; `true` passes.
    pub static RULE = {
        id: "cloudtrail-no-log-validation",
        title: "CloudTrail log file validation is off",
        severity: Medium,
        area: Logging,
        evidence: [TRAIL_LIST],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for trail in super::each_trail(ctx, out) {
        if trail.trail.log_file_validation_enabled == Some(true) {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "Trail {} has log file validation off (LogFileValidationEnabled is {}): its log files carry no signed digest, so an edit or deletion in bucket {} cannot be detected.{}",
                trail.trail.name,
                trail
                    .trail
                    .log_file_validation_enabled
                    .map_or("absent".to_string(), |v| v.to_string()),
                trail.trail.s3_bucket_name.as_deref().unwrap_or("(none named)"),
                trail.organization_note(&ctx.account.id),
            ),
            evidence: json!({"source": "cloudtrail describe-trails", "trail": trail.settings()}),
            remediation: format!(
                "aws cloudtrail update-trail --name {} --enable-log-file-validation --region {}",
                trail.arn, trail.home
            ),
            region: trail.home.clone(),
            ..Failure::global(trail.arn.clone())
        });
    }
}
