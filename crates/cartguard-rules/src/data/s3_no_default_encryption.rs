use cartguard_inventory::s3;
use serde_json::json;

use super::{Answer, answer, bucket_arn, buckets};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every bucket of `list-buckets` must have a default encryption
    /// configuration (`get-bucket-encryption`). AWS's answer
    /// `ServerSideEncryptionConfigurationNotFoundError`, or a configuration
    /// without a default algorithm, fails.
    ///
    /// ## Why it matters
    /// Without default encryption, objects uploaded without an encryption header
    /// are stored in clear on disk (buckets created before January 2023 may still
    /// be in this state). Disk-level encryption never by itself meets PCI DSS
    /// 3.5.1 (see 3.5.1.2), but its absence is a gap an assessor will note.
    ///
    /// ## Severity
    /// Always high.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \
    ///   '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/shop-data"},"BucketKeyEnabled":true}]}'
    /// ```
    ///
    /// ## Example
    /// `{"Error": {"Code": "ServerSideEncryptionConfigurationNotFoundError"}}`
    /// fails; `{"ServerSideEncryptionConfiguration": {"Rules":
    /// [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}` passes.
    pub static RULE = {
        id: "s3-no-default-encryption",
        title: "A bucket has no default encryption",
        severity: High,
        area: Data,
        evidence: [super::BUCKETS, &[s3::GET_BUCKET_ENCRYPTION]],
        check: check,
    };
}

fn fix(bucket: &str) -> String {
    format!(
        "aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"alias/YOUR-KEY\"}},\"BucketKeyEnabled\":true}}]}}'"
    )
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(buckets) = buckets(ctx, out) else {
        return;
    };
    for bucket in buckets {
        let name = bucket.name.as_str();
        let Some(found) = answer(
            out,
            &ctx.account.s3.encryption,
            s3::GET_BUCKET_ENCRYPTION,
            name,
        ) else {
            continue;
        };
        let (detail, evidence) = match found {
            Answer::NotConfigured(code) => (
                format!(
                    "Bucket `{name}` has no default encryption: AWS answered {code}. Objects uploaded without an encryption header are stored unencrypted."
                ),
                json!({"source": "get-bucket-encryption", "bucket": name, "Error": {"Code": code}}),
            ),
            Answer::Present(configuration) => {
                let has_default = configuration.rules.iter().any(|r| {
                    r.apply_server_side_encryption_by_default
                        .as_ref()
                        .is_some_and(|d| !d.sse_algorithm.is_empty())
                });
                if has_default {
                    continue;
                }
                (
                    format!(
                        "Bucket `{name}` has an encryption configuration without a default algorithm, so nothing is encrypted by default."
                    ),
                    json!({"source": "get-bucket-encryption", "bucket": name, "ServerSideEncryptionConfiguration": configuration}),
                )
            }
        };
        out.fail(Failure {
            detail,
            evidence,
            remediation: fix(name),
            ..Failure::global(bucket_arn(name))
        });
    }
}
