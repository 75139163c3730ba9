//! Amazon GuardDuty: detectors and their status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, each, one};

/// `guardduty:ListDetectors`.
pub const LIST_DETECTORS: Operation = Operation::regional("guardduty", "ListDetectors");
/// `guardduty:GetDetector`, per detector.
pub const GET_DETECTOR: Operation = Operation::regional("guardduty", "GetDetector").per("detector");

/// Every Amazon GuardDuty operation the model holds.
pub const OPERATIONS: &[Operation] = &[LIST_DETECTORS, GET_DETECTOR];

/// Amazon GuardDuty evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GuardDutyEvidence {
    /// `guardduty list-detectors`: the detector ids.
    #[serde(default)]
    pub detector_ids: Collected<Vec<String>>,
    /// `guardduty get-detector`, by detector id.
    #[serde(default)]
    pub detectors: BTreeMap<String, Collected<Detector>>,
}

impl GuardDutyEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            LIST_DETECTORS => one(&self.detector_ids),
            GET_DETECTOR => each(&self.detectors),
            _ => return None,
        })
    }
}

/// A detector (`get-detector`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Detector {
    /// `ENABLED` or `DISABLED`.
    pub status: String,
    /// How often findings are published.
    #[serde(default)]
    pub finding_publishing_frequency: Option<String>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_at: Option<String>,
}
