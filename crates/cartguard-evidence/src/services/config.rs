//! The AWS Config evidence of one region: recorders and their status.

use cartguard_inventory::config::{
    ConfigEvidence, ConfigurationRecorder, DESCRIBE_CONFIGURATION_RECORDER_STATUS,
    DESCRIBE_CONFIGURATION_RECORDERS, RecorderStatus,
};

use super::response;
use crate::EvidenceError;
use crate::folder::Reader;

response!(RecordersResponse { recorders: "ConfigurationRecorders" => Vec<ConfigurationRecorder> });
response!(RecorderStatusResponse { status: "ConfigurationRecordersStatus" => Vec<RecorderStatus> });

/// Reads the region's AWS Config evidence.
pub(crate) fn read(
    reader: &mut Reader,
    region: &str,
    out: &mut ConfigEvidence,
) -> Result<(), EvidenceError> {
    out.recorders = reader.load(
        &DESCRIBE_CONFIGURATION_RECORDERS.key(region),
        |r: RecordersResponse| r.recorders,
    )?;
    out.recorder_status = reader.load(
        &DESCRIBE_CONFIGURATION_RECORDER_STATUS.key(region),
        |r: RecorderStatusResponse| r.status,
    )?;
    Ok(())
}
