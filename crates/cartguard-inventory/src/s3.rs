//! Amazon S3: the account's buckets, each bucket's configuration (encryption,
//! versioning, public access block, policy, ACL, logging, object lock,
//! location) and the account-level public access block.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, Timestamp, each, one};

/// `s3:ListBuckets`.
pub const LIST_BUCKETS: Operation = Operation::account("s3", "ListBuckets");
/// `s3:GetBucketEncryption`, per bucket.
pub const GET_BUCKET_ENCRYPTION: Operation =
    Operation::account("s3", "GetBucketEncryption").per("bucket");
/// `s3:GetBucketVersioning` (status and MFA delete), per bucket.
pub const GET_BUCKET_VERSIONING: Operation =
    Operation::account("s3", "GetBucketVersioning").per("bucket");
/// `s3:GetPublicAccessBlock` (the bucket's own block), per bucket.
pub const GET_PUBLIC_ACCESS_BLOCK: Operation =
    Operation::account("s3", "GetPublicAccessBlock").per("bucket");
/// `s3:GetBucketPolicy`, per bucket.
pub const GET_BUCKET_POLICY: Operation = Operation::account("s3", "GetBucketPolicy").per("bucket");
/// `s3:GetBucketAcl`, per bucket.
pub const GET_BUCKET_ACL: Operation = Operation::account("s3", "GetBucketAcl").per("bucket");
/// `s3:GetBucketLogging` (server access logging), per bucket.
pub const GET_BUCKET_LOGGING: Operation =
    Operation::account("s3", "GetBucketLogging").per("bucket");
/// `s3:GetObjectLockConfiguration`, per bucket.
pub const GET_OBJECT_LOCK_CONFIGURATION: Operation =
    Operation::account("s3", "GetObjectLockConfiguration").per("bucket");
/// `s3:GetBucketLocation`, per bucket.
pub const GET_BUCKET_LOCATION: Operation =
    Operation::account("s3", "GetBucketLocation").per("bucket");
/// The account's public access block (`s3control get-public-access-block`),
/// named by the IAM action that reads it.
pub const GET_ACCOUNT_PUBLIC_ACCESS_BLOCK: Operation =
    Operation::account("s3", "GetAccountPublicAccessBlock");

/// Every S3 operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    LIST_BUCKETS,
    GET_BUCKET_ENCRYPTION,
    GET_BUCKET_VERSIONING,
    GET_PUBLIC_ACCESS_BLOCK,
    GET_BUCKET_POLICY,
    GET_BUCKET_ACL,
    GET_BUCKET_LOGGING,
    GET_OBJECT_LOCK_CONFIGURATION,
    GET_BUCKET_LOCATION,
    GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,
];

/// Account-wide S3 evidence. The per-bucket answers are keyed by bucket name;
/// a bucket without an entry was not asked about (not collected).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct S3Evidence {
    /// `s3api list-buckets`.
    #[serde(default)]
    pub buckets: Collected<Vec<Bucket>>,
    /// `s3api get-bucket-encryption`; `NotConfigured`
    /// (`ServerSideEncryptionConfigurationNotFoundError`) when the bucket has
    /// no default encryption.
    #[serde(default)]
    pub encryption: BTreeMap<String, Collected<EncryptionConfiguration>>,
    /// `s3api get-bucket-versioning`.
    #[serde(default)]
    pub versioning: BTreeMap<String, Collected<Versioning>>,
    /// `s3api get-public-access-block`; `NotConfigured`
    /// (`NoSuchPublicAccessBlockConfiguration`) when the bucket has none.
    #[serde(default)]
    pub public_access_block: BTreeMap<String, Collected<PublicAccessBlock>>,
    /// `s3api get-bucket-policy`; `NotConfigured` (`NoSuchBucketPolicy`) when
    /// the bucket has no policy.
    #[serde(default)]
    pub policies: BTreeMap<String, Collected<PolicyDocument>>,
    /// `s3api get-bucket-acl`.
    #[serde(default)]
    pub acls: BTreeMap<String, Collected<BucketAcl>>,
    /// `s3api get-bucket-logging`.
    #[serde(default)]
    pub logging: BTreeMap<String, Collected<BucketLogging>>,
    /// `s3api get-object-lock-configuration`; `NotConfigured`
    /// (`ObjectLockConfigurationNotFoundError`) when object lock is off.
    #[serde(default)]
    pub object_lock: BTreeMap<String, Collected<ObjectLockConfiguration>>,
    /// `s3api get-bucket-location`.
    #[serde(default)]
    pub locations: BTreeMap<String, Collected<BucketLocation>>,
    /// `s3control get-public-access-block --account-id`; `NotConfigured`
    /// (`NoSuchPublicAccessBlockConfiguration`) when the account has none.
    #[serde(default)]
    pub account_public_access_block: Collected<PublicAccessBlock>,
}

impl S3Evidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_BUCKETS => one(&self.buckets),
            GET_BUCKET_ENCRYPTION => each(&self.encryption),
            GET_BUCKET_VERSIONING => each(&self.versioning),
            GET_PUBLIC_ACCESS_BLOCK => each(&self.public_access_block),
            GET_BUCKET_POLICY => each(&self.policies),
            GET_BUCKET_ACL => each(&self.acls),
            GET_BUCKET_LOGGING => each(&self.logging),
            GET_OBJECT_LOCK_CONFIGURATION => each(&self.object_lock),
            GET_BUCKET_LOCATION => each(&self.locations),
            GET_ACCOUNT_PUBLIC_ACCESS_BLOCK => one(&self.account_public_access_block),
            _ => return None,
        })
    }

    /// The region a bucket lives in, when its location was collected
    /// (`us-east-1` for the empty constraint, `eu-west-1` for the legacy `EU`).
    pub fn region_of(&self, bucket: &str) -> Option<String> {
        self.locations
            .get(bucket)?
            .present()
            .map(BucketLocation::region)
    }
}

/// A bucket, as `list-buckets` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Bucket {
    /// The bucket's name.
    pub name: String,
    /// When it was created.
    #[serde(default)]
    pub creation_date: Option<Timestamp>,
    /// The bucket's region, which newer CLI versions print.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_region: Option<String>,
}

impl Bucket {
    /// The bucket's ARN (`partition` is `aws`, `aws-cn` or `aws-us-gov`).
    pub fn arn(&self, partition: &str) -> String {
        format!("arn:{partition}:s3:::{}", self.name)
    }
}

/// A bucket's default encryption (`ServerSideEncryptionConfiguration`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionConfiguration {
    /// The rules; S3 applies the first.
    #[serde(default)]
    pub rules: Vec<EncryptionRule>,
}

/// One rule of a bucket's default encryption.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionRule {
    /// The default algorithm and key.
    #[serde(default)]
    pub apply_server_side_encryption_by_default: Option<EncryptionByDefault>,
    /// Whether S3 Bucket Keys are used with SSE-KMS.
    #[serde(default)]
    pub bucket_key_enabled: Option<bool>,
}

/// The default algorithm and key of a bucket's encryption.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EncryptionByDefault {
    /// `AES256` (SSE-S3), `aws:kms` (SSE-KMS), `aws:kms:dsse` (DSSE-KMS).
    #[serde(rename = "SSEAlgorithm")]
    pub sse_algorithm: String,
    /// The KMS key (id, ARN, alias name or alias ARN); absent with SSE-KMS
    /// means the AWS managed key `aws/s3`.
    #[serde(rename = "KMSMasterKeyID", default)]
    pub kms_master_key_id: Option<String>,
}

/// A bucket's versioning state. `{}` (both absent) means versioning was never enabled.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Versioning {
    /// `Enabled` or `Suspended`.
    #[serde(rename = "Status", default)]
    pub status: Option<String>,
    /// `Enabled` or `Disabled`; absent when MFA delete was never configured.
    #[serde(rename = "MFADelete", default)]
    pub mfa_delete: Option<String>,
}

impl Versioning {
    /// Whether versioning is on.
    pub fn is_enabled(&self) -> bool {
        self.status.as_deref() == Some("Enabled")
    }

    /// Whether MFA delete is on.
    pub fn mfa_delete_enabled(&self) -> bool {
        self.mfa_delete.as_deref() == Some("Enabled")
    }
}

/// The four settings of a public access block (bucket or account). A setting
/// AWS leaves out is off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlock {
    /// Refuse new public ACLs.
    #[serde(default)]
    pub block_public_acls: Option<bool>,
    /// Ignore existing public ACLs.
    #[serde(default)]
    pub ignore_public_acls: Option<bool>,
    /// Refuse new public bucket policies.
    #[serde(default)]
    pub block_public_policy: Option<bool>,
    /// Restrict buckets with public policies to the owner's account and AWS services.
    #[serde(default)]
    pub restrict_public_buckets: Option<bool>,
}

impl PublicAccessBlock {
    /// The four settings by their AWS names, in AWS's order.
    pub fn settings(&self) -> [(&'static str, bool); 4] {
        [
            ("BlockPublicAcls", self.block_public_acls == Some(true)),
            ("IgnorePublicAcls", self.ignore_public_acls == Some(true)),
            ("BlockPublicPolicy", self.block_public_policy == Some(true)),
            (
                "RestrictPublicBuckets",
                self.restrict_public_buckets == Some(true),
            ),
        ]
    }

    /// Whether all four settings are on.
    pub fn fully_on(&self) -> bool {
        self.settings().iter().all(|(_, on)| *on)
    }
}

/// A bucket's access control list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketAcl {
    /// The bucket owner.
    #[serde(default)]
    pub owner: Option<AclOwner>,
    /// The grants.
    #[serde(default)]
    pub grants: Vec<Grant>,
}

/// The owner of a bucket, as its ACL names it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AclOwner {
    /// The canonical user id.
    #[serde(rename = "ID", default)]
    pub id: Option<String>,
    /// The display name (some regions only).
    #[serde(default)]
    pub display_name: Option<String>,
}

/// One grant of an ACL.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Grant {
    /// Who is granted.
    #[serde(default)]
    pub grantee: Grantee,
    /// `FULL_CONTROL`, `WRITE`, `WRITE_ACP`, `READ` or `READ_ACP`.
    #[serde(default)]
    pub permission: String,
}

/// The grantee of an ACL grant.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Grantee {
    /// `CanonicalUser`, `AmazonCustomerByEmail` or `Group`.
    #[serde(rename = "Type", default)]
    pub kind: String,
    /// The group's URI, for groups.
    #[serde(rename = "URI", default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// The canonical user id, for users.
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The display name, when AWS gives one.
    #[serde(
        rename = "DisplayName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    /// The e-mail address, for grants by e-mail.
    #[serde(
        rename = "EmailAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_address: Option<String>,
}

/// Where S3's predefined ACL groups are named.
pub const ACL_GROUPS: &str = "http://acs.amazonaws.com/groups/";
/// The group "everyone, signed in or not", under [`ACL_GROUPS`].
pub const ALL_USERS: &str = "global/AllUsers";
/// The group "anyone with an AWS account", under [`ACL_GROUPS`].
pub const AUTHENTICATED_USERS: &str = "global/AuthenticatedUsers";

impl Grantee {
    /// The public group this grantee is (`AllUsers` or `AuthenticatedUsers`), if any.
    pub fn public_group(&self) -> Option<&'static str> {
        let uri = self.uri.as_deref()?;
        // AWS accepts both schemes in ACLs it is given.
        let uri = uri.replacen("https://", "http://", 1);
        let group = uri.strip_prefix(ACL_GROUPS)?;
        if group == ALL_USERS {
            Some("AllUsers")
        } else if group == AUTHENTICATED_USERS {
            Some("AuthenticatedUsers")
        } else {
            None
        }
    }
}

/// A bucket's server access logging. `LoggingEnabled` absent: logging is off.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketLogging {
    /// Where the access logs go.
    #[serde(default)]
    pub logging_enabled: Option<LoggingEnabled>,
}

/// The target of a bucket's access logs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoggingEnabled {
    /// The bucket that receives the logs.
    #[serde(default)]
    pub target_bucket: String,
    /// The key prefix of the logs.
    #[serde(default)]
    pub target_prefix: Option<String>,
}

/// A bucket's object lock configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ObjectLockConfiguration {
    /// `Enabled` when object lock is on.
    #[serde(default)]
    pub object_lock_enabled: Option<String>,
    /// The default retention, if any.
    #[serde(default)]
    pub rule: Option<ObjectLockRule>,
}

/// The default retention rule of object lock.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ObjectLockRule {
    /// The retention.
    #[serde(default)]
    pub default_retention: Option<DefaultRetention>,
}

/// Object lock's default retention.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DefaultRetention {
    /// `GOVERNANCE` or `COMPLIANCE`.
    #[serde(default)]
    pub mode: Option<String>,
    /// Days of retention.
    #[serde(default)]
    pub days: Option<i64>,
    /// Years of retention.
    #[serde(default)]
    pub years: Option<i64>,
}

/// A bucket's location constraint.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketLocation {
    /// The region; `null` for us-east-1, `EU` for the legacy eu-west-1.
    #[serde(default)]
    pub location_constraint: Option<String>,
}

impl BucketLocation {
    /// The region name the constraint stands for.
    pub fn region(&self) -> String {
        match self.location_constraint.as_deref() {
            None | Some("") => "us-east-1".to_string(),
            Some("EU") => "eu-west-1".to_string(),
            Some(region) => region.to_string(),
        }
    }
}
