use cartguard_iam::public::{Outsider, OutsiderAccess, outsider_access, s3_bucket_target};
use cartguard_inventory::{Collected, GLOBAL, s3};
use serde_json::{Value, json};

use super::{EffectiveBlock, bucket_arn, bucket_policy, buckets, effective_block};
use crate::{Context, Emitter, Failure, Proof, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether a bucket's policy (`get-bucket-policy`) or ACL (`get-bucket-acl`)
    /// lets in someone outside the account. The policy is not searched for
    /// `"*"`: the IAM engine evaluates requests of an anonymous caller and of a
    /// user of an unrelated account (reading, writing and deleting objects,
    /// listing, reading and changing the policy and ACLs, and every action the
    /// policy names) with the context an outsider has. A grant to everyone
    /// narrowed by a fixed `aws:SourceVpce`, `aws:SourceVpc`,
    /// `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount` or
    /// `aws:SourceArn`, or by `aws:SourceIp` ranges no broader than /8 (IPv4) or
    /// /32 (IPv6), admits no outsider, as S3 itself judges ("The meaning of
    /// public"); keys a caller sets itself (`aws:Referer`, `aws:UserAgent`) do
    /// not narrow; a `Deny` that every outsider request meets removes the grant;
    /// `NotPrincipal` is evaluated as AWS does. An ACL grant to the `AllUsers` or
    /// `AuthenticatedUsers` group is public too. When the public access block in
    /// force (bucket or account) neutralises the grant — `RestrictPublicBuckets`
    /// for a policy, `IgnorePublicAcls` for an ACL — the finding says the grant is
    /// blocked and its severity is medium: one API call would expose the bucket.
    ///
    /// ## Why it matters
    /// A public bucket is the most common way store data leaks: order exports,
    /// customer uploads and database dumps read by anyone who guesses the name.
    /// PCI DSS 1.4.4 forbids direct public access to stores of account data.
    ///
    /// ## Severity
    /// Critical when S3 honours the public grant today; medium, two levels lower,
    /// when the public access block in force neutralises it
    /// (`RestrictPublicBuckets` for a policy, `IgnorePublicAcls` for an ACL): one
    /// API call would make it live.
    ///
    /// ## How to fix
    /// Remove the statement or grant, or narrow it to your VPC endpoint or
    /// organization, and keep Block Public Access on:
    ///
    /// ```sh
    /// aws s3api delete-bucket-policy --bucket BUCKET   # or put-bucket-policy without the public statement
    /// aws s3api put-bucket-acl --bucket BUCKET --acl private
    /// aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration \
    ///   BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    /// ```
    ///
    /// ## Example
    /// `{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
    /// "Resource": "arn:aws:s3:::shop-media/*"}` fails, naming the anonymous
    /// request that gets through; the same statement with
    /// `"Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}` passes.
    pub static RULE = {
        id: "s3-policy-public",
        title: "A bucket policy or ACL admits everyone",
        severity: Critical,
        lowest: Medium,
        area: Data,
        evidence: [
            super::BUCKETS,
            &[s3::GET_BUCKET_POLICY, s3::GET_BUCKET_ACL],
            super::PUBLIC_ACCESS_BLOCKS,
        ],
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Emitter) {
    let Some(buckets) = buckets(ctx, out) else {
        return;
    };
    for bucket in buckets {
        let name = bucket.name.as_str();
        let arn = bucket_arn(name);
        let mut unknown: Vec<String> = Vec::new();
        let block = effective_block(ctx, name);
        match ctx.account.s3.policies.get(name) {
            Some(Collected::Present(document)) => match bucket_policy(document, name) {
                Ok(policy) => {
                    let target = s3_bucket_target(&ctx.account.id, &arn);
                    let access = outsider_access(&policy, &target);
                    if access.is_public() {
                        report_policy(out, name, &access, &block);
                    } else if !access.undecided.is_empty() {
                        let mut keys: Vec<&str> = access
                            .undecided
                            .iter()
                            .flat_map(|u| u.keys.iter().map(String::as_str))
                            .collect();
                        keys.sort_unstable();
                        keys.dedup();
                        unknown.push(format!(
                            "whether the bucket policy admits outsiders depends on {} that could not be chosen for an outsider's request",
                            keys.join(", ")
                        ));
                    }
                }
                Err(reason) => unknown.push(reason),
            },
            Some(Collected::NotConfigured { .. }) => {}
            Some(other) => unknown.push(
                other
                    .unavailable_reason(&s3::GET_BUCKET_POLICY.about(GLOBAL, name))
                    .unwrap_or_default(),
            ),
            None => unknown.push(format!(
                "{} was not collected",
                s3::GET_BUCKET_POLICY.about(GLOBAL, name)
            )),
        }
        match ctx.account.s3.acls.get(name) {
            Some(Collected::Present(acl)) => {
                let public: Vec<&s3::Grant> = acl
                    .grants
                    .iter()
                    .filter(|g| g.grantee.public_group().is_some())
                    .collect();
                if !public.is_empty() {
                    report_acl(out, name, &public, &block);
                }
            }
            Some(other) => unknown.push(
                other
                    .unavailable_reason(&s3::GET_BUCKET_ACL.about(GLOBAL, name))
                    .unwrap_or_else(|| {
                        format!("{} is unavailable", s3::GET_BUCKET_ACL.about(GLOBAL, name))
                    }),
            ),
            None => unknown.push(format!(
                "{} was not collected",
                s3::GET_BUCKET_ACL.about(GLOBAL, name)
            )),
        }
        if !unknown.is_empty() {
            out.not_assessed(&arn, GLOBAL, unknown.join("; "));
        }
    }
}

/// How the block in force bears on a grant neutralised by `setting`.
fn blocked_by(block: &Result<EffectiveBlock, String>, setting: &str) -> (Proof, String, Value) {
    match block {
        Ok(block) if block.on(setting) => (
            Proof::Blocked,
            format!(
                " The public access block in force has {setting} on, so S3 does not honour the grant today: it is blocked, and becomes live if the block is turned off."
            ),
            block.table(),
        ),
        Ok(block) => (
            Proof::Proven,
            format!(" No public access block in force has {setting} on."),
            block.table(),
        ),
        Err(reason) => (
            Proof::Proven,
            format!(" Whether a public access block neutralises it is unknown: {reason}."),
            Value::Null,
        ),
    }
}

fn report_policy(
    out: &mut Emitter,
    bucket: &str,
    access: &OutsiderAccess,
    block: &Result<EffectiveBlock, String>,
) {
    let Some(witness) = access
        .witness(Outsider::Anonymous)
        .or_else(|| access.witness(Outsider::OtherAccount))
    else {
        return;
    };
    let (proof, blocked, table) = blocked_by(block, "RestrictPublicBuckets");
    let admitted: Vec<String> = access
        .admitted_actions
        .iter()
        .map(|(who, actions)| format!("{}: {}", who.describe(), actions.join(", ")))
        .collect();
    let context = if witness.context.is_empty() {
        String::new()
    } else {
        format!(
            " with {}",
            witness
                .context
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let statement = witness.statements.first();
    out.fail(Failure {
        detail: format!(
            "The bucket policy of `{bucket}` admits {}: {} on {} is allowed{context}{}. Admitted: {}.{blocked}",
            witness.outsider.describe(),
            witness.action,
            witness.resource,
            statement
                .map(|s| match &s.sid {
                    Some(sid) => format!(" by statement {sid}"),
                    None => format!(" by statement #{}", s.statement_index),
                })
                .unwrap_or_default(),
            admitted.join("; "),
        ),
        evidence: json!({
            "source": "get-bucket-policy",
            "bucket": bucket,
            "witness": {
                "principal": witness.principal,
                "action": witness.action,
                "resource": witness.resource,
                "context": witness.context.iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect::<serde_json::Map<_, _>>(),
            },
            "statement": statement.map(|s| s.statement.clone()),
            // What admits the outsider, as the evaluation quoted it.
            "deciding": statement.map(|s| &s.deciding),
            "public access block": table,
        }),
        remediation: format!(
            "Remove or narrow the statement (for example with a fixed aws:SourceVpce or aws:PrincipalOrgID condition): aws s3api put-bucket-policy --bucket {bucket} --policy file://policy-without-public-statement.json; keep the block on: aws s3api put-public-access-block --bucket {bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
        ),
        discriminator: Some("policy".into()),
        proof,
        ..Failure::global(bucket_arn(bucket))
    });
}

fn report_acl(
    out: &mut Emitter,
    bucket: &str,
    grants: &[&s3::Grant],
    block: &Result<EffectiveBlock, String>,
) {
    let (proof, blocked, table) = blocked_by(block, "IgnorePublicAcls");
    let described: Vec<String> = grants
        .iter()
        .map(|g| {
            format!(
                "{} to {}",
                g.permission,
                g.grantee.public_group().unwrap_or_default()
            )
        })
        .collect();
    let mut meaning: Vec<&str> = Vec::new();
    for grant in grants {
        let text = match grant.grantee.public_group() {
            Some("AllUsers") => "AllUsers is anyone on the internet, signed in or not",
            _ => "AuthenticatedUsers is anyone signed in to any AWS account",
        };
        if !meaning.contains(&text) {
            meaning.push(text);
        }
    }
    out.fail(Failure {
        detail: format!(
            "The ACL of `{bucket}` grants {} ({}).{blocked}",
            described.join(", "),
            meaning.join("; ")
        ),
        evidence: json!({
            "source": "get-bucket-acl",
            "bucket": bucket,
            "Grants": grants,
            "public access block": table,
        }),
        remediation: format!(
            "aws s3api put-bucket-acl --bucket {bucket} --acl private && aws s3api put-bucket-ownership-controls --bucket {bucket} --ownership-controls 'Rules=[{{ObjectOwnership=BucketOwnerEnforced}}]'"
        ),
        discriminator: Some("acl".into()),
        proof,
        ..Failure::global(bucket_arn(bucket))
    });
}
