//! Amazon GuardDuty. Nothing is read yet: the rules that need it add their
//! operations and fields here.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};

/// Every Amazon GuardDuty operation the model holds.
pub const OPERATIONS: &[Operation] = &[];

/// Amazon GuardDuty evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GuardDutyEvidence {}

impl GuardDutyEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, _operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        None
    }
}
