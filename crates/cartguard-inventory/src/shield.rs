//! AWS Shield Advanced subscription (account-wide).

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `shield:GetSubscriptionState`.
pub const GET_SUBSCRIPTION_STATE: Operation = Operation::account("shield", "GetSubscriptionState");

/// Every AWS Shield operation the model holds.
pub const OPERATIONS: &[Operation] = &[GET_SUBSCRIPTION_STATE];

/// Account-wide Shield evidence.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShieldEvidence {
    /// `shield get-subscription-state`: `ACTIVE` or `INACTIVE`.
    #[serde(default)]
    pub subscription_state: Collected<String>,
}

impl ShieldEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            GET_SUBSCRIPTION_STATE => one(&self.subscription_state),
            _ => return None,
        })
    }
}
