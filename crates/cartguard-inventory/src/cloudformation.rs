//! AWS CloudFormation: stacks and the service roles they run with.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `cloudformation:DescribeStacks`.
pub const DESCRIBE_STACKS: Operation = Operation::regional("cloudformation", "DescribeStacks");

/// Every CloudFormation operation the model holds.
pub const OPERATIONS: &[Operation] = &[DESCRIBE_STACKS];

/// CloudFormation evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CloudFormationEvidence {
    /// `cloudformation describe-stacks`.
    #[serde(default)]
    pub stacks: Collected<Vec<Stack>>,
}

impl CloudFormationEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_STACKS => one(&self.stacks),
            _ => return None,
        })
    }
}

/// A stack, as `cloudformation describe-stacks` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stack {
    /// The stack's name.
    pub stack_name: String,
    /// The stack's ARN.
    #[serde(default)]
    pub stack_id: Option<String>,
    /// The service role CloudFormation uses for the stack's operations, if any.
    #[serde(rename = "RoleARN", default)]
    pub role_arn: Option<String>,
    /// `CREATE_COMPLETE`, `UPDATE_ROLLBACK_COMPLETE`, …
    #[serde(default)]
    pub stack_status: Option<String>,
}

impl Stack {
    /// Whether the stack is gone (deleted stacks are listed for a while).
    pub fn is_deleted(&self) -> bool {
        self.stack_status.as_deref() == Some("DELETE_COMPLETE")
    }
}
