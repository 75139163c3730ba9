//! Amazon CloudWatch: alarms and their actions.

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, one};

/// `cloudwatch:DescribeAlarms`.
pub const DESCRIBE_ALARMS: Operation = Operation::regional("cloudwatch", "DescribeAlarms");

/// Every Amazon CloudWatch operation the model holds.
pub const OPERATIONS: &[Operation] = &[DESCRIBE_ALARMS];

/// Amazon CloudWatch evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CloudWatchEvidence {
    /// `cloudwatch describe-alarms`.
    #[serde(default)]
    pub alarms: Collected<Alarms>,
}

impl CloudWatchEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_ALARMS => one(&self.alarms),
            _ => return None,
        })
    }
}

/// The alarms of a region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Alarms {
    /// Alarms on a metric or a metric expression.
    #[serde(default)]
    pub metric_alarms: Vec<MetricAlarm>,
    /// Alarms combining other alarms.
    #[serde(default)]
    pub composite_alarms: Vec<CompositeAlarm>,
}

/// An alarm on a metric (`MetricAlarms`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricAlarm {
    /// The alarm's name.
    pub alarm_name: String,
    /// Its ARN.
    #[serde(default)]
    pub alarm_arn: Option<String>,
    /// Whether actions run on state changes (the default is true).
    #[serde(default)]
    pub actions_enabled: Option<bool>,
    /// What happens when the alarm goes to ALARM (SNS topics, …).
    #[serde(default)]
    pub alarm_actions: Vec<String>,
    /// The metric watched.
    #[serde(default)]
    pub metric_name: Option<String>,
    /// The metric's namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The metrics of a metric-math alarm.
    #[serde(default)]
    pub metrics: Vec<MetricDataQuery>,
    /// Statistic.
    #[serde(default)]
    pub statistic: Option<String>,
    /// Threshold.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// `GreaterThanOrEqualToThreshold`, …
    #[serde(default)]
    pub comparison_operator: Option<String>,
}

impl MetricAlarm {
    /// Whether the alarm watches the metric `name` in `namespace`.
    pub fn watches(&self, name: &str, namespace: &str) -> bool {
        let direct = self.metric_name.as_deref() == Some(name)
            && self.namespace.as_deref() == Some(namespace);
        direct
            || self.metrics.iter().any(|query| {
                query
                    .metric_stat
                    .as_ref()
                    .and_then(|stat| stat.metric.as_ref())
                    .is_some_and(|metric| {
                        metric.metric_name.as_deref() == Some(name)
                            && metric.namespace.as_deref() == Some(namespace)
                    })
            })
    }

    /// The actions that run when it goes to ALARM (none when actions are disabled).
    pub fn effective_actions(&self) -> &[String] {
        if self.actions_enabled == Some(false) {
            &[]
        } else {
            &self.alarm_actions
        }
    }
}

/// One query of a metric-math alarm.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricDataQuery {
    /// The query's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The metric and statistic, when the query reads a metric.
    #[serde(default)]
    pub metric_stat: Option<MetricStat>,
}

/// A metric and statistic.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricStat {
    /// The metric.
    #[serde(default)]
    pub metric: Option<Metric>,
}

/// A metric's identity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Metric {
    /// Name.
    #[serde(default)]
    pub metric_name: Option<String>,
    /// Namespace.
    #[serde(default)]
    pub namespace: Option<String>,
}

/// An alarm combining other alarms (`CompositeAlarms`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompositeAlarm {
    /// The alarm's name.
    pub alarm_name: String,
    /// Its ARN.
    #[serde(default)]
    pub alarm_arn: Option<String>,
    /// Whether actions run on state changes.
    #[serde(default)]
    pub actions_enabled: Option<bool>,
    /// What happens when it goes to ALARM.
    #[serde(default)]
    pub alarm_actions: Vec<String>,
}
