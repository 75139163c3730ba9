use cartguard_inventory::{Collected, s3};
use serde_json::{Value, json};

use super::{bucket_arn, buckets, effective_block};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The account's S3 Block Public Access (`s3control get-public-access-block`)
    /// must have all four settings on: `BlockPublicAcls`, `IgnorePublicAcls`,
    /// `BlockPublicPolicy`, `RestrictPublicBuckets`. For each bucket, the
    /// settings in force (each on when the bucket's block
    /// `get-public-access-block` or the account's has it on) must all be on.
    /// `NoSuchPublicAccessBlockConfiguration` means every setting is off.
    ///
    /// ## Why it matters
    /// Block Public Access is the guard that stays in place when someone later
    /// writes a public bucket policy or ACL by mistake. Without it, one wrong
    /// `put-bucket-policy` exposes order exports or customer files to the internet.
    ///
    /// ## Severity
    /// Always high: the block is the account's guard against the next public grant,
    /// whether or not one exists today.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws s3control put-public-access-block --account-id ACCOUNT_ID --public-access-block-configuration \
    ///   BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    /// aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration \
    ///   BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    /// ```
    ///
    /// ## Example
    /// An account without a block and a bucket whose block has
    /// `"RestrictPublicBuckets": false` both fail; an account block with all four
    /// settings on covers every bucket.
    pub static RULE = {
        id: "s3-public-access-block-off",
        title: "S3 Block Public Access is not fully on",
        severity: High,
        area: Data,
        evidence: [super::BUCKETS, super::PUBLIC_ACCESS_BLOCKS],
        check: check,
    };
}

const ALL_ON: &str =
    "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true";

fn check(ctx: &Context, out: &mut Emitter) {
    let account_resource = format!("arn:aws:s3::{}:account-public-access-block", ctx.account.id);
    let account_key = s3::GET_ACCOUNT_PUBLIC_ACCESS_BLOCK.global();
    let account_block = &ctx.account.s3.account_public_access_block;
    let account_settings = match account_block {
        Collected::Present(block) => Some(block.clone()),
        Collected::NotConfigured { .. } => Some(s3::PublicAccessBlock::default()),
        _ => {
            out.require(account_block, &account_key, &account_resource, "global");
            None
        }
    };
    if let Some(block) = &account_settings
        && !block.fully_on()
    {
        let off = off_settings(block);
        out.fail(Failure {
            detail: format!(
                "The account-level S3 Block Public Access is {}: {} off, so a bucket policy or ACL can make any bucket of the account public.",
                if account_block.is_not_configured() { "not configured" } else { "partly off" },
                off.join(", ")
            ),
            evidence: json!({
                "source": "s3control get-public-access-block",
                "settings": flags(block),
            }),
            remediation: format!(
                "aws s3control put-public-access-block --account-id {} --public-access-block-configuration {ALL_ON}",
                ctx.account.id
            ),
            ..Failure::global(account_resource)
        });
    }
    if account_settings.as_ref().is_some_and(|b| b.fully_on()) {
        // The account's block is in force for every bucket.
        return;
    }
    let Some(buckets) = buckets(ctx, out) else {
        return;
    };
    for bucket in buckets {
        let name = bucket.name.as_str();
        let block = match effective_block(ctx, name) {
            Ok(block) => block,
            Err(reason) => {
                // A bucket whose own block is fully on needs nothing from the account.
                let own_on = ctx
                    .account
                    .s3
                    .public_access_block
                    .get(name)
                    .and_then(|c| c.present())
                    .is_some_and(|b| b.fully_on());
                if !own_on {
                    out.not_assessed(&bucket_arn(name), "global", reason);
                }
                continue;
            }
        };
        let off: Vec<&str> = s3::PublicAccessBlock::default()
            .settings()
            .iter()
            .map(|(setting, _)| *setting)
            .filter(|setting| !block.on(setting))
            .collect();
        if off.is_empty() {
            continue;
        }
        out.fail(Failure {
            detail: format!(
                "Bucket `{name}` is not fully protected by Block Public Access: {} {} off in both the bucket's block{} and the account's.",
                off.join(", "),
                if off.len() == 1 { "is" } else { "are" },
                if block.bucket.is_none() { " (none configured)" } else { "" },
            ),
            evidence: json!({
                "source": "get-public-access-block and s3control get-public-access-block",
                "bucket": name,
                "settings": block.table(),
            }),
            remediation: format!(
                "aws s3api put-public-access-block --bucket {name} --public-access-block-configuration {ALL_ON}"
            ),
            ..Failure::global(bucket_arn(name))
        });
    }
}

fn off_settings(block: &s3::PublicAccessBlock) -> Vec<&'static str> {
    block
        .settings()
        .iter()
        .filter(|(_, on)| !on)
        .map(|(name, _)| *name)
        .collect()
}

fn flags(block: &s3::PublicAccessBlock) -> Value {
    Value::Array(
        block
            .settings()
            .iter()
            .map(|(name, on)| json!({"setting": name, "on": on}))
            .collect(),
    )
}
