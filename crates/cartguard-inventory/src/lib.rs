//! The typed model of what cartguard audits: one [`Account`] per AWS account,
//! as collected from an evidence folder, a snapshot or a live account.
//!
//! The structs mirror the shapes the AWS CLI prints (`--output json`), so an
//! evidence file deserializes straight into them; unknown fields are ignored and
//! every field AWS may omit is optional. The whole [`Inventory`] serializes with
//! serde: that is the snapshot format. The model knows no verdicts.

pub mod collected;
pub mod ec2;
pub mod elbv2;
pub mod iam;
pub mod policy;
pub mod rds;
pub mod s3;
pub mod services;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use collected::Collected;
pub use policy::PolicyDocument;

/// Schema identifier written into every snapshot.
pub const SNAPSHOT_SCHEMA: &str = "cartguard.snapshot/v1";

/// Everything a scan looks at: the accounts and (later) the server files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Inventory {
    /// Snapshot schema identifier ([`SNAPSHOT_SCHEMA`]).
    #[serde(default = "default_schema")]
    pub schema: String,
    /// The AWS accounts in this picture.
    #[serde(default)]
    pub accounts: Vec<Account>,
}

impl Default for Inventory {
    fn default() -> Self {
        Inventory {
            schema: default_schema(),
            accounts: Vec::new(),
        }
    }
}

fn default_schema() -> String {
    SNAPSHOT_SCHEMA.to_string()
}

/// One AWS account as collected.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account id, or `unknown` when no evidence names it.
    pub id: String,
    /// Where this account's evidence came from (`evidence:<dir>`, `aws:<profile>`, …).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Account-wide IAM evidence.
    #[serde(default)]
    pub iam: iam::IamEvidence,
    /// Account-wide S3 evidence.
    #[serde(default)]
    pub s3: s3::S3Evidence,
    /// Per-region evidence, keyed by region name (`us-east-1`).
    #[serde(default)]
    pub regions: BTreeMap<String, Region>,
}

impl Account {
    /// The ARN of the account's root user.
    pub fn root_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.id)
    }
}

/// Evidence collected in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Region {
    /// EC2 networking and instances.
    #[serde(default)]
    pub ec2: ec2::Ec2Evidence,
    /// RDS database instances.
    #[serde(default)]
    pub rds: rds::RdsEvidence,
    /// Application, network and gateway load balancers.
    #[serde(default)]
    pub elbv2: elbv2::Elbv2Evidence,
    /// IAM Access Analyzer analyzers.
    #[serde(default)]
    pub access_analyzers: Collected<Vec<services::Analyzer>>,
    /// IAM Identity Center instances.
    #[serde(default)]
    pub identity_center_instances: Collected<Vec<services::IdentityCenterInstance>>,
    /// Secrets Manager secrets (`list-secrets`).
    #[serde(default)]
    pub secrets: Collected<Vec<services::Secret>>,
    /// DynamoDB table names (`list-tables`).
    #[serde(default)]
    pub dynamodb_tables: Collected<Vec<String>>,
    /// KMS keys (`kms list-keys`).
    #[serde(default)]
    pub kms_keys: Collected<Vec<services::KmsKey>>,
    /// Each key's `default` key policy (`kms get-key-policy`), by key id.
    #[serde(default)]
    pub kms_key_policies: BTreeMap<String, Collected<PolicyDocument>>,
}

impl Region {
    /// Whether the region holds workload resources (instances, databases or load
    /// balancers) according to the evidence that was collected.
    pub fn has_workloads(&self) -> bool {
        let instances = self.ec2.instances.present().is_some_and(|v| !v.is_empty());
        let databases = self
            .rds
            .db_instances
            .present()
            .is_some_and(|v| !v.is_empty());
        let balancers = self
            .elbv2
            .load_balancers
            .present()
            .is_some_and(|v| !v.is_empty());
        instances || databases || balancers
    }
}

/// A resource tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// Tag key.
    pub key: String,
    /// Tag value.
    #[serde(default)]
    pub value: String,
}

/// The value of the `Name` tag, if any.
pub fn name_tag(tags: &[Tag]) -> Option<&str> {
    tags.iter()
        .find(|t| t.key == "Name")
        .map(|t| t.value.as_str())
}

/// AWS timestamps as the CLI prints them (RFC 3339).
pub type Timestamp = chrono::DateTime<chrono::Utc>;
