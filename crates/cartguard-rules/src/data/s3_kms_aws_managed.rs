use cartguard_inventory::{kms, s3};
use serde_json::json;

use super::{DefaultEncryption, bucket_arn, default_encryptions};
use crate::{Context, Emitter, Failure, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A bucket encrypted with SSE-KMS (`get-bucket-encryption`) must name a
    /// customer managed key, not the AWS managed key `aws/s3`. Who manages the
    /// key is decided, in this order, by: no `KMSMasterKeyID` (S3 then uses
    /// `aws/s3`); a key named by its alias (`alias/aws/s3` is AWS's, any other
    /// alias a customer's); a key of another account (AWS managed keys are never
    /// shared); the key's `KeyManager` in `kms describe-key`; else the region's
    /// `kms list-aliases` (AWS managed keys always carry an `alias/aws/…` alias).
    /// The finding says which of these decided. Without any of them the bucket
    /// is not assessed.
    ///
    /// ## Why it matters
    /// The policy of an AWS managed key cannot be changed: every principal of the
    /// account that may use S3 may decrypt, the key cannot be disabled or shared
    /// with a backup account, and its rotation is not yours to set. PCI DSS 3.6.1
    /// asks for keys whose access is restricted to the fewest custodians.
    ///
    /// ## Severity
    /// Always low: the data is encrypted with KMS; only the key policy is not the
    /// store's own.
    ///
    /// ## How to fix
    ///
    /// ```sh
    /// aws kms create-key --description "shop data" && aws kms create-alias --alias-name alias/shop-data --target-key-id KEY_ID
    /// aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \
    ///   '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/shop-data"},"BucketKeyEnabled":true}]}'
    /// ```
    ///
    /// ## Example
    /// `{"SSEAlgorithm": "aws:kms"}` without a key, or with
    /// `"KMSMasterKeyID": "alias/aws/s3"`, fails; a key whose `describe-key` says
    /// `"KeyManager": "CUSTOMER"` passes.
    pub static RULE = {
        id: "s3-kms-aws-managed",
        title: "A bucket is encrypted with the AWS managed key aws/s3",
        severity: Low,
        area: Data,
        evidence: [
            super::BUCKETS,
            &[s3::GET_BUCKET_ENCRYPTION, s3::GET_BUCKET_LOCATION, kms::DESCRIBE_KEY, kms::LIST_ALIASES],
        ],
        check: check,
    };
}

/// Who manages the key, and what said so.
enum Manager {
    Aws(String),
    Customer,
    Unknown(String),
}

fn check(ctx: &Context, out: &mut Emitter) {
    for DefaultEncryption {
        bucket,
        configuration,
        default,
    } in default_encryptions(ctx, out)
    {
        let name = bucket.name.as_str();
        if !default.sse_algorithm.starts_with("aws:kms") {
            continue;
        }
        let region = ctx
            .account
            .s3
            .region_of(name)
            .or_else(|| bucket.bucket_region.clone());
        let manager = match default.kms_master_key_id.as_deref() {
            None | Some("") => Manager::Aws(
                "the configuration names no KMSMasterKeyID, so S3 uses the AWS managed key aws/s3"
                    .into(),
            ),
            Some(key) => manager_of(ctx, key, region.as_deref()),
        };
        let because = match manager {
            Manager::Customer => continue,
            Manager::Unknown(reason) => {
                out.not_assessed(&bucket_arn(name), "global", reason);
                continue;
            }
            Manager::Aws(because) => because,
        };
        out.fail(Failure {
            detail: format!(
                "Bucket `{name}` is encrypted with the AWS managed key aws/s3 ({because}). Its key policy cannot be narrowed: any principal of the account allowed to use S3 can decrypt the objects."
            ),
            evidence: json!({
                "source": "get-bucket-encryption",
                "bucket": name,
                "ServerSideEncryptionConfiguration": configuration,
                "decided by": because,
            }),
            remediation: format!(
                "aws kms create-key --description \"{name} data\" && aws kms create-alias --alias-name alias/{name} --target-key-id KEY_ID && aws s3api put-bucket-encryption --bucket {name} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"alias/{name}\"}},\"BucketKeyEnabled\":true}}]}}'"
            ),
            ..Failure::global(bucket_arn(name))
        });
    }
}

/// Who manages the key a bucket names (a key id, key ARN, alias or alias ARN).
fn manager_of(ctx: &Context, key: &str, bucket_region: Option<&str>) -> Manager {
    let fields: Vec<&str> = key.splitn(6, ':').collect();
    let (region, account, resource) = if fields.len() == 6 && fields[0] == "arn" {
        (Some(fields[3]), Some(fields[4]), fields[5])
    } else {
        (bucket_region, None, key)
    };
    if let Some(alias) = resource.strip_prefix("alias/") {
        return if alias.starts_with("aws/") {
            Manager::Aws(format!("the configuration names the alias {resource}"))
        } else {
            Manager::Customer
        };
    }
    if account.is_some_and(|a| a != ctx.account.id && ctx.account.id != "unknown") {
        // AWS managed keys cannot be used from another account.
        return Manager::Customer;
    }
    let key_id = resource.strip_prefix("key/").unwrap_or(resource);
    let regions: Vec<&str> = match region {
        Some(region) => vec![region],
        None => ctx.account.regions.keys().map(String::as_str).collect(),
    };
    let mut missing: Vec<String> = Vec::new();
    for region in &regions {
        let Some(evidence) = ctx.account.regions.get(*region) else {
            missing.push(format!(
                "{} and {} were not collected",
                kms::DESCRIBE_KEY.about(region, key_id),
                kms::LIST_ALIASES.key(region)
            ));
            continue;
        };
        let described = evidence.kms.key_metadata.get(key_id);
        if let Some(metadata) = described.and_then(|c| c.present()) {
            return match metadata.key_manager.as_deref() {
                Some("AWS") => Manager::Aws(format!(
                    "kms describe-key says KeyManager AWS for {key_id} in {region}"
                )),
                Some(_) => Manager::Customer,
                None => Manager::Unknown(format!(
                    "{} gives no KeyManager",
                    kms::DESCRIBE_KEY.about(region, key_id)
                )),
            };
        }
        if let Some(aliases) = evidence.kms.aliases.present() {
            let names: Vec<&str> = aliases
                .iter()
                .filter(|a| a.target_key_id.as_deref() == Some(key_id))
                .map(|a| a.alias_name.as_str())
                .collect();
            if let Some(aws) = names.iter().find(|n| n.starts_with("alias/aws/")) {
                return Manager::Aws(format!("kms list-aliases in {region} names {key_id} {aws}"));
            }
            if region_holds(evidence, key_id) || !names.is_empty() || regions.len() == 1 {
                // Every AWS managed key carries its alias/aws/… name.
                return Manager::Customer;
            }
            continue;
        }
        let describe = described
            .and_then(|c| c.unavailable_reason(&kms::DESCRIBE_KEY.about(region, key_id)))
            .unwrap_or_else(|| {
                format!(
                    "{} was not collected",
                    kms::DESCRIBE_KEY.about(region, key_id)
                )
            });
        let aliases = evidence
            .kms
            .aliases
            .unavailable_reason(&kms::LIST_ALIASES.key(region))
            .unwrap_or_default();
        missing.push(format!("{describe}; {aliases}"));
    }
    if missing.is_empty() {
        missing.push(format!(
            "no region's kms:DescribeKey or kms:ListAliases evidence names the key {key_id}, and the bucket's region is unknown"
        ));
    }
    Manager::Unknown(format!(
        "who manages the bucket's key {key} cannot be told: {}",
        missing.join("; ")
    ))
}

/// Whether the region's key list holds the key.
fn region_holds(evidence: &cartguard_inventory::Region, key_id: &str) -> bool {
    evidence
        .kms
        .keys
        .present()
        .is_some_and(|keys| keys.iter().any(|k| k.key_id == key_id))
}
