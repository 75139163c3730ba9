//! AWS Systems Manager Parameter Store: parameter names and types only. The
//! values are never read (`ssm get-parameters` is not called).

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `ssm:DescribeParameters`.
pub const DESCRIBE_PARAMETERS: Operation = Operation::regional("ssm", "DescribeParameters");

/// Every Systems Manager operation the model holds.
pub const OPERATIONS: &[Operation] = &[DESCRIBE_PARAMETERS];

/// Parameter Store evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SsmEvidence {
    /// `ssm describe-parameters`.
    #[serde(default)]
    pub parameters: Collected<Vec<ParameterMetadata>>,
}

impl SsmEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_PARAMETERS => one(&self.parameters),
            _ => return None,
        })
    }
}

/// A parameter's metadata, as `ssm describe-parameters` prints it (no value).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParameterMetadata {
    /// Name (`/shop/prod/db-password`).
    pub name: String,
    /// ARN.
    #[serde(rename = "ARN", default)]
    pub arn: Option<String>,
    /// `String`, `StringList` or `SecureString`.
    #[serde(rename = "Type", default)]
    pub parameter_type: Option<String>,
    /// The KMS key of a `SecureString`.
    #[serde(default)]
    pub key_id: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}
