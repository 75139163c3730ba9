//! The CloudTrail evidence of one region: trails, their status and selectors.

use cartguard_inventory::cloudtrail::{
    AdvancedEventSelector, CloudTrailEvidence, DESCRIBE_TRAILS, EventSelector, EventSelectors,
    GET_EVENT_SELECTORS, GET_TRAIL_STATUS, Trail, TrailStatus,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(TrailsResponse { trails: "trailList" => Vec<Trail> });
response!(TrailStatusResponse { is_logging: "IsLogging" => bool }
optional {
    stop_logging_time: "StopLoggingTime" => WireTime,
    latest_delivery_error: "LatestDeliveryError" => String,
    latest_cloud_watch_logs_delivery_error: "LatestCloudWatchLogsDeliveryError" => String,
    latest_cloud_watch_logs_delivery_time: "LatestCloudWatchLogsDeliveryTime" => WireTime,
});

/// A time as the CLI prints CloudTrail's epoch seconds: a number (AWS CLI v1)
/// or RFC 3339 text (v2).
#[derive(serde::Deserialize)]
pub(crate) struct WireTime(
    #[serde(deserialize_with = "cartguard_inventory::wire_timestamp")]
    Option<cartguard_inventory::Timestamp>,
);
response!(EventSelectorsResponse { trail_arn: "TrailARN" => String }
optional {
    event_selectors: "EventSelectors" => Vec<EventSelector>,
    advanced_event_selectors: "AdvancedEventSelectors" => Vec<AdvancedEventSelector>,
});

/// Reads the region's CloudTrail evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut CloudTrailEvidence,
) -> Result<(), EvidenceError> {
    out.trails = reader.load(&DESCRIBE_TRAILS.key(region), |r: TrailsResponse| r.trails)?;
    out.trail_status = reader.load_each(GET_TRAIL_STATUS, region, |r: TrailStatusResponse| {
        TrailStatus {
            is_logging: Some(r.is_logging),
            stop_logging_time: r.stop_logging_time.and_then(|t| t.0),
            latest_delivery_error: r.latest_delivery_error,
            latest_cloud_watch_logs_delivery_error: r.latest_cloud_watch_logs_delivery_error,
            latest_cloud_watch_logs_delivery_time: r
                .latest_cloud_watch_logs_delivery_time
                .and_then(|t| t.0),
        }
    })?;
    out.event_selectors =
        reader.load_each(GET_EVENT_SELECTORS, region, |r: EventSelectorsResponse| {
            EventSelectors {
                trail_arn: Some(r.trail_arn),
                event_selectors: r.event_selectors,
                advanced_event_selectors: r.advanced_event_selectors,
            }
        })?;
    Ok(())
}
