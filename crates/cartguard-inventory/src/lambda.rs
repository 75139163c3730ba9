//! AWS Lambda. Nothing is read yet: the rules that need it add their
//! operations and fields here.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};

/// Every AWS Lambda operation the model holds.
pub const OPERATIONS: &[Operation] = &[];

/// AWS Lambda evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LambdaEvidence {}

impl LambdaEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, _operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        None
    }
}
