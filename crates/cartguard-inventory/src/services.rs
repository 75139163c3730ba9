//! Smaller services: IAM Access Analyzer, IAM Identity Center, and the data
//! stores listed for blast radius (Secrets Manager secrets, KMS keys).

use serde::{Deserialize, Serialize};

/// An IAM Access Analyzer analyzer (`accessanalyzer list-analyzers`; camelCase).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Analyzer {
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// `ACCOUNT`, `ORGANIZATION`, `ACCOUNT_UNUSED_ACCESS`, …
    #[serde(rename = "type")]
    pub analyzer_type: String,
    /// `ACTIVE`, `CREATING`, `DISABLED`, `FAILED`.
    #[serde(default)]
    pub status: Option<String>,
}

/// An IAM Identity Center instance (`sso-admin list-instances`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityCenterInstance {
    /// ARN.
    pub instance_arn: String,
    /// Identity store.
    #[serde(default)]
    pub identity_store_id: Option<String>,
    /// `ACTIVE`, …
    #[serde(default)]
    pub status: Option<String>,
}

/// A Secrets Manager secret, as `secretsmanager list-secrets` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Secret {
    /// ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// Name.
    #[serde(rename = "Name", default)]
    pub name: Option<String>,
}

/// A KMS key, as `kms list-keys` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KmsKey {
    /// The key id.
    pub key_id: String,
    /// The key's ARN.
    #[serde(default)]
    pub key_arn: Option<String>,
}
