//! The account's S3 evidence: the bucket list, each bucket's configuration,
//! and the account's public access block.

use std::collections::BTreeMap;

use cartguard_inventory::s3::{
    Bucket, BucketAcl, BucketLocation, BucketLogging, EncryptionConfiguration,
    GET_ACCOUNT_PUBLIC_ACCESS_BLOCK, GET_BUCKET_ACL, GET_BUCKET_ENCRYPTION, GET_BUCKET_LOCATION,
    GET_BUCKET_LOGGING, GET_BUCKET_POLICY, GET_BUCKET_VERSIONING, GET_OBJECT_LOCK_CONFIGURATION,
    GET_PUBLIC_ACCESS_BLOCK, LIST_BUCKETS, LoggingEnabled, ObjectLockConfiguration,
    PublicAccessBlock, S3Evidence, Versioning,
};
use cartguard_inventory::{Collected, GLOBAL, PolicyDocument};

use super::{Response, response};
use crate::EvidenceError;
use crate::folder::Reader;

response!(BucketsResponse { buckets: "Buckets" => Vec<Bucket> });
response!(EncryptionResponse {
    configuration: "ServerSideEncryptionConfiguration" => EncryptionConfiguration
});
response!(PublicAccessBlockResponse {
    configuration: "PublicAccessBlockConfiguration" => PublicAccessBlock
});
response!(BucketPolicyResponse { policy: "Policy" => String });
response!(AclResponse {
    owner: "Owner" => serde_json::Value,
    grants: "Grants" => Vec<cartguard_inventory::s3::Grant>,
});
response!(ObjectLockResponse {
    configuration: "ObjectLockConfiguration" => ObjectLockConfiguration
});
response!(LocationResponse { constraint: "LocationConstraint" => Option<String> });

/// `get-bucket-versioning`: `{}` for a bucket never versioned.
#[derive(serde::Deserialize)]
pub(crate) struct VersioningResponse {
    #[serde(rename = "Status", default)]
    status: Option<String>,
    #[serde(rename = "MFADelete", default)]
    mfa_delete: Option<String>,
}

impl Response for VersioningResponse {
    const REQUIRED: &'static [&'static str] = &[];
    const ONLY: &'static [&'static str] = &["Status", "MFADelete"];
}

/// `get-bucket-logging`: `{}` when access logging is off.
#[derive(serde::Deserialize)]
pub(crate) struct LoggingResponse {
    #[serde(rename = "LoggingEnabled", default)]
    logging_enabled: Option<LoggingEnabled>,
}

impl Response for LoggingResponse {
    const REQUIRED: &'static [&'static str] = &[];
    const ONLY: &'static [&'static str] = &["LoggingEnabled"];
}

/// Reads the account's S3 evidence.
pub(crate) fn read(reader: &mut Reader, out: &mut S3Evidence) -> Result<(), EvidenceError> {
    out.buckets = reader.load(&LIST_BUCKETS.global(), |r: BucketsResponse| r.buckets)?;
    out.encryption = reader.load_each(GET_BUCKET_ENCRYPTION, GLOBAL, |r: EncryptionResponse| {
        r.configuration
    })?;
    out.versioning = reader.load_each(GET_BUCKET_VERSIONING, GLOBAL, |r: VersioningResponse| {
        Versioning {
            status: r.status,
            mfa_delete: r.mfa_delete,
        }
    })?;
    out.public_access_block = reader.load_each(
        GET_PUBLIC_ACCESS_BLOCK,
        GLOBAL,
        |r: PublicAccessBlockResponse| r.configuration,
    )?;
    out.policies = policies(reader)?;
    out.acls = reader.load_each(GET_BUCKET_ACL, GLOBAL, |r: AclResponse| BucketAcl {
        owner: serde_json::from_value(r.owner).ok(),
        grants: r.grants,
    })?;
    out.logging = reader.load_each(GET_BUCKET_LOGGING, GLOBAL, |r: LoggingResponse| {
        BucketLogging {
            logging_enabled: r.logging_enabled,
        }
    })?;
    out.object_lock = reader.load_each(
        GET_OBJECT_LOCK_CONFIGURATION,
        GLOBAL,
        |r: ObjectLockResponse| r.configuration,
    )?;
    out.locations = reader.load_each(GET_BUCKET_LOCATION, GLOBAL, |r: LocationResponse| {
        BucketLocation {
            location_constraint: r.constraint,
        }
    })?;
    out.account_public_access_block = reader.load(
        &GET_ACCOUNT_PUBLIC_ACCESS_BLOCK.global(),
        |r: PublicAccessBlockResponse| r.configuration,
    )?;
    Ok(())
}

/// Each bucket's policy: the CLI prints the document as a JSON string under
/// `Policy`, which must itself be a policy document.
fn policies(
    reader: &mut Reader,
) -> Result<BTreeMap<String, Collected<PolicyDocument>>, EvidenceError> {
    let mut out = BTreeMap::new();
    for (bucket, policy) in
        reader.load_each(GET_BUCKET_POLICY, GLOBAL, |r: BucketPolicyResponse| {
            r.policy
        })?
    {
        let document = match policy.into_present() {
            Ok(text) => Collected::Present(reader.embedded_policy(
                &GET_BUCKET_POLICY.about(GLOBAL, &bucket),
                "Policy",
                &text,
            )?),
            Err(absent) => absent,
        };
        out.insert(bucket, document);
    }
    Ok(out)
}
