use cartguard_inventory::s3;
use serde_json::json;

use super::{DefaultEncryption, bucket_arn, default_encryptions};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A bucket's default encryption (`get-bucket-encryption`) must use SSE-KMS
    /// (`aws:kms` or `aws:kms:dsse`), not SSE-S3 (`AES256`). A bucket without
    /// default encryption is reported by `s3-no-default-encryption`, not here.
    ///
    /// ## Why it matters
    /// With SSE-S3, anyone who may read an object reads it in clear: there is no
    /// separate key permission, no key policy and no CloudTrail record of key use.
    /// SSE-KMS puts a key you control between the data and the reader, which is
    /// what PCI DSS 3.6.1 asks of keys that protect stored account data.
    ///
    /// ## Severity
    /// Always low: the data is encrypted; only who controls the key differs.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \
    ///   '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/shop-data"},"BucketKeyEnabled":true}]}'
    /// ```
    ///
    /// ## Example
    /// `"SSEAlgorithm": "AES256"` fails; `"SSEAlgorithm": "aws:kms"` passes.
    pub static RULE = {
        id: "s3-not-kms",
        title: "A bucket's default encryption is SSE-S3, not SSE-KMS",
        severity: Low,
        area: Data,
        evidence: [super::BUCKETS, &[s3::GET_BUCKET_ENCRYPTION]],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    for DefaultEncryption {
        bucket,
        configuration,
        default,
    } in default_encryptions(ctx, out)
    {
        let name = bucket.name.as_str();
        if default.sse_algorithm.starts_with("aws:kms") {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "Bucket `{name}` encrypts by default with {} (S3-managed keys): no key policy stands between a reader and the data, and key use is not logged.",
                default.sse_algorithm
            ),
            evidence: json!({"source": "get-bucket-encryption", "bucket": name, "ServerSideEncryptionConfiguration": configuration}),
            remediation: format!(
                "aws s3api put-bucket-encryption --bucket {name} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"alias/YOUR-KEY\"}},\"BucketKeyEnabled\":true}}]}}'"
            ),
            ..Failure::global(bucket_arn(name))
        });
    }
}
