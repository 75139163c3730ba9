use cartguard_iam::public::{Probe, insecure_requests_not_denied, s3_bucket_target};
use cartguard_inventory::s3;
use serde_json::json;

use super::{Answer, answer, bucket_arn, bucket_policy, buckets};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A bucket's policy (`get-bucket-policy`) must deny every request made over
    /// plain HTTP. The engine evaluates requests with `aws:SecureTransport` set
    /// to `false`, by a principal of the account and by one of another account
    /// (each with full rights of its own), for the bucket and its objects and
    /// for a spread of actions (reading, writing, deleting and listing objects,
    /// reading and changing the policy, ACLs, lifecycle, versioning and
    /// encryption): each must end in an explicit deny. A deny limited to some
    /// actions, to the objects but not the bucket, to some principals, or hanging
    /// on another key (such as `s3:TlsVersion` alone, which plain HTTP does not
    /// set) leaves requests through, and they are named. A bucket without a
    /// policy (`NoSuchBucketPolicy`) fails.
    ///
    /// ## Why it matters
    /// Without the deny, a client, SDK or script misconfigured to use
    /// `http://` sends customer data and signed requests in clear. PCI DSS 4.2.1
    /// requires strong cryptography for account data in transit.
    ///
    /// ## Severity
    /// Always medium.
    ///
    /// ## How to fix
    /// Add this statement to the bucket policy (merge with the existing one):
    ///
    /// ```json
    /// {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    ///  "Resource": ["arn:aws:s3:::BUCKET", "arn:aws:s3:::BUCKET/*"],
    ///  "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    /// ```
    ///
    /// ```sh
    /// aws s3api put-bucket-policy --bucket BUCKET --policy file://policy.json
    /// ```
    ///
    /// ## Example
    /// The statement above passes; the same with `"Resource":
    /// "arn:aws:s3:::BUCKET/*"` only fails, naming `s3:ListBucket` on the bucket.
    pub static RULE = {
        id: "s3-tls-not-enforced",
        title: "A bucket policy does not deny requests over plain HTTP",
        severity: Medium,
        area: Data,
        evidence: [super::BUCKETS, &[s3::GET_BUCKET_POLICY]],
        check: check,
    };
}

/// Actions besides the ones every public-access probe asks for.
const MORE_ACTIONS: &[(&str, bool)] = &[
    ("s3:GetObjectTagging", true),
    ("s3:PutObjectTagging", true),
    ("s3:ListMultipartUploadParts", true),
    ("s3:GetBucketLocation", false),
    ("s3:ListBucketMultipartUploads", false),
    ("s3:PutBucketVersioning", false),
    ("s3:PutEncryptionConfiguration", false),
    ("s3:PutBucketPublicAccessBlock", false),
];

fn statement(bucket: &str) -> String {
    format!(
        "{{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::{bucket}\",\"arn:aws:s3:::{bucket}/*\"],\"Condition\":{{\"Bool\":{{\"aws:SecureTransport\":\"false\"}}}}}}"
    )
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(buckets) = buckets(ctx, out) else {
        return;
    };
    for bucket in buckets {
        let name = bucket.name.as_str();
        let arn = bucket_arn(name);
        let Some(found) = answer(out, &ctx.account.s3.policies, s3::GET_BUCKET_POLICY, name) else {
            continue;
        };
        let remediation = format!(
            "Add to the bucket policy the statement {} and apply it: aws s3api put-bucket-policy --bucket {name} --policy file://policy.json",
            statement(name)
        );
        let document = match found {
            Answer::NotConfigured(code) => {
                out.fail(Failure {
                    detail: format!(
                        "Bucket `{name}` has no bucket policy ({code}), so nothing denies requests over plain HTTP."
                    ),
                    evidence: json!({"source": "get-bucket-policy", "bucket": name, "Error": {"Code": code}}),
                    remediation,
                    ..Failure::global(arn)
                });
                continue;
            }
            Answer::Present(document) => document,
        };
        let policy = match bucket_policy(document, name) {
            Ok(policy) => policy,
            Err(reason) => {
                out.not_assessed(&arn, "global", reason);
                continue;
            }
        };
        let mut target = s3_bucket_target(&ctx.account.id, &arn);
        let object = format!("{arn}/example-object");
        target
            .probes
            .extend(MORE_ACTIONS.iter().map(|(action, on_object)| Probe {
                action: action.to_string(),
                resource: if *on_object {
                    object.clone()
                } else {
                    arn.clone()
                },
            }));
        let missed = insecure_requests_not_denied(&policy, &target);
        if missed.is_empty() {
            continue;
        }
        let on_bucket = missed.iter().filter(|p| p.resource == arn).count();
        let listed: Vec<String> = missed
            .iter()
            .take(6)
            .map(|p| format!("{} on {}", p.action, p.resource))
            .collect();
        out.fail(Failure {
            detail: format!(
                "The bucket policy of `{name}` does not deny every request over plain HTTP: {} of {} probed requests with aws:SecureTransport=false are not explicitly denied ({} on the bucket, {} on its objects), such as {}.",
                missed.len(),
                target.probes.len(),
                on_bucket,
                missed.len() - on_bucket,
                listed.join(", ")
            ),
            evidence: json!({
                "source": "get-bucket-policy",
                "bucket": name,
                "policy": document.json(),
                "not denied over HTTP": missed.iter().map(|p| json!({"action": p.action, "resource": p.resource})).collect::<Vec<_>>(),
            }),
            remediation,
            ..Failure::global(arn)
        });
    }
}
