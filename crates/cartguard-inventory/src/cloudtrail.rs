//! AWS CloudTrail. Nothing is read yet: the rules that need it add their
//! operations and fields here.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};

/// Every AWS CloudTrail operation the model holds.
pub const OPERATIONS: &[Operation] = &[];

/// AWS CloudTrail evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CloudTrailEvidence {}

impl CloudTrailEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, _operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        None
    }
}
