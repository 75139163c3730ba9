//! Amazon DynamoDB.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `dynamodb:ListTables`.
pub const LIST_TABLES: Operation = Operation::regional("dynamodb", "ListTables");

/// Every DynamoDB operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_TABLES];

/// DynamoDB evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DynamoDbEvidence {
    /// `dynamodb list-tables`: the table names.
    #[serde(default)]
    pub tables: Collected<Vec<String>>,
}

impl DynamoDbEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_TABLES => one(&self.tables),
            _ => return None,
        })
    }
}
