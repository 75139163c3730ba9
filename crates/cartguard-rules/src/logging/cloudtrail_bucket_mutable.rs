use cartguard_inventory::s3;
use serde_json::json;

use super::{TRAIL_LIST, trail_buckets, trail_names};
use crate::data::{Answer, BUCKETS, answer, bucket_arn};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The S3 bucket every trail delivers to must keep log files from being
    /// erased: either S3 Object Lock is on with a default retention (so each
    /// log file CloudTrail writes is locked for that time), or versioning is on
    /// with MFA delete (so deleting a version or turning versioning off needs
    /// the root user's MFA device). The bucket's
    /// `get-object-lock-configuration` and `get-bucket-versioning` answers
    /// decide; a bucket of another account (a log archive) is not assessed
    /// here. Object Lock in `GOVERNANCE` mode counts, though a principal with
    /// `s3:BypassGovernanceRetention` can still delete: `COMPLIANCE` mode is
    /// the stronger choice.
    ///
    /// ## Why it matters
    /// Anyone who can delete objects in the bucket (an intruder with a
    /// stolen administrator key, a careless lifecycle rule) can make the audit
    /// trail of an incident disappear. PCI DSS asks that audit logs be
    /// protected from modification and promptly backed up to a place that is
    /// hard to alter.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Object Lock can be turned on for an existing bucket once versioning is
    /// on; then set a default retention:
    ///
    /// ```sh
    /// aws s3api put-bucket-versioning --bucket <trail-bucket> --versioning-configuration Status=Enabled
    /// aws s3api put-object-lock-configuration --bucket <trail-bucket> \
    ///   --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":365}}}'
    /// ```
    ///
    /// ## Example
    /// A trail bucket answering `ObjectLockConfigurationNotFoundError` and
    /// versioned without `"MFADelete": "Enabled"` fails; one with
    /// `"ObjectLockEnabled": "Enabled"` and a default retention passes.
    pub static RULE = {
        id: "cloudtrail-bucket-mutable",
        title: "The CloudTrail bucket lets log files be erased",
        severity: Medium,
        area: Logging,
        evidence: [
            TRAIL_LIST,
            BUCKETS,
            &[s3::GET_OBJECT_LOCK_CONFIGURATION, s3::GET_BUCKET_VERSIONING],
        ],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for (bucket, trails) in trail_buckets(ctx, out) {
        let Some(lock) = answer(
            out,
            &ctx.account.s3.object_lock,
            s3::GET_OBJECT_LOCK_CONFIGURATION,
            bucket,
        ) else {
            continue;
        };
        let lock = match lock {
            Answer::Present(lock) => Some(lock),
            Answer::NotConfigured(_) => None,
        };
        let retention = lock
            .filter(|l| l.object_lock_enabled.as_deref() == Some("Enabled"))
            .and_then(|l| l.rule.as_ref())
            .and_then(|r| r.default_retention.as_ref());
        if retention.is_some() {
            continue;
        }
        let Some(versioning) = answer(
            out,
            &ctx.account.s3.versioning,
            s3::GET_BUCKET_VERSIONING,
            bucket,
        ) else {
            continue;
        };
        let versioning = match versioning {
            Answer::Present(v) => Some(v),
            Answer::NotConfigured(_) => None,
        };
        let mfa_delete = versioning.is_some_and(|v| {
            v.status.as_deref() == Some("Enabled") && v.mfa_delete.as_deref() == Some("Enabled")
        });
        if mfa_delete {
            continue;
        }
        let lock_text = match lock {
            None => "Object Lock is not configured".to_string(),
            Some(l) if l.object_lock_enabled.as_deref() == Some("Enabled") => {
                "Object Lock is on but sets no default retention, so the log files CloudTrail writes are not locked".to_string()
            }
            Some(_) => "Object Lock is off".to_string(),
        };
        let versioning_text = match versioning {
            Some(v) if v.status.as_deref() == Some("Enabled") => {
                "versioning is on without MFA delete"
            }
            Some(v) if v.status.is_some() => "versioning is suspended",
            _ => "versioning is off",
        };
        out.fail(Failure {
            detail: format!(
                "Bucket {bucket} holds the logs of trail {}: {lock_text}, and {versioning_text}, so whoever may delete its objects can erase the audit trail.",
                trail_names(&trails),
            ),
            evidence: json!({
                "source": "get-object-lock-configuration and get-bucket-versioning",
                "bucket": bucket,
                "trails": trails.iter().map(|t| t.arn.as_str()).collect::<Vec<_>>(),
                "object_lock": lock,
                "versioning": versioning,
            }),
            remediation: format!(
                "aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled && aws s3api put-object-lock-configuration --bucket {bucket} --object-lock-configuration '{{\"ObjectLockEnabled\":\"Enabled\",\"Rule\":{{\"DefaultRetention\":{{\"Mode\":\"COMPLIANCE\",\"Days\":365}}}}}}'"
            ),
            ..Failure::global(bucket_arn(bucket))
        });
    }
}
