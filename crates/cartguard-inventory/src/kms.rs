//! AWS KMS: keys and their key policies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, PolicyDocument, each, one};

/// `kms:ListKeys`.
pub const LIST_KEYS: Operation = Operation::regional("kms", "ListKeys");
/// `kms:GetKeyPolicy` (the `default` policy), per key.
pub const GET_KEY_POLICY: Operation = Operation::regional("kms", "GetKeyPolicy").per("key");

/// Every KMS operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_KEYS, GET_KEY_POLICY];

/// KMS evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KmsEvidence {
    /// `kms list-keys`.
    #[serde(default)]
    pub keys: Collected<Vec<KmsKey>>,
    /// Each key's `default` key policy (`kms get-key-policy`), by key id.
    #[serde(default)]
    pub key_policies: BTreeMap<String, Collected<PolicyDocument>>,
}

impl KmsEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_KEYS => one(&self.keys),
            GET_KEY_POLICY => each(&self.key_policies),
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
