//! Amazon CloudWatch Logs: log groups (retention) and metric filters.

use serde::{Deserialize, Deserializer, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `logs:DescribeLogGroups`.
pub const DESCRIBE_LOG_GROUPS: Operation = Operation::regional("logs", "DescribeLogGroups");
/// `logs:DescribeMetricFilters` (every filter of the region).
pub const DESCRIBE_METRIC_FILTERS: Operation = Operation::regional("logs", "DescribeMetricFilters");

/// Every Amazon CloudWatch Logs operation the model holds.
pub const OPERATIONS: &[Operation] = &[DESCRIBE_LOG_GROUPS, DESCRIBE_METRIC_FILTERS];

/// Amazon CloudWatch Logs evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LogsEvidence {
    /// `logs describe-log-groups`.
    #[serde(default)]
    pub log_groups: Collected<Vec<LogGroup>>,
    /// `logs describe-metric-filters`.
    #[serde(default)]
    pub metric_filters: Collected<Vec<MetricFilter>>,
}

impl LogsEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_LOG_GROUPS => one(&self.log_groups),
            DESCRIBE_METRIC_FILTERS => one(&self.metric_filters),
            _ => return None,
        })
    }
}

/// A log group (`describe-log-groups`; camelCase).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogGroup {
    /// The group's name.
    pub log_group_name: String,
    /// Its ARN (ends in `:*`).
    #[serde(default)]
    pub arn: Option<String>,
    /// Days events are kept. Absent means they never expire; a `null` is
    /// refused, so that a damaged value never reads as "kept forever".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub retention_in_days: Option<i64>,
    /// The KMS key that encrypts the group.
    #[serde(default)]
    pub kms_key_id: Option<String>,
}

/// A value that, when the key is there, must not be `null`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A metric filter (`describe-metric-filters`; camelCase).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricFilter {
    /// The filter's name.
    pub filter_name: String,
    /// The log group it reads.
    #[serde(default)]
    pub log_group_name: Option<String>,
    /// The filter pattern (empty matches every event).
    #[serde(default)]
    pub filter_pattern: Option<String>,
    /// The metrics it publishes.
    #[serde(default)]
    pub metric_transformations: Vec<MetricTransformation>,
}

/// A metric a filter publishes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricTransformation {
    /// The metric's name.
    pub metric_name: String,
    /// The metric's namespace.
    pub metric_namespace: String,
    /// The value published per matching event.
    #[serde(default)]
    pub metric_value: Option<String>,
}
