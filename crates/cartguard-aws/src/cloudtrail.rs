//! CloudTrail: the trails a region sees (shadow and organization trails
//! included), and the status and event selectors of those whose home region
//! it is, filed under the trail's name as the evidence folder files them.

use std::collections::BTreeMap;

use aws_sdk_cloudtrail::types as sdk;
use cartguard_inventory::cloudtrail::*;

use crate::config::Clients;
use crate::scope::Scope;
use crate::time::opt;

/// Collects one region's CloudTrail evidence.
pub(crate) async fn collect(clients: &Clients, region: &str, scope: Scope) -> CloudTrailEvidence {
    let client = &clients.cloudtrail(region);
    let trails = scope
        .call(&DESCRIBE_TRAILS, async {
            client
                .describe_trails()
                .include_shadow_trails(true)
                .send()
                .await
        })
        .await
        .map(|answer| {
            answer
                .trail_list
                .unwrap_or_default()
                .into_iter()
                .filter_map(trail)
                .collect::<Vec<_>>()
        });
    // Status and selectors are asked of a trail's home region, by ARN.
    let homed: BTreeMap<String, String> = trails
        .present()
        .map(|list| {
            list.iter()
                .filter(|t| t.home_region.as_deref() == Some(region))
                .filter_map(|t| Some((t.name.clone(), t.trail_arn.clone()?)))
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<String> = homed.keys().cloned().collect();
    let arn_of = |name: &str| homed.get(name).cloned().unwrap_or_default();
    let status = scope.each(&GET_TRAIL_STATUS, names.clone(), |name| {
        let arn = arn_of(&name);
        async move { client.get_trail_status().name(arn).send().await }
    });
    let selectors = scope.each(&GET_EVENT_SELECTORS, names, |name| {
        let arn = arn_of(&name);
        async move { client.get_event_selectors().trail_name(arn).send().await }
    });
    let (status, selectors) = tokio::join!(status, selectors);
    scope.done();
    CloudTrailEvidence {
        trails,
        trail_status: status
            .into_iter()
            .map(|(name, answer)| (name, answer.map(trail_status)))
            .collect(),
        event_selectors: selectors
            .into_iter()
            .map(|(name, answer)| (name, answer.map(event_selectors)))
            .collect(),
    }
}

fn trail(t: sdk::Trail) -> Option<Trail> {
    Some(Trail {
        name: t.name?,
        trail_arn: t.trail_arn,
        home_region: t.home_region,
        s3_bucket_name: t.s3_bucket_name,
        is_multi_region_trail: t.is_multi_region_trail,
        include_global_service_events: t.include_global_service_events,
        log_file_validation_enabled: t.log_file_validation_enabled,
        kms_key_id: t.kms_key_id,
        cloud_watch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn,
        cloud_watch_logs_role_arn: t.cloud_watch_logs_role_arn,
        has_custom_event_selectors: t.has_custom_event_selectors,
        is_organization_trail: t.is_organization_trail,
    })
}

fn trail_status(
    s: aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput,
) -> TrailStatus {
    TrailStatus {
        is_logging: s.is_logging,
        stop_logging_time: opt(s.stop_logging_time.as_ref()),
        latest_delivery_error: s.latest_delivery_error,
        latest_cloud_watch_logs_delivery_error: s.latest_cloud_watch_logs_delivery_error,
        latest_cloud_watch_logs_delivery_time: opt(s
            .latest_cloud_watch_logs_delivery_time
            .as_ref()),
    }
}

fn event_selectors(
    s: aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput,
) -> EventSelectors {
    EventSelectors {
        trail_arn: s.trail_arn,
        event_selectors: s.event_selectors.map(|list| {
            list.into_iter()
                .map(|e| EventSelector {
                    read_write_type: e.read_write_type.map(|t| t.as_str().to_string()),
                    include_management_events: e.include_management_events,
                    data_resources: e
                        .data_resources
                        .unwrap_or_default()
                        .into_iter()
                        .map(|d| DataResource {
                            resource_type: d.r#type,
                            values: d.values.unwrap_or_default(),
                        })
                        .collect(),
                    exclude_management_event_sources: e
                        .exclude_management_event_sources
                        .unwrap_or_default(),
                })
                .collect()
        }),
        advanced_event_selectors: s.advanced_event_selectors.map(|list| {
            list.into_iter()
                .map(|a| AdvancedEventSelector {
                    name: a.name,
                    field_selectors: a
                        .field_selectors
                        .into_iter()
                        .map(|f| FieldSelector {
                            field: f.field,
                            equals: f.equals,
                            starts_with: f.starts_with,
                            ends_with: f.ends_with,
                            not_equals: f.not_equals,
                            not_starts_with: f.not_starts_with,
                            not_ends_with: f.not_ends_with,
                        })
                        .collect(),
                })
                .collect()
        }),
    }
}
