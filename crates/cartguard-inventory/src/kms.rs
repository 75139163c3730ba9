//! AWS KMS: keys, their key policies, metadata and aliases.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, each, one};

/// `kms:ListKeys`.
pub const LIST_KEYS: Operation = Operation::regional("kms", "ListKeys");
/// `kms:GetKeyPolicy` (the `default` policy), per key.
pub const GET_KEY_POLICY: Operation = Operation::regional("kms", "GetKeyPolicy").per("key");

/// `kms:DescribeKey`, per key: who manages the key, its spec and state.
pub const DESCRIBE_KEY: Operation = Operation::regional("kms", "DescribeKey").per("key");
/// `kms:ListAliases`: the region's aliases and the keys they name.
pub const LIST_ALIASES: Operation = Operation::regional("kms", "ListAliases");

/// `kms:GetKeyRotationStatus`, per key: whether automatic rotation is on.
pub const GET_KEY_ROTATION_STATUS: Operation =
    Operation::regional("kms", "GetKeyRotationStatus").per("key");

/// Every KMS operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    LIST_KEYS,
    GET_KEY_POLICY,
    DESCRIBE_KEY,
    LIST_ALIASES,
    GET_KEY_ROTATION_STATUS,
];

/// KMS evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KmsEvidence {
    /// `kms list-keys`.
    #[serde(default)]
    pub keys: Collected<Vec<KmsKey>>,
    /// Each key's `default` key policy (`kms get-key-policy`), by key id.
    #[serde(default)]
    pub key_policies: BTreeMap<String, Collected<PolicyDocument>>,
    /// Each key's metadata (`kms describe-key`), by key id.
    #[serde(default)]
    pub key_metadata: BTreeMap<String, Collected<KeyMetadata>>,
    /// `kms list-aliases`.
    #[serde(default)]
    pub aliases: Collected<Vec<KmsAlias>>,
    /// Each key's rotation status (`kms get-key-rotation-status`), by key id.
    #[serde(default)]
    pub rotation: BTreeMap<String, Collected<RotationStatus>>,
}

impl KmsEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_KEYS => one(&self.keys),
            GET_KEY_POLICY => each(&self.key_policies),
            DESCRIBE_KEY => each(&self.key_metadata),
            LIST_ALIASES => one(&self.aliases),
            GET_KEY_ROTATION_STATUS => each(&self.rotation),
            _ => return None,
        })
    }
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

/// A key's metadata, as `kms describe-key` prints it under `KeyMetadata`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadata {
    /// The key id.
    #[serde(default)]
    pub key_id: String,
    /// The key's ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// `AWS` for AWS managed keys, `CUSTOMER` for customer managed keys.
    #[serde(default)]
    pub key_manager: Option<String>,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, …
    #[serde(default)]
    pub key_spec: Option<String>,
    /// `Enabled`, `Disabled`, `PendingDeletion`, …
    #[serde(default)]
    pub key_state: Option<String>,
    /// Where the key material comes from: `AWS_KMS`, `EXTERNAL` (imported),
    /// `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    #[serde(default)]
    pub origin: Option<String>,
}

/// An alias, as `kms list-aliases` prints it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KmsAlias {
    /// `alias/…`; names under `alias/aws/` belong to AWS managed keys.
    pub alias_name: String,
    /// The alias's ARN.
    #[serde(default)]
    pub alias_arn: Option<String>,
    /// The id of the key it names (absent for AWS aliases not yet used).
    #[serde(default)]
    pub target_key_id: Option<String>,
}

/// A key's automatic rotation, as `kms get-key-rotation-status` prints it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationStatus {
    /// Whether AWS rotates the key material automatically.
    pub key_rotation_enabled: bool,
    /// Days between rotations, when AWS reports it.
    #[serde(default)]
    pub rotation_period_in_days: Option<i64>,
}
