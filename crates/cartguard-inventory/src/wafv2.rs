//! AWS WAF (v2). Nothing is read yet: the rules that need it add their
//! operations and fields here.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};

/// Every AWS WAF (v2) operation the model holds.
pub const OPERATIONS: &[Operation] = &[];

/// AWS WAF (v2) evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Wafv2Evidence {}

impl Wafv2Evidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, _operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        None
    }
}
