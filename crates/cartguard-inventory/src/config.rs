//! AWS Config: configuration recorders and whether they record.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, Timestamp, one};

/// `config:DescribeConfigurationRecorders`.
pub const DESCRIBE_CONFIGURATION_RECORDERS: Operation =
    Operation::regional("config", "DescribeConfigurationRecorders");
/// `config:DescribeConfigurationRecorderStatus`.
pub const DESCRIBE_CONFIGURATION_RECORDER_STATUS: Operation =
    Operation::regional("config", "DescribeConfigurationRecorderStatus");

/// Every AWS Config operation the model holds.
pub const OPERATIONS: &[Operation] = &[
    DESCRIBE_CONFIGURATION_RECORDERS,
    DESCRIBE_CONFIGURATION_RECORDER_STATUS,
];

/// AWS Config evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConfigEvidence {
    /// `configservice describe-configuration-recorders`.
    #[serde(default)]
    pub recorders: Collected<Vec<ConfigurationRecorder>>,
    /// `configservice describe-configuration-recorder-status`.
    #[serde(default)]
    pub recorder_status: Collected<Vec<RecorderStatus>>,
}

impl ConfigEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_CONFIGURATION_RECORDERS => one(&self.recorders),
            DESCRIBE_CONFIGURATION_RECORDER_STATUS => one(&self.recorder_status),
            _ => return None,
        })
    }
}

/// A configuration recorder (camelCase).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationRecorder {
    /// The recorder's name.
    #[serde(default)]
    pub name: Option<String>,
    /// What it records.
    #[serde(default)]
    pub recording_group: Option<RecordingGroup>,
}

/// What a recorder records.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingGroup {
    /// Every supported resource type of the region.
    #[serde(default)]
    pub all_supported: Option<bool>,
    /// Global types (IAM) too.
    #[serde(default)]
    pub include_global_resource_types: Option<bool>,
    /// The types recorded, when not all.
    #[serde(default)]
    pub resource_types: Vec<String>,
    /// `ALL_SUPPORTED_RESOURCE_TYPES`, `INCLUSION_BY_RESOURCE_TYPES` or
    /// `EXCLUSION_BY_RESOURCE_TYPES`.
    #[serde(default)]
    pub recording_strategy: Option<RecordingStrategy>,
    /// The types left out, with `EXCLUSION_BY_RESOURCE_TYPES`.
    #[serde(default)]
    pub exclusion_by_resource_types: Option<ExclusionByResourceTypes>,
}

/// A recorder's strategy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingStrategy {
    /// The strategy.
    #[serde(default)]
    pub use_only: Option<String>,
}

/// Types a recorder leaves out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExclusionByResourceTypes {
    /// The types.
    #[serde(default)]
    pub resource_types: Vec<String>,
}

/// A recorder's status (camelCase).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecorderStatus {
    /// The recorder's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether it is recording now.
    #[serde(default)]
    pub recording: Option<bool>,
    /// `Pending`, `Success`, `Failure` (the CLI prints the service's case).
    #[serde(default)]
    pub last_status: Option<String>,
    /// The last error.
    #[serde(default)]
    pub last_error_code: Option<String>,
    /// When it last stopped.
    #[serde(default, deserialize_with = "crate::wire_timestamp")]
    pub last_stop_time: Option<Timestamp>,
}
