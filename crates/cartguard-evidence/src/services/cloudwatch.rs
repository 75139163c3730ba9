//! The CloudWatch evidence of one region: alarms.

use cartguard_inventory::cloudwatch::{
    Alarms, CloudWatchEvidence, CompositeAlarm, DESCRIBE_ALARMS, MetricAlarm,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(AlarmsResponse { metric_alarms: "MetricAlarms" => Vec<MetricAlarm> }
    optional { composite_alarms: "CompositeAlarms" => Vec<CompositeAlarm> });

/// Reads the region's CloudWatch evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut CloudWatchEvidence,
) -> Result<(), EvidenceError> {
    out.alarms = reader.load(&DESCRIBE_ALARMS.key(region), |r: AlarmsResponse| Alarms {
        metric_alarms: r.metric_alarms,
        composite_alarms: r.composite_alarms.unwrap_or_default(),
    })?;
    Ok(())
}
