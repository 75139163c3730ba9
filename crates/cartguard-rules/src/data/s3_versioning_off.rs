use cartguard_inventory::s3;
use serde_json::json;

use super::{Answer, CriticalBuckets, answer, bucket_arn, buckets};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every bucket must have versioning `Enabled` (`get-bucket-versioning`).
    /// A bucket never versioned (the CLI prints nothing, stored as `{}`) or
    /// `Suspended` fails. Log buckets (their name says `log`, `trail` or
    /// `audit`, or they receive other buckets' access logs) are named as such,
    /// as PCI DSS 10.3.3 asks for their protection too.
    ///
    /// ## Why it matters
    /// Without versions, an overwrite or delete — a bug, a compromised deploy
    /// key, ransomware — loses the object for good. Versioning is the cheapest
    /// recovery point for order exports, uploads and audit logs (PCI DSS 12.10.1).
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled
    /// ```
    ///
    /// Add a lifecycle rule that expires noncurrent versions to bound the cost.
    ///
    /// ## Example
    /// `{}` or `{"Status": "Suspended"}` fails; `{"Status": "Enabled"}` passes.
    pub static RULE = {
        id: "s3-versioning-off",
        title: "A bucket does not have versioning enabled",
        severity: Medium,
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
        let Some(found) = answer(
            out,
            &ctx.account.s3.versioning,
            s3::GET_BUCKET_VERSIONING,
            name,
        ) else {
            continue;
        };
        let versioning = match found {
            Answer::Present(v) if v.is_enabled() => continue,
            Answer::Present(v) => v,
            // No such answer exists for this call; an error code here is a failure to read.
            Answer::NotConfigured(code) => {
                out.not_assessed(
                    &bucket_arn(name),
                    "global",
                    format!(
                        "{} answered {code}",
                        s3::GET_BUCKET_VERSIONING.about("global", name)
                    ),
                );
                continue;
            }
        };
        let state = match versioning.status.as_deref() {
            Some("Suspended") => "has versioning suspended",
            _ => "has never had versioning enabled",
        };
        let log = if critical.holds_logs(name) {
            " It holds logs, whose loss PCI DSS 10.3.3 guards against."
        } else {
            ""
        };
        out.fail(Failure {
            detail: format!(
                "Bucket `{name}` {state}: an overwritten or deleted object cannot be recovered.{log}"
            ),
            evidence: json!({"source": "get-bucket-versioning", "bucket": name, "versioning": versioning}),
            remediation: format!(
                "aws s3api put-bucket-versioning --bucket {name} --versioning-configuration Status=Enabled"
            ),
            ..Failure::global(bucket_arn(name))
        });
    }
}
