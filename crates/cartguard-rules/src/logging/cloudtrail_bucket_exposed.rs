use cartguard_iam::public::{Outsider, named_account_access, outsider_access, s3_bucket_target};
use cartguard_inventory::{Collected, GLOBAL, s3};
use serde_json::{Value, json};

use super::{TRAIL_LIST, trail_buckets, trail_names};
use crate::data::{BUCKETS, PUBLIC_ACCESS_BLOCKS, bucket_arn, bucket_policy, effective_block};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The S3 bucket every trail delivers to, as its bucket policy and ACL
    /// let others in. The policy is evaluated for three kinds of outsider,
    /// each with full rights in its own account: an anonymous caller, a
    /// principal of an unrelated account, and each principal of another
    /// account that the policy names. Any request one of them is admitted to
    /// (reading, listing, deleting or overwriting log files, changing the
    /// bucket's policy or ACL) fails the bucket; so does an ACL grant to
    /// `AllUsers` or `AuthenticatedUsers`. Grants to AWS services
    /// (`cloudtrail.amazonaws.com` writing the logs) are not outsiders. A grant
    /// to everyone that the public access block in force neutralises
    /// (`RestrictPublicBuckets` for policies, `IgnorePublicAcls` for ACLs) is
    /// reported at medium severity as blocked; a grant to a named account is
    /// not public, so no block stops it. A bucket of another account (a log
    /// archive) is not assessed here: its policy is that account's evidence.
    ///
    /// ## Why it matters
    /// The audit trail is the first thing an intruder reads (to learn what is
    /// watched) and the first thing they erase. Logs an outsider can read or
    /// delete prove nothing to an assessor and leave an incident without a
    /// record.
    ///
    /// ## Severity
    /// Critical when an outsider is admitted today (a public grant S3 honours, or a
    /// grant to another account, which no block stops); medium, two levels lower,
    /// when every grant is public and the public access block in force neutralises
    /// it.
    ///
    /// ## How to fix
    /// Keep only the statements CloudTrail needs (`cloudtrail.amazonaws.com`
    /// with `GetBucketAcl` and `PutObject`, limited by `aws:SourceArn`), remove
    /// grants to other accounts, and block public access:
    ///
    /// ```sh
    /// aws s3api put-bucket-policy --bucket <trail-bucket> --policy file://cloudtrail-only.json
    /// aws s3api put-public-access-block --bucket <trail-bucket> \
    ///   --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    /// ```
    ///
    /// ## Example
    /// A trail bucket whose policy allows `s3:GetObject` to `{"AWS": "444455556666"}`
    /// fails; one whose only grant is to `cloudtrail.amazonaws.com` passes.
    pub static RULE = {
        id: "cloudtrail-bucket-exposed",
        title: "The CloudTrail bucket admits principals outside the account",
        severity: Critical,
        lowest: Medium,
        area: Logging,
        evidence: [
            TRAIL_LIST,
            BUCKETS,
            &[s3::GET_BUCKET_POLICY, s3::GET_BUCKET_ACL],
            PUBLIC_ACCESS_BLOCKS,
        ],
        check: check,
    };
}

/// One way in for someone outside the account.
struct Exposure {
    /// In the auditor's words.
    text: String,
    /// What the finding shows of it.
    evidence: Value,
    /// Whether the public access block in force neutralises it.
    blocked: bool,
}

fn check(ctx: &Context, out: &mut Emitter) {
    for (bucket, trails) in trail_buckets(ctx, out) {
        let arn = bucket_arn(bucket);
        let block = effective_block(ctx, bucket);
        let blocks = |setting: &str| block.as_ref().is_ok_and(|b| b.on(setting));
        let mut unknown: Vec<String> = Vec::new();
        let mut exposures: Vec<Exposure> = Vec::new();
        match ctx.account.s3.policies.get(bucket) {
            Some(Collected::Present(document)) => match bucket_policy(document, bucket) {
                Ok(policy) => {
                    let target = s3_bucket_target(&ctx.account.id, &arn);
                    let access = outsider_access(&policy, &target);
                    for (who, actions) in &access.admitted_actions {
                        let Some(witness) = access.witness(*who) else {
                            continue;
                        };
                        exposures.push(Exposure {
                            text: format!("{} may {}", who.describe(), actions.join(", ")),
                            evidence: json!({"who": who.describe(), "witness": witness, "actions": actions}),
                            blocked: blocks("RestrictPublicBuckets"),
                        });
                    }
                    for (witness, actions) in named_account_access(&policy, &target) {
                        exposures.push(Exposure {
                            text: format!("{} may {}", witness.principal, actions.join(", ")),
                            evidence: json!({"who": Outsider::NamedAccount.describe(), "witness": witness, "actions": actions}),
                            blocked: false,
                        });
                    }
                    if !access.undecided.is_empty() {
                        unknown.push(format!(
                            "whether the policy of bucket {bucket} admits outsiders depends on context that could not be chosen for them"
                        ));
                    }
                }
                Err(reason) => unknown.push(reason),
            },
            Some(Collected::NotConfigured { .. }) => {}
            Some(other) => unknown.push(
                other
                    .unavailable_reason(&s3::GET_BUCKET_POLICY.about(GLOBAL, bucket))
                    .unwrap_or_default(),
            ),
            None => unknown.push(format!(
                "{} was not collected",
                s3::GET_BUCKET_POLICY.about(GLOBAL, bucket)
            )),
        }
        match ctx.account.s3.acls.get(bucket) {
            Some(Collected::Present(acl)) => {
                for grant in &acl.grants {
                    if let Some(group) = grant.grantee.public_group() {
                        exposures.push(Exposure {
                            text: format!("the ACL grants {} to {group}", grant.permission),
                            evidence: json!({"acl_grant": grant}),
                            blocked: blocks("IgnorePublicAcls"),
                        });
                    }
                }
            }
            Some(other) => unknown.push(
                other
                    .unavailable_reason(&s3::GET_BUCKET_ACL.about(GLOBAL, bucket))
                    .unwrap_or_default(),
            ),
            None => unknown.push(format!(
                "{} was not collected",
                s3::GET_BUCKET_ACL.about(GLOBAL, bucket)
            )),
        }
        if exposures.is_empty() {
            if !unknown.is_empty() {
                out.not_assessed(&arn, GLOBAL, unknown.join("; "));
            }
            continue;
        }
        let all_blocked = exposures.iter().all(|e| e.blocked);
        let texts: Vec<&str> = exposures.iter().map(|e| e.text.as_str()).collect();
        let blocked_note = if all_blocked {
            " The public access block in force neutralises these grants today: they are blocked, and become live if the block is turned off."
        } else {
            ""
        };
        out.fail(Failure {
            detail: format!(
                "Bucket {bucket} holds the logs of trail {} and admits principals outside the account: {}.{blocked_note}",
                trail_names(&trails),
                texts.join("; "),
            ),
            evidence: json!({
                "source": "bucket policy and ACL, evaluated for outsiders",
                "bucket": bucket,
                "trails": trails.iter().map(|t| t.arn.as_str()).collect::<Vec<_>>(),
                "admitted": exposures.iter().map(|e| &e.evidence).collect::<Vec<_>>(),
                "public_access_block": block.as_ref().map(|b| b.table()).unwrap_or(Value::Null),
            }),
            remediation: format!(
                "Keep only CloudTrail's own statements in the policy (aws s3api put-bucket-policy --bucket {bucket} --policy file://cloudtrail-only.json), remove ACL grants (aws s3api put-bucket-acl --bucket {bucket} --acl private), and turn on the public access block (aws s3api put-public-access-block --bucket {bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true)."
            ),
            proof: if all_blocked { Proof::Blocked } else { Proof::Proven },
            ..Failure::global(bucket_arn(bucket))
        });
    }
}
