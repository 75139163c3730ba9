use serde_json::json;

use super::TRAIL_LIST;
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every trail (`describe-trails`) must encrypt its log files with a KMS key
    /// (`KmsKeyId` set). CloudTrail accepts only customer-managed symmetric keys
    /// (it cannot use an AWS-managed key), so a trail with a `KmsKeyId` uses a
    /// customer-managed key; a trail without one relies on the bucket's default
    /// encryption (SSE-S3), so reading the bucket is enough to read the logs. The key
    /// may live in another account (a central logging account). Whether the key is
    /// enabled and rotated is for the KMS rules to say.
    ///
    /// ## Why it matters
    /// With SSE-KMS, reading the logs needs both the bucket and the key: the key
    /// policy becomes a second lock that a leaked bucket permission alone does not
    /// open, and every decryption is itself logged.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws kms create-key --description "CloudTrail logs"   # allow cloudtrail.amazonaws.com in its policy
    /// aws cloudtrail update-trail --name <trail> --kms-key-id <key ARN>
    /// ```
    ///
    /// ## Example
    /// A trail without `KmsKeyId` fails; one with
    /// `"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/…"` passes.
    pub static RULE = {
        id: "cloudtrail-not-kms",
        title: "CloudTrail logs are not encrypted with a customer-managed KMS key",
        severity: Medium,
        area: Logging,
        evidence: [TRAIL_LIST],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for trail in super::each_trail(ctx, out) {
        if trail
            .trail
            .kms_key_id
            .as_deref()
            .is_some_and(|k| !k.is_empty())
        {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "Trail {} writes its log files to bucket {} without a KMS key (no KmsKeyId): they are protected only by the bucket's own encryption and policy.{}",
                trail.trail.name,
                trail.trail.s3_bucket_name.as_deref().unwrap_or("(none named)"),
                trail.organization_note(&ctx.account.id),
            ),
            evidence: json!({"source": "cloudtrail describe-trails", "trail": trail.settings()}),
            remediation: format!(
                "aws cloudtrail update-trail --name {} --kms-key-id <customer-managed key ARN whose policy allows cloudtrail.amazonaws.com> --region {}",
                trail.arn, trail.home
            ),
            region: trail.home.clone(),
            ..Failure::global(trail.arn.clone())
        });
    }
}
