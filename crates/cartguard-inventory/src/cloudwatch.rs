//! Amazon CloudWatch alarms. Nothing is read yet: the rules that need it add their
//! operations and fields here.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};

/// Every Amazon CloudWatch alarms operation the model holds.
pub const OPERATIONS: &[Operation] = &[];

/// Amazon CloudWatch alarms evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CloudWatchEvidence {}

impl CloudWatchEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, _operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        None
    }
}
