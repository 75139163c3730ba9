//! IAM Identity Center (SSO).

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `sso:ListInstances`.
pub const LIST_INSTANCES: Operation = Operation::regional("sso", "ListInstances");

/// Every Identity Center operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_INSTANCES];

/// IAM Identity Center evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IdentityCenterEvidence {
    /// `sso-admin list-instances`.
    #[serde(default)]
    pub instances: Collected<Vec<IdentityCenterInstance>>,
}

impl IdentityCenterEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_INSTANCES => one(&self.instances),
            _ => return None,
        })
    }
}

/// An IAM Identity Center instance (`sso-admin list-instances`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityCenterInstance {
    /// ARN.
    pub instance_arn: String,
    /// Identity store.
    #[serde(default)]
    pub identity_store_id: Option<String>,
    /// `ACTIVE`, …
    #[serde(default)]
    pub status: Option<String>,
}
