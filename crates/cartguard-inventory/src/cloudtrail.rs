//! AWS CloudTrail: trails (organization and shadow trails included), whether
//! each is logging, and which events it records.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::key::{Availability, Operation};
use crate::{Collected, Timestamp, each, one};

/// `cloudtrail:DescribeTrails` (with shadow trails: every multi-region trail,
/// and organization trails, appear in every region).
pub const DESCRIBE_TRAILS: Operation = Operation::regional("cloudtrail", "DescribeTrails");
/// `cloudtrail:GetTrailStatus`, per trail, in the trail's home region.
pub const GET_TRAIL_STATUS: Operation =
    Operation::regional("cloudtrail", "GetTrailStatus").per("trail");
/// `cloudtrail:GetEventSelectors`, per trail, in the trail's home region.
pub const GET_EVENT_SELECTORS: Operation =
    Operation::regional("cloudtrail", "GetEventSelectors").per("trail");

/// Every AWS CloudTrail operation the model holds.
pub const OPERATIONS: &[Operation] = &[DESCRIBE_TRAILS, GET_TRAIL_STATUS, GET_EVENT_SELECTORS];

/// AWS CloudTrail evidence for one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CloudTrailEvidence {
    /// `cloudtrail describe-trails --include-shadow-trails`.
    #[serde(default)]
    pub trails: Collected<Vec<Trail>>,
    /// `cloudtrail get-trail-status`, by trail name, for the trails whose home
    /// region this is.
    #[serde(default)]
    pub trail_status: BTreeMap<String, Collected<TrailStatus>>,
    /// `cloudtrail get-event-selectors`, by trail name, for the trails whose
    /// home region this is.
    #[serde(default)]
    pub event_selectors: BTreeMap<String, Collected<EventSelectors>>,
}

impl CloudTrailEvidence {
    /// What the evidence holds for `operation`.
    pub fn answers(&self, operation: &Operation) -> Option<Vec<(Option<&str>, Availability)>> {
        Some(match *operation {
            DESCRIBE_TRAILS => one(&self.trails),
            GET_TRAIL_STATUS => each(&self.trail_status),
            GET_EVENT_SELECTORS => each(&self.event_selectors),
            _ => return None,
        })
    }
}

/// A trail, as `describe-trails` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Trail {
    /// The trail's name.
    pub name: String,
    /// The trail's ARN (names the account that owns it).
    #[serde(rename = "TrailARN", default)]
    pub trail_arn: Option<String>,
    /// The region the trail was created in.
    #[serde(default)]
    pub home_region: Option<String>,
    /// The bucket the log files go to.
    #[serde(default)]
    pub s3_bucket_name: Option<String>,
    /// Whether the trail records events of every region.
    #[serde(default)]
    pub is_multi_region_trail: Option<bool>,
    /// Whether it records the events of global services (IAM, STS, CloudFront).
    #[serde(default)]
    pub include_global_service_events: Option<bool>,
    /// Whether digest files make log tampering detectable.
    #[serde(default)]
    pub log_file_validation_enabled: Option<bool>,
    /// The KMS key that encrypts the log files (SSE-KMS); absent for SSE-S3.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// The CloudWatch Logs log group that receives the events.
    #[serde(default)]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// The role CloudTrail assumes to write to that log group.
    #[serde(default)]
    pub cloud_watch_logs_role_arn: Option<String>,
    /// Whether event selectors other than the default are set.
    #[serde(default)]
    pub has_custom_event_selectors: Option<bool>,
    /// Whether it is an organization trail (made in the management account).
    #[serde(default)]
    pub is_organization_trail: Option<bool>,
}

impl Trail {
    /// The trail's ARN, or one formed from its name when the evidence omits it.
    pub fn arn(&self, region: &str, account: &str) -> String {
        self.trail_arn.clone().unwrap_or_else(|| {
            format!(
                "arn:aws:cloudtrail:{}:{account}:trail/{}",
                self.home_region.as_deref().unwrap_or(region),
                self.name
            )
        })
    }
}

/// `get-trail-status`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrailStatus {
    /// Whether the trail is recording now.
    #[serde(default)]
    pub is_logging: Option<bool>,
    /// When logging last stopped.
    #[serde(default, deserialize_with = "crate::wire_timestamp")]
    pub stop_logging_time: Option<Timestamp>,
    /// The last error delivering log files to the bucket.
    #[serde(default)]
    pub latest_delivery_error: Option<String>,
    /// The last error delivering events to CloudWatch Logs.
    #[serde(default)]
    pub latest_cloud_watch_logs_delivery_error: Option<String>,
    /// When events last reached CloudWatch Logs.
    #[serde(default, deserialize_with = "crate::wire_timestamp")]
    pub latest_cloud_watch_logs_delivery_time: Option<Timestamp>,
}

/// `get-event-selectors`: basic or advanced selectors (a trail has one kind).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventSelectors {
    /// The trail's ARN.
    #[serde(rename = "TrailARN", default)]
    pub trail_arn: Option<String>,
    /// Basic event selectors.
    #[serde(default)]
    pub event_selectors: Option<Vec<EventSelector>>,
    /// Advanced event selectors.
    #[serde(default)]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

/// A basic event selector.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventSelector {
    /// `ReadOnly`, `WriteOnly` or `All` (the default).
    #[serde(default)]
    pub read_write_type: Option<String>,
    /// Whether management events are recorded (the default is true).
    #[serde(default)]
    pub include_management_events: Option<bool>,
    /// Data events: resource type and ARN prefixes.
    #[serde(default)]
    pub data_resources: Vec<DataResource>,
    /// Event sources left out of management events (`kms.amazonaws.com`).
    #[serde(default)]
    pub exclude_management_event_sources: Vec<String>,
}

/// The data events a basic selector records.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DataResource {
    /// `AWS::S3::Object`, `AWS::Lambda::Function`, …
    #[serde(rename = "Type", default)]
    pub resource_type: Option<String>,
    /// ARN prefixes (`arn:aws:s3` for every bucket).
    #[serde(default)]
    pub values: Vec<String>,
}

/// An advanced event selector: every field selector must hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdvancedEventSelector {
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// The conditions, all of which an event must meet.
    #[serde(default)]
    pub field_selectors: Vec<FieldSelector>,
}

/// One condition of an advanced event selector.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FieldSelector {
    /// `eventCategory`, `resources.type`, `resources.ARN`, `readOnly`, `eventName`, …
    pub field: String,
    /// The field equals one of these.
    #[serde(default)]
    pub equals: Option<Vec<String>>,
    /// The field starts with one of these.
    #[serde(default)]
    pub starts_with: Option<Vec<String>>,
    /// The field ends with one of these.
    #[serde(default)]
    pub ends_with: Option<Vec<String>>,
    /// The field equals none of these.
    #[serde(default)]
    pub not_equals: Option<Vec<String>>,
    /// The field starts with none of these.
    #[serde(default)]
    pub not_starts_with: Option<Vec<String>>,
    /// The field ends with none of these.
    #[serde(default)]
    pub not_ends_with: Option<Vec<String>>,
}
