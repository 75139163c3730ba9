//! Amazon CloudWatch Logs. Nothing is read yet: the rules that need it add their
//! operations and fields here.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};

/// Every Amazon CloudWatch Logs operation the model holds.
pub const OPERATIONS: &[Operation] = &[];

/// Amazon CloudWatch Logs evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LogsEvidence {}

impl LogsEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, _operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        None
    }
}
