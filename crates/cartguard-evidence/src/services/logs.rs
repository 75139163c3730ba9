//! The CloudWatch Logs evidence of one region: log groups and metric filters.

use cartguard_inventory::logs::{
    DESCRIBE_LOG_GROUPS, DESCRIBE_METRIC_FILTERS, LogGroup, LogsEvidence, MetricFilter,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(LogGroupsResponse { groups: "logGroups" => Vec<LogGroup> });
response!(MetricFiltersResponse { filters: "metricFilters" => Vec<MetricFilter> });

/// Reads the region's CloudWatch Logs evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut LogsEvidence,
) -> Result<(), EvidenceError> {
    out.log_groups = reader.load(&DESCRIBE_LOG_GROUPS.key(region), |r: LogGroupsResponse| {
        r.groups
    })?;
    out.metric_filters = reader.load(
        &DESCRIBE_METRIC_FILTERS.key(region),
        |r: MetricFiltersResponse| r.filters,
    )?;
    Ok(())
}
