//! AWS Security Hub: whether the hub is enabled.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `securityhub:DescribeHub`. Where the hub is not enabled, Security Hub
/// answers `InvalidAccessException` ("not subscribed"), read as not configured.
pub const DESCRIBE_HUB: Operation = Operation::regional("securityhub", "DescribeHub");

/// Every AWS Security Hub operation the model holds.
pub const OPERATIONS: &[Operation] = &[DESCRIBE_HUB];

/// AWS Security Hub evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SecurityHubEvidence {
    /// `securityhub describe-hub`.
    #[serde(default)]
    pub hub: Collected<Hub>,
}

impl SecurityHubEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_HUB => one(&self.hub),
            _ => return None,
        })
    }
}

/// An enabled hub (`describe-hub`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Hub {
    /// The hub's ARN.
    pub hub_arn: String,
    /// When the account enabled it.
    #[serde(default)]
    pub subscribed_at: Option<String>,
}
