use cartguard_inventory::{Collected, GLOBAL, s3};
use serde_json::json;

use super::{CriticalBuckets, bucket_arn, buckets};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A versioned bucket (`get-bucket-versioning` `Status: Enabled`) that holds
    /// critical data must have `MFADelete: Enabled`. A bucket holds critical
    /// data when a word of its name (split at `-`, `.` and `_`) is one of `log`,
    /// `logs`, `logging`, `trail`, `cloudtrail`, `audit`, `order`, `orders`,
    /// `customer`, `customers`, `payment`, `payments`, `invoice`, `invoices`,
    /// `billing`, `backup`, `backups`, `pii`, `cardholder`, or when it receives
    /// another bucket's access logs (`get-bucket-logging`); the finding says
    /// which. Buckets without versioning are reported by `s3-versioning-off`.
    ///
    /// ## Why it matters
    /// With versioning alone, whoever holds the credentials can still delete
    /// every version, or suspend versioning: an intruder erases the audit trail
    /// or the order history. MFA delete requires the root user's MFA device for
    /// both (CIS AWS Foundations 2.1.2 / 3.1.2).
    ///
    /// ## Severity
    /// Always low.
    ///
    /// ## How to fix
    /// As the root user, with its MFA device:
    ///
    /// ```sh
    /// aws s3api put-bucket-versioning --bucket BUCKET \
    ///   --versioning-configuration Status=Enabled,MFADelete=Enabled \
    ///   --mfa "arn:aws:iam::ACCOUNT_ID:mfa/root-account-mfa-device 123456"
    /// ```
    ///
    /// Object Lock is an alternative that does not need the root user.
    ///
    /// ## Example
    /// `shop-orders-export` with `{"Status": "Enabled", "MFADelete": "Disabled"}`
    /// fails; `shop-media` (no critical word) passes, as does
    /// `{"Status": "Enabled", "MFADelete": "Enabled"}`.
    pub static RULE = {
        id: "s3-mfa-delete-off",
        title: "A versioned bucket holding critical data has MFA delete off",
        severity: Low,
        area: Data,
        evidence: [super::BUCKETS, &[s3::GET_BUCKET_VERSIONING, s3::GET_BUCKET_LOGGING]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(buckets) = buckets(ctx, out) else {
        return;
    };
    let critical = CriticalBuckets::of(ctx);
    for bucket in buckets {
        let name = bucket.name.as_str();
        let Some(why) = critical.because(name) else {
            continue;
        };
        let key = s3::GET_BUCKET_VERSIONING.about(GLOBAL, name);
        let versioning = match ctx.account.s3.versioning.get(name) {
            Some(Collected::Present(v)) => v,
            Some(other) => {
                let reason = other
                    .unavailable_reason(&key)
                    .unwrap_or_else(|| format!("{key} is unavailable"));
                out.not_assessed(&bucket_arn(name), GLOBAL, reason);
                continue;
            }
            None => {
                out.not_assessed(
                    &bucket_arn(name),
                    GLOBAL,
                    format!("{key} was not collected"),
                );
                continue;
            }
        };
        if versioning.status.is_none() && versioning.mfa_delete.is_some() {
            // AWS states MFA delete only together with a versioning status.
            out.not_assessed(
                &bucket_arn(name),
                GLOBAL,
                format!("{key} states MFADelete without a versioning Status"),
            );
            continue;
        }
        if !versioning.is_enabled() || versioning.mfa_delete_enabled() {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "Bucket `{name}` holds critical data ({why}) and is versioned, but MFA delete is {}: anyone with the credentials can delete every version or suspend versioning.",
                versioning.mfa_delete.as_deref().map(str::to_lowercase).unwrap_or_else(|| "not configured".into())
            ),
            evidence: json!({"source": "get-bucket-versioning", "bucket": name, "versioning": versioning, "critical because": why}),
            remediation: format!(
                "As the root user: aws s3api put-bucket-versioning --bucket {name} --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"arn:aws:iam::{}:mfa/ROOT-MFA-DEVICE CODE\"",
                ctx.account.id
            ),
            ..Failure::global(bucket_arn(name))
        });
    }
}
