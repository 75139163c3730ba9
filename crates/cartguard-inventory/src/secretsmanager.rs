//! AWS Secrets Manager.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `secretsmanager:ListSecrets`.
pub const LIST_SECRETS: Operation = Operation::regional("secretsmanager", "ListSecrets");

/// Every Secrets Manager operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_SECRETS];

/// Secrets Manager evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SecretsManagerEvidence {
    /// `secretsmanager list-secrets`.
    #[serde(default)]
    pub secrets: Collected<Vec<Secret>>,
}

impl SecretsManagerEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_SECRETS => one(&self.secrets),
            _ => return None,
        })
    }
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
