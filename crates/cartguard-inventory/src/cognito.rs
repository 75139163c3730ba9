//! Amazon Cognito user pools. Nothing is read yet: the rules that need it add their
//! operations and fields here.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};

/// Every Amazon Cognito user pools operation the model holds.
pub const OPERATIONS: &[Operation] = &[];

/// Amazon Cognito user pools evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CognitoEvidence {}

impl CognitoEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, _operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        None
    }
}
