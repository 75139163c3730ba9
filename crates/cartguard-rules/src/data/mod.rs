//! Data protection and secrets (CHECKLIST.md section 3): encryption at rest,
//! public access, transport and recoverability of the stores that hold
//! customer data, and credentials kept where anyone who reads a configuration
//! reads them too. Who a bucket policy admits is decided by the IAM engine
//! (`cartguard_iam::public`).

pub(crate) mod support;

// Databases, volumes, secrets, parameters, functions, containers and backups.
pub mod backup_no_plan;
pub mod dynamodb_no_pitr;
pub mod dynamodb_not_cmk;
pub mod ebs_default_encryption_off;
pub mod ebs_volume_unencrypted;
pub mod ecs_env_secret;
pub mod lambda_env_secret;
pub mod rds_backup_retention_short;
pub mod rds_minor_upgrade_off;
pub mod rds_no_deletion_protection;
pub mod rds_not_encrypted;
pub mod secrets_rotation_off;
pub mod ssm_secret_plaintext;

// Buckets and keys.
pub mod kms_policy_broad;
pub mod kms_rotation_off;
pub mod s3_kms_aws_managed;
pub mod s3_mfa_delete_off;
pub mod s3_no_default_encryption;
pub mod s3_not_kms;
pub mod s3_policy_public;
pub mod s3_public_access_block_off;
pub mod s3_tls_not_enforced;
pub mod s3_versioning_off;

use std::collections::BTreeMap;

use cartguard_iam::{Policy, PolicyKind};
use cartguard_inventory::kms;
use cartguard_inventory::s3::{self, Bucket, PublicAccessBlock};
use cartguard_inventory::{Collected, GLOBAL, Operation};
use serde_json::{Value, json};

use crate::{Context, Emitter};

/// The bucket list, which every S3 rule starts from.
pub(crate) const BUCKETS: &[Operation] = &[s3::LIST_BUCKETS];

/// The bucket and account public access blocks, which neutralise public
/// policies and ACLs.
pub(crate) const PUBLIC_ACCESS_BLOCKS: &[Operation] = &[
    s3::GET_PUBLIC_ACCESS_BLOCK,
    s3::GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,
];

/// A bucket's ARN.
pub(crate) fn bucket_arn(name: &str) -> String {
    format!("arn:aws:s3:::{name}")
}

/// The account's buckets, or `None` after reporting why they are unknown.
pub(crate) fn buckets<'a>(ctx: &Context<'a>, out: &mut Emitter) -> Option<&'a [Bucket]> {
    out.require(
        &ctx.account.s3.buckets,
        &s3::LIST_BUCKETS.global(),
        "arn:aws:s3:::*",
        GLOBAL,
    )
    .map(Vec::as_slice)
}

/// What AWS answered about one bucket.
pub(crate) enum Answer<'a, T> {
    /// The configuration.
    Present(&'a T),
    /// AWS said the thing is not configured (the error code).
    NotConfigured(&'a str),
}

/// `operation`'s answer about `bucket`, or `None` after reporting the bucket
/// not assessed (not collected, or the call failed).
pub(crate) fn answer<'a, T>(
    out: &mut Emitter,
    answers: &'a BTreeMap<String, Collected<T>>,
    operation: Operation,
    bucket: &str,
) -> Option<Answer<'a, T>> {
    let key = operation.about(GLOBAL, bucket);
    match answers.get(bucket) {
        None => {
            out.not_assessed(
                &bucket_arn(bucket),
                GLOBAL,
                format!("{key} was not collected"),
            );
            None
        }
        Some(Collected::NotConfigured { code }) => Some(Answer::NotConfigured(code)),
        Some(collected) => out
            .require(collected, &key, &bucket_arn(bucket), GLOBAL)
            .map(Answer::Present),
    }
}

/// A bucket's encryption configuration and the default S3 applies from it.
pub(crate) struct DefaultEncryption<'a> {
    pub(crate) bucket: &'a Bucket,
    pub(crate) configuration: &'a s3::EncryptionConfiguration,
    pub(crate) default: &'a s3::EncryptionByDefault,
}

/// Each bucket with the default encryption S3 applies to it (the first
/// rule's), for the rules that judge the kind of encryption; buckets without
/// one are left to `s3-no-default-encryption`, and those whose configuration
/// is unknown are reported not assessed.
pub(crate) fn default_encryptions<'a>(
    ctx: &Context<'a>,
    out: &mut Emitter,
) -> Vec<DefaultEncryption<'a>> {
    let Some(buckets) = buckets(ctx, out) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for bucket in buckets {
        let Some(Answer::Present(configuration)) = answer(
            out,
            &ctx.account.s3.encryption,
            s3::GET_BUCKET_ENCRYPTION,
            &bucket.name,
        ) else {
            continue;
        };
        if let Some(default) = configuration
            .rules
            .iter()
            .find_map(|r| r.apply_server_side_encryption_by_default.as_ref())
        {
            found.push(DefaultEncryption {
                bucket,
                configuration,
                default,
            });
        }
    }
    found
}

/// The customer managed keys of every region that are not being deleted,
/// with their metadata (`kms describe-key`); keys whose metadata is unknown
/// are reported not assessed, naming the call.
pub(crate) fn customer_keys<'a>(
    ctx: &Context<'a>,
    out: &mut Emitter,
) -> Vec<(&'a str, &'a kms::KeyMetadata)> {
    let mut found = Vec::new();
    if !support::any_region(ctx, out, "kms", "customer managed keys") {
        return found;
    }
    for (region, evidence) in &ctx.account.regions {
        let kms = &evidence.kms;
        let all = format!("arn:aws:kms:{region}:{}:key/*", ctx.account.id);
        let Some(keys) = out.require(&kms.keys, &kms::LIST_KEYS.key(region), &all, region) else {
            continue;
        };
        for key in keys {
            let arn = key.key_arn.clone().unwrap_or_else(|| {
                format!("arn:aws:kms:{region}:{}:key/{}", ctx.account.id, key.key_id)
            });
            let Some(metadata) = kms.key_metadata.get(&key.key_id) else {
                out.not_assessed(
                    &arn,
                    region,
                    format!(
                        "{} was not collected",
                        kms::DESCRIBE_KEY.about(region, &key.key_id)
                    ),
                );
                continue;
            };
            let Some(metadata) = out.require(
                metadata,
                &kms::DESCRIBE_KEY.about(region, &key.key_id),
                &arn,
                region,
            ) else {
                continue;
            };
            if metadata.key_manager.as_deref() == Some("CUSTOMER")
                && metadata.key_state.as_deref() != Some("PendingDeletion")
            {
                found.push((region.as_str(), metadata));
            }
        }
    }
    found
}

/// A key's ARN from its metadata.
pub(crate) fn key_arn(ctx: &Context, region: &str, metadata: &kms::KeyMetadata) -> String {
    metadata.arn.clone().unwrap_or_else(|| {
        format!(
            "arn:aws:kms:{region}:{}:key/{}",
            ctx.account.id, metadata.key_id
        )
    })
}

/// The block in force for a bucket: each setting on when the bucket's own
/// block or the account's has it on. `Err` names what is unknown.
pub(crate) struct EffectiveBlock {
    /// The account's block (`None`: the account has none).
    pub(crate) account: Option<PublicAccessBlock>,
    /// The bucket's block (`None`: the bucket has none).
    pub(crate) bucket: Option<PublicAccessBlock>,
}

impl EffectiveBlock {
    /// Whether a setting (`RestrictPublicBuckets`, …) is in force.
    pub(crate) fn on(&self, setting: &str) -> bool {
        let of = |block: &Option<PublicAccessBlock>| {
            block.as_ref().is_some_and(|b| {
                b.settings()
                    .iter()
                    .any(|(name, on)| *name == setting && *on)
            })
        };
        of(&self.account) || of(&self.bucket)
    }

    /// The four settings as the auditor reads them: account, bucket, in force.
    pub(crate) fn table(&self) -> Value {
        let flags = |block: &Option<PublicAccessBlock>| {
            block
                .as_ref()
                .map(PublicAccessBlock::settings)
                .unwrap_or_else(|| PublicAccessBlock::default().settings())
        };
        let account = flags(&self.account);
        let bucket = flags(&self.bucket);
        Value::Array(
            account
                .iter()
                .zip(bucket.iter())
                .map(|((name, a), (_, b))| {
                    json!({"setting": name, "account": a, "bucket": b, "in force": *a || *b})
                })
                .collect(),
        )
    }
}

/// The block in force for `bucket`, or why it is unknown.
pub(crate) fn effective_block(ctx: &Context, bucket: &str) -> Result<EffectiveBlock, String> {
    let s3 = &ctx.account.s3;
    let account_key = s3::GET_ACCOUNT_PUBLIC_ACCESS_BLOCK.global();
    let account = match &s3.account_public_access_block {
        Collected::Present(block) => Some(block.clone()),
        Collected::NotConfigured { .. } => None,
        other => {
            return Err(other
                .unavailable_reason(&account_key)
                .unwrap_or_else(|| format!("{account_key} is unavailable")));
        }
    };
    let bucket_key = s3::GET_PUBLIC_ACCESS_BLOCK.about(GLOBAL, bucket);
    let own = match s3.public_access_block.get(bucket) {
        Some(Collected::Present(block)) => Some(block.clone()),
        Some(Collected::NotConfigured { .. }) => None,
        Some(other) => {
            return Err(other
                .unavailable_reason(&bucket_key)
                .unwrap_or_else(|| format!("{bucket_key} is unavailable")));
        }
        None => return Err(format!("{bucket_key} was not collected")),
    };
    Ok(EffectiveBlock {
        account,
        bucket: own,
    })
}

/// A bucket's policy, parsed; `Err` says why it cannot be read.
pub(crate) fn bucket_policy(
    document: &cartguard_inventory::PolicyDocument,
    bucket: &str,
) -> Result<Policy, String> {
    let name = format!("{}#bucket-policy", bucket_arn(bucket));
    Policy::from_document(&name, PolicyKind::Resource, document)
        .map_err(|e| format!("the bucket policy of {bucket} cannot be read: {e}"))
}

/// Words in a bucket's name that say it holds audit logs, orders, customer
/// or payment data, or backups.
const CRITICAL_WORDS: &[&str] = &[
    "log",
    "logs",
    "logging",
    "trail",
    "cloudtrail",
    "audit",
    "order",
    "orders",
    "customer",
    "customers",
    "payment",
    "payments",
    "invoice",
    "invoices",
    "billing",
    "backup",
    "backups",
    "pii",
    "cardholder",
];

/// Which buckets hold critical data: their names, and the buckets that
/// receive other buckets' access logs. Built once per rule, so that asking
/// about each bucket does not go over every bucket's logging again.
pub(crate) struct CriticalBuckets<'a> {
    /// Each bucket that receives access logs, with the buckets it receives
    /// them from, in name order.
    log_sources: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> CriticalBuckets<'a> {
    /// The account's access-log targets.
    pub(crate) fn of(ctx: &Context<'a>) -> Self {
        let mut log_sources: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        for (source, logging) in &ctx.account.s3.logging {
            if let Some(target) = logging.present().and_then(|l| l.logging_enabled.as_ref()) {
                log_sources
                    .entry(target.target_bucket.as_str())
                    .or_default()
                    .push(source.as_str());
            }
        }
        CriticalBuckets { log_sources }
    }

    /// Why a bucket holds critical data, if it does: a word of its name, or
    /// it receives other buckets' access logs.
    pub(crate) fn because(&self, bucket: &str) -> Option<String> {
        let word = bucket
            .split(['-', '.', '_'])
            .find(|part| CRITICAL_WORDS.contains(&part.to_ascii_lowercase().as_str()));
        if let Some(word) = word {
            return Some(format!("its name contains \"{word}\""));
        }
        let sources = self.log_sources.get(bucket)?;
        Some(format!(
            "it receives the access logs of {}",
            sources
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    /// Whether a bucket holds logs (its name, or it receives access logs).
    pub(crate) fn holds_logs(&self, bucket: &str) -> bool {
        self.because(bucket).is_some_and(|why| {
            why.contains("\"log")
                || why.contains("trail")
                || why.contains("audit")
                || why.contains("access logs")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;
    use cartguard_inventory::Account;
    use cartguard_inventory::s3::{BucketLogging, LoggingEnabled};

    fn logging_to(target: &str) -> Collected<BucketLogging> {
        Collected::Present(BucketLogging {
            logging_enabled: Some(LoggingEnabled {
                target_bucket: target.to_string(),
                target_prefix: None,
            }),
        })
    }

    #[test]
    fn critical_buckets_by_name_and_by_the_access_logs_they_receive() {
        let mut account = Account::default();
        let logging = &mut account.s3.logging;
        logging.insert("shop-media".into(), logging_to("shop-access"));
        logging.insert("app-assets".into(), logging_to("shop-access"));
        logging.insert(
            "shop-access".into(),
            Collected::Present(BucketLogging::default()),
        );
        logging.insert("reports".into(), logging_to("shop-logs"));
        let settings = Settings::default();
        let ctx = Context::new(&account, chrono::Utc::now(), &settings, None);
        let critical = CriticalBuckets::of(&ctx);
        assert_eq!(
            critical.because("shop-access").as_deref(),
            Some("it receives the access logs of `app-assets`, `shop-media`")
        );
        assert!(critical.holds_logs("shop-access"));
        assert_eq!(
            critical.because("shop-logs").as_deref(),
            Some("its name contains \"logs\"")
        );
        assert_eq!(
            critical.because("Customer_Orders").as_deref(),
            Some("its name contains \"Customer\"")
        );
        assert!(!critical.holds_logs("Customer_Orders"));
        assert_eq!(critical.because("shop-media"), None);
        assert!(!critical.holds_logs("app-assets"));
    }
}
